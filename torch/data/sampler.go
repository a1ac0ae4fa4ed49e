package data

import (
	"math"
	"math/rand/v2"

	"github.com/seed0eaa3131/gotorch/torch"
)

// epochOrder returns the order in which one epoch visits the n samples: the
// identity (PyTorch's SequentialSampler) or a random permutation
// (RandomSampler). Every call with Shuffle set is a new epoch and so a new
// permutation.
func (l *Loader) epochOrder(n int) []int {
	if !l.opts.Shuffle {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order
	}
	epoch := l.epoch.Add(1) - 1
	seed := l.opts.Seed
	if seed == 0 {
		// PyTorch's RandomSampler without a generator draws a fresh seed from
		// the global generator each epoch; doing the same makes
		// torch.ManualSeed govern the shuffle here too.
		t := torch.RandInt(0, math.MaxInt64, []int64{1})
		seed = uint64(t.ItemInt())
		t.Free()
	}
	return rand.New(rand.NewPCG(seed, epoch)).Perm(n)
}

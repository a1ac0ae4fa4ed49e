package data

import (
	"fmt"
	"iter"
	"sync/atomic"

	"github.com/seed0eaa3131/gotorch/torch"
)

// DistributedSamplerOpts are DistributedSampler's defaulted arguments; the
// zero value is PyTorch's defaults (shuffle=True, seed=0, drop_last=False).
type DistributedSamplerOpts struct {
	// Shuffle is shuffle=: a new permutation of the dataset each epoch,
	// the same on every replica. Nil means true, PyTorch's default.
	Shuffle *bool
	// Seed is seed=: each epoch shuffles with a new torch.Generator seeded
	// with Seed + epoch (wrapped to 64 bits as torch.Generator.manual_seed
	// wraps a negative seed). Every replica must use the same Seed.
	Seed int64
	// DropLast is drop_last=: drop the tail of the dataset so that it
	// divides evenly among the replicas, instead of padding it by repeating
	// indices from the start.
	DropLast bool
}

// DistributedSampler is torch.utils.data.distributed.DistributedSampler:
// it gives replica Rank of NumReplicas (each process of data-parallel
// training) its own share of the dataset, NumSamples indices, so that the
// replicas together visit the whole dataset once an epoch. Pass it as
// Options.Sampler of each replica's Loader and call SetEpoch before each
// epoch, as in PyTorch.
//
// Every pass lists the dataset's indices (with Shuffle, in the order of
// torch.randperm(len(dataset), generator=g), g a fresh torch.Generator
// seeded with Seed + epoch; otherwise 0, 1, ...), pads that list to
// TotalSize by repeating it from the start (or, with DropLast, cuts it to
// TotalSize), and yields its elements Rank, Rank+NumReplicas, ... The same
// arguments give the same indices as PyTorch's. It never draws from the
// default generator. The epoch is read when a pass starts.
//
// As in PyTorch, the dataset is assumed to keep its size: NumSamples and
// TotalSize are fixed when the sampler is made.
type DistributedSampler struct {
	src         Sized
	numReplicas int
	rank        int
	shuffle     bool
	seed        int64
	dropLast    bool
	numSamples  int
	epoch       atomic.Int64
}

// NewDistributedSampler is DistributedSampler(dataset, num_replicas, rank,
// shuffle=True, seed=0, drop_last=False). PyTorch takes num_replicas and
// rank from the default process group when they are not given; here they
// are explicit (in data-parallel training, the world size and this
// process's rank). It panics, with a *torch.Error of kind ValueError and
// PyTorch's message, when rank is not in [0, numReplicas-1] (which includes
// every rank when numReplicas < 1).
func NewDistributedSampler(src Sized, numReplicas, rank int, opts ...DistributedSamplerOpts) *DistributedSampler {
	if src == nil {
		panic(valueError("data.NewDistributedSampler", "dataset is nil"))
	}
	if rank >= numReplicas || rank < 0 {
		panic(valueError("data.NewDistributedSampler", "Invalid rank %d, rank should be in the interval [0, %d]", rank, numReplicas-1))
	}
	s := &DistributedSampler{src: src, numReplicas: numReplicas, rank: rank, shuffle: true}
	if len(opts) > 0 {
		if opts[0].Shuffle != nil {
			s.shuffle = *opts[0].Shuffle
		}
		s.seed = opts[0].Seed
		s.dropLast = opts[0].DropLast
	}
	n := src.Len()
	if s.dropLast && n%numReplicas != 0 {
		// math.ceil((n - num_replicas) / num_replicas), which is
		// n // num_replicas for n > 0 not divisible by num_replicas.
		s.numSamples = n / numReplicas
	} else {
		s.numSamples = (n + numReplicas - 1) / numReplicas // math.ceil(n / num_replicas)
	}
	return s
}

// NumReplicas is DistributedSampler.num_replicas.
func (s *DistributedSampler) NumReplicas() int { return s.numReplicas }

// Rank is DistributedSampler.rank.
func (s *DistributedSampler) Rank() int { return s.rank }

// Shuffle is DistributedSampler.shuffle.
func (s *DistributedSampler) Shuffle() bool { return s.shuffle }

// Seed is DistributedSampler.seed.
func (s *DistributedSampler) Seed() int64 { return s.seed }

// DropLast is DistributedSampler.drop_last.
func (s *DistributedSampler) DropLast() bool { return s.dropLast }

// NumSamples is DistributedSampler.num_samples: how many indices a pass
// yields on this replica.
func (s *DistributedSampler) NumSamples() int { return s.numSamples }

// TotalSize is DistributedSampler.total_size: NumSamples * NumReplicas,
// the indices all replicas together visit in one epoch.
func (s *DistributedSampler) TotalSize() int { return s.numSamples * s.numReplicas }

// Len is len(sampler): NumSamples.
func (s *DistributedSampler) Len() int { return s.numSamples }

// SetEpoch is DistributedSampler.set_epoch(epoch): the passes that start
// after it shuffle with Seed + epoch. Call it on every replica before each
// epoch, or every epoch visits the data in the same order. It may be called
// while another goroutine iterates.
func (s *DistributedSampler) SetEpoch(epoch int) { s.epoch.Store(int64(epoch)) }

// Epoch is DistributedSampler.epoch: the last SetEpoch, initially 0.
func (s *DistributedSampler) Epoch() int { return int(s.epoch.Load()) }

// All is DistributedSampler.__iter__: this replica's NumSamples indices for
// the current epoch. It panics with a *torch.Error (which a Loader reports
// through Err) where PyTorch's assertion fails: the dataset's length
// changed so that it can no longer be padded or cut to TotalSize.
func (s *DistributedSampler) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		n := s.src.Len()
		total := s.TotalSize()
		if s.dropLast && n < total || !s.dropLast && (n > total || n == 0 && total > 0) {
			panic(&torch.Error{Op: "DistributedSampler", Kind: torch.KindRuntime,
				Msg: fmt.Sprintf("the dataset's length changed to %d since the sampler was made: it cannot be padded or cut to total_size %d", n, total)})
		}
		var order []int64
		if s.shuffle {
			g := torch.NewGenerator().ManualSeed(uint64(s.seed + s.epoch.Load()))
			perm := torch.RandpermGenerator(int64(n), g)
			order = perm.Int64s()
			perm.Free()
		}
		// The padded list is indices[j % n] (padding repeats the list from
		// its start, as often as needed); the cut one is indices[:total].
		for j := s.rank; j < total; j += s.numReplicas {
			i := j % n
			if order != nil {
				i = int(order[i])
			}
			if !yield(i) {
				return
			}
		}
	}
}

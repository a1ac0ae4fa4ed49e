package data_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
)

// distCase is one DistributedSampler(range(N), Replicas, Rank, ...) whose
// indices are compared with PyTorch's.
type distCase struct {
	Name     string
	N        int
	Replicas int
	Rank     int
	// Default passes no options: shuffle=True, seed=0, drop_last=False.
	Default  bool
	Shuffle  bool
	Seed     int64
	Epoch    int // set_epoch(Epoch); 0 leaves it unset
	DropLast bool
}

// newDistSampler is the Go side of a distCase.
func newDistSampler(src data.Sized, c distCase) *data.DistributedSampler {
	if c.Default {
		return data.NewDistributedSampler(src, c.Replicas, c.Rank)
	}
	return data.NewDistributedSampler(src, c.Replicas, c.Rank,
		data.DistributedSamplerOpts{Shuffle: new(c.Shuffle), Seed: c.Seed, DropLast: c.DropLast})
}

// TestDistributedSamplerMatchesPyTorch compares every index list, len,
// num_samples and total_size with PyTorch's for datasets that divide evenly
// among the replicas and ones that do not, fewer samples than replicas,
// drop_last both ways, shuffled or not, several seeds (one negative) and
// epochs. Each sampler is iterated twice (the same list both times), and
// torch.rand(3) after it equals Python's: the sampler draws nothing from
// the default generator.
func TestDistributedSamplerMatchesPyTorch(t *testing.T) {
	cases := []distCase{
		{Name: "defaults rank 0", N: 10, Replicas: 3, Rank: 0, Default: true},
		{Name: "defaults rank 2", N: 10, Replicas: 3, Rank: 2, Default: true},
		{Name: "shuffle padded", N: 10, Replicas: 4, Rank: 3, Shuffle: true, Seed: 0},
		{Name: "shuffle drop_last", N: 10, Replicas: 4, Rank: 1, Shuffle: true, DropLast: true},
		{Name: "shuffle drop_last last rank", N: 10, Replicas: 4, Rank: 3, Shuffle: true, Seed: 5, Epoch: 2, DropLast: true},
		{Name: "in order padded", N: 10, Replicas: 3, Rank: 1},
		{Name: "in order padded last rank", N: 10, Replicas: 3, Rank: 2},
		{Name: "in order drop_last", N: 10, Replicas: 3, Rank: 2, DropLast: true},
		{Name: "divides", N: 12, Replicas: 4, Rank: 3, Shuffle: true, Seed: 7, Epoch: 2},
		{Name: "divides drop_last", N: 12, Replicas: 4, Rank: 1, Shuffle: true, Seed: 7, Epoch: 2, DropLast: true},
		{Name: "fewer samples than replicas", N: 2, Replicas: 5, Rank: 4, Shuffle: true, Seed: 1},
		{Name: "fewer samples than replicas in order", N: 3, Replicas: 8, Rank: 7},
		{Name: "fewer samples than replicas drop_last", N: 2, Replicas: 5, Rank: 0, Shuffle: true, DropLast: true},
		{Name: "one sample", N: 1, Replicas: 4, Rank: 2, Shuffle: true, Seed: 9},
		{Name: "empty", N: 0, Replicas: 2, Rank: 1, Shuffle: true},
		{Name: "one replica", N: 9, Replicas: 1, Rank: 0, Shuffle: true, Seed: 3, Epoch: 1},
		{Name: "seed and epoch", N: 100, Replicas: 7, Rank: 6, Shuffle: true, Seed: 42, Epoch: 5},
		{Name: "seed and epoch drop_last", N: 100, Replicas: 7, Rank: 0, Shuffle: true, Seed: 42, Epoch: 5, DropLast: true},
		{Name: "negative seed", N: 11, Replicas: 3, Rank: 1, Shuffle: true, Seed: -3, Epoch: 1},
		{Name: "MNIST-like", N: 60000, Replicas: 8, Rank: 5, Shuffle: true, Seed: 1, Epoch: 3},
	}
	arg, err := json.Marshal(cases)
	require.NoError(t, err)
	var want []struct {
		Indices    []int
		Len        int
		NumSamples int
		TotalSize  int
		After      []float64
	}
	pytorch.JSON(t, `
import json, sys
from torch.utils.data.distributed import DistributedSampler
out = []
for c in json.loads(sys.argv[1]):
    ds = range(c["N"])
    if c["Default"]:
        s = DistributedSampler(ds, c["Replicas"], c["Rank"])
    else:
        s = DistributedSampler(ds, num_replicas=c["Replicas"], rank=c["Rank"], shuffle=c["Shuffle"], seed=c["Seed"], drop_last=c["DropLast"])
    if c["Epoch"]:
        s.set_epoch(c["Epoch"])
    torch.manual_seed(0)
    idx = list(s)
    assert idx == list(s)
    out.append({"Indices": idx, "Len": len(s), "NumSamples": s.num_samples, "TotalSize": s.total_size,
                "After": torch.rand(3).tolist()})
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			s := newDistSampler(newSamples(c.N), c)
			if c.Epoch != 0 {
				s.SetEpoch(c.Epoch)
			}
			torch.ManualSeed(0)
			for pass := range 2 {
				got := slices.Collect(s.All())
				if got == nil {
					got = []int{}
				}
				assert.Equal(t, want[i].Indices, got, "pass %d", pass)
			}
			assert.Equal(t, want[i].Len, s.Len())
			assert.Equal(t, want[i].NumSamples, s.NumSamples())
			assert.Equal(t, want[i].TotalSize, s.TotalSize())
			assert.Equal(t, want[i].After, draw(nil, 3))
			assert.Equal(t, c.Replicas, s.NumReplicas())
			assert.Equal(t, c.Rank, s.Rank())
			assert.Equal(t, c.Default || c.Shuffle, s.Shuffle())
			assert.Equal(t, c.Seed, s.Seed())
			assert.Equal(t, c.DropLast, s.DropLast())
			assert.Equal(t, c.Epoch, s.Epoch())
		})
	}
}

// TestDistributedSamplerCoversDataset: the replicas' shares together are
// the padded (or cut) epoch. Without drop_last every index is visited by
// some replica, none more often than the padding allows, and each replica
// gets NumSamples = ceil(n/replicas); with drop_last the shares are
// disjoint and together TotalSize = replicas * floor(n/replicas) indices.
// All replicas agree on the order: with the same seed and epoch, their
// shares interleave into one permutation's prefix (or padded copy).
func TestDistributedSamplerCoversDataset(t *testing.T) {
	type tc struct {
		n, replicas int
		dropLast    bool
	}
	var cases []tc
	for _, n := range []int{1, 2, 5, 10, 11, 12, 31} {
		for _, r := range []int{1, 2, 3, 4, 7} {
			for _, d := range []bool{false, true} {
				cases = append(cases, tc{n, r, d})
			}
		}
	}
	for _, c := range cases {
		for _, shuffle := range []bool{false, true} {
			t.Run(fmt.Sprintf("n=%d replicas=%d drop_last=%v shuffle=%v", c.n, c.replicas, c.dropLast, shuffle), func(t *testing.T) {
				ds := newSamples(c.n)
				opts := data.DistributedSamplerOpts{Shuffle: new(shuffle), Seed: 17, DropLast: c.dropLast}
				shares := make([][]int, c.replicas)
				for rank := range c.replicas {
					s := data.NewDistributedSampler(ds, c.replicas, rank, opts)
					s.SetEpoch(4)
					shares[rank] = slices.Collect(s.All())
					require.Len(t, shares[rank], s.Len())
				}
				// Interleave the shares back into the epoch's list.
				var epoch []int
				for j := range len(shares[0]) {
					for rank := range c.replicas {
						epoch = append(epoch, shares[rank][j])
					}
				}
				counts := make([]int, c.n)
				for _, i := range epoch {
					require.True(t, i >= 0 && i < c.n, "index %d out of range", i)
					counts[i]++
				}
				if c.dropLast {
					assert.Len(t, epoch, c.n/c.replicas*c.replicas)
					for i, k := range counts {
						assert.LessOrEqual(t, k, 1, "index %d visited %d times", i, k)
					}
					return
				}
				total := (c.n + c.replicas - 1) / c.replicas * c.replicas
				assert.Len(t, epoch, total)
				// The first n entries are a permutation; the rest repeat
				// them from the start.
				assert.ElementsMatch(t, seq(c.n), epoch[:c.n])
				for j := c.n; j < total; j++ {
					assert.Equal(t, epoch[j%c.n], epoch[j])
				}
				for i, k := range counts {
					assert.GreaterOrEqual(t, k, 1, "index %d never visited", i)
				}
				if !shuffle {
					assert.Equal(t, seq(c.n), epoch[:c.n])
				}
			})
		}
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestDistributedSamplerErrors: a rank outside [0, num_replicas-1] (any
// rank when num_replicas < 1) is refused with PyTorch's ValueError message;
// a nil dataset is refused too; a dataset that grew past TotalSize after the
// sampler was made fails the pass, which a Loader reports through Err (as
// PyTorch's assertion would fail the DataLoader's next()).
func TestDistributedSamplerErrors(t *testing.T) {
	type tc struct{ Replicas, Rank int }
	cases := []tc{{3, 3}, {3, 7}, {2, -1}, {0, 0}, {-2, 0}}
	arg, err := json.Marshal(cases)
	require.NoError(t, err)
	var want []string
	pytorch.JSON(t, `
import json, sys
from torch.utils.data.distributed import DistributedSampler
out = []
for c in json.loads(sys.argv[1]):
    try:
        DistributedSampler(range(5), num_replicas=c["Replicas"], rank=c["Rank"])
        out.append("")
    except ValueError as e:
        out.append(str(e))
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		require.NotEmpty(t, want[i], "PyTorch accepted %+v", c)
		var te *torch.Error
		require.ErrorAs(t, torch.Catch(func() { data.NewDistributedSampler(newSamples(5), c.Replicas, c.Rank) }), &te, want[i])
		assert.Equal(t, torch.KindValue, te.Kind)
		assert.Equal(t, want[i], te.Msg)
	}
	assert.Equal(t, "Invalid rank 3, rank should be in the interval [0, 2]", want[0])

	var te *torch.Error
	require.ErrorAs(t, torch.Catch(func() { data.NewDistributedSampler(nil, 2, 0) }), &te)
	assert.Equal(t, torch.KindValue, te.Kind)

	ds := newSamples(10)
	s := data.NewDistributedSampler(ds, 3, 0)
	ds.n = 13 // past total_size 12
	l := data.NewLoader(ds, data.Options{Sampler: s, BatchSize: 2})
	for range l.All() {
		t.Fatal("no batch expected")
	}
	assert.ErrorContains(t, l.Err(), "cannot be padded or cut to total_size 12")
}

// TestDistributedSamplerSetEpoch: SetEpoch changes a shuffled sampler's
// order (every replica's the same way: epoch e is seed + e), going back to
// an epoch gives its order again, and an unshuffled sampler ignores it.
func TestDistributedSamplerSetEpoch(t *testing.T) {
	ds := newSamples(50)
	s := data.NewDistributedSampler(ds, 2, 1, data.DistributedSamplerOpts{Seed: 3})
	e0 := slices.Collect(s.All())
	s.SetEpoch(1)
	assert.Equal(t, 1, s.Epoch())
	e1 := slices.Collect(s.All())
	assert.NotEqual(t, e0, e1)
	assert.ElementsMatch(t, e0, slices.Collect(data.NewDistributedSampler(ds, 2, 1, data.DistributedSamplerOpts{Seed: 3}).All()))
	// Seed 3 at epoch 1 shuffles as seed 4 at epoch 0.
	assert.Equal(t, e1, slices.Collect(data.NewDistributedSampler(ds, 2, 1, data.DistributedSamplerOpts{Seed: 4}).All()))
	s.SetEpoch(0)
	assert.Equal(t, e0, slices.Collect(s.All()))

	// A pass reads the epoch when it starts.
	pass := s.All()
	s.SetEpoch(1)
	assert.Equal(t, e1, slices.Collect(pass))

	inOrder := data.NewDistributedSampler(ds, 2, 1, data.DistributedSamplerOpts{Shuffle: new(false)})
	first := slices.Collect(inOrder.All())
	inOrder.SetEpoch(9)
	assert.Equal(t, first, slices.Collect(inOrder.All()))
}

// TestDistributedSamplerInLoader: as a Loader's Sampler, each rank's loader
// yields that rank's samples, batched, in the sampler's order, for two
// epochs with set_epoch between them: the same batches as PyTorch's
// DataLoader(range(N), batch_size=B, sampler=DistributedSampler(...)), with
// the same len(DataLoader), with and without workers and through both
// collation paths.
func TestDistributedSamplerInLoader(t *testing.T) {
	const n, replicas, batch = 11, 3, 2
	type tc struct{ DropLast, SamplerDropLast bool }
	cases := []tc{{false, false}, {true, false}, {false, true}}
	arg, err := json.Marshal(cases)
	require.NoError(t, err)
	var want []struct {
		Len    []int         // per rank
		Epochs [][][][]int64 // per rank, per epoch, the batches' labels
	}
	pytorch.JSON(t, fmt.Sprintf(`
import json, sys
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
out = []
for c in json.loads(sys.argv[1]):
    res = {"Len": [], "Epochs": []}
    for rank in range(%[2]d):
        s = DistributedSampler(range(%[1]d), num_replicas=%[2]d, rank=rank, seed=5, drop_last=c["SamplerDropLast"])
        loader = DataLoader(range(%[1]d), batch_size=%[3]d, sampler=s, drop_last=c["DropLast"])
        epochs = []
        for epoch in range(2):
            s.set_epoch(epoch)
            epochs.append([b.tolist() for b in loader])
        res["Len"].append(len(loader))
        res["Epochs"].append(epochs)
    out.append(res)
print(json.dumps(out))
`, n, replicas, batch), &want, string(arg))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		for _, workers := range []int{0, 2} {
			for _, batched := range []bool{false, true} {
				t.Run(fmt.Sprintf("%+v workers=%d batched=%v", c, workers, batched), func(t *testing.T) {
					var ds data.Dataset = newSamples(n, 2)
					if batched {
						ds = newBatches(n, 2)
					}
					for rank := range replicas {
						s := data.NewDistributedSampler(ds, replicas, rank, data.DistributedSamplerOpts{Seed: 5, DropLast: c.SamplerDropLast})
						l := data.NewLoader(ds, data.Options{Sampler: s, BatchSize: batch, DropLast: c.DropLast, NumWorkers: workers})
						assert.Same(t, s, l.Sampler())
						assert.Equal(t, want[i].Len[rank], l.Len(), "rank %d", rank)
						for e := range 2 {
							s.SetEpoch(e)
							got := epoch(t, l, []int64{2})
							assert.Equal(t, want[i].Epochs[rank][e], got, "rank %d epoch %d", rank, e)
							// The rank's samples, in the sampler's order.
							mine := slices.Collect(s.All())
							if c.DropLast {
								mine = mine[:len(mine)/batch*batch]
							}
							assert.Equal(t, toInt64s(mine), flat(got), "rank %d epoch %d", rank, e)
						}
					}
				})
			}
		}
	}
}

func toInt64s(xs []int) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = int64(x)
	}
	return out
}

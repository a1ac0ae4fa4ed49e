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

// randomCase is one DataLoader configuration whose random draws are
// compared with PyTorch's.
type randomCase struct {
	Name      string
	Seed      uint64 // torch.manual_seed
	N         int    // dataset: range(N), sample i labelled i
	BatchSize int
	Shuffle   bool
	DropLast  bool
	Workers   int
	Prefetch  int // 0: 2
	// Gen is the DataLoader's (and the sampler's) generator: "" none,
	// "new" torch.Generator().manual_seed(GenSeed), "default"
	// torch.default_generator.
	Gen     string
	GenSeed uint64
	// Sampler replaces the default one: "" none, "replacement"
	// RandomSampler(ds, replacement=True, num_samples=NumSamples),
	// "numsamples" RandomSampler(ds, num_samples=NumSamples), "subset"
	// SubsetRandomSampler(Subset), "weighted"
	// WeightedRandomSampler(Weights, NumSamples, Replacement).
	Sampler     string
	NumSamples  int
	Subset      []int
	Weights     []float64
	Replacement bool
	// Batches > 0 passes batch_sampler=BatchSampler(sampler, Batches,
	// DropLast) instead of batch_size and drop_last, with the sampler above
	// or else RandomSampler(ds, generator=g).
	Batches int
	Epochs  int
	// Break stops each epoch after that many batches (0: run to the end).
	Break int
	// BodyDraws draws torch.rand(1) in the loop body after every batch, to
	// show when the loader's own draws happen relative to the body's.
	BodyDraws bool
}

// randomResult is what one case observes.
type randomResult struct {
	Epochs [][][]int64 // per epoch, each batch's labels
	Body   []float64   // the body's draws, in order
	After  []float64   // torch.rand(3) after the epochs
	// GenAfter is torch.rand(3, generator=g) after the epochs, for "new".
	GenAfter []float64
}

// TestLoaderRandomnessMatchesPyTorch runs each configuration in Go and in
// Python after the same torch.manual_seed and compares every batch's labels
// of every epoch, the random numbers the loop body draws between batches,
// and the next torch.rand draws after the last epoch (on the default
// generator and on the loader's own): equal draws afterwards prove that the
// loader consumed exactly as many random numbers as PyTorch's, at the same
// moments.
func TestLoaderRandomnessMatchesPyTorch(t *testing.T) {
	cases := []randomCase{
		{Name: "sequential", Seed: 0, N: 10, BatchSize: 3, Epochs: 2},
		{Name: "sequential drop_last", Seed: 1, N: 10, BatchSize: 3, DropLast: true, Epochs: 2},
		{Name: "shuffle", Seed: 0, N: 10, BatchSize: 3, Shuffle: true, Epochs: 2},
		{Name: "shuffle divides", Seed: 2, N: 12, BatchSize: 4, Shuffle: true, Epochs: 2},
		{Name: "shuffle drop_last", Seed: 3, N: 10, BatchSize: 4, Shuffle: true, DropLast: true, Epochs: 2},
		{Name: "shuffle drop_last divides", Seed: 4, N: 12, BatchSize: 3, Shuffle: true, DropLast: true, Epochs: 2},
		{Name: "shuffle batch of one", Seed: 5, N: 5, Shuffle: true, Epochs: 2},
		{Name: "shuffle MNIST-like", Seed: 42, N: 1000, BatchSize: 64, Shuffle: true, Epochs: 2},
		{Name: "shuffle body draws", Seed: 6, N: 10, BatchSize: 3, Shuffle: true, Epochs: 2, BodyDraws: true},
		{Name: "shuffle break", Seed: 7, N: 10, BatchSize: 3, Shuffle: true, Epochs: 2, Break: 1, BodyDraws: true},
		{Name: "generator", Seed: 8, N: 10, BatchSize: 3, Shuffle: true, Gen: "new", GenSeed: 123, Epochs: 2},
		{Name: "generator divides", Seed: 8, N: 12, BatchSize: 3, Shuffle: true, Gen: "new", GenSeed: 5, Epochs: 2},
		{Name: "generator drop_last", Seed: 9, N: 11, BatchSize: 4, Shuffle: true, DropLast: true, Gen: "new", GenSeed: 77, Epochs: 2},
		{Name: "generator no shuffle", Seed: 10, N: 7, BatchSize: 2, Gen: "new", GenSeed: 9, Epochs: 2},
		{Name: "generator break", Seed: 11, N: 12, BatchSize: 3, Shuffle: true, Gen: "new", GenSeed: 3, Epochs: 2, Break: 2},
		{Name: "default generator body draws", Seed: 12, N: 10, BatchSize: 3, Shuffle: true, Gen: "default", Epochs: 2, BodyDraws: true},
		{Name: "default generator divides body draws", Seed: 13, N: 9, BatchSize: 3, Shuffle: true, Gen: "default", Epochs: 2, BodyDraws: true},
		{Name: "workers", Seed: 14, N: 50, BatchSize: 4, Shuffle: true, Workers: 2, Epochs: 1, BodyDraws: true},
		{Name: "workers default generator", Seed: 15, N: 20, BatchSize: 3, Shuffle: true, Workers: 2, Gen: "default", Epochs: 1, BodyDraws: true},
		{Name: "workers default generator few batches", Seed: 16, N: 8, BatchSize: 3, Shuffle: true, Workers: 2, Prefetch: 1, Gen: "default", Epochs: 1, BodyDraws: true},
		{Name: "replacement", Seed: 17, N: 10, BatchSize: 8, Sampler: "replacement", NumSamples: 70, Epochs: 2},
		{Name: "replacement generator", Seed: 18, N: 10, BatchSize: 8, Sampler: "replacement", NumSamples: 33, Gen: "new", GenSeed: 4, Epochs: 2},
		{Name: "num_samples above n", Seed: 19, N: 7, BatchSize: 5, Sampler: "numsamples", NumSamples: 17, Epochs: 2},
		{Name: "num_samples below n", Seed: 20, N: 7, BatchSize: 2, Sampler: "numsamples", NumSamples: 4, Gen: "new", GenSeed: 1, Epochs: 2},
		{Name: "subset", Seed: 21, N: 20, BatchSize: 3, Sampler: "subset", Subset: []int{3, 5, 7, 11, 13, 17, 19}, Epochs: 2},
		{Name: "subset generator", Seed: 22, N: 20, BatchSize: 2, Sampler: "subset", Subset: []int{0, 2, 4, 6, 8}, Gen: "new", GenSeed: 8, Epochs: 2},
		{Name: "weighted", Seed: 23, N: 6, BatchSize: 4, Sampler: "weighted", Weights: []float64{0.1, 0.9, 0.4, 0.7, 3.0, 0.6}, NumSamples: 10, Replacement: true, Epochs: 2},
		{Name: "batch_sampler", Seed: 25, N: 10, Batches: 4, Epochs: 2, BodyDraws: true},
		{Name: "batch_sampler drop_last generator", Seed: 26, N: 10, Batches: 4, DropLast: true, Gen: "new", GenSeed: 6, Epochs: 2},
		{Name: "batch_sampler subset workers", Seed: 27, N: 30, Batches: 3, Sampler: "subset", Subset: []int{1, 4, 9, 16, 25, 29, 0}, Workers: 1, Epochs: 1},
		{Name: "weighted no replacement", Seed: 24, N: 6, BatchSize: 4, Sampler: "weighted", Weights: []float64{0.9, 0.4, 0.05, 0.2, 0.3, 0.1}, NumSamples: 5, Gen: "new", GenSeed: 2, Epochs: 2},
	}
	arg, err := json.Marshal(cases)
	require.NoError(t, err)
	var want []randomResult
	pytorch.JSON(t, `
import json, sys
from torch.utils.data import DataLoader, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler
out = []
for c in json.loads(sys.argv[1]):
    torch.manual_seed(c["Seed"])
    g = None
    if c["Gen"] == "new":
        g = torch.Generator().manual_seed(c["GenSeed"])
    elif c["Gen"] == "default":
        g = torch.default_generator
    ds = range(c["N"])
    kw = {"drop_last": c["DropLast"], "generator": g}
    if c["BatchSize"]:
        kw["batch_size"] = c["BatchSize"]
    if c["Workers"]:
        kw["num_workers"] = c["Workers"]
        if c["Prefetch"]:
            kw["prefetch_factor"] = c["Prefetch"]
    s = c["Sampler"]
    if s == "replacement":
        kw["sampler"] = RandomSampler(ds, replacement=True, num_samples=c["NumSamples"], generator=g)
    elif s == "numsamples":
        kw["sampler"] = RandomSampler(ds, num_samples=c["NumSamples"], generator=g)
    elif s == "subset":
        kw["sampler"] = SubsetRandomSampler(c["Subset"], generator=g)
    elif s == "weighted":
        kw["sampler"] = WeightedRandomSampler(c["Weights"], c["NumSamples"], replacement=c["Replacement"], generator=g)
    else:
        kw["shuffle"] = c["Shuffle"]
    if c["Batches"]:
        sampler = kw.pop("sampler", None) or RandomSampler(ds, generator=g)
        kw["batch_sampler"] = BatchSampler(sampler, c["Batches"], kw.pop("drop_last"))
        kw.pop("batch_size", None)
        kw.pop("shuffle", None)
    loader = DataLoader(ds, **kw)
    res = {"Epochs": [], "Body": []}
    for _ in range(c["Epochs"]):
        batches = []
        for b in loader:
            batches.append(b.tolist())
            if c["BodyDraws"]:
                res["Body"].append(torch.rand(1).item())
            if c["Break"] and len(batches) == c["Break"]:
                break
        res["Epochs"].append(batches)
    res["After"] = torch.rand(3).tolist()
    res["GenAfter"] = torch.rand(3, generator=g).tolist() if c["Gen"] == "new" else []
    out.append(res)
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(cases))

	for i, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			for _, batched := range []bool{false, true} {
				got := runRandomCase(t, c, batched)
				assert.Equal(t, want[i], got, "batched=%v", batched)
			}
		})
	}
}

// runRandomCase is the Go side of the Python script above.
func runRandomCase(t *testing.T, c randomCase, batched bool) randomResult {
	torch.ManualSeed(c.Seed)
	var g *torch.Generator
	switch c.Gen {
	case "new":
		g = torch.NewGenerator().ManualSeed(c.GenSeed)
	case "default":
		g = torch.DefaultGenerator()
	}
	var ds data.Dataset = newSamples(c.N, 1)
	if batched {
		ds = newBatches(c.N, 1)
	}
	o := data.Options{BatchSize: c.BatchSize, DropLast: c.DropLast, NumWorkers: c.Workers, Prefetch: c.Prefetch, Generator: g}
	switch c.Sampler {
	case "replacement":
		o.Sampler = data.NewRandomSampler(ds, data.RandomSamplerOpts{Replacement: true, NumSamples: c.NumSamples, Generator: g})
	case "numsamples":
		o.Sampler = data.NewRandomSampler(ds, data.RandomSamplerOpts{NumSamples: c.NumSamples, Generator: g})
	case "subset":
		o.Sampler = data.NewSubsetRandomSampler(c.Subset, data.SubsetRandomSamplerOpts{Generator: g})
	case "weighted":
		o.Sampler = data.NewWeightedRandomSampler(c.Weights, c.NumSamples, data.WeightedRandomSamplerOpts{Replacement: &c.Replacement, Generator: g})
	default:
		o.Shuffle = c.Shuffle
	}
	if c.Batches > 0 {
		sampler := o.Sampler
		if sampler == nil {
			sampler = data.NewRandomSampler(ds, data.RandomSamplerOpts{Generator: g})
		}
		o.BatchSampler = data.NewBatchSampler(sampler, c.Batches, c.DropLast)
		o.Sampler, o.BatchSize, o.DropLast = nil, 0, false
	}
	l := data.NewLoader(ds, o)
	assert.Same(t, ds, l.Dataset())
	assert.Same(t, g, l.Generator())
	res := randomResult{Epochs: [][][]int64{}, Body: []float64{}, GenAfter: []float64{}}
	for range c.Epochs {
		batches := [][]int64{}
		for images, labels := range l.All() {
			batches = append(batches, labels.Int64s())
			images.Free()
			labels.Free()
			if c.BodyDraws {
				res.Body = append(res.Body, draw(nil, 1)...)
			}
			if c.Break > 0 && len(batches) == c.Break {
				break
			}
		}
		require.NoError(t, l.Err())
		res.Epochs = append(res.Epochs, batches)
	}
	res.After = draw(nil, 3)
	if c.Gen == "new" {
		res.GenAfter = draw(g, 3)
	}
	return res
}

// draw is torch.rand(n, generator=g).tolist().
func draw(g *torch.Generator, n int64) []float64 {
	x := torch.RandGenerator([]int64{n}, g)
	defer x.Free()
	return torch.Values[float64](x)
}

// TestSamplersMatchPyTorch iterates the samplers on their own, as
// list(sampler) does, twice each, and compares the indices (or batches), the
// lengths and the generators' next draws with Python's.
func TestSamplersMatchPyTorch(t *testing.T) {
	type out struct {
		Passes   json.RawMessage
		After    []float64
		GenAfter []float64
		Len      int
	}
	var want []out
	pytorch.JSON(t, `
import json
from torch.utils.data import DataLoader, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler
res = []
def run(s, g=None):
    passes = [list(s), list(s)]
    res.append({"Passes": passes, "After": torch.rand(3).tolist(),
                "GenAfter": torch.rand(3, generator=g).tolist() if g is not None else [], "Len": len(s)})
torch.manual_seed(0); run(SequentialSampler(range(6)))
torch.manual_seed(1); run(RandomSampler(range(6)))
torch.manual_seed(2); g = torch.Generator().manual_seed(11); run(RandomSampler(range(9), generator=g), g)
torch.manual_seed(3); run(RandomSampler(range(5), replacement=True, num_samples=40))
torch.manual_seed(4); run(SubsetRandomSampler([9, 8, 7, 1]))
torch.manual_seed(5); run(WeightedRandomSampler([1, 2, 3, 4], 6))
torch.manual_seed(6); run(BatchSampler(RandomSampler(range(7)), 3, False))
torch.manual_seed(7); g = torch.Generator().manual_seed(2); run(BatchSampler(RandomSampler(range(9), generator=g), 3, True), g)
print(json.dumps(res))
`, &want)
	g1 := torch.NewGenerator().ManualSeed(11)
	g2 := torch.NewGenerator().ManualSeed(2)
	samplers := []struct {
		seed uint64
		g    *torch.Generator
		s    any
	}{
		{0, nil, data.NewSequentialSampler(newSamples(6))},
		{1, nil, data.NewRandomSampler(newSamples(6))},
		{2, g1, data.NewRandomSampler(newSamples(9), data.RandomSamplerOpts{Generator: g1})},
		{3, nil, data.NewRandomSampler(newSamples(5), data.RandomSamplerOpts{Replacement: true, NumSamples: 40})},
		{4, nil, data.NewSubsetRandomSampler([]int{9, 8, 7, 1})},
		{5, nil, data.NewWeightedRandomSampler([]float64{1, 2, 3, 4}, 6)},
		{6, nil, data.NewBatchSampler(data.NewRandomSampler(newSamples(7)), 3, false)},
		{7, g2, data.NewBatchSampler(data.NewRandomSampler(newSamples(9), data.RandomSamplerOpts{Generator: g2}), 3, true)},
	}
	require.Len(t, want, len(samplers))
	for i, c := range samplers {
		t.Run(fmt.Sprintf("%d %T", i, c.s), func(t *testing.T) {
			// The sampler was made before the seed, as in the script: making
			// one draws nothing.
			torch.ManualSeed(c.seed)
			var passes []any
			var n int
			switch s := c.s.(type) {
			case data.Sampler[int]:
				for range 2 {
					passes = append(passes, slices.Collect(s.All()))
				}
				n = s.Len()
			case data.Sampler[[]int]:
				for range 2 {
					passes = append(passes, slices.Collect(s.All()))
				}
				n = s.Len()
			}
			got, err := json.Marshal(passes)
			require.NoError(t, err)
			assert.JSONEq(t, string(want[i].Passes), string(got))
			assert.Equal(t, want[i].Len, n)
			assert.Equal(t, want[i].After, draw(nil, 3))
			if c.g != nil {
				assert.Equal(t, want[i].GenAfter, draw(c.g, 3))
			}
		})
	}
}

// TestSamplerErrors: the samplers' constructors refuse what PyTorch's
// refuse, with PyTorch's ValueError messages, and a sampler failing in
// libtorch during an epoch (torch.multinomial refusing the weights) ends the
// epoch before any batch with an Err that carries libtorch's message, as
// DataLoader's first next() raises it.
func TestSamplerErrors(t *testing.T) {
	var want struct{ Ctor, Iter []string }
	pytorch.JSON(t, `
import json
from torch.utils.data import DataLoader, SequentialSampler, RandomSampler, WeightedRandomSampler, BatchSampler
out = {"Ctor": [], "Iter": []}
for f in [lambda: RandomSampler(range(5), num_samples=-1), lambda: RandomSampler(range(0)),
          lambda: BatchSampler(SequentialSampler(range(3)), 0, False), lambda: WeightedRandomSampler([1, 2], 0)]:
    try:
        f()
        out["Ctor"].append("")
    except ValueError as e:
        out["Ctor"].append(str(e))
for s in [WeightedRandomSampler([1, -1, 2], 2), WeightedRandomSampler([1, 1], 3, replacement=False)]:
    try:
        next(iter(DataLoader(range(3), sampler=s)))
        out["Iter"].append("")
    except RuntimeError as e:
        out["Iter"].append(str(e))
print(json.dumps(out))
`, &want)
	ctors := []func(){
		func() { data.NewRandomSampler(newSamples(5), data.RandomSamplerOpts{NumSamples: -1}) },
		func() { data.NewRandomSampler(newSamples(0)) },
		func() { data.NewBatchSampler(data.NewSequentialSampler(newSamples(3)), 0, false) },
		func() { data.NewWeightedRandomSampler([]float64{1, 2}, 0) },
	}
	require.Len(t, want.Ctor, len(ctors))
	for i, f := range ctors {
		require.NotEmpty(t, want.Ctor[i])
		var te *torch.Error
		require.ErrorAs(t, torch.Catch(f), &te, want.Ctor[i])
		assert.Equal(t, torch.KindValue, te.Kind)
		assert.Equal(t, want.Ctor[i], te.Msg)
	}

	samplers := []data.Sampler[int]{
		data.NewWeightedRandomSampler([]float64{1, -1, 2}, 2),
		data.NewWeightedRandomSampler([]float64{1, 1}, 3, data.WeightedRandomSamplerOpts{Replacement: new(false)}),
	}
	require.Len(t, want.Iter, len(samplers))
	for i, s := range samplers {
		require.NotEmpty(t, want.Iter[i])
		for _, workers := range []int{0, 2} {
			l := data.NewLoader(newSamples(3), data.Options{Sampler: s, NumWorkers: workers})
			for range l.All() {
				t.Fatal("no batch expected")
			}
			err := l.Err()
			require.Error(t, err)
			assert.Contains(t, err.Error(), want.Iter[i])
			assert.Contains(t, err.Error(), "batch 0")
			assert.Contains(t, err.Error(), "sampler")
		}
	}

	// A RandomSampler whose data source became empty after it was made.
	ds := newSamples(4)
	l := data.NewLoader(ds, data.Options{Shuffle: true})
	ds.n = 0
	for range l.All() {
		t.Fatal("no batch expected")
	}
	assert.ErrorContains(t, l.Err(), "cannot permute an empty data source")
}

package data_test

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
)

// epoch ranges over one epoch and returns each batch's labels, after checking
// that every batch is [B, sample shape...] float32 with images that belong to
// its labels (see samples) and [B] int64 labels. It frees the batches.
func epoch(t *testing.T, l *data.Loader, shape []int64) [][]int64 {
	t.Helper()
	var out [][]int64
	per := 1
	for _, d := range shape {
		per *= int(d)
	}
	for images, labels := range l.All() {
		require.Equal(t, torch.Float32, images.DType())
		require.Equal(t, torch.Int64, labels.DType())
		ls := labels.Int64s()
		require.Equal(t, append(torch.Size{int64(len(ls))}, shape...), images.Shape())
		require.Equal(t, torch.Size{int64(len(ls))}, labels.Shape())
		vals := images.Float32s()
		for k, label := range ls {
			require.Equal(t, float32(label*1000), vals[k*per], "image %d of the batch is not sample %d", k, label)
			require.Equal(t, float32(label*1000+int64(per-1)), vals[(k+1)*per-1])
		}
		out = append(out, ls)
		images.Free()
		labels.Free()
	}
	require.NoError(t, l.Err())
	return out
}

func sizes(bs [][]int64) []int {
	out := make([]int, len(bs))
	for i, b := range bs {
		out[i] = len(b)
	}
	return out
}

func flat(bs [][]int64) []int64 { return slices.Concat(bs...) }

// TestBatchCountsMatchPyTorch compares Len and every batch's size with
// len(DataLoader) and the batches PyTorch itself yields, for both collation
// paths, with and without workers.
func TestBatchCountsMatchPyTorch(t *testing.T) {
	type tc struct {
		N, BatchSize int
		DropLast     bool
	}
	cases := []tc{
		{10, 3, false}, {10, 3, true}, {9, 3, false}, {9, 3, true},
		{2, 5, false}, {2, 5, true}, {0, 4, false}, {7, 0, false},
		{1, 1, true}, {100, 64, false}, {100, 64, true}, {64, 64, true},
	}
	arg, err := json.Marshal(cases)
	require.NoError(t, err)
	var want []struct {
		Len   int
		Sizes []int
	}
	pytorch.JSON(t, `
import json, sys
from torch.utils.data import DataLoader
out = []
for c in json.loads(sys.argv[1]):
    kw = {"drop_last": c["DropLast"]}
    if c["BatchSize"]:
        kw["batch_size"] = c["BatchSize"]
    dl = DataLoader(range(c["N"]), **kw)
    out.append({"Len": len(dl), "Sizes": [len(b) for b in dl]})
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(cases))

	for i, c := range cases {
		for _, workers := range []int{0, 3} {
			for _, batched := range []bool{false, true} {
				t.Run(fmt.Sprintf("%+v/workers=%d/batched=%v", c, workers, batched), func(t *testing.T) {
					var ds data.Dataset = newSamples(c.N)
					if batched {
						ds = newBatches(c.N)
					}
					l := data.NewLoader(ds, data.Options{BatchSize: c.BatchSize, DropLast: c.DropLast, NumWorkers: workers})
					assert.Equal(t, want[i].Len, l.Len())
					got := epoch(t, l, []int64{2, 3, 4})
					assert.Equal(t, want[i].Sizes, sizes(got))
					// Without shuffle the order is the dataset's.
					for j, label := range flat(got) {
						require.EqualValues(t, j, label)
					}
				})
			}
		}
	}
}

// TestCollationPaths checks that a BatchDataset is collated through GetBatch
// (no per-sample Get) and a plain Dataset through Get, and that both give the
// same tensors.
func TestCollationPaths(t *testing.T) {
	shape := []int64{3, 5, 2}
	plain, batched := newSamples(23, shape...), newBatches(23, shape...)
	opts := data.Options{BatchSize: 4, NumWorkers: 2}
	var a, b []*torch.Tensor
	for x, y := range data.NewLoader(plain, opts).All() {
		a = append(a, x, y)
	}
	for x, y := range data.NewLoader(batched, opts).All() {
		b = append(b, x, y)
	}
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i].Shape(), b[i].Shape())
		assert.Equal(t, a[i].DType(), b[i].DType())
		assert.Equal(t, torch.Values[float64](a[i]), torch.Values[float64](b[i]))
	}
	assert.EqualValues(t, 23, plain.gets.Load())
	assert.EqualValues(t, 0, batched.gets.Load(), "a BatchDataset must not be read sample by sample")
	assert.EqualValues(t, 6, batched.calls.Load())
}

// TestShuffle: every index exactly once per epoch, a new order each epoch,
// and the same sequence of orders from a Generator seeded the same.
func TestShuffle(t *testing.T) {
	const n = 103
	shape := []int64{2, 3, 4}
	run := func(seed uint64, workers int) [][]int64 {
		l := data.NewLoader(newBatches(n), data.Options{BatchSize: 10, Shuffle: true, Generator: torch.NewGenerator().ManualSeed(seed), NumWorkers: workers})
		var epochs [][]int64
		for range 3 {
			bs := epoch(t, l, shape)
			require.Equal(t, []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3}, sizes(bs))
			epochs = append(epochs, flat(bs))
		}
		return epochs
	}
	identity := make([]int64, n)
	for i := range identity {
		identity[i] = int64(i)
	}
	a := run(42, 0)
	for e, order := range a {
		assert.ElementsMatch(t, identity, order, "epoch %d must hold every index once", e)
		assert.NotEqual(t, identity, order, "epoch %d is not shuffled", e)
	}
	assert.NotEqual(t, a[0], a[1])
	assert.NotEqual(t, a[1], a[2])
	assert.Equal(t, a, run(42, 0), "same seed, same orders")
	assert.Equal(t, a, run(42, 4), "the order does not depend on the workers")
	assert.NotEqual(t, a, run(43, 0), "another seed, other orders")
}

// TestNoGeneratorFollowsManualSeed: without a Generator the shuffle is drawn
// from torch's default generator, so torch.ManualSeed reproduces it, as in
// PyTorch.
func TestNoGeneratorFollowsManualSeed(t *testing.T) {
	run := func() [][]int64 {
		l := data.NewLoader(newSamples(50), data.Options{BatchSize: 50, Shuffle: true})
		return [][]int64{flat(epoch(t, l, []int64{2, 3, 4})), flat(epoch(t, l, []int64{2, 3, 4}))}
	}
	torch.ManualSeed(7)
	a := run()
	torch.ManualSeed(7)
	assert.Equal(t, a, run())
	assert.NotEqual(t, a[0], a[1])
	torch.ManualSeed(8)
	assert.NotEqual(t, a, run())
}

// TestOrderIndependentOfWorkers: the batches, in order, are the same for
// every NumWorkers and Prefetch, as PyTorch's in-order delivery promises.
func TestOrderIndependentOfWorkers(t *testing.T) {
	shape := []int64{2, 3, 4}
	for _, batched := range []bool{false, true} {
		var want [][]int64
		for _, o := range []data.Options{
			{NumWorkers: 0}, {NumWorkers: 1}, {NumWorkers: 4}, {NumWorkers: 4, Prefetch: 1},
			{NumWorkers: 3, Prefetch: 7}, {NumWorkers: 64},
		} {
			o.BatchSize, o.Shuffle, o.Generator = 7, true, torch.NewGenerator().ManualSeed(99)
			var ds data.Dataset = newSamples(200)
			if batched {
				ds = newBatches(200)
			}
			got := epoch(t, data.NewLoader(ds, o), shape)
			if want == nil {
				want = got
				continue
			}
			assert.Equal(t, want, got, "batched=%v %+v", batched, o)
		}
	}
}

// settled waits for the goroutine count to come back down to at most n (a
// goroutine that has called wg.Done may take a moment to be gone) and
// reports what it saw.
func settled(n int) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		g := runtime.NumGoroutine()
		if g <= n || time.Now().After(deadline) {
			return g
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// collectGarbage frees, through their cleanups, the tensors earlier tests
// left to the garbage collector, so that they cannot be released in the
// middle of a measurement of native memory.
func collectGarbage() {
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestEarlyBreakStopsWorkers: leaving the loop early, or a panic in its body,
// stops every worker, and the batches they built ahead are freed at once.
func TestEarlyBreakStopsWorkers(t *testing.T) {
	for _, workers := range []int{1, 4, 16} {
		for _, stopAt := range []int{0, 1, 5} {
			t.Run(fmt.Sprintf("workers=%d/stop=%d", workers, stopAt), func(t *testing.T) {
				collectGarbage()
				before := runtime.NumGoroutine()
				mem := torch.MemoryAllocated(torch.CPU)
				l := data.NewLoader(newBatches(1000, 1, 28, 28), data.Options{BatchSize: 10, NumWorkers: workers, Prefetch: 4})
				seen := 0
				for images, labels := range l.All() {
					images.Free()
					labels.Free()
					if seen == stopAt {
						break
					}
					seen++
				}
				require.NoError(t, l.Err())
				assert.Equal(t, stopAt, seen)
				assert.LessOrEqual(t, settled(before), before, "worker goroutines left running")
				assert.Equal(t, mem, torch.MemoryAllocated(torch.CPU), "batches built ahead were not freed")
			})
		}
	}
	t.Run("panic in loop body", func(t *testing.T) {
		before := runtime.NumGoroutine()
		l := data.NewLoader(newBatches(1000), data.Options{BatchSize: 10, NumWorkers: 4})
		assert.PanicsWithValue(t, "body", func() {
			for range l.All() {
				panic("body")
			}
		})
		assert.LessOrEqual(t, settled(before), before, "worker goroutines left running")
	})
}

// TestErrors: a failing GetBatch, samples of different shapes, a nil image
// and a bad SampleShape end the epoch before the batch concerned, and Err
// says which and why; the next clean epoch clears Err.
func TestErrors(t *testing.T) {
	for _, workers := range []int{0, 1, 4} {
		t.Run(fmt.Sprintf("GetBatch/workers=%d", workers), func(t *testing.T) {
			before := runtime.NumGoroutine()
			ds := newBatches(100)
			ds.failAt.Store(35) // batch 3 with batches of 10
			l := data.NewLoader(ds, data.Options{BatchSize: 10, NumWorkers: workers})
			got := 0
			for images, labels := range l.All() {
				assert.EqualValues(t, got*10, labels.Int64s()[0])
				images.Free()
				labels.Free()
				got++
			}
			assert.Equal(t, 3, got, "the batches before the failing one still arrive")
			err := l.Err()
			require.Error(t, err)
			assert.ErrorIs(t, err, errBroken)
			assert.Contains(t, err.Error(), "batch 3")
			assert.Contains(t, err.Error(), "GetBatch")
			assert.Contains(t, err.Error(), "index 35")
			assert.LessOrEqual(t, settled(before), before)

			ds.failAt.Store(-1)
			assert.Len(t, epoch(t, l, []int64{2, 3, 4}), 10)
			assert.NoError(t, l.Err())
		})
	}
	t.Run("shapes differ", func(t *testing.T) {
		l := data.NewLoader(&mixedShapes{samples: newSamples(10)}, data.Options{BatchSize: 4})
		n := 0
		for range l.All() {
			n++
		}
		assert.Equal(t, 1, n)
		require.Error(t, l.Err())
		assert.Contains(t, l.Err().Error(), "Get(6) has shape torch.Size([3, 4]), want torch.Size([2, 3, 4])")
	})
	t.Run("nil image", func(t *testing.T) {
		l := data.NewLoader(nilImages{}, data.Options{BatchSize: 2, NumWorkers: 2})
		for range l.All() {
			t.Fatal("no batch expected")
		}
		require.Error(t, l.Err())
		assert.Contains(t, l.Err().Error(), "Get(0) returned a nil image")
	})
	for _, shape := range [][]int64{{}, {1, 0, 3}, {-1, 28}} {
		t.Run(fmt.Sprintf("SampleShape %v", shape), func(t *testing.T) {
			l := data.NewLoader(newBatches(10, shape...), data.Options{BatchSize: 2})
			if len(shape) == 0 {
				l = data.NewLoader(emptyShape{newBatches(10)}, data.Options{BatchSize: 2})
			}
			for range l.All() {
				t.Fatal("no batch expected")
			}
			require.Error(t, l.Err())
			assert.Contains(t, l.Err().Error(), "SampleShape()")
		})
	}
}

type mixedShapes struct{ *samples }

// Get gives samples from 6 on a smaller shape.
func (m *mixedShapes) Get(i int) (*torch.Tensor, int64) {
	if i >= 6 {
		return torch.Zeros([]int64{3, 4}), int64(i)
	}
	return m.samples.Get(i)
}

type nilImages struct{}

func (nilImages) Len() int                       { return 4 }
func (nilImages) Get(int) (*torch.Tensor, int64) { return nil, 0 }

type emptyShape struct{ *batches }

func (emptyShape) SampleShape() []int64 { return nil }

// TestWorkerPanic: a dataset bug that panics inside a worker is raised again
// on the looping goroutine (where the caller can see and recover it), and the
// other workers still stop.
func TestWorkerPanic(t *testing.T) {
	for _, workers := range []int{0, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			before := runtime.NumGoroutine()
			ds := newBatches(100)
			ds.panicAt.Store(42)
			l := data.NewLoader(ds, data.Options{BatchSize: 10, NumWorkers: workers})
			var got any
			n := 0
			func() {
				defer func() { got = recover() }()
				for range l.All() {
					n++
				}
			}()
			assert.Equal(t, 4, n)
			require.IsType(t, "", got)
			assert.Contains(t, got, "batch 4")
			assert.Contains(t, got, "boom at index 42")
			assert.Contains(t, got, "GetBatch", "the worker's stack is included")
			assert.LessOrEqual(t, settled(before), before)
		})
	}
}

// TestOptions: PyTorch's defaults for zero values, and bad values and
// combinations rejected with PyTorch's ValueError messages (compared with
// DataLoader's own).
func TestOptions(t *testing.T) {
	l := data.NewLoader(newSamples(5), data.Options{})
	assert.Equal(t, 5, l.Len(), "batch_size defaults to 1")
	assert.Equal(t, []int{1, 1, 1, 1, 1}, sizes(epoch(t, l, []int64{2, 3, 4})))

	seq := data.NewSequentialSampler(newSamples(5))
	batches := data.NewBatchSampler(seq, 2, false)
	cases := []struct {
		py   string
		opts data.Options
		ds   data.Dataset
	}{
		{"DataLoader(range(5), batch_size=-1)", data.Options{BatchSize: -1}, nil},
		{"DataLoader(range(5), num_workers=-2)", data.Options{NumWorkers: -2}, nil},
		{"DataLoader(range(5), sampler=SequentialSampler(range(5)), shuffle=True)", data.Options{Sampler: seq, Shuffle: true}, nil},
		{"DataLoader(range(5), batch_sampler=BatchSampler(SequentialSampler(range(5)), 2, False), batch_size=2)", data.Options{BatchSampler: batches, BatchSize: 2}, nil},
		{"DataLoader(range(5), batch_sampler=BatchSampler(SequentialSampler(range(5)), 2, False), shuffle=True)", data.Options{BatchSampler: batches, Shuffle: true}, nil},
		{"DataLoader(range(5), batch_sampler=BatchSampler(SequentialSampler(range(5)), 2, False), sampler=SequentialSampler(range(5)))", data.Options{BatchSampler: batches, Sampler: seq}, nil},
		{"DataLoader(range(5), batch_sampler=BatchSampler(SequentialSampler(range(5)), 2, False), drop_last=True)", data.Options{BatchSampler: batches, DropLast: true}, nil},
		{"DataLoader(range(0), shuffle=True)", data.Options{Shuffle: true}, newSamples(0)},
	}
	var script strings.Builder
	script.WriteString("import json\nfrom torch.utils.data import DataLoader, SequentialSampler, BatchSampler\nout = []\n")
	for _, c := range cases {
		fmt.Fprintf(&script, "try:\n    %s\n    out.append('')\nexcept ValueError as e:\n    out.append(str(e))\n", c.py)
	}
	script.WriteString("print(json.dumps(out))\n")
	var want []string
	pytorch.JSON(t, script.String(), &want)
	require.Len(t, want, len(cases))
	for i, c := range cases {
		require.NotEmpty(t, want[i], c.py)
		ds := c.ds
		if ds == nil {
			ds = newSamples(5)
		}
		err := torch.Catch(func() { data.NewLoader(ds, c.opts) })
		var te *torch.Error
		require.ErrorAs(t, err, &te, c.py)
		assert.Equal(t, torch.KindValue, te.Kind, c.py)
		assert.Equal(t, want[i], te.Msg, c.py)
	}
	// BatchSize 1, PyTorch's default, goes with a BatchSampler.
	l = data.NewLoader(newSamples(5), data.Options{BatchSampler: batches, BatchSize: 1})
	assert.Equal(t, 3, l.Len())
	assert.Same(t, batches, l.BatchSampler())

	err := torch.Catch(func() { data.NewLoader(newSamples(5), data.Options{Prefetch: -3}) })
	assert.ErrorContains(t, err, "prefetch_factor option should be positive, but got prefetch_factor=-3")
	err = torch.Catch(func() { data.NewLoader(nil, data.Options{}) })
	assert.ErrorContains(t, err, "data.NewLoader: dataset is nil")
}

// TestPinMemory: asking for pinned memory never fails; where libtorch has no
// CUDA the batches are the ordinary ones.
func TestPinMemory(t *testing.T) {
	for _, workers := range []int{0, 2} {
		l := data.NewLoader(newBatches(30), data.Options{BatchSize: 8, PinMemory: true, NumWorkers: workers})
		got := epoch(t, l, []int64{2, 3, 4})
		assert.Equal(t, []int{8, 8, 8, 6}, sizes(got))
		// The Stack path pins too.
		l = data.NewLoader(newSamples(30), data.Options{BatchSize: 8, PinMemory: true, NumWorkers: workers})
		assert.Equal(t, got, epoch(t, l, []int64{2, 3, 4}))
	}
}

// TestConcurrentEpochs runs epochs of one Loader from several goroutines at
// once (for the race detector) and checks each is a whole permutation.
func TestConcurrentEpochs(t *testing.T) {
	l := data.NewLoader(newBatches(97), data.Options{BatchSize: 8, Shuffle: true, Generator: torch.NewGenerator().ManualSeed(3), NumWorkers: 2})
	orders := make([][]int64, 4)
	done := make(chan int)
	for g := range orders {
		go func() {
			defer func() { done <- g }()
			for _, labels := range l.All() {
				orders[g] = append(orders[g], labels.Int64s()...)
			}
		}()
	}
	for range orders {
		<-done
	}
	require.NoError(t, l.Err())
	seen := map[string]bool{}
	for _, o := range orders {
		require.Len(t, o, 97)
		s := slices.Clone(o)
		slices.Sort(s)
		for i, v := range s {
			require.EqualValues(t, i, v)
		}
		seen[fmt.Sprint(o)] = true
	}
	assert.Len(t, seen, len(orders), "every epoch has its own shuffle")
}

// A batch size far beyond the dataset is one batch of everything, as in
// PyTorch: math.MaxInt panicked allocating the batch, and Len overflowed
// to zero batches (issue 14).
func TestHugeBatchSize(t *testing.T) {
	for _, bs := range []int{6, 1 << 40, math.MaxInt} {
		l := data.NewLoader(newSamples(5), data.Options{BatchSize: bs})
		assert.Equal(t, 1, l.Len(), "batch size %d", bs)
		assert.Equal(t, []int{5}, sizes(epoch(t, l, []int64{2, 3, 4})), "batch size %d", bs)
		s := data.NewBatchSampler(data.NewSequentialSampler(newSamples(5)), bs, true)
		assert.Equal(t, 0, s.Len(), "drop_last: no full batch")
	}
}

package data

import (
	"fmt"
	"iter"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Loader is PyTorch's torch.utils.data.DataLoader: it iterates a Dataset in
// mini-batches, shuffled per epoch if asked, optionally with worker
// goroutines building batches ahead.
//
// A Loader may be iterated any number of times, each time a new epoch. The
// yielded tensors belong to the caller: the Loader never frees or reuses
// them (as in PyTorch, a batch stays valid after the loop moves on); Free
// them for deterministic memory release, or leave them to the garbage
// collector. Everything the Loader makes on the way (per-sample tensors,
// batches built ahead but never yielded after an early break) it frees
// itself.
//
// Its methods are safe for concurrent use: two goroutines may run epochs of
// one Loader at once (each gets its own shuffle), though they then share
// what Err reports.
type Loader struct {
	ds   Dataset
	bds  BatchDataset // ds, when it can build whole batches; else nil
	opts Options

	epoch     atomic.Uint64 // shuffled epochs started, for the per-epoch seed
	pinFailed atomic.Bool
	bufs      sync.Pool // *buffers

	mu  sync.Mutex
	err error
}

// NewLoader is DataLoader(dataset, batch_size=..., shuffle=..., ...). A
// dataset that implements BatchDataset is collated with GetBatch, one copy
// per batch; any other Dataset with torch.Stack over Get's samples. It
// panics on a nil dataset or a negative option, which are programming
// errors (PyTorch raises ValueError).
func NewLoader(ds Dataset, opts Options) *Loader {
	if ds == nil {
		panic("data.NewLoader: nil Dataset")
	}
	l := &Loader{ds: ds, opts: opts.withDefaults()}
	l.bds, _ = ds.(BatchDataset)
	return l
}

// Len is len(DataLoader): the number of batches in one epoch, counting the
// last partial batch unless DropLast.
func (l *Loader) Len() int {
	return l.numBatches(l.ds.Len())
}

func (l *Loader) numBatches(n int) int {
	if n <= 0 {
		return 0
	}
	bs := l.opts.BatchSize
	if l.opts.DropLast {
		return n / bs
	}
	return (n + bs - 1) / bs
}

// Err is the error that ended the most recent iteration over All early, or
// nil when it ran to the end or was stopped by the caller. Like
// bufio.Scanner's Err it is checked after the loop, because a range-over-func
// iterator has no error to return: a failing GetBatch, a libtorch error
// while collating, or samples of different shapes stop the iteration before
// the batch they concern, and Err says which batch and why.
func (l *Loader) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

func (l *Loader) setErr(err error) {
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
}

// All is iter(DataLoader): one epoch of (images, labels) batches, images
// [B, C, H, W] (the dataset's sample shape with the batch in front) and
// labels [B] int64. Each iteration over the returned sequence is a new
// epoch with a new shuffle. Batches come in sample order whatever
// NumWorkers is. Breaking out of the loop stops and waits for the workers
// before the loop statement finishes, so none is left running. After the
// loop, Err reports an error that cut the epoch short.
//
// A worker panic that is not a libtorch error (a bug in the dataset) is
// raised again on the goroutine running the loop, with the worker's stack.
func (l *Loader) All() iter.Seq2[*torch.Tensor, *torch.Tensor] {
	return func(yield func(*torch.Tensor, *torch.Tensor) bool) {
		l.setErr(nil)
		n := l.ds.Len()
		if n < 0 {
			l.setErr(fmt.Errorf("data: %T.Len() = %d, want >= 0", l.ds, n))
			return
		}
		shape, per, err := l.checkSampleShape()
		if err != nil {
			l.setErr(err)
			return
		}
		e := &epochPlan{order: l.epochOrder(n), batches: l.numBatches(n), size: l.opts.BatchSize, shape: shape, per: per}
		if l.opts.NumWorkers == 0 {
			l.runInline(e, yield)
		} else {
			l.runWorkers(e, yield)
		}
	}
}

// checkSampleShape validates a BatchDataset's SampleShape once per epoch and
// returns it with the number of values in one sample.
func (l *Loader) checkSampleShape() ([]int64, int64, error) {
	if l.bds == nil {
		return nil, 0, nil
	}
	shape := slices.Clone(l.bds.SampleShape())
	per := int64(1)
	for _, d := range shape {
		if d <= 0 {
			per = 0
			break
		}
		per *= d
	}
	if per == 0 || len(shape) == 0 {
		return nil, 0, fmt.Errorf("data: %T.SampleShape() = %v, want at least one dimension, all positive", l.ds, shape)
	}
	return shape, per, nil
}

// epochPlan is what one epoch needs: the sample order cut into batches.
type epochPlan struct {
	order   []int
	batches int
	size    int
	shape   []int64 // a BatchDataset's sample shape
	per     int64   // values per sample for a BatchDataset
}

func (e *epochPlan) indices(b int) []int {
	return e.order[b*e.size : min((b+1)*e.size, len(e.order))]
}

func (l *Loader) getBuf() *buffers {
	if b, ok := l.bufs.Get().(*buffers); ok {
		return b
	}
	return &buffers{}
}

// deliver hands batch b to the loop body and says whether to go on.
func (l *Loader) deliver(b int, r batch, yield func(*torch.Tensor, *torch.Tensor) bool) bool {
	if r.panicked != nil {
		panic(fmt.Sprintf("data: panic while collating batch %d of %T: %v\n\ncollating goroutine's stack:\n%s",
			b, l.ds, r.panicked, r.stack))
	}
	if r.err != nil {
		l.setErr(r.err)
		return false
	}
	return yield(r.images, r.labels)
}

// runInline is num_workers=0: each batch is built when the loop asks for it.
func (l *Loader) runInline(e *epochPlan, yield func(*torch.Tensor, *torch.Tensor) bool) {
	buf := l.getBuf()
	defer l.bufs.Put(buf)
	for b := range e.batches {
		if !l.deliver(b, l.safeCollate(e, b, buf), yield) {
			return
		}
	}
}

// runWorkers is num_workers>0, arranged as PyTorch does it: batch b goes to
// worker b % W, each worker keeps at most Prefetch batches in flight, and the
// consumer takes batches from the workers in turn, which keeps them in
// order without a reorder buffer.
func (l *Loader) runWorkers(e *epochPlan, yield func(*torch.Tensor, *torch.Tensor) bool) {
	w := min(l.opts.NumWorkers, e.batches) // no worker without a batch
	if w == 0 {
		return
	}
	done := make(chan struct{})
	outs := make([]chan batch, w)
	var wg sync.WaitGroup
	for i := range outs {
		// One batch is being built or blocked on send outside the buffer, so
		// Prefetch-1 slots make Prefetch in flight.
		outs[i] = make(chan batch, l.opts.Prefetch-1)
		wg.Add(1)
		go l.work(i, w, e, outs[i], done, &wg)
	}
	// Runs on normal end, early break and a panic in the loop body alike:
	// stop the workers, wait for them, and free what they built in vain.
	defer func() {
		close(done)
		wg.Wait()
		for _, out := range outs {
			for r := range out {
				r.free()
			}
		}
	}()
	for b := range e.batches {
		r, ok := <-outs[b%w]
		if !ok {
			// The worker stopped after delivering an error at an earlier
			// batch; deliver ended the loop there, so this is unreachable.
			panic(fmt.Sprintf("data: worker %d closed before batch %d", b%w, b))
		}
		if !l.deliver(b, r, yield) {
			return
		}
	}
}

// work builds batches first, first+stride, ... until the epoch ends, an error
// stops it, or done is closed.
func (l *Loader) work(first, stride int, e *epochPlan, out chan<- batch, done <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	defer close(out)
	buf := l.getBuf()
	defer l.bufs.Put(buf)
	for b := first; b < e.batches; b += stride {
		select {
		case <-done:
			return
		default:
		}
		r := l.safeCollate(e, b, buf)
		select {
		case out <- r:
		case <-done:
			r.free()
			return
		}
		if r.err != nil || r.panicked != nil {
			return
		}
	}
}

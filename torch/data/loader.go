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
// mini-batches, in the order a sampler gives (shuffled per epoch if asked),
// optionally with worker goroutines building batches ahead.
//
// A Loader may be iterated any number of times, each time a new epoch. The
// yielded tensors belong to the caller: the Loader never frees or reuses
// them (as in PyTorch, a batch stays valid after the loop moves on); Free
// them for deterministic memory release, or leave them to the garbage
// collector. Everything the Loader makes on the way (per-sample tensors,
// batches built ahead but never yielded after an early break) it frees
// itself.
//
// Random numbers are drawn exactly as PyTorch's DataLoader draws them (see
// All), so after the same torch.ManualSeed (or with the same seeded
// Generator) an epoch visits the samples in the same order as in Python and
// leaves the generators in the same state.
//
// Its methods are safe for concurrent use: two goroutines may run epochs of
// one Loader at once (each gets its own shuffle, though which draws each
// gets then depends on timing), and they share what Err reports.
type Loader struct {
	ds           Dataset
	bds          BatchDataset // ds, when it can build whole batches; else nil
	opts         Options
	sampler      Sampler[int]
	batchSampler Sampler[[]int]

	pinFailed atomic.Bool
	bufs      sync.Pool // *buffers

	mu  sync.Mutex
	err error
}

// NewLoader is DataLoader(dataset, batch_size=..., shuffle=..., ...). As
// in PyTorch, the sampler is Options.Sampler, else a RandomSampler with
// Options.Generator when Shuffle is set, else a SequentialSampler; batches
// come from Options.BatchSampler, else from a BatchSampler over that
// sampler with BatchSize and DropLast.
//
// A dataset that implements BatchDataset is collated with GetBatch, one copy
// per batch; any other Dataset with torch.Stack over Get's samples. It
// panics, with a *torch.Error of kind ValueError and PyTorch's message, on a
// nil dataset, a negative option, options that exclude each other (Sampler
// with Shuffle; BatchSampler with BatchSize, Shuffle, Sampler or DropLast)
// and Shuffle over an empty dataset, which are programming errors (PyTorch
// raises ValueError).
func NewLoader(ds Dataset, opts Options) *Loader {
	if ds == nil {
		panic(valueError("data.NewLoader", "dataset is nil"))
	}
	o := opts.withDefaults()
	l := &Loader{ds: ds, opts: o, sampler: o.Sampler, batchSampler: o.BatchSampler}
	if l.sampler == nil {
		if o.Shuffle {
			l.sampler = NewRandomSampler(ds, RandomSamplerOpts{Generator: o.Generator})
		} else {
			l.sampler = NewSequentialSampler(ds)
		}
	}
	if l.batchSampler == nil {
		if o.BatchSize < 0 {
			panic(valueError("data.NewLoader", "batch_size should be a positive integer value, but got batch_size=%d", o.BatchSize))
		}
		l.batchSampler = NewBatchSampler(l.sampler, o.BatchSize, o.DropLast)
	}
	l.bds, _ = ds.(BatchDataset)
	return l
}

// Dataset is DataLoader.dataset: the dataset the Loader reads.
func (l *Loader) Dataset() Dataset { return l.ds }

// Sampler is DataLoader.sampler: Options.Sampler or the RandomSampler or
// SequentialSampler NewLoader made. As in PyTorch, it is there (and
// unused) when a BatchSampler was given.
func (l *Loader) Sampler() Sampler[int] { return l.sampler }

// BatchSampler is DataLoader.batch_sampler: Options.BatchSampler or the
// BatchSampler NewLoader made.
func (l *Loader) BatchSampler() Sampler[[]int] { return l.batchSampler }

// Generator is DataLoader.generator: Options.Generator, nil for the
// default generator.
func (l *Loader) Generator() *torch.Generator { return l.opts.Generator }

// Len is len(DataLoader): the number of batches in one epoch, the batch
// sampler's Len (counting the last partial batch unless DropLast).
func (l *Loader) Len() int {
	return l.batchSampler.Len()
}

// Err is the error that ended the most recent iteration over All early, or
// nil when it ran to the end or was stopped by the caller. Like
// bufio.Scanner's Err it is checked after the loop, because a range-over-func
// iterator has no error to return: a failing GetBatch, a libtorch error
// while collating or sampling, or samples of different shapes stop the
// iteration before the batch they concern, and Err says which batch and
// why.
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
// Random numbers, as in PyTorch 1.13 and 2.x: starting an epoch draws a
// base seed, torch.empty((), dtype=torch.int64).random_(generator=...), from
// Options.Generator (nil: the default generator), with or without Shuffle.
// Then the batch sampler is asked for indices: with NumWorkers 0 one batch
// at a time, when the loop asks for it; with workers, as PyTorch's main
// process does, Prefetch*NumWorkers batches ahead at the start and one more
// each time a batch is handed over. A RandomSampler without a generator
// draws its seed from the default generator when the first index is asked
// for and shuffles with a generator of its own (torch.randperm); with
// Options.Generator both the base seed and the permutations come from it.
// PyTorch gives each worker process base seed + worker id as its seed;
// worker goroutines share the process's generators instead, so the base
// seed is drawn only to keep every generator in step with PyTorch's, and a
// dataset whose Get draws torch random numbers draws them in an order that
// depends on scheduling when NumWorkers > 0.
//
// A worker panic that is not a libtorch error (a bug in the dataset) is
// raised again on the goroutine running the loop, with the worker's stack.
func (l *Loader) All() iter.Seq2[*torch.Tensor, *torch.Tensor] {
	return func(yield func(*torch.Tensor, *torch.Tensor) bool) {
		l.setErr(nil)
		randomInt64(l.opts.Generator) // _BaseDataLoaderIter._base_seed
		shape, per, err := l.checkSampleShape()
		if err != nil {
			l.setErr(err)
			return
		}
		e := &epochPlan{shape: shape, per: per}
		next, stop := iter.Pull(l.batchSampler.All())
		defer stop()
		if l.opts.NumWorkers == 0 {
			l.runInline(e, next, yield)
		} else {
			l.runWorkers(e, next, yield)
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

// epochPlan is what every batch of one epoch shares.
type epochPlan struct {
	shape []int64 // a BatchDataset's sample shape
	per   int64   // values per sample for a BatchDataset
}

// nextIndices asks the batch sampler for batch b's indices. A libtorch error
// in the sampler (torch.multinomial refusing the weights, say) becomes the
// error Err reports; any other panic goes on up.
func (l *Loader) nextIndices(next func() ([]int, bool), b int) (indices []int, ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			te, isTorch := p.(*torch.Error)
			if !isTorch {
				panic(p)
			}
			indices, ok, err = nil, false, fmt.Errorf("data: batch %d: sampler %T: %w", b, l.batchSampler, te)
		}
	}()
	indices, ok = next()
	return indices, ok, nil
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

// runInline is num_workers=0: each batch's indices are drawn and the batch
// built when the loop asks for it, as _SingleProcessDataLoaderIter does.
func (l *Loader) runInline(e *epochPlan, next func() ([]int, bool), yield func(*torch.Tensor, *torch.Tensor) bool) {
	buf := l.getBuf()
	defer l.bufs.Put(buf)
	for b := 0; ; b++ {
		indices, ok, err := l.nextIndices(next, b)
		if err != nil {
			l.setErr(err)
			return
		}
		if !ok || !l.deliver(b, l.safeCollate(e, b, indices, buf), yield) {
			return
		}
	}
}

// task is one batch for a worker to build.
type task struct {
	b       int
	indices []int
}

// runWorkers is num_workers>0, arranged as _MultiProcessingDataLoaderIter
// does it: the loop's goroutine draws the indices, Prefetch*NumWorkers
// batches ahead at the start and one more each time a batch is handed over
// (which is when PyTorch's sampler draws its random numbers); batch b goes
// to worker b % NumWorkers; and the consumer takes batches from the workers
// in turn, which keeps them in order without a reorder buffer. A worker
// goroutine starts when its first batch is sent.
func (l *Loader) runWorkers(e *epochPlan, next func() ([]int, bool), yield func(*torch.Tensor, *torch.Tensor) bool) {
	w := l.opts.NumWorkers
	done := make(chan struct{})
	// At most Prefetch*w batches are outstanding, Prefetch per worker since
	// they are dealt round-robin, so neither channel ever blocks.
	ins := make([]chan task, 0, w)
	outs := make([]chan batch, 0, w)
	var wg sync.WaitGroup
	// Runs on normal end, early break and a panic in the loop body alike:
	// stop the workers, wait for them, and free what they built in vain.
	defer func() {
		close(done)
		wg.Wait()
		for _, out := range outs {
			close(out)
			for r := range out {
				r.free()
			}
		}
	}()
	sent, exhausted := 0, false
	var samplerErr error
	put := func() { // _try_put_index
		if exhausted {
			return
		}
		indices, ok, err := l.nextIndices(next, sent)
		if err != nil || !ok {
			samplerErr, exhausted = err, true
			return
		}
		i := sent % w
		if i == len(ins) {
			ins = append(ins, make(chan task, l.opts.Prefetch))
			outs = append(outs, make(chan batch, l.opts.Prefetch))
			wg.Add(1)
			go l.work(e, ins[i], outs[i], done, &wg)
		}
		ins[i] <- task{b: sent, indices: indices}
		sent++
	}
	for range l.opts.Prefetch * w {
		put()
	}
	// A sampler error ends the epoch where PyTorch raises it: before the
	// batch whose hand-over asked for the failing indices.
	for b := 0; b < sent && samplerErr == nil; b++ {
		r := <-outs[b%w]
		put()
		if samplerErr != nil {
			r.free()
			break
		}
		if !l.deliver(b, r, yield) {
			return
		}
	}
	if samplerErr != nil {
		l.setErr(samplerErr)
	}
}

// work builds the batches sent to it until done is closed.
func (l *Loader) work(e *epochPlan, in <-chan task, out chan<- batch, done <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	buf := l.getBuf()
	defer l.bufs.Put(buf)
	for {
		select {
		case <-done:
			return
		case t := <-in:
			r := l.safeCollate(e, t.b, t.indices, buf)
			select {
			case out <- r:
			case <-done:
				r.free()
				return
			}
		}
	}
}

package data

import "github.com/seed0eaa3131/gotorch/torch"

// Options configures a Loader. The names and defaults are those of PyTorch's
// torch.utils.data.DataLoader arguments; the zero value is
// DataLoader(dataset): batches of one, in order, built on the calling
// goroutine.
type Options struct {
	// BatchSize is DataLoader's batch_size: samples per batch. 0 means 1,
	// PyTorch's default.
	BatchSize int
	// Shuffle is DataLoader's shuffle: a fresh random permutation of the
	// dataset each epoch (each iteration over All), drawn by a
	// RandomSampler with Generator, exactly as PyTorch draws it.
	Shuffle bool
	// Sampler is DataLoader's sampler=: the order in which an epoch visits
	// the dataset. Nil means a RandomSampler when Shuffle is set and a
	// SequentialSampler otherwise. It cannot be combined with Shuffle.
	Sampler Sampler[int]
	// BatchSampler is DataLoader's batch_sampler=: it yields each batch's
	// indices itself. It cannot be combined with BatchSize (other than 1),
	// Shuffle, Sampler or DropLast.
	BatchSampler Sampler[[]int]
	// DropLast is DataLoader's drop_last: drop the last batch when it would
	// be smaller than BatchSize (otherwise it is kept, smaller).
	DropLast bool
	// NumWorkers is DataLoader's num_workers: 0 builds each batch on the
	// goroutine that ranges over All, when it is needed; n > 0 starts up to
	// n worker goroutines per epoch that build batches ahead. Batches
	// arrive in the same order either way.
	NumWorkers int
	// Prefetch is DataLoader's prefetch_factor: how many batches each
	// worker has in flight (being built or finished and waiting) at most.
	// 0 means 2, PyTorch's default. It has no effect when NumWorkers is 0.
	Prefetch int
	// PinMemory is DataLoader's pin_memory: batches are copied into
	// page-locked memory so that To(cuda) can be asynchronous. Where
	// libtorch has no CUDA it does nothing, as PyTorch only warns there; if
	// pinning fails once (CUDA built in but no device) the Loader stops
	// trying and yields ordinary tensors.
	PinMemory bool
	// Generator is DataLoader's generator=: the generator every epoch
	// draws its base seed from (see Loader.All) and, with Shuffle, the
	// RandomSampler's generator. Nil is the default generator, which
	// torch.ManualSeed seeds; a seeded torch.NewGenerator() makes the
	// shuffle independent of every other random draw of the program.
	Generator *torch.Generator
}

// withDefaults checks o as DataLoader.__init__ does and fills PyTorch's
// defaults in. Bad values are programming errors (PyTorch raises
// ValueError in the constructor), so they panic with a *torch.Error of kind
// ValueError carrying PyTorch's message.
func (o Options) withDefaults() Options {
	const op = "data.NewLoader"
	if o.NumWorkers < 0 {
		panic(valueError(op, "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."))
	}
	if o.Prefetch < 0 {
		// PyTorch asserts prefetch_factor > 0 without a message.
		panic(valueError(op, "prefetch_factor option should be positive, but got prefetch_factor=%d", o.Prefetch))
	}
	if o.Sampler != nil && o.Shuffle {
		panic(valueError(op, "sampler option is mutually exclusive with shuffle"))
	}
	if o.BatchSampler != nil && (o.BatchSize > 1 || o.BatchSize < 0 || o.Shuffle || o.Sampler != nil || o.DropLast) {
		panic(valueError(op, "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"))
	}
	if o.BatchSize == 0 {
		o.BatchSize = 1
	}
	if o.Prefetch == 0 {
		o.Prefetch = 2
	}
	return o
}

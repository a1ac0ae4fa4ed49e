package data

import "fmt"

// Options configures a Loader. The names and defaults are those of PyTorch's
// torch.utils.data.DataLoader arguments; the zero value is
// DataLoader(dataset): batches of one, in order, built on the calling
// goroutine.
type Options struct {
	// BatchSize is DataLoader's batch_size: samples per batch. 0 means 1,
	// PyTorch's default.
	BatchSize int
	// Shuffle is DataLoader's shuffle: a fresh random permutation of the
	// dataset each epoch (each iteration over All).
	Shuffle bool
	// Seed fixes the shuffle order, like passing DataLoader a seeded
	// torch.Generator: the same Seed gives the same sequence of epoch orders
	// in every run, whatever else draws random numbers, and epoch e uses a
	// math/rand/v2 PCG generator seeded with (Seed, e). Seed 0 means no
	// generator was given: as in PyTorch, each epoch's order is then seeded
	// from torch's global generator, so torch.ManualSeed makes a run
	// reproducible and an unseeded run differs from the last.
	Seed uint64
	// DropLast is DataLoader's drop_last: drop the last batch when it would
	// be smaller than BatchSize (otherwise it is kept, smaller).
	DropLast bool
	// NumWorkers is DataLoader's num_workers: 0 builds each batch on the
	// goroutine that ranges over All, when it is needed; n > 0 starts n
	// worker goroutines per epoch that build batches ahead. Batches arrive
	// in the same order either way.
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
}

// withDefaults checks o and fills PyTorch's defaults in. Negative values are
// programming errors (PyTorch raises ValueError in the constructor), so they
// panic with a message naming the option.
func (o Options) withDefaults() Options {
	for _, f := range []struct {
		name string
		v    int
	}{{"BatchSize", o.BatchSize}, {"NumWorkers", o.NumWorkers}, {"Prefetch", o.Prefetch}} {
		if f.v < 0 {
			panic(fmt.Sprintf("data.NewLoader: Options.%s must be >= 0, got %d", f.name, f.v))
		}
	}
	if o.BatchSize == 0 {
		o.BatchSize = 1
	}
	if o.Prefetch == 0 {
		o.Prefetch = 2
	}
	return o
}

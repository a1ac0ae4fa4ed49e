// Package data is PyTorch's torch.utils.data for image classification: the
// Dataset interfaces that vision/datasets implements, the samplers, and the
// DataLoader (Loader) that turns a dataset into shuffled mini-batches.
//
//	// DataLoader(dataset, batch_size=64, shuffle=True, num_workers=4)
//	loader := data.NewLoader(trainDataset, data.Options{BatchSize: 64, Shuffle: true, NumWorkers: 4})
//	for images, labels := range loader.All() { // [64, 1, 28, 28] float32, [64] int64
//		...
//	}
//	if err := loader.Err(); err != nil { ... }
//
// The Loader and the samplers (SequentialSampler, RandomSampler,
// SubsetRandomSampler, WeightedRandomSampler, BatchSampler) draw random
// numbers exactly as PyTorch's do, from the same libtorch generators: after
// the same torch.ManualSeed, or with a torch.Generator seeded the same
// (Options.Generator, generator=), an epoch visits the samples in Python's
// order and leaves the generators where Python leaves them.
//
// Workers are goroutines rather than processes: they share the dataset's
// memory, so a dataset needs no pickling and a batch needs no shared-memory
// hand-over, which is most of what makes PyTorch's multi-process loading
// slow for small images.
package data

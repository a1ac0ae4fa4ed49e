package data

import "github.com/seed0eaa3131/gotorch/torch"

// Dataset is PyTorch's torch.utils.data.Dataset (map-style) for
// (image, label) samples: Len is __len__ and Get is __getitem__.
//
// Get returns a freshly allocated image tensor owned by the caller (the
// Loader frees it once it has been collated) and its class label. Indices
// run from 0 to Len()-1; the Loader never asks for anything else.
// Get must be safe to call from several goroutines at once, because Loader
// workers call it concurrently, just as PyTorch's worker processes each
// index their own copy of the dataset.
type Dataset interface {
	Len() int
	Get(i int) (*torch.Tensor, int64)
}

// BatchDataset is a Dataset that can write a whole transformed batch into
// caller-owned buffers, without creating a tensor per sample. PyTorch has no
// exact twin: it is the role of a Dataset with __getitems__ (batched
// fetching, torch.utils.data._utils.fetch._MapDatasetFetcher) combined with
// default_collate, moved into Go memory so that a batch costs one copy into
// libtorch instead of one cgo call per sample.
//
// SampleShape is the shape of one transformed sample, e.g. [1, 28, 28] for
// MNIST or [3, 32, 32] for CIFAR-10; every sample has this shape.
//
// GetBatch writes len(indices)*prod(SampleShape()) float32 values into
// images (sample k at images[k*prod:(k+1)*prod], in the same layout Get
// would produce) and len(indices) labels into labels. The Loader always
// passes slices of exactly those lengths. It returns an error for an index
// out of range or data that cannot be read; the Loader reports it through
// (*Loader).Err. Like Get, GetBatch must be safe for concurrent use, with
// each call writing only into its own buffers.
type BatchDataset interface {
	Dataset
	SampleShape() []int64
	GetBatch(indices []int, images []float32, labels []int64) error
}

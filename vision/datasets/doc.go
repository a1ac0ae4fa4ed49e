// Package datasets is torchvision.datasets for the tutorial: MNIST and
// CIFAR-10, read from torchvision's own folder layout and file formats (so
// files torchvision downloaded are used as they are, and the other way
// round), downloaded with md5 checks when asked, and served to
// torch/data's Loader either sample by sample (Get) or a whole batch at a
// time straight from the raw bytes (GetBatch).
//
//	// datasets.MNIST(root='./data', train=True, download=True, transform=transform)
//	trainDataset, err := datasets.NewMNIST("./data", datasets.Options{Train: true, Download: true, Transform: transform})
//	image, label := trainDataset.Get(0) // torch.Size([1, 28, 28]), 5
//
// Bad files (truncated, wrong magic number, wrong sizes, wrong md5, a
// pickle that is not CIFAR's) give an error that names the file and says
// what was expected and what was found; they never panic.
package datasets

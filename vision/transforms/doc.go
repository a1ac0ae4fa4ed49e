// Package transforms is torchvision.transforms for the tutorial's pipelines:
// ToTensor, Normalize and Compose, plus Resize, CenterCrop, RandomCrop and
// RandomHorizontalFlip, with torchvision 0.14's meanings and numbers.
//
//	// transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
//	transform := transforms.Compose(
//		transforms.ToTensor(),
//		transforms.Normalize([]float64{0.1307}, []float64{0.3081}),
//	)
//
// Transforms work on an Image: a picture in Go memory in channel-first
// (C, H, W) order. An Image holds either bytes (what torchvision passes
// around as a PIL image before ToTensor) or float32 values (what it has as
// a tensor after ToTensor). Transforms that torchvision applies to PIL
// images behave here as they do on PIL images when given bytes, and as they
// do on tensors when given floats, so the same Compose gives the same
// numbers as in Python. No transform calls into libtorch: a pipeline ends
// with Image.Tensor, the one copy into a tensor.
//
// Datasets (vision/datasets) go further for pointwise pipelines such as
// ToTensor+Normalize: LookupTable turns them into one 256-entry table per
// channel, so a whole batch is made from the raw bytes by table look-ups
// with bit-for-bit the same float32 results.
package transforms

package main

import (
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/utils"
)

// sampleCount images, 8 a row, go into the --samples grid.
const sampleCount = 32

// saveSamples writes the first training images with their class names
// under them, as the tutorial shows them: the transformed tensors with the
// normalisation undone (imshow's img / 2 + 0.5), as a PNG.
func saveSamples(ds *datasets.CIFAR10, path string) error {
	n := min(sampleCount, ds.Len())
	images := make([]*torch.Tensor, n)
	labels := make([]string, n)
	classes := ds.Classes()
	for i := range n {
		var label int64
		images[i], label = ds.Get(i)
		labels[i] = className(classes, label)
	}
	batch := torch.Stack(images)
	for _, t := range images {
		t.Free()
	}
	defer batch.Free()
	shown := utils.Unnormalize(batch, mean, std)
	defer shown.Free()
	return utils.SaveGridWithLabels(shown, labels, 8, path)
}

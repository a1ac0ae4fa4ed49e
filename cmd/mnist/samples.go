package main

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/utils"
)

// sampleCount images, 8 a row, go into the --samples grid.
const sampleCount = 32

// saveSamples writes the first training images, as stored (uint8), with
// their labels under them: the tutorial's plt.imshow, as a PNG.
func saveSamples(ds *datasets.MNIST, path string) error {
	n := min(sampleCount, ds.Len())
	c, h, w := ds.Shape()
	size := c * h * w
	images := torch.FromBytes(ds.Data()[:n*size], torch.Uint8, int64(n), int64(c), int64(h), int64(w))
	defer images.Free()
	labels := make([]string, n)
	for i, t := range ds.Targets()[:n] {
		labels[i] = fmt.Sprint(t)
	}
	return utils.SaveGridWithLabels(images, labels, 8, path)
}

package data_test

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// TestMNISTLoaderMatchesPyTorch is the tutorial's training loader,
// DataLoader(MNIST(train=True, transform=ToTensor+Normalize), batch_size=64,
// shuffle=True), on the real MNIST or, where the dataset root lacks it, the
// committed subset of its first records (dataroot.MNIST; torchvision reads
// the same folder): after torch.manual_seed(0) the first batch of two
// epochs has the same labels and the same images as torchvision's, with
// and without workers, and the next torch.rand draw is the same.
func TestMNISTLoaderMatchesPyTorch(t *testing.T) {
	set := dataroot.MNIST(t)
	root := set.Root
	imgPath := filepath.Join(t.TempDir(), "images.raw")
	var want struct {
		Labels [][]int64
		After  []float64
	}
	pytorch.JSON(t, `
import json, sys
import numpy as np
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader
ds = torchvision.datasets.MNIST(sys.argv[1], train=True, transform=T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))]))
torch.manual_seed(0)
loader = DataLoader(ds, batch_size=64, shuffle=True)
labels = []
for epoch in range(2):
    for images, y in loader:
        labels.append(y.tolist())
        if epoch == 0:
            open(sys.argv[2], "wb").write(images.numpy().astype(np.float32).tobytes())
        break
print(json.dumps({"Labels": labels, "After": torch.rand(3).tolist()}))
`, &want, root, imgPath)
	raw, err := os.ReadFile(imgPath)
	require.NoError(t, err)
	wantImages := make([]float32, len(raw)/4)
	for i := range wantImages {
		wantImages[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}

	tf := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
	ds, err := datasets.NewMNIST(root, datasets.Options{Train: true, Transform: tf})
	require.NoError(t, err)
	require.Equal(t, set.Train, ds.Len())
	for _, workers := range []int{0, 4} {
		torch.ManualSeed(0)
		l := data.NewLoader(ds, data.Options{BatchSize: 64, Shuffle: true, NumWorkers: workers})
		var labels [][]int64
		for epoch := range 2 {
			for images, y := range l.All() {
				labels = append(labels, y.Int64s())
				if epoch == 0 {
					assert.Equal(t, torch.Size{64, 1, 28, 28}, images.Shape())
					assert.Equal(t, wantImages, images.Float32s(), "workers=%d", workers)
				}
				break
			}
			require.NoError(t, l.Err())
		}
		assert.Equal(t, want.Labels, labels, "workers=%d", workers)
		assert.Equal(t, want.After, draw(nil, 3), "workers=%d", workers)
	}
}

package datasets

import (
	"testing"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
)

// BenchmarkNewMNIST is loading the training split (60000 images) from the
// decompressed files torchvision leaves.
func BenchmarkNewMNIST(b *testing.B) {
	root := dataroot.RequireMNIST(b)
	b.ResetTimer()
	for range b.N {
		if _, err := NewMNIST(root, Options{Train: true, Transform: mnistTransform()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMNISTEpochGetBatch is one pass over the training set in batches
// of 64 through GetBatch with ToTensor+Normalize (the lookup-table path),
// into Go buffers only: the dataset's share of a DataLoader epoch.
func BenchmarkMNISTEpochGetBatch(b *testing.B) {
	ds, err := NewMNIST(dataroot.RequireMNIST(b), Options{Train: true, Transform: mnistTransform()})
	if err != nil {
		b.Fatal(err)
	}
	const bs = 64
	images, labels := make([]float32, bs*784), make([]int64, bs)
	idx := make([]int, bs)
	b.ResetTimer()
	for range b.N {
		for start := 0; start < ds.Len(); start += bs {
			n := min(bs, ds.Len()-start)
			for k := range n {
				idx[k] = start + k
			}
			if err := ds.GetBatch(idx[:n], images[:n*784], labels[:n]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

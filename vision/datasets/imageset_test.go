package datasets

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureCIFAR is the committed 10-image training split.
func fixtureCIFAR(t *testing.T, tf transforms.Transform) *CIFAR10 {
	t.Helper()
	ds, err := NewCIFAR10(fixture, Options{Train: true, Transform: tf})
	require.NoError(t, err)
	return ds
}

func TestGetBatchMatchesApply(t *testing.T) {
	norm := func() transforms.Transform {
		return transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.4914, 0.4822, 0.4465}, []float64{0.247, 0.243, 0.261}))
	}
	augment := func(seed uint64) transforms.Transform {
		r := rand.New(rand.NewPCG(seed, 9))
		return transforms.Compose(transforms.RandomCrop(32, 4, r), transforms.RandomHorizontalFlip(0.5, r), transforms.ToTensor(),
			transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}))
	}
	cases := []struct {
		name   string
		tf     func() transforms.Transform
		lut    bool
		sample []int64
	}{
		{"ToTensor", func() transforms.Transform { return transforms.ToTensor() }, true, []int64{3, 32, 32}},
		{"ToTensor+Normalize", norm, true, []int64{3, 32, 32}},
		{"augmentation", func() transforms.Transform { return augment(1) }, false, []int64{3, 32, 32}},
		{"resize", func() transforms.Transform {
			return transforms.Compose(transforms.Resize(20), transforms.ToTensor())
		}, false, []int64{3, 20, 20}},
	}
	indices := []int{9, 0, 3, 3, 7}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixtureCIFAR(t, tc.tf())
			assert.Equal(t, tc.lut, ds.lut != nil, "lookup-table path")
			assert.Equal(t, tc.sample, ds.SampleShape())
			per := int(tc.sample[0] * tc.sample[1] * tc.sample[2])
			images, labels := make([]float32, len(indices)*per), make([]int64, len(indices))
			require.NoError(t, ds.GetBatch(indices, images, labels))
			// The same pipeline, freshly seeded, applied by hand.
			tf := tc.tf()
			for k, i := range indices {
				want := tf.Apply(ds.Image(i))
				require.Equal(t, want.Pix, images[k*per:(k+1)*per], "sample %d", i)
				require.Equal(t, ds.Targets()[i], labels[k])
			}
			if tc.lut {
				for k, i := range indices {
					img, label := ds.Get(i)
					assert.Equal(t, images[k*per:(k+1)*per], img.Float32s())
					assert.Equal(t, ds.Targets()[i], label)
				}
			}
		})
	}
}

func TestGetBatchErrors(t *testing.T) {
	cases := []struct {
		name    string
		tf      transforms.Transform
		indices []int
		nImages int
		nLabels int
		want    string
	}{
		{"no transform", nil, []int{0}, 3072, 1, "no Transform, so samples are uint8 images; add transforms.ToTensor()"},
		{"bytes out", transforms.CenterCrop(30), []int{0}, 2700, 1, "gives a uint8 image (3, 30, 30); batches need float images"},
		{"panicking transform", transforms.Normalize([]float64{0.5}, []float64{0.5}), []int{1}, 3072, 1, "transform of sample 1: transforms.Normalize: got a uint8 image (3, 32, 32)"},
		{"index", transforms.ToTensor(), []int{0, 10}, 2 * 3072, 2, "index 10 out of range [0, 10)"},
		{"negative index", transforms.ToTensor(), []int{-1}, 3072, 1, "index -1 out of range"},
		{"buffer", transforms.ToTensor(), []int{0, 1}, 3072, 2, "2 indices need 6144 image values and 2 labels, got buffers of 3072 and 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixtureCIFAR(t, tc.tf)
			err := ds.GetBatch(tc.indices, make([]float32, tc.nImages), make([]int64, tc.nLabels))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "datasets.CIFAR10.GetBatch")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	ds := fixtureCIFAR(t, nil)
	assert.PanicsWithValue(t, "datasets.CIFAR10.Get: index 10 out of range [0, 10)", func() { ds.Get(10) })
}

func TestTargetTransform(t *testing.T) {
	ds, err := NewCIFAR10(fixture, Options{Train: true, Transform: transforms.ToTensor(), TargetTransform: func(y int64) int64 { return 9 - y }})
	require.NoError(t, err)
	labels := make([]int64, 3)
	require.NoError(t, ds.GetBatch([]int{0, 1, 2}, make([]float32, 3*3072), labels))
	for k := range labels {
		assert.Equal(t, 9-ds.Targets()[k], labels[k])
		_, y := ds.Get(k)
		assert.Equal(t, 9-ds.Targets()[k], y)
	}
}

// TestConcurrentUse runs Get and GetBatch from several goroutines on one
// dataset with a random transform, as Loader workers do; run it with -race.
func TestConcurrentUse(t *testing.T) {
	tf := transforms.Compose(transforms.RandomHorizontalFlip(0.5, rand.New(rand.NewPCG(1, 1))), transforms.ToTensor())
	ds := fixtureCIFAR(t, tf)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			images, labels := make([]float32, 5*3072), make([]int64, 5)
			for n := range 20 {
				if err := ds.GetBatch([]int{(g + n) % 10, 1, 2, 3, 4}, images, labels); err != nil {
					errs <- err
					return
				}
				img, _ := ds.Get(n % 10)
				img.Free()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestWithLoader feeds MNIST to torch/data's Loader, which takes the
// GetBatch path, and checks one epoch against the dataset.
func TestWithLoader(t *testing.T) {
	ds := realMNIST(t, false, mnistTransform())
	for _, workers := range []int{0, 2} {
		loader := data.NewLoader(ds, data.Options{BatchSize: 1000, NumWorkers: workers})
		start := time.Now()
		n, batches := 0, 0
		for images, labels := range loader.All() {
			if batches == 0 {
				assert.Equal(t, "torch.Size([1000, 1, 28, 28])", images.Shape().String())
				assert.Equal(t, torch.Float32, images.DType())
				assert.Equal(t, ds.Targets()[:1000], labels.Int64s())
				first, _ := ds.Get(0)
				assert.Equal(t, first.Float32s(), images.Select(0, 0).Float32s())
			}
			n += int(labels.Size(0))
			batches++
		}
		require.NoError(t, loader.Err())
		assert.Equal(t, 10000, n)
		assert.Equal(t, 10, batches)
		t.Logf("one pass over the MNIST test set, batches of 1000, %d workers: %v", workers, time.Since(start))
	}
}

// failing is a transform that cannot tell its shape and fails on anything.
type failing struct{}

func (failing) Apply(*transforms.Image) *transforms.Image { panic("no") }

func TestTransformFailingAtConstruction(t *testing.T) {
	_, err := NewCIFAR10(fixture, Options{Train: true, Transform: failing{}})
	require.EqualError(t, err, "datasets.CIFAR10: the Transform fails on a uint8 image (3, 32, 32): no")
}

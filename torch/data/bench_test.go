package data_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"testing"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
)

// mnistLike holds MNIST's training set shape in memory (60000 random 28x28
// uint8 images) and serves them through ToTensor+Normalize((0.1307,),
// (0.3081,)), so the benchmark measures the Loader and the transform without
// a disk. The real-MNIST comparison with torchvision's DataLoader belongs to
// vision/datasets' benchmark.
type mnistLike struct {
	pixels []uint8
	labels []int64
}

func newMNISTLike(n int) *mnistLike {
	r := rand.New(rand.NewPCG(1, 2))
	m := &mnistLike{pixels: make([]uint8, n*784), labels: make([]int64, n)}
	for i := range m.pixels {
		m.pixels[i] = uint8(r.UintN(256))
	}
	for i := range m.labels {
		m.labels[i] = int64(r.IntN(10))
	}
	return m
}

func (m *mnistLike) Len() int             { return len(m.labels) }
func (m *mnistLike) SampleShape() []int64 { return []int64{1, 28, 28} }

func (m *mnistLike) transform(i int, dst []float32) {
	const mean, std = 0.1307, 0.3081
	for j, p := range m.pixels[i*784 : (i+1)*784] {
		dst[j] = (float32(p)/255 - mean) / std
	}
}

func (m *mnistLike) Get(i int) (*torch.Tensor, int64) {
	img := make([]float32, 784)
	m.transform(i, img)
	return torch.FromSlice(img, 1, 28, 28), m.labels[i]
}

func (m *mnistLike) GetBatch(indices []int, images []float32, labels []int64) error {
	for k, i := range indices {
		m.transform(i, images[k*784:(k+1)*784])
		labels[k] = m.labels[i]
	}
	return nil
}

// plainOnly hides GetBatch so that the Loader stacks per-sample tensors.
type plainOnly struct{ ds data.Dataset }

func (p plainOnly) Len() int                         { return p.ds.Len() }
func (p plainOnly) Get(i int) (*torch.Tensor, int64) { return p.ds.Get(i) }

func benchEpochs(b *testing.B, ds data.Dataset, workers int) {
	l := data.NewLoader(ds, data.Options{BatchSize: 64, Shuffle: true, Generator: torch.NewGenerator().ManualSeed(1), NumWorkers: workers})
	b.ResetTimer()
	for range b.N {
		for images, labels := range l.All() {
			images.Free()
			labels.Free()
		}
	}
	b.StopTimer()
	if err := l.Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(ds.Len())*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkLoaderSynthetic is one shuffled epoch of a 60000-image MNIST-sized
// dataset in batches of 64 with ToTensor+Normalize, collated through
// GetBatch, for several NumWorkers.
func BenchmarkLoaderSynthetic(b *testing.B) {
	ds := newMNISTLike(60000)
	for _, w := range []int{0, 1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchEpochs(b, ds, w) })
	}
}

// BenchmarkLoaderStack is the same on 10000 images through Get and
// torch.Stack, the path of a dataset without GetBatch, for comparison.
func BenchmarkLoaderStack(b *testing.B) {
	ds := plainOnly{newMNISTLike(10000)}
	for _, w := range []int{0, 4} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchEpochs(b, ds, w) })
	}
}

// BenchmarkBatchSampler is the index side of one shuffled MNIST-sized
// epoch: RandomSampler's seed draw and torch.randperm(60000), cut into
// batches of 64 by BatchSampler and pulled one batch at a time as the
// Loader pulls them.
func BenchmarkBatchSampler(b *testing.B) {
	s := data.NewBatchSampler(data.NewRandomSampler(newSamples(60000, 1)), 64, false)
	for range b.N {
		next, stop := iter.Pull(s.All())
		for {
			if _, ok := next(); !ok {
				break
			}
		}
		stop()
	}
}

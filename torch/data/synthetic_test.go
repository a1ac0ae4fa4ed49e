package data_test

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/seed0eaa3131/gotorch/torch"
)

// samples is an in-memory map-style dataset whose content encodes the index:
// sample i has label i and image values i*1000 + j (j the flat position), so
// a test can tell from a batch exactly which samples it holds. It implements
// only Dataset, so the Loader collates it with torch.Stack.
type samples struct {
	n     int
	shape []int64
	gets  atomic.Int64 // Get calls, to see which collation path ran
}

func newSamples(n int, shape ...int64) *samples {
	if len(shape) == 0 {
		shape = []int64{2, 3, 4}
	}
	return &samples{n: n, shape: shape}
}

func (s *samples) Len() int { return s.n }

func (s *samples) per() int {
	p := 1
	for _, d := range s.shape {
		p *= int(d)
	}
	return p
}

func (s *samples) fill(i int, dst []float32) {
	for j := range dst {
		dst[j] = float32(i*1000 + j)
	}
}

func (s *samples) Get(i int) (*torch.Tensor, int64) {
	s.gets.Add(1)
	img := make([]float32, s.per())
	s.fill(i, img)
	return torch.FromSlice(img, s.shape...), int64(i)
}

// batches is samples with the whole-batch path too.
type batches struct {
	*samples
	calls atomic.Int64 // GetBatch calls
	// failAt makes GetBatch fail for a batch holding that index (-1: never).
	failAt atomic.Int64
	// panicAt makes GetBatch panic for a batch holding that index (-1: never).
	panicAt atomic.Int64
}

var errBroken = errors.New("sample is broken")

func newBatches(n int, shape ...int64) *batches {
	b := &batches{samples: newSamples(n, shape...)}
	b.failAt.Store(-1)
	b.panicAt.Store(-1)
	return b
}

func (b *batches) SampleShape() []int64 { return b.shape }

func (b *batches) GetBatch(indices []int, images []float32, labels []int64) error {
	b.calls.Add(1)
	per := b.per()
	if len(images) != len(indices)*per || len(labels) != len(indices) {
		return fmt.Errorf("buffers of %d images and %d labels for %d samples", len(images), len(labels), len(indices))
	}
	for k, i := range indices {
		if int64(i) == b.failAt.Load() {
			return fmt.Errorf("index %d: %w", i, errBroken)
		}
		if int64(i) == b.panicAt.Load() {
			panic(fmt.Sprintf("boom at index %d", i))
		}
		b.fill(i, images[k*per:(k+1)*per])
		labels[k] = int64(i)
	}
	return nil
}

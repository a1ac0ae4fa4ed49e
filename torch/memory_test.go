package torch_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
)

func TestCPUMemoryCounters(t *testing.T) {
	torch.Collect(torch.CPU)
	before := torch.MemoryAllocated(torch.CPU)
	x := torch.Zeros([]int64{1024, 1024}) // 4 MiB of float32
	assert.Equal(t, int64(4<<20), torch.MemoryAllocated(torch.CPU)-before)
	torch.ResetPeakMemoryStats(torch.CPU)
	assert.Equal(t, torch.MemoryAllocated(torch.CPU), torch.MaxMemoryAllocated(torch.CPU))
	x.Free()
	assert.Equal(t, before, torch.MemoryAllocated(torch.CPU))
	assert.Equal(t, before+4<<20, torch.MaxMemoryAllocated(torch.CPU), "the peak is kept until reset")
	torch.ResetPeakMemoryStats(torch.CPU)
	assert.Equal(t, before, torch.MaxMemoryAllocated(torch.CPU))

	// A Linear(784, 128)'s weight and bias: the tutorial's 100,480 float32s.
	w := torch.Empty([]int64{128, 784})
	b := torch.Empty([]int64{128})
	assert.Equal(t, int64(401920), torch.MemoryAllocated(torch.CPU)-before)
	w.Free()
	b.Free()
	// views share storage: no new bytes
	y := torch.Zeros([]int64{10, 10})
	mid := torch.MemoryAllocated(torch.CPU)
	v := y.View(100).Narrow(0, 0, 5)
	assert.Equal(t, mid, torch.MemoryAllocated(torch.CPU))
	v.Free()
	y.Free()
}

func TestConcurrentUse(t *testing.T) {
	shared := torch.Arange(0, 100, 1, torch.WithDType(torch.Float64))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				s := shared.MulScalar(torch.Float(float64(g))).Add(shared).Sum().Item()
				if want := 4950.0 * float64(g+1); s != want {
					errs <- assert.AnError
					return
				}
				w := torch.Ones([]int64{3}).SetRequiresGrad(true)
				w.MulScalar(torch.Float(float64(i))).Sum().Backward()
				if w.Grad().Float64s()[0] != float64(i) {
					errs <- assert.AnError
					return
				}
				torch.NoGrad(func() {
					if shared.Add(shared).RequiresGrad() {
						errs <- assert.AnError
					}
				})
				if i%50 == 0 {
					runtime.GC()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

package torch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// TestCUDANoLeakWithoutFree is TestNoLeakWithoutFree on the GPU: a loop that
// allocates 4 MiB CUDA tensors and never frees them must keep the live GPU
// memory bounded, as the package promises for native memory ("a training
// loop that never frees anything still runs with flat memory"). The Go heap
// barely grows here (a few dozen bytes per *Tensor), so only a pressure
// signal from the CUDA side can make the collector run in time.
func TestCUDANoLeakWithoutFree(t *testing.T) {
	dev := requireCUDA(t)
	on := torch.WithDevice(dev)
	base := torch.Collect(torch.CUDA(dev.Index))
	const iters = 1000 // 4 GiB in all if nothing is freed
	var peak int64
	done := 0
	err := torch.Catch(func() {
		for range iters {
			_ = torch.Zeros([]int64{1024, 1024}, on) // dropped at once, never freed
			if live := cuda.MemoryAllocated(dev.Index) - base; live > peak {
				peak = live
			}
			done++
		}
	})
	after := torch.Collect(torch.CUDA(dev.Index))
	require.NoError(t, err, "after %d of %d iterations (live GPU memory peaked at %d MiB): dropped CUDA tensors are not collected in time",
		done, iters, peak>>20)
	t.Logf("allocated %d MiB in all, live peak %d MiB", iters*4, peak>>20)
	assert.Less(t, peak, int64(512<<20),
		"live GPU memory grew to %d MiB: dropped CUDA tensors were not reclaimed at the device's target (notePressure, torch/memory.go)", peak>>20)
	assert.Equal(t, base, after, "once collected, everything is freed")
}

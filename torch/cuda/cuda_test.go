package cuda_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// On a CPU build every call answers quietly: no device, zero memory, and an
// error that says CUDA is not available where a device is needed.
func TestWithoutCUDA(t *testing.T) {
	if cuda.IsAvailable() {
		t.Skip("CUDA is available: the GPU tests cover this machine")
	}
	assert.Equal(t, 0, cuda.DeviceCount())
	assert.Equal(t, torch.CPU, cuda.DeviceOrCPU())
	assert.Zero(t, cuda.MemoryAllocated(0))
	assert.Zero(t, cuda.MaxMemoryAllocated(0))
	assert.Zero(t, cuda.MemoryReserved(0))
	assert.Zero(t, cuda.MaxMemoryReserved(0))
	require.NoError(t, cuda.EmptyCache())
	for name, f := range map[string]func() error{
		"Synchronize":          func() error { return cuda.Synchronize(0) },
		"ResetPeakMemoryStats": func() error { return cuda.ResetPeakMemoryStats(0) },
		"DeviceName":           func() error { _, err := cuda.DeviceName(0); return err },
		"MemoryStats":          func() error { _, err := cuda.MemoryStats(0); return err },
		"MemorySummary":        func() error { _, err := cuda.MemorySummary(0); return err },
	} {
		err := f()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "CUDA not available", name)
	}
	// A tensor asked for on a GPU is libtorch's error, not a crash.
	err := torch.Catch(func() { torch.Zeros([]int64{2}, torch.WithDevice(torch.CUDA(0))) })
	require.Error(t, err)
}

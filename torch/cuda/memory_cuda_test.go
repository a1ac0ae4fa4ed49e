package cuda_test

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/cudatest"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// requireCUDA is cudatest.Require.
func requireCUDA(t *testing.T) int { return cudatest.Require(t).Index }

const mib = 1 << 20

// TestCUDAMemoryStats follows one 1024x1024 float32 tensor (4 MiB) through
// the caching allocator's figures.
func TestCUDAMemoryStats(t *testing.T) {
	dev := requireCUDA(t)
	on := torch.WithDevice(torch.CUDA(dev))
	torch.Collect(torch.CUDA(dev))
	require.NoError(t, cuda.EmptyCache())
	before := cuda.MemoryAllocated(dev)
	reservedBefore := cuda.MemoryReserved(dev)
	require.NoError(t, cuda.ResetPeakMemoryStats(dev))
	assert.Equal(t, before, cuda.MaxMemoryAllocated(dev), "after a reset the peak is the current figure")
	stats, err := cuda.MemoryStats(dev)
	require.NoError(t, err)
	allocsBefore := stats["allocation.all.current"]

	x := torch.Zeros([]int64{1024, 1024}, on)
	assert.Equal(t, before+4*mib, cuda.MemoryAllocated(dev), "+4 MiB allocated")
	assert.Equal(t, before+4*mib, torch.MemoryAllocated(torch.CUDA(dev)), "torch.MemoryAllocated reads the same counter")
	assert.Equal(t, before+4*mib, cuda.MaxMemoryAllocated(dev))
	held := cuda.MemoryReserved(dev)
	assert.GreaterOrEqual(t, held, reservedBefore+4*mib, "the allocator reserved a segment for it")
	assert.GreaterOrEqual(t, cuda.MaxMemoryReserved(dev), held)
	stats, err = cuda.MemoryStats(dev)
	require.NoError(t, err)
	assert.Equal(t, allocsBefore+1, stats["allocation.all.current"])
	assert.Equal(t, before+4*mib, stats["allocated_bytes.all.current"])

	x.Free()
	assert.Equal(t, before, cuda.MemoryAllocated(dev), "Free gives the bytes back at once")
	assert.Equal(t, before+4*mib, cuda.MaxMemoryAllocated(dev), "the peak is kept until reset")
	assert.Equal(t, before+4*mib, torch.MaxMemoryAllocated(torch.CUDA(dev)))
	assert.Equal(t, held, cuda.MemoryReserved(dev), "the freed block stays cached")

	require.NoError(t, cuda.EmptyCache())
	assert.Less(t, cuda.MemoryReserved(dev), held, "EmptyCache lowers reserved")
	assert.Equal(t, reservedBefore, cuda.MemoryReserved(dev), "back to what was reserved before")
	assert.Equal(t, before+4*mib, cuda.MaxMemoryAllocated(dev), "EmptyCache does not touch the peak")

	require.NoError(t, cuda.ResetPeakMemoryStats(dev))
	assert.Equal(t, before, cuda.MaxMemoryAllocated(dev))
	torch.ResetPeakMemoryStats(torch.CUDA(dev)) // the torch package's way, the same call
	assert.Equal(t, before, torch.MaxMemoryAllocated(torch.CUDA(dev)))

	// A tensor dropped without Free is released by the collector.
	func() { _ = torch.Ones([]int64{1024, 1024}, on) }()
	torch.Collect(torch.CUDA(dev))
	assert.Equal(t, before, cuda.MemoryAllocated(dev), "a dropped tensor is freed by its cleanup")

	summary, err := cuda.MemorySummary(dev)
	require.NoError(t, err)
	assert.Contains(t, summary, "Allocated memory")
	assert.Contains(t, summary, "GPU reserved memory")
	t.Log("\n" + summary)
}

// TestCUDADevice: device count, names, the default device, and
// Synchronize, including the errors for devices that do not exist.
func TestCUDADevice(t *testing.T) {
	dev := requireCUDA(t)
	n := cuda.DeviceCount()
	require.GreaterOrEqual(t, n, 1)
	assert.Equal(t, torch.CUDA(0), cuda.DeviceOrCPU())
	for i := range n {
		name, err := cuda.DeviceName(i)
		require.NoError(t, err)
		assert.NotEmpty(t, name)
		t.Logf("cuda:%d: %s", i, name)
	}

	// Synchronize waits for queued work: a chain of large matmuls is queued
	// in far less time than it takes, and after Synchronize the result is
	// there to read.
	a := torch.Rand([]int64{2048, 2048}, torch.WithDevice(torch.CUDA(dev)))
	b := a
	for range 20 {
		b = b.Matmul(a).DivScalar(torch.Int(2048))
	}
	require.NoError(t, cuda.Synchronize(dev))
	assert.False(t, math.IsNaN(b.Sum().Item()))

	for _, bad := range []int{n, -1} {
		_, err := cuda.DeviceName(bad)
		require.Error(t, err, "DeviceName(%d)", bad)
		assert.Contains(t, err.Error(), "invalid CUDA device index")
		err = cuda.Synchronize(bad)
		require.Error(t, err, "Synchronize(%d)", bad)
		assert.Contains(t, err.Error(), "invalid CUDA device index")
		_, err = cuda.MemoryStats(bad)
		require.Error(t, err, "MemoryStats(%d)", bad)
		assert.Zero(t, cuda.MemoryAllocated(bad))
	}
	err := torch.Catch(func() { torch.Zeros([]int64{1}, torch.WithDevice(torch.CUDA(n))) })
	require.Error(t, err, "a tensor on a device that does not exist")
}

// TestCUDAOutOfMemoryIsAnError asks for far more than any GPU has (1 PiB):
// the caching allocator's OutOfMemoryError comes back as a Go error, is
// counted in num_ooms, leaves the allocated figure as it was, and the
// process goes on using the GPU.
func TestCUDAOutOfMemoryIsAnError(t *testing.T) {
	dev := requireCUDA(t)
	on := torch.WithDevice(torch.CUDA(dev))
	keep := torch.Ones([]int64{256}, on)
	torch.Collect(torch.CUDA(dev))
	before := cuda.MemoryAllocated(dev)
	stats, err := cuda.MemoryStats(dev)
	require.NoError(t, err)
	ooms := stats["num_ooms"]

	err = torch.Catch(func() { torch.Empty([]int64{1 << 50}, on, torch.WithDType(torch.Uint8)) })
	require.Error(t, err)
	var te *torch.Error
	require.ErrorAs(t, err, &te)
	assert.Contains(t, strings.ToLower(te.Msg), "out of memory")
	assert.NotContains(t, te.Msg, "frame #", "libtorch's C++ backtrace is stripped")
	t.Log(err)

	stats, err = cuda.MemoryStats(dev)
	require.NoError(t, err)
	assert.Equal(t, ooms+1, stats["num_ooms"])
	assert.Equal(t, before, cuda.MemoryAllocated(dev))
	assert.Equal(t, 512.0, keep.MulScalar(torch.Int(2)).Sum().Item(), "the GPU still works")
	require.NoError(t, cuda.Synchronize(dev))
}

// TestCUDAMemoryStatsMatchPython: MemoryStats has exactly the keys Python's
// torch.cuda.memory_stats() has for the same libtorch, and one 1024x1024
// float32 tensor moves the allocation figures by what it moves them by in a
// fresh Python process (where they start from zero).
func TestCUDAMemoryStatsMatchPython(t *testing.T) {
	dev := requireCUDA(t)
	var py struct {
		CUDA    bool             `json:"cuda"`
		Version string           `json:"version"`
		Stats   map[string]int64 `json:"stats"`
	}
	pytorch.JSON(t, `import json
if not torch.cuda.is_available():
    print(json.dumps({'cuda': False, 'version': torch.__version__}))
else:
    x = torch.zeros(1024, 1024, device='cuda:0')
    print(json.dumps({'cuda': True, 'version': torch.__version__, 'stats': torch.cuda.memory_stats(0)}))`, &py)
	if !py.CUDA {
		t.Skipf("the reference Python's torch %s has no CUDA: set GOTORCH_PYTHON to a python whose torch has CUDA", py.Version)
	}
	if release(py.Version) != release(torch.Version()) {
		t.Skipf("the reference Python has torch %s, libcgotorch.so has libtorch %s: their memory_stats keys may differ", py.Version, torch.Version())
	}
	torch.Collect(torch.CUDA(dev))
	before, err := cuda.MemoryStats(dev)
	require.NoError(t, err)
	x := torch.Zeros([]int64{1024, 1024}, torch.WithDevice(torch.CUDA(dev)))
	defer x.Free()
	after, err := cuda.MemoryStats(dev)
	require.NoError(t, err)
	assert.Equal(t, keys(py.Stats), keys(after), "memory_stats keys")
	// Reserved bytes and segments depend on what this process cached
	// before; the allocation figures do not.
	for _, k := range []string{
		"allocated_bytes.all.current", "allocated_bytes.large_pool.current", "allocated_bytes.small_pool.current",
		"allocation.all.current", "allocation.large_pool.current", "active_bytes.all.current", "active.all.current",
		"requested_bytes.all.current", // 2.x only; absent on both sides in 1.13
	} {
		want, ok := py.Stats[k]
		if !ok {
			assert.NotContains(t, after, k)
			continue
		}
		assert.Equal(t, want, after[k]-before[k], k)
	}
}

var releaseRE = regexp.MustCompile(`^\d+\.\d+\.\d+`)

// release is "2.7.1" of "2.7.1+cu128" (pip) or "1.13.0a0" (Debian).
func release(v string) string {
	if m := releaseRE.FindString(v); m != "" {
		return m
	}
	return v
}

func keys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

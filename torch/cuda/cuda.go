// Package cuda is PyTorch's torch.cuda for gotorch: whether a GPU is there,
// its name, synchronisation, and the caching allocator's memory statistics,
// with the same numbers Python's torch.cuda reports for the same allocations.
//
// In a build of libcgotorch.so against a CPU-only libtorch, IsAvailable is
// false, DeviceCount is 0, the memory figures are 0, and calls that need a
// device return an error saying CUDA is not available; nothing is printed.
package cuda

import (
	"fmt"
	"sort"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// errorOf turns an error of the C ABI into a *torch.Error of op, keeping its
// kind; nil stays nil.
func errorOf(op string, err error) error {
	if err == nil {
		return nil
	}
	if ce, ok := err.(*capi.Error); ok {
		return &torch.Error{Op: op, Kind: torch.ErrorKind(ce.Kind), Msg: ce.Msg}
	}
	return &torch.Error{Op: op, Msg: err.Error()}
}

// IsAvailable reports whether CUDA can be used: torch.cuda.is_available().
func IsAvailable() bool { return capi.CUDAIsAvailable() }

// DeviceCount is the number of CUDA devices: torch.cuda.device_count().
func DeviceCount() int { return capi.CUDADeviceCount() }

// DeviceOrCPU returns cuda:0 where CUDA is available and the CPU otherwise:
// torch.device("cuda" if torch.cuda.is_available() else "cpu").
func DeviceOrCPU() torch.Device {
	if IsAvailable() {
		return torch.CUDA(0)
	}
	return torch.CPU
}

// DeviceName is torch.cuda.get_device_name(device).
func DeviceName(device int) (string, error) {
	name, err := capi.CUDADeviceName(device)
	return name, errorOf("DeviceName", err)
}

// Synchronize waits for all kernels on device: torch.cuda.synchronize(device).
func Synchronize(device int) error {
	return errorOf("Synchronize", capi.CUDASynchronize(device))
}

// EmptyCache returns unused cached blocks to the driver:
// torch.cuda.empty_cache(). Without CUDA it does nothing, as in PyTorch.
func EmptyCache() error { return errorOf("EmptyCache", capi.CUDAEmptyCache()) }

// MemoryStats is torch.cuda.memory_stats(device), with PyTorch's key names.
func MemoryStats(device int) (map[string]int64, error) { return torch.MemoryStats(device) }

func stat(device int, key string) int64 {
	m, err := torch.MemoryStats(device)
	if err != nil {
		return 0
	}
	return m[key]
}

// MemoryAllocated is torch.cuda.memory_allocated(device): bytes held by
// tensors. Zero without CUDA.
func MemoryAllocated(device int) int64 { return torch.MemoryAllocated(torch.CUDA(device)) }

// MaxMemoryAllocated is torch.cuda.max_memory_allocated(device).
func MaxMemoryAllocated(device int) int64 { return torch.MaxMemoryAllocated(torch.CUDA(device)) }

// MemoryReserved is torch.cuda.memory_reserved(device): bytes the caching
// allocator holds from the driver.
func MemoryReserved(device int) int64 { return stat(device, "reserved_bytes.all.current") }

// MaxMemoryReserved is torch.cuda.max_memory_reserved(device).
func MaxMemoryReserved(device int) int64 { return stat(device, "reserved_bytes.all.peak") }

// ResetPeakMemoryStats is torch.cuda.reset_peak_memory_stats(device).
func ResetPeakMemoryStats(device int) error {
	return errorOf("ResetPeakMemoryStats", capi.CUDAResetPeak(device))
}

// MemorySummary is a readable table of the allocator's statistics, in the
// spirit of torch.cuda.memory_summary(device).
func MemorySummary(device int) (string, error) {
	m, err := torch.MemoryStats(device)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	name, _ := DeviceName(device)
	fmt.Fprintf(&b, "CUDA memory summary, device %d (%s)\n", device, name)
	fmt.Fprintf(&b, "%-28s %14s %14s %14s %14s\n", "metric", "current", "peak", "allocated", "freed")
	rows := []struct{ label, key string }{
		{"Allocated memory", "allocated_bytes.all"},
		{"Active memory", "active_bytes.all"},
		{"Requested memory", "requested_bytes.all"},
		{"GPU reserved memory", "reserved_bytes.all"},
		{"Non-releasable memory", "inactive_split_bytes.all"},
		{"Allocations", "allocation.all"},
		{"Active allocs", "active.all"},
		{"GPU reserved segments", "segment.all"},
	}
	for _, r := range rows {
		if _, ok := m[r.key+".current"]; !ok {
			continue
		}
		fmt.Fprintf(&b, "%-28s %14d %14d %14d %14d\n", r.label, m[r.key+".current"], m[r.key+".peak"],
			m[r.key+".allocated"], m[r.key+".freed"])
	}
	var other []string
	for k := range m {
		if !strings.Contains(k, ".") {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	for _, k := range other {
		fmt.Fprintf(&b, "%-28s %14d\n", k, m[k])
	}
	return b.String(), nil
}

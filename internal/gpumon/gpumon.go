// Package gpumon reads what nvidia-smi shows (device name, memory used and
// total, utilisation) through NVML, beside libtorch's own allocated and
// reserved figures. go-nvml loads the driver's libnvidia-ml.so at run time,
// so the build needs no CUDA and a machine without a GPU just says so.
package gpumon

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/NVIDIA/go-nvml/pkg/nvml"

	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// ErrNoGPU is returned where NVML (the NVIDIA driver) is not present.
var ErrNoGPU = errors.New("no NVIDIA GPU")

// Device is one GPU as NVML and libtorch see it.
type Device struct {
	Index          int
	Name           string
	MemoryUsed     uint64 // bytes, as nvidia-smi's "Memory-Usage" (all processes)
	MemoryTotal    uint64
	UtilizationGPU uint32 // percent
	UtilizationMem uint32 // percent
	// libtorch's caching allocator in this process: cuda.MemoryAllocated
	// and cuda.MemoryReserved (0 when libtorch has no CUDA).
	TorchAllocated int64
	TorchReserved  int64
}

// Monitor holds NVML open between readings.
type Monitor struct{ driver string }

// Open initialises NVML; ErrNoGPU where there is no driver or no device.
func Open() (*Monitor, error) {
	if ret := safeInit(); ret != nvml.SUCCESS {
		return nil, ErrNoGPU
	}
	n, ret := nvml.DeviceGetCount()
	if ret != nvml.SUCCESS || n == 0 {
		nvml.Shutdown()
		return nil, ErrNoGPU
	}
	driver, _ := nvml.SystemGetDriverVersion()
	return &Monitor{driver: driver}, nil
}

// safeInit turns go-nvml's panic on a missing library into an error code.
func safeInit() (ret nvml.Return) {
	defer func() {
		if recover() != nil {
			ret = nvml.ERROR_LIBRARY_NOT_FOUND
		}
	}()
	return nvml.Init()
}

// Close shuts NVML down.
func (m *Monitor) Close() { nvml.Shutdown() }

// Driver is the NVIDIA driver's version.
func (m *Monitor) Driver() string { return m.driver }

// Devices reads every GPU now.
func (m *Monitor) Devices() ([]Device, error) {
	n, ret := nvml.DeviceGetCount()
	if ret != nvml.SUCCESS {
		return nil, fmt.Errorf("nvml: device count: %s", nvml.ErrorString(ret))
	}
	out := make([]Device, 0, n)
	for i := range n {
		h, ret := nvml.DeviceGetHandleByIndex(i)
		if ret != nvml.SUCCESS {
			return nil, fmt.Errorf("nvml: device %d: %s", i, nvml.ErrorString(ret))
		}
		d := Device{Index: i}
		d.Name, _ = h.GetName()
		if mem, ret := h.GetMemoryInfo(); ret == nvml.SUCCESS {
			d.MemoryUsed, d.MemoryTotal = mem.Used, mem.Total
		}
		if u, ret := h.GetUtilizationRates(); ret == nvml.SUCCESS {
			d.UtilizationGPU, d.UtilizationMem = u.Gpu, u.Memory
		}
		if i < cuda.DeviceCount() {
			d.TorchAllocated = cuda.MemoryAllocated(i)
			d.TorchReserved = cuda.MemoryReserved(i)
		}
		out = append(out, d)
	}
	return out, nil
}

// MiB formats bytes as nvidia-smi does.
func MiB(b uint64) string { return fmt.Sprintf("%dMiB", b>>20) }

// WriteTable prints devices as a small nvidia-smi-like table.
func WriteTable(w io.Writer, driver string, devs []Device) {
	fmt.Fprintf(w, "NVIDIA driver %s\n", driver)
	fmt.Fprintf(w, "%-3s %-28s %21s %5s %14s %14s\n", "GPU", "Name", "Memory-Usage", "Util", "torch alloc", "torch reserved")
	for _, d := range devs {
		fmt.Fprintf(w, "%-3d %-28s %21s %4d%% %14s %14s\n", d.Index, trim(d.Name, 28),
			MiB(d.MemoryUsed)+" / "+MiB(d.MemoryTotal), d.UtilizationGPU,
			MiB(uint64(d.TorchAllocated)), MiB(uint64(d.TorchReserved)))
	}
}

// Line is a one-line summary for progress output.
func Line(devs []Device) string {
	parts := make([]string, len(devs))
	for i, d := range devs {
		parts[i] = fmt.Sprintf("gpu%d %s/%s %d%% (torch %s alloc, %s reserved)", d.Index, MiB(d.MemoryUsed),
			MiB(d.MemoryTotal), d.UtilizationGPU, MiB(uint64(d.TorchAllocated)), MiB(uint64(d.TorchReserved)))
	}
	return strings.Join(parts, "; ")
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

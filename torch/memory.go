package torch

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// counters points at the counting CPU allocator's [allocated, peak] bytes,
// which the allocator updates atomically in C++ and Go reads without a cgo call.
var counters *[2]int64

// MemoryAllocated returns the bytes of tensor memory currently allocated on
// device: torch.cuda.memory_allocated for CUDA, and the same figure for the
// CPU from gotorch's counting allocator (which PyTorch lacks). CPU storages
// created before the package initialised are not counted.
func MemoryAllocated(device Device) int64 {
	if device.IsCUDA() {
		// allocated_bytes.all.current, read without building the stats map.
		return capi.CUDAAllocated(device.Index)
	}
	return atomic.LoadInt64(&counters[0])
}

// MaxMemoryAllocated returns the peak of MemoryAllocated since start-up or the
// last ResetPeakMemoryStats: torch.cuda.max_memory_allocated.
func MaxMemoryAllocated(device Device) int64 {
	if device.IsCUDA() {
		return cudaStat(device.Index, "allocated_bytes.all.peak")
	}
	return atomic.LoadInt64(&counters[1])
}

// ResetPeakMemoryStats makes the peak equal to the current figure:
// torch.cuda.reset_peak_memory_stats.
func ResetPeakMemoryStats(device Device) {
	if device.IsCUDA() {
		check("ResetPeakMemoryStats", capi.CUDAResetPeak(device.Index))
		return
	}
	capi.CPUResetPeak()
}

// Collect runs Go's collector until the tensors dropped without Free have
// been released and MemoryAllocated(device) stops changing, and returns that
// figure: Python's gc.collect() before torch.cuda.memory_allocated(), for
// readings that should count only live tensors (CPython's reference counting
// has already freed the dropped ones). It takes some tens of milliseconds.
func Collect(device Device) int64 {
	prev := int64(-1)
	for stable := 0; stable < 3; {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		cur := MemoryAllocated(device)
		if cur == prev {
			stable++
		} else {
			stable = 0
		}
		prev = cur
	}
	return prev
}

// MemoryStats returns the CUDA caching allocator's statistics for a device
// with PyTorch's key names ("allocated_bytes.all.current", ...):
// torch.cuda.memory_stats. It returns an error where CUDA is not available.
func MemoryStats(device int) (map[string]int64, error) {
	m, err := capi.CUDAMemoryStats(device)
	return m, errorOf("MemoryStats", err)
}

// cudaStat reads one key of MemoryStats, zero where CUDA is not available
// (PyTorch raises there; a memory figure of zero is the useful answer for a
// service that asks whether there is a GPU).
func cudaStat(device int, key string) int64 {
	m, err := MemoryStats(device)
	if err != nil {
		return 0
	}
	return m[key]
}

// Native-memory pressure. The Go collector only sees the few bytes of each
// *Tensor, not the megabytes of libtorch memory behind it, so a loop that drops
// tensors without Free would grow without bound before Go felt any need to
// collect. The counting allocator tells us the live native bytes; when they
// pass a target, we run the collector (whose finalizers free the unreachable
// tensors) and set the next target at twice what survives, like GOGC=100.
const minGCTarget = 64 << 20

// pressure steers the collector by one native-memory figure: the CPU
// allocator's counter, or a CUDA device's allocated bytes.
type pressure struct {
	live    func() int64
	target  atomic.Int64
	running atomic.Bool
}

var (
	cpuPressure = newPressure(func() int64 { return atomic.LoadInt64(&counters[0]) })
	// cudaPressure[i] watches CUDA device i; tensors on a GPU cost Go a few
	// bytes each, so without it dropped GPU tensors would wait on CPU-side
	// collections. Made at the first CUDA tensor, so that a CUDA build used
	// on the CPU never initialises CUDA.
	cudaPressure     []*pressure
	cudaPressureOnce sync.Once
	cudaBuild        = capi.CUDACompiled()
)

func newPressure(live func() int64) *pressure {
	p := &pressure{live: live}
	p.target.Store(minGCTarget)
	return p
}

func makeCUDAPressure() {
	for i := range capi.CUDADeviceCount() {
		cudaPressure = append(cudaPressure, newPressure(func() int64 { return capi.CUDAAllocated(i) }))
	}
}

// notePressure is called after each tensor allocation: two atomic loads on
// the fast path of a CPU build; a CUDA build also asks the tensor's device.
func notePressure(t *Tensor) {
	cpuPressure.note()
	if !cudaBuild {
		return
	}
	typ, idx := capi.Device(t.h)
	if typ != int(DeviceCUDA) {
		return
	}
	cudaPressureOnce.Do(makeCUDAPressure)
	if int(idx) < len(cudaPressure) {
		cudaPressure[idx].note()
	}
}

func (p *pressure) note() {
	live, target := p.live(), p.target.Load()
	if live < target {
		return
	}
	if live >= 2*target {
		// The background collection is not keeping up: collect here so that
		// this goroutine cannot outrun its own garbage.
		runtime.GC()
	}
	if p.running.CompareAndSwap(false, true) {
		go p.collect()
	}
}

func (p *pressure) collect() {
	defer p.running.Store(false)
	runtime.GC()
	// Finalizers run after the collection on the runtime's finalizer goroutine:
	// give them a moment to free, and measure what survives.
	prev := p.live()
	for range 50 {
		time.Sleep(200 * time.Microsecond)
		cur := p.live()
		if cur >= prev {
			break
		}
		prev = cur
	}
	p.target.Store(max(minGCTarget, 2*p.live()))
}

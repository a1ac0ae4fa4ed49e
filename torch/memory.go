package torch

import (
	"sync"
	"sync/atomic"

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
	capi.FreeQueued() // what Free handed over is not counted
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

// Collect frees the tensors dropped without Free (a collection and a sweep
// of the lifetime registry, repeated until MemoryAllocated(device) stops
// changing) and returns MemoryAllocated(device): Python's gc.collect()
// before torch.cuda.memory_allocated(), for readings that should count only
// live tensors (CPython's reference counting has already freed the dropped
// ones). It takes a few milliseconds. It also sets the device's reclaim
// target from what is live now, so that a phase of small tensors after one
// of large ones does not wait for the large phase's target.
func Collect(device Device) int64 {
	prev := int64(-1)
	for {
		reclaim()
		cur := MemoryAllocated(device)
		if cur == prev {
			if p := pressureOf(device); p != nil {
				p.retarget()
			}
			return cur
		}
		prev = cur
	}
}

// pressureOf is the pressure that watches device, nil for a CUDA device of
// a build without CUDA or one no tensor has used yet.
func pressureOf(device Device) *pressure {
	if !device.IsCUDA() {
		return cpuPressure
	}
	return cudaPressureAt(device.Index)
}

// cudaPressureAt is CUDA device i's pressure, nil where there is none.
func cudaPressureAt(i int) *pressure {
	if !cudaBuild {
		return nil
	}
	cudaPressureOnce.Do(makeCUDAPressure)
	if i >= 0 && i < len(cudaPressure) {
		return cudaPressure[i]
	}
	return nil
}

// MemoryStats returns the CUDA caching allocator's statistics for a device
// with PyTorch's key names ("allocated_bytes.all.current", ...):
// torch.cuda.memory_stats. It returns an error where CUDA is not available.
func MemoryStats(device int) (map[string]int64, error) {
	capi.FreeQueued()
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
// *Tensor, not the megabytes of libtorch memory behind it, so a loop that
// drops tensors without Free would grow without bound before Go felt any need
// to collect. The counting allocator tells us the live native bytes; when a
// new tensor takes them to the target or past it, the goroutine that made it
// reclaims (lifetime.go: the ring emptied, a collection, the registry swept,
// all before it goes on) and the next target is set from what is then live.
//
// The bound: after a reclaim that leaves L bytes live, the next starts when
// a new tensor takes live bytes to T = max(minGCTarget, L + L/2). Each
// allocating goroutine checks after every tensor it makes, and reclaims
// itself (one at a time; the others wait for it), so live native bytes stay
// under T plus what the calls in flight allocate before their results are
// checked (for one goroutine: one operation's output and temporaries).
// Nothing in that depends on the scheduler, so it holds on a loaded machine
// as on an idle one.
const minGCTarget = 64 << 20

// pressure steers the collector by one native-memory figure: the CPU
// allocator's counter, or a CUDA device's allocated bytes.
type pressure struct {
	live   func() int64
	target atomic.Int64
	mu     sync.Mutex // one reclaim at a time
	// reclaims counts the reclaims this figure asked for (tests read it).
	reclaims atomic.Int64
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
	if p := cudaPressureAt(int(idx)); p != nil {
		p.note()
	}
}

func (p *pressure) note() {
	if p.live() < p.target.Load() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live() < p.target.Load() {
		return // another goroutine reclaimed meanwhile
	}
	reclaim()
	p.reclaims.Add(1)
	p.retarget()
}

// retarget sets the next reclaim at 1.5x what is live now, or minGCTarget.
func (p *pressure) retarget() {
	live := p.live()
	p.target.Store(max(minGCTarget, live+live/2))
}

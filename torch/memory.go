package torch

/*
#include <stdlib.h>
#include "cgotorch.h"
*/
import "C"

import (
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"
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
		return cudaStat(device.Index, "allocated_bytes.all.current")
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
		check("ResetPeakMemoryStats", C.gt_cuda_reset_peak(C.int(device.Index)))
		return
	}
	C.gt_cpu_reset_peak()
}

// MemoryStats returns the CUDA caching allocator's statistics for a device
// with PyTorch's key names ("allocated_bytes.all.current", ...):
// torch.cuda.memory_stats. It returns an error where CUDA is not available.
func MemoryStats(device int) (map[string]int64, error) {
	var names **C.char
	var values *C.int64_t
	var n C.int
	if err := errorOf("MemoryStats", C.gt_cuda_memory_stats(C.int(device), &names, &values, &n)); err != nil {
		return nil, err
	}
	ns := unsafe.Slice(names, int(n))
	vs := unsafe.Slice(values, int(n))
	m := make(map[string]int64, int(n))
	for i := range ns {
		m[C.GoString(ns[i])] = int64(vs[i])
		C.free(unsafe.Pointer(ns[i]))
	}
	C.free(unsafe.Pointer(names))
	C.free(unsafe.Pointer(values))
	return m, nil
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
// pass a target, we run the collector (whose cleanups free the unreachable
// tensors) and set the next target at twice what survives, like GOGC=100.
const minGCTarget = 64 << 20

var (
	gcTarget  atomic.Int64
	gcRunning atomic.Bool
)

func init() { gcTarget.Store(minGCTarget) }

// notePressure is called after each tensor allocation: two atomic loads on the
// fast path.
func notePressure() {
	live := atomic.LoadInt64(&counters[0])
	target := gcTarget.Load()
	if live < target {
		return
	}
	if live >= 2*target {
		// The background collection is not keeping up: collect here so that
		// this goroutine cannot outrun its own garbage.
		runtime.GC()
	}
	if gcRunning.CompareAndSwap(false, true) {
		go collect()
	}
}

func collect() {
	defer gcRunning.Store(false)
	runtime.GC()
	// Cleanups run after the collection on the runtime's cleanup goroutine:
	// give them a moment to free, and measure what survives.
	prev := atomic.LoadInt64(&counters[0])
	for range 50 {
		time.Sleep(200 * time.Microsecond)
		cur := atomic.LoadInt64(&counters[0])
		if cur >= prev {
			break
		}
		prev = cur
	}
	gcTarget.Store(max(minGCTarget, 2*atomic.LoadInt64(&counters[0])))
}

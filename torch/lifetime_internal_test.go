package torch

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A loop that drops every tensor it makes, never calling Free, keeps live
// native memory under the bound memory.go states: after a reclaim leaves L
// bytes live the next starts at T = max(minGCTarget, L + L/2), and one
// goroutine overshoots T by at most the one tensor it is making. Here at
// most three S-byte tensors are reachable at once, so L <= base + 3S and
// the peak (the allocator's own, between the checks too) is at most
// max(minGCTarget, 1.5*(base+3S)) + S. The reclaim is synchronous, so the
// bound holds whatever the machine's load: it is asserted, not sampled.
func TestNoLeakWithoutFree(t *testing.T) {
	// Largest first: each size's bound must hold right after a phase of
	// larger tensors (Collect resets the reclaim target to what is live; it
	// stayed at the 64 MiB phase's ~200 MiB, and the 256 KiB loop grew to it).
	for _, size := range []int64{64 << 20, 4 << 20, 256 << 10} {
		t.Run(fmt.Sprintf("%dKiB", size>>10), func(t *testing.T) {
			base := Collect(CPU)
			bound := max(int64(minGCTarget), (base+3*size)*3/2) + size + 1<<20 // 1 MiB: the sums, scalars
			// Enough iterations to allocate 10x the bound.
			iters := int(10*bound/(3*size)) + 1
			reclaims := cpuPressure.reclaims.Load()
			ResetPeakMemoryStats(CPU)
			n := size / 4
			for range iters {
				a := Ones([]int64{n})                      // S
				b := a.MulScalar(Int(2)).AddScalar(Int(1)) // 2S, the first dropped at once
				_ = b.Sum()
			}
			peak := MaxMemoryAllocated(CPU)
			t.Logf("%d iterations, %d MiB allocated, %d reclaims; live peak %.1f MiB over a base of %.1f MiB, bound %.1f MiB",
				iters, int64(iters)*3*size>>20, cpuPressure.reclaims.Load()-reclaims,
				float64(peak-base)/(1<<20), float64(base)/(1<<20), float64(bound)/(1<<20))
			assert.LessOrEqual(t, peak, bound)
			assert.Greater(t, cpuPressure.reclaims.Load(), reclaims, "the loop allocated 10x the bound: it must have reclaimed")
		})
	}
}

// A Free while a call is using the tensor panics instead of releasing the
// handle under it, and the use count does not outlive the call.
func TestFreeWhileInUse(t *testing.T) {
	x := Ones([]int64{2})
	x.acquire() // a call in flight, as in another goroutine
	require.PanicsWithError(t, "torch: Free: tensor freed while another goroutine is using it", x.Free)
	assert.Equal(t, []float32{1, 1}, x.Float32s(), "still usable")
	x.release()
	x.Free()
	require.PanicsWithError(t, "torch: Tensor: tensor used after Free", func() { x.acquire() })
	assert.Equal(t, int64(stateFreed), x.word.Load(), "a refused use leaves no count behind")

	// A list whose third tensor is freed: the first two are released again.
	a, b, c := Ones([]int64{1}), Ones([]int64{1}), Ones([]int64{1})
	c.Free()
	require.Panics(t, func() { Cat([]*Tensor{a, b, c}) })
	assert.Zero(t, a.word.Load()>>2)
	assert.Zero(t, b.word.Load()>>2)
	FreeAll(a, b)
}

// The default thread count is PyTorch's: OMP_NUM_THREADS when set (torchrun
// sets 1 for several ranks), else one per core.
func TestDefaultThreads(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want int
	}{
		{"1", 1}, {" 3 ", 3}, {"", runtime.NumCPU()}, {"0", runtime.NumCPU()}, {"two", runtime.NumCPU()}, {"100000", MaxThreads()},
	} {
		t.Setenv("OMP_NUM_THREADS", tt.env)
		assert.Equal(t, tt.want, defaultThreads(), "OMP_NUM_THREADS=%q", tt.env)
	}
}

// Free queues the handle (capi.QueueFree) instead of calling into libtorch:
// the memory is back before the next operation starts, as the allocator's
// own counter shows without the drain that MemoryAllocated does; and Frees
// that go round the queue's ring with no operation between them (FreeAll of
// more tensors than it has slots) are each released once, none lost.
func TestFreeQueuedReleasedByNextOp(t *testing.T) {
	const size = 1 << 20
	base := Collect(CPU)
	x := Zeros([]int64{size / 4})
	assert.Equal(t, base+size, atomic.LoadInt64(&counters[0]))
	x.Free()
	y := Ones([]int64{1}) // the next operation: frees x before it allocates
	assert.Equal(t, base+4, atomic.LoadInt64(&counters[0]), "x released by the next call, y's 4 bytes counted")
	y.Free()
	assert.Equal(t, base, MemoryAllocated(CPU))

	for _, n := range []int{10, 256, 257, 1000} {
		ts := make([]*Tensor, n)
		for i := range ts {
			ts[i] = Full([]int64{256}, Int(int64(i)))
		}
		FreeAll(ts...)
		assert.Equal(t, base, MemoryAllocated(CPU), "%d tensors freed in a row", n)
	}
}

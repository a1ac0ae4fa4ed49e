package torch_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
)

// collectUntil runs the collector until the CPU counter reads want or the
// tries run out, and returns the last reading.
func collectUntil(want int64, tries int) int64 {
	cur := torch.MemoryAllocated(torch.CPU)
	for i := 0; i < tries && cur != want; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
		cur = torch.MemoryAllocated(torch.CPU)
	}
	return cur
}

// A tensor dropped without Free is released by the collector even when no
// later tensor pushes it out of the ring of recent tensors (lifetime.go):
// each collection empties the ring, the next frees what was dropped.
func TestDroppedTensorFreedWithoutLaterTensors(t *testing.T) {
	torch.Collect(torch.CPU)
	before := torch.MemoryAllocated(torch.CPU)
	for _, shape := range [][]int64{{1024, 1024}, {7}, {3, 5, 2}} {
		x := torch.Ones(shape)
		require.Greater(t, torch.MemoryAllocated(torch.CPU), before, "%v", shape)
		_ = x // dropped here, without Free
	}
	assert.Equal(t, before, collectUntil(before, 20), "dropped tensors are freed within a few collections")
}

// Tensors survive while reachable, however many tensors are made after
// them: leaving the ring registers them (lifetime.go), it does not free them.
func TestReachableTensorOutlivesTheRing(t *testing.T) {
	keep := torch.FromSlice([]float32{1, 2, 3})
	for range 1000 {
		torch.Zeros([]int64{2}).Free()
		_ = torch.Zeros([]int64{2}) // dropped: pushes keep out of the ring
	}
	runtime.GC()
	runtime.GC()
	assert.Equal(t, []float32{1, 2, 3}, keep.Float32s())
	keep.Free()
	assert.PanicsWithError(t, "torch: Tensor: tensor used after Free", func() { keep.Float32s() })
}

// Free racing with the ring's eviction and with the collector's flush must
// release each handle exactly once (a double free crashes the process) and
// leave no registry entry that could free a freed tensor again.
func TestFreeRacesWithEviction(t *testing.T) {
	torch.Collect(torch.CPU)
	before := torch.MemoryAllocated(torch.CPU)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			type kept struct {
				t *torch.Tensor
				v float32
			}
			held := make([]kept, 0, 200)
			for i := range 3000 {
				x := torch.Full([]int64{4}, torch.Float(float64(i)))
				switch {
				case i%3 == 0:
					x.Free()
					x.Free() // idempotent
				case i%3 == 1:
					held = append(held, kept{x, float32(i)}) // freed later, after leaving the ring
				default:
					// dropped: left to the collector
				}
				if len(held) == cap(held) {
					for _, h := range held {
						assert.Equal(t, []float32{h.v, h.v, h.v, h.v}, h.t.Float32s())
						h.t.Free()
					}
					held = held[:0]
				}
				if g == 0 && i%500 == 0 {
					runtime.GC()
				}
			}
			for _, h := range held {
				h.t.Free()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, before, collectUntil(before, 50), "every tensor freed once")
}

func TestFreeAll(t *testing.T) {
	a, b := torch.Ones([]int64{2}), torch.Zeros([]int64{3})
	torch.FreeAll(a, nil, a, b) // nil and repeats are fine
	for _, x := range []*torch.Tensor{a, b} {
		err := torch.Catch(func() { x.Numel() })
		require.ErrorContains(t, err, "tensor used after Free")
	}
	torch.FreeAll()
}

// Free racing with a use in another goroutine is a panic in one of them
// (the use: "tensor used after Free"; the Free: "freed while another
// goroutine is using it"), never a use of freed memory: this crashed the
// process before uses were counted.
func TestFreeRacingWithUse(t *testing.T) {
	var usePanics, freePanics int
	for range 300 {
		x := torch.Ones([]int64{64, 64})
		started := make(chan struct{})
		used := make(chan error, 1)
		go func() {
			used <- torch.Catch(func() {
				for i := range 50 {
					if i == 1 {
						close(started)
					}
					x.Matmul(x).Free()
				}
			})
		}()
		<-started // the Free below meets the uses still to come
		var err error
		for {
			if err = torch.Catch(x.Free); err == nil {
				break
			}
			require.ErrorContains(t, err, "tensor freed while another goroutine is using it")
			freePanics++
		}
		if err := <-used; err != nil {
			require.ErrorContains(t, err, "tensor used after Free")
			usePanics++
		}
	}
	// Which side wins each race depends on the scheduler; that each loses
	// cleanly does not (without the use count, this test crashed).
	t.Logf("of 300 races: %d uses refused after Free, %d Frees refused during a use", usePanics, freePanics)
}

package torch

import (
	"runtime"
	"sync/atomic"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// A tensor's native memory is released by Free or, for a tensor dropped
// without Free, by a finalizer once the *Tensor is unreachable. Registering
// a finalizer (and cancelling it in Free) is the largest part of what Go adds
// to a small op: SetFinalizer takes two runtime locks and walks the span's
// list of specials each time, ~100 ns (runtime.AddCleanup with Stop costs
// ~100 ns more: two allocations and more locking). Most tensors of a
// training loop are freed within a few operations of their creation, so
// registration is deferred: a new tensor enters a ring of the last
// recentSize tensors made (an atomic add and swap), and only when it leaves
// the ring still unfreed does it get its finalizer. A tensor freed before
// then never touches the runtime's specials.
//
// The ring holds its tensors strongly, so a tensor dropped without Free is
// collected only after recentSize more tensors were made, or after the
// next collection has emptied the ring (flushRecent, run once per GC
// cycle) and the one after has found it unreachable. That pins at most
// recentSize dropped tensors at a time; the memory-pressure collections of
// memory.go count them as live, like any other, and empty the ring too.
const recentSize = 64

// Lifetime states of a Tensor (Tensor.state).
const (
	stateNew      = iota // in the ring or just out of it, no finalizer
	stateTracking        // leaving the ring: its finalizer is being set
	stateTracked         // has its finalizer
	stateFreed           // handle released; using the tensor panics
)

var recent struct {
	next  atomic.Uint64
	slots [recentSize]atomic.Pointer[Tensor]
}

// track takes a handle just stored in t.h into the lifetime machinery.
func (t *Tensor) track() {
	i := recent.next.Add(1) % recentSize
	if old := recent.slots[i].Swap(t); old != nil {
		old.setFinalizer()
	}
	notePressure(t)
}

// setFinalizer gives a tensor leaving the ring its finalizer, unless Free
// came first. Free may run concurrently (another goroutine); the states
// make sure that exactly one of them frees the handle and that a freed
// tensor keeps no finalizer.
func (t *Tensor) setFinalizer() {
	if !t.state.CompareAndSwap(stateNew, stateTracking) {
		return // already freed
	}
	runtime.SetFinalizer(t, finalize)
	if !t.state.CompareAndSwap(stateTracking, stateTracked) {
		// Free ran in between and released the handle.
		runtime.SetFinalizer(t, nil)
	}
}

// finalize frees the handle of a tensor that became unreachable without
// Free. A finalizer rather than runtime.AddCleanup for its lower cost (see
// above); its usual drawbacks do not apply, as a Tensor holds no Go
// pointers: it can neither resurrect anything nor sit in a cycle.
func finalize(t *Tensor) { capi.Free(t.h) }

// Free releases the tensor's native memory now (PyTorch's `del t`, when no
// other reference holds the storage). It is idempotent; using the tensor
// afterwards panics.
func (t *Tensor) Free() {
	if t == nil {
		return
	}
	for {
		switch s := t.state.Load(); s {
		case stateNew, stateTracking:
			// No finalizer yet; a concurrent setFinalizer sees stateFreed
			// and removes the one it is setting.
			if t.state.CompareAndSwap(s, stateFreed) {
				capi.Free(t.h)
				return
			}
		case stateTracked:
			if t.state.CompareAndSwap(s, stateFreed) {
				runtime.SetFinalizer(t, nil)
				capi.Free(t.h)
				return
			}
		default:
			return
		}
	}
}

// FreeAll frees every tensor given (Free on each; nil ones and repeats are
// fine): the temporaries of a training step, say, in one call.
func FreeAll(ts ...*Tensor) {
	for _, t := range ts {
		t.Free()
	}
}

// flushRecent empties the ring, giving its unfreed tensors their
// finalizers, so that tensors dropped without Free are collected even when
// no new tensors push them out.
func flushRecent() {
	for i := range recent.slots {
		if t := recent.slots[i].Swap(nil); t != nil {
			t.setFinalizer()
		}
	}
}

// gcTick's finalizer runs once per garbage collection (it re-arms itself
// with a new, unreachable gcTick) and flushes the ring. The pointer field
// keeps it out of the tiny allocator, whose objects may be finalized late.
type gcTick struct{ _ *byte }

func armGCTick() {
	runtime.SetFinalizer(&gcTick{}, func(*gcTick) {
		flushRecent()
		armGCTick()
	})
}

func init() { armGCTick() }

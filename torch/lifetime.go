package torch

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// A tensor's native memory is released by Free (or the Close of the Scope
// it was made in) or, for a tensor dropped without Free, once the *Tensor is
// unreachable.
//
// Dropped tensors are found through weak pointers, not finalizers: every
// tracked tensor has an entry {weak pointer, handle} in the registry, and a
// sweep frees the handles whose weak pointer has gone nil. A weak pointer is
// nil as soon as a collection has found its tensor unreachable (reading one
// finishes sweeping its span), so a sweep right after runtime.GC frees every
// dropped tensor, deterministically; finalizers would run later, on the
// runtime's one finalizer goroutine, whenever that goroutine is scheduled,
// which on a loaded machine let dropped tensors pile up behind it. The
// memory-pressure reclaim of memory.go relies on that.
//
// Registering a tensor (weak.Make and an append under a lock) is the largest
// part of what Go adds to a small op, so it is deferred: a new tensor enters a
// ring of the last recentSize tensors made (an atomic add and swap), and only
// when it leaves the ring still unfreed is it registered. Most tensors of a
// training loop are freed within a few operations of their creation and never
// reach the registry. The ring holds its tensors strongly; a reclaim empties
// it before collecting, and each garbage collection empties it too (gcTick),
// so it delays the release of at most recentSize dropped tensors until the
// next collection.
const recentSize = 64

// Tensor.word holds the lifetime state in its low two bits and, above them,
// the number of calls into libtorch that are using the handle right now
// (acquire/release): Free refuses to release a handle in use, and a call
// after Free refuses to start, so a Free racing with a use in another
// goroutine is a panic in one of them, never a use of freed memory.
const (
	stateNew     = iota // in the ring or just out of it, not registered
	stateTracked        // registered (registry.entries[slot])
	stateFreed          // handle released; using the tensor panics

	stateMask = 3
	useUnit   = 4
)

var recent struct {
	next  atomic.Uint64
	slots [recentSize]atomic.Pointer[Tensor]
}

// registry holds the tensors that left the ring unfreed.
var registry struct {
	mu      sync.Mutex
	entries []regEntry
}

type regEntry struct {
	t weak.Pointer[Tensor]
	h capi.Tensor // nil once Free released it
}

// track takes a handle just stored in t.h into the lifetime machinery.
func (t *Tensor) track() {
	i := recent.next.Add(1) % recentSize
	if old := recent.slots[i].Swap(t); old != nil {
		old.register()
	}
	if scopes.active.Load() > 0 {
		addToScope(t)
	}
	notePressure(t)
}

// casState moves t from state from to state to, keeping the use count.
func (t *Tensor) casState(from, to int64) bool {
	for {
		v := t.word.Load()
		if v&stateMask != from {
			return false
		}
		if t.word.CompareAndSwap(v, v&^stateMask|to) {
			return true
		}
	}
}

// register enters a tensor leaving the ring into the registry, unless Free
// came first.
func (t *Tensor) register() {
	if t.word.Load()&stateMask != stateNew {
		return // freed already (the common case): no lock
	}
	registry.mu.Lock()
	if t.casState(stateNew, stateTracked) {
		t.slot = len(registry.entries)
		registry.entries = append(registry.entries, regEntry{weak.Make(t), t.h})
	}
	registry.mu.Unlock()
}

// sweep frees the handles of registered tensors that the last collection
// found unreachable and compacts the registry. It returns how many it freed.
func sweep() int {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	es := registry.entries
	n, freed := 0, 0
	for _, e := range es {
		if e.h == 0 {
			continue // freed by Free
		}
		t := e.t.Value()
		if t == nil {
			capi.Free(e.h)
			freed++
			continue
		}
		t.slot = n
		es[n] = e
		n++
	}
	clear(es[n:])
	if cap(es) > 1024 && n < cap(es)/4 {
		es = append([]regEntry(nil), es[:n]...)
	}
	registry.entries = es[:n]
	return freed
}

// flushRecent empties the ring, registering its unfreed tensors, so that
// the next collection can find the dropped ones.
func flushRecent() {
	for i := range recent.slots {
		if t := recent.slots[i].Swap(nil); t != nil {
			t.register()
		}
	}
}

// reclaim frees every tensor dropped without Free, now: the ring is
// emptied, a collection finds what is unreachable, and the sweep frees it.
func reclaim() {
	capi.FreeQueued()
	flushRecent()
	runtime.GC()
	sweep()
}

// acquire returns t's handle for one call into libtorch, counting the use;
// release ends it. It panics on a nil or freed tensor.
func (t *Tensor) acquire() capi.Tensor {
	if t == nil {
		panic(&Error{Op: "Tensor", Msg: "nil *Tensor"})
	}
	if t.word.Add(useUnit)&stateMask == stateFreed {
		t.word.Add(-useUnit)
		panic(&Error{Op: "Tensor", Msg: "tensor used after Free"})
	}
	return t.h
}

// release ends a use that acquire began. Being a call on t after the call
// into libtorch, it also keeps t reachable until then.
func (t *Tensor) release() { t.word.Add(-useUnit) }

// optAcquire is acquire for an optional tensor: nil passes as None.
func optAcquire(t *Tensor) capi.Tensor {
	if t == nil {
		return 0
	}
	return t.acquire()
}

func optRelease(t *Tensor) {
	if t != nil {
		t.release()
	}
}

// acquireAll appends the handles of ts to buf (a caller's stack array when
// short), acquiring each; nil elements pass as None where opt is set. On a
// panic the ones already acquired are released.
func acquireAll(buf []capi.Tensor, ts []*Tensor, opt bool) []capi.Tensor {
	done := 0
	defer func() {
		if done < len(ts) {
			releaseAll(ts[:done])
		}
	}()
	for _, t := range ts {
		if opt {
			buf = append(buf, optAcquire(t))
		} else {
			buf = append(buf, t.acquire())
		}
		done++
	}
	return buf
}

// releaseAll releases what acquireAll acquired.
func releaseAll(ts []*Tensor) {
	for _, t := range ts {
		optRelease(t)
	}
}

// Free releases the tensor's native memory (PyTorch's `del t`, when no
// other reference holds the storage). It is idempotent; using the tensor
// afterwards panics, and so does freeing a tensor that another goroutine is
// using at that moment.
//
// The release itself happens in libtorch at the start of the next operation
// (while operations run on several goroutines at once, of one of the next
// few), or when memory is read (MemoryAllocated, MemoryStats, Collect) or
// collected: Free hands the handle over through a queue in C memory instead
// of making a cgo call of its own, which halves the calls of a loop like
// `a.Add(b).Free()`, and such a loop allocates into the memory it gave back.
func (t *Tensor) Free() {
	if t == nil {
		return
	}
	for {
		v := t.word.Load()
		s := v & stateMask
		if s == stateFreed {
			return
		}
		if v>>2 != 0 {
			panic(&Error{Op: "Free", Msg: "tensor freed while another goroutine is using it"})
		}
		if s == stateNew {
			// Not registered; a concurrent register sees stateFreed.
			if t.word.CompareAndSwap(v, stateFreed) {
				capi.QueueFree(t.h)
				return
			}
			continue
		}
		registry.mu.Lock()
		ok := t.word.CompareAndSwap(v, stateFreed)
		if ok {
			registry.entries[t.slot].h = 0
		}
		registry.mu.Unlock()
		if ok {
			capi.QueueFree(t.h)
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

// gcTick's finalizer runs once per garbage collection (it re-arms itself
// with a new, unreachable gcTick): it frees what Free queued (for a program
// that makes no more operations), sweeps the registry, freeing what that
// collection found dropped, and empties the ring for the next one, so that
// dropped tensors are released even when no memory pressure asks for it.
// The pointer field keeps it out of the tiny allocator, whose objects may be
// finalized late.
type gcTick struct{ _ *byte }

func armGCTick() {
	runtime.SetFinalizer(&gcTick{}, func(*gcTick) {
		capi.FreeQueued()
		sweep()
		flushRecent()
		armGCTick()
	})
}

func init() { armGCTick() }

package torch

import (
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/petermattis/goid"
)

// Scope frees, when it closes, every tensor its goroutine made while it was
// open, except those kept: a training step or an inference request with
// deterministic memory and no Free calls. It is TorchSharp's DisposeScope;
// PyTorch needs none, as CPython's reference counts free each temporary at
// once. Without a scope, dropped tensors are freed by the garbage collector
// (see Free and docs/porting.md).
//
//	torch.WithScope(func(s *torch.Scope) {
//		loss := lossFn(model.Forward(x), y) // every temporary is in s
//		loss.Backward()
//		opt.Step()
//		total += loss.Item()
//	}) // all freed here
//
// A scope belongs to the goroutine that opened it: only tensors made by that
// goroutine join it (tensors made by other goroutines, such as a
// DataLoader's workers, can be added with Include), and only that goroutine
// may call its methods. Scopes nest: the innermost open scope of a goroutine
// takes its new tensors, and Keep hands a tensor to the enclosing one.
//
// What outlives the scope must be kept (Keep, or returned through Scoped) or
// made outside it. Model parameters and buffers are usually made before the
// loop; gotorch's optimizers, TorchScript modules and other state that
// outlives a call call Persist on what they make. A tensor used after its
// scope closed panics, as after Free.
type Scope struct {
	id     uint64 // what a Tensor's scope field holds: 0 is none
	gid    int64
	outer  *Scope
	ts     []*Tensor
	closed bool
}

var scopes struct {
	active atomic.Int64  // scopes open, on all goroutines
	ids    atomic.Uint64 // the last Scope.id given
	inner  sync.Map      // goroutine id → its innermost open *Scope
}

// NewScope opens a scope on the calling goroutine; Close it (defer
// s.Close()) on the same goroutine. WithScope and Scoped do both.
func NewScope() *Scope {
	s := &Scope{id: scopes.ids.Add(1), gid: goid.Get()}
	if o, ok := scopes.inner.Load(s.gid); ok {
		s.outer = o.(*Scope)
	}
	scopes.inner.Store(s.gid, s)
	scopes.active.Add(1)
	return s
}

// WithScope runs fn inside a new scope and closes it when fn returns or
// panics.
func WithScope(fn func(s *Scope)) {
	s := NewScope()
	defer s.Close()
	fn(s)
}

// Scoped runs fn inside a new scope and returns its result, keeping every
// tensor the result reaches (a *Tensor, or tensors in slices, maps, arrays,
// structs and pointers to them) and freeing the rest:
//
//	logits := torch.Scoped(func(*torch.Scope) *torch.Tensor {
//		return model.Forward(x).Softmax(1, nil)
//	})
func Scoped[T any](fn func(s *Scope) T) T {
	s := NewScope()
	defer s.Close()
	v := fn(s)
	s.keepReachable(reflect.ValueOf(&v).Elem(), map[seenKey]bool{})
	return v
}

// addToScope puts a new tensor into its goroutine's innermost scope.
func addToScope(t *Tensor) {
	if v, ok := scopes.inner.Load(goid.Get()); ok {
		s := v.(*Scope)
		t.scope = s.id
		s.ts = append(s.ts, t)
	}
}

// idOf is the Scope.id of s, 0 for none.
func idOf(s *Scope) uint64 {
	if s == nil {
		return 0
	}
	return s.id
}

func (s *Scope) checkOwner(op string) {
	if goid.Get() != s.gid {
		panic(&Error{Op: op, Msg: "a Scope is used only by the goroutine that opened it"})
	}
}

// Close frees the scope's tensors that were not kept and ends the scope;
// the enclosing scope, if any, takes new tensors again. Closing an outer
// scope closes the inner ones still open. A second Close does nothing.
func (s *Scope) Close() {
	if s == nil || s.closed {
		return
	}
	s.checkOwner("Scope.Close")
	if v, ok := scopes.inner.Load(s.gid); ok && v.(*Scope) != s {
		v.(*Scope).Close() // an inner scope left open
	}
	s.closed = true
	if s.outer != nil {
		scopes.inner.Store(s.gid, s.outer)
	} else {
		scopes.inner.Delete(s.gid)
	}
	scopes.active.Add(-1)
	ts := s.ts
	s.ts = nil
	for _, t := range ts {
		if t.scope == s.id {
			t.scope = 0
			t.Free()
		}
	}
}

// Keep hands tensors of this scope to the enclosing scope, or to no scope
// when there is none, so that they outlive s. Tensors s does not hold are
// left as they are.
func (s *Scope) Keep(ts ...*Tensor) {
	s.checkOwner("Scope.Keep")
	for _, t := range ts {
		if t == nil || t.scope != s.id {
			continue
		}
		t.scope = idOf(s.outer)
		if s.outer != nil {
			s.outer.ts = append(s.outer.ts, t)
		}
	}
}

// Include adds tensors to the scope, to be freed when it closes: tensors
// another goroutine made (a DataLoader worker's batch), or ones made before
// it opened. A tensor leaves the scope it was in.
func (s *Scope) Include(ts ...*Tensor) {
	s.checkOwner("Scope.Include")
	if s.closed {
		panic(&Error{Op: "Scope.Include", Msg: "the scope is closed"})
	}
	for _, t := range ts {
		if t == nil || t.scope == s.id {
			continue
		}
		t.scope = s.id
		s.ts = append(s.ts, t)
	}
}

// Persist takes tensors out of whatever scope would free them, for state
// that outlives the step that made it (an optimizer's moments, a cache).
// Call it on the goroutine that made them.
func Persist(ts ...*Tensor) {
	for _, t := range ts {
		if t != nil {
			t.scope = 0
		}
	}
}

var tensorPtr = reflect.TypeFor[*Tensor]()

// seenKey marks a pointer, slice or map already walked (a cycle, or data
// shared), by address, type and, for a slice, length.
type seenKey struct {
	p uintptr
	t reflect.Type
	n int
}

// keepReachable keeps every tensor of s that v reaches.
func (s *Scope) keepReachable(v reflect.Value, seen map[seenKey]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type() == tensorPtr {
			s.Keep((*Tensor)(v.UnsafePointer()))
			return
		}
		if k := (seenKey{v.Pointer(), v.Type(), 0}); !seen[k] {
			seen[k] = true
			s.keepReachable(v.Elem(), seen)
		}
	case reflect.Interface:
		if !v.IsNil() {
			s.keepReachable(v.Elem(), seen)
		}
	case reflect.Slice, reflect.Array:
		if !mayHoldPointers(v.Type().Elem()) {
			return
		}
		if v.Kind() == reflect.Slice {
			k := seenKey{v.Pointer(), v.Type(), v.Len()}
			if v.IsNil() || seen[k] {
				return
			}
			seen[k] = true
		}
		for i := range v.Len() {
			s.keepReachable(v.Index(i), seen)
		}
	case reflect.Map:
		k := seenKey{v.Pointer(), v.Type(), 0}
		if v.IsNil() || seen[k] {
			return
		}
		seen[k] = true
		for it := v.MapRange(); it.Next(); {
			s.keepReachable(it.Key(), seen)
			s.keepReachable(it.Value(), seen)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			s.keepReachable(v.Field(i), seen)
		}
	}
}

// mayHoldPointers reports whether a value of type t can reach a *Tensor.
func mayHoldPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map, reflect.Struct, reflect.Array:
		return true
	}
	return false
}

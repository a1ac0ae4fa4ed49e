package torch

/*
#include <stdlib.h>
#include "cgotorch.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// RequiresGrad reports whether autograd records operations on t:
// Tensor.requires_grad.
func (t *Tensor) RequiresGrad() bool {
	b := C.gt_requires_grad(t.handle()) != 0
	runtime.KeepAlive(t)
	return b
}

// GradFn names the autograd function that produced t ("MulBackward0"), or
// "" for a leaf: type(t.grad_fn).__name__.
func (t *Tensor) GradFn() string {
	p := C.gt_grad_fn_name(t.handle())
	runtime.KeepAlive(t)
	if p == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(p))
	return C.GoString(p)
}

// IsLeaf reports whether t was made by the user rather than by an operation
// autograd recorded: Tensor.is_leaf.
func (t *Tensor) IsLeaf() bool { return t.GradFn() == "" }

// SetRequiresGrad is Tensor.requires_grad_(b); it returns t.
func (t *Tensor) SetRequiresGrad(b bool) *Tensor {
	return t.inPlace("SetRequiresGrad", C.gt_set_requires_grad(t.handle(), cbool(b)))
}

// Backward computes the gradients of a scalar t with respect to the leaves
// that require them: Tensor.backward().
func (t *Tensor) Backward() {
	check("Backward", C.gt_backward(t.handle(), nil, 0))
	runtime.KeepAlive(t)
}

// BackwardWith is Tensor.backward(gradient, retain_graph=retainGraph), for
// non-scalar outputs or a graph that is walked more than once.
func (t *Tensor) BackwardWith(gradient *Tensor, retainGraph bool) {
	var g C.gt_tensor
	if gradient != nil {
		g = gradient.handle()
	}
	check("Backward", C.gt_backward(t.handle(), g, cbool(retainGraph)))
	runtime.KeepAlive(t)
	runtime.KeepAlive(gradient)
}

// Grad returns the accumulated gradient, or nil where there is none:
// Tensor.grad.
func (t *Tensor) Grad() *Tensor {
	var out C.gt_tensor
	check("Grad", C.gt_grad(t.handle(), &out))
	runtime.KeepAlive(t)
	if out == nil {
		return nil
	}
	return newTensor(out)
}

// ZeroGrad fills the gradient with zeros, keeping its memory:
// t.grad.zero_() (what Module.zero_grad(set_to_none=False) does).
func (t *Tensor) ZeroGrad() {
	check("ZeroGrad", C.gt_grad_reset(t.handle(), 0))
	runtime.KeepAlive(t)
}

// ClearGrad drops the gradient and its memory: t.grad = None (what
// Module.zero_grad() does by default since PyTorch 2.0).
func (t *Tensor) ClearGrad() {
	check("ClearGrad", C.gt_grad_reset(t.handle(), 1))
	runtime.KeepAlive(t)
}

// IsGradEnabled reports whether autograd records on the calling goroutine's
// thread: torch.is_grad_enabled.
func IsGradEnabled() bool { return C.gt_grad_enabled() != 0 }

// NoGrad runs f with autograd off: `with torch.no_grad():`.
//
// libtorch keeps the grad mode per OS thread, so NoGrad locks the goroutine to
// its thread while f runs. Goroutines that f starts are not covered.
func NoGrad(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	prev := C.gt_grad_enabled()
	C.gt_set_grad_enabled(0)
	defer C.gt_set_grad_enabled(prev)
	f()
}

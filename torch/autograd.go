package torch

import (
	"runtime"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// RequiresGrad reports whether autograd records operations on t:
// Tensor.requires_grad.
func (t *Tensor) RequiresGrad() bool {
	b := capi.RequiresGrad(t.acquire())
	t.release()
	return b
}

// GradFn names the autograd function that produced t ("MulBackward0"), or
// "" for a leaf: type(t.grad_fn).__name__.
func (t *Tensor) GradFn() string {
	name := capi.GradFnName(t.acquire())
	t.release()
	return name
}

// IsLeaf reports whether t was made by the user rather than by an operation
// autograd recorded: Tensor.is_leaf.
func (t *Tensor) IsLeaf() bool { return t.GradFn() == "" }

// SetRequiresGrad is Tensor.requires_grad_(b); it returns t.
func (t *Tensor) SetRequiresGrad(b bool) *Tensor {
	err := capi.SetRequiresGrad(t.acquire(), b)
	t.release()
	return t.inPlace1("SetRequiresGrad", err)
}

// Backward computes the gradients of a scalar t with respect to the leaves
// that require them: Tensor.backward().
func (t *Tensor) Backward() {
	check("Backward", capi.Backward(t.acquire(), 0, false))
	t.release()
}

// BackwardWith is Tensor.backward(gradient, retain_graph=retainGraph), for
// non-scalar outputs or a graph that is walked more than once.
func (t *Tensor) BackwardWith(gradient *Tensor, retainGraph bool) {
	h := t.acquire()
	defer t.release()
	g := optAcquire(gradient)
	defer optRelease(gradient)
	check("Backward", capi.Backward(h, g, retainGraph))
}

// Grad returns the accumulated gradient, or nil where there is none:
// Tensor.grad.
func (t *Tensor) Grad() *Tensor {
	h, err := capi.Grad(t.acquire())
	t.release()
	check("Grad", err)
	if h == 0 {
		return nil
	}
	return newTensor(h)
}

// ClearGrad drops the gradient and its memory: t.grad = None (what
// Module.zero_grad() does by default since PyTorch 2.0).
func (t *Tensor) ClearGrad() {
	check("ClearGrad", capi.GradReset(t.acquire(), true))
	t.release()
}

// IsGradEnabled reports whether autograd records on the calling goroutine's
// thread: torch.is_grad_enabled.
func IsGradEnabled() bool { return capi.GradEnabled() }

// NoGrad runs f with autograd off: `with torch.no_grad():`.
//
// libtorch keeps the grad mode per OS thread, so NoGrad locks the goroutine to
// its thread while f runs. Goroutines that f starts are not covered.
func NoGrad(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	prev := capi.GradEnabled()
	capi.SetGradEnabled(false)
	defer capi.SetGradEnabled(prev)
	f()
}

package torch

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// The operators native_functions.yaml marks manual_cpp_binding have no
// at::_ops entry point in every libtorch (the generator leaves them out, see
// gen/names.yaml's header); the ones a port needs are written here by hand.

// Contiguous is Tensor.contiguous(): t itself when already contiguous, else a
// contiguous copy.
func (t *Tensor) Contiguous() *Tensor {
	h, err := capi.Contiguous(t.acquire())
	t.release()
	check("Contiguous", err)
	return newTensor(h)
}

// IsComplex is Tensor.is_complex().
func (t *Tensor) IsComplex() bool { return t.DType().IsComplex() }

// IsFloatingPoint is Tensor.is_floating_point().
func (t *Tensor) IsFloatingPoint() bool { return t.DType().IsFloatingPoint() }

// IsSigned is Tensor.is_signed(): false for uint8 and bool, true for every
// other dtype (the floating and complex ones included).
func (t *Tensor) IsSigned() bool { return t.DType().IsSigned() }

// Conj is Tensor.conj() (torch.conj): for a complex tensor a lazy view with
// the conjugate bit set (IsConj), sharing t's storage, which operations and
// copies resolve as they read it; for other dtypes t itself (an alias).
func (t *Tensor) Conj() *Tensor {
	h, err := capi.Conj(t.acquire())
	t.release()
	return result1("Conj", h, err)
}

// IsConj is Tensor.is_conj(): whether t's conjugate bit is set (Conj's lazy
// view; ResolveConj materializes it).
func (t *Tensor) IsConj() bool {
	b := capi.IsConj(t.acquire())
	t.release()
	return b
}

// IsNeg is Tensor.is_neg(): whether t's negative bit is set (a lazy
// negation such as the imaginary part of a conjugate view; ResolveNeg
// materializes it).
func (t *Tensor) IsNeg() bool {
	b := capi.IsNeg(t.acquire())
	t.release()
	return b
}

// IsInference is Tensor.is_inference(): whether t was made in inference
// mode (torch.inference_mode).
func (t *Tensor) IsInference() bool {
	b := capi.IsInference(t.acquire())
	t.release()
	return b
}

// RetainGrad is Tensor.retain_grad(): a non-leaf tensor keeps its gradient
// in Grad after Backward (a leaf always does; then it does nothing). It
// panics where PyTorch raises: on a tensor that does not require grad.
func (t *Tensor) RetainGrad() {
	err := capi.RetainGrad(t.acquire())
	t.release()
	check("RetainGrad", err)
}

// RetainsGrad is Tensor.retains_grad: whether RetainGrad was called on this
// non-leaf tensor (false for a leaf).
func (t *Tensor) RetainsGrad() bool {
	b, err := capi.RetainsGrad(t.acquire())
	t.release()
	check("RetainsGrad", err)
	return b
}

// Strides is Tensor.stride(): for each dimension, the elements to step in
// storage to the next index.
func (t *Tensor) Strides() []int64 {
	var buf [8]int64
	h := t.acquire()
	defer t.release()
	n := capi.Strides(h, buf[:])
	if n > len(buf) {
		big := make([]int64, n)
		capi.Strides(h, big)
		return big
	}
	out := make([]int64, n)
	copy(out, buf[:n])
	return out
}

// Stride is Tensor.stride(dim), dim negative from the end; out of range is
// a *Error of KindIndex, as Python's IndexError.
func (t *Tensor) Stride(dim int) int64 {
	s := t.Strides()
	d := dim
	if d < 0 {
		d += len(s)
	}
	if d < 0 || d >= len(s) {
		msg := fmt.Sprintf("Dimension out of range (expected to be in range of [%d, %d], but got %d)", -len(s), len(s)-1, dim)
		if len(s) == 0 {
			msg = fmt.Sprintf("Dimension specified as %d but tensor has no dimensions", dim)
		}
		panic(&Error{Op: "Stride", Kind: KindIndex, Msg: msg})
	}
	return s[d]
}

// StorageOffset is Tensor.storage_offset(): where t's first element is in
// its storage, in elements.
func (t *Tensor) StorageOffset() int64 {
	n := capi.StorageOffset(t.acquire())
	t.release()
	return n
}

// GetDevice is Tensor.get_device(): the CUDA device index, or -1 for a CPU
// tensor.
func (t *Tensor) GetDevice() int {
	d := t.Device()
	if d.Type == DeviceCPU {
		return -1
	}
	return d.Index
}

package torch

/*
#include "cgotorch.h"
*/
import "C"

import "runtime"

type (
	unaryC  func(a C.gt_tensor, out *C.gt_tensor) C.gt_error
	binaryC func(a, b C.gt_tensor, out *C.gt_tensor) C.gt_error
	scalarC func(a C.gt_tensor, s C.double, out *C.gt_tensor) C.gt_error
)

func (t *Tensor) unary(op string, f unaryC) *Tensor {
	r := new(Tensor)
	check(op, f(t.handle(), &r.h))
	runtime.KeepAlive(t)
	r.track()
	return r
}

func (t *Tensor) binary(op string, other *Tensor, f binaryC) *Tensor {
	r := new(Tensor)
	check(op, f(t.handle(), other.handle(), &r.h))
	runtime.KeepAlive(t)
	runtime.KeepAlive(other)
	r.track()
	return r
}

func (t *Tensor) scalar(op string, s float64, f scalarC) *Tensor {
	r := new(Tensor)
	check(op, f(t.handle(), C.double(s), &r.h))
	runtime.KeepAlive(t)
	r.track()
	return r
}

// inPlace runs an in-place call and returns t, for chaining as in PyTorch.
func (t *Tensor) inPlace(op string, e C.gt_error, keep ...*Tensor) *Tensor {
	check(op, e)
	runtime.KeepAlive(t)
	runtime.KeepAlive(keep)
	return t
}

// Neg is torch.neg (-t).
func (t *Tensor) Neg() *Tensor {
	return t.unary("Neg", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_neg(a, o) })
}

// Abs is torch.abs.
func (t *Tensor) Abs() *Tensor {
	return t.unary("Abs", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_abs(a, o) })
}

// Sqrt is torch.sqrt.
func (t *Tensor) Sqrt() *Tensor {
	return t.unary("Sqrt", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_sqrt(a, o) })
}

// Exp is torch.exp.
func (t *Tensor) Exp() *Tensor {
	return t.unary("Exp", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_exp(a, o) })
}

// Log is torch.log (natural).
func (t *Tensor) Log() *Tensor {
	return t.unary("Log", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_log(a, o) })
}

// ReLU is torch.relu.
func (t *Tensor) ReLU() *Tensor {
	return t.unary("ReLU", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_relu(a, o) })
}

// Sigmoid is torch.sigmoid.
func (t *Tensor) Sigmoid() *Tensor {
	return t.unary("Sigmoid", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_sigmoid(a, o) })
}

// Tanh is torch.tanh.
func (t *Tensor) Tanh() *Tensor {
	return t.unary("Tanh", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_tanh(a, o) })
}

// Contiguous is Tensor.contiguous(): t itself when already contiguous, else a C-ordered copy.
func (t *Tensor) Contiguous() *Tensor {
	return t.unary("Contiguous", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_contiguous(a, o) })
}

// Clone is Tensor.clone(): a copy that stays in the autograd graph.
func (t *Tensor) Clone() *Tensor {
	return t.unary("Clone", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_clone(a, o) })
}

// Detach is Tensor.detach(): shares storage, cut from the autograd graph.
func (t *Tensor) Detach() *Tensor {
	return t.unary("Detach", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_detach(a, o) })
}

// Sum is torch.sum over all elements.
func (t *Tensor) Sum() *Tensor {
	return t.unary("Sum", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_sum(a, o) })
}

// Mean is torch.mean over all elements.
func (t *Tensor) Mean() *Tensor {
	return t.unary("Mean", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_mean(a, o) })
}

// Max is torch.max over all elements.
func (t *Tensor) Max() *Tensor {
	return t.unary("Max", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_max(a, o) })
}

// Min is torch.min over all elements.
func (t *Tensor) Min() *Tensor {
	return t.unary("Min", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_min(a, o) })
}

// Squeeze is torch.squeeze: every dimension of size 1 removed.
func (t *Tensor) Squeeze() *Tensor {
	return t.unary("Squeeze", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_squeeze(a, o) })
}

// PinMemory is Tensor.pin_memory(): a copy in page-locked memory (needs CUDA).
func (t *Tensor) PinMemory() *Tensor {
	return t.unary("PinMemory", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_pin_memory(a, o) })
}

// Mul is torch.mul (t * other), broadcasting.
func (t *Tensor) Mul(other *Tensor) *Tensor {
	return t.binary("Mul", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_mul(a, b, o) })
}

// Div is torch.div (t / other, true division), broadcasting.
func (t *Tensor) Div(other *Tensor) *Tensor {
	return t.binary("Div", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_div(a, b, o) })
}

// Maximum is torch.maximum, elementwise.
func (t *Tensor) Maximum(other *Tensor) *Tensor {
	return t.binary("Maximum", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_maximum(a, b, o) })
}

// Minimum is torch.minimum, elementwise.
func (t *Tensor) Minimum(other *Tensor) *Tensor {
	return t.binary("Minimum", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_minimum(a, b, o) })
}

// Matmul is torch.matmul (t @ other).
func (t *Tensor) Matmul(other *Tensor) *Tensor {
	return t.binary("Matmul", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_matmul(a, b, o) })
}

// AddScalar is t + s, PyTorch's operator with a Python number.
func (t *Tensor) AddScalar(s float64) *Tensor {
	return t.scalar("AddScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_add_scalar(a, s, o) })
}

// SubScalar is t - s, PyTorch's operator with a Python number.
func (t *Tensor) SubScalar(s float64) *Tensor {
	return t.scalar("SubScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_sub_scalar(a, s, o) })
}

// MulScalar is t * s, PyTorch's operator with a Python number.
func (t *Tensor) MulScalar(s float64) *Tensor {
	return t.scalar("MulScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_mul_scalar(a, s, o) })
}

// DivScalar is t / s, PyTorch's operator with a Python number.
func (t *Tensor) DivScalar(s float64) *Tensor {
	return t.scalar("DivScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_div_scalar(a, s, o) })
}

// Pow is torch.pow(t, exponent) (t ** exponent), PyTorch's operator with a Python number.
func (t *Tensor) Pow(s float64) *Tensor {
	return t.scalar("Pow", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_pow_scalar(a, s, o) })
}

// Add is torch.add (t + other), broadcasting.
func (t *Tensor) Add(other *Tensor) *Tensor { return t.AddAlpha(other, 1) }

// AddAlpha is torch.add(t, other, alpha=alpha): t + alpha*other.
func (t *Tensor) AddAlpha(other *Tensor, alpha float64) *Tensor {
	return t.binary("Add", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_add(a, b, C.double(alpha), o) })
}

// Sub is torch.sub (t - other), broadcasting.
func (t *Tensor) Sub(other *Tensor) *Tensor { return t.SubAlpha(other, 1) }

// SubAlpha is torch.sub(t, other, alpha=alpha): t - alpha*other.
func (t *Tensor) SubAlpha(other *Tensor, alpha float64) *Tensor {
	return t.binary("Sub", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_sub(a, b, C.double(alpha), o) })
}

// Clamp is torch.clamp(t, min, max).
func (t *Tensor) Clamp(min, max float64) *Tensor {
	return t.unary("Clamp", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_clamp(a, C.double(min), C.double(max), 1, 1, o)
	})
}

// ClampMin is torch.clamp(t, min=min).
func (t *Tensor) ClampMin(min float64) *Tensor {
	return t.unary("ClampMin", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_clamp(a, C.double(min), 0, 1, 0, o) })
}

// ClampMax is torch.clamp(t, max=max).
func (t *Tensor) ClampMax(max float64) *Tensor {
	return t.unary("ClampMax", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_clamp(a, 0, C.double(max), 0, 1, o) })
}

// Eq is torch.eq (t == other), elementwise, giving a Bool tensor.
func (t *Tensor) Eq(other *Tensor) *Tensor {
	return t.binary("Eq", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_compare(a, b, 0, o) })
}

// EqScalar is torch.eq (t == s) with a Python number.
func (t *Tensor) EqScalar(s float64) *Tensor {
	return t.scalar("EqScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_compare_scalar(a, s, 0, o) })
}

// Ne is torch.ne (t != other), elementwise, giving a Bool tensor.
func (t *Tensor) Ne(other *Tensor) *Tensor {
	return t.binary("Ne", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_compare(a, b, 1, o) })
}

// NeScalar is torch.ne (t != s) with a Python number.
func (t *Tensor) NeScalar(s float64) *Tensor {
	return t.scalar("NeScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_compare_scalar(a, s, 1, o) })
}

// Gt is torch.gt (t > other), elementwise, giving a Bool tensor.
func (t *Tensor) Gt(other *Tensor) *Tensor {
	return t.binary("Gt", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_compare(a, b, 2, o) })
}

// GtScalar is torch.gt (t > s) with a Python number.
func (t *Tensor) GtScalar(s float64) *Tensor {
	return t.scalar("GtScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_compare_scalar(a, s, 2, o) })
}

// Lt is torch.lt (t < other), elementwise, giving a Bool tensor.
func (t *Tensor) Lt(other *Tensor) *Tensor {
	return t.binary("Lt", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_compare(a, b, 3, o) })
}

// LtScalar is torch.lt (t < s) with a Python number.
func (t *Tensor) LtScalar(s float64) *Tensor {
	return t.scalar("LtScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_compare_scalar(a, s, 3, o) })
}

// Ge is torch.ge (t >= other), elementwise, giving a Bool tensor.
func (t *Tensor) Ge(other *Tensor) *Tensor {
	return t.binary("Ge", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_compare(a, b, 4, o) })
}

// GeScalar is torch.ge (t >= s) with a Python number.
func (t *Tensor) GeScalar(s float64) *Tensor {
	return t.scalar("GeScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_compare_scalar(a, s, 4, o) })
}

// Le is torch.le (t <= other), elementwise, giving a Bool tensor.
func (t *Tensor) Le(other *Tensor) *Tensor {
	return t.binary("Le", other, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_compare(a, b, 5, o) })
}

// LeScalar is torch.le (t <= s) with a Python number.
func (t *Tensor) LeScalar(s float64) *Tensor {
	return t.scalar("LeScalar", s, func(a C.gt_tensor, s C.double, o *C.gt_tensor) C.gt_error { return C.gt_compare_scalar(a, s, 5, o) })
}

// Add_ is Tensor.add_(other), in place; it returns t.
func (t *Tensor) Add_(other *Tensor) *Tensor {
	return t.inPlace("Add_", C.gt_add_(t.handle(), other.handle(), 1), other)
}

// AddAlpha_ is Tensor.add_(other, alpha=alpha), in place; it returns t.
func (t *Tensor) AddAlpha_(other *Tensor, alpha float64) *Tensor {
	return t.inPlace("AddAlpha_", C.gt_add_(t.handle(), other.handle(), C.double(alpha)), other)
}

// Sub_ is Tensor.sub_(other), in place; it returns t.
func (t *Tensor) Sub_(other *Tensor) *Tensor {
	return t.inPlace("Sub_", C.gt_sub_(t.handle(), other.handle(), 1), other)
}

// Mul_ is Tensor.mul_(other), in place; it returns t.
func (t *Tensor) Mul_(other *Tensor) *Tensor {
	return t.inPlace("Mul_", C.gt_mul_(t.handle(), other.handle()), other)
}

// Div_ is Tensor.div_(other), in place; it returns t.
func (t *Tensor) Div_(other *Tensor) *Tensor {
	return t.inPlace("Div_", C.gt_div_(t.handle(), other.handle()), other)
}

// AddScalar_ is Tensor.add_(s) with a Python number, in place; it returns t.
func (t *Tensor) AddScalar_(s float64) *Tensor {
	return t.inPlace("AddScalar_", C.gt_add_scalar_(t.handle(), C.double(s)))
}

// MulScalar_ is Tensor.mul_(s) with a Python number, in place; it returns t.
func (t *Tensor) MulScalar_(s float64) *Tensor {
	return t.inPlace("MulScalar_", C.gt_mul_scalar_(t.handle(), C.double(s)))
}

// DivScalar_ is Tensor.div_(s) with a Python number, in place; it returns t.
func (t *Tensor) DivScalar_(s float64) *Tensor {
	return t.inPlace("DivScalar_", C.gt_div_scalar_(t.handle(), C.double(s)))
}

// Addcmul_ is Tensor.addcmul_(t1, t2, value=value): t += value*t1*t2, in place; it returns t.
func (t *Tensor) Addcmul_(t1, t2 *Tensor, value float64) *Tensor {
	return t.inPlace("Addcmul_", C.gt_addcmul_(t.handle(), t1.handle(), t2.handle(), C.double(value)), t1, t2)
}

// Addcdiv_ is Tensor.addcdiv_(t1, t2, value=value): t += value*t1/t2, in place; it returns t.
func (t *Tensor) Addcdiv_(t1, t2 *Tensor, value float64) *Tensor {
	return t.inPlace("Addcdiv_", C.gt_addcdiv_(t.handle(), t1.handle(), t2.handle(), C.double(value)), t1, t2)
}

// Sqrt_ is Tensor.sqrt_(), in place; it returns t.
func (t *Tensor) Sqrt_() *Tensor { return t.inPlace("Sqrt_", C.gt_sqrt_(t.handle())) }

// ReLU_ is Tensor.relu_(), in place; it returns t.
func (t *Tensor) ReLU_() *Tensor { return t.inPlace("ReLU_", C.gt_relu_(t.handle())) }

// Zero_ is Tensor.zero_(), in place; it returns t.
func (t *Tensor) Zero_() *Tensor { return t.inPlace("Zero_", C.gt_zero_(t.handle())) }

// Fill_ is Tensor.fill_(value), in place; it returns t.
func (t *Tensor) Fill_(value float64) *Tensor {
	return t.inPlace("Fill_", C.gt_fill_(t.handle(), C.double(value)))
}

// Uniform_ is Tensor.uniform_(from, to), drawing from the default generator, in place; it returns t.
func (t *Tensor) Uniform_(from, to float64) *Tensor {
	return t.inPlace("Uniform_", C.gt_uniform_(t.handle(), C.double(from), C.double(to)))
}

// Normal_ is Tensor.normal_(mean, std), drawing from the default generator, in place; it returns t.
func (t *Tensor) Normal_(mean, std float64) *Tensor {
	return t.inPlace("Normal_", C.gt_normal_(t.handle(), C.double(mean), C.double(std)))
}

// Copy_ is Tensor.copy_(src): copies values, across dtypes and devices, in place; it returns t.
func (t *Tensor) Copy_(src *Tensor) *Tensor {
	return t.inPlace("Copy_", C.gt_copy_(t.handle(), src.handle()), src)
}

// MaximumOut_ stores torch.maximum(a, b) into t: torch.maximum(a, b, out=t).
func (t *Tensor) MaximumOut_(a, b *Tensor) *Tensor {
	return t.inPlace("MaximumOut_", C.gt_maximum_out(t.handle(), a.handle(), b.handle()), a, b)
}

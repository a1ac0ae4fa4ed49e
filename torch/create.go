package torch

import (
	"fmt"
	"math"
	"runtime"
	"unsafe"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Option sets a creation argument, as PyTorch's dtype=, device= and
// requires_grad= keywords do.
type Option func(*options)

type options struct {
	dtype        DType
	dtypeSet     bool
	device       Device
	requiresGrad bool
}

// WithDType is PyTorch's dtype= argument.
func WithDType(d DType) Option { return func(o *options) { o.dtype, o.dtypeSet = d, true } }

// WithDevice is PyTorch's device= argument.
func WithDevice(d Device) Option { return func(o *options) { o.device = d } }

// WithRequiresGrad is PyTorch's requires_grad=True.
func WithRequiresGrad() Option { return func(o *options) { o.requiresGrad = true } }

func makeOptions(defaultDType DType, opts []Option) options {
	o := options{dtype: defaultDType, device: CPU}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// created finishes a creation call: the new tensor with o's requires_grad,
// or a panic with the call's error. shape stays alive until the call has
// returned.
func created(op string, h capi.Tensor, err error, shape []int64, o options) *Tensor {
	runtime.KeepAlive(shape)
	if err != nil {
		panic(wrapError(op, err))
	}
	return finish(newTensor(h), o)
}

func finish(t *Tensor, o options) *Tensor {
	if o.requiresGrad {
		t.SetRequiresGrad(true)
	}
	return t
}

// Empty returns an uninitialised tensor: torch.empty. Default dtype Float32.
func Empty(shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Float32, opts)
	h, err := capi.Empty(shape, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("Empty", h, err, shape, o)
}

// Zeros returns a tensor of zeros: torch.zeros. Default dtype Float32.
func Zeros(shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Float32, opts)
	h, err := capi.Zeros(shape, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("Zeros", h, err, shape, o)
}

// Ones returns a tensor of ones: torch.ones. Default dtype Float32.
func Ones(shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Float32, opts)
	h, err := capi.Ones(shape, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("Ones", h, err, shape, o)
}

// Rand returns uniform samples in [0, 1): torch.rand. Default dtype Float32.
func Rand(shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Float32, opts)
	h, err := capi.Rand(shape, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("Rand", h, err, shape, o)
}

// Randn returns standard normal samples: torch.randn. Default dtype Float32.
func Randn(shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Float32, opts)
	h, err := capi.Randn(shape, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("Randn", h, err, shape, o)
}

// Full returns a tensor filled with value: torch.full. The dtype follows the
// value's kind as PyTorch infers it (Int: Int64, Float: Float32, BoolScalar:
// Bool, ComplexScalar: Complex64) unless WithDType says otherwise; an int64
// value stays exact.
func Full(shape []int64, value Scalar, opts ...Option) *Tensor {
	def := Float32
	switch {
	case value.IsInt():
		def = Int64
	case value.IsBool():
		def = Bool
	case value.IsComplex():
		def = Complex64
	}
	o := makeOptions(def, opts)
	var h capi.Tensor
	err := capi.Aten_full(&h, shape, value.c, int32(o.dtype), -1, int32(o.device.Type), int32(o.device.Index), -1)
	return created("Full", h, err, shape, o)
}

// RandInt returns integers uniform in [low, high): torch.randint. Default
// dtype Int64.
func RandInt(low, high int64, shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Int64, opts)
	h, err := capi.Randint(low, high, shape, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("RandInt", h, err, shape, o)
}

// RandPerm returns a random permutation of 0..n-1: torch.randperm. Default
// dtype Int64.
func RandPerm(n int64, opts ...Option) *Tensor {
	o := makeOptions(Int64, opts)
	h, err := capi.Randperm(n, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("RandPerm", h, err, nil, o)
}

// Arange returns start, start+step, ... below end: torch.arange(start, end,
// step). As in PyTorch the dtype is Int64 when all three are whole numbers,
// Float32 otherwise, unless WithDType says.
func Arange(start, end, step float64, opts ...Option) *Tensor {
	def := Float32
	if isWhole(start) && isWhole(end) && isWhole(step) {
		def = Int64
	}
	o := makeOptions(def, opts)
	h, err := capi.Arange(start, end, step, int(o.dtype), int(o.device.Type), o.device.Index)
	return created("Arange", h, err, nil, o)
}

func isWhole(f float64) bool { return f == math.Trunc(f) && !math.IsInf(f, 0) }

// ZerosLike is torch.zeros_like.
func ZerosLike(t *Tensor) *Tensor {
	h, err := capi.ZerosLike(t.acquire())
	t.release()
	return result1("ZerosLike", h, err)
}

// OnesLike is torch.ones_like.
func OnesLike(t *Tensor) *Tensor {
	h, err := capi.OnesLike(t.acquire())
	t.release()
	return result1("OnesLike", h, err)
}

// Element is a Go type with a tensor dtype: float32 (Float32), float64
// (Float64), int64, int32, int16, int8, uint8, bool, complex64 (Complex64),
// complex128 (Complex128), and the bit patterns Half (Float16), BFloat
// (BFloat16) and ComplexHalf (Complex32) that half.go describes.
type Element interface {
	~float32 | ~float64 | ~int64 | ~int32 | ~int16 | ~int8 | ~uint8 | ~bool |
		~complex64 | ~complex128 | Half | BFloat | ComplexHalf
}

// DTypeOf returns the dtype for a Go element type.
func DTypeOf[T Element]() DType {
	var z T
	switch any(z).(type) {
	case float32:
		return Float32
	case float64:
		return Float64
	case int64:
		return Int64
	case int32:
		return Int32
	case int16:
		return Int16
	case int8:
		return Int8
	case uint8:
		return Uint8
	case bool:
		return Bool
	case complex64:
		return Complex64
	case complex128:
		return Complex128
	case Half:
		return Float16
	case BFloat:
		return BFloat16
	case ComplexHalf:
		return Complex32
	}
	panic(&Error{Op: "DTypeOf", Kind: KindType, Msg: fmt.Sprintf("no dtype for %T", z)})
}

// FromSlice copies data into a new CPU tensor of the given shape (1-D when no
// shape is given): torch.tensor(data).reshape(shape). The dtype follows the
// Go type: float32 gives Float32, int64 gives Int64, and so on.
func FromSlice[T Element](data []T, shape ...int64) *Tensor {
	var z T
	size := int(unsafe.Sizeof(z))
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	return fromData("FromSlice", p, int64(len(data)*size), DTypeOf[T](), shapeOr(shape, int64(len(data))))
}

// FromBytes makes a new CPU tensor of dtype from raw little-endian bytes in
// C order, with one copy and no per-element work: torch.frombuffer(data,
// dtype).reshape(shape). It panics when len(data) does not match the shape.
func FromBytes(data []byte, dtype DType, shape ...int64) *Tensor {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	return fromData("FromBytes", p, int64(len(data)), dtype, shapeOr(shape, int64(len(data)/dtype.ElementSize())))
}

func shapeOr(shape []int64, n int64) []int64 {
	if len(shape) == 0 {
		return []int64{n}
	}
	return shape
}

func fromData(op string, p unsafe.Pointer, nbytes int64, dtype DType, shape []int64) *Tensor {
	h, err := capi.FromData(p, nbytes, shape, int(dtype))
	return created(op, h, err, shape, options{})
}

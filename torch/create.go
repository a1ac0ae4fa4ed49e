package torch

/*
#include "cgotorch.h"
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"unsafe"
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

// shapePtr passes a Go []int64 to C without copying (it holds no pointers).
func shapePtr(s []int64) *C.int64_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int64_t)(unsafe.Pointer(&s[0]))
}

type shapeCreator func(shape *C.int64_t, n C.int, dtype, devType, devIndex C.int, out *C.gt_tensor) C.gt_error

func create(op string, f shapeCreator, shape []int64, opts []Option) *Tensor {
	o := makeOptions(Float32, opts)
	var out C.gt_tensor
	check(op, f(shapePtr(shape), C.int(len(shape)), C.int(o.dtype), C.int(o.device.Type), C.int(o.device.Index), &out))
	runtime.KeepAlive(shape)
	return finish(newTensor(out), o)
}

func finish(t *Tensor, o options) *Tensor {
	if o.requiresGrad {
		t.SetRequiresGrad(true)
	}
	return t
}

// Empty returns an uninitialised tensor: torch.empty. Default dtype Float32.
func Empty(shape []int64, opts ...Option) *Tensor {
	return create("Empty", func(s *C.int64_t, n C.int, d, dt, di C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_empty(s, n, d, dt, di, o)
	}, shape, opts)
}

// Zeros returns a tensor of zeros: torch.zeros. Default dtype Float32.
func Zeros(shape []int64, opts ...Option) *Tensor {
	return create("Zeros", func(s *C.int64_t, n C.int, d, dt, di C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_zeros(s, n, d, dt, di, o)
	}, shape, opts)
}

// Ones returns a tensor of ones: torch.ones. Default dtype Float32.
func Ones(shape []int64, opts ...Option) *Tensor {
	return create("Ones", func(s *C.int64_t, n C.int, d, dt, di C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_ones(s, n, d, dt, di, o)
	}, shape, opts)
}

// Rand returns uniform samples in [0, 1): torch.rand. Default dtype Float32.
func Rand(shape []int64, opts ...Option) *Tensor {
	return create("Rand", func(s *C.int64_t, n C.int, d, dt, di C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_rand(s, n, d, dt, di, o)
	}, shape, opts)
}

// Randn returns standard normal samples: torch.randn. Default dtype Float32.
func Randn(shape []int64, opts ...Option) *Tensor {
	return create("Randn", func(s *C.int64_t, n C.int, d, dt, di C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_randn(s, n, d, dt, di, o)
	}, shape, opts)
}

// Full returns a tensor filled with value: torch.full. Default dtype Float32.
func Full(shape []int64, value float64, opts ...Option) *Tensor {
	return create("Full", func(s *C.int64_t, n C.int, d, dt, di C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_full(s, n, C.double(value), d, dt, di, o)
	}, shape, opts)
}

// RandInt returns integers uniform in [low, high): torch.randint. Default
// dtype Int64.
func RandInt(low, high int64, shape []int64, opts ...Option) *Tensor {
	o := makeOptions(Int64, opts)
	var out C.gt_tensor
	check("RandInt", C.gt_randint(C.int64_t(low), C.int64_t(high), shapePtr(shape), C.int(len(shape)),
		C.int(o.dtype), C.int(o.device.Type), C.int(o.device.Index), &out))
	runtime.KeepAlive(shape)
	return finish(newTensor(out), o)
}

// RandPerm returns a random permutation of 0..n-1: torch.randperm. Default
// dtype Int64.
func RandPerm(n int64, opts ...Option) *Tensor {
	o := makeOptions(Int64, opts)
	var out C.gt_tensor
	check("RandPerm", C.gt_randperm(C.int64_t(n), C.int(o.dtype), C.int(o.device.Type), C.int(o.device.Index), &out))
	return finish(newTensor(out), o)
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
	var out C.gt_tensor
	check("Arange", C.gt_arange(C.double(start), C.double(end), C.double(step), C.int(o.dtype),
		C.int(o.device.Type), C.int(o.device.Index), &out))
	return finish(newTensor(out), o)
}

func isWhole(f float64) bool { return f == math.Trunc(f) && !math.IsInf(f, 0) }

// ZerosLike is torch.zeros_like.
func ZerosLike(t *Tensor) *Tensor {
	return t.unary("ZerosLike", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_zeros_like(a, o) })
}

// OnesLike is torch.ones_like.
func OnesLike(t *Tensor) *Tensor {
	return t.unary("OnesLike", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_ones_like(a, o) })
}

// Element is a Go type with a tensor dtype.
type Element interface {
	~float32 | ~float64 | ~int64 | ~int32 | ~int16 | ~int8 | ~uint8 | ~bool
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
	}
	panic(&Error{Op: "DTypeOf", Msg: fmt.Sprintf("no dtype for %T", z)})
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
	var out C.gt_tensor
	check(op, C.gt_from_data(p, C.int64_t(nbytes), shapePtr(shape), C.int(len(shape)), C.int(dtype), &out))
	runtime.KeepAlive(shape)
	return newTensor(out)
}

// Scalar returns a 0-dimensional Float32 tensor holding v: torch.tensor(v).
func Scalar(v float64, opts ...Option) *Tensor { return Full(nil, v, opts...) }

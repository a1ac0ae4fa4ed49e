package torch

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// What the generated operators (ops_gen.go) use: scalars, layouts, memory
// formats, and the conversions of optional arguments to the C ABI's encoding.

// Scalar is a PyTorch number (at::Scalar): an exact int64, a float64, a bool
// or a complex128, kept as what it is. Int64 values above 2^53 survive, as in
// Python: torch.full((1,), 2**53 + 1) keeps its last bit.
type Scalar struct{ c capi.Scalar }

// Int is the Scalar of an integer (Python's int).
func Int[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32](v T) Scalar {
	return Scalar{capi.Scalar{Kind: capi.ScalarInt, I: int64(v)}}
}

// Float is the Scalar of a float (Python's float); Float(3) is 3.0.
func Float[T ~float32 | ~float64 | ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32](v T) Scalar {
	return Scalar{capi.Scalar{Kind: capi.ScalarFloat, F: float64(v)}}
}

// BoolScalar is the Scalar of a bool.
func BoolScalar(v bool) Scalar {
	s := Scalar{capi.Scalar{Kind: capi.ScalarBool}}
	if v {
		s.c.I = 1
	}
	return s
}

// ComplexScalar is the Scalar of a complex number (Python's complex).
func ComplexScalar(v complex128) Scalar {
	return Scalar{capi.Scalar{Kind: capi.ScalarComplex, F: real(v), Im: imag(v)}}
}

// IsInt, IsFloat, IsBool and IsComplex say which kind s holds.
func (s Scalar) IsInt() bool     { return s.c.Kind == capi.ScalarInt }
func (s Scalar) IsFloat() bool   { return s.c.Kind == capi.ScalarFloat }
func (s Scalar) IsBool() bool    { return s.c.Kind == capi.ScalarBool }
func (s Scalar) IsComplex() bool { return s.c.Kind == capi.ScalarComplex }

// Int64 is s as an int64 (floats truncated toward zero, as int() does).
func (s Scalar) Int64() int64 {
	switch s.c.Kind {
	case capi.ScalarFloat, capi.ScalarComplex:
		return int64(s.c.F)
	}
	return s.c.I
}

// Float64 is s as a float64 (the real part of a complex).
func (s Scalar) Float64() float64 {
	switch s.c.Kind {
	case capi.ScalarFloat, capi.ScalarComplex:
		return s.c.F
	}
	return float64(s.c.I)
}

// Complex128 is s as a complex128.
func (s Scalar) Complex128() complex128 { return complex(s.Float64(), s.c.Im) }

// String prints s as Python prints the number.
func (s Scalar) String() string {
	switch s.c.Kind {
	case capi.ScalarInt:
		return fmt.Sprint(s.c.I)
	case capi.ScalarBool:
		if s.c.I != 0 {
			return "True"
		}
		return "False"
	case capi.ScalarComplex:
		return fmt.Sprintf("(%s%+gj)", scalarFloat(s.c.F), s.c.Im)
	}
	return scalarFloat(s.c.F)
}

func scalarFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	case f == math.Trunc(f) && math.Abs(f) < 1e16:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprint(f)
}

// Layout is a tensor's memory layout: torch.layout (c10::Layout's codes).
type Layout int32

// The layouts.
const (
	Strided   Layout = 0 // torch.strided
	SparseCOO Layout = 1 // torch.sparse_coo
)

// MemoryFormat is torch.memory_format (c10::MemoryFormat's codes).
type MemoryFormat int32

// The memory formats.
const (
	ContiguousFormat MemoryFormat = 0 // torch.contiguous_format
	PreserveFormat   MemoryFormat = 1 // torch.preserve_format
	ChannelsLast     MemoryFormat = 2 // torch.channels_last
	ChannelsLast3d   MemoryFormat = 3 // torch.channels_last_3d
)

// opError is the *Error a failed generated call panics with.
func opError(op string, err error) *Error { return wrapError(op, err) }

func optValue[T any](p *T) (v T, has bool) {
	if p == nil {
		return v, false
	}
	return *p, true
}

func optBool(p *bool) int8 {
	switch {
	case p == nil:
		return -1
	case *p:
		return 1
	}
	return 0
}

func optScalar(p *Scalar) capi.Scalar {
	if p == nil {
		return capi.Scalar{Kind: capi.ScalarNone}
	}
	return p.c
}

func optEnum[T ~int32](p *T) int32 {
	if p == nil {
		return -1
	}
	return int32(*p)
}

// c is the device as the C ABI passes it.
func (d Device) c() (typ, index int32) { return int32(d.Type), int32(d.Index) }

func optDevice(p *Device) (typ, index int32) {
	if p == nil {
		return -1, -1
	}
	return p.c()
}

// fixedInts checks an int[N] argument: N values, or one that stands for all N
// (Python's int[2] takes 3 or [3] for [3, 3]). Fewer would make some kernels
// read past the list (reflection_pad1d reads padding[1] unchecked).
// emptyOK lets None or [] through where the schema allows it (max_pool2d's
// stride=[] means the kernel size).
func fixedInts(op, name string, x []int64, n int, emptyOK bool) []int64 {
	if len(x) == n || (emptyOK && len(x) == 0) {
		return x
	}
	if len(x) == 1 {
		out := make([]int64, n)
		for i := range out {
			out[i] = x[0]
		}
		return out
	}
	panic(&Error{Op: op, Kind: KindValue, Msg: fmt.Sprintf("argument %s must have %d elements (or 1 for all), got %d", name, n, len(x))})
}

// takeList wraps the handles of a returned tensor list.
func takeList(p *capi.Tensor, n int32) []*Tensor {
	hs := capi.TakeList(p, n)
	out := make([]*Tensor, len(hs))
	for i, h := range hs {
		out[i] = newTensor(h)
	}
	return out
}

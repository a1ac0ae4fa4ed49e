package torch

import "fmt"

// DType is a tensor element type: PyTorch's torch.dtype.
//
// The values are libtorch's c10::ScalarType codes, which the C ABI passes
// through unchanged.
type DType int32

// The element types gotorch binds, with PyTorch's names.
const (
	Uint8      DType = 0  // torch.uint8
	Int8       DType = 1  // torch.int8
	Int16      DType = 2  // torch.int16
	Int32      DType = 3  // torch.int32
	Int64      DType = 4  // torch.int64 (torch.long)
	Float16    DType = 5  // torch.float16 (torch.half)
	Float32    DType = 6  // torch.float32 (torch.float)
	Float64    DType = 7  // torch.float64 (torch.double)
	Complex32  DType = 8  // torch.complex32 (torch.chalf)
	Complex64  DType = 9  // torch.complex64 (torch.cfloat)
	Complex128 DType = 10 // torch.complex128 (torch.cdouble)
	Bool       DType = 11 // torch.bool
	BFloat16   DType = 15 // torch.bfloat16

	// libtorch 2.1 and later only (CPU kernels for the unsigned ones are few;
	// aten::hash_tensor of 2.14 returns UInt64).
	Float8E5M2   DType = 23 // torch.float8_e5m2
	Float8E4M3FN DType = 24 // torch.float8_e4m3fn
	Uint16       DType = 27 // torch.uint16 (2.3 and later)
	Uint32       DType = 28 // torch.uint32 (2.3 and later)
	Uint64       DType = 29 // torch.uint64 (2.3 and later)
)

var dtypeInfo = map[DType]struct {
	name string
	size int
}{
	Uint8: {"torch.uint8", 1}, Int8: {"torch.int8", 1}, Int16: {"torch.int16", 2},
	Int32: {"torch.int32", 4}, Int64: {"torch.int64", 8}, Float16: {"torch.float16", 2},
	Float32: {"torch.float32", 4}, Float64: {"torch.float64", 8}, Bool: {"torch.bool", 1},
	BFloat16: {"torch.bfloat16", 2}, Complex32: {"torch.complex32", 4}, Complex64: {"torch.complex64", 8},
	Complex128: {"torch.complex128", 16}, Float8E5M2: {"torch.float8_e5m2", 1}, Float8E4M3FN: {"torch.float8_e4m3fn", 1},
	Uint16: {"torch.uint16", 2}, Uint32: {"torch.uint32", 4}, Uint64: {"torch.uint64", 8},
}

// ElementSize is the size of one element in bytes: torch.dtype.itemsize
// (Tensor.element_size()).
func (d DType) ElementSize() int {
	if i, ok := dtypeInfo[d]; ok {
		return i.size
	}
	panic(&Error{Op: "ElementSize", Msg: fmt.Sprintf("unknown dtype %d", int(d))})
}

// String gives PyTorch's name, e.g. "torch.float32".
func (d DType) String() string {
	if i, ok := dtypeInfo[d]; ok {
		return i.name
	}
	return fmt.Sprintf("torch.dtype(%d)", int(d))
}

// IsFloatingPoint reports whether d is a floating type: torch.dtype.is_floating_point.
func (d DType) IsFloatingPoint() bool {
	return d == Float16 || d == Float32 || d == Float64 || d == BFloat16
}

// IsComplex reports whether d is a complex type: torch.dtype.is_complex.
func (d DType) IsComplex() bool { return d == Complex32 || d == Complex64 || d == Complex128 }

// IsSigned reports whether d holds negative values: torch.dtype.is_signed.
// Every dtype but Uint8 and Bool is signed (the floating and complex ones too).
func (d DType) IsSigned() bool {
	return d != Uint8 && d != Bool && d != Uint16 && d != Uint32 && d != Uint64
}

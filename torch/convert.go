package torch

import (
	"unsafe"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// To returns t on device (t itself when already there): Tensor.to(device).
func (t *Tensor) To(device Device) *Tensor { return t.to("To", t.DType(), device, false) }

// ToNonBlocking is Tensor.to(device, non_blocking=True): with pinned memory
// the copy to a GPU overlaps with the host.
func (t *Tensor) ToNonBlocking(device Device) *Tensor { return t.to("To", t.DType(), device, true) }

// ToDType returns t converted to dtype: Tensor.to(dtype).
func (t *Tensor) ToDType(dtype DType) *Tensor { return t.to("ToDType", dtype, t.Device(), false) }

// CPU is Tensor.cpu().
func (t *Tensor) CPU() *Tensor { return t.To(CPU) }

func (t *Tensor) to(op string, dtype DType, device Device, nonBlocking bool) *Tensor {
	h, err := capi.To(t.acquire(), int(dtype), int(device.Type), device.Index, nonBlocking)
	t.release()
	return result1(op, h, err)
}

// CopyTo copies t's elements, in C order, into dst, whose Go type must match
// t's dtype (float32 for Float32, ...). It works from any device and layout.
func CopyTo[T Element](t *Tensor, dst []T) {
	if want := DTypeOf[T](); t.DType() != want {
		panic(&Error{Op: "CopyTo", Kind: KindType, Msg: "tensor is " + t.DType().String() + ", destination is " + want.String()})
	}
	var z T
	var p unsafe.Pointer
	if len(dst) > 0 {
		p = unsafe.Pointer(&dst[0])
	}
	check("CopyTo", capi.CopyTo(t.acquire(), p, int64(len(dst))*int64(unsafe.Sizeof(z))))
	t.release()
}

// Values returns t's elements in C order as a new Go slice, converting the
// dtype to T's where they differ: Tensor.tolist(), flattened.
func Values[T Element](t *Tensor) []T {
	src := t
	if want := DTypeOf[T](); t.DType() != want {
		src = t.ToDType(want)
		defer src.Free()
	}
	out := make([]T, src.Numel())
	CopyTo(src, out)
	return out
}

// Float32s is Values[float32](t).
func (t *Tensor) Float32s() []float32 { return Values[float32](t) }

// Float64s is Values[float64](t).
func (t *Tensor) Float64s() []float64 { return Values[float64](t) }

// Int64s is Values[int64](t).
func (t *Tensor) Int64s() []int64 { return Values[int64](t) }

// Uint8s is Values[uint8](t).
func (t *Tensor) Uint8s() []uint8 { return Values[uint8](t) }

// Bools is Values[bool](t).
func (t *Tensor) Bools() []bool { return Values[bool](t) }

// Complex64s is Values[complex64](t).
func (t *Tensor) Complex64s() []complex64 { return Values[complex64](t) }

// Complex128s is Values[complex128](t).
func (t *Tensor) Complex128s() []complex128 { return Values[complex128](t) }

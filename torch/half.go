package torch

import "math"

// Go has no 16-bit floats, so torch.float16, torch.bfloat16 and
// torch.complex32 elements are carried as their bit patterns: Half, BFloat
// and ComplexHalf are Element types (FromSlice, Values, CopyTo) whose
// values are the exact bits libtorch stores. HalfOf, BFloatOf and
// ComplexHalfOf round a float32 (complex64) to them as libtorch's
// Tensor.to(dtype) does, to nearest with ties to even; Float32 and
// Complex64 widen them back exactly. Values[float32](t) of a float16 tensor
// converts in libtorch instead and gives the same numbers.

// Half is one torch.float16 (torch.half) element: the IEEE 754 binary16 bit
// pattern (1 sign bit, 5 exponent bits, 10 mantissa bits).
type Half uint16

// BFloat is one torch.bfloat16 element: the upper 16 bits of a float32
// (1 sign bit, 8 exponent bits, 7 mantissa bits).
type BFloat uint16

// ComplexHalf is one torch.complex32 (torch.chalf) element: two Halfs, the
// real part first, as c10::complex<c10::Half> lays them out.
type ComplexHalf struct{ Real, Imag Half }

// HalfOf rounds f to the nearest float16 (ties to even), as
// torch.tensor(f).half() does: overflow gives ±inf, NaN a quiet NaN.
func HalfOf(f float32) Half {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff {
		if mant != 0 {
			return Half(sign | 0x7e00) // c10's (the FP16 library's) NaN
		}
		return Half(sign | 0x7c00)
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return Half(sign | 0x7c00)
	}
	if e <= 0 { // a float16 subnormal, or zero
		if e < -10 {
			return Half(sign)
		}
		m := mant | 0x800000
		shift := uint32(14 - e)
		h := m >> shift
		rem, mid := m&(1<<shift-1), uint32(1)<<(shift-1)
		if rem > mid || (rem == mid && h&1 == 1) {
			h++
		}
		return Half(sign | uint16(h))
	}
	h := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++ // a carry into the exponent rounds up to the next binade, or to inf
	}
	return Half(sign | uint16(h))
}

// Float32 is h's value, exactly.
func (h Half) Float32() float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		f := float32(mant) / (1 << 24) // subnormal: mant·2⁻²⁴
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}

// Float64 is h's value, exactly.
func (h Half) Float64() float64 { return float64(h.Float32()) }

// BFloatOf rounds f to the nearest bfloat16 (ties to even), as
// torch.tensor(f).bfloat16() does; NaN gives c10::BFloat16's quiet NaN
// 0x7fc0 (libtorch's vectorized kernels make 0xffff of some: both are NaN).
func BFloatOf(f float32) BFloat {
	if f != f {
		return 0x7fc0
	}
	b := math.Float32bits(f)
	return BFloat((b + (b>>16)&1 + 0x7fff) >> 16)
}

// Float32 is b's value, exactly.
func (b BFloat) Float32() float32 { return math.Float32frombits(uint32(b) << 16) }

// Float64 is b's value, exactly.
func (b BFloat) Float64() float64 { return float64(b.Float32()) }

// ComplexHalfOf rounds each part of c with HalfOf.
func ComplexHalfOf(c complex64) ComplexHalf {
	return ComplexHalf{HalfOf(real(c)), HalfOf(imag(c))}
}

// Complex64 is c's value, exactly.
func (c ComplexHalf) Complex64() complex64 { return complex(c.Real.Float32(), c.Imag.Float32()) }

package torch_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

var allDTypes = []torch.DType{
	torch.Uint8, torch.Int8, torch.Int16, torch.Int32, torch.Int64, torch.Float16, torch.Float32,
	torch.Float64, torch.Complex32, torch.Complex64, torch.Complex128, torch.Bool, torch.BFloat16,
}

// The dtype's name, size and kind agree with Python's torch.dtype and
// Tensor methods for every dtype.
func TestDTypesMatchPyTorch(t *testing.T) {
	type info struct {
		Name    string `json:"name"`
		Size    int    `json:"size"`
		Float   bool   `json:"float"`
		Complex bool   `json:"complex"`
		Signed  bool   `json:"signed"`
	}
	names := make([]string, len(allDTypes))
	for i, d := range allDTypes {
		names[i] = d.String()
	}
	arg, err := json.Marshal(names)
	require.NoError(t, err)
	var want []info
	pytorch.JSON(t, `
import json, sys, warnings
warnings.simplefilter("ignore")
out = []
for name in json.loads(sys.argv[1]):
    d = eval(name)
    x = torch.zeros(2, dtype=d)
    out.append({"name": str(d), "size": x.element_size(), "float": x.is_floating_point(),
                "complex": x.is_complex(), "signed": x.is_signed()})
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(allDTypes))
	for i, d := range allDTypes {
		x := torch.Zeros([]int64{2}, torch.WithDType(d))
		got := info{d.String(), x.ElementSize(), x.IsFloatingPoint(), x.IsComplex(), x.IsSigned()}
		assert.Equal(t, want[i], got, d.String())
		assert.Equal(t, d, x.DType())
	}
}

// HalfOf and BFloatOf round as libtorch's float32 -> float16/bfloat16
// conversion does, and Float32 widens back as libtorch does, bit for bit:
// ties, subnormals, overflow, infinities and NaN included.
func TestHalfAndBFloatBitsMatchPyTorch(t *testing.T) {
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.1, 1.0 / 3, 65504, 65519.99, 65520, 1e5, -1e5,
		1e-8, 0x1p-24, 0x1p-25, 0x1.8p-25, 3 * 0x1p-26, 6e-5, 6.1e-5, 0x1p-14, 0x1.ffcp-15,
		1 + 0x1p-11, 1 + 3*0x1p-11, 1 + 0x1p-8, 1 + 3*0x1p-8, 2049, 2051, 3.4e38, -3.4e38, 1e-40,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		vals = append(vals, math.Float32frombits(r.Uint32()))
		vals = append(vals, float32(r.NormFloat64()*math.Pow(10, float64(r.IntN(12)-6))))
	}
	bits := make([]int32, len(vals))
	for i, v := range vals {
		bits[i] = int32(math.Float32bits(v))
	}
	arg, err := json.Marshal(bits)
	require.NoError(t, err)
	var want struct {
		Half   []int64 `json:"half"`
		BF     []int64 `json:"bf"`
		HalfUp []int64 `json:"half_up"`
		BFUp   []int64 `json:"bf_up"`
	}
	pytorch.JSON(t, `
import json, sys
f = torch.tensor(json.loads(sys.argv[1]), dtype=torch.int32).view(torch.float32)
h, b = f.half(), f.bfloat16()
print(json.dumps({"half": h.view(torch.int16).tolist(), "bf": b.view(torch.int16).tolist(),
                  "half_up": h.float().view(torch.int32).tolist(), "bf_up": b.float().view(torch.int32).tolist()}))
`, &want, string(arg))
	require.Len(t, want.Half, len(vals))
	for i, v := range vals {
		h, b := torch.HalfOf(v), torch.BFloatOf(v)
		if v != v {
			// NaN payloads differ between libtorch versions (1.13 keeps them,
			// 2.6 gives 0x7e00): any NaN will do.
			require.True(t, h.Float32() != h.Float32() && uint16(want.Half[i])&0x7c00 == 0x7c00, "HalfOf(NaN)")
		} else {
			require.Equal(t, uint16(want.Half[i]), uint16(h), "HalfOf(%g) (bits %#x)", v, math.Float32bits(v))
		}
		if v != v {
			// libtorch's vectorized kernels make 0xffff of a NaN, its scalar
			// c10::BFloat16 (and BFloatOf) 0x7fc0: any NaN will do.
			require.True(t, b.Float32() != b.Float32() && uint16(want.BF[i])&0x7f80 == 0x7f80, "BFloatOf(NaN)")
		} else {
			require.Equal(t, uint16(want.BF[i]), uint16(b), "BFloatOf(%g) (bits %#x)", v, math.Float32bits(v))
		}
		if v == v { // NaN payloads: see above
			require.Equal(t, uint32(want.HalfUp[i]), math.Float32bits(h.Float32()), "Half(%#x).Float32()", uint16(h))
			require.Equal(t, uint32(want.BFUp[i]), math.Float32bits(b.Float32()), "BFloat(%#x).Float32()", uint16(b))
		}
	}
	// The Go types carry the same bits through a tensor.
	hs := make([]torch.Half, len(vals))
	for i, v := range vals {
		hs[i] = torch.HalfOf(v)
	}
	x := torch.FromSlice(hs)
	assert.Equal(t, torch.Float16, x.DType())
	assert.Equal(t, hs, torch.Values[torch.Half](x))
	gotH := torch.Values[torch.Half](torch.FromSlice(vals).ToDType(torch.Float16))
	for i, v := range vals {
		if v == v { // NaN payloads differ between libtorch versions
			require.Equal(t, hs[i], gotH[i], "libtorch rounds %g as HalfOf", v)
		} else {
			require.True(t, gotH[i].Float32() != gotH[i].Float32(), "NaN stays NaN")
		}
	}
	bs := make([]torch.BFloat, len(vals))
	for i, v := range vals {
		bs[i] = torch.BFloatOf(v)
	}
	got := torch.Values[torch.BFloat](torch.FromSlice(vals).ToDType(torch.BFloat16))
	for i, v := range vals {
		if v == v {
			require.Equal(t, bs[i], got[i], "libtorch rounds %g as BFloatOf", v)
		}
	}
	c := torch.ComplexHalfOf(complex(float32(1.5), float32(-0.1)))
	assert.Equal(t, complex(float32(1.5), torch.HalfOf(-0.1).Float32()), c.Complex64())
}

// A round trip through a tensor keeps every Go element type's values, with
// the dtype that type stands for, and Python reads the same numbers from
// torch.tensor(values, dtype=...).
func TestElementTypesMatchPyTorch(t *testing.T) {
	type goCase struct {
		dtype torch.DType
		py    string // Python list literal
		build func() *torch.Tensor
		check func(t *testing.T, x *torch.Tensor)
	}
	roundTrip := func(vals any) func(t *testing.T, x *torch.Tensor) {
		return func(t *testing.T, x *torch.Tensor) {
			switch v := vals.(type) {
			case []bool:
				assert.Equal(t, v, torch.Values[bool](x))
				dst := make([]bool, len(v))
				torch.CopyTo(x, dst)
				assert.Equal(t, v, dst)
			case []int8:
				assert.Equal(t, v, torch.Values[int8](x))
			case []int16:
				assert.Equal(t, v, torch.Values[int16](x))
			case []complex64:
				assert.Equal(t, v, x.Complex64s())
				dst := make([]complex64, len(v))
				torch.CopyTo(x, dst)
				assert.Equal(t, v, dst)
			case []complex128:
				assert.Equal(t, v, x.Complex128s())
			case []torch.BFloat:
				assert.Equal(t, v, torch.Values[torch.BFloat](x))
			case []torch.ComplexHalf:
				assert.Equal(t, v, torch.Values[torch.ComplexHalf](x))
			}
		}
	}
	cases := []goCase{
		{torch.Bool, "[True, False, True]", func() *torch.Tensor { return torch.FromSlice([]bool{true, false, true}) }, roundTrip([]bool{true, false, true})},
		{torch.Int8, "[-128, 0, 127]", func() *torch.Tensor { return torch.FromSlice([]int8{-128, 0, 127}) }, roundTrip([]int8{-128, 0, 127})},
		{torch.Int16, "[-32768, 5, 32767]", func() *torch.Tensor { return torch.FromSlice([]int16{-32768, 5, 32767}) }, roundTrip([]int16{-32768, 5, 32767})},
		{torch.Complex64, "[1+2j, -0.5j, 3.25]", func() *torch.Tensor { return torch.FromSlice([]complex64{1 + 2i, -0.5i, 3.25}) },
			roundTrip([]complex64{1 + 2i, -0.5i, 3.25})},
		{torch.Complex128, "[1e300+1e-300j, -2.5-1j]", func() *torch.Tensor { return torch.FromSlice([]complex128{1e300 + 1e-300i, -2.5 - 1i}) },
			roundTrip([]complex128{1e300 + 1e-300i, -2.5 - 1i})},
		{torch.Float16, "[0.1, -2.5, 1000.]", func() *torch.Tensor {
			return torch.FromSlice([]torch.Half{torch.HalfOf(0.1), torch.HalfOf(-2.5), torch.HalfOf(1000)})
		}, nil},
		{torch.BFloat16, "[0.1, -2.5, 1000.]", func() *torch.Tensor {
			return torch.FromSlice([]torch.BFloat{torch.BFloatOf(0.1), torch.BFloatOf(-2.5), torch.BFloatOf(1000)})
		}, roundTrip([]torch.BFloat{torch.BFloatOf(0.1), torch.BFloatOf(-2.5), torch.BFloatOf(1000)})},
		{torch.Complex32, "[1+0.1j, -2.5]", func() *torch.Tensor {
			return torch.FromSlice([]torch.ComplexHalf{torch.ComplexHalfOf(1 + 0.1i), torch.ComplexHalfOf(-2.5)})
		}, roundTrip([]torch.ComplexHalf{torch.ComplexHalfOf(1 + 0.1i), torch.ComplexHalfOf(-2.5)})},
	}
	type pyCase struct {
		List  string `json:"list"`
		DType string `json:"dtype"`
	}
	in := make([]pyCase, len(cases))
	for i, c := range cases {
		in[i] = pyCase{c.py, c.dtype.String()}
	}
	arg, err := json.Marshal(in)
	require.NoError(t, err)
	var want [][][2]float64 // per case, (real, imag) of each element
	pytorch.JSON(t, `
import json, sys, warnings
warnings.simplefilter("ignore")
out = []
for c in json.loads(sys.argv[1]):
    x = torch.tensor(eval(c["list"]), dtype=eval(c["dtype"]))
    out.append(torch.view_as_real(x.to(torch.complex128)).tolist())
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		t.Run(c.dtype.String(), func(t *testing.T) {
			x := c.build()
			assert.Equal(t, c.dtype, x.DType())
			got := x.Complex128s()
			require.Len(t, got, len(want[i]))
			for j, w := range want[i] {
				assert.Equal(t, complex(w[0], w[1]), got[j], "element %d", j)
			}
			if c.check != nil {
				c.check(t, x)
			}
		})
	}
}

// ToDType converts between every pair of dtypes as Tensor.to(dtype) does.
func TestToDTypeAllPairsMatchPyTorch(t *testing.T) {
	src := []complex128{0, 1 + 2i, 2.5 - 1i, 100 + 0.5i, 7i, 3.75, 0.1 + 0.2i, 255}
	names := make([]string, len(allDTypes))
	for i, d := range allDTypes {
		names[i] = d.String()
	}
	arg, err := json.Marshal(names)
	require.NoError(t, err)
	var want [][][][2]float64 // [from][to][element] (real, imag)
	pytorch.JSON(t, `
import json, sys, warnings
warnings.simplefilter("ignore")
ds = [eval(n) for n in json.loads(sys.argv[1])]
src = torch.tensor([0, 1+2j, 2.5-1j, 100+0.5j, 7j, 3.75, 0.1+0.2j, 255], dtype=torch.complex128)
print(json.dumps([[torch.view_as_real(src.to(a).to(b).to(torch.complex128)).tolist() for b in ds] for a in ds]))
`, &want, string(arg))
	require.Len(t, want, len(allDTypes))
	x := torch.FromSlice(src)
	for i, a := range allDTypes {
		xa := x.ToDType(a)
		require.Equal(t, a, xa.DType())
		for j, b := range allDTypes {
			xb := xa.ToDType(b)
			require.Equal(t, b, xb.DType())
			got := xb.Complex128s()
			for k, w := range want[i][j] {
				w := complex(w[0], w[1])
				if got[k] != w && !(isNaN(got[k]) && isNaN(w)) {
					t.Errorf("%v -> %v: element %d is %v, PyTorch %v", a, b, k, got[k], w)
				}
			}
		}
	}
}

func isNaN(c complex128) bool { return math.IsNaN(real(c)) || math.IsNaN(imag(c)) }

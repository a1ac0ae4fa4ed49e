package torch

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
)

// f32 makes a float32 tensor the way torch.tensor([...]) does from Python
// floats: parsed as float64, then rounded once to float32.
func f32(vals ...float64) *Tensor { return FromSlice(vals).ToDType(Float32) }

func ones(n int, last int64) []int64 {
	s := make([]int64, n, n+1)
	for i := range s {
		s[i] = 1
	}
	return append(s, last)
}

type formatCase struct {
	py      string         // the Python expression, after torch.manual_seed(0)
	opts    string         // torch.set_printoptions keywords, if any
	format  string         // the Go verb matching opts; "%v" when empty
	nonLeaf bool           // PyTorch prints grad_fn=<...>, which we print as requires_grad=True
	build   func() *Tensor // the same tensor in Go, after ManualSeed(0)
}

var nan, inf = math.NaN(), math.Inf(1)

var formatCases = []formatCase{
	// integers, bools
	{py: "torch.arange(6).reshape(2, 3)", build: func() *Tensor { return Arange(0, 6, 1).Reshape(2, 3) }},
	{py: "torch.tensor(7)", build: func() *Tensor { return Full(nil, Float(7), WithDType(Int64)) }},
	{py: "torch.tensor([2**62, -2**63])", build: func() *Tensor { return FromSlice([]int64{1 << 62, math.MinInt64}) }},
	{py: "torch.arange(-5, 5, dtype=torch.int32)", build: func() *Tensor { return Arange(-5, 5, 1, WithDType(Int32)) }},
	{py: "torch.arange(250, dtype=torch.uint8)", build: func() *Tensor { return Arange(0, 250, 1, WithDType(Uint8)) }},
	{py: "torch.tensor([-128, 0, 127], dtype=torch.int8)", build: func() *Tensor { return FromSlice([]int8{-128, 0, 127}) }},
	{py: "torch.tensor([-30000, 7], dtype=torch.int16)", build: func() *Tensor { return FromSlice([]int16{-30000, 7}) }},
	{py: "torch.randint(-10**9, 10**9, (40,))", build: func() *Tensor { return RandInt(-1e9, 1e9, []int64{40}) }},
	{py: "torch.randint(0, 100000, (1001,))", build: func() *Tensor { return RandInt(0, 100000, []int64{1001}) }},
	{py: "torch.arange(1001).reshape(1001, 1)", build: func() *Tensor { return Arange(0, 1001, 1).Reshape(1001, 1) }},
	{py: "torch.tensor(True)", build: func() *Tensor { return Full(nil, Float(1), WithDType(Bool)) }},
	{py: "torch.tensor([True, False])", build: func() *Tensor { return FromSlice([]bool{true, false}) }},
	{py: "torch.rand(1200) > 0.5", build: func() *Tensor { return Rand([]int64{1200}).GtScalar(Float(0.5)) }},

	// floats: fixed, whole numbers, scientific
	{py: "torch.rand(2, 3)", build: func() *Tensor { return Rand([]int64{2, 3}) }},
	{py: "torch.rand(3, 3)", build: func() *Tensor { return Rand([]int64{3, 3}) }},
	{py: "torch.tensor(3.5)", build: func() *Tensor { return Full(nil, Float(3.5)) }},
	{py: "torch.tensor(3.)", build: func() *Tensor { return Full(nil, Float(3)) }},
	{py: "torch.tensor(-0.)", build: func() *Tensor { return Full(nil, Float(math.Copysign(0, -1))) }},
	{py: "torch.tensor(1e-5)", build: func() *Tensor { return Full(nil, Float(1e-5)) }},
	{py: "torch.tensor([1e-5, 1.0])", build: func() *Tensor { return f32(1e-5, 1) }},
	{py: "torch.tensor([1., 2.])", build: func() *Tensor { return f32(1, 2) }},
	{py: "torch.tensor([-1.5, 2.25, 100.])", build: func() *Tensor { return f32(-1.5, 2.25, 100) }},
	{py: "torch.zeros(2, 3, 4)", build: func() *Tensor { return Zeros([]int64{2, 3, 4}) }},
	{py: "torch.tensor([1e10, 1.])", build: func() *Tensor { return f32(1e10, 1) }},
	{py: "torch.tensor([123456789., 1.5])", build: func() *Tensor { return f32(123456789, 1.5) }},
	{py: "torch.full((2, 3), 1e9)", build: func() *Tensor { return Full([]int64{2, 3}, Float(1e9)) }},
	{py: "torch.randn(3, 4) * 1e-5", build: func() *Tensor { return Randn([]int64{3, 4}).MulScalar(Float(1e-5)) }},
	{py: "torch.arange(30.).reshape(2, 15) * 1e5", build: func() *Tensor {
		return Arange(0, 30, 1, WithDType(Float32)).Reshape(2, 15).MulScalar(Float(1e5))
	}},
	{py: "torch.tensor([1e-3, 12345.6789], dtype=torch.float64)", build: func() *Tensor { return FromSlice([]float64{1e-3, 12345.6789}) }},
	{py: "torch.tensor([0.1, 100.], dtype=torch.float64)", build: func() *Tensor { return FromSlice([]float64{0.1, 100}) }},
	{py: "torch.tensor([0.1, 99.], dtype=torch.float64)", build: func() *Tensor { return FromSlice([]float64{0.1, 99}) }},
	{py: "torch.rand(2, 3, dtype=torch.float64)", build: func() *Tensor { return Rand([]int64{2, 3}, WithDType(Float64)) }},
	{py: "torch.randn(5, 6).half()", build: func() *Tensor { return Randn([]int64{5, 6}).ToDType(Float16) }},
	{py: "torch.randn(5, 6).bfloat16()", build: func() *Tensor { return Randn([]int64{5, 6}).ToDType(BFloat16) }},
	{py: "torch.arange(12.).reshape(3, 4).t()", build: func() *Tensor { return Arange(0, 12, 1, WithDType(Float32)).Reshape(3, 4).T() }},

	// every other dtype, with the suffix Python prints
	{py: "torch.tensor([1, 2], dtype=torch.int16)", build: func() *Tensor { return FromSlice([]int16{1, 2}) }},
	{py: "torch.tensor([[1], [-2]], dtype=torch.int8)", build: func() *Tensor { return FromSlice([]int8{1, -2}, 2, 1) }},
	{py: "torch.tensor([[True, False], [False, True]])", build: func() *Tensor { return FromSlice([]bool{true, false, false, true}, 2, 2) }},
	{py: "torch.tensor([1.5, -2.25, 65504.], dtype=torch.float16)", build: func() *Tensor {
		return FromSlice([]Half{HalfOf(1.5), HalfOf(-2.25), HalfOf(65504)})
	}},
	{py: "torch.tensor([0.1, 3.], dtype=torch.bfloat16)", build: func() *Tensor { return FromSlice([]BFloat{BFloatOf(0.1), BFloatOf(3)}) }},
	{py: "torch.tensor([1+2j, 3-1j])", build: func() *Tensor { return FromSlice([]complex64{1 + 2i, 3 - 1i}) }},
	{py: "torch.tensor(1.5-0.25j)", build: func() *Tensor { return FromSlice([]complex64{1.5 - 0.25i}).Reshape() }},
	{py: "torch.tensor([1.5+2j, -3.25-1e-5j], dtype=torch.complex128)", build: func() *Tensor {
		return FromSlice([]complex128{1.5 + 2i, -3.25 - 1e-5i})
	}},
	{py: "torch.tensor([[0.5+1j, 2-0.5j], [-1+0j, 1e3+4j]], dtype=torch.complex128)", build: func() *Tensor {
		return FromSlice([]complex128{0.5 + 1i, 2 - 0.5i, -1, 1e3 + 4i}, 2, 2)
	}},
	{py: "torch.tensor([complex(float('nan'), 1), 1e-5j, 3+0j])", build: func() *Tensor {
		return FromSlice([]complex64{complex(float32(nan), 1), 1e-5i, 3})
	}},
	{py: "torch.tensor([1+2j, 0.5-1j], dtype=torch.complex32)", build: func() *Tensor {
		return FromSlice([]ComplexHalf{ComplexHalfOf(1 + 2i), ComplexHalfOf(0.5 - 1i)})
	}},
	{py: "torch.randn(4, 5, dtype=torch.cfloat)", build: func() *Tensor { return Randn([]int64{4, 5}, WithDType(Complex64)) }},
	{py: "torch.randn(3, 30, dtype=torch.cdouble)", build: func() *Tensor { return Randn([]int64{3, 30}, WithDType(Complex128)) }},
	{py: "torch.complex(torch.arange(1200.), -torch.arange(1200.))", build: func() *Tensor {
		r := Arange(0, 1200, 1, WithDType(Float32))
		return Complex(r, r.Neg())
	}},
	{py: "torch.tensor([1+2j, 3-1j]).conj()", build: func() *Tensor { return FromSlice([]complex64{1 + 2i, 3 - 1i}).Conj() }},
	{py: "torch.tensor([1+2j, 3-1j]).conj().imag", build: func() *Tensor { return Imag(FromSlice([]complex64{1 + 2i, 3 - 1i}).Conj()) }},
	{py: "torch.empty(0, dtype=torch.complex64)", build: func() *Tensor { return Empty([]int64{0}, WithDType(Complex64)) }},

	// nan and inf
	{py: "torch.tensor([float('nan'), float('inf'), -float('inf'), 1.5])", build: func() *Tensor { return f32(nan, inf, -inf, 1.5) }},
	{py: "torch.tensor([float('nan'), 1., 2.])", build: func() *Tensor { return f32(nan, 1, 2) }},
	{py: "torch.tensor([0., float('nan')])", build: func() *Tensor { return f32(0, nan) }},
	{py: "torch.tensor([float('inf'), -float('inf')])", build: func() *Tensor { return f32(inf, -inf) }},
	{py: "torch.tensor([float('nan'), 1e-7, 3.])", build: func() *Tensor { return f32(nan, 1e-7, 3) }},

	// wrapping, nesting, summarization
	{py: "torch.randn(40, 40)", build: func() *Tensor { return Randn([]int64{40, 40}) }},
	{py: "torch.rand(3, 12)", build: func() *Tensor { return Rand([]int64{3, 12}) }}, // rows of exactly 80 columns
	{py: "torch.randn(3, 100)", build: func() *Tensor { return Randn([]int64{3, 100}) }},
	{py: "torch.randn(2, 2, 2, 2)", build: func() *Tensor { return Randn([]int64{2, 2, 2, 2}) }},
	{py: "torch.arange(2000.)", build: func() *Tensor { return Arange(0, 2000, 1, WithDType(Float32)) }},
	{py: "torch.randn(10, 200)", build: func() *Tensor { return Randn([]int64{10, 200}) }},
	{py: "torch.randn(8, 8, 20)", build: func() *Tensor { return Randn([]int64{8, 8, 20}) }},
	{py: "torch.zeros(1001)", build: func() *Tensor { return Zeros([]int64{1001}) }},
	{py: "torch.randn(3, 1000) * 1e6", build: func() *Tensor { return Randn([]int64{3, 1000}).MulScalar(Float(1e6)) }},
	{py: "torch.zeros((1,) * 74 + (3,))", build: func() *Tensor { return Zeros(ones(74, 3)) }},

	// empty
	{py: "torch.empty(0)", build: func() *Tensor { return Empty([]int64{0}) }},
	{py: "torch.empty(0, 3)", build: func() *Tensor { return Empty([]int64{0, 3}) }},
	{py: "torch.empty(2, 0, dtype=torch.int32)", build: func() *Tensor { return Empty([]int64{2, 0}, WithDType(Int32)) }},
	{py: "torch.empty(0, dtype=torch.int64)", build: func() *Tensor { return Empty([]int64{0}, WithDType(Int64)) }},
	{py: "torch.empty(0, dtype=torch.bool)", build: func() *Tensor { return Empty([]int64{0}, WithDType(Bool)) }},

	// autograd suffixes, and their wrapping past the line width
	{py: "torch.ones(2, 2, requires_grad=True)", build: func() *Tensor { return Ones([]int64{2, 2}, WithRequiresGrad()) }},
	{py: "torch.randn(2, 6, dtype=torch.float64, requires_grad=True)", build: func() *Tensor {
		return Randn([]int64{2, 6}, WithDType(Float64), WithRequiresGrad())
	}},
	{py: "torch.randn(7, dtype=torch.float64, requires_grad=True)", build: func() *Tensor {
		return Randn([]int64{7}, WithDType(Float64), WithRequiresGrad())
	}},
	{py: "torch.ones(2, 3, requires_grad=True) * 2", nonLeaf: true, build: func() *Tensor {
		// Python's operator multiplies by a wrapped 0-dim tensor (aten::mul.Tensor,
		// MulBackward0); MulScalar is aten::mul.Scalar (MulBackward1).
		return Ones([]int64{2, 3}, WithRequiresGrad()).Mul(Full(nil, Float(2)))
	}},

	// precision, as set_printoptions(precision=p) and fmt's %.pv
	{py: "torch.rand(3, 3)", opts: "precision=2", format: "%.2v", build: func() *Tensor { return Rand([]int64{3, 3}) }},
	{py: "torch.randn(4) * 1e-6", opts: "precision=2", format: "%.2v", build: func() *Tensor { return Randn([]int64{4}).MulScalar(Float(1e-6)) }},
	{py: "torch.rand(3)", opts: "precision=0", format: "%.0v", build: func() *Tensor { return Rand([]int64{3}) }},
	{py: "torch.rand(12, dtype=torch.float64)", opts: "precision=8", format: "%.8s", build: func() *Tensor {
		return Rand([]int64{12}, WithDType(Float64))
	}},
}

// gradFn is PyTorch's suffix for a non-leaf tensor, whose function name the
// C ABI does not expose.
var gradFn = regexp.MustCompile(`grad_fn=<\w+>`)

func TestStringMatchesPyTorch(t *testing.T) {
	pairs := make([][2]string, len(formatCases))
	for i, c := range formatCases {
		pairs[i] = [2]string{c.py, c.opts}
	}
	arg, err := json.Marshal(pairs)
	require.NoError(t, err)
	var want []string
	pytorch.JSON(t, `
import json, sys
out = []
for expr, opts in json.loads(sys.argv[1]):
    torch.manual_seed(0)
    if opts:
        eval("torch.set_printoptions(" + opts + ")")
    out.append(str(eval(expr)))
    torch.set_printoptions(profile="default")
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(formatCases))

	for i, c := range formatCases {
		t.Run(c.py+" "+c.opts, func(t *testing.T) {
			ManualSeed(0)
			x := c.build()
			exp := want[i]
			if c.nonLeaf {
				require.Regexp(t, gradFn, exp)
			}
			format := c.format
			if format == "" {
				format = "%v"
				assert.Equal(t, exp, x.String())
			}
			assert.Equal(t, exp, fmt.Sprintf(format, x))
		})
	}
}

// The device suffix needs a CUDA tensor, which a CPU libtorch cannot make;
// the placement of every suffix is checked against PyTorch's own
// _add_suffixes instead, the device among them.
func TestAddSuffixesMatchesPyTorch(t *testing.T) {
	long := "tensor([" + strings.Repeat("1.0000, ", 7) + "1.0000]"
	cases := []struct {
		s        string
		suffixes []string
	}{
		{"tensor([1., 2.]", []string{"device='cuda:0'"}},
		{"tensor([1., 2.]", []string{"device='cuda:1'", "dtype=torch.float64", "requires_grad=True"}},
		{long, []string{"device='cuda:0'", "dtype=torch.float16", "requires_grad=True"}},
		{long + strings.Repeat("0", 12), []string{"dtype=torch.float64"}},
		{strings.Repeat("x", 57), []string{"dtype=torch.float64"}}, // ends at column 80
		{strings.Repeat("x", 58), []string{"dtype=torch.float64"}}, // would pass it
		{"tensor([[1, 2],\n        [3, 4]]", []string{"device='cuda:0'", "dtype=torch.int32"}},
		{"tensor([]", []string{"size=(0, 3)", "dtype=torch.int64"}},
		{"tensor([1]", nil},
	}
	type pyCase struct {
		S        string   `json:"s"`
		Suffixes []string `json:"suffixes"`
	}
	in := make([]pyCase, len(cases))
	for i, c := range cases {
		in[i] = pyCase{c.s, append([]string{}, c.suffixes...)}
	}
	arg, err := json.Marshal(in)
	require.NoError(t, err)
	var want []string
	pytorch.JSON(t, `
import json, sys
from torch._tensor_str import _add_suffixes
print(json.dumps([_add_suffixes(c["s"], c["suffixes"], 7, False) for c in json.loads(sys.argv[1])]))
`, &want, string(arg))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		assert.Equal(t, want[i], addSuffixes(c.s, c.suffixes, 7, 80), "case %d: %q %q", i, c.s, c.suffixes)
	}
}

func TestFormatVerbsAndBadTensors(t *testing.T) {
	x := FromSlice([]int64{1, 2})
	assert.Equal(t, "tensor([1, 2])", fmt.Sprintf("%s", x))
	assert.Equal(t, "%!d(*torch.Tensor=tensor([1, 2]))", fmt.Sprintf("%d", x))
	assert.Equal(t, "[tensor([1, 2])]", fmt.Sprint([]*Tensor{x}), "inside a slice, as PyTorch prints a list")

	var none *Tensor
	assert.Equal(t, "<nil>", none.String())
	assert.Equal(t, "<nil>", fmt.Sprint(none))

	freed := FromSlice([]float32{1})
	freed.Free()
	assert.Contains(t, fmt.Sprint(freed), "tensor used after Free", "fmt reports the panic instead of crashing")
	assert.PanicsWithError(t, "torch: Tensor: tensor used after Free", func() { _ = freed.String() })
}

// Printing copies only the elements shown: a summarized tensor costs about
// what a small one does, whatever its size.
func BenchmarkString(b *testing.B) {
	for _, shape := range [][]int64{{3, 3}, {40, 40}, {1000, 1000}} {
		x := Randn(shape)
		b.Run(fmt.Sprint(shape), func(b *testing.B) {
			for b.Loop() {
				_ = x.String()
			}
		})
	}
}

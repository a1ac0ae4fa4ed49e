package nn_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// initRequireBitEqual checks that two tensors have the same dtype, shape
// and bits (float32 values widen to float64 exactly).
func initRequireBitEqual(t *testing.T, want, got *torch.Tensor, name string) {
	t.Helper()
	require.Equal(t, want.DType(), got.DType(), name)
	require.Equal(t, want.Shape(), got.Shape(), name)
	w, g := want.Float64s(), got.Float64s()
	for i := range w {
		if math.Float64bits(w[i]) != math.Float64bits(g[i]) {
			t.Fatalf("%s[%d]: PyTorch %v, Go %v", name, i, w[i], g[i])
		}
	}
}

// TestInitMatchesPyTorch runs every initialiser on tensors of several
// shapes and dtypes, each after its own torch.manual_seed, in Go and in
// one Python process, and requires bit-identical tensors; and compares
// calculate_gain's values to the bit.
func TestInitMatchesPyTorch(t *testing.T) {
	type initCase struct {
		shape []int64
		dtype torch.DType
		f     func(*torch.Tensor)
		py    string // Python statement on t
	}
	f32, f64 := torch.Float32, torch.Float64
	shapes := [][]int64{{30, 20}, {7, 3}, {16, 3, 5, 5}, {4, 2, 3}}
	var cases []initCase
	add := func(dtype torch.DType, f func(*torch.Tensor), py string, shapes ...[]int64) {
		for _, s := range shapes {
			cases = append(cases, initCase{s, dtype, f, py})
		}
	}
	add(f32, func(t *torch.Tensor) { nn.Uniform_(t, 0, 1) }, "init.uniform_(t)", shapes...)
	add(f32, func(t *torch.Tensor) { nn.Uniform_(t, -0.3, 0.7) }, "init.uniform_(t, -0.3, 0.7)", []int64{7}, []int64{3, 5})
	add(f64, func(t *torch.Tensor) { nn.Uniform_(t, -2, 5) }, "init.uniform_(t, -2.0, 5.0)", []int64{6, 4})
	add(f32, func(t *torch.Tensor) { nn.Normal_(t, 0, 1) }, "init.normal_(t)", shapes...)
	add(f32, func(t *torch.Tensor) { nn.Normal_(t, 0.5, 2) }, "init.normal_(t, 0.5, 2.0)", []int64{7}, []int64{3, 5})
	add(f64, func(t *torch.Tensor) { nn.Normal_(t, -1, 0.1) }, "init.normal_(t, -1.0, 0.1)", []int64{6, 4})
	for _, args := range [][4]float64{{0, 1, -2, 2}, {0.5, 0.02, 0.45, 0.6}, {0, 3, -1, 4}, {1, 0.5, -2, 2}, {-3, 1.5, -10, 0}, {0, 0.02, -0.04, 0.04},
		{0, 1, -0.95, 0.95}} {
		py := fmt.Sprintf("init.trunc_normal_(t, %v, %v, %v, %v)", args[0], args[1], args[2], args[3])
		add(f32, func(t *torch.Tensor) { nn.TruncNormal_(t, args[0], args[1], args[2], args[3]) }, py, []int64{30, 20}, []int64{1000})
		add(f64, func(t *torch.Tensor) { nn.TruncNormal_(t, args[0], args[1], args[2], args[3]) }, py, []int64{8, 8})
	}
	add(f32, func(t *torch.Tensor) { nn.Constant_(t, 0.3) }, "init.constant_(t, 0.3)", []int64{3, 4})
	add(f64, func(t *torch.Tensor) { nn.Constant_(t, -1e-7) }, "init.constant_(t, -1e-7)", []int64{3})
	add(f32, func(t *torch.Tensor) { nn.Ones_(t) }, "init.ones_(t)", []int64{2, 3})
	add(f32, func(t *torch.Tensor) { nn.Zeros_(t) }, "init.zeros_(t)", []int64{2, 3})
	add(f32, func(t *torch.Tensor) { nn.Eye_(t) }, "init.eye_(t)", []int64{3, 5}, []int64{4, 4}, []int64{5, 2})
	add(f32, func(t *torch.Tensor) { nn.Dirac_(t, 1) }, "init.dirac_(t)", []int64{4, 2, 3}, []int64{3, 5, 3, 3}, []int64{2, 2, 3, 2, 3})
	add(f32, func(t *torch.Tensor) { nn.Dirac_(t, 2) }, "init.dirac_(t, 2)", []int64{6, 3, 3, 3}, []int64{4, 1, 5})
	for _, gain := range []struct {
		g  float64
		py string
	}{{1, "1.0"}, {nn.CalculateGain("relu"), "init.calculate_gain('relu')"}, {0.3, "0.3"}} {
		add(f32, func(t *torch.Tensor) { nn.XavierUniform_(t, gain.g) }, "init.xavier_uniform_(t, "+gain.py+")", shapes...)
		add(f32, func(t *torch.Tensor) { nn.XavierNormal_(t, gain.g) }, "init.xavier_normal_(t, "+gain.py+")", shapes...)
		add(f32, func(t *torch.Tensor) { nn.Orthogonal_(t, gain.g) }, "init.orthogonal_(t, "+gain.py+")",
			[]int64{5, 5}, []int64{3, 7}, []int64{7, 3}, []int64{4, 2, 3, 3}, []int64{1, 6})
	}
	add(f64, func(t *torch.Tensor) { nn.XavierUniform_(t, 1) }, "init.xavier_uniform_(t)", []int64{9, 4})
	add(f64, func(t *torch.Tensor) { nn.Orthogonal_(t, 1) }, "init.orthogonal_(t)", []int64{6, 9}, []int64{9, 6})
	for _, k := range []struct {
		a    float64
		opts nn.KaimingOpts
		py   string
	}{
		{0, nn.KaimingOpts{}, ""},
		{math.Sqrt(5), nn.KaimingOpts{}, "a=math.sqrt(5)"},
		{0.2, nn.KaimingOpts{}, "a=0.2"},
		{0.01, nn.KaimingOpts{Mode: "fan_out"}, "a=0.01, mode='fan_out'"},
		{0, nn.KaimingOpts{Mode: "fan_out", Nonlinearity: "relu"}, "mode='fan_out', nonlinearity='relu'"},
		{0, nn.KaimingOpts{Mode: "FAN_IN", Nonlinearity: "tanh"}, "mode='FAN_IN', nonlinearity='tanh'"},
		{3, nn.KaimingOpts{Nonlinearity: "selu"}, "a=3, nonlinearity='selu'"},
		{0, nn.KaimingOpts{Nonlinearity: "conv2d"}, "nonlinearity='conv2d'"},
	} {
		add(f32, func(t *torch.Tensor) { nn.KaimingUniform_(t, k.a, k.opts) }, "init.kaiming_uniform_(t, "+k.py+")", shapes...)
		add(f32, func(t *torch.Tensor) { nn.KaimingNormal_(t, k.a, k.opts) }, "init.kaiming_normal_(t, "+k.py+")", shapes...)
	}
	add(f32, func(t *torch.Tensor) { nn.KaimingUniform_(t, math.Sqrt(5)) }, "init.kaiming_uniform_(t, a=math.sqrt(5))", []int64{0, 3})
	add(f64, func(t *torch.Tensor) { nn.KaimingNormal_(t, 0, nn.KaimingOpts{Nonlinearity: "relu"}) }, "init.kaiming_normal_(t, nonlinearity='relu')", []int64{5, 8})
	add(f32, func(t *torch.Tensor) { nn.Sparse_(t, 0.3, 0.01) }, "init.sparse_(t, 0.3)", []int64{10, 6}, []int64{3, 4})
	add(f32, func(t *torch.Tensor) { nn.Sparse_(t, 0.5, 2) }, "init.sparse_(t, 0.5, 2.0)", []int64{7, 5})
	add(f32, func(t *torch.Tensor) { nn.Sparse_(t, 1.5, 1) }, "init.sparse_(t, 1.5, 1.0)", []int64{4, 3})

	var script strings.Builder
	script.WriteString(`
import sys, math, warnings
warnings.simplefilter("ignore")
init = torch.nn.init
res = {}
def run(i, shape, dtype, f):
    torch.manual_seed(1000 + i)
    t = torch.empty(shape, dtype=dtype)
    f(t)
    res["c%d" % i] = t
`)
	pyDType := map[torch.DType]string{f32: "torch.float32", f64: "torch.float64"}
	for i, c := range cases {
		fmt.Fprintf(&script, "run(%d, %s, %s, lambda t: %s)\n", i, strings.ReplaceAll(fmt.Sprint(c.shape), " ", ","), pyDType[c.dtype], c.py)
	}
	// calculate_gain for every nonlinearity and several slopes, to the bit.
	type gainCase struct {
		name  string
		param []float64
		py    string
	}
	var gains []gainCase
	for _, n := range []string{"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
		"sigmoid", "tanh", "relu", "leaky_relu", "selu"} {
		gains = append(gains, gainCase{n, nil, fmt.Sprintf("init.calculate_gain(%q)", n)})
	}
	for _, p := range []float64{0, 0.01, 0.2, math.Sqrt(5), 1, 1e-3, 0.1, 3, -0.5} {
		gains = append(gains, gainCase{"leaky_relu", []float64{p}, fmt.Sprintf("init.calculate_gain('leaky_relu', %s)", strconvPy(p))})
	}
	var gainPy []string
	for _, g := range gains {
		gainPy = append(gainPy, g.py)
	}
	script.WriteString("torch.save(res, sys.argv[1])\n")
	script.WriteString("import json\nprint(json.dumps([float(g) for g in [" + strings.Join(gainPy, ", ") + "]]))\n")
	out := tempPath(t, "py.pt")
	var wantGains []float64
	pytorch.JSON(t, script.String(), &wantGains, out)
	require.Len(t, wantGains, len(gains))
	for i, g := range gains {
		assert.Equal(t, math.Float64bits(wantGains[i]), math.Float64bits(nn.CalculateGain(g.name, g.param...)), g.py)
	}
	want := loadPT(t, out)
	require.Len(t, want, len(cases))
	for i, c := range cases {
		torch.ManualSeed(uint64(1000 + i))
		x := torch.Empty(c.shape, torch.WithDType(c.dtype))
		c.f(x)
		initRequireBitEqual(t, want[fmt.Sprintf("c%d", i)], x, fmt.Sprintf("%s %v %v", c.py, c.shape, c.dtype))
	}
	t.Logf("%d initialiser cases bit-identical", len(cases))
}

// strconvPy writes a float64 so that Python reads back the same number.
func strconvPy(f float64) string {
	if f == math.Sqrt(5) {
		return "math.sqrt(5)"
	}
	return fmt.Sprintf("%v", f)
}

func TestInitBehaviour(t *testing.T) {
	// No autograd record: the parameter stays a leaf that needs its
	// gradient.
	w := torch.Empty([]int64{4, 3}, torch.WithRequiresGrad())
	for _, f := range []func(*torch.Tensor) *torch.Tensor{
		func(t *torch.Tensor) *torch.Tensor { return nn.XavierUniform_(t, 1) },
		func(t *torch.Tensor) *torch.Tensor { return nn.KaimingNormal_(t, 0) },
		func(t *torch.Tensor) *torch.Tensor { return nn.TruncNormal_(t, 0, 1, -2, 2) },
		func(t *torch.Tensor) *torch.Tensor { return nn.Orthogonal_(t, 1) },
		nn.Eye_, nn.Ones_, nn.Zeros_,
	} {
		assert.Same(t, w, f(w), "returns its argument")
		assert.True(t, w.RequiresGrad())
		assert.Equal(t, "", w.GradFn())
	}
	// A trunc_normal_ draw stays in its bounds.
	x := nn.TruncNormal_(torch.Empty([]int64{10000}), 0.5, 2, -1, 1.5)
	assert.GreaterOrEqual(t, x.Min().Item(), -1.0)
	assert.LessOrEqual(t, x.Max().Item(), 1.5)
	// orthogonal_ gives orthonormal rows (or columns) times gain.
	q := nn.Orthogonal_(torch.Empty([]int64{3, 8}), 2)
	requireClose(t, torch.Eye(3).MulScalar(torch.Int(4)), q.Matmul(q.T()), 1e-5, "q qᵀ")
	// Fans.
	in, out := nn.FanInAndFanOut(torch.Empty([]int64{8, 3, 5, 5}))
	assert.Equal(t, []int64{75, 200}, []int64{in, out})
	assert.Equal(t, int64(75), nn.FanIn(torch.Empty([]int64{8, 3, 5, 5})))
	// Zero-element tensors are left alone by the Kaiming initialisers.
	e := torch.Empty([]int64{0, 4})
	assert.Same(t, e, nn.KaimingUniform_(e, 0))
	assert.Same(t, e, nn.KaimingNormal_(e, 0))
	assert.Same(t, e, nn.Orthogonal_(e, 1))
}

func TestInitErrors(t *testing.T) {
	cases := []struct {
		name string
		f    func()
		msg  string
	}{
		{"gain", func() { nn.CalculateGain("softmax") }, "torch: CalculateGain: Unsupported nonlinearity softmax"},
		{"fan", func() { nn.FanIn(torch.Empty([]int64{3})) }, "torch: FanIn: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got torch.Size([3]))"},
		{"xavier 1-D", func() { nn.XavierUniform_(torch.Empty([]int64{3}), 1) }, "torch: FanIn: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got torch.Size([3]))"},
		{"xavier empty", func() { nn.XavierNormal_(torch.Empty([]int64{0, 0}), 1) }, "torch: XavierNormal_: float division by zero (the tensor has no fan in nor fan out)"},
		{"mode", func() { nn.KaimingUniform_(torch.Empty([]int64{3, 3}), 0, nn.KaimingOpts{Mode: "fan_avg"}) },
			"torch: KaimingUniform_: Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']"},
		{"nonlinearity", func() { nn.KaimingNormal_(torch.Empty([]int64{3, 3}), 0, nn.KaimingOpts{Nonlinearity: "gelu"}) },
			"torch: CalculateGain: Unsupported nonlinearity gelu"},
		{"eye", func() { nn.Eye_(torch.Empty([]int64{2, 2, 2})) }, "torch: Eye_: Only tensors with 2 dimensions are supported (got torch.Size([2, 2, 2]))"},
		{"dirac rank", func() { nn.Dirac_(torch.Empty([]int64{2, 2}), 1) }, "torch: Dirac_: Only tensors with 3, 4, or 5 dimensions are supported (got torch.Size([2, 2]))"},
		{"dirac groups", func() { nn.Dirac_(torch.Empty([]int64{5, 2, 3}), 2) }, "torch: Dirac_: dim 0 must be divisible by groups (got 5 and groups=2)"},
		{"orthogonal", func() { nn.Orthogonal_(torch.Empty([]int64{4}), 1) }, "torch: Orthogonal_: Only tensors with 2 or more dimensions are supported (got torch.Size([4]))"},
		{"sparse", func() { nn.Sparse_(torch.Empty([]int64{4, 3, 2}), 0.1, 0.01) }, "torch: Sparse_: Only tensors with 2 dimensions are supported (got torch.Size([4, 3, 2]))"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := torch.Catch(c.f)
			require.EqualError(t, err, c.msg)
			if c.name != "xavier empty" { // Python's ZeroDivisionError is no ValueError
				require.ErrorIs(t, err, torch.ErrValue)
			}
		})
	}
}

// torchvision's ResNet initialises its convolutions with
// kaiming_normal_(w, mode='fan_out', nonlinearity='relu'); after the same
// seed the draws are PyTorch's.
func Example_kaimingNormal() {
	torch.ManualSeed(0)
	w := torch.Empty([]int64{64, 3, 7, 7})
	nn.KaimingNormal_(w, 0, nn.KaimingOpts{Mode: "fan_out", Nonlinearity: "relu"})
	fmt.Printf("std %.4f, expected %.4f\n", w.Std().Item(), math.Sqrt(2.0/(64*7*7)))
	fmt.Printf("%.4f\n", w.Flatten().Narrow(0, 0, 3).Float32s())
	// Output:
	// std 0.0253, expected 0.0253
	// [-0.0284 -0.0291 -0.0063]
}

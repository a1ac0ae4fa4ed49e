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
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// actRequireClose checks that two tensors agree to tol, relative to the
// expected value's size (|w - g| <= tol * (1 + |w|)); NaNs must be NaN in
// both and infinities equal.
func actRequireClose(t *testing.T, want, got *torch.Tensor, tol float64, name string) {
	t.Helper()
	require.NotNil(t, got, name)
	require.Equal(t, want.Shape(), got.Shape(), name)
	require.Equal(t, want.DType(), got.DType(), name)
	w, g := want.Float64s(), got.Float64s()
	for i := range w {
		switch {
		case math.IsNaN(w[i]):
			require.True(t, math.IsNaN(g[i]), "%s[%d]: PyTorch NaN, Go %v", name, i, g[i])
		case math.IsInf(w[i], 0):
			require.Equal(t, w[i], g[i], "%s[%d]", name, i)
		default:
			require.LessOrEqual(t, math.Abs(w[i]-g[i]), tol*(1+math.Abs(w[i])), "%s[%d]: PyTorch %v, Go %v", name, i, w[i], g[i])
		}
	}
}

// activationCase is one layer (or functional call) applied to one input,
// in Go and in Python.
type activationCase struct {
	name string
	f    func(x *torch.Tensor) *torch.Tensor // the Go computation; a Module's Forward
	mod  any                                 // the Go module, for its String and parameters; nil for a function
	py   string                              // a Python callable: a module or a lambda
	in   string                              // the input's key
	seed uint64                              // when not 0, torch.manual_seed(seed) just before the forward pass
}

// activationModules is every activation layer with the Python expression
// that builds its twin; layers that work element-wise are also run on the
// edge values.
func activationModules() (mods []activationCase, elementwise map[string]bool) {
	m := func(name string, mod nn.Module, py string) activationCase {
		return activationCase{name: name, f: mod.Forward, mod: mod, py: py, in: "x"}
	}
	mods = []activationCase{
		m("relu", nn.NewReLU(), "nn.ReLU()"),
		m("relu6", nn.NewReLU6(), "nn.ReLU6()"),
		m("leaky_relu", nn.NewLeakyReLU(), "nn.LeakyReLU()"),
		m("leaky_relu_0.2", nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(0.2)}), "nn.LeakyReLU(0.2)"),
		m("leaky_relu_tiny", nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(1e-5)}), "nn.LeakyReLU(1e-05)"),
		m("prelu", nn.NewPReLU(), "nn.PReLU()"),
		m("prelu_6", nn.NewPReLU(nn.PReLUOpts{NumParameters: new(int64(6)), Init: new(0.1)}), "nn.PReLU(6, 0.1)"),
		m("rrelu_eval", func() nn.Module { r := nn.NewRReLU(); nn.Eval(r); return r }(), "nn.RReLU().eval()"),
		m("rrelu_eval_bounds", func() nn.Module {
			r := nn.NewRReLU(nn.RReLUOpts{Lower: new(0.1), Upper: new(0.5)})
			r.SetTraining(false)
			return r
		}(), "nn.RReLU(0.1, 0.5).eval()"),
		m("elu", nn.NewELU(), "nn.ELU()"),
		m("elu_2", nn.NewELU(nn.ELUOpts{Alpha: new(2.0)}), "nn.ELU(2.0)"),
		m("selu", nn.NewSELU(), "nn.SELU()"),
		m("celu", nn.NewCELU(), "nn.CELU()"),
		m("celu_0.5", nn.NewCELU(nn.CELUOpts{Alpha: new(0.5)}), "nn.CELU(0.5)"),
		m("gelu", nn.NewGELU(), "nn.GELU()"),
		m("gelu_tanh", nn.NewGELU(nn.GELUOpts{Approximate: "tanh"}), "nn.GELU('tanh')"),
		m("gelu_zero", &nn.GELU{}, "nn.GELU()"),
		m("silu", nn.NewSiLU(), "nn.SiLU()"),
		m("mish", nn.NewMish(), "nn.Mish()"),
		m("sigmoid", nn.NewSigmoid(), "nn.Sigmoid()"),
		m("tanh", nn.NewTanh(), "nn.Tanh()"),
		m("hardtanh", nn.NewHardtanh(), "nn.Hardtanh()"),
		m("hardtanh_-2_3", nn.NewHardtanh(nn.HardtanhOpts{MinVal: new(-2.0), MaxVal: new(3.0)}), "nn.Hardtanh(-2.0, 3.0)"),
		m("hardtanh_zero", &nn.Hardtanh{}, "nn.Hardtanh()"),
		m("hardsigmoid", nn.NewHardsigmoid(), "nn.Hardsigmoid()"),
		m("hardswish", nn.NewHardswish(), "nn.Hardswish()"),
		m("softplus", nn.NewSoftplus(), "nn.Softplus()"),
		m("softplus_2_10", nn.NewSoftplus(nn.SoftplusOpts{Beta: new(2.0), Threshold: new(10.0)}), "nn.Softplus(2, 10)"),
		m("softplus_0.5", nn.NewSoftplus(nn.SoftplusOpts{Beta: new(0.5)}), "nn.Softplus(0.5)"),
		m("softsign", nn.NewSoftsign(), "nn.Softsign()"),
		m("softshrink", nn.NewSoftshrink(), "nn.Softshrink()"),
		m("softshrink_1", nn.NewSoftshrink(nn.SoftshrinkOpts{Lambd: new(1.0)}), "nn.Softshrink(1.0)"),
		m("hardshrink", nn.NewHardshrink(), "nn.Hardshrink()"),
		m("hardshrink_2", nn.NewHardshrink(nn.HardshrinkOpts{Lambd: new(2.0)}), "nn.Hardshrink(2.0)"),
		m("tanhshrink", nn.NewTanhshrink(), "nn.Tanhshrink()"),
		m("threshold", nn.NewThreshold(0.25, 20), "nn.Threshold(0.25, 20.0)"),
		m("threshold_neg", nn.NewThreshold(-1, -7.5), "nn.Threshold(-1.0, -7.5)"),
		m("logsigmoid", nn.NewLogSigmoid(), "nn.LogSigmoid()"),
		m("softmax_1", nn.NewSoftmax(1), "nn.Softmax(dim=1)"),
		m("softmax_0", nn.NewSoftmax(0), "nn.Softmax(dim=0)"),
		m("softmax_-1", nn.NewSoftmax(-1), "nn.Softmax(dim=-1)"),
		m("log_softmax_1", nn.NewLogSoftmax(1), "nn.LogSoftmax(dim=1)"),
		m("log_softmax_0", nn.NewLogSoftmax(0), "nn.LogSoftmax(dim=0)"),
		m("softmin_1", nn.NewSoftmin(1), "nn.Softmin(dim=1)"),
		m("glu", nn.NewGLU(), "nn.GLU()"),
		m("glu_0", nn.NewGLU(nn.GLUOpts{Dim: new(int64(0))}), "nn.GLU(0)"),
	}
	s2 := m("softmax2d", nn.NewSoftmax2d(), "nn.Softmax2d()")
	s2.in = "x3"
	s2b := m("softmax2d_4d", nn.NewSoftmax2d(), "nn.Softmax2d()")
	s2b.in = "x4"
	mods = append(mods, s2, s2b)
	// Training mode draws the slopes: the same seed gives the same draws.
	rr := m("rrelu_train", nn.NewRReLU(), "nn.RReLU()")
	rr.seed = 11
	rr2 := m("rrelu_train_bounds", nn.NewRReLU(nn.RReLUOpts{Lower: new(0.2), Upper: new(0.9)}), "nn.RReLU(0.2, 0.9)")
	rr2.seed = 12
	mods = append(mods, rr, rr2)

	elementwise = map[string]bool{}
	for _, c := range mods {
		if !strings.Contains(c.name, "softm") && !strings.HasPrefix(c.name, "glu") && !strings.HasPrefix(c.name, "prelu_6") {
			elementwise[c.name] = true
		}
	}
	return mods, elementwise
}

// TestActivationsMatchPyTorch runs every activation layer, and the
// functional calls with arguments the layers do not use, on a table of
// values with the edges of each function (0, the kinks at ±0.5, ±1, ±3, 6,
// the softplus threshold 20, ±inf, NaN, -0.0), in Go and in one Python
// process, and compares the outputs, the gradients sent back to the input
// (of a weighted sum of the output) and to the parameters, and the layers'
// reprs.
func TestActivationsMatchPyTorch(t *testing.T) {
	torch.ManualSeed(5)
	x := torch.FromSlice([]float32{-30, -20, -6, -3.5, -3, -2, -1, -0.5, -0.25, -1e-4, 0, 1e-4,
		0.25, 0.5, 1, 2, 3, 3.5, 6, 20, 30, -0.75, 0.75, 1.5}, 4, 6)
	inf := float32(math.Inf(1))
	edge := torch.FromSlice([]float32{-inf, inf, float32(math.NaN()), float32(math.Copysign(0, -1)),
		1e-38, -1e-38, 88.7, -88.7, 1e30, -1e30, 100, -100}, 2, 6)
	inputs := map[string]*torch.Tensor{
		"x": x, "e": edge,
		"x3": torch.Randn([]int64{2, 3, 4}), "x4": torch.Randn([]int64{2, 3, 2, 2}),
		"xd": torch.Randn([]int64{3, 5}, torch.WithDType(torch.Float64)),
	}
	weights := map[string]*torch.Tensor{}
	for k, v := range inputs {
		weights["w_"+k] = torch.Randn(v.Shape(), torch.WithDType(v.DType()))
	}

	mods, elementwise := activationModules()
	cases := append([]activationCase{}, mods...)
	for _, c := range mods {
		if elementwise[c.name] {
			e := c
			e.name, e.in = c.name+"@edge", "e"
			cases = append(cases, e)
		}
	}
	// The functional calls, for the arguments no layer passes.
	fn := func(name string, f func(*torch.Tensor) *torch.Tensor, py, in string) activationCase {
		return activationCase{name: name, f: f, py: py, in: in}
	}
	cases = append(cases,
		fn("F.softmax_dtype", func(x *torch.Tensor) *torch.Tensor { return F.Softmax(x, 1, F.SoftmaxOpts{DType: new(torch.Float64)}) },
			"lambda t: F.softmax(t, 1, dtype=torch.float64)", "x"),
		fn("F.log_softmax_dtype", func(x *torch.Tensor) *torch.Tensor {
			return F.LogSoftmax(x, 0, F.LogSoftmaxOpts{DType: new(torch.Float64)})
		}, "lambda t: F.log_softmax(t, 0, dtype=torch.float64)", "x"),
		fn("F.softmin_dtype", func(x *torch.Tensor) *torch.Tensor { return F.Softmin(x, -1, F.SoftminOpts{DType: new(torch.Float64)}) },
			"lambda t: F.softmin(t, -1, dtype=torch.float64)", "x"),
		fn("F.rrelu_train", func(x *torch.Tensor) *torch.Tensor { return F.Rrelu(x, F.RreluOpts{Training: true}) },
			"lambda t: F.rrelu(t, training=True)", "x"),
		fn("F.rrelu_eval", func(x *torch.Tensor) *torch.Tensor { return F.Rrelu(x) }, "lambda t: F.rrelu(t)", "x"),
		fn("F.sigmoid", F.Sigmoid, "torch.sigmoid", "x"),
		fn("F.tanh", F.Tanh, "torch.tanh", "x"),
		fn("F.relu6", func(x *torch.Tensor) *torch.Tensor { return F.Relu6(x) }, "F.relu6", "x"),
		fn("F.relu_f64", func(x *torch.Tensor) *torch.Tensor { return F.Relu(x) }, "F.relu", "xd"),
		fn("F.gelu_f64", func(x *torch.Tensor) *torch.Tensor { return F.Gelu(x, F.GeluOpts{Approximate: "tanh"}) },
			"lambda t: F.gelu(t, approximate='tanh')", "xd"),
		fn("F.elu_f64", func(x *torch.Tensor) *torch.Tensor { return F.Elu(x, F.EluOpts{Alpha: new(0.3)}) },
			"lambda t: F.elu(t, 0.3)", "xd"),
		fn("F.threshold_f64", func(x *torch.Tensor) *torch.Tensor { return F.Threshold(x, 0.1, -2) },
			"lambda t: F.threshold(t, 0.1, -2.0)", "xd"),
		fn("F.softplus_f64", func(x *torch.Tensor) *torch.Tensor {
			return F.Softplus(x, F.SoftplusOpts{Beta: new(3.0), Threshold: new(1.0)})
		}, "lambda t: F.softplus(t, 3.0, 1.0)", "xd"),
		fn("F.glu_f64", func(x *torch.Tensor) *torch.Tensor { return F.Glu(x, F.GluOpts{Dim: new(int64(0))}) },
			"lambda t: F.glu(t[:2], 0)", "xd"),
	)
	for i := range cases {
		if cases[i].name == "F.rrelu_train" {
			cases[i].seed = 13
		}
	}
	// glu over dim 0 needs an even size: both sides take the first 2 rows.
	gluF64 := cases[len(cases)-1].f
	cases[len(cases)-1].f = func(x *torch.Tensor) *torch.Tensor { return gluF64(x.Narrow(0, 0, 2)) }

	all := map[string]*torch.Tensor{}
	for k, v := range inputs {
		all[k] = v
	}
	for k, v := range weights {
		all[k] = v
	}
	in := savePT(t, all)
	out := tempPath(t, "py.pt")

	// Reprs only: the layers that cannot run on a leaf that needs its
	// gradient, and numbers Python prints in its own way.
	reprOnly := []struct {
		mod fmt.Stringer
		py  string
	}{
		{nn.NewReLU(nn.ReLUOpts{Inplace: true}), "nn.ReLU(inplace=True)"},
		{nn.NewReLU6(nn.ReLU6Opts{Inplace: true}), "nn.ReLU6(inplace=True)"},
		{nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(1e20), Inplace: true}), "nn.LeakyReLU(1e20, inplace=True)"},
		{nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(1.0 / 3)}), "nn.LeakyReLU(1/3)"},
		{nn.NewRReLU(nn.RReLUOpts{Inplace: true}), "nn.RReLU(inplace=True)"},
		{nn.NewELU(nn.ELUOpts{Alpha: new(1e-7), Inplace: true}), "nn.ELU(1e-7, inplace=True)"},
		{nn.NewCELU(nn.CELUOpts{Alpha: new(123456.5), Inplace: true}), "nn.CELU(123456.5, inplace=True)"},
		{nn.NewSELU(nn.SELUOpts{Inplace: true}), "nn.SELU(inplace=True)"},
		{nn.NewSiLU(nn.SiLUOpts{Inplace: true}), "nn.SiLU(inplace=True)"},
		{nn.NewMish(nn.MishOpts{Inplace: true}), "nn.Mish(inplace=True)"},
		{nn.NewHardtanh(nn.HardtanhOpts{MinVal: new(-0.5), MaxVal: new(1e16), Inplace: true}), "nn.Hardtanh(-0.5, 1e16, inplace=True)"},
		{nn.NewHardsigmoid(nn.HardsigmoidOpts{Inplace: true}), "nn.Hardsigmoid(inplace=True)"},
		{nn.NewHardswish(nn.HardswishOpts{Inplace: true}), "nn.Hardswish(inplace=True)"},
		{nn.NewThreshold(0.1, 20, nn.ThresholdOpts{Inplace: true}), "nn.Threshold(0.1, 20.0, inplace=True)"},
		{nn.NewSoftplus(nn.SoftplusOpts{Beta: new(0.5), Threshold: new(1e17)}), "nn.Softplus(0.5, 1e17)"},
		{nn.NewPReLU(nn.PReLUOpts{NumParameters: new(int64(0))}), "nn.PReLU(0)"},
		{&nn.ReLU{}, "nn.ReLU()"},
		{&nn.LeakyReLU{}, "nn.LeakyReLU()"},
		{&nn.RReLU{}, "nn.RReLU()"},
		{&nn.Softplus{}, "nn.Softplus()"},
		{&nn.Softmax{}, "nn.Softmax(0)"},
		{&nn.GLU{}, "nn.GLU()"},
		{&nn.Softshrink{}, "nn.Softshrink()"},
		{&nn.Hardshrink{}, "nn.Hardshrink()"},
		{&nn.ELU{}, "nn.ELU()"},
		{&nn.CELU{}, "nn.CELU()"},
		{&nn.Threshold{}, "nn.Threshold(0.0, 0.0)"},
	}

	var script strings.Builder
	script.WriteString(`
import sys, json, warnings
warnings.simplefilter("ignore")
nn, F = torch.nn, torch.nn.functional
d = torch.load(sys.argv[1])
cases = [
`)
	for _, c := range cases {
		fmt.Fprintf(&script, "    (%q, %s, %q, %d),\n", c.name, c.py, c.in, c.seed)
	}
	script.WriteString("]\nrepr_only = [\n")
	for _, r := range reprOnly {
		fmt.Fprintf(&script, "    %s,\n", r.py)
	}
	script.WriteString(`]
res, reprs = {}, {}
reprs["repr_only"] = [repr(m) for m in repr_only]
for name, m, key, seed in cases:
    if isinstance(m, nn.Module):
        reprs[name] = repr(m)
    x = d[key].clone().requires_grad_()
    w = d["w_" + key]
    if seed:
        torch.manual_seed(seed)
    y = m(x)
    (y * w[..., :y.shape[-1]][tuple(slice(0, s) for s in y.shape)]).sum().backward()
    res[name] = y.detach()
    res[name + ".grad"] = x.grad
    if isinstance(m, nn.Module):
        for i, p in enumerate(m.parameters()):
            res["%s.p%d.grad" % (name, i)] = p.grad
torch.save(res, sys.argv[2])
print(json.dumps(reprs))
`)
	var reprs map[string]any
	pytorch.JSON(t, script.String(), &reprs, in, out)
	want := loadPT(t, out)
	pyReprs := reprs["repr_only"].([]any)
	require.Len(t, pyReprs, len(reprOnly))
	for i, r := range reprOnly {
		assert.Equal(t, pyReprs[i], r.mod.String(), r.py)
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := inputs[c.in].Clone().SetRequiresGrad(true)
			if c.mod != nil {
				nn.ZeroGrad(c.mod) // the edge case reuses the layer
			}
			if c.seed != 0 {
				torch.ManualSeed(c.seed)
			}
			y := c.f(x)
			w := weights["w_"+c.in].Narrow(-1, 0, y.Size(-1))
			for d := range y.Dim() - 1 {
				w = w.Narrow(int64(d), 0, y.Size(d))
			}
			y.Mul(w).Sum().Backward()
			actRequireClose(t, want[c.name], y.Detach(), 1e-6, c.name)
			actRequireClose(t, want[c.name+".grad"], x.Grad(), 1e-6, c.name+".grad")
			for i, p := range nn.Parameters(c.mod) {
				key := fmt.Sprintf("%s.p%d.grad", c.name, i)
				require.Contains(t, want, key)
				actRequireClose(t, want[key], p.Grad(), 1e-5, key)
			}
			if c.mod != nil {
				assert.Equal(t, reprs[c.name], fmt.Sprint(c.mod), "repr")
			}
		})
	}
}

// TestActivationInplace checks that inplace=True overwrites the input with
// the values the out-of-place layer returns, and returns the input itself.
func TestActivationInplace(t *testing.T) {
	x := torch.FromSlice([]float32{-5, -3, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 3, 5, 7})
	cases := []struct {
		name           string
		inplace, plain nn.Module
	}{
		{"ReLU", nn.NewReLU(nn.ReLUOpts{Inplace: true}), nn.NewReLU()},
		{"ReLU6", nn.NewReLU6(nn.ReLU6Opts{Inplace: true}), nn.NewReLU6()},
		{"LeakyReLU", nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(0.3), Inplace: true}), nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(0.3)})},
		{"RReLU", func() nn.Module { r := nn.NewRReLU(nn.RReLUOpts{Inplace: true}); nn.Eval(r); return r }(), func() nn.Module { r := nn.NewRReLU(); nn.Eval(r); return r }()},
		{"ELU", nn.NewELU(nn.ELUOpts{Inplace: true}), nn.NewELU()},
		{"CELU", nn.NewCELU(nn.CELUOpts{Alpha: new(2.0), Inplace: true}), nn.NewCELU(nn.CELUOpts{Alpha: new(2.0)})},
		{"SELU", nn.NewSELU(nn.SELUOpts{Inplace: true}), nn.NewSELU()},
		{"SiLU", nn.NewSiLU(nn.SiLUOpts{Inplace: true}), nn.NewSiLU()},
		{"Mish", nn.NewMish(nn.MishOpts{Inplace: true}), nn.NewMish()},
		{"Hardtanh", nn.NewHardtanh(nn.HardtanhOpts{Inplace: true}), nn.NewHardtanh()},
		{"Hardsigmoid", nn.NewHardsigmoid(nn.HardsigmoidOpts{Inplace: true}), nn.NewHardsigmoid()},
		{"Hardswish", nn.NewHardswish(nn.HardswishOpts{Inplace: true}), nn.NewHardswish()},
		{"Threshold", nn.NewThreshold(0.2, -9, nn.ThresholdOpts{Inplace: true}), nn.NewThreshold(0.2, -9)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.plain.Forward(x)
			xc := x.Clone()
			got := c.inplace.Forward(xc)
			assert.Equal(t, want.Float32s(), got.Float32s())
			assert.Equal(t, want.Float32s(), xc.Float32s(), "the input is overwritten")
			assert.Equal(t, x.Float32s()[0], float32(-5), "the out-of-place layer leaves its input alone")
			if c.name == "Hardsigmoid" || c.name == "Hardswish" {
				// PyTorch's repr of these does not show inplace.
				assert.NotContains(t, fmt.Sprint(c.inplace), "inplace")
			} else {
				assert.Contains(t, fmt.Sprint(c.inplace), "inplace=True")
			}
		})
	}
}

// TestActivationErrors checks the arguments PyTorch rejects.
func TestActivationErrors(t *testing.T) {
	err := torch.Catch(func() { nn.NewHardtanh(nn.HardtanhOpts{MinVal: new(2.0), MaxVal: new(1.0)}) })
	require.EqualError(t, err, "torch: NewHardtanh: max_val (1) must be greater than min_val (2)")
	require.ErrorIs(t, err, torch.ErrValue)
	err = torch.Catch(func() { nn.NewGELU(nn.GELUOpts{Approximate: "erf"}) })
	require.EqualError(t, err, `torch: NewGELU: approximate argument must be either none or tanh, got "erf"`)
	err = torch.Catch(func() { nn.NewPReLU(nn.PReLUOpts{NumParameters: new(int64(-1))}) })
	require.EqualError(t, err, "torch: NewPReLU: Trying to create tensor with negative dimension -1: [-1]")
	err = torch.Catch(func() { nn.NewSoftmax2d().Forward(torch.Randn([]int64{2, 3})) })
	require.EqualError(t, err, "torch: Softmax2d: Softmax2d requires a 3D or 4D tensor as input, got 2D")
	err = torch.Catch(func() { F.Glu(torch.FromSlice([]float32{1}).Reshape()) })
	require.EqualError(t, err, "torch: Glu: glu does not support scalars because halving size must be even")
	// Errors libtorch reports itself.
	err = torch.Catch(func() { nn.NewGLU().Forward(torch.Randn([]int64{2, 5})) })
	require.ErrorContains(t, err, "Halving dimension must be even")
	err = torch.Catch(func() { nn.NewPReLU(nn.PReLUOpts{NumParameters: new(int64(3))}).Forward(torch.Randn([]int64{2, 4})) })
	require.ErrorContains(t, err, "Mismatch of parameter numbers and input channel size")
	err = torch.Catch(func() { nn.NewSoftmax(2).Forward(torch.Randn([]int64{2, 4})) })
	require.ErrorContains(t, err, "Dimension out of range")
}

// TestActivationAccessors checks the attributes and the zero values, which
// are PyTorch's defaults.
func TestActivationAccessors(t *testing.T) {
	assert.Equal(t, 0.01, (&nn.LeakyReLU{}).NegativeSlope())
	assert.Equal(t, 0.2, nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(0.2)}).NegativeSlope())
	assert.Equal(t, 1.0, (&nn.ELU{}).Alpha())
	assert.Equal(t, 1.0, (&nn.CELU{}).Alpha())
	assert.Equal(t, -1.0, (&nn.Hardtanh{}).MinVal())
	assert.Equal(t, 1.0, (&nn.Hardtanh{}).MaxVal())
	assert.Equal(t, 1.0, (&nn.Softplus{}).Beta())
	assert.Equal(t, 20.0, (&nn.Softplus{}).Threshold())
	assert.Equal(t, 0.5, (&nn.Softshrink{}).Lambd())
	assert.Equal(t, 0.5, (&nn.Hardshrink{}).Lambd())
	assert.Equal(t, 1.0/8, (&nn.RReLU{}).Lower())
	assert.Equal(t, 1.0/3, (&nn.RReLU{}).Upper())
	assert.Equal(t, "none", (&nn.GELU{}).Approximate())
	assert.Equal(t, "tanh", nn.NewGELU(nn.GELUOpts{Approximate: "tanh"}).Approximate())
	assert.Equal(t, int64(-1), (&nn.GLU{}).Dim())
	assert.Equal(t, int64(2), nn.NewSoftmax(2).Dim())
	assert.Equal(t, int64(-1), nn.NewLogSoftmax(-1).Dim())
	assert.Equal(t, int64(0), nn.NewSoftmin(0).Dim())
	th := nn.NewThreshold(0.5, 3, nn.ThresholdOpts{Inplace: true})
	assert.Equal(t, 0.5, th.Threshold())
	assert.Equal(t, 3.0, th.Value())
	assert.True(t, th.Inplace())
	assert.False(t, nn.NewReLU().Inplace())

	p := nn.NewPReLU(nn.PReLUOpts{NumParameters: new(int64(3))})
	assert.Equal(t, int64(3), p.NumParameters())
	assert.Equal(t, []float32{0.25, 0.25, 0.25}, p.Weight.Float32s())
	assert.True(t, p.Weight.RequiresGrad())
	assert.Equal(t, []string{"weight"}, nn.StateDictKeys(p))

	// RReLU follows Train and Eval.
	r := nn.NewRReLU()
	assert.True(t, r.IsTraining())
	nn.Eval(r)
	assert.False(t, r.IsTraining())
	nn.Train(r)
	assert.True(t, r.IsTraining())

	// Every layer is a Module, so that Sequential holds them.
	seq := nn.NewSequential(nn.NewLinear(4, 8), nn.NewGELU(), nn.NewLinear(8, 8), nn.NewSiLU(), nn.NewLinear(8, 3), nn.NewLogSoftmax(1))
	assert.Equal(t, torch.Size{2, 3}, seq.Forward(torch.Randn([]int64{2, 4})).Shape())
	assert.Empty(t, nn.Parameters(nn.NewSoftmax(1)))
}

// The activation layers print and compute as PyTorch's do.
func Example_activations() {
	x := torch.FromSlice([]float32{-2, -0.5, 0, 1.5}, 1, 4)
	for _, m := range []nn.Module{
		nn.NewLeakyReLU(nn.LeakyReLUOpts{NegativeSlope: new(0.1)}),
		nn.NewGELU(),
		nn.NewGELU(nn.GELUOpts{Approximate: "tanh"}),
		nn.NewHardswish(),
		nn.NewSoftplus(nn.SoftplusOpts{Beta: new(2.0), Threshold: new(10.0)}),
	} {
		var vals []string
		for _, v := range m.Forward(x).Float32s() {
			vals = append(vals, fmt.Sprintf("%.4g", v))
		}
		fmt.Println(m, vals)
	}
	// Output:
	// LeakyReLU(negative_slope=0.1) [-0.2 -0.05 0 1.5]
	// GELU(approximate='none') [-0.0455 -0.1543 0 1.4]
	// GELU(approximate='tanh') [-0.0454 -0.1543 0 1.4]
	// Hardswish() [-0.3333 -0.2083 0 1.125]
	// Softplus(beta=2, threshold=10) [0.009075 0.1566 0.3466 1.524]
}

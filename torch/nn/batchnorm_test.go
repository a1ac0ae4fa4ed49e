package nn_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// normLayer is what the normalisation parity tests drive.
type normLayer interface {
	Forward(x *torch.Tensor) *torch.Tensor
	String() string
}

// normCase is one layer built in Go and, from the expression py, in
// Python, and fed inputs of shape.
type normCase struct {
	py    string
	layer func() normLayer
	shape []int64
}

// normErrCase is a forward pass that fails: the layer (in training mode)
// and the input's shape.
type normErrCase struct {
	py    string
	layer func() normLayer
	shape []int64
}

// normTensors are a layer's parameters and buffers by state_dict key, read
// from its fields.
func normTensors(m normLayer) map[string]*torch.Tensor {
	var b *nn.NormBase
	switch v := m.(type) {
	case *nn.BatchNorm1d:
		b = &v.NormBase
	case *nn.BatchNorm2d:
		b = &v.NormBase
	case *nn.BatchNorm3d:
		b = &v.NormBase
	case *nn.InstanceNorm1d:
		b = &v.NormBase
	case *nn.InstanceNorm2d:
		b = &v.NormBase
	case *nn.InstanceNorm3d:
		b = &v.NormBase
	case *nn.GroupNorm:
		b = &nn.NormBase{Weight: v.Weight, Bias: v.Bias}
	default:
		panic(fmt.Sprintf("normTensors: %T", m))
	}
	out := map[string]*torch.Tensor{}
	for k, t := range map[string]*torch.Tensor{"weight": b.Weight, "bias": b.Bias, "running_mean": b.RunningMean,
		"running_var": b.RunningVar, "num_batches_tracked": b.NumBatchesTracked} {
		if t != nil {
			out[k] = t
		}
	}
	return out
}

// requireSameState checks a layer's tensors against Python's state_dict
// entries saved under prefix: floats to tol (bitwise when tol is 0),
// num_batches_tracked exactly.
func requireSameState(t *testing.T, want map[string]*torch.Tensor, prefix string, got map[string]*torch.Tensor, tol float64) {
	t.Helper()
	n := 0
	for k, w := range want {
		key, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		n++
		g, ok := got[key]
		require.True(t, ok, "%s: Go's layer lacks %s", prefix, key)
		switch {
		case key == "num_batches_tracked":
			require.Equal(t, torch.Int64, g.DType())
			require.Equal(t, torch.Size{}, g.Shape())
			require.Equal(t, w.ItemInt(), g.ItemInt(), k)
		case tol == 0:
			requireBitEqual(t, w, g.Detach(), k)
		default:
			requireClose(t, w, g.Detach(), tol, k)
		}
	}
	require.Len(t, got, n, "%s: Go's layer has other tensors than Python's state_dict", prefix)
}

// normScript runs each case in Python as runNormParity does in Go.
const normScript = `
import sys, json
d = torch.load(sys.argv[1])
spec = json.loads(sys.argv[2])
out, reprs, errs = {}, [], []
for i, c in enumerate(spec["cases"]):
    m = eval(c)
    reprs.append(repr(m))
    for k, v in m.state_dict().items():
        out["init%d.%s" % (i, k)] = v.clone()
    if getattr(m, "affine", False):
        with torch.no_grad():
            m.weight.copy_(d["w%d" % i])
            m.bias.copy_(d["b%d" % i])
    for s in range(3):
        x = d["x%d_%d" % (i, s)].clone().requires_grad_()
        y = m(x)
        (y * d["g%d_%d" % (i, s)]).sum().backward()
        out["y%d_%d" % (i, s)] = y.detach()
        out["gx%d_%d" % (i, s)] = x.grad
    if getattr(m, "affine", False):
        out["gw%d" % i] = m.weight.grad.clone()
        out["gb%d" % i] = m.bias.grad.clone()
    for k, v in m.state_dict().items():
        out["trained%d.%s" % (i, k)] = v.clone()
    m.eval()
    x = d["xe%d" % i].clone().requires_grad_()
    y = m(x)
    (y * d["ge%d" % i]).sum().backward()
    out["ye%d" % i] = y.detach()
    out["gxe%d" % i] = x.grad
for c, shape in spec["errors"]:
    try:
        eval(c)(torch.zeros(shape))
        errs.append("no error")
    except Exception as e:
        errs.append(type(e).__name__ + ": " + str(e))
torch.save(out, sys.argv[3])
print(json.dumps({"reprs": reprs, "errors": errs}))
`

// runNormParity builds each case's layer in Go and in Python, checks the
// initial state bitwise, gives affine layers the same random weight and
// bias, runs three training steps (output, input gradient) and one in
// evaluation mode, and compares outputs, the weight and bias gradients
// summed over the steps, the running statistics and num_batches_tracked
// after training, and the reprs; then each error case's message (and
// Python's exception class) with Go's. All in one Python process.
func runNormParity(t *testing.T, cases []normCase, errCases []normErrCase) {
	t.Helper()
	torch.ManualSeed(11)
	tensors := map[string]*torch.Tensor{}
	spec := struct {
		Cases  []string `json:"cases"`
		Errors [][2]any `json:"errors"`
	}{}
	layers := make([]normLayer, len(cases))
	for i, c := range cases {
		spec.Cases = append(spec.Cases, c.py)
		layers[i] = c.layer()
		for s := range 3 {
			// Inputs away from zero mean and unit variance, as real activations are.
			tensors[fmt.Sprintf("x%d_%d", i, s)] = torch.Randn(c.shape).MulScalar(torch.Float(2)).AddScalar(torch.Float(0.5))
			tensors[fmt.Sprintf("g%d_%d", i, s)] = torch.Randn(c.shape)
		}
		tensors[fmt.Sprint("xe", i)] = torch.Randn(c.shape).MulScalar(torch.Float(2)).AddScalar(torch.Float(0.5))
		tensors[fmt.Sprint("ge", i)] = torch.Randn(c.shape)
		if w, ok := normTensors(layers[i])["weight"]; ok {
			tensors[fmt.Sprint("w", i)] = torch.Randn(w.Shape())
			tensors[fmt.Sprint("b", i)] = torch.Randn(w.Shape())
		}
	}
	for _, e := range errCases {
		spec.Errors = append(spec.Errors, [2]any{e.py, e.shape})
	}
	js, err := json.Marshal(spec)
	require.NoError(t, err)
	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	var res struct {
		Reprs  []string `json:"reprs"`
		Errors []string `json:"errors"`
	}
	pytorch.JSON(t, normScript, &res, in, string(js), out)
	want := loadPT(t, out)

	for i, c := range cases {
		m := layers[i]
		name := fmt.Sprintf("case %d (%s)", i, c.py)
		assert.Equal(t, res.Reprs[i], m.String(), name)
		requireSameState(t, want, fmt.Sprintf("init%d.", i), normTensors(m), 0)
		st := normTensors(m)
		if w, ok := st["weight"]; ok {
			torch.NoGrad(func() {
				w.Copy_(tensors[fmt.Sprint("w", i)])
				st["bias"].Copy_(tensors[fmt.Sprint("b", i)])
			})
		}
		step := func(x, g *torch.Tensor, tag string) {
			x = x.Detach().SetRequiresGrad(true)
			y := m.Forward(x)
			y.Mul(g).Sum().Backward()
			requireClose(t, want["y"+tag], y.Detach(), 2e-5, name+" y"+tag)
			requireClose(t, want["gx"+tag], x.Grad(), 1e-4, name+" gx"+tag)
		}
		for s := range 3 {
			tag := fmt.Sprintf("%d_%d", i, s)
			step(tensors["x"+tag], tensors["g"+tag], tag)
		}
		if w, ok := st["weight"]; ok {
			requireClose(t, want[fmt.Sprint("gw", i)], w.Grad(), 1e-4, name+" weight grad")
			requireClose(t, want[fmt.Sprint("gb", i)], st["bias"].Grad(), 1e-4, name+" bias grad")
		}
		requireSameState(t, want, fmt.Sprintf("trained%d.", i), normTensors(m), 1e-5)
		nn.Eval(m)
		tag := fmt.Sprint(i)
		x, g := tensors["xe"+tag], tensors["ge"+tag]
		x = x.Detach().SetRequiresGrad(true)
		y := m.Forward(x)
		y.Mul(g).Sum().Backward()
		requireClose(t, want["ye"+tag], y.Detach(), 2e-5, name+" eval y")
		requireClose(t, want["gxe"+tag], x.Grad(), 1e-4, name+" eval gx")
	}
	for i, e := range errCases {
		err := torch.Catch(func() { e.layer().Forward(torch.Zeros(e.shape)) })
		require.Error(t, err, e.py)
		var te *torch.Error
		require.True(t, errors.As(err, &te))
		assert.Equal(t, res.Errors[i], te.Kind.String()+": "+te.Msg, "error %d (%s)", i, e.py)
	}
}

func TestBatchNormMatchesPyTorch(t *testing.T) {
	cases := []normCase{
		{"torch.nn.BatchNorm1d(4)", func() normLayer { return nn.NewBatchNorm1d(4) }, []int64{8, 4}},
		{"torch.nn.BatchNorm1d(4, momentum=None)", func() normLayer {
			return nn.NewBatchNorm1d(4, nn.BatchNormOpts{MomentumNone: true})
		}, []int64{5, 4, 6}},
		{"torch.nn.BatchNorm1d(3, affine=False, momentum=0.3)", func() normLayer {
			return nn.NewBatchNorm1d(3, nn.BatchNormOpts{Affine: new(false), Momentum: new(0.3)})
		}, []int64{6, 3}},
		{"torch.nn.BatchNorm1d(3, track_running_stats=False)", func() normLayer {
			return nn.NewBatchNorm1d(3, nn.BatchNormOpts{TrackRunningStats: new(false)})
		}, []int64{6, 3}},
		{"torch.nn.BatchNorm2d(3)", func() normLayer { return nn.NewBatchNorm2d(3) }, []int64{4, 3, 5, 5}},
		{"torch.nn.BatchNorm2d(3, eps=1e-3, momentum=None, affine=False)", func() normLayer {
			return nn.NewBatchNorm2d(3, nn.BatchNormOpts{Eps: new(1e-3), MomentumNone: true, Affine: new(false)})
		}, []int64{2, 3, 4, 4}},
		{"torch.nn.BatchNorm2d(2, affine=False, track_running_stats=False)", func() normLayer {
			return nn.NewBatchNorm2d(2, nn.BatchNormOpts{Affine: new(false), TrackRunningStats: new(false)})
		}, []int64{3, 2, 3, 3}},
		{"torch.nn.BatchNorm2d(2, momentum=1.0, eps=0.5)", func() normLayer {
			return nn.NewBatchNorm2d(2, nn.BatchNormOpts{Momentum: new(1.0), Eps: new(0.5)})
		}, []int64{3, 2, 3, 3}},
		{"torch.nn.BatchNorm3d(2)", func() normLayer { return nn.NewBatchNorm3d(2) }, []int64{3, 2, 3, 4, 4}},
	}
	errCases := []normErrCase{
		{"torch.nn.BatchNorm1d(3)", func() normLayer { return nn.NewBatchNorm1d(3) }, []int64{2, 3, 4, 4}},
		{"torch.nn.BatchNorm1d(3)", func() normLayer { return nn.NewBatchNorm1d(3) }, []int64{3}},
		{"torch.nn.BatchNorm2d(3)", func() normLayer { return nn.NewBatchNorm2d(3) }, []int64{2, 3, 4}},
		{"torch.nn.BatchNorm3d(3)", func() normLayer { return nn.NewBatchNorm3d(3) }, []int64{2, 3, 4, 4}},
		{"torch.nn.BatchNorm1d(3)", func() normLayer { return nn.NewBatchNorm1d(3) }, []int64{1, 3}},
		{"torch.nn.BatchNorm2d(3)", func() normLayer { return nn.NewBatchNorm2d(3) }, []int64{1, 3, 1, 1}},
	}
	runNormParity(t, cases, errCases)
}

// TestBatchNormFunctionalMatchesPyTorch calls F.BatchNorm directly, with
// and without running statistics, weight and bias, as
// torch.nn.functional.batch_norm.
func TestBatchNormFunctionalMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(5)
	x := torch.Randn([]int64{6, 3, 4})
	rm, rv := torch.Randn([]int64{3}), torch.Rand([]int64{3}).AddScalar(torch.Float(0.5))
	w, b := torch.Randn([]int64{3}), torch.Randn([]int64{3})
	in := savePT(t, map[string]*torch.Tensor{"x": x, "rm": rm, "rv": rv, "w": w, "b": b})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
F = torch.nn.functional
d = torch.load(sys.argv[1])
x, w, b = d["x"], d["w"], d["b"]
rm1, rv1 = d["rm"].clone(), d["rv"].clone()
r = {}
r["eval"] = F.batch_norm(x, d["rm"], d["rv"], w, b)
r["train"] = F.batch_norm(x, rm1, rv1, w, b, training=True, momentum=0.25, eps=1e-3)
r["rm1"], r["rv1"] = rm1, rv1
r["nostats"] = F.batch_norm(x, None, None, training=True)
r["noaffine"] = F.batch_norm(x, d["rm"], d["rv"], eps=0.1)
torch.save(r, sys.argv[2])
`, in, out)
	want := loadPT(t, out)
	rm1, rv1 := rm.Clone(), rv.Clone()
	requireClose(t, want["eval"], F.BatchNorm(x, rm, rv, F.BatchNormOpts{Weight: w, Bias: b}), 1e-5, "eval")
	requireClose(t, want["train"], F.BatchNorm(x, rm1, rv1, F.BatchNormOpts{Weight: w, Bias: b, Training: true, Momentum: new(0.25), Eps: new(1e-3)}), 1e-5, "train")
	requireClose(t, want["rm1"], rm1, 1e-6, "running mean")
	requireClose(t, want["rv1"], rv1, 1e-6, "running var")
	requireClose(t, want["nostats"], F.BatchNorm(x, nil, nil, F.BatchNormOpts{Training: true}), 1e-5, "no stats")
	requireClose(t, want["noaffine"], F.BatchNorm(x, rm, rv, F.BatchNormOpts{Eps: new(0.1)}), 1e-5, "no affine")
}

func TestBatchNorm(t *testing.T) {
	bn := nn.NewBatchNorm2d(4)
	assert.True(t, bn.IsTraining(), "a new layer trains")
	assert.Equal(t, int64(4), bn.NumFeatures)
	assert.Equal(t, 0.1, *bn.Momentum)
	assert.True(t, bn.Weight.RequiresGrad())
	assert.True(t, bn.Bias.RequiresGrad())
	assert.False(t, bn.RunningMean.RequiresGrad(), "buffers get no gradient")
	assert.False(t, bn.RunningVar.RequiresGrad())
	assert.Equal(t, torch.Int64, bn.NumBatchesTracked.DType())

	model := struct {
		BN   *nn.BatchNorm2d
		Drop *nn.Dropout2d
	}{bn, nn.NewDropout2d(0.5)}
	nn.Eval(&model)
	assert.False(t, bn.IsTraining(), "Eval reaches the embedded NormBase")
	assert.False(t, model.Drop.IsTraining())
	nn.Train(&model)
	assert.True(t, bn.IsTraining())

	// Training moves the running statistics; ResetRunningStats and
	// ResetParameters bring them (and the affine parameters) back.
	torch.NoGrad(func() { bn.Weight.FillScalar_(torch.Float(3)) })
	bn.Forward(torch.Randn([]int64{2, 4, 3, 3}))
	assert.Equal(t, int64(1), bn.NumBatchesTracked.ItemInt())
	bn.ResetRunningStats()
	assert.Equal(t, int64(0), bn.NumBatchesTracked.ItemInt())
	assert.Equal(t, []float64{0, 0, 0, 0}, bn.RunningMean.Float64s())
	assert.Equal(t, []float64{1, 1, 1, 1}, bn.RunningVar.Float64s())
	assert.Equal(t, []float64{3, 3, 3, 3}, bn.Weight.Float64s())
	bn.ResetParameters()
	assert.Equal(t, []float64{1, 1, 1, 1}, bn.Weight.Float64s())

	// In evaluation mode nothing is tracked.
	nn.Eval(bn)
	bn.Forward(torch.Randn([]int64{2, 4, 3, 3}))
	assert.Equal(t, int64(0), bn.NumBatchesTracked.ItemInt())

	noAffine := nn.NewBatchNorm1d(3, nn.BatchNormOpts{Affine: new(false), TrackRunningStats: new(false)})
	assert.Nil(t, noAffine.Weight)
	assert.Nil(t, noAffine.RunningMean)
	assert.Nil(t, noAffine.NumBatchesTracked)
	assert.Empty(t, nn.Parameters(noAffine))
	noAffine.ResetParameters() // nothing to reset

	assert.Panics(t, func() { nn.NewBatchNorm1d(3, nn.BatchNormOpts{Momentum: new(0.1), MomentumNone: true}) })
	err := torch.Catch(func() { nn.NewBatchNorm2d(-1) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "negative dimension -1")
	// Without tensors PyTorch accepts any size, and so does Go.
	assert.NotPanics(t, func() { nn.NewBatchNorm1d(-1, nn.BatchNormOpts{Affine: new(false), TrackRunningStats: new(false)}) })
}

// TestBatchNormStateDict checks that the running statistics are buffers:
// in the state_dict under PyTorch's keys, not among the parameters.
func TestBatchNormStateDict(t *testing.T) {
	bn := nn.NewBatchNorm1d(3)
	names := []string{}
	for _, p := range nn.NamedParameters(bn) {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"weight", "bias"}, names)
	sd := nn.StateDict(bn)
	assert.ElementsMatch(t, []string{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}, slices.Collect(maps.Keys(sd)))
}

// normModel holds one of each layer with buffers or parameters here.
type normModel struct {
	BN    *nn.BatchNorm2d
	GN    *nn.GroupNorm
	Emb   *nn.Embedding
	Inorm *nn.InstanceNorm2d
}

func newNormModel() *normModel {
	return &normModel{
		BN:    nn.NewBatchNorm2d(3),
		GN:    nn.NewGroupNorm(1, 3),
		Emb:   nn.NewEmbedding(5, 3, nn.EmbeddingOpts{PaddingIdx: new(int64(0))}),
		Inorm: nn.NewInstanceNorm2d(3, nn.InstanceNormOpts{Affine: true, TrackRunningStats: true}),
	}
}

// TestNormStateDictRoundTrip trains the layers a little in Go, saves the
// state_dict, loads it strictly into the same torch.nn layers in Python,
// trains them further there, and loads Python's state_dict back into Go:
// buffers (running statistics, num_batches_tracked) travel both ways.
func TestNormStateDictRoundTrip(t *testing.T) {
	torch.ManualSeed(2)
	m := newNormModel()
	for range 2 {
		m.BN.Forward(torch.Randn([]int64{4, 3, 2, 2}))
		m.Inorm.Forward(torch.Randn([]int64{4, 3, 2, 2}))
	}
	torch.NoGrad(func() { m.GN.Weight.Add_(torch.Randn([]int64{3})) })
	goFile, pyFile := tempPath(t, "go.pt"), tempPath(t, "py.pt")
	require.NoError(t, nn.Save(m, goFile))
	pytorch.Run(t, `
import sys
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bn = torch.nn.BatchNorm2d(3)
        self.gn = torch.nn.GroupNorm(1, 3)
        self.emb = torch.nn.Embedding(5, 3, padding_idx=0)
        self.inorm = torch.nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
sd = torch.load(sys.argv[1])
assert sorted(sd) == sorted(M().state_dict()), sorted(sd)
assert sd["bn.num_batches_tracked"].dtype == torch.int64 and sd["bn.num_batches_tracked"].dim() == 0
assert sd["bn.num_batches_tracked"].item() == 2
m = M()
m.load_state_dict(sd)
for k, v in m.state_dict().items():
    assert torch.equal(v, sd[k]), k
torch.manual_seed(3)
m.bn(torch.randn(4, 3, 2, 2))
m.inorm(torch.randn(4, 3, 2, 2))
torch.save(m.state_dict(), sys.argv[2])
`, goFile, pyFile)
	back := newNormModel()
	require.NoError(t, nn.Load(back, pyFile))
	want := loadPT(t, pyFile)
	got := nn.StateDict(back)
	require.Len(t, got, len(want))
	for k, w := range want {
		if w.DType() == torch.Int64 {
			assert.Equal(t, w.ItemInt(), got[k].ItemInt(), k)
			continue
		}
		requireBitEqual(t, w, got[k], k)
	}
	assert.Equal(t, int64(3), back.BN.NumBatchesTracked.ItemInt())
	names := []string{}
	for _, p := range nn.NamedParameters(back) {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"bn.weight", "bn.bias", "gn.weight", "gn.bias", "emb.weight", "inorm.weight", "inorm.bias"}, names)
}

// A BatchNorm2d normalises each channel with the batch's statistics while
// training and moves its running statistics towards them; in evaluation
// mode it uses the running statistics.
func ExampleNewBatchNorm2d() {
	bn := nn.NewBatchNorm2d(2)
	fmt.Println(bn)
	x := torch.FromSlice([]float32{1, 3, 10, 20, 1, 3, 10, 20}, 2, 2, 1, 2) // channel 0: 1, 3; channel 1: 10, 20
	y := bn.Forward(x)
	fmt.Printf("%.3f\n", y.Select(1, 0).Float64s()) // channel 0, normalised
	fmt.Printf("%.3f %.3f %d\n", bn.RunningMean.Float64s(), bn.RunningVar.Float64s(), bn.NumBatchesTracked.ItemInt())
	nn.Eval(bn)
	fmt.Printf("%.3f\n", bn.Forward(x).Select(1, 0).Float64s())
	// Output:
	// BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
	// [-1.000 1.000 -1.000 1.000]
	// [0.200 1.500] [1.033 4.233] 1
	// [0.787 2.754 0.787 2.754]
}

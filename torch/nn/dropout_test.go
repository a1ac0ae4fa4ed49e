package nn_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// dropoutLayer is what the dropout tests drive.
type dropoutLayer interface {
	Forward(x *torch.Tensor) *torch.Tensor
	String() string
	nn.TrainingSetter
}

// TestDropoutMatchesPyTorch checks that, after the same seed, every dropout
// module and function zeroes (and scales) exactly the elements PyTorch's
// does, bit for bit, in training; that evaluation passes the input through;
// the gradient of one; and the reprs. One Python run.
func TestDropoutMatchesPyTorch(t *testing.T) {
	cases := []struct {
		py    string
		layer dropoutLayer
		shape []int64
	}{
		{"torch.nn.Dropout(0.3)", nn.NewDropout(0.3), []int64{6, 7}},
		{"torch.nn.Dropout(0.5, inplace=True)", nn.NewDropout(0.5, nn.DropoutOpts{Inplace: true}), []int64{4, 5}},
		{"torch.nn.Dropout(0.0)", nn.NewDropout(0), []int64{3, 3}},
		{"torch.nn.Dropout(1.0)", nn.NewDropout(1), []int64{3, 3}},
		{"torch.nn.Dropout1d(0.5)", nn.NewDropout1d(0.5), []int64{4, 6, 5}},
		{"torch.nn.Dropout1d(0.4)", nn.NewDropout1d(0.4), []int64{6, 5}}, // unbatched
		{"torch.nn.Dropout1d(0.4, inplace=True)", nn.NewDropout1d(0.4, nn.DropoutOpts{Inplace: true}), []int64{6, 5}},
		{"torch.nn.Dropout2d(0.4)", nn.NewDropout2d(0.4), []int64{3, 5, 4, 4}},
		{"torch.nn.Dropout2d(0.5)", nn.NewDropout2d(0.5), []int64{3, 5, 4}}, // 1.13 takes 3-D as (N, C, L)
		{"torch.nn.Dropout3d(0.5)", nn.NewDropout3d(0.5), []int64{2, 4, 2, 3, 3}},
		{"torch.nn.Dropout3d(0.25)", nn.NewDropout3d(0.25), []int64{4, 2, 3, 3}}, // unbatched
		{"torch.nn.AlphaDropout(0.2)", nn.NewAlphaDropout(0.2), []int64{5, 8}},
		{"torch.nn.FeatureAlphaDropout(0.3)", nn.NewFeatureAlphaDropout(0.3), []int64{3, 4, 5, 5}},
	}
	torch.ManualSeed(4)
	tensors := map[string]*torch.Tensor{}
	var pys []string
	for i, c := range cases {
		tensors[fmt.Sprint("x", i)] = torch.Randn(c.shape)
		tensors[fmt.Sprint("g", i)] = torch.Randn(c.shape)
		pys = append(pys, c.py)
	}
	fx := torch.Randn([]int64{4, 6, 3, 3})
	tensors["fx"] = fx
	js, err := json.Marshal(pys)
	require.NoError(t, err)
	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	var res struct {
		Reprs  []string `json:"reprs"`
		Errors []string `json:"errors"`
	}
	pytorch.JSON(t, `
import sys, json
F = torch.nn.functional
d = torch.load(sys.argv[1])
r, reprs = {}, []
layers = [eval(c) for c in json.loads(sys.argv[2])]
torch.manual_seed(99)
for i, m in enumerate(layers):
    reprs.append(repr(m))
    x = d["x%d" % i].clone()
    x0 = x.clone()
    r["y%d" % i] = m(x).clone()
    r["inplace%d" % i] = x  # what an in-place layer left in its input
    xg = d["x%d" % i].clone().requires_grad_()
    y = m(xg * 1)
    (y * d["g%d" % i]).sum().backward()
    r["gy%d" % i], r["gx%d" % i] = y.detach(), xg.grad
    m.eval()
    r["eval%d" % i] = m(x0)
fx = d["fx"]
r["f_dropout"] = F.dropout(fx, 0.2)
r["f_dropout_eval"] = F.dropout(fx, training=False)
r["f_dropout1d"] = F.dropout1d(fx[0], p=0.6)
r["f_dropout2d"] = F.dropout2d(fx)
r["f_dropout3d"] = F.dropout3d(fx, 0.1)
r["f_alpha_default"] = F.alpha_dropout(fx)
r["f_alpha"] = F.alpha_dropout(fx, 0.4, training=True)
r["f_feature_alpha"] = F.feature_alpha_dropout(fx, training=True)
errs = []
for f in [lambda: torch.nn.Dropout(1.5), lambda: torch.nn.Dropout2d(-0.1), lambda: torch.nn.AlphaDropout(2.0),
          lambda: F.dropout(fx, p=1.25), lambda: F.dropout1d(fx), lambda: F.alpha_dropout(fx, -1e-5)]:
    try:
        f()
        errs.append("no error")
    except Exception as e:
        errs.append(type(e).__name__ + ": " + str(e))
torch.save(r, sys.argv[3])
print(json.dumps({"reprs": reprs, "errors": errs}))
`, &res, in, string(js), out)
	want := loadPT(t, out)

	torch.ManualSeed(99)
	for i, c := range cases {
		name := fmt.Sprintf("case %d (%s)", i, c.py)
		assert.Equal(t, res.Reprs[i], c.layer.String(), name)
		x := tensors[fmt.Sprint("x", i)].Clone()
		x0 := x.Clone()
		y := c.layer.Forward(x).Clone()
		requireBitEqual(t, want[fmt.Sprint("y", i)], y, name+" y")
		requireBitEqual(t, want[fmt.Sprint("inplace", i)], x, name+" input after the call")
		xg := tensors[fmt.Sprint("x", i)].Clone().SetRequiresGrad(true)
		y = c.layer.Forward(xg.MulScalar(torch.Int(1)))
		y.Mul(tensors[fmt.Sprint("g", i)]).Sum().Backward()
		requireBitEqual(t, want[fmt.Sprint("gy", i)], y.Detach(), name+" y (second draw)")
		requireBitEqual(t, want[fmt.Sprint("gx", i)], xg.Grad(), name+" grad")
		c.layer.SetTraining(false)
		requireBitEqual(t, want[fmt.Sprint("eval", i)], c.layer.Forward(x0), name+" eval")
	}
	requireBitEqual(t, want["f_dropout"], F.Dropout(fx, F.DropoutOpts{P: new(0.2)}), "F.dropout")
	requireBitEqual(t, want["f_dropout_eval"], F.Dropout(fx, F.DropoutOpts{Training: new(false)}), "F.dropout eval")
	requireBitEqual(t, want["f_dropout1d"], F.Dropout1d(fx.Select(0, 0), F.DropoutOpts{P: new(0.6)}), "F.dropout1d")
	requireBitEqual(t, want["f_dropout2d"], F.Dropout2d(fx), "F.dropout2d")
	requireBitEqual(t, want["f_dropout3d"], F.Dropout3d(fx, F.DropoutOpts{P: new(0.1)}), "F.dropout3d")
	requireBitEqual(t, want["f_alpha_default"], F.AlphaDropout(fx), "F.alpha_dropout (training=False by default)")
	requireBitEqual(t, want["f_alpha"], F.AlphaDropout(fx, F.AlphaDropoutOpts{P: new(0.4), Training: true}), "F.alpha_dropout")
	requireBitEqual(t, want["f_feature_alpha"], F.FeatureAlphaDropout(fx, F.AlphaDropoutOpts{Training: true}), "F.feature_alpha_dropout")

	for i, f := range []func(){
		func() { nn.NewDropout(1.5) },
		func() { nn.NewDropout2d(-0.1) },
		func() { nn.NewAlphaDropout(2.0) },
		func() { F.Dropout(fx, F.DropoutOpts{P: new(1.25)}) },
		func() { F.Dropout1d(fx) },
		func() { F.AlphaDropout(fx, F.AlphaDropoutOpts{P: new(-1e-5)}) },
	} {
		var te *torch.Error
		require.True(t, errors.As(torch.Catch(f), &te), "error %d", i)
		assert.Equal(t, res.Errors[i], te.Kind.String()+": "+te.Msg, "error %d", i)
	}
}

func TestDropoutModes(t *testing.T) {
	layers := []dropoutLayer{nn.NewDropout(0.5), nn.NewDropout1d(0.5), nn.NewDropout2d(0.5), nn.NewDropout3d(0.5),
		nn.NewAlphaDropout(0.5), nn.NewFeatureAlphaDropout(0.5)}
	model := struct{ Layers []dropoutLayer }{layers}
	type trainer interface{ IsTraining() bool }
	for _, l := range layers {
		assert.True(t, l.(trainer).IsTraining(), "%s: a new layer trains", l)
	}
	nn.Eval(&model)
	x := torch.Randn([]int64{2, 3, 4}) // a rank every layer takes
	for _, l := range layers {
		assert.False(t, l.(trainer).IsTraining(), "%s: Eval reaches it", l)
		assert.Equal(t, x.Float64s(), l.Forward(x).Float64s(), "%s: evaluation passes the input through", l)
		assert.Empty(t, nn.Parameters(l))
	}
	nn.Train(&model)
	for _, l := range layers {
		assert.True(t, l.(trainer).IsTraining(), "%s", l)
	}
	// The zero values train, as PyTorch's defaults do.
	assert.True(t, (&nn.Dropout2d{P: 0.1}).IsTraining())
	assert.Equal(t, "Dropout(p=1e-05, inplace=False)", nn.NewDropout(1e-5).String())
	assert.Equal(t, "Dropout3d(p=0.125, inplace=True)", nn.NewDropout3d(0.125, nn.DropoutOpts{Inplace: true}).String())
	err := torch.Catch(func() { nn.NewDropout1d(-1) })
	require.ErrorIs(t, err, torch.ErrValue)
	assert.Contains(t, err.Error(), "dropout probability has to be between 0 and 1, but got -1.0")
}

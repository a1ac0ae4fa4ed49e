package optim_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// net is a small classifier with a layer that never gets a gradient, which
// an optimizer must leave alone (and hold no state for).
type net struct {
	Layer1 *nn.Linear
	ReLU   *nn.ReLU
	Layer2 *nn.Linear
	Unused *nn.Linear
}

func newNet() *net {
	return &net{nn.NewLinear(10, 16), nn.NewReLU(), nn.NewLinear(16, 4), nn.NewLinear(3, 3)}
}

func (m *net) Forward(x *torch.Tensor) *torch.Tensor {
	return m.Layer2.Forward(m.ReLU.Forward(m.Layer1.Forward(x)))
}

const pyNet = `
import sys, json
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = torch.nn.Linear(10, 16)
        self.relu = torch.nn.ReLU()
        self.layer2 = torch.nn.Linear(16, 4)
        self.unused = torch.nn.Linear(3, 3)
    def forward(self, x):
        return self.layer2(self.relu(self.layer1(x)))
`

const steps = 20

// config is one optimizer set-up, built the same way on both sides.
type config struct {
	Name   string         `json:"name"`
	Class  string         `json:"class"`  // "SGD" or "Adam"
	Kwargs map[string]any `json:"kwargs"` // Python's keyword arguments
	NewLR  float64        `json:"new_lr"` // when not 0, the learning rate from step 10 on
	make   func(ps []*torch.Tensor) (optim.Optimizer, error)
}

func sgd(o optim.SGDOptions) func([]*torch.Tensor) (optim.Optimizer, error) {
	return func(ps []*torch.Tensor) (optim.Optimizer, error) { return optim.NewSGD(ps, o) }
}

func adam(o optim.AdamOptions) func([]*torch.Tensor) (optim.Optimizer, error) {
	return func(ps []*torch.Tensor) (optim.Optimizer, error) { return optim.NewAdam(ps, o) }
}

// TestOptimizersMatchPyTorch trains the same network from the same weights
// on the same batches for 20 steps in Go and in Python's torch.optim, and
// compares every parameter.
func TestOptimizersMatchPyTorch(t *testing.T) {
	configs := []config{
		{Name: "sgd", Class: "SGD", Kwargs: map[string]any{"lr": 0.1}, make: sgd(optim.SGDOptions{LR: 0.1})},
		{Name: "sgd_momentum", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9},
			make: sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.9})},
		{Name: "sgd_dampening", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.8, "dampening": 0.3},
			make: sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.8, Dampening: 0.3})},
		{Name: "sgd_nesterov_wd", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.01},
			make: sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01})},
		{Name: "sgd_maximize_setlr", Class: "SGD", Kwargs: map[string]any{"lr": 0.01, "maximize": true}, NewLR: 0.002,
			make: sgd(optim.SGDOptions{LR: 0.01, Maximize: true})},
		{Name: "adam", Class: "Adam", Kwargs: map[string]any{}, make: adam(optim.AdamOptions{})},
		{Name: "adam_custom", Class: "Adam", Kwargs: map[string]any{"lr": 0.01, "betas": []float64{0.8, 0.99}, "eps": 1e-6, "weight_decay": 0.01},
			make: adam(optim.AdamOptions{LR: 0.01, Betas: [2]float64{0.8, 0.99}, Eps: 1e-6, WeightDecay: 0.01})},
		{Name: "adam_amsgrad_setlr", Class: "Adam", Kwargs: map[string]any{"lr": 0.01, "amsgrad": true}, NewLR: 0.003,
			make: adam(optim.AdamOptions{LR: 0.01, AMSGrad: true})},
		{Name: "adam_maximize", Class: "Adam", Kwargs: map[string]any{"lr": 0.005, "maximize": true},
			make: adam(optim.AdamOptions{LR: 0.005, Maximize: true})},
	}

	torch.ManualSeed(123)
	initial := nn.StateDict(newNet())
	data := map[string]*torch.Tensor{}
	for k, v := range initial {
		data["init."+k] = v
	}
	for i := range steps {
		data[fmt.Sprintf("x%d", i)] = torch.Randn([]int64{8, 10})
		data[fmt.Sprintf("y%d", i)] = torch.RandInt(0, 4, []int64{8})
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pt"), filepath.Join(dir, "out.pt")
	require.NoError(t, torch.Save(data, in))
	js, err := json.Marshal(configs)
	require.NoError(t, err)
	pytorch.Run(t, pyNet+`
d = torch.load(sys.argv[1])
init = {k[5:]: v for k, v in d.items() if k.startswith("init.")}
res = {}
for c in json.loads(sys.argv[3]):
    model = Net()
    model.load_state_dict(init)
    kw = dict(c["kwargs"])
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    opt = getattr(torch.optim, c["class"])(model.parameters(), **kw)
    for i in range(`+fmt.Sprint(steps)+`):
        if i == 10 and c["new_lr"]:
            for g in opt.param_groups:
                g["lr"] = c["new_lr"]
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(d["x%d" % i]), d["y%d" % i])
        loss.backward()
        opt.step()
    for k, v in model.state_dict().items():
        res[c["name"] + "." + k] = v
torch.save(res, sys.argv[2])
`, in, out, string(js))
	want, err := torch.Load(out)
	require.NoError(t, err)

	lossFn := nn.NewCrossEntropyLoss()
	for _, c := range configs {
		t.Run(c.Name, func(t *testing.T) {
			m := newNet()
			require.NoError(t, nn.LoadStateDict(m, initial, true))
			opt, err := c.make(nn.Parameters(m))
			require.NoError(t, err)
			for i := range steps {
				if i == 10 && c.NewLR != 0 {
					opt.SetLR(c.NewLR)
				}
				opt.ZeroGrad()
				loss := lossFn.Forward(m.Forward(data[fmt.Sprintf("x%d", i)]), data[fmt.Sprintf("y%d", i)])
				loss.Backward()
				opt.Step()
			}
			var worst float64
			for _, p := range nn.NamedParameters(m) {
				w := want[c.Name+"."+p.Name]
				require.NotNil(t, w, p.Name)
				wv, gv := w.Float64s(), p.Tensor.Float64s()
				for i := range wv {
					require.InDelta(t, wv[i], gv[i], 1e-6, "%s[%d]", p.Name, i)
					worst = max(worst, abs(wv[i]-gv[i]))
				}
			}
			t.Logf("largest difference from PyTorch after %d steps: %g", steps, worst)
			assert.NotEqual(t, initial["layer1.weight"].Float32s(), m.Layer1.Weight.Float32s(), "training moved the weights")
			assert.Equal(t, initial["unused.weight"].Float32s(), m.Unused.Weight.Float32s(), "a parameter without gradient is not updated")
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// train runs one step on a fresh batch.
func train(m *net, opt optim.Optimizer) {
	opt.ZeroGrad()
	nn.NewCrossEntropyLoss().Forward(m.Forward(torch.Randn([]int64{4, 10})), torch.RandInt(0, 4, []int64{4})).Backward()
	opt.Step()
}

func TestStateBytes(t *testing.T) {
	used := int64((10*16 + 16 + 16*4 + 4) * 4) // Unused gets no gradient, so no state
	for _, tc := range []struct {
		name string
		make func([]*torch.Tensor) (optim.Optimizer, error)
		want int64
	}{
		{"plain SGD keeps nothing", sgd(optim.SGDOptions{LR: 0.1}), 0},
		{"SGD with momentum keeps one buffer per parameter", sgd(optim.SGDOptions{LR: 0.1, Momentum: 0.9}), used},
		{"Adam keeps exp_avg and exp_avg_sq", adam(optim.AdamOptions{}), 2 * used},
		{"AMSGrad adds max_exp_avg_sq", adam(optim.AdamOptions{AMSGrad: true}), 3 * used},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newNet()
			opt, err := tc.make(nn.Parameters(m))
			require.NoError(t, err)
			assert.Zero(t, opt.StateBytes(), "state is created at the first step")
			train(m, opt)
			assert.Equal(t, tc.want, opt.StateBytes())
			train(m, opt)
			assert.Equal(t, tc.want, opt.StateBytes(), "and not grown afterwards")
		})
	}
	var nilAdam *optim.Adam
	var nilSGD *optim.SGD
	assert.Zero(t, nilAdam.StateBytes())
	assert.Zero(t, nilSGD.StateBytes())
}

func TestZeroGradAndLR(t *testing.T) {
	m := newNet()
	sgdOpt, err := optim.NewSGD(nn.Parameters(m), optim.SGDOptions{LR: 0.1})
	require.NoError(t, err)
	adamOpt, err := optim.NewAdam(nn.Parameters(m), optim.AdamOptions{})
	require.NoError(t, err)
	assert.Equal(t, optim.AdamOptions{LR: 1e-3, Betas: [2]float64{0.9, 0.999}, Eps: 1e-8}, adamOpt.Options(), "PyTorch's defaults")
	assert.Equal(t, 0.001, adamOpt.LR())
	adamOpt.SetLR(0.5)
	assert.Equal(t, 0.5, adamOpt.LR())
	assert.Equal(t, 0.1, sgdOpt.LR())
	sgdOpt.SetLR(0.2)
	assert.Equal(t, 0.2, sgdOpt.Options().LR)

	for _, opt := range []interface {
		optim.Optimizer
		ZeroGradFill()
	}{sgdOpt, adamOpt} {
		m.Forward(torch.Randn([]int64{2, 10})).Sum().Backward()
		opt.ZeroGradFill()
		require.NotNil(t, m.Layer1.Weight.Grad(), "zero-filled, not dropped")
		assert.Zero(t, m.Layer1.Weight.Grad().Abs().Sum().Item())
		opt.ZeroGrad()
		assert.Nil(t, m.Layer1.Weight.Grad(), "set to None")
	}

	params := sgdOpt.Parameters()
	assert.Equal(t, nn.Parameters(m), params)
	params[0] = nil
	assert.NotNil(t, sgdOpt.Parameters()[0], "Parameters returns a copy")

	train(m, adamOpt)
	train(m, adamOpt)
	assert.Equal(t, int64(2), adamOpt.StepCount(0))
	assert.Equal(t, int64(0), adamOpt.StepCount(len(params)-1), "the unused layer never stepped")
}

func TestInvalidOptions(t *testing.T) {
	ps := nn.Parameters(newNet())
	for _, tc := range []struct {
		name string
		make func() error
		want string
	}{
		{"SGD without lr", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{}); return err }, "LR is required"},
		{"negative lr", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: -1}); return err }, "Invalid learning rate: -1"},
		{"negative momentum", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, Momentum: -0.1}); return err }, "Invalid momentum value"},
		{"negative weight decay", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, WeightDecay: -1}); return err }, "Invalid weight_decay"},
		{"nesterov without momentum", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, Nesterov: true}); return err }, "Nesterov momentum requires"},
		{"nesterov with dampening", func() error {
			_, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, Nesterov: true, Momentum: 0.9, Dampening: 0.1})
			return err
		}, "Nesterov momentum requires"},
		{"no parameters", func() error { _, err := optim.NewSGD(nil, optim.SGDOptions{LR: 1}); return err }, "empty parameter list"},
		{"nil parameter", func() error { _, err := optim.NewAdam([]*torch.Tensor{ps[0], nil}, optim.AdamOptions{}); return err }, "parameter 1 is nil"},
		{"duplicate parameter", func() error {
			_, err := optim.NewAdam([]*torch.Tensor{ps[0], ps[1], ps[0]}, optim.AdamOptions{})
			return err
		}, "parameter 2 is parameter 0 again"},
		{"integer parameter", func() error {
			_, err := optim.NewAdam([]*torch.Tensor{torch.Zeros([]int64{2}, torch.WithDType(torch.Int64))}, optim.AdamOptions{})
			return err
		}, "expected a floating-point tensor"},
		{"adam negative lr", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{LR: -0.1}); return err }, "Invalid learning rate"},
		{"adam beta1", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{Betas: [2]float64{1, 0.9}}); return err }, "Invalid beta parameter at index 0: 1"},
		{"adam beta2", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{Betas: [2]float64{0.9, -0.5}}); return err }, "Invalid beta parameter at index 1"},
		{"adam eps", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{Eps: -1}); return err }, "Invalid epsilon value"},
		{"adam weight decay", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{WeightDecay: -1}); return err }, "Invalid weight_decay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, tc.make(), tc.want)
		})
	}
}

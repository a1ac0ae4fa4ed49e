package optim_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

const steps = 20

func sgd(o optim.SGDOptions) func(*net) (optim.Optimizer, error) {
	return func(m *net) (optim.Optimizer, error) { return optim.NewSGD(nn.Parameters(m), o) }
}

func adam(o optim.AdamOptions) func(*net) (optim.Optimizer, error) {
	return func(m *net) (optim.Optimizer, error) { return optim.NewAdam(nn.Parameters(m), o) }
}

// configs are the optimizer set-ups of the parity tests: each optimizer
// with its defaults and two or three other option sets, parameter groups
// with their own lr and weight decay, and a learning rate changed halfway.
func configs() []config {
	wd0 := 0.0
	return []config{
		{Name: "sgd", Class: "SGD", Kwargs: map[string]any{"lr": 0.1}, make: sgd(optim.SGDOptions{LR: 0.1})},
		{Name: "sgd_momentum", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9},
			make: sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.9})},
		{Name: "sgd_dampening", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.8, "dampening": 0.3},
			make: sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.8, Dampening: 0.3})},
		{Name: "sgd_nesterov_wd", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.01},
			make: sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01})},
		{Name: "sgd_maximize_setlr", Class: "SGD", Kwargs: map[string]any{"lr": 0.01, "maximize": true}, NewLR: 0.002,
			make: sgd(optim.SGDOptions{LR: 0.01, Maximize: true})},
		{Name: "sgd_groups", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3},
			Groups: []group{{Layers: []string{"layer1"}}, {Layers: []string{"layer2", "unused"}, Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.0, "momentum": 0.5}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewSGDGroups([]optim.Group{
					{Params: m.layer("layer1")},
					{Params: append(m.layer("layer2"), m.layer("unused")...), LR: new(0.01), WeightDecay: &wd0, Momentum: new(0.5)},
				}, optim.SGDOptions{LR: 0.05, Momentum: 0.9, WeightDecay: 1e-3})
			}},
		{Name: "sgd_groups_lr_only", Class: "SGD", Kwargs: map[string]any{},
			Groups: []group{{Layers: []string{"layer1"}, Kwargs: map[string]any{"lr": 0.1}}, {Layers: []string{"layer2"}, Kwargs: map[string]any{"lr": 0.02}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewSGDGroups([]optim.Group{{Params: m.layer("layer1"), LR: new(0.1)}, {Params: m.layer("layer2"), LR: new(0.02)}},
					optim.SGDOptions{})
			}},

		{Name: "adam", Class: "Adam", Kwargs: map[string]any{}, make: adam(optim.AdamOptions{})},
		{Name: "adam_custom", Class: "Adam", Kwargs: map[string]any{"lr": 0.01, "betas": []float64{0.8, 0.99}, "eps": 1e-6, "weight_decay": 0.01},
			make: adam(optim.AdamOptions{LR: 0.01, Betas: [2]float64{0.8, 0.99}, Eps: 1e-6, WeightDecay: 0.01})},
		{Name: "adam_amsgrad_setlr", Class: "Adam", Kwargs: map[string]any{"lr": 0.01, "amsgrad": true}, NewLR: 0.003,
			make: adam(optim.AdamOptions{LR: 0.01, AMSGrad: true})},
		{Name: "adam_maximize", Class: "Adam", Kwargs: map[string]any{"lr": 0.005, "maximize": true},
			make: adam(optim.AdamOptions{LR: 0.005, Maximize: true})},
		{Name: "adam_groups", Class: "Adam", Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.1},
			Groups: []group{{Layers: []string{"layer2"}, Kwargs: map[string]any{"betas": []float64{0.5, 0.9}, "amsgrad": true}}, {Layers: []string{"layer1"}, Kwargs: map[string]any{"lr": 0.002, "weight_decay": 0.0}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdamGroups([]optim.Group{
					{Params: m.layer("layer2"), Betas: &[2]float64{0.5, 0.9}, AMSGrad: new(true)},
					{Params: m.layer("layer1"), LR: new(0.002), WeightDecay: &wd0},
				}, optim.AdamOptions{LR: 0.01, WeightDecay: 0.1})
			}},

		{Name: "adamw", Class: "AdamW", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) { return optim.NewAdamW(nn.Parameters(m), optim.AdamWOptions{}) }},
		{Name: "adamw_amsgrad", Class: "AdamW", Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.1, "amsgrad": true, "betas": []float64{0.85, 0.995}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdamW(nn.Parameters(m), optim.AdamWOptions{LR: 0.01, WeightDecay: new(0.1), AMSGrad: true, Betas: [2]float64{0.85, 0.995}})
			}},
		{Name: "adamw_groups_maximize", Class: "AdamW", Kwargs: map[string]any{"lr": 0.01, "maximize": true},
			Groups: []group{{Layers: []string{"layer1"}}, {Layers: []string{"layer2"}, Kwargs: map[string]any{"weight_decay": 0.0}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdamWGroups([]optim.Group{{Params: m.layer("layer1")}, {Params: m.layer("layer2"), WeightDecay: &wd0}},
					optim.AdamWOptions{LR: 0.01, Maximize: true})
			}},

		{Name: "rmsprop", Class: "RMSprop", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRMSprop(nn.Parameters(m), optim.RMSpropOptions{})
			}},
		{Name: "rmsprop_centered_momentum", Class: "RMSprop", Kwargs: map[string]any{"lr": 0.005, "centered": true, "momentum": 0.9, "weight_decay": 0.01},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRMSprop(nn.Parameters(m), optim.RMSpropOptions{LR: 0.005, Centered: true, Momentum: 0.9, WeightDecay: 0.01})
			}},
		{Name: "rmsprop_alpha_maximize_setlr", Class: "RMSprop", Kwargs: map[string]any{"alpha": 0.9, "eps": 1e-6, "maximize": true}, NewLR: 0.001,
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRMSprop(nn.Parameters(m), optim.RMSpropOptions{Alpha: new(0.9), Eps: 1e-6, Maximize: true})
			}},
		{Name: "rmsprop_groups", Class: "RMSprop", Kwargs: map[string]any{"lr": 0.01},
			Groups: []group{{Layers: []string{"layer1"}, Kwargs: map[string]any{"centered": true}}, {Layers: []string{"layer2"}, Kwargs: map[string]any{"momentum": 0.5, "weight_decay": 0.1}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRMSpropGroups([]optim.Group{{Params: m.layer("layer1"), Centered: new(true)},
					{Params: m.layer("layer2"), Momentum: new(0.5), WeightDecay: new(0.1)}}, optim.RMSpropOptions{LR: 0.01})
			}},

		{Name: "adagrad", Class: "Adagrad", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdagrad(nn.Parameters(m), optim.AdagradOptions{})
			}},
		{Name: "adagrad_decay_init", Class: "Adagrad", Kwargs: map[string]any{"lr": 0.05, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.01},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdagrad(nn.Parameters(m), optim.AdagradOptions{LR: 0.05, LRDecay: 0.01, InitialAccumulatorValue: 0.1, WeightDecay: 0.01})
			}},
		{Name: "adagrad_eps_maximize", Class: "Adagrad", Kwargs: map[string]any{"eps": 1e-3, "maximize": true},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdagrad(nn.Parameters(m), optim.AdagradOptions{Eps: 1e-3, Maximize: true})
			}},

		{Name: "adadelta", Class: "Adadelta", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdadelta(nn.Parameters(m), optim.AdadeltaOptions{})
			}},
		{Name: "adadelta_rho_wd", Class: "Adadelta", Kwargs: map[string]any{"lr": 0.5, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.01},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdadelta(nn.Parameters(m), optim.AdadeltaOptions{LR: 0.5, Rho: new(0.5), Eps: 1e-4, WeightDecay: 0.01})
			}},
		{Name: "adadelta_maximize_groups", Class: "Adadelta", Kwargs: map[string]any{"maximize": true},
			Groups: []group{{Layers: []string{"layer1"}, Kwargs: map[string]any{"lr": 2.0}}, {Layers: []string{"layer2"}, Kwargs: map[string]any{"rho": 0.95}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdadeltaGroups([]optim.Group{{Params: m.layer("layer1"), LR: new(2.0)}, {Params: m.layer("layer2"), Rho: new(0.95)}},
					optim.AdadeltaOptions{Maximize: true})
			}},

		{Name: "adamax", Class: "Adamax", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) { return optim.NewAdamax(nn.Parameters(m), optim.AdamaxOptions{}) }},
		{Name: "adamax_custom", Class: "Adamax", Kwargs: map[string]any{"lr": 0.01, "betas": []float64{0.8, 0.9}, "eps": 1e-4, "weight_decay": 0.05},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdamax(nn.Parameters(m), optim.AdamaxOptions{LR: 0.01, Betas: [2]float64{0.8, 0.9}, Eps: 1e-4, WeightDecay: 0.05})
			}},
		{Name: "adamax_maximize", Class: "Adamax", Kwargs: map[string]any{"maximize": true},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewAdamax(nn.Parameters(m), optim.AdamaxOptions{Maximize: true})
			}},

		{Name: "nadam", Class: "NAdam", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) { return optim.NewNAdam(nn.Parameters(m), optim.NAdamOptions{}) }},
		{Name: "nadam_custom", Class: "NAdam", Kwargs: map[string]any{"lr": 0.01, "momentum_decay": 0.01, "weight_decay": 0.01, "betas": []float64{0.95, 0.99}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewNAdam(nn.Parameters(m), optim.NAdamOptions{LR: 0.01, MomentumDecay: new(0.01), WeightDecay: 0.01, Betas: [2]float64{0.95, 0.99}})
			}},
		{Name: "nadam_groups", Class: "NAdam", Kwargs: map[string]any{"lr": 0.005},
			Groups: []group{{Layers: []string{"layer1"}, Kwargs: map[string]any{"weight_decay": 0.1}}, {Layers: []string{"layer2"}, Kwargs: map[string]any{"lr": 0.02, "momentum_decay": 0.0}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewNAdamGroups([]optim.Group{{Params: m.layer("layer1"), WeightDecay: new(0.1)},
					{Params: m.layer("layer2"), LR: new(0.02), MomentumDecay: new(0.0)}}, optim.NAdamOptions{LR: 0.005})
			}},
		{Name: "nadam_decoupled_maximize", Class: "NAdam", MinTorch: 2, Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": true, "maximize": true},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewNAdam(nn.Parameters(m), optim.NAdamOptions{LR: 0.01, WeightDecay: 0.1, DecoupledWeightDecay: true, Maximize: true})
			}},

		{Name: "radam", Class: "RAdam", Kwargs: map[string]any{},
			make: func(m *net) (optim.Optimizer, error) { return optim.NewRAdam(nn.Parameters(m), optim.RAdamOptions{}) }},
		{Name: "radam_custom", Class: "RAdam", Kwargs: map[string]any{"lr": 0.01, "betas": []float64{0.8, 0.9}, "weight_decay": 0.01, "eps": 1e-6},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRAdam(nn.Parameters(m), optim.RAdamOptions{LR: 0.01, Betas: [2]float64{0.8, 0.9}, WeightDecay: 0.01, Eps: 1e-6})
			}},
		{Name: "radam_groups_setlr", Class: "RAdam", Kwargs: map[string]any{"lr": 0.01}, NewLR: 0.02,
			Groups: []group{{Layers: []string{"layer1"}, Kwargs: map[string]any{"betas": []float64{0.9, 0.8}}}, {Layers: []string{"layer2"}, Kwargs: map[string]any{"weight_decay": 0.1}}},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRAdamGroups([]optim.Group{{Params: m.layer("layer1"), Betas: &[2]float64{0.9, 0.8}},
					{Params: m.layer("layer2"), WeightDecay: new(0.1)}}, optim.RAdamOptions{LR: 0.01})
			}},
		{Name: "radam_decoupled_maximize", Class: "RAdam", MinTorch: 2, Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": true, "maximize": true},
			make: func(m *net) (optim.Optimizer, error) {
				return optim.NewRAdam(nn.Parameters(m), optim.RAdamOptions{LR: 0.01, WeightDecay: 0.1, DecoupledWeightDecay: true, Maximize: true})
			}},
	}
}

// configNamed is the config of that name.
func configNamed(name string) config {
	for _, c := range configs() {
		if c.Name == name {
			return c
		}
	}
	panic("no config " + name)
}

// TestOptimizersMatchPyTorch trains the same network from the same weights
// on the same batches for 20 steps in Go and in Python's torch.optim, for
// every optimizer with several option sets, and compares the loss of every
// step and every parameter at the end, to 1e-6 (and reports whether they
// are equal bit for bit).
func TestOptimizersMatchPyTorch(t *testing.T) {
	cs := configs()
	torch.ManualSeed(123)
	initial := nn.StateDict(newNet())
	data := batches(steps)
	for k, v := range initial {
		data["init."+k] = v
	}
	files := tempFiles(t, "in.pt", "out.pt")
	require.NoError(t, torch.Save(data, files[0]))
	js, err := json.Marshal(cs)
	require.NoError(t, err)
	pytorch.Run(t, pyPrelude+`
d = torch.load(sys.argv[1])
init = {k[5:]: v for k, v in d.items() if k.startswith("init.")}
res = {}
for c in json.loads(sys.argv[3]):
    if c["min_torch"] > TORCH_MAJOR:
        continue
    model = Net()
    model.load_state_dict(init)
    opt = make_optimizer(model, c)
    losses = []
    for i in range(`+fmt.Sprint(steps)+`):
        if i == 10 and c["new_lr"]:
            for g in opt.param_groups:
                g["lr"] = c["new_lr"]
        losses.append(step(model, opt, d, i))
    for k, v in model.state_dict().items():
        res[c["name"] + "." + k] = v
    res[c["name"] + ".losses"] = torch.tensor(losses, dtype=torch.float64)
torch.save(res, sys.argv[2])
`, files[0], files[1], string(js))
	want, err := torch.Load(files[1])
	require.NoError(t, err)

	bitwise, ran := 0, 0
	for _, c := range cs {
		t.Run(c.Name, func(t *testing.T) {
			if c.skip() {
				t.Skipf("%s's options need PyTorch 2; libtorch is %s", c.Class, torch.Version())
			}
			ran++
			m := newNet()
			require.NoError(t, nn.LoadStateDict(m, initial, true))
			opt, err := c.make(m)
			require.NoError(t, err)
			wantLoss := want[c.Name+".losses"].Float64s()
			for i := range steps {
				if i == 10 && c.NewLR != 0 {
					opt.SetLR(c.NewLR)
				}
				loss := trainStep(m, opt, data, i)
				require.InDelta(t, wantLoss[i], loss, 1e-6, "loss of step %d", i)
			}
			worst, equal := compareParams(t, m, want, c.Name+".", 1e-6)
			if equal {
				bitwise++
			}
			t.Logf("largest difference from PyTorch after %d steps: %g (bit for bit: %v)", steps, worst, equal)
			assert.NotEqual(t, initial["layer1.weight"].Float32s(), m.Layer1.Weight.Float32s(), "training moved the weights")
			assert.Equal(t, initial["unused.weight"].Float32s(), m.Unused.Weight.Float32s(), "a parameter without gradient is not updated")
		})
	}
	t.Logf("%d of %d configurations run equal PyTorch's bit for bit", bitwise, ran)
}

// train runs one step on a fresh batch.
func train(m *net, opt optim.Optimizer) {
	opt.ZeroGrad()
	nn.NewCrossEntropyLoss().Forward(m.Forward(torch.Randn([]int64{4, 10})), torch.RandInt(0, 4, []int64{4})).Backward()
	opt.Step()
}

func TestStateBytes(t *testing.T) {
	used := int64((10*16 + 16 + 16*4 + 4) * 4) // Unused gets no gradient, so no state
	all := used + (3*3+3)*4
	for _, tc := range []struct {
		name    string
		make    func(*net) (optim.Optimizer, error)
		initial int64 // before the first step
		want    int64
	}{
		{"plain SGD keeps nothing", sgd(optim.SGDOptions{LR: 0.1}), 0, 0},
		{"SGD with momentum keeps one buffer per parameter", sgd(optim.SGDOptions{LR: 0.1, Momentum: 0.9}), 0, used},
		{"Adam keeps exp_avg and exp_avg_sq", adam(optim.AdamOptions{}), 0, 2 * used},
		{"AMSGrad adds max_exp_avg_sq", adam(optim.AdamOptions{AMSGrad: true}), 0, 3 * used},
		{"AdamW as Adam", func(m *net) (optim.Optimizer, error) { return optim.NewAdamW(nn.Parameters(m), optim.AdamWOptions{}) }, 0, 2 * used},
		{"RMSprop keeps square_avg", func(m *net) (optim.Optimizer, error) {
			return optim.NewRMSprop(nn.Parameters(m), optim.RMSpropOptions{})
		}, 0, used},
		{"centered RMSprop with momentum adds grad_avg and momentum_buffer", func(m *net) (optim.Optimizer, error) {
			return optim.NewRMSprop(nn.Parameters(m), optim.RMSpropOptions{Centered: true, Momentum: 0.9})
		}, 0, 3 * used},
		{"Adagrad makes every sum at once", func(m *net) (optim.Optimizer, error) {
			return optim.NewAdagrad(nn.Parameters(m), optim.AdagradOptions{})
		}, all, all},
		{"Adadelta keeps square_avg and acc_delta", func(m *net) (optim.Optimizer, error) {
			return optim.NewAdadelta(nn.Parameters(m), optim.AdadeltaOptions{})
		}, 0, 2 * used},
		{"Adamax keeps exp_avg and exp_inf", func(m *net) (optim.Optimizer, error) {
			return optim.NewAdamax(nn.Parameters(m), optim.AdamaxOptions{})
		}, 0, 2 * used},
		{"NAdam adds a 4-byte mu_product per parameter", func(m *net) (optim.Optimizer, error) {
			return optim.NewNAdam(nn.Parameters(m), optim.NAdamOptions{})
		}, 0, 2*used + 4*4},
		{"RAdam keeps exp_avg and exp_avg_sq", func(m *net) (optim.Optimizer, error) {
			return optim.NewRAdam(nn.Parameters(m), optim.RAdamOptions{})
		}, 0, 2 * used},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newNet()
			opt, err := tc.make(m)
			require.NoError(t, err)
			assert.Equal(t, tc.initial, opt.StateBytes(), "before the first step")
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

// TestParamGroups checks the live groups: defaults filled in, per-group
// overrides, SetLR reaching every group, a changed group field reaching the
// next step, and AddParamGroup.
func TestParamGroups(t *testing.T) {
	m := newNet()
	opt, err := optim.NewAdamWGroups([]optim.Group{
		{Params: m.layer("layer1")},
		{Params: m.layer("layer2"), LR: new(0.1), WeightDecay: new(0.0), Betas: &[2]float64{0.5, 0.6}},
	}, optim.AdamWOptions{LR: 0.01, AMSGrad: true})
	require.NoError(t, err)
	gs := opt.ParamGroups()
	require.Len(t, gs, 2)
	assert.Equal(t, m.layer("layer1"), gs[0].Params)
	assert.Equal(t, optim.ParamGroup{Params: gs[0].Params, LR: 0.01, WeightDecay: 0.01, Betas: [2]float64{0.9, 0.999}, Eps: 1e-8, AMSGrad: true}, *gs[0])
	assert.Equal(t, optim.ParamGroup{Params: gs[1].Params, LR: 0.1, WeightDecay: 0, Betas: [2]float64{0.5, 0.6}, Eps: 1e-8, AMSGrad: true}, *gs[1])
	assert.Equal(t, 0.01, opt.LR(), "group 0's")
	opt.SetLR(0.3)
	assert.Equal(t, 0.3, gs[0].LR)
	assert.Equal(t, 0.3, gs[1].LR)

	// A group's LR set to 0 freezes that group's parameters (AdamW with
	// no weight decay there), while the other group moves.
	gs[1].LR = 0
	before := m.Layer2.Weight.Float32s()
	before1 := m.Layer1.Weight.Float32s()
	train(m, opt)
	assert.Equal(t, before, m.Layer2.Weight.Float32s(), "lr 0 in the live group")
	assert.NotEqual(t, before1, m.Layer1.Weight.Float32s())

	require.NoError(t, opt.AddParamGroup(optim.Group{Params: m.layer("unused"), LR: new(0.5)}))
	assert.Len(t, opt.ParamGroups(), 3)
	assert.Equal(t, 0.5, opt.ParamGroups()[2].LR)
	assert.Len(t, opt.Parameters(), 6)
	require.ErrorContains(t, opt.AddParamGroup(optim.Group{Params: m.layer("layer1")}), "some parameters appear in more than one parameter group")
	require.ErrorContains(t, opt.AddParamGroup(optim.Group{Params: nil, Momentum: new(0.9)}), "the group sets momentum, which this optimizer does not have")
	require.ErrorContains(t, opt.AddParamGroup(optim.Group{LR: new(-1.0)}), "param group 3: Invalid learning rate: -1")
}

func TestInvalidOptions(t *testing.T) {
	ps := nn.Parameters(newNet())
	neg := -0.5
	for _, tc := range []struct {
		name string
		make func() error
		want string
	}{
		{"SGD without lr", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{}); return err }, "LR is required"},
		{"SGD group without lr", func() error {
			_, err := optim.NewSGDGroups([]optim.Group{{Params: ps[:2], LR: new(0.1)}, {Params: ps[2:]}}, optim.SGDOptions{})
			return err
		}, "parameter group didn't specify a value of required optimization parameter lr"},
		{"negative lr", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: -1}); return err }, "optim: SGD: Invalid learning rate: -1"},
		{"negative momentum", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, Momentum: -0.1}); return err }, "Invalid momentum value: -0.1"},
		{"negative weight decay", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, WeightDecay: -1}); return err }, "Invalid weight_decay value: -1"},
		{"nesterov without momentum", func() error { _, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, Nesterov: true}); return err }, "Nesterov momentum requires a momentum and zero dampening"},
		{"nesterov with dampening", func() error {
			_, err := optim.NewSGD(ps, optim.SGDOptions{LR: 1, Nesterov: true, Momentum: 0.9, Dampening: 0.1})
			return err
		}, "Nesterov momentum requires"},
		{"group with a bad value", func() error {
			_, err := optim.NewSGDGroups([]optim.Group{{Params: ps[:2]}, {Params: ps[2:], Momentum: &neg}}, optim.SGDOptions{LR: 1})
			return err
		}, "optim: SGD: param group 1: Invalid momentum value: -0.5"},
		{"group with a key SGD lacks", func() error {
			_, err := optim.NewSGDGroups([]optim.Group{{Params: ps, Betas: &[2]float64{0.9, 0.9}}}, optim.SGDOptions{LR: 1})
			return err
		}, "the group sets betas, which this optimizer does not have"},
		{"no parameters", func() error { _, err := optim.NewSGD(nil, optim.SGDOptions{LR: 1}); return err }, "optimizer got an empty parameter list"},
		{"no groups", func() error { _, err := optim.NewAdamGroups(nil, optim.AdamOptions{}); return err }, "optimizer got an empty parameter list"},
		{"nil parameter", func() error { _, err := optim.NewAdam([]*torch.Tensor{ps[0], nil}, optim.AdamOptions{}); return err }, "parameter 1 is nil"},
		{"duplicate parameter", func() error {
			_, err := optim.NewAdam([]*torch.Tensor{ps[0], ps[1], ps[0]}, optim.AdamOptions{})
			return err
		}, "parameter 2 is parameter 0 again"},
		{"parameter in two groups", func() error {
			_, err := optim.NewAdamGroups([]optim.Group{{Params: ps[:2]}, {Params: ps[1:3]}}, optim.AdamOptions{})
			return err
		}, "some parameters appear in more than one parameter group"},
		{"integer parameter", func() error {
			_, err := optim.NewAdam([]*torch.Tensor{torch.Zeros([]int64{2}, torch.WithDType(torch.Int64))}, optim.AdamOptions{})
			return err
		}, "expected a floating-point tensor"},
		{"non-leaf parameter", func() error {
			_, err := optim.NewAdam([]*torch.Tensor{ps[0].MulScalar(torch.Float(2))}, optim.AdamOptions{})
			return err
		}, "can't optimize a non-leaf Tensor"},
		{"adam negative lr", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{LR: -0.1}); return err }, "Invalid learning rate: -0.1"},
		{"adam beta1", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{Betas: [2]float64{1, 0.9}}); return err }, "Invalid beta parameter at index 0: 1"},
		{"adam beta2", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{Betas: [2]float64{0.9, -0.5}}); return err }, "Invalid beta parameter at index 1: -0.5"},
		{"adam eps", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{Eps: -1}); return err }, "Invalid epsilon value: -1"},
		{"adam weight decay", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{WeightDecay: -1}); return err }, "Invalid weight_decay value: -1"},
		{"adamw weight decay", func() error { _, err := optim.NewAdamW(ps, optim.AdamWOptions{WeightDecay: new(-0.1)}); return err }, "optim: AdamW: Invalid weight_decay value: -0.1"},
		{"rmsprop alpha", func() error { _, err := optim.NewRMSprop(ps, optim.RMSpropOptions{Alpha: new(-0.1)}); return err }, "optim: RMSprop: Invalid alpha value: -0.1"},
		{"rmsprop momentum", func() error { _, err := optim.NewRMSprop(ps, optim.RMSpropOptions{Momentum: -1}); return err }, "Invalid momentum value: -1"},
		{"adagrad lr_decay", func() error { _, err := optim.NewAdagrad(ps, optim.AdagradOptions{LRDecay: -1}); return err }, "optim: Adagrad: Invalid lr_decay value: -1"},
		{"adagrad initial accumulator", func() error {
			_, err := optim.NewAdagrad(ps, optim.AdagradOptions{InitialAccumulatorValue: -1})
			return err
		}, "Invalid initial_accumulator_value value: -1"},
		{"adadelta rho", func() error { _, err := optim.NewAdadelta(ps, optim.AdadeltaOptions{Rho: new(1.5)}); return err }, "optim: Adadelta: Invalid rho value: 1.5"},
		{"adamax beta", func() error {
			_, err := optim.NewAdamax(ps, optim.AdamaxOptions{Betas: [2]float64{0.9, 1}})
			return err
		}, "optim: Adamax: Invalid beta parameter at index 1: 1"},
		{"nadam momentum_decay", func() error { _, err := optim.NewNAdam(ps, optim.NAdamOptions{MomentumDecay: new(-1.0)}); return err }, "optim: NAdam: Invalid momentum_decay value: -1"},
		{"radam eps", func() error { _, err := optim.NewRAdam(ps, optim.RAdamOptions{Eps: -1e-3}); return err }, "optim: RAdam: Invalid epsilon value: -0.001"},
		{"nan lr", func() error { _, err := optim.NewAdam(ps, optim.AdamOptions{LR: math.NaN()}); return err }, "Invalid learning rate: NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, tc.make(), tc.want)
		})
	}
}

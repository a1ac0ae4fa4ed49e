package optim_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// roundTripConfigs are one state-rich set-up per optimizer.
var roundTripConfigs = []string{"sgd_groups", "adam_groups", "adam_amsgrad_setlr", "adamw_amsgrad", "rmsprop_centered_momentum",
	"rmsprop_groups", "adagrad_decay_init", "adadelta_rho_wd", "adamax_custom", "nadam_custom", "radam_custom"}

// withPrefix copies m's entries under prefix.
func withPrefix(dst map[string]*torch.Tensor, prefix string, m map[string]*torch.Tensor) {
	for k, v := range m {
		dst[prefix+k] = v
	}
}

// underPrefix returns the entries of m under prefix, without it.
func underPrefix(m map[string]*torch.Tensor, prefix string) map[string]*torch.Tensor {
	out := map[string]*torch.Tensor{}
	for k, v := range m {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	return out
}

// TestStateDictRoundTripWithPyTorch moves optimizer state both ways in the
// middle of training. Python trains 5 steps, saves optimizer.state_dict() in
// the flat file format, and trains 5 more; Go loads the file and trains the
// same 5 steps. Go trains 5 steps and saves; Python loads that into a
// torch.optim optimizer and trains 5 more, as Go does with its own. Each
// pair of runs must end with equal parameters, and the two state dicts
// after 5 steps must hold the same keys and values.
func TestStateDictRoundTripWithPyTorch(t *testing.T) {
	var cs []config
	for _, name := range roundTripConfigs {
		cs = append(cs, configNamed(name))
	}
	torch.ManualSeed(7)
	initial := nn.StateDict(newNet())
	data := batches(10)
	withPrefix(data, "init.", initial)

	// Go's first 5 steps, saved for Python.
	goNets := map[string]*net{}
	goOpts := map[string]optim.Optimizer{}
	for _, c := range cs {
		m := newNet()
		require.NoError(t, nn.LoadStateDict(m, initial, true))
		opt, err := c.make(m)
		require.NoError(t, err)
		for i := range 5 {
			trainStep(m, opt, data, i)
		}
		flat, err := opt.StateDict().Tensors()
		require.NoError(t, err)
		withPrefix(data, "go."+c.Name+".opt.", flat)
		// Clones: Go's own tensors go on changing.
		for _, p := range nn.NamedParameters(m) {
			data["go."+c.Name+".model."+p.Name] = p.Tensor.Detach().Clone()
		}
		goNets[c.Name], goOpts[c.Name] = m, opt
	}
	files := tempFiles(t, "in.pt", "out.pt")
	require.NoError(t, torch.Save(data, files[0]))
	js, err := json.Marshal(cs)
	require.NoError(t, err)
	pytorch.Run(t, pyPrelude+`
d = torch.load(sys.argv[1])
def under(prefix):
    return {k[len(prefix):]: v for k, v in d.items() if k.startswith(prefix)}
init = under("init.")
res = {}
for c in json.loads(sys.argv[3]):
    n = c["name"]
    model = Net()
    model.load_state_dict(init)
    opt = make_optimizer(model, c)
    for i in range(5):
        step(model, opt, d, i)
    for k, v in to_flat(opt.state_dict()).items():
        res[n + ".opt." + k] = v.clone()
    for k, v in model.state_dict().items():
        res[n + ".model." + k] = v.clone()
    for i in range(5, 10):
        step(model, opt, d, i)
    for k, v in model.state_dict().items():
        res[n + ".final." + k] = v

    # Go's state, continued by torch.optim
    model = Net()
    model.load_state_dict({**init, **under("go." + n + ".model.")})
    opt = make_optimizer(model, c)
    opt.load_state_dict(from_flat(under("go." + n + ".opt."), opt))
    for i in range(5, 10):
        step(model, opt, d, i)
    for k, v in model.state_dict().items():
        res[n + ".go_final." + k] = v
torch.save(res, sys.argv[2])
`, files[0], files[1], string(js))
	py, err := torch.Load(files[1])
	require.NoError(t, err)

	for _, c := range cs {
		t.Run(c.Name, func(t *testing.T) {
			// The state dicts after 5 steps: same keys, same values.
			goFlat, pyFlat := underPrefix(data, "go."+c.Name+".opt."), underPrefix(py, c.Name+".opt.")
			for k := range pyFlat {
				// Python's keys for other code paths, and 2.x Adam's and
				// AdamW's decoupled_weight_decay, which Go's classes imply.
				_, key, _ := strings.Cut(strings.TrimPrefix(k, "param_groups."), ".")
				if slices.Contains([]string{"differentiable", "capturable", "fused", "foreach"}, key) ||
					key == "decoupled_weight_decay" && strings.HasPrefix(c.Class, "Adam") {
					delete(pyFlat, k)
				}
			}
			require.Equal(t, slices.Sorted(maps.Keys(pyFlat)), slices.Sorted(maps.Keys(goFlat)))
			for k, w := range pyFlat {
				g := goFlat[k]
				require.Equal(t, w.Shape(), g.Shape(), k)
				require.Equal(t, w.DType(), g.DType(), k)
				assert.Equal(t, w.Float64s(), g.Float64s(), k)
			}

			// Python's state, continued in Go.
			m := newNet()
			require.NoError(t, nn.LoadStateDict(m, underPrefix(py, c.Name+".model."), false))
			opt, err := c.make(m)
			require.NoError(t, err)
			sd, err := optim.StateDictFromTensors(pyFlat)
			require.NoError(t, err)
			require.NoError(t, opt.LoadStateDict(sd))
			for i := 5; i < 10; i++ {
				trainStep(m, opt, data, i)
			}
			_, equal := compareParams(t, m, py, c.Name+".final.", 1e-6)
			t.Logf("Python's state continued in Go: bit for bit %v", equal)

			// Go's state, continued in Python and in Go.
			m, opt = goNets[c.Name], goOpts[c.Name]
			for i := 5; i < 10; i++ {
				trainStep(m, opt, data, i)
			}
			_, equal = compareParams(t, m, py, c.Name+".go_final.", 1e-6)
			t.Logf("Go's state continued in Python: bit for bit %v", equal)
		})
	}
}

// TestStateDictInGo checks the state dict within Go: Save and Load through
// a file, LoadStateDict taking the groups' hyperparameters and copying the
// state, and its errors.
func TestStateDictInGo(t *testing.T) {
	torch.ManualSeed(1)
	data := batches(4)
	m := newNet()
	opt, err := optim.NewAdamGroups([]optim.Group{{Params: m.layer("layer1")}, {Params: m.layer("layer2"), AMSGrad: new(true)}},
		optim.AdamOptions{LR: 0.01})
	require.NoError(t, err)
	for i := range 2 {
		trainStep(m, opt, data, i)
	}
	sd := opt.StateDict()
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7}[:2], sd.ParamGroups[0]["params"])
	assert.Equal(t, []int{2, 3}, sd.ParamGroups[1]["params"])
	assert.Equal(t, 0.01, sd.ParamGroups[1]["lr"])
	assert.Equal(t, true, sd.ParamGroups[1]["amsgrad"])
	assert.Equal(t, [2]float64{0.9, 0.999}, sd.ParamGroups[0]["betas"])
	require.Len(t, sd.State, 4)
	assert.Equal(t, 2.0, sd.State[3]["step"].Item())
	assert.Contains(t, sd.State[3], "max_exp_avg_sq")
	assert.NotContains(t, sd.State[0], "max_exp_avg_sq")

	path := tempFiles(t, "opt.pt")[0]
	require.NoError(t, optim.Save(sd, path))
	loaded, err := optim.Load(path)
	require.NoError(t, err)
	assert.Equal(t, sd.ParamGroups, loaded.ParamGroups)
	require.Len(t, loaded.State, 4)
	for id, s := range sd.State {
		for name, v := range s {
			assert.Equal(t, v.Float64s(), loaded.State[id][name].Float64s(), "%d %s", id, name)
		}
	}

	// A second optimizer over a copy of the model takes the state and the
	// groups' hyperparameters, and then steps as the first does.
	m2 := newNet()
	require.NoError(t, nn.LoadStateDict(m2, nn.StateDict(m), true))
	opt2, err := optim.NewAdamGroups([]optim.Group{{Params: m2.layer("layer1")}, {Params: m2.layer("layer2"), AMSGrad: new(true)}},
		optim.AdamOptions{LR: 0.5})
	require.NoError(t, err)
	loaded.ParamGroups[0]["lr"] = 0.02
	require.NoError(t, opt2.LoadStateDict(loaded))
	assert.Equal(t, 0.02, opt2.ParamGroups()[0].LR)
	assert.Equal(t, 0.01, opt2.ParamGroups()[1].LR)
	opt.ParamGroups()[0].LR = 0.02
	for i := 2; i < 4; i++ {
		trainStep(m, opt, data, i)
		trainStep(m2, opt2, data, i)
	}
	assert.Equal(t, m.Layer1.Weight.Float32s(), m2.Layer1.Weight.Float32s())
	assert.Equal(t, m.Layer2.Bias.Float32s(), m2.Layer2.Bias.Float32s())
	assert.Equal(t, 4.0, opt2.StateDict().State[0]["step"].Item())

	// Errors leave the optimizer as it was.
	bad := func(edit func(sd *optim.StateDict)) error {
		sd := opt.StateDict()
		sd.ParamGroups = slices.Clone(sd.ParamGroups)
		for i, g := range sd.ParamGroups {
			sd.ParamGroups[i] = maps.Clone(g)
		}
		sd.State = maps.Clone(sd.State)
		edit(sd)
		return opt2.LoadStateDict(sd)
	}
	before := opt2.StateDict().State[0]["exp_avg"].Float32s()
	for _, tc := range []struct {
		name string
		edit func(sd *optim.StateDict)
		want string
	}{
		{"one group", func(sd *optim.StateDict) { sd.ParamGroups = sd.ParamGroups[:1] }, "different number of parameter groups"},
		{"group size", func(sd *optim.StateDict) { sd.ParamGroups[1]["params"] = []int{2} }, "doesn't match the size of optimizer's group"},
		{"no exp_avg", func(sd *optim.StateDict) {
			sd.State[1] = map[string]*torch.Tensor{"step": sd.State[1]["step"], "exp_avg_sq": sd.State[1]["exp_avg_sq"]}
		}, `state of parameter 1: no "exp_avg"`},
		{"shape", func(sd *optim.StateDict) {
			s := maps.Clone(sd.State[0])
			s["exp_avg"] = torch.Zeros([]int64{3})
			sd.State[0] = s
		}, `"exp_avg" has shape torch.Size([3]), its parameter torch.Size([16, 10])`},
		{"bad value type", func(sd *optim.StateDict) { sd.ParamGroups[0]["lr"] = "fast" }, "lr is string, expected a float64"},
		{"bad value", func(sd *optim.StateDict) { sd.ParamGroups[0]["eps"] = -1.0 }, "Invalid epsilon value: -1"},
		{"unknown index", func(sd *optim.StateDict) { sd.State[9] = sd.State[0] }, "state for parameter 9, which no group holds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, bad(tc.edit), tc.want)
			assert.Equal(t, 0.02, opt2.ParamGroups()[0].LR)
			assert.Equal(t, before, opt2.StateDict().State[0]["exp_avg"].Float32s())
		})
	}

	_, err = optim.StateDictFromTensors(map[string]*torch.Tensor{"momentum.0": torch.Zeros([]int64{1})})
	require.ErrorContains(t, err, `key "momentum.0": expected state.<index>.<name> or param_groups.<index>.<key>`)
	_, err = optim.StateDictFromTensors(map[string]*torch.Tensor{"param_groups.1.params": torch.Zeros([]int64{1}, torch.WithDType(torch.Int64))})
	require.ErrorContains(t, err, "no keys for param group 0 of 2")
}

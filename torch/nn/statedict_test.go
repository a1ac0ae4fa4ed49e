package nn_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// mlp is a small model of the tutorial's shape; pyMLP is the same class in
// Python.
type mlp struct {
	Flatten *nn.Flatten
	Layer1  *nn.Linear
	ReLU    *nn.ReLU
	Layer2  *nn.Linear
}

func newMLP() *mlp {
	return &mlp{nn.NewFlatten(), nn.NewLinear(12, 8), nn.NewReLU(), nn.NewLinear(8, 3)}
}

func (m *mlp) Forward(x *torch.Tensor) *torch.Tensor {
	return m.Layer2.Forward(m.ReLU.Forward(m.Layer1.Forward(m.Flatten.Forward(x))))
}

const pyMLP = `
import sys
class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = torch.nn.Flatten()
        self.layer1 = torch.nn.Linear(12, 8)
        self.relu = torch.nn.ReLU()
        self.layer2 = torch.nn.Linear(8, 3)
    def forward(self, x):
        return self.layer2(self.relu(self.layer1(self.flatten(x))))
`

func TestStateDict(t *testing.T) {
	m := newMLP()
	sd := nn.StateDict(m)
	require.Len(t, sd, 4)
	for _, p := range nn.NamedParameters(m) {
		require.Contains(t, sd, p.Name)
		assert.False(t, sd[p.Name].RequiresGrad(), "state_dict tensors are detached")
		assert.Equal(t, p.Tensor.Float32s(), sd[p.Name].Float32s())
	}
	// They share storage with the parameters, as PyTorch's do.
	torch.NoGrad(func() { m.Layer2.Bias.FillScalar_(torch.Float(0.5)) })
	assert.Equal(t, []float32{0.5, 0.5, 0.5}, sd["layer2.bias"].Float32s())
}

func TestLoadStateDict(t *testing.T) {
	src := nn.StateDict(newMLP())
	with := func(edit func(map[string]*torch.Tensor)) map[string]*torch.Tensor {
		sd := map[string]*torch.Tensor{}
		for k, v := range src {
			sd[k] = v
		}
		edit(sd)
		return sd
	}
	tests := []struct {
		name   string
		sd     map[string]*torch.Tensor
		strict bool
		want   *nn.StateDictError // nil: loads
		msg    string
	}{
		{"exact", src, true, nil, ""},
		{"missing", with(func(sd map[string]*torch.Tensor) { delete(sd, "layer2.bias") }), true,
			&nn.StateDictError{Missing: []string{"layer2.bias"}},
			"Error(s) in loading state_dict for *nn_test.mlp:\n\tMissing key(s) in state_dict: \"layer2.bias\"."},
		{"unexpected", with(func(sd map[string]*torch.Tensor) { sd["layer3.weight"] = torch.Zeros([]int64{1}) }), true,
			&nn.StateDictError{Unexpected: []string{"layer3.weight"}},
			"Error(s) in loading state_dict for *nn_test.mlp:\n\tUnexpected key(s) in state_dict: \"layer3.weight\"."},
		{"mis-shaped", with(func(sd map[string]*torch.Tensor) { sd["layer1.weight"] = torch.Zeros([]int64{8, 13}) }), false,
			&nn.StateDictError{Mismatched: []nn.ShapeMismatch{{Key: "layer1.weight", Checkpoint: torch.Size{8, 13}, Model: torch.Size{8, 12}}}},
			"Error(s) in loading state_dict for *nn_test.mlp:\n\tsize mismatch for layer1.weight: copying a param with shape torch.Size([8, 13]) from checkpoint, the shape in current model is torch.Size([8, 12])."},
		{"all three", with(func(sd map[string]*torch.Tensor) {
			delete(sd, "layer1.bias")
			delete(sd, "layer2.bias")
			sd["extra"] = torch.Zeros([]int64{1})
			sd["layer2.weight"] = torch.Zeros([]int64{3})
		}), true,
			&nn.StateDictError{Missing: []string{"layer1.bias", "layer2.bias"}, Unexpected: []string{"extra"},
				Mismatched: []nn.ShapeMismatch{{Key: "layer2.weight", Checkpoint: torch.Size{3}, Model: torch.Size{3, 8}}}},
			"Error(s) in loading state_dict for *nn_test.mlp:\n\tMissing key(s) in state_dict: \"layer1.bias\", \"layer2.bias\"." +
				"\n\tUnexpected key(s) in state_dict: \"extra\"." +
				"\n\tsize mismatch for layer2.weight: copying a param with shape torch.Size([3]) from checkpoint, the shape in current model is torch.Size([3, 8])."},
		{"nil tensor", with(func(sd map[string]*torch.Tensor) { sd["layer1.bias"] = nil }), true,
			&nn.StateDictError{Nil: []string{"layer1.bias"}}, ""},
		{"not strict: missing and unexpected are ignored", with(func(sd map[string]*torch.Tensor) {
			delete(sd, "layer2.bias")
			sd["extra"] = torch.Zeros([]int64{1})
		}), false, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLP()
			before := nn.StateDict(m)
			beforeValues := map[string][]float32{}
			for k, v := range before {
				beforeValues[k] = v.Clone().Float32s()
			}
			params := nn.Parameters(m)
			err := nn.LoadStateDict(m, tc.sd, tc.strict)
			assert.Equal(t, params, nn.Parameters(m), "the parameters stay the same tensors")
			for i, p := range nn.Parameters(m) {
				assert.Same(t, params[i], p)
				assert.True(t, p.RequiresGrad())
			}
			if tc.want == nil {
				require.NoError(t, err)
				for k, v := range nn.StateDict(m) {
					if s, ok := tc.sd[k]; ok {
						assert.Equal(t, s.Float32s(), v.Float32s(), k)
					} else {
						assert.Equal(t, beforeValues[k], v.Float32s(), "%s is kept when missing", k)
					}
				}
				return
			}
			var sde *nn.StateDictError
			require.ErrorAs(t, err, &sde)
			tc.want.Model = "*nn_test.mlp"
			assert.Equal(t, tc.want, sde)
			if tc.msg != "" {
				assert.Equal(t, tc.msg, err.Error())
			}
			for k, v := range nn.StateDict(m) {
				assert.Equal(t, beforeValues[k], v.Float32s(), "%s is unchanged after a failed load", k)
			}
		})
	}
}

func TestLoadStateDictConvertsDType(t *testing.T) {
	m := newMLP()
	sd := map[string]*torch.Tensor{}
	for k, v := range nn.StateDict(newMLP()) {
		sd[k] = v.ToDType(torch.Float64).MulScalar(torch.Int(2))
	}
	require.NoError(t, nn.LoadStateDict(m, sd, true))
	assert.Equal(t, torch.Float32, m.Layer1.Weight.DType())
	assert.Equal(t, sd["layer1.weight"].ToDType(torch.Float32).Float32s(), m.Layer1.Weight.Float32s())
}

// TestSaveGoLoadPython perturbs a model in Go, saves it, and checks that
// Python's torch.load gives a dict that the same nn.Module loads and that
// computes what Go computes.
func TestSaveGoLoadPython(t *testing.T) {
	torch.ManualSeed(11)
	m := newMLP()
	torch.NoGrad(func() {
		for _, p := range nn.Parameters(m) {
			p.Add_(torch.Randn(p.Shape()).MulScalar(torch.Float(0.1)))
		}
	})
	x := torch.Randn([]int64{5, 3, 4})
	weights := tempPath(t, "model.pt")
	require.NoError(t, nn.Save(m, weights))
	in := savePT(t, map[string]*torch.Tensor{"x": x})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, pyMLP+`
sd = torch.load(sys.argv[1])
assert isinstance(sd, dict), type(sd)
assert sorted(sd) == ["layer1.bias", "layer1.weight", "layer2.bias", "layer2.weight"], sorted(sd)
model = MLP()
model.load_state_dict(sd)
x = torch.load(sys.argv[2])["x"]
torch.save({"y": model(x).detach()}, sys.argv[3])
`, weights, in, out)
	requireClose(t, loadPT(t, out)["y"], m.Forward(x), 1e-6, "y")
}

// TestSavePythonLoadGo trains a model in Python, saves its state_dict (an
// OrderedDict), and checks that Go loads it into its existing parameters
// and computes what Python computes.
func TestSavePythonLoadGo(t *testing.T) {
	weights, io := tempPath(t, "model.pt"), tempPath(t, "io.pt")
	pytorch.Run(t, pyMLP+`
torch.manual_seed(5)
model = MLP()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(3):
    x = torch.randn(16, 3, 4)
    loss = torch.nn.functional.cross_entropy(model(x), torch.randint(0, 3, (16,)))
    opt.zero_grad(); loss.backward(); opt.step()
torch.save(model.state_dict(), sys.argv[1])
x = torch.randn(6, 3, 4)
torch.save({"x": x, "y": model(x).detach()}, sys.argv[2])
`, weights, io)
	m := newMLP()
	params := nn.Parameters(m)
	require.NoError(t, nn.Load(m, weights))
	for i, p := range nn.Parameters(m) {
		assert.Same(t, params[i], p, "Load copies into the existing parameters")
		assert.True(t, p.RequiresGrad())
	}
	d := loadPT(t, io)
	requireClose(t, d["y"], m.Forward(d["x"]), 1e-6, "y")
}

// TestReadStateDictFormats reads what libtorch's reader cannot (an
// OrderedDict, a dict of one entry) with every dtype and with views whose
// storage is larger than themselves.
func TestReadStateDictFormats(t *testing.T) {
	path := tempPath(t, "types.pt")
	pytorch.Run(t, `
import sys, collections
base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
torch.save({"single": torch.tensor([1.5])}, sys.argv[1] + ".single")
torch.save(collections.OrderedDict([
    ("f32", base), ("t", base.t()), ("slice", base[1:, 1:3]),
    ("f64", base.double()), ("f16", base.half() / 3), ("bf16", base.bfloat16() / 3),
    ("i64", torch.arange(3)), ("i32", torch.arange(3, dtype=torch.int32)), ("i16", torch.arange(3, dtype=torch.int16)),
    ("i8", torch.tensor([-1, 2], dtype=torch.int8)), ("u8", torch.tensor([255, 1], dtype=torch.uint8)),
    ("b", torch.tensor([True, False])), ("scalar", torch.tensor(2.5)), ("empty", torch.zeros(0, 3)),
]), sys.argv[1])
`, path)
	single, err := torch.Load(path + ".single")
	require.NoError(t, err)
	assert.Equal(t, []float32{1.5}, single["single"].Float32s())

	sd, err := torch.Load(path)
	require.NoError(t, err)
	base := torch.Arange(0, 12, 1, torch.WithDType(torch.Float32)).Reshape(3, 4)
	tests := []struct {
		key  string
		want *torch.Tensor
	}{
		{"f32", base},
		{"t", base.T().Contiguous()},
		{"slice", base.Narrow(0, 1, 2).Narrow(1, 1, 2).Contiguous()},
		{"f64", base.ToDType(torch.Float64)},
		{"f16", base.ToDType(torch.Float16).DivScalar(torch.Int(3))},
		{"bf16", base.ToDType(torch.BFloat16).DivScalar(torch.Int(3))},
		{"i64", torch.FromSlice([]int64{0, 1, 2})},
		{"i32", torch.FromSlice([]int32{0, 1, 2})},
		{"i16", torch.FromSlice([]int16{0, 1, 2})},
		{"i8", torch.FromSlice([]int8{-1, 2})},
		{"u8", torch.FromSlice([]uint8{255, 1})},
		{"b", torch.FromSlice([]bool{true, false})},
		{"scalar", torch.Full(nil, torch.Float(2.5))},
		{"empty", torch.Zeros([]int64{0, 3})},
	}
	require.Len(t, sd, len(tests))
	for _, tc := range tests {
		got := sd[tc.key]
		require.NotNil(t, got, tc.key)
		assert.Equal(t, tc.want.DType(), got.DType(), tc.key)
		assert.Equal(t, tc.want.Shape(), got.Shape(), tc.key)
		assert.Equal(t, tc.want.Bytes(), got.Bytes(), tc.key)
	}

	// Not a torch.save file: both readers' reasons, and the file's name.
	bad := tempPath(t, "bad.pt")
	require.NoError(t, os.WriteFile(bad, []byte("not a zip"), 0o644))
	_, err = torch.Load(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad)
	m := newMLP()
	require.Error(t, nn.Load(m, bad))
	_, err = torch.Load(tempPath(t, "missing.pt"))
	require.Error(t, err)
}

// TestLoadWrongModel loads a state_dict into a model of another shape.
func TestLoadWrongModel(t *testing.T) {
	path := tempPath(t, "m.pt")
	require.NoError(t, nn.Save(newMLP(), path))
	other := &struct{ Layer1 *nn.Linear }{nn.NewLinear(12, 4)}
	err := nn.Load(other, path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), `Unexpected key(s) in state_dict: "layer2.bias", "layer2.weight".`)
	assert.Contains(t, err.Error(), "size mismatch for layer1.weight")
}

// A nil model is an error, not an empty checkpoint: nn.Save(nil) wrote one.
func TestSaveNilModel(t *testing.T) {
	dir := t.TempDir()
	var lin *nn.Linear
	for _, model := range []any{nil, lin, (map[string]*torch.Tensor)(nil)} {
		path := filepath.Join(dir, "nil.pt")
		err := nn.Save(model, path)
		require.ErrorContains(t, err, "the model is nil")
		assert.ErrorContains(t, err, path)
		assert.NoFileExists(t, path)
	}
}

// A map or slice that holds itself is walked once, as a struct that does
// is: StateDict recursed until the stack overflowed.
func TestStateDictOfSelfHoldingContainers(t *testing.T) {
	lin := nn.NewLinear(2, 2)
	m := map[string]any{"fc": lin}
	m["self"] = m
	s := []any{lin, nil}
	s[1] = s
	for _, model := range []any{m, s} {
		sd := nn.StateDict(model)
		assert.Len(t, sd, 2, "%T", model)
		assert.Len(t, nn.Parameters(model), 2)
	}
}

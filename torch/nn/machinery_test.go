package nn_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// stats is a module with buffers, as BatchNorm has: a persistent one, an
// integer one and a non-persistent one, declared before its parameter to
// show that PyTorch's order (parameters, then buffers) wins over field
// order.
type stats struct {
	Mean    *torch.Tensor `nn:"running_mean,buffer"`
	Count   *torch.Tensor `nn:"num_batches_tracked,buffer"`
	Scratch *torch.Tensor `nn:"scratch,buffer,nonpersistent"`
	Weight  *torch.Tensor
	eval    bool
}

func newStats(n int64) *stats {
	return &stats{
		Mean:    torch.Zeros([]int64{n}),
		Count:   torch.Zeros(nil, torch.WithDType(torch.Int64)),
		Scratch: torch.Zeros([]int64{1}),
		Weight:  torch.Ones([]int64{n}, torch.WithRequiresGrad()),
	}
}

func (s *stats) SetTraining(training bool) { s.eval = !training }

// machine is the Go twin of the Python module in TestModelMachineryMatchesPyTorch.
type machine struct {
	Body  *nn.Linear
	Norm  *stats
	Scale *torch.Tensor // a model's own parameter, registered after its submodules
	Heads *nn.ModuleDict
	Stack nn.ModuleList
}

func newMachine() *machine {
	return &machine{
		Body:  nn.NewLinear(3, 4),
		Norm:  newStats(4),
		Scale: torch.Ones([]int64{1}, torch.WithRequiresGrad()),
		Heads: nn.NewModuleDict().Set("zeta", nn.NewLinear(4, 2)).Set("alpha", nn.NewLinearNoBias(4, 1)),
		Stack: nn.NewModuleList(nn.NewDropout(0.5), newStats(2)),
	}
}

const machineDefs = `
import json
class Stats(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("running_mean", torch.zeros(n))
        self.register_buffer("num_batches_tracked", torch.tensor(0))
        self.register_buffer("scratch", torch.zeros(1), persistent=False)
        self.weight = torch.nn.Parameter(torch.ones(n))
class Machine(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Linear(3, 4)
        self.norm = Stats(4)
        self.scale = torch.nn.Parameter(torch.ones(1))
        self.heads = torch.nn.ModuleDict()
        self.heads["zeta"] = torch.nn.Linear(4, 2)
        self.heads["alpha"] = torch.nn.Linear(4, 1, bias=False)
        self.stack = torch.nn.ModuleList([torch.nn.Dropout(0.5), Stats(2)])
m = Machine()
`

const machinePy = machineDefs + `
applied = []
m.apply(lambda mod: applied.append(type(mod).__name__))
print(json.dumps({
    "Parameters": [n for n, _ in m.named_parameters()],
    "Buffers": [n for n, _ in m.named_buffers()],
    "StateDict": list(m.state_dict().keys()),
    "Modules": [n for n, _ in m.named_modules()],
    "Applied": applied,
}))
`

// TestModelMachineryMatchesPyTorch compares the names and orders that the
// walk gives (parameters, buffers, state_dict keys, modules, apply's order)
// with PyTorch's for the same module tree: own parameters before
// submodules', buffers after parameters, non-persistent buffers out of the
// state_dict, ModuleDict in insertion order, ModuleList by index.
func TestModelMachineryMatchesPyTorch(t *testing.T) {
	var want struct{ Parameters, Buffers, StateDict, Modules, Applied []string }
	pytorch.JSON(t, machinePy, &want)

	m := newMachine()
	var params, buffers, modules []string
	for _, p := range nn.NamedParameters(m) {
		params = append(params, p.Name)
	}
	for _, b := range nn.NamedBuffers(m) {
		buffers = append(buffers, b.Name)
	}
	for _, mod := range nn.NamedModules(m) {
		modules = append(modules, mod.Name)
	}
	assert.Equal(t, want.Parameters, params)
	assert.Equal(t, want.Buffers, buffers)
	assert.Equal(t, want.StateDict, nn.StateDictKeys(m))
	assert.ElementsMatch(t, want.StateDict, keys(nn.StateDict(m)))
	assert.Equal(t, want.Modules, modules)

	typeName := map[string]string{"*nn_test.machine": "Machine", "*nn_test.stats": "Stats", "*nn.Linear": "Linear",
		"*nn.ModuleDict": "ModuleDict", "nn.ModuleList": "ModuleList", "*nn.Dropout": "Dropout"}
	var applied []string
	nn.Apply(m, func(mod any) { applied = append(applied, typeName[typeNameOf(mod)]) })
	assert.Equal(t, want.Applied, applied)

	assert.Len(t, nn.Parameters(m), len(want.Parameters))
	assert.Len(t, nn.Buffers(m), len(want.Buffers))
}

func keys(m map[string]*torch.Tensor) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestStateDictRoundTripWithBuffersAndPython: Python's state_dict of the
// same tree (buffers changed) loads into the Go model strictly, and Python
// loads what Go saves.
func TestStateDictRoundTripWithBuffersAndPython(t *testing.T) {
	in := tempPath(t, "py.pt")
	pytorch.Run(t, machineDefs+`
import sys
torch.manual_seed(3)
with torch.no_grad():
    for p in m.parameters(): p.uniform_()
m.norm.running_mean.fill_(2.5)
m.norm.num_batches_tracked.fill_(7)
torch.save(m.state_dict(), sys.argv[1])
`, in)
	m := newMachine()
	require.NoError(t, nn.Load(m, in))
	assert.Equal(t, []float64{2.5, 2.5, 2.5, 2.5}, m.Norm.Mean.Float64s())
	assert.Equal(t, int64(7), m.Norm.Count.ItemInt())
	assert.Equal(t, torch.Int64, m.Norm.Count.DType())

	m.Norm.Mean.FillScalar_(torch.Float(-1))
	out := tempPath(t, "go.pt")
	require.NoError(t, nn.Save(m, out))
	var got struct{ Mean []float64 }
	pytorch.JSON(t, machineDefs+`
import sys
m.load_state_dict(torch.load(sys.argv[1]))
print(json.dumps({"Mean": m.norm.running_mean.tolist()}))
`, &got, out)
	assert.Equal(t, []float64{-1, -1, -1, -1}, got.Mean)
}

// TestToDTypeKeepsIdentity: converting a model keeps every parameter the
// same *torch.Tensor (libtorch's set_data), so an optimizer built before
// the conversion updates the converted model; floating buffers convert,
// the integer one stays Int64, and a gradient converts with its parameter.
func TestToDTypeKeepsIdentity(t *testing.T) {
	m := newMachine()
	before := nn.Parameters(m)
	opt, err := optim.NewSGD(before, optim.SGDOptions{LR: 0.5})
	require.NoError(t, err)
	m.Body.Forward(torch.Ones([]int64{2, 3})).Sum().Backward()

	require.NoError(t, nn.ToDType(m, torch.Float64))
	after := nn.Parameters(m)
	require.Len(t, after, len(before))
	for i := range before {
		assert.Same(t, before[i], after[i])
		assert.Equal(t, torch.Float64, after[i].DType())
	}
	assert.Equal(t, torch.Float64, m.Norm.Mean.DType())
	assert.Equal(t, torch.Int64, m.Norm.Count.DType())
	require.NotNil(t, m.Body.Bias.Grad())
	assert.Equal(t, torch.Float64, m.Body.Bias.Grad().DType())

	w := m.Body.Bias.Float64s()
	opt.Step()
	for i, v := range m.Body.Bias.Float64s() {
		assert.InDelta(t, w[i]-0.5*2, v, 1e-12) // d(sum)/d(bias) = batch size 2
	}
	assert.Error(t, nn.ToDType(m, torch.Int32))
	require.NoError(t, nn.To(m, torch.CPU))
}

// TestTrainEvalReachContainers: Train and Eval reach modules inside a
// ModuleDict and a ModuleList.
func TestTrainEvalReachContainers(t *testing.T) {
	m := newMachine()
	inner := m.Stack[1].(*stats)
	drop := m.Stack[0].(*nn.Dropout)
	nn.Eval(m)
	assert.True(t, m.Norm.eval)
	assert.True(t, inner.eval)
	assert.False(t, drop.IsTraining())
	nn.Train(m)
	assert.False(t, inner.eval)
	assert.True(t, drop.IsTraining())
}

func TestModuleDict(t *testing.T) {
	d := nn.NewModuleDict().Set("b", nn.NewReLU()).Set("a", nn.NewLinear(1, 1))
	d.Set("b", nn.NewFlatten()) // an existing key keeps its place
	assert.Equal(t, []string{"b", "a"}, d.Keys())
	assert.Equal(t, 2, d.Len())
	got, ok := d.Get("b")
	require.True(t, ok)
	assert.IsType(t, &nn.Flatten{}, got)
	d.Delete("b")
	assert.Equal(t, []string{"a"}, d.Keys())
	_, ok = d.Get("b")
	assert.False(t, ok)
	assert.Equal(t, "ModuleDict(\n  (a): Linear(in_features=1, out_features=1, bias=True)\n)", d.String())
	assert.Panics(t, func() { d.Set("x.y", nn.NewReLU()) })
	assert.Equal(t, "ModuleList(\n  (0): ReLU()\n)", nn.NewModuleList(nn.NewReLU()).String())
}

// BenchmarkParameters measures the walk (cached per type) over the
// tutorial's MLP.
func BenchmarkParameters(b *testing.B) {
	m := newMachine()
	for b.Loop() {
		nn.Parameters(m)
	}
}

func typeNameOf(v any) string { return fmt.Sprintf("%T", v) }

package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// names returns the parameter names and shapes of a model.
func names(model any) []string {
	var out []string
	for _, p := range nn.NamedParameters(model) {
		out = append(out, p.Name+" "+p.Tensor.Shape().String())
	}
	return out
}

type block struct {
	Linear *nn.Linear
	Drop   *nn.Dropout
}

type embedded struct {
	*nn.Linear // promoted: "weight", "bias"
	Next       *nn.Linear
}

type tagged struct {
	Encoder  *nn.Linear    `nn:"enc"`
	Scratch  *torch.Tensor `nn:"-"`
	Scale    *torch.Tensor
	private  *nn.Linear
	Config   int
	Missing  *nn.Linear
	NoBias   *nn.Linear
	Children []block
	Layers   nn.Sequential
	Heads    map[string]*nn.Linear
	Pair     [2]*nn.Linear
	Any      any
}

type cyclic struct {
	Layer *nn.Linear
	Self  *cyclic
}

func TestNamedParameters(t *testing.T) {
	torch.ManualSeed(0)
	c := &cyclic{Layer: nn.NewLinear(2, 1)}
	c.Self = c
	shared := nn.NewLinear(3, 3)
	tests := []struct {
		name  string
		model any
		want  []string
	}{
		{"embedded struct promotes its fields", &embedded{Linear: nn.NewLinear(2, 3), Next: nn.NewLinear(3, 1)},
			[]string{"weight torch.Size([3, 2])", "bias torch.Size([3])", "next.weight torch.Size([1, 3])", "next.bias torch.Size([1])"}},
		{"tags, skips, nil fields, slices, Sequential, maps, arrays, interfaces", &tagged{
			Encoder:  nn.NewLinear(4, 2),
			Scratch:  torch.Zeros([]int64{9}),
			Scale:    torch.Ones([]int64{1}),
			private:  nn.NewLinear(1, 1),
			NoBias:   nn.NewLinearNoBias(2, 5),
			Children: []block{{Linear: nn.NewLinear(1, 2), Drop: nn.NewDropout(0.5)}},
			Layers:   nn.NewSequential(nn.NewFlatten(), nn.NewLinear(6, 7), nn.NewReLU()),
			Heads:    map[string]*nn.Linear{"b": nn.NewLinearNoBias(1, 1), "a": nn.NewLinearNoBias(2, 2)},
			Pair:     [2]*nn.Linear{nil, nn.NewLinearNoBias(3, 3)},
			Any:      nn.NewLinearNoBias(4, 4),
		}, []string{
			"scale torch.Size([1])", // a module's own parameters come before its submodules', as in PyTorch
			"enc.weight torch.Size([2, 4])", "enc.bias torch.Size([2])",
			"noBias.weight torch.Size([5, 2])",
			"children.0.linear.weight torch.Size([2, 1])", "children.0.linear.bias torch.Size([2])",
			"layers.1.weight torch.Size([7, 6])", "layers.1.bias torch.Size([7])",
			"heads.a.weight torch.Size([2, 2])", "heads.b.weight torch.Size([1, 1])",
			"pair.1.weight torch.Size([3, 3])",
			"any.weight torch.Size([4, 4])",
		}},
		{"a cycle is walked once", c, []string{"layer.weight torch.Size([1, 2])", "layer.bias torch.Size([1])"}},
		{"a shared layer is listed once, under its first name", nn.NewSequential(shared, nn.NewReLU(), shared),
			[]string{"0.weight torch.Size([3, 3])", "0.bias torch.Size([3])"}},
		{"a model passed by value", embedded{Linear: nn.NewLinearNoBias(1, 1)}, []string{"weight torch.Size([1, 1])"}},
		{"nil model", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, names(tc.model))
		})
	}
}

func TestParametersAreTheModelsOwn(t *testing.T) {
	l := nn.NewLinear(3, 2)
	ps := nn.Parameters(l)
	require.Len(t, ps, 2)
	assert.Same(t, l.Weight, ps[0])
	assert.Same(t, l.Bias, ps[1])
	assert.True(t, ps[0].RequiresGrad())
}

func TestNumParametersAndCounts(t *testing.T) {
	model := &struct {
		Flatten *nn.Flatten
		Layer1  *nn.Linear
		ReLU    *nn.ReLU
		Layer2  *nn.Linear
		Extra   *torch.Tensor
	}{nn.NewFlatten(), nn.NewLinear(784, 128), nn.NewReLU(), nn.NewLinear(128, 10), torch.Zeros([]int64{2, 3})}
	assert.Equal(t, int64(101776), nn.NumParameters(model))
	assert.Equal(t, []nn.ParameterCount{{Layer: "extra", Count: 6}, {Layer: "layer1", Count: 100480}, {Layer: "layer2", Count: 1290}},
		nn.ParameterCounts(model))
	assert.Equal(t, int64(0), nn.NumParameters(nn.NewReLU()))
}

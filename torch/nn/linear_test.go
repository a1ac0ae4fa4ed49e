package nn_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// TestLinearInitMatchesPyTorch checks that, after the same seed, layers
// created in the same order draw bit-identical weights to nn.Linear's; the
// zero-input layer checks that the draws stay in step (PyTorch still draws
// its bias, from U(0, 0): +0 on every libtorch, 2.14 included).
func TestLinearInitMatchesPyTorch(t *testing.T) {
	for _, seed := range []uint64{0, 42, 2024} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			torch.ManualSeed(seed)
			layers := nn.NewSequential(nn.NewLinear(784, 128), nn.NewLinear(128, 10), nn.NewLinearNoBias(5, 3),
				nn.NewLinear(0, 4), nn.NewLinear(7, 2), nn.NewLinear(3072, 128))
			out := tempPath(t, "py.pt")
			pytorch.Run(t, `
import sys, warnings
warnings.simplefilter("ignore")
torch.manual_seed(int(sys.argv[1]))
layers = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.Linear(128, 10), torch.nn.Linear(5, 3, bias=False),
    torch.nn.Linear(0, 4), torch.nn.Linear(7, 2), torch.nn.Linear(3072, 128))
torch.save(layers.state_dict(), sys.argv[2])
`, fmt.Sprint(seed), out)
			want := loadPT(t, out)
			got := nn.StateDict(layers)
			require.Len(t, got, len(want))
			for k, w := range want {
				require.Contains(t, got, k)
				requireBitEqual(t, w, got[k], k)
			}
		})
	}
}

func TestLinearForwardMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(7)
	l := nn.NewLinear(6, 4)
	x := torch.Randn([]int64{5, 6})
	in := savePT(t, map[string]*torch.Tensor{"x": x, "weight": l.Weight.Detach(), "bias": l.Bias.Detach()})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
d = torch.load(sys.argv[1])
l = torch.nn.Linear(6, 4)
l.load_state_dict({"weight": d["weight"], "bias": d["bias"]})
torch.save({"y": l(d["x"]).detach()}, sys.argv[2])
`, in, out)
	requireClose(t, loadPT(t, out)["y"], l.Forward(x), 1e-6, "y")
}

func TestLinear(t *testing.T) {
	l := nn.NewLinear(3, 2)
	assert.Equal(t, "Linear(in_features=3, out_features=2, bias=True)", l.String())
	assert.Equal(t, torch.Size{2, 3}, l.Weight.Shape())
	assert.Equal(t, torch.Size{2}, l.Bias.Shape())
	assert.True(t, l.Weight.RequiresGrad())
	assert.True(t, l.Bias.RequiresGrad())
	assert.Equal(t, int64(3), l.InFeatures())
	assert.Equal(t, int64(2), l.OutFeatures())
	// The bound is 1/sqrt(fan_in) for both tensors (kaiming_uniform with
	// a=sqrt(5) gives the same bound as the bias's).
	for _, p := range nn.Parameters(l) {
		for _, v := range p.Float64s() {
			assert.LessOrEqual(t, v*v, 1.0/3.0)
		}
	}
	y := l.Forward(torch.Ones([]int64{4, 3}))
	assert.Equal(t, torch.Size{4, 2}, y.Shape())

	nb := nn.NewLinearNoBias(3, 2)
	assert.Nil(t, nb.Bias)
	assert.Equal(t, "Linear(in_features=3, out_features=2, bias=False)", nb.String())
	assert.Equal(t, torch.Size{4, 2}, nb.Forward(torch.Ones([]int64{4, 3})).Shape())

	assert.Panics(t, func() { nn.NewLinear(-1, 2) })
	err := torch.Catch(func() { l.Forward(torch.Ones([]int64{4, 5})) })
	require.Error(t, err, "a shape mismatch is libtorch's error")
}

func TestKaimingUniformBound(t *testing.T) {
	w := torch.Empty([]int64{200, 50})
	nn.KaimingUniform_(w, 0) // gain sqrt(2): bound sqrt(6/50)
	var lo, hi float64
	for _, v := range w.Float64s() {
		lo, hi = min(lo, v), max(hi, v)
	}
	assert.InDelta(t, -0.3464, lo, 0.01)
	assert.InDelta(t, 0.3464, hi, 0.01)
	assert.Panics(t, func() { nn.FanIn(torch.Empty([]int64{3})) })
	assert.Equal(t, int64(3*5*5), nn.FanIn(torch.Empty([]int64{8, 3, 5, 5})))
}

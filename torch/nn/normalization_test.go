package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

func TestInstanceNormMatchesPyTorch(t *testing.T) {
	cases := []normCase{
		{"torch.nn.InstanceNorm1d(3)", func() normLayer { return nn.NewInstanceNorm1d(3) }, []int64{4, 3, 6}},
		{"torch.nn.InstanceNorm1d(3, affine=True)", func() normLayer {
			return nn.NewInstanceNorm1d(3, nn.InstanceNormOpts{Affine: true})
		}, []int64{3, 6}}, // unbatched
		{"torch.nn.InstanceNorm1d(3, track_running_stats=True, momentum=0.2)", func() normLayer {
			return nn.NewInstanceNorm1d(3, nn.InstanceNormOpts{TrackRunningStats: true, Momentum: new(0.2)})
		}, []int64{4, 3, 6}},
		{"torch.nn.InstanceNorm2d(3)", func() normLayer { return nn.NewInstanceNorm2d(3) }, []int64{2, 3, 4, 5}},
		{"torch.nn.InstanceNorm2d(3, affine=True, track_running_stats=True)", func() normLayer {
			return nn.NewInstanceNorm2d(3, nn.InstanceNormOpts{Affine: true, TrackRunningStats: true})
		}, []int64{2, 3, 4, 4}},
		{"torch.nn.InstanceNorm2d(2, eps=1e-3, track_running_stats=True)", func() normLayer {
			return nn.NewInstanceNorm2d(2, nn.InstanceNormOpts{Eps: new(1e-3), TrackRunningStats: true})
		}, []int64{2, 4, 4}}, // unbatched
		{"torch.nn.InstanceNorm3d(2, affine=True)", func() normLayer {
			return nn.NewInstanceNorm3d(2, nn.InstanceNormOpts{Affine: true})
		}, []int64{2, 2, 3, 3, 3}},
	}
	errCases := []normErrCase{
		{"torch.nn.InstanceNorm1d(3)", func() normLayer { return nn.NewInstanceNorm1d(3) }, []int64{2, 3, 4, 4}},
		{"torch.nn.InstanceNorm2d(3)", func() normLayer { return nn.NewInstanceNorm2d(3) }, []int64{3, 4}},
		{"torch.nn.InstanceNorm3d(3)", func() normLayer { return nn.NewInstanceNorm3d(3) }, []int64{2, 3, 4}},
		{"torch.nn.InstanceNorm2d(3)", func() normLayer { return nn.NewInstanceNorm2d(3) }, []int64{2, 3, 1, 1}},
	}
	// momentum=None: a TypeError in 1.13's forward, momentum 0.0 in 2.x's.
	momentumNone := func() normLayer { return nn.NewInstanceNorm1d(3, nn.InstanceNormOpts{MomentumNone: true}) }
	if torch.VersionAtLeast(2, 1) {
		cases = append(cases, normCase{"torch.nn.InstanceNorm1d(3, momentum=None)", momentumNone, []int64{2, 3, 4}})
	} else {
		errCases = append(errCases, normErrCase{"torch.nn.InstanceNorm1d(3, momentum=None)", momentumNone, []int64{2, 3, 4}})
	}
	runNormParity(t, cases, errCases)
}

func TestGroupNormMatchesPyTorch(t *testing.T) {
	cases := []normCase{
		{"torch.nn.GroupNorm(2, 4)", func() normLayer { return nn.NewGroupNorm(2, 4) }, []int64{3, 4, 5}},
		{"torch.nn.GroupNorm(1, 3, affine=False)", func() normLayer {
			return nn.NewGroupNorm(1, 3, nn.GroupNormOpts{Affine: new(false)})
		}, []int64{2, 3, 4, 4}},
		{"torch.nn.GroupNorm(3, 6, eps=1e-3)", func() normLayer {
			return nn.NewGroupNorm(3, 6, nn.GroupNormOpts{Eps: new(1e-3)})
		}, []int64{4, 6}},
		{"torch.nn.GroupNorm(6, 6)", func() normLayer { return nn.NewGroupNorm(6, 6) }, []int64{2, 6, 3}},
	}
	errCases := []normErrCase{
		{"torch.nn.GroupNorm(3, 4)", func() normLayer { return nn.NewGroupNorm(3, 4) }, []int64{2, 4}},
		{"torch.nn.GroupNorm(2, 4)", func() normLayer { return nn.NewGroupNorm(2, 4) }, []int64{2, 5, 3}},
		{"torch.nn.GroupNorm(4, 4)", func() normLayer { return nn.NewGroupNorm(4, 4) }, []int64{1, 4}},
	}
	runNormParity(t, cases, errCases)
}

// TestNormFunctionalMatchesPyTorch calls F.InstanceNorm and F.GroupNorm
// directly, with the arguments the modules do not pass, as
// torch.nn.functional.instance_norm and group_norm.
func TestNormFunctionalMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(8)
	x := torch.Randn([]int64{3, 4, 5})
	rm, rv := torch.Randn([]int64{4}), torch.Rand([]int64{4}).AddScalar(torch.Float(0.5))
	w, b := torch.Randn([]int64{4}), torch.Randn([]int64{4})
	in := savePT(t, map[string]*torch.Tensor{"x": x, "rm": rm, "rv": rv, "w": w, "b": b})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
F = torch.nn.functional
d = torch.load(sys.argv[1])
x, w, b = d["x"], d["w"], d["b"]
rm1, rv1 = d["rm"].clone(), d["rv"].clone()
r = {}
r["in"] = F.instance_norm(x)
r["in_stats"] = F.instance_norm(x, rm1, rv1, w, b, momentum=0.3, eps=1e-3)
r["rm1"], r["rv1"] = rm1, rv1
r["in_running"] = F.instance_norm(x, d["rm"], d["rv"], use_input_stats=False)
r["gn"] = F.group_norm(x, 2)
r["gn_affine"] = F.group_norm(x, 4, w, b, eps=0.1)
torch.save(r, sys.argv[2])
`, in, out)
	want := loadPT(t, out)
	rm1, rv1 := rm.Clone(), rv.Clone()
	requireClose(t, want["in"], F.InstanceNorm(x), 1e-5, "instance_norm")
	requireClose(t, want["in_stats"], F.InstanceNorm(x, F.InstanceNormOpts{RunningMean: rm1, RunningVar: rv1, Weight: w, Bias: b,
		Momentum: new(0.3), Eps: new(1e-3)}), 1e-5, "instance_norm with stats")
	requireClose(t, want["rm1"], rm1, 1e-6, "running mean")
	requireClose(t, want["rv1"], rv1, 1e-6, "running var")
	requireClose(t, want["in_running"], F.InstanceNorm(x, F.InstanceNormOpts{RunningMean: rm, RunningVar: rv, UseInputStats: new(false)}),
		1e-5, "instance_norm with running stats")
	requireClose(t, want["gn"], F.GroupNorm(x, 2), 1e-5, "group_norm")
	requireClose(t, want["gn_affine"], F.GroupNorm(x, 4, F.GroupNormOpts{Weight: w, Bias: b, Eps: new(0.1)}), 1e-5, "group_norm affine")
}

func TestGroupNormInstanceNorm(t *testing.T) {
	g := nn.NewGroupNorm(2, 6)
	assert.Equal(t, []float64{1, 1, 1, 1, 1, 1}, g.Weight.Float64s())
	assert.Equal(t, []float64{0, 0, 0, 0, 0, 0}, g.Bias.Float64s())
	assert.Len(t, nn.Parameters(g), 2)
	torch.NoGrad(func() { g.Weight.FillScalar_(torch.Float(2)) })
	g.ResetParameters()
	assert.Equal(t, []float64{1, 1, 1, 1, 1, 1}, g.Weight.Float64s())
	assert.Nil(t, nn.NewGroupNorm(2, 6, nn.GroupNormOpts{Affine: new(false)}).Weight)

	err := torch.Catch(func() { nn.NewGroupNorm(4, 6) })
	require.ErrorIs(t, err, torch.ErrValue)
	assert.Contains(t, err.Error(), "num_channels must be divisible by num_groups")
	require.Error(t, torch.Catch(func() { nn.NewGroupNorm(0, 6) }), "Python's ZeroDivisionError")

	in := nn.NewInstanceNorm2d(3)
	assert.Equal(t, "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", in.String())
	assert.Nil(t, in.Weight)
	assert.Nil(t, in.RunningMean)
	assert.Empty(t, nn.StateDict(in))
	tracked := nn.NewInstanceNorm1d(3, nn.InstanceNormOpts{TrackRunningStats: true})
	assert.Len(t, nn.StateDict(tracked), 3, "running_mean, running_var, num_batches_tracked")
	assert.Empty(t, nn.Parameters(tracked))
	// Instance norm counts no batches (PyTorch's F.instance_norm leaves
	// num_batches_tracked alone).
	tracked.Forward(torch.Randn([]int64{2, 3, 4}))
	assert.Equal(t, int64(0), tracked.NumBatchesTracked.ItemInt())
	assert.NotEqual(t, []float64{0, 0, 0}, tracked.RunningMean.Float64s())
}

package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

func TestFlatten(t *testing.T) {
	x := torch.Zeros([]int64{2, 3, 4, 5})
	for _, tc := range []struct {
		name  string
		f     *nn.Flatten
		shape torch.Size
		repr  string
	}{
		{"default keeps the batch dimension", nn.NewFlatten(), torch.Size{2, 60}, "Flatten(start_dim=1, end_dim=-1)"},
		{"zero value is the default", &nn.Flatten{}, torch.Size{2, 60}, "Flatten(start_dim=1, end_dim=-1)"},
		{"all", nn.NewFlattenDims(0, -1), torch.Size{120}, "Flatten(start_dim=0, end_dim=-1)"},
		{"middle", nn.NewFlattenDims(1, 2), torch.Size{2, 12, 5}, "Flatten(start_dim=1, end_dim=2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.shape, tc.f.Forward(x).Shape())
			assert.Equal(t, tc.repr, tc.f.String())
		})
	}
}

func TestReLUAndSequential(t *testing.T) {
	x := torch.FromSlice([]float32{-1, 0, 2, -3, 4, 5}, 1, 2, 3)
	assert.Equal(t, []float32{0, 0, 2, 0, 4, 5}, nn.NewReLU().Forward(x).Float32s())
	assert.Equal(t, "ReLU()", nn.NewReLU().String())

	lin := nn.NewLinearNoBias(6, 1)
	torch.NoGrad(func() { lin.Weight.FillScalar_(torch.Int(1)) })
	seq := nn.NewSequential(nn.NewFlatten(), nn.NewReLU(), lin)
	assert.Equal(t, []float32{11}, seq.Forward(x).Float32s())
	assert.Equal(t, "Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n  (1): ReLU()\n  (2): Linear(in_features=6, out_features=1, bias=False)\n)", seq.String())
	seq = append(seq, nn.NewReLU())
	assert.Len(t, seq, 4)
	assert.Equal(t, []string{"2.weight torch.Size([1, 6])"}, names(seq))
}

// TestSequentialMatchesPyTorch builds the same nn.Sequential on both sides
// from one seed: same names, same weights, same outputs.
func TestSequentialMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(9)
	seq := nn.NewSequential(nn.NewFlatten(), nn.NewLinear(12, 6), nn.NewReLU(), nn.NewDropout(0.5), nn.NewLinear(6, 2))
	nn.Eval(seq)
	x := torch.Randn([]int64{4, 3, 4})
	in, out := savePT(t, map[string]*torch.Tensor{"x": x}), tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
torch.manual_seed(9)
seq = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 6), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(6, 2))
seq.eval()
res = dict(seq.state_dict())
res["y"] = seq(torch.load(sys.argv[1])["x"]).detach()
torch.save(res, sys.argv[2])
`, in, out)
	want := loadPT(t, out)
	got := nn.StateDict(seq)
	require.Len(t, want, len(got)+1)
	for k, v := range got {
		requireBitEqual(t, want[k], v, k)
	}
	requireClose(t, want["y"], seq.Forward(x), 1e-6, "y")
}

type withDropout struct {
	Layer   *nn.Linear
	Drop    *nn.Dropout
	Blocks  []nn.Sequential
	Trained bool `nn:"-"`
}

// SetTraining shows a model joining Train/Eval itself.
func (m *withDropout) SetTraining(training bool) { m.Trained = training }

func TestTrainEval(t *testing.T) {
	m := &withDropout{Layer: nn.NewLinear(2, 2), Drop: nn.NewDropout(0.5), Blocks: []nn.Sequential{{nn.NewReLU(), nn.NewDropout(0.2)}}}
	inner := m.Blocks[0][1].(*nn.Dropout)
	assert.True(t, m.Drop.IsTraining(), "a new Dropout trains, as in PyTorch")
	assert.True(t, (&nn.Dropout{P: 0.1}).IsTraining(), "so does the zero value")

	nn.Eval(m)
	assert.False(t, m.Drop.IsTraining())
	assert.False(t, inner.IsTraining())
	assert.False(t, m.Trained)
	x := torch.Ones([]int64{1000})
	assert.Equal(t, x.Float32s(), m.Drop.Forward(x).Float32s(), "evaluation passes x through")

	nn.Train(m)
	assert.True(t, m.Drop.IsTraining())
	assert.True(t, inner.IsTraining())
	assert.True(t, m.Trained)
	torch.ManualSeed(0)
	y := m.Drop.Forward(x).Float32s()
	zeros := 0
	for _, v := range y {
		if v == 0 {
			zeros++
		} else {
			assert.Equal(t, float32(2), v, "survivors are scaled by 1/(1-p)")
		}
	}
	assert.InDelta(t, 500, zeros, 80)

	assert.Equal(t, "Dropout(p=0.5, inplace=False)", m.Drop.String())
	assert.Panics(t, func() { nn.NewDropout(1.5) })
}

func TestZeroGrad(t *testing.T) {
	m := newMLP()
	backward := func() {
		m.Forward(torch.Randn([]int64{4, 12})).Sum().Backward()
	}
	backward()
	for _, p := range nn.Parameters(m) {
		require.NotNil(t, p.Grad())
	}
	nn.ZeroGradFill(m)
	for _, p := range nn.Parameters(m) {
		g := p.Grad()
		require.NotNil(t, g, "zero-filled gradients keep their memory")
		assert.Equal(t, 0.0, g.Abs().Sum().Item())
	}
	backward()
	nn.ZeroGrad(m)
	for _, p := range nn.Parameters(m) {
		assert.Nil(t, p.Grad(), "set to None, as PyTorch 2's default")
	}
}

func TestTo(t *testing.T) {
	m := newMLP()
	params := nn.Parameters(m)
	require.NoError(t, nn.To(m, torch.CPU))
	for i, p := range nn.Parameters(m) {
		assert.Same(t, params[i], p, "a parameter already on the device is kept")
	}
	// A model passed by value cannot have its fields replaced.
	byValue := struct{ Layer nn.Linear }{*nn.NewLinear(2, 2)}
	require.NoError(t, nn.To(byValue, torch.CPU), "nothing to replace")
	if torch.CUDACompiled() {
		require.ErrorContains(t, nn.To(byValue, torch.CUDA(0)), "pass a pointer")
	}
	if !torch.CUDACompiled() {
		err := nn.To(m, torch.CUDA(0))
		require.EqualError(t, err, "nn: To(cuda:0): this libtorch was built without CUDA (see scripts/install_libtorch.sh)")
		for i, p := range nn.Parameters(m) {
			assert.Same(t, params[i], p, "a failed move leaves the model as it was")
			assert.Equal(t, torch.CPU, p.Device())
		}
	}
}

// fakeOptimizer reports a fixed state size.
type fakeOptimizer int64

func (f fakeOptimizer) StateBytes() int64 { return int64(f) }

func TestMemoryReport(t *testing.T) {
	m := &struct {
		Layer1 *nn.Linear
		Layer2 *nn.Linear
		Half   *torch.Tensor
	}{nn.NewLinear(784, 128), nn.NewLinear(128, 10), torch.Zeros([]int64{10}, torch.WithDType(torch.Float16))}
	r := nn.MemoryReport(m, nil)
	assert.Equal(t, nn.MemoryUsage{Parameters: 407080 + 20}, r)
	m.Layer2.Forward(m.Layer1.Forward(torch.Randn([]int64{2, 784}))).Sum().Backward()
	r = nn.MemoryReport(m, fakeOptimizer(99))
	assert.Equal(t, nn.MemoryUsage{Parameters: 407100, Gradients: 407080, OptimizerState: 99}, r)
	assert.Equal(t, int64(814279), r.Total())
	assert.Equal(t, "parameters 407100 B, gradients 407080 B, optimizer state 99 B, total 814279 B", r.String())
	assert.NotNil(t, m.Layer1.Weight.Grad(), "measuring leaves the gradients in place")
	assert.Equal(t, r, nn.MemoryReport(m, fakeOptimizer(99)))
}

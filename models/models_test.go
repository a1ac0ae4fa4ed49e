package models_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// pyModels imports the tutorial's classes, as it writes them, from
// scripts/reference/tutorial.py (pytorch.Run puts it on PYTHONPATH).
const pyModels = `
import sys
from tutorial import MNISTModel, CIFAR10Model
`

type model interface {
	Forward(*torch.Tensor) *torch.Tensor
}

// TestModelsMatchTutorial builds each model after the same seed in Go and
// in Python: the same state_dict keys, bit-identical initial weights, and
// the same outputs on the same images.
func TestModelsMatchTutorial(t *testing.T) {
	for _, tc := range []struct {
		name   string
		seed   uint64
		make   func() model
		py     string
		images []int64
	}{
		{"MNISTModel", 42, func() model { return models.NewMNISTModel() }, "MNISTModel()", []int64{4, 1, 28, 28}},
		{"CIFAR10Model", 7, func() model {
			return models.NewCIFAR10Model(models.CIFAR10InputSize, models.CIFAR10HiddenSize, models.CIFAR10NumClasses)
		}, "CIFAR10Model()", []int64{4, 3, 32, 32}},
		{"CIFAR10Model(3072, 64, 5)", 1, func() model { return models.NewCIFAR10Model(3072, 64, 5) }, "CIFAR10Model(3072, 64, 5)", []int64{2, 3, 32, 32}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			torch.ManualSeed(tc.seed)
			m := tc.make()
			x := torch.Randn(tc.images)
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.pt"), filepath.Join(dir, "out.pt")
			require.NoError(t, torch.Save(map[string]*torch.Tensor{"x": x}, in))
			pytorch.Run(t, pyModels+fmt.Sprintf(`
torch.manual_seed(%d)
model = %s
res = dict(model.state_dict())
res["output"] = model(torch.load(sys.argv[1])["x"]).detach()
torch.save(res, sys.argv[2])
`, tc.seed, tc.py), in, out)
			want, err := torch.Load(out)
			require.NoError(t, err)
			got := nn.StateDict(m)
			require.Len(t, want, len(got)+1)
			for k, v := range got {
				w := want[k]
				require.NotNil(t, w, "PyTorch has no %q", k)
				require.Equal(t, w.Shape(), v.Shape(), k)
				assert.Equal(t, w.Bytes(), v.Bytes(), "%s: initial weights are bit-identical", k)
			}
			assertClose(t, want["output"], m.Forward(x))
		})
	}
}

// TestTrainedInGoRunsInPython trains MNISTModel in Go, saves it, and runs it
// in the tutorial's Python class; then the other way round.
func TestTrainedInGoRunsInPython(t *testing.T) {
	torch.ManualSeed(3)
	m := models.NewMNISTModel()
	opt, err := optim.NewAdam(nn.Parameters(m), optim.AdamOptions{LR: 0.01})
	require.NoError(t, err)
	lossFn := nn.NewCrossEntropyLoss()
	for range 5 {
		opt.ZeroGrad()
		lossFn.Forward(m.Forward(torch.Randn([]int64{16, 1, 28, 28})), torch.RandInt(0, 10, []int64{16})).Backward()
		opt.Step()
	}
	x := torch.Randn([]int64{3, 1, 28, 28})
	dir := t.TempDir()
	weights, in, out, pyWeights := filepath.Join(dir, "go.pt"), filepath.Join(dir, "x.pt"), filepath.Join(dir, "y.pt"), filepath.Join(dir, "py.pt")
	require.NoError(t, nn.Save(m, weights))
	require.NoError(t, torch.Save(map[string]*torch.Tensor{"x": x}, in))
	pytorch.Run(t, pyModels+`
model = MNISTModel()
model.load_state_dict(torch.load(sys.argv[1]))
x = torch.load(sys.argv[2])["x"]
torch.save({"y": model(x).detach()}, sys.argv[3])
torch.manual_seed(8)
trained = MNISTModel()
opt = torch.optim.SGD(trained.parameters(), lr=0.1, momentum=0.9)
for _ in range(5):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(trained(torch.randn(16, 1, 28, 28)), torch.randint(0, 10, (16,))).backward()
    opt.step()
torch.save(trained.state_dict(), sys.argv[4])
torch.save({"y": model(x).detach(), "y_py": trained(x).detach()}, sys.argv[3])
`, weights, in, out, pyWeights)
	ys, err := torch.Load(out)
	require.NoError(t, err)
	assertClose(t, ys["y"], m.Forward(x))

	fromPython := models.NewMNISTModel()
	require.NoError(t, nn.Load(fromPython, pyWeights))
	assertClose(t, ys["y_py"], fromPython.Forward(x))
}

func assertClose(t *testing.T, want, got *torch.Tensor) {
	t.Helper()
	w, g := want.Float64s(), got.Float64s()
	require.Len(t, g, len(w))
	for i := range w {
		require.InDelta(t, w[i], g[i], 1e-6, "[%d]", i)
	}
}

func TestParameterCounts(t *testing.T) {
	mnist := models.NewMNISTModel()
	assert.Equal(t, int64(101770), nn.NumParameters(mnist))
	assert.Equal(t, []nn.ParameterCount{{Layer: "layer1", Count: 100480}, {Layer: "layer2", Count: 1290}}, nn.ParameterCounts(mnist))
	cifar := models.NewCIFAR10Model(3072, 128, 10)
	assert.Equal(t, int64(394634), nn.NumParameters(cifar))
	assert.Equal(t, []nn.ParameterCount{{Layer: "fc1", Count: 393344}, {Layer: "fc2", Count: 1290}}, nn.ParameterCounts(cifar))
	assert.Equal(t, torch.Size{5, 10}, mnist.Forward(torch.Zeros([]int64{5, 1, 28, 28})).Shape())
	assert.Equal(t, torch.Size{5, 10}, cifar.Forward(torch.Zeros([]int64{5, 3, 32, 32})).Shape())
}

// TestMemoryReport measures the tutorial's memory breakdown for MNISTModel
// from the live tensors: 101,770 float32 parameters are 407,080 bytes, their
// gradients as many, and Adam's two moments twice that.
func TestMemoryReport(t *testing.T) {
	m := models.NewMNISTModel()
	for _, tc := range []struct {
		name string
		make func() (optim.Optimizer, error)
		want nn.MemoryUsage
	}{
		{"Adam", func() (optim.Optimizer, error) { return optim.NewAdam(nn.Parameters(m), optim.AdamOptions{LR: 0.001}) },
			nn.MemoryUsage{Parameters: 407080, Gradients: 407080, OptimizerState: 814160}},
		{"SGD", func() (optim.Optimizer, error) { return optim.NewSGD(nn.Parameters(m), optim.SGDOptions{LR: 0.01}) },
			nn.MemoryUsage{Parameters: 407080, Gradients: 407080, OptimizerState: 0}},
		{"SGD with momentum", func() (optim.Optimizer, error) {
			return optim.NewSGD(nn.Parameters(m), optim.SGDOptions{LR: 0.01, Momentum: 0.9})
		}, nn.MemoryUsage{Parameters: 407080, Gradients: 407080, OptimizerState: 407080}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := tc.make()
			require.NoError(t, err)
			opt.ZeroGrad()
			assert.Equal(t, nn.MemoryUsage{Parameters: 407080}, nn.MemoryReport(m, opt), "before the first step")
			nn.NewCrossEntropyLoss().Forward(m.Forward(torch.Randn([]int64{64, 1, 28, 28})), torch.RandInt(0, 10, []int64{64})).Backward()
			opt.Step()
			assert.Equal(t, tc.want, nn.MemoryReport(m, opt))
			opt.ZeroGrad()
			assert.Zero(t, nn.MemoryReport(m, opt).Gradients, "zero_grad(set_to_none=True) frees the gradients")
		})
	}
}

// BenchmarkTrainStep times one full training step of MNISTModel on a batch
// of 64 with Adam: zero_grad, forward, loss, backward, step. The same step
// in Python and in C++ is in scripts/bench_train_step.{py,cpp};
// scripts/bench_train_step.sh runs all three with the intra-op thread count
// that $GOTORCH_BENCH_THREADS sets here (default: torch's, one per core).
func BenchmarkTrainStep(b *testing.B) {
	if s := os.Getenv("GOTORCH_BENCH_THREADS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("GOTORCH_BENCH_THREADS=%q: expected a positive number of threads", s)
		}
		prev := torch.GetNumThreads()
		torch.SetNumThreads(n)
		defer torch.SetNumThreads(prev)
	}
	torch.ManualSeed(0)
	m := models.NewMNISTModel()
	opt, err := optim.NewAdam(nn.Parameters(m), optim.AdamOptions{LR: 0.001})
	if err != nil {
		b.Fatal(err)
	}
	lossFn := nn.NewCrossEntropyLoss()
	images := torch.Randn([]int64{64, 1, 28, 28})
	labels := torch.RandInt(0, 10, []int64{64})
	step := func() {
		opt.ZeroGrad()
		out := m.Forward(images)
		loss := lossFn.Forward(out, labels)
		loss.Backward()
		opt.Step()
		out.Free()
		loss.Free()
	}
	for range 10 {
		step() // warm up: allocate Adam's state and the allocator's caches
	}
	b.ResetTimer()
	for b.Loop() {
		step()
	}
}

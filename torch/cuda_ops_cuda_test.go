package torch_test

import (
	"fmt"
	"math"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/cudatest"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// The tests in the *_cuda_test.go files run where libcgotorch.so was built
// against a CUDA libtorch and a GPU is visible; elsewhere they skip, saying
// why. scripts/gpu_check.sh sets GOTORCH_REQUIRE_CUDA=1, which turns the skip
// into a failure, so that a GPU run cannot pass by skipping them.

// requireCUDA is cudatest.Require.
func requireCUDA(t *testing.T) torch.Device { return cudatest.Require(t) }

// assertSameTensor checks that got (on any device) holds want's shape, dtype
// and values: exactly for integers and booleans, and within a few float32
// rounding steps for floating-point values, since CUDA's kernels may round
// transcendental functions and reductions differently from the CPU's.
func assertSameTensor(t *testing.T, want, got *torch.Tensor, msg string) {
	t.Helper()
	require.Equal(t, want.Shape(), got.Shape(), msg)
	require.Equal(t, want.DType(), got.DType(), msg)
	w, g := want.Float64s(), got.Float64s()
	if !want.DType().IsFloatingPoint() {
		assert.Equal(t, w, g, msg)
		return
	}
	for i := range w {
		if tol := 1e-5 * math.Max(1, math.Abs(w[i])); !(math.Abs(w[i]-g[i]) <= tol) {
			t.Errorf("%s: element %d: CPU %v, CUDA %v (tolerance %g)", msg, i, w[i], g[i], tol)
			return
		}
	}
}

func toDevice(in inputs, d torch.Device) inputs {
	return inputs{a: in.a.To(d), b: in.b.To(d), c: in.c.To(d), m: in.m.To(d), p: in.p.To(d), x: in.x.To(d), idx: in.idx.To(d)}
}

// usesInputs tells an op case that reads the inputs from one that makes a
// tensor from nothing (torch.zeros(2, 3)), which is made on the CPU whatever
// device the inputs are on.
var usesInputs = regexp.MustCompile(`\b(a|b|c|m|p|x|idx)\b`)

// TestCUDAOpsMatchCPU runs every op case of ops_test.go (the foundation's
// ops, checked there against PyTorch) on inputs on the GPU, and compares
// each result with the same case on the CPU.
func TestCUDAOpsMatchCPU(t *testing.T) {
	dev := requireCUDA(t)
	cpuIn := newInputs()
	gpuIn := toDevice(cpuIn, dev)
	for _, c := range opCases {
		t.Run(c.py, func(t *testing.T) {
			want := c.go_(cpuIn)
			var got *torch.Tensor
			require.NoError(t, torch.Catch(func() { got = c.go_(gpuIn) }))
			if usesInputs.MatchString(c.py) {
				assert.Equal(t, dev, got.Device(), "an op on CUDA inputs must leave its result on CUDA")
			} else {
				assert.Equal(t, torch.CPU, got.Device(), "made without inputs: on the CPU, as in PyTorch")
			}
			assertSameTensor(t, want, got.CPU(), c.py)
		})
	}
}

// TestCUDACreation makes tensors directly on the GPU: the deterministic ones
// equal their CPU twins, the random ones have the right device, shape, dtype
// and range.
func TestCUDACreation(t *testing.T) {
	dev := requireCUDA(t)
	on := torch.WithDevice(dev)
	for name, mk := range map[string]func(opts ...torch.Option) *torch.Tensor{
		"zeros": func(o ...torch.Option) *torch.Tensor { return torch.Zeros([]int64{2, 3}, o...) },
		"ones int64": func(o ...torch.Option) *torch.Tensor {
			return torch.Ones([]int64{4}, append(o, torch.WithDType(torch.Int64))...)
		},
		"full":   func(o ...torch.Option) *torch.Tensor { return torch.Full([]int64{2, 2}, torch.Float(7.5), o...) },
		"scalar": func(o ...torch.Option) *torch.Tensor { return torch.Full(nil, torch.Float(-2.25), o...) },
		"arange": func(o ...torch.Option) *torch.Tensor { return torch.Arange(0, 5, 1, o...) },
		"arange f64": func(o ...torch.Option) *torch.Tensor {
			return torch.Arange(0, 1, 0.25, append(o, torch.WithDType(torch.Float64))...)
		},
		"bool": func(o ...torch.Option) *torch.Tensor {
			return torch.Ones([]int64{3}, append(o, torch.WithDType(torch.Bool))...)
		},
		"zeros_like": func(o ...torch.Option) *torch.Tensor { return torch.ZerosLike(torch.Ones([]int64{2, 5}, o...)) },
		"ones_like":  func(o ...torch.Option) *torch.Tensor { return torch.OnesLike(torch.Zeros([]int64{3, 1}, o...)) },
	} {
		got := mk(on)
		assert.Equal(t, dev, got.Device(), name)
		assertSameTensor(t, mk(), got, name)
	}
	e := torch.Empty([]int64{3, 4}, on)
	assert.Equal(t, dev, e.Device())
	assert.Equal(t, torch.Size{3, 4}, e.Shape())
	w := torch.Zeros([]int64{2}, on, torch.WithRequiresGrad())
	assert.True(t, w.RequiresGrad())
	assert.Equal(t, dev, w.Device())

	u := torch.Rand([]int64{1000}, on)
	assert.Equal(t, dev, u.Device())
	assert.GreaterOrEqual(t, u.Min().Item(), 0.0, "rand is in [0, 1)")
	assert.Less(t, u.Max().Item(), 1.0, "rand is in [0, 1)")
	n := torch.Randn([]int64{10000}, on)
	assert.InDelta(t, 0, n.Mean().Item(), 0.05)
	ri := torch.RandInt(3, 7, []int64{1000}, on)
	assert.Equal(t, torch.Int64, ri.DType())
	assert.Equal(t, dev, ri.Device())
	assert.GreaterOrEqual(t, ri.Min().Item(), 3.0)
	assert.LessOrEqual(t, ri.Max().Item(), 6.0)
	perm := torch.RandPerm(50, on)
	assert.Equal(t, dev, perm.Device())
	sorted := make([]bool, 50)
	for _, v := range perm.Int64s() {
		sorted[v] = true
	}
	assert.NotContains(t, sorted, false, "randperm is a permutation of 0..49")
}

// TestCUDASeedMatchesPython: torch.ManualSeed seeds the CUDA generators too,
// and they draw what Python's torch draws on the GPU after the same seed.
func TestCUDASeedMatchesPython(t *testing.T) {
	dev := requireCUDA(t)
	var want struct {
		CUDA    bool      `json:"cuda"`
		Rand    []float64 `json:"rand"`
		Randn   []float64 `json:"randn"`
		RandInt []int64   `json:"randint"`
		Uniform []float64 `json:"uniform"`
	}
	pytorch.JSON(t, `import json
if not torch.cuda.is_available():
    print(json.dumps({'cuda': False}))
else:
    torch.manual_seed(42)
    r = torch.rand(5, device='cuda').tolist()
    n = torch.randn(2, 3, device='cuda').flatten().tolist()
    i = torch.randint(0, 60000, size=(4,), device='cuda').tolist()
    u = torch.empty(3, device='cuda').uniform_(-0.5, 0.5).tolist()
    print(json.dumps({'cuda': True, 'rand': r, 'randn': n, 'randint': i, 'uniform': u}))`, &want)
	if !want.CUDA {
		t.Skip("the reference Python's torch has no CUDA: set GOTORCH_PYTHON to a python whose torch has CUDA")
	}
	on := torch.WithDevice(dev)
	torch.ManualSeed(42)
	assert.Equal(t, want.Rand, torch.Rand([]int64{5}, on).Float64s())
	assert.Equal(t, want.Randn, torch.Randn([]int64{2, 3}, on).Float64s())
	assert.Equal(t, want.RandInt, torch.RandInt(0, 60000, []int64{4}, on).Int64s())
	assert.Equal(t, want.Uniform, torch.Empty([]int64{3}, on).Uniform_(torch.UniformOpts{From: -0.5, To: new(float64(0.5))}).Float64s())
}

// TestCUDATransfers moves tensors of every element type to the GPU and back,
// through pinned memory, between GPUs where there are two, and checks that
// an op mixing devices is an error, not a crash.
func TestCUDATransfers(t *testing.T) {
	dev := requireCUDA(t)
	for _, src := range []*torch.Tensor{
		torch.FromSlice([]float32{1.5, -2, 3.25, 1e-30, 7}, 5),
		torch.FromSlice([]float64{math.Pi, -1e300, 0}, 3),
		torch.FromSlice([]int64{1 << 60, -3, 0, 42}, 2, 2),
		torch.FromSlice([]int32{-7, 8}),
		torch.FromSlice([]int16{-7, 8}),
		torch.FromSlice([]int8{-7, 8}),
		torch.FromSlice([]uint8{0, 255, 128}),
		torch.FromSlice([]bool{true, false, true}),
		torch.FromSlice([]float32{0.5, -1.25, 65504}).ToDType(torch.Float16),
		torch.FromSlice([]float32{0.5, -1.25, 3e38}).ToDType(torch.BFloat16),
		torch.Arange(0, 12, 1).Reshape(3, 4).T(), // not contiguous
	} {
		name := fmt.Sprintf("%v %v", src.DType(), src.Shape())
		g := src.To(dev)
		assert.Equal(t, dev, g.Device(), name)
		assert.Equal(t, src.DType(), g.DType(), name)
		assert.Equal(t, src.Shape(), g.Shape(), name)
		// read straight from the GPU, and after the way back
		assert.Equal(t, src.Bytes(), g.Bytes(), name)
		back := g.CPU()
		assert.Equal(t, torch.CPU, back.Device(), name)
		assert.Equal(t, src.Bytes(), back.Bytes(), name)
	}

	// Pinned memory and non-blocking copies, finished by Synchronize.
	src := torch.Arange(0, 1<<20, 1, torch.WithDType(torch.Float32))
	pinned := src.PinMemory()
	g := pinned.ToNonBlocking(dev)
	require.NoError(t, cuda.Synchronize(dev.Index))
	assert.Equal(t, src.Bytes(), g.Bytes())
	back := torch.Empty([]int64{1 << 20}).PinMemory()
	back.Copy_(g.MulScalar(torch.Int(2)))
	require.NoError(t, cuda.Synchronize(dev.Index))
	assert.Equal(t, src.MulScalar(torch.Int(2)).Bytes(), back.Bytes(), "doubling is exact in float32")

	t.Run("between GPUs", func(t *testing.T) {
		if cuda.DeviceCount() < 2 {
			t.Skipf("needs two CUDA devices; this machine has %d", cuda.DeviceCount())
		}
		one := torch.CUDA(1)
		x := torch.Randn([]int64{64, 32}, torch.WithDevice(dev))
		y := x.To(one)
		assert.Equal(t, one, y.Device())
		assert.Equal(t, x.Bytes(), y.Bytes())
		assert.Equal(t, x.Bytes(), y.To(dev).Bytes())
		err := torch.Catch(func() { x.Add(y) })
		require.Error(t, err, "cuda:0 + cuda:1")
	})

	// A CPU tensor and a GPU tensor in one op: libtorch's error, as a value.
	cpu := torch.Ones([]int64{3})
	err := torch.Catch(func() { cpu.Add(cpu.To(dev)).Sum() })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "device")
	assert.Equal(t, 3.0, cpu.Sum().Item(), "the process goes on")
}

// TestCUDAAutograd: gradients computed on the GPU live on the GPU and equal
// the CPU's; a hand-written SGD step updates the weights in place there.
func TestCUDAAutograd(t *testing.T) {
	dev := requireCUDA(t)

	// TestAutograd's sequence, on the GPU.
	w := torch.FromSlice([]float32{1, 2, 3}).To(dev).SetRequiresGrad(true)
	x := torch.FromSlice([]float32{4, 5, 6}).To(dev)
	assert.Nil(t, w.Grad())
	w.Mul(x).Sum().Backward()
	require.NotNil(t, w.Grad())
	assert.Equal(t, dev, w.Grad().Device())
	assert.Equal(t, []float32{4, 5, 6}, w.Grad().Float32s())
	w.Mul(x).Sum().Backward()
	assert.Equal(t, []float32{8, 10, 12}, w.Grad().Float32s(), "gradients accumulate")
	w.Grad().Zero_()
	assert.Equal(t, []float32{0, 0, 0}, w.Grad().Float32s())
	w.ClearGrad()
	assert.Nil(t, w.Grad())
	torch.NoGrad(func() { assert.False(t, w.MulScalar(torch.Int(2)).RequiresGrad()) })
	y := w.PowTensorScalar(torch.Int(2))
	y.BackwardWith(torch.Ones([]int64{3}, torch.WithDevice(dev)), false)
	assert.Equal(t, []float32{2, 4, 6}, w.Grad().Float32s())

	// A linear classifier's loss and gradients, then three SGD steps, on
	// both devices from the same numbers.
	torch.ManualSeed(7)
	w0 := torch.Randn([]int64{10, 20}).MulScalar(torch.Float(0.1))
	b0 := torch.Zeros([]int64{10})
	xs := torch.Randn([]int64{32, 20})
	labels := torch.RandInt(0, 10, []int64{32})
	type run struct{ w, b, loss *torch.Tensor }
	train := func(d torch.Device) run {
		// Clone first: To(CPU) of a CPU tensor is the tensor itself, which
		// the in-place steps below would change for the other run.
		w := w0.Clone().To(d).SetRequiresGrad(true)
		b := b0.Clone().To(d).SetRequiresGrad(true)
		x, yl := xs.To(d), labels.To(d)
		var loss *torch.Tensor
		for range 3 {
			w.ClearGrad()
			b.ClearGrad()
			loss = torch.CrossEntropyLoss(torch.Linear(x, w, b).Relu(), yl)
			loss.Backward()
			require.Equal(t, d, w.Grad().Device())
			torch.NoGrad(func() {
				w.Add_(w.Grad(), torch.AddOpts{Alpha: new(torch.Float(-0.5))})
				b.Add_(b.Grad(), torch.AddOpts{Alpha: new(torch.Float(-0.5))})
			})
		}
		return run{w, b, loss}
	}
	onCPU, onGPU := train(torch.CPU), train(dev)
	assert.Equal(t, dev, onGPU.w.Device())
	assert.True(t, onGPU.w.RequiresGrad(), "an in-place update under NoGrad keeps the leaf")
	assertSameTensor(t, onCPU.loss, onGPU.loss.CPU(), "loss")
	assertSameTensor(t, onCPU.w, onGPU.w.CPU(), "weight after 3 steps")
	assertSameTensor(t, onCPU.b, onGPU.b.CPU(), "bias after 3 steps")
	assertSameTensor(t, onCPU.w.Grad(), onGPU.w.Grad().CPU(), "weight gradient")
}

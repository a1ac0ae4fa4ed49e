package optim_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/cudatest"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// requireCUDA is cudatest.Require.
func requireCUDA(t *testing.T) torch.Device { return cudatest.Require(t) }

// blockBytes is what the CUDA caching allocator takes for a tensor of n
// bytes: multiples of 512, at least 512 (kMinBlockSize).
func blockBytes(n int64) int64 { return max(512, (n+511)/512*512) }

// TestCUDAOptimizerStepMatchesCPU trains copies of the same network on the
// CPU and on the GPU with each optimizer and compares the parameters: the
// update rules run on CUDA tensors, in place, and their state lives there.
func TestCUDAOptimizerStepMatchesCPU(t *testing.T) {
	dev := requireCUDA(t)
	for _, c := range []struct {
		name string
		make func(*net) (optim.Optimizer, error)
	}{
		{"SGD", sgd(optim.SGDOptions{LR: 0.1})},
		{"SGD momentum nesterov weight_decay", sgd(optim.SGDOptions{LR: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01})},
		{"Adam", adam(optim.AdamOptions{LR: 1e-2})},
		{"Adam amsgrad weight_decay", adam(optim.AdamOptions{LR: 1e-2, AMSGrad: true, WeightDecay: 0.1})},
		// every other optimizer with its richest option set of the parity test
		{"AdamW amsgrad", configNamed("adamw_amsgrad").make},
		{"RMSprop centered momentum", configNamed("rmsprop_centered_momentum").make},
		{"Adagrad lr_decay", configNamed("adagrad_decay_init").make},
		{"Adadelta", configNamed("adadelta_rho_wd").make},
		{"Adamax", configNamed("adamax_custom").make},
		{"NAdam", configNamed("nadam_custom").make},
		{"RAdam", configNamed("radam_custom").make},
	} {
		t.Run(c.name, func(t *testing.T) {
			torch.ManualSeed(3)
			cpuNet := newNet()
			gpuNet := newNet()
			require.NoError(t, nn.LoadStateDict(gpuNet, nn.StateDict(cpuNet), true))
			require.NoError(t, nn.To(gpuNet, dev))
			for _, p := range nn.Parameters(gpuNet) {
				require.Equal(t, dev, p.Device())
				require.True(t, p.RequiresGrad())
			}
			cpuOpt, err := c.make(cpuNet)
			require.NoError(t, err)
			gpuOpt, err := c.make(gpuNet)
			require.NoError(t, err)
			lossFn := nn.NewCrossEntropyLoss()
			for range 5 {
				x := torch.Randn([]int64{8, 10})
				y := torch.RandInt(0, 4, []int64{8})
				for _, s := range []struct {
					net *net
					opt optim.Optimizer
					d   torch.Device
				}{{cpuNet, cpuOpt, torch.CPU}, {gpuNet, gpuOpt, dev}} {
					s.opt.ZeroGrad()
					lossFn.Forward(s.net.Forward(x.To(s.d)), y.To(s.d)).Backward()
					s.opt.Step()
				}
			}
			want, got := nn.NamedParameters(cpuNet), nn.NamedParameters(gpuNet)
			require.Len(t, got, len(want))
			for i := range want {
				assert.Equal(t, dev, got[i].Tensor.Device(), want[i].Name)
				assert.InDeltaSlice(t, want[i].Tensor.Float64s(), got[i].Tensor.Float64s(), 1e-5, want[i].Name)
			}
			// the unused layer never had a gradient: untouched, no state
			assert.Equal(t, cpuOpt.StateBytes(), gpuOpt.StateBytes())
		})
	}
}

// TestCUDATrainingLoopLeavesNothingBehind trains the tutorial's MNISTModel
// with Adam for 1000 steps on the GPU, written as a user writes it: no Free
// anywhere. Once the collector has run, CUDA's allocated figure must be back
// to the model + gradients + Adam state, to the byte.
func TestCUDATrainingLoopLeavesNothingBehind(t *testing.T) {
	dev := requireCUDA(t)
	// cuBLAS keeps a workspace per (OS thread, stream), taken from the
	// caching allocator and counted in memory_allocated. Keeping this
	// goroutine on one thread keeps that to the workspaces made in warm-up:
	// this thread's for the forward pass, the autograd engine's for backward.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	on := torch.WithDevice(dev)
	lossFn := nn.NewCrossEntropyLoss()
	step := func(model *models.MNISTModel, opt optim.Optimizer, batch int64) {
		images := torch.Randn([]int64{batch, 1, 28, 28}, on)
		labels := torch.RandInt(0, 10, []int64{batch}, on)
		opt.ZeroGrad()
		loss := lossFn.Forward(model.Forward(images), labels)
		loss.Backward()
		opt.Step()
	}
	newRun := func() (*models.MNISTModel, optim.Optimizer) {
		model := models.NewMNISTModel()
		require.NoError(t, nn.To(model, dev))
		opt, err := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 1e-3})
		require.NoError(t, err)
		return model, opt
	}

	// Warm-up with a throwaway model, so that the one-off allocations
	// (cuBLAS workspaces) exist before the figure the test starts from.
	func() {
		model, opt := newRun()
		step(model, opt, 64)
	}()
	base := torch.Collect(torch.CUDA(dev.Index))

	model, opt := newRun()
	step(model, opt, 64)
	afterOne := torch.Collect(torch.CUDA(dev.Index))
	var want int64
	for _, p := range nn.Parameters(model) {
		g := p.Grad()
		require.NotNil(t, g)
		// parameter, gradient, exp_avg, exp_avg_sq
		want += blockBytes(p.Nbytes()) + blockBytes(g.Nbytes()) + 2*blockBytes(p.Nbytes())
		g.Free()
	}
	usage := nn.MemoryReport(model, opt)
	t.Logf("after one step: %v; CUDA allocated %d B above the warm-up figure", usage, afterOne-base)
	assert.Equal(t, want, afterOne-base, "one step: model + gradients + Adam state (in 512-byte blocks)")

	require.NoError(t, cuda.ResetPeakMemoryStats(dev.Index))
	const steps = 1000
	for range steps - 1 {
		step(model, opt, 64)
	}
	require.NoError(t, cuda.Synchronize(dev.Index))
	peak := cuda.MaxMemoryAllocated(dev.Index)
	after := torch.Collect(torch.CUDA(dev.Index))
	t.Logf("%d steps: CUDA allocated peak %.1f MiB above the settled figure (dropped tensors awaiting the collector)",
		steps, float64(peak-after)/(1<<20))
	assert.Equal(t, afterOne, after, "after %d steps nothing is left behind on the GPU", steps)
	for _, p := range nn.Parameters(model) {
		assert.Equal(t, dev, p.Device())
	}
	runtime.KeepAlive(opt)
}

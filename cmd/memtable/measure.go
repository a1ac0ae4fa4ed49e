package main

import (
	"github.com/seed0eaa3131/gotorch/internal/trainer"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// modelSpec is what the table needs to know of a model: how to build it,
// the shape of one input image and the width of its hidden layer (the
// tutorial's estimate of the intermediates is batch x hidden float32s).
type modelSpec struct {
	name    string
	c, h, w int64
	hidden  int64
	build   func() trainer.Model
}

var specs = map[string]modelSpec{
	"mnist": {name: "MNISTModel", c: 1, h: 28, w: 28, hidden: 128,
		build: func() trainer.Model { return models.NewMNISTModel() }},
	"cifar10": {name: "CIFAR10Model", c: 3, h: 32, w: 32, hidden: models.CIFAR10HiddenSize,
		build: func() trainer.Model {
			return models.NewCIFAR10Model(models.CIFAR10InputSize, models.CIFAR10HiddenSize, models.CIFAR10NumClasses)
		}},
}

// row is one batch size's measurement. Every figure is in bytes and comes
// from the allocator's counters, relative to what was allocated before the
// model was built, except Memory, which sums the live tensors' sizes.
type row struct {
	Batch int
	// Memory is nn.MemoryReport after the warm-up step: parameters,
	// gradients and optimizer state from the tensors themselves.
	Memory nn.MemoryUsage
	// Baseline is allocated after the warm-up step, before the batch
	// exists: what steady-state training holds between steps.
	Baseline int64
	// Input is the growth of allocated when the batch (images [B, C, H, W]
	// float32 and labels [B] int64) is created on the device.
	Input int64
	// BackwardPeak is the peak of allocated during zero_grad, forward,
	// loss and backward; StepPeak, during optimizer.step.
	BackwardPeak, StepPeak int64
}

// Peak is the step's peak total: max_memory_allocated over the step.
func (r row) Peak() int64 { return max(r.BackwardPeak, r.StepPeak) }

// Intermediates is what the step needs on top of the baseline and the
// input: activations, autograd's saved tensors, temporaries of the
// backward pass and of the optimizer.
func (r row) Intermediates() int64 { return r.Peak() - r.Baseline - r.Input }

// ForwardBackward is the same as Intermediates for the forward and
// backward passes alone: the activations, autograd's saved tensors and
// their gradients, without the optimizer's temporaries.
func (r row) ForwardBackward() int64 { return r.BackwardPeak - r.Baseline - r.Input }

// PeakIn names the phase where the peak was reached.
func (r row) PeakIn() string {
	if r.StepPeak > r.BackwardPeak {
		return "optimizer.step"
	}
	return "forward/backward"
}

// measure builds a fresh model and optimizer on device and measures one
// training step on a random batch of b images, as trainer.Loop takes it:
// zero_grad (set_to_none), forward, cross entropy, backward, step. Every
// tensor it made is freed before it returns, so the next batch size starts
// from the same allocated figure.
func measure(spec modelSpec, c *config, device torch.Device, b int) (row, error) {
	r := row{Batch: b}
	torch.Collect(device)
	zero := torch.MemoryAllocated(device)

	torch.ManualSeed(c.seed)
	model := spec.build()
	if err := nn.To(model, device); err != nil {
		return r, err
	}
	params := nn.Parameters(model)
	defer func() {
		for _, p := range params {
			p.Free()
		}
		torch.Collect(device)
	}()
	var opt optim.Optimizer
	var err error
	switch c.optimizer {
	case "adam":
		opt, err = optim.NewAdam(params, optim.AdamOptions{LR: 1e-3})
	default:
		opt, err = optim.NewSGD(params, optim.SGDOptions{LR: 1e-2, Momentum: c.momentum})
	}
	if err != nil {
		return r, err
	}
	lossFn := nn.NewCrossEntropyLoss()
	step := func(x, y *torch.Tensor) (out, loss *torch.Tensor) {
		opt.ZeroGrad()
		out = model.Forward(x)
		loss = lossFn.Forward(out, y)
		loss.Backward()
		return out, loss
	}

	// Warm-up: after one step the gradients and the optimizer's state
	// exist, as they do between any two steps of a training run (and a
	// GPU's libraries have made their workspaces).
	x, y := batch(spec, device, b)
	out, loss := step(x, y)
	opt.Step()
	torch.FreeAll(x, y, out, loss)
	torch.Collect(device)
	r.Memory = nn.MemoryReport(model, opt)
	r.Baseline = torch.MemoryAllocated(device) - zero

	// The input: what the loader's batch costs once it is on the device.
	before := torch.MemoryAllocated(device)
	x, y = batch(spec, device, b)
	r.Input = torch.MemoryAllocated(device) - before

	// The measured step, in two phases so that the table can say where
	// the peak is: ResetPeakMemoryStats sets the peak to the current
	// figure, so the larger of the two is the step's peak.
	torch.ResetPeakMemoryStats(device)
	out, loss = step(x, y)
	r.BackwardPeak = torch.MaxMemoryAllocated(device) - zero
	torch.ResetPeakMemoryStats(device)
	opt.Step()
	r.StepPeak = torch.MaxMemoryAllocated(device) - zero
	torch.FreeAll(x, y, out, loss)
	return r, nil
}

// batch makes a random batch on device: images [b, C, H, W] float32 and
// labels [b] int64 in 0..9, what a DataLoader yields after .to(device).
func batch(spec modelSpec, device torch.Device, b int) (x, y *torch.Tensor) {
	x = torch.Randn([]int64{int64(b), spec.c, spec.h, spec.w}, torch.WithDevice(device))
	y = torch.RandInt(0, 10, []int64{int64(b)}, torch.WithDevice(device))
	return x, y
}

// Package optim holds optimizers that update parameters from their
// gradients: PyTorch's torch.optim.
//
// SGD and Adam follow PyTorch 1.13's single-tensor update rules
// (torch/optim/sgd.py _single_tensor_sgd and adam.py _single_tensor_adam,
// the code path Python takes by default on the CPU) operation for operation,
// with the same in-place tensor ops in the same order, so the same weights
// and batches give the same parameters as Python's optimizer.
//
// One parameter group: every parameter shares the optimizer's options, and
// SetLR changes the learning rate of all of them (optimizer.param_groups[0]
// ['lr'] = lr in Python).
package optim

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Optimizer is what a training loop needs of an optimizer:
// torch.optim.Optimizer.
type Optimizer interface {
	// Step updates the parameters from their gradients: optimizer.step().
	// Parameters without a gradient are left alone.
	Step()
	// ZeroGrad drops the parameters' gradients: optimizer.zero_grad(),
	// whose set_to_none=True is the default since PyTorch 2.0.
	ZeroGrad()
	// LR is the learning rate: optimizer.param_groups[0]['lr'].
	LR() float64
	// SetLR changes the learning rate for the next steps, as a scheduler
	// does: optimizer.param_groups[0]['lr'] = lr.
	SetLR(lr float64)
	// StateBytes is the memory the optimizer's state tensors hold.
	StateBytes() int64
	// Parameters are the tensors the optimizer updates:
	// optimizer.param_groups[0]['params'].
	Parameters() []*torch.Tensor
}

// checkParams validates a parameter list as torch.optim.Optimizer's
// constructor does, and returns a copy the caller cannot change under us.
func checkParams(name string, params []*torch.Tensor) ([]*torch.Tensor, error) {
	if len(params) == 0 {
		return nil, fmt.Errorf("optim: %s: optimizer got an empty parameter list", name)
	}
	seen := make(map[*torch.Tensor]int, len(params))
	for i, p := range params {
		if p == nil {
			return nil, fmt.Errorf("optim: %s: parameter %d is nil", name, i)
		}
		if j, dup := seen[p]; dup {
			return nil, fmt.Errorf("optim: %s: parameter %d is parameter %d again; each tensor must appear once", name, i, j)
		}
		seen[p] = i
		if !p.DType().IsFloatingPoint() {
			return nil, fmt.Errorf("optim: %s: parameter %d has dtype %v: expected a floating-point tensor", name, i, p.DType())
		}
	}
	return append([]*torch.Tensor(nil), params...), nil
}

// zeroGrad clears (setToNone) or zero-fills each parameter's gradient.
func zeroGrad(params []*torch.Tensor, setToNone bool) {
	for _, p := range params {
		if setToNone {
			p.ClearGrad()
		} else {
			if g := p.Grad(); g != nil {
				g.Zero_()
				g.Free()
			}
		}
	}
}

// stateBytes sums the storage of the non-nil tensors.
func stateBytes(ts ...[]*torch.Tensor) int64 {
	var n int64
	for _, list := range ts {
		for _, t := range list {
			if t != nil {
				n += t.Nbytes()
			}
		}
	}
	return n
}

// freeAll releases temporaries at once rather than at the next collection,
// so that a training loop's native memory stays flat and small.
func freeAll(ts []*torch.Tensor) {
	for _, t := range ts {
		t.Free()
	}
}

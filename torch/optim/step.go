package optim

import "github.com/seed0eaa3131/gotorch/torch"

// temps are a parameter's temporaries in a step, freed at once when its
// update is done rather than at the next collection, so that a training
// loop's native memory stays flat and small.
type temps []*torch.Tensor

// add keeps ts for freeing after the update.
func (t *temps) add(ts ...*torch.Tensor) { *t = append(*t, ts...) }

// forEach is what optimizer.step() does around PyTorch's _single_tensor_*
// function, under torch.NoGrad, for each group in turn:
//
//   - as PyTorch's step, it makes the missing state (c.newState) of every
//     parameter with a gradient before updating any, so that the allocator
//     sees the same sequence (and the same peak) as Python's;
//   - then for each of those parameters, in order, it calls update with
//     the parameter's group, its gradient (negated when the group
//     maximizes: grad = -grad if maximize else grad), its state, and the
//     temps to free, and frees them after update returns: the gradient
//     handle, its negation, then what update added, in that order.
//
// Parameters without a gradient are left alone.
func (c *core[S]) forEach(update func(g *ParamGroup, p, grad *torch.Tensor, s *S, tmp *temps)) {
	torch.NoGrad(func() {
		for _, g := range c.groups {
			params, grads := withGrad(g)
			states := make([]*S, len(params))
			for i, p := range params {
				states[i] = c.stateFor(p, g)
			}
			for i, p := range params {
				tmp := temps{grads[i]}
				grad := grads[i]
				if g.Maximize {
					grad = grad.Neg()
					tmp.add(grad)
				}
				update(g, p, grad, states[i], &tmp)
				torch.FreeAll(tmp...) // at once, not at the next collection: flat native memory
				c.persist(states[i])  // made or replaced in update, inside a caller's torch.Scope maybe
			}
		}
	})
}

// stateFor returns p's state, creating it (c.newState) if p has none.
func (c *core[S]) stateFor(p *torch.Tensor, g *ParamGroup) *S {
	s := c.state[p]
	if s == nil {
		s = c.newState(p, g)
		c.state[p] = s
	}
	return s
}

// l2Grad is the L2 penalty: grad.add(param, alpha=weight_decay) when the
// group's weight_decay is not 0 (a new tensor, added to tmp), else grad.
func l2Grad(g *ParamGroup, p, grad *torch.Tensor, tmp *temps) *torch.Tensor {
	if g.WeightDecay == 0 {
		return grad
	}
	grad = grad.Add(p, alpha(g.WeightDecay))
	tmp.add(grad)
	return grad
}

// decayedGrad is the weight decay of NAdam and RAdam when weight_decay is
// not 0: the parameter decayed as AdamW's (decayParam) with
// decoupled_weight_decay, and grad returned as is, else l2Grad.
func decayedGrad(g *ParamGroup, p, grad *torch.Tensor, tmp *temps) *torch.Tensor {
	if g.WeightDecay != 0 && g.DecoupledWeightDecay {
		decayParam(g, p)
		return grad
	}
	return l2Grad(g, p, grad, tmp)
}

// decayParam is the decoupled (stepweight) decay of AdamW:
// param.mul_(1 - lr * weight_decay). float64() keeps Go from fusing the
// product into one multiply-add, which Python does not do.
func decayParam(g *ParamGroup, p *torch.Tensor) {
	p.MulScalar_(scalar(1 - float64(g.LR*g.WeightDecay)))
}

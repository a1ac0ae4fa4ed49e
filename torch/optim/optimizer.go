// Package optim holds optimizers that update parameters from their
// gradients: PyTorch's torch.optim.
//
// SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam and RAdam
// follow PyTorch's single-tensor update rules (the _single_tensor_*
// functions of torch/optim/*.py, the code path Python takes by default on
// the CPU, foreach=None) operation for operation, with the same tensor ops
// in the same order and the same float64 arithmetic on the Python side's
// numbers (C's pow, as Python's **), so the same weights and gradients give
// the same parameters as Python's optimizer, bit for bit.
//
// # PyTorch 1.13 and 2.x
//
// The rules follow the release of the linked libtorch (torch.Version()), as
// its Python twin computes them. Where 2.x differs from 1.13:
//
//   - Adam, AdamW, Adamax, NAdam, RAdam: exp_avg.lerp_(grad, 1 - beta1) in
//     2.x for 1.13's exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1), and
//     RMSprop's centered grad_avg likewise (the same value to a rounding);
//   - Adam, AdamW, RAdam: x ** 0.5 for math.sqrt(x) on Python floats;
//   - Adamax: torch.maximum(..., out=exp_inf) for 1.13's cat and amax (the
//     same values);
//   - NAdam: 1.13's second step size uses mu_product * mu_t * mu_{t+1}, with
//     mu_t twice; 2.0 fixed it to mu_product * mu_{t+1}: a different update;
//   - NAdam and RAdam gained decoupled_weight_decay and maximize in 2.x; Go
//     has them on every libtorch (NAdamOptions, RAdamOptions);
//   - the step counts are float32 tensors in 2.x's state_dict, where 1.13's
//     RMSprop and Adadelta keep Python ints (StateDict writes each
//     release's form);
//   - 2.x adds options for other code paths (foreach, capturable,
//     differentiable, fused) that do not change the CPU update; Go has none
//     of them. SGD's lr has a default (1e-3) since 2.x; SGDOptions.LR stays
//     required, as in 1.13.
//
// # Parameter groups
//
// Each constructor comes in two forms, as torch.optim's takes either
// parameters or dicts of parameter groups:
//
//	opt, err := optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: 0.1, Momentum: 0.9})
//
//	// torch.optim.SGD([{'params': weights}, {'params': biases, 'weight_decay': 0.0}],
//	//                 lr=0.1, momentum=0.9, weight_decay=1e-4)
//	opt, err := optim.NewSGDGroups([]optim.Group{
//		{Params: weights},
//		{Params: biases, WeightDecay: new(0.0)},
//	}, optim.SGDOptions{LR: 0.1, Momentum: 0.9, WeightDecay: 1e-4})
//
// A Group's nil fields take the options' values, as a dict's missing keys
// take the defaults in add_param_group. ParamGroups returns the live groups
// (optimizer.param_groups): a learning-rate scheduler, or any caller,
// changes a group's LR or other hyperparameters there between steps.
// AddParamGroup is optimizer.add_param_group.
//
// # State
//
// StateDict and LoadStateDict are optimizer.state_dict() and
// load_state_dict(); Save and Load write and read them as torch.save files
// of flat keys ("state.0.exp_avg", "param_groups.0.lr"); see StateDict.
package optim

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Optimizer is what a training loop or a learning-rate scheduler needs of
// an optimizer: torch.optim.Optimizer.
type Optimizer interface {
	// Step updates the parameters from their gradients: optimizer.step().
	// Parameters without a gradient are left alone.
	Step()
	// ZeroGrad drops the parameters' gradients: optimizer.zero_grad(),
	// whose set_to_none=True is the default since PyTorch 2.0.
	ZeroGrad()
	// LR is the learning rate of the first group:
	// optimizer.param_groups[0]['lr'].
	LR() float64
	// SetLR changes the learning rate of every group for the next steps:
	// for g in optimizer.param_groups: g['lr'] = lr.
	SetLR(lr float64)
	// ParamGroups are the live parameter groups: optimizer.param_groups.
	// Changing a field of one changes the next Step.
	ParamGroups() []*ParamGroup
	// StateBytes is the memory the optimizer's state tensors hold.
	StateBytes() int64
	// Parameters are the tensors the optimizer updates, every group's in
	// order.
	Parameters() []*torch.Tensor
	// StateDict is optimizer.state_dict().
	StateDict() *StateDict
	// LoadStateDict is optimizer.load_state_dict(sd).
	LoadStateDict(sd *StateDict) error
}

// core is what every optimizer shares: its groups, its per-parameter state
// S, and how to build, validate and save them.
type core[S any] struct {
	name string
	keys []key // the optimizer's hyperparameters, in PyTorch's order of param_groups keys
	// newKeys are the bool keys of keys that PyTorch 1.13's optimizer
	// lacks: StateDict leaves them out on 1.13 while they are false.
	newKeys  []key
	defaults ParamGroup // the constructor's options
	// lrRequired: a group must set LR when defaults has none (SGD).
	lrRequired bool
	validate   func(g *ParamGroup) error
	groups     []*ParamGroup
	state      map[*torch.Tensor]*S
	// newState makes the state of parameter p of group g, before p's first
	// update (Adagrad's, in the constructor).
	newState func(p *torch.Tensor, g *ParamGroup) *S
	// step is where the state keeps its step count ("step"), nil for
	// SGD's, which has none; intStep: PyTorch 1.13 keeps it as a Python
	// int (RMSprop, Adadelta).
	step    func(s *S) *float64
	intStep bool
	// fields are the state's tensors under PyTorch's names: StateDict
	// saves them (see save), LoadStateDict builds a state from them (see
	// load), and StateBytes counts them.
	fields []stateField[S]
}

// errorf prefixes an error with the optimizer's name.
func (c *core[S]) errorf(format string, args ...any) error {
	return fmt.Errorf("optim: %s: "+format, append([]any{c.name}, args...)...)
}

// init validates the options and adds the groups: the constructor of
// torch.optim.Optimizer.
func (c *core[S]) init(groups []Group) error {
	c.state = map[*torch.Tensor]*S{}
	if err := c.validate(&c.defaults); err != nil {
		return c.errorf("%v", err)
	}
	if len(groups) == 0 || len(groups) == 1 && len(groups[0].Params) == 0 {
		return c.errorf("optimizer got an empty parameter list")
	}
	for _, g := range groups {
		if err := c.AddParamGroup(g); err != nil {
			return err
		}
	}
	return nil
}

// AddParamGroup is optimizer.add_param_group(param_group): it appends a
// group whose unset fields take the optimizer's options. The parameters
// must be floating-point tensors, each in one group only.
func (c *core[S]) AddParamGroup(spec Group) error {
	i := len(c.groups)
	g := c.defaults
	g.Params = nil
	if err := spec.apply(&g, c.keys); err != nil {
		return c.errorf("param group %d: %v", i, err)
	}
	if c.lrRequired && spec.LR == nil && c.defaults.LR == 0 {
		return c.errorf("parameter group didn't specify a value of required optimization parameter lr")
	}
	if err := c.validate(&g); err != nil {
		return c.errorf("param group %d: %v", i, err)
	}
	seen := map[*torch.Tensor]int{}
	for j, p := range spec.Params {
		if p == nil {
			return c.errorf("parameter %d is nil", j)
		}
		if k, dup := seen[p]; dup {
			return c.errorf("parameter %d is parameter %d again; each tensor must appear once", j, k)
		}
		seen[p] = j
		if !p.DType().IsFloatingPoint() {
			return c.errorf("parameter %d has dtype %v: expected a floating-point tensor", j, p.DType())
		}
		if !p.IsLeaf() {
			return c.errorf("parameter %d: can't optimize a non-leaf Tensor", j)
		}
	}
	for _, other := range c.groups {
		for _, p := range other.Params {
			if _, ok := seen[p]; ok {
				return c.errorf("some parameters appear in more than one parameter group")
			}
		}
	}
	g.Params = append([]*torch.Tensor(nil), spec.Params...)
	c.groups = append(c.groups, &g)
	return nil
}

// ParamGroups is optimizer.param_groups: the live groups, whose fields the
// caller may change between steps.
func (c *core[S]) ParamGroups() []*ParamGroup { return append([]*ParamGroup(nil), c.groups...) }

// LR is optimizer.param_groups[0]['lr'].
func (c *core[S]) LR() float64 { return c.groups[0].LR }

// SetLR sets every group's learning rate: for g in optimizer.param_groups:
// g['lr'] = lr. It applies from the next Step.
func (c *core[S]) SetLR(lr float64) {
	for _, g := range c.groups {
		g.LR = lr
	}
}

// Parameters are the parameters of every group, in order.
func (c *core[S]) Parameters() []*torch.Tensor { return allParams(c.groups) }

// ZeroGrad drops the gradients: optimizer.zero_grad() (set_to_none=True,
// PyTorch 2's default).
func (c *core[S]) ZeroGrad() { zeroGrad(allParams(c.groups), true) }

// ZeroGradFill fills the gradients with zeros, keeping their memory:
// optimizer.zero_grad(set_to_none=False), PyTorch 1.13's default.
func (c *core[S]) ZeroGradFill() { zeroGrad(allParams(c.groups), false) }

// stateBytes sums the bytes of the state tensors.
func (c *core[S]) stateBytes() int64 {
	var n int64
	for _, s := range c.state {
		n += stateBytes(c.tensors(s))
	}
	return n
}

// withGrad returns the group's parameters that have a gradient, and the
// gradients (new handles the caller frees).
func withGrad(g *ParamGroup) (params, grads []*torch.Tensor) {
	for _, p := range g.Params {
		if grad := p.Grad(); grad != nil {
			params = append(params, p)
			grads = append(grads, grad)
		}
	}
	return params, grads
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

// scalar is a Python float as an op's Scalar argument.
func scalar(v float64) torch.Scalar { return torch.Float(v) }

// alpha is the alpha= of add/sub.
func alpha(v float64) torch.AddOpts { return torch.AddOpts{Alpha: new(torch.Float(v))} }

// nonNegative is PyTorch's `if not 0.0 <= v: raise ValueError(...)`.
func nonNegative(v float64, what string) error {
	if !(v >= 0) {
		return fmt.Errorf("Invalid %s: %v", what, v)
	}
	return nil
}

// betasValid is Adam's check of betas.
func betasValid(b [2]float64) error {
	for i, v := range b {
		if !(v >= 0 && v < 1) {
			return fmt.Errorf("Invalid beta parameter at index %d: %v", i, v)
		}
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

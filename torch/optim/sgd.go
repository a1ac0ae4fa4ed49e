package optim

import (
	"errors"

	"github.com/seed0eaa3131/gotorch/torch"
)

// SGDOptions are torch.optim.SGD's arguments. LR is required, as in
// PyTorch 1.13 (which has no default learning rate for SGD); the others
// default to zero and false, as in PyTorch.
type SGDOptions struct {
	LR          float64 // lr
	Momentum    float64 // momentum
	Dampening   float64 // dampening
	WeightDecay float64 // weight_decay (L2 penalty)
	Nesterov    bool    // nesterov
	Maximize    bool    // maximize
}

// SGD is stochastic gradient descent, with optional momentum, Nesterov
// momentum and weight decay: torch.optim.SGD.
type SGD struct {
	core[sgdState]
}

// sgdState is state[p]: the momentum buffer, nil until the parameter's
// first step with momentum.
type sgdState struct{ momentumBuffer *torch.Tensor }

// sgdKeys are SGD's param_groups keys.
var sgdKeys = []key{kLR, kMomentum, kDampening, kWeightDecay, kNesterov, kMaximize}

// NewSGD is torch.optim.SGD(params, lr=..., momentum=..., dampening=...,
// weight_decay=..., nesterov=..., maximize=...). It holds the tensors it
// is given, which nn.To and nn.ToDType keep (they swap the data, not the
// tensor), so it may be built before or after moving the model.
func NewSGD(params []*torch.Tensor, opts SGDOptions) (*SGD, error) {
	if opts.LR == 0 {
		return nil, errors.New("optim: SGD: SGDOptions.LR is required (torch.optim.SGD has no default learning rate)")
	}
	return NewSGDGroups([]Group{{Params: params}}, opts)
}

// NewSGDGroups is torch.optim.SGD([{'params': ..., 'lr': ...}, ...],
// lr=..., ...): one parameter group per Group, whose unset fields take
// opts'. opts.LR may be 0 when every group sets its LR.
func NewSGDGroups(groups []Group, opts SGDOptions) (*SGD, error) {
	o := &SGD{core[sgdState]{
		name: "SGD", keys: sgdKeys, lrRequired: true,
		defaults: ParamGroup{LR: opts.LR, Momentum: opts.Momentum, Dampening: opts.Dampening,
			WeightDecay: opts.WeightDecay, Nesterov: opts.Nesterov, Maximize: opts.Maximize},
		validate: validateSGD,
		newState: func(*torch.Tensor, *ParamGroup) *sgdState { return &sgdState{} },
		fields: []stateField[sgdState]{
			{name: "momentum_buffer", at: func(s *sgdState) **torch.Tensor { return &s.momentumBuffer },
				required: func(*ParamGroup) bool { return false }},
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

func validateSGD(g *ParamGroup) error {
	if g.Nesterov && (g.Momentum <= 0 || g.Dampening != 0) {
		return errors.New("Nesterov momentum requires a momentum and zero dampening")
	}
	return firstErr(nonNegative(g.LR, "learning rate"), nonNegative(g.Momentum, "momentum value"),
		nonNegative(g.WeightDecay, "weight_decay value"))
}

// Step is optimizer.step(), PyTorch 1.13's _single_tensor_sgd, for each
// group in turn:
//
//	d_p = grad (+ weight_decay * param)
//	buf = d_p on the first step, else buf * momentum + (1 - dampening) * d_p
//	d_p = d_p + momentum * buf (nesterov) or buf
//	param -= lr * d_p
func (o *SGD) Step() {
	o.forEach(func(g *ParamGroup, p, dp *torch.Tensor, s *sgdState, tmp *temps) {
		dp = l2Grad(g, p, dp, tmp)
		if g.Momentum != 0 {
			buf := s.momentumBuffer
			if buf == nil {
				buf = dp.Clone() // torch.clone(d_p).detach(); NoGrad records nothing
				s.momentumBuffer = buf
			} else {
				buf.MulScalar_(scalar(g.Momentum)).Add_(dp, alpha(1-g.Dampening))
			}
			if g.Nesterov {
				dp = dp.Add(buf, alpha(g.Momentum))
				tmp.add(dp)
			} else {
				dp = buf
			}
		}
		p.Add_(dp, alpha(-g.LR))
	})
}

// Options returns the first group's options (param_groups[0]).
func (o *SGD) Options() SGDOptions {
	g := o.groups[0]
	return SGDOptions{LR: g.LR, Momentum: g.Momentum, Dampening: g.Dampening, WeightDecay: g.WeightDecay,
		Nesterov: g.Nesterov, Maximize: g.Maximize}
}

// StateBytes is the memory of the momentum buffers: 0 for plain SGD, one
// parameter-sized buffer per parameter with momentum once it has stepped.
// A nil *SGD holds nothing.
func (o *SGD) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

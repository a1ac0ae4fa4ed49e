package optim

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// AdadeltaOptions are torch.optim.Adadelta's arguments. A zero LR or Eps
// means PyTorch's default: lr=1.0, eps=1e-6; a nil Rho rho=0.9.
type AdadeltaOptions struct {
	LR          float64  // lr: scales the update; default 1.0
	Rho         *float64 // rho: the decay rate of the running averages; default 0.9
	Eps         float64  // eps
	WeightDecay float64  // weight_decay (L2 penalty)
	Maximize    bool     // maximize
}

// Adadelta is torch.optim.Adadelta (Zeiler).
type Adadelta struct {
	core[adadeltaState]
}

type adadeltaState struct {
	step      float64       // state['step']: an int in PyTorch 1.13, a float32 tensor in 2.x
	squareAvg *torch.Tensor // state['square_avg']
	accDelta  *torch.Tensor // state['acc_delta']
}

var adadeltaKeys = []key{kLR, kRho, kEps, kWeightDecay, kMaximize}

// NewAdadelta is torch.optim.Adadelta(params, lr=..., rho=..., eps=...,
// weight_decay=..., maximize=...).
func NewAdadelta(params []*torch.Tensor, opts AdadeltaOptions) (*Adadelta, error) {
	return NewAdadeltaGroups([]Group{{Params: params}}, opts)
}

// NewAdadeltaGroups is torch.optim.Adadelta([{'params': ..., ...}, ...],
// ...): one parameter group per Group, whose unset fields take opts'.
func NewAdadeltaGroups(groups []Group, opts AdadeltaOptions) (*Adadelta, error) {
	d := ParamGroup{LR: opts.LR, Rho: 0.9, Eps: opts.Eps, WeightDecay: opts.WeightDecay, Maximize: opts.Maximize}
	if d.LR == 0 {
		d.LR = 1
	}
	if opts.Rho != nil {
		d.Rho = *opts.Rho
	}
	if d.Eps == 0 {
		d.Eps = 1e-6
	}
	o := &Adadelta{core[adadeltaState]{
		name: "Adadelta", keys: adadeltaKeys, defaults: d,
		validate: func(g *ParamGroup) error {
			var rho error
			if !(g.Rho >= 0 && g.Rho <= 1) {
				rho = fmt.Errorf("Invalid rho value: %v", g.Rho)
			}
			return firstErr(nonNegative(g.LR, "learning rate"), rho, nonNegative(g.Eps, "epsilon value"),
				nonNegative(g.WeightDecay, "weight_decay value"))
		},
		newState: func(p *torch.Tensor, _ *ParamGroup) *adadeltaState {
			return &adadeltaState{squareAvg: torch.ZerosLike(p), accDelta: torch.ZerosLike(p)}
		},
		step: func(s *adadeltaState) *float64 { return &s.step }, intStep: true,
		fields: []stateField[adadeltaState]{
			field("square_avg", func(s *adadeltaState) **torch.Tensor { return &s.squareAvg }),
			field("acc_delta", func(s *adadeltaState) **torch.Tensor { return &s.accDelta }),
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch's _single_tensor_adadelta, for each
// group in turn:
//
//	g = grad (+ weight_decay * param)
//	v = rho * v + (1 - rho) * g * g
//	delta = sqrt(u + eps) / sqrt(v + eps) * g
//	u = rho * u + (1 - rho) * delta * delta
//	param -= lr * delta
func (o *Adadelta) Step() {
	o.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *adadeltaState, tmp *temps) {
		rho := g.Rho
		s.step++
		grad = l2Grad(g, p, grad, tmp)
		s.squareAvg.MulScalar_(scalar(rho)).Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(scalar(1 - rho))})
		std := s.squareAvg.AddScalar(scalar(g.Eps)).Sqrt_()
		delta := s.accDelta.AddScalar(scalar(g.Eps)).Sqrt_()
		delta.Div_(std).Mul_(grad)
		s.accDelta.MulScalar_(scalar(rho)).Addcmul_(delta, delta, torch.AddcmulOpts{Value: new(scalar(1 - rho))})
		p.Add_(delta, alpha(-g.LR))
		tmp.add(std, delta)
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *Adadelta) Options() AdadeltaOptions {
	g := o.groups[0]
	return AdadeltaOptions{LR: g.LR, Rho: new(g.Rho), Eps: g.Eps, WeightDecay: g.WeightDecay, Maximize: g.Maximize}
}

// StateBytes is the memory of square_avg and acc_delta. A nil *Adadelta
// holds nothing.
func (o *Adadelta) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

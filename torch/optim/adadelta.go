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
		save: func(s *adadeltaState) map[string]*torch.Tensor {
			return map[string]*torch.Tensor{"step": stepSaved(s.step), "square_avg": s.squareAvg, "acc_delta": s.accDelta}
		},
		load: func(p *torch.Tensor, _ *ParamGroup, m map[string]*torch.Tensor) (*adadeltaState, error) {
			var s adadeltaState
			var errs [3]error
			s.step, errs[0] = stateStep(m)
			s.squareAvg, errs[1] = stateTensor(m, "square_avg", p, true)
			s.accDelta, errs[2] = stateTensor(m, "acc_delta", p, true)
			return &s, firstErr(errs[:]...)
		},
		tensors: func(s *adadeltaState) []*torch.Tensor { return []*torch.Tensor{s.squareAvg, s.accDelta} },
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
	torch.NoGrad(func() {
		for _, g := range o.groups {
			params, grads := withGrad(g)
			states := make([]*adadeltaState, len(params))
			for i, p := range params {
				states[i] = o.stateFor(p, func() *adadeltaState {
					return &adadeltaState{squareAvg: torch.ZerosLike(p), accDelta: torch.ZerosLike(p)}
				})
				states[i].step++
			}
			rho := g.Rho
			for i, p := range params {
				s := states[i]
				temps := []*torch.Tensor{grads[i]}
				grad := grads[i]
				if g.Maximize {
					grad = grad.Neg()
					temps = append(temps, grad)
				}
				if g.WeightDecay != 0 {
					grad = grad.Add(p, alpha(g.WeightDecay))
					temps = append(temps, grad)
				}
				s.squareAvg.MulScalar_(scalar(rho)).Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(scalar(1 - rho))})
				std := s.squareAvg.AddScalar(scalar(g.Eps)).Sqrt_()
				delta := s.accDelta.AddScalar(scalar(g.Eps)).Sqrt_()
				delta.Div_(std).Mul_(grad)
				s.accDelta.MulScalar_(scalar(rho)).Addcmul_(delta, delta, torch.AddcmulOpts{Value: new(scalar(1 - rho))})
				p.Add_(delta, alpha(-g.LR))
				freeAll(append(temps, std, delta))
			}
		}
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

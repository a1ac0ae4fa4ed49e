package optim

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// RMSpropOptions are torch.optim.RMSprop's arguments. A zero LR or Eps
// means PyTorch's default (lr=1e-2, eps=1e-8), a nil Alpha alpha=0.99.
type RMSpropOptions struct {
	LR          float64  // lr
	Alpha       *float64 // alpha: the smoothing constant; default 0.99
	Eps         float64  // eps
	WeightDecay float64  // weight_decay (L2 penalty)
	Momentum    float64  // momentum
	Centered    bool     // centered: normalise by an estimate of the gradient's variance
	Maximize    bool     // maximize
}

// RMSprop is torch.optim.RMSprop.
type RMSprop struct {
	core[rmspropState]
}

type rmspropState struct {
	step           float64       // state['step']: an int in PyTorch 1.13, a float32 tensor in 2.x
	squareAvg      *torch.Tensor // state['square_avg']
	momentumBuffer *torch.Tensor // state['momentum_buffer'], with momentum
	gradAvg        *torch.Tensor // state['grad_avg'], when centered
}

var rmspropKeys = []key{kLR, kMomentum, kAlpha, kEps, kCentered, kWeightDecay, kMaximize}

// NewRMSprop is torch.optim.RMSprop(params, lr=..., alpha=..., eps=...,
// weight_decay=..., momentum=..., centered=..., maximize=...).
func NewRMSprop(params []*torch.Tensor, opts RMSpropOptions) (*RMSprop, error) {
	return NewRMSpropGroups([]Group{{Params: params}}, opts)
}

// NewRMSpropGroups is torch.optim.RMSprop([{'params': ..., ...}, ...],
// ...): one parameter group per Group, whose unset fields take opts'.
func NewRMSpropGroups(groups []Group, opts RMSpropOptions) (*RMSprop, error) {
	d := ParamGroup{LR: opts.LR, Alpha: 0.99, Eps: opts.Eps, WeightDecay: opts.WeightDecay, Momentum: opts.Momentum,
		Centered: opts.Centered, Maximize: opts.Maximize}
	if d.LR == 0 {
		d.LR = 1e-2
	}
	if opts.Alpha != nil {
		d.Alpha = *opts.Alpha
	}
	if d.Eps == 0 {
		d.Eps = 1e-8
	}
	o := &RMSprop{core[rmspropState]{
		name: "RMSprop", keys: rmspropKeys, defaults: d,
		validate: func(g *ParamGroup) error {
			return firstErr(nonNegative(g.LR, "learning rate"), nonNegative(g.Eps, "epsilon value"),
				nonNegative(g.Momentum, "momentum value"), nonNegative(g.WeightDecay, "weight_decay value"),
				nonNegative(g.Alpha, "alpha value"))
		},
		newState: func(p *torch.Tensor, g *ParamGroup) *rmspropState {
			s := &rmspropState{squareAvg: torch.ZerosLike(p)}
			if g.Momentum > 0 {
				s.momentumBuffer = torch.ZerosLike(p)
			}
			if g.Centered {
				s.gradAvg = torch.ZerosLike(p)
			}
			return s
		},
		step: func(s *rmspropState) *float64 { return &s.step }, intStep: true,
		fields: []stateField[rmspropState]{
			field("square_avg", func(s *rmspropState) **torch.Tensor { return &s.squareAvg }),
			{name: "momentum_buffer", at: func(s *rmspropState) **torch.Tensor { return &s.momentumBuffer },
				required: func(g *ParamGroup) bool { return g.Momentum > 0 }},
			{name: "grad_avg", at: func(s *rmspropState) **torch.Tensor { return &s.gradAvg },
				required: func(g *ParamGroup) bool { return g.Centered }},
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch's _single_tensor_rmsprop, for each
// group in turn:
//
//	g = grad (+ weight_decay * param)
//	v = alpha * v + (1 - alpha) * g * g
//	avg = sqrt(v - g_avg^2) + eps, g_avg = alpha * g_avg + (1 - alpha) * g (centered), or sqrt(v) + eps
//	buf = momentum * buf + g / avg; param -= lr * buf (momentum), or param -= lr * g / avg
//
// PyTorch 2.x updates g_avg with lerp_, 1.13 with mul_ and add_.
func (o *RMSprop) Step() {
	o.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *rmspropState, tmp *temps) {
		s.step++
		grad = l2Grad(g, p, grad, tmp)
		s.squareAvg.MulScalar_(scalar(g.Alpha)).Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(scalar(1 - g.Alpha))})
		var avg *torch.Tensor
		if g.Centered {
			if s.gradAvg == nil {
				s.gradAvg = torch.ZerosLike(p)
			}
			if pytorch2() {
				s.gradAvg.LerpScalar_(grad, scalar(1-g.Alpha))
			} else {
				s.gradAvg.MulScalar_(scalar(g.Alpha)).Add_(grad, alpha(1-g.Alpha))
			}
			avg = s.squareAvg.Addcmul(s.gradAvg, s.gradAvg, torch.AddcmulOpts{Value: new(torch.Int(-1))}).Sqrt_()
		} else {
			avg = s.squareAvg.Sqrt()
		}
		avg.AddScalar_(scalar(g.Eps))
		tmp.add(avg)
		if g.Momentum > 0 {
			if s.momentumBuffer == nil {
				s.momentumBuffer = torch.ZerosLike(p)
			}
			s.momentumBuffer.MulScalar_(scalar(g.Momentum)).Addcdiv_(grad, avg)
			p.Add_(s.momentumBuffer, alpha(-g.LR))
		} else {
			p.Addcdiv_(grad, avg, torch.AddcdivOpts{Value: new(scalar(-g.LR))})
		}
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *RMSprop) Options() RMSpropOptions {
	g := o.groups[0]
	return RMSpropOptions{LR: g.LR, Alpha: new(g.Alpha), Eps: g.Eps, WeightDecay: g.WeightDecay, Momentum: g.Momentum,
		Centered: g.Centered, Maximize: g.Maximize}
}

// StateBytes is the memory of square_avg, and of momentum_buffer and
// grad_avg where used. A nil *RMSprop holds nothing.
func (o *RMSprop) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

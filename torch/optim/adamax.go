package optim

import (
	"cmp"

	"github.com/seed0eaa3131/gotorch/torch"
)

// AdamaxOptions are torch.optim.Adamax's arguments. A zero LR, Betas or Eps
// means PyTorch's default: lr=2e-3, betas=(0.9, 0.999), eps=1e-8.
type AdamaxOptions struct {
	LR          float64    // lr
	Betas       [2]float64 // betas
	Eps         float64    // eps
	WeightDecay float64    // weight_decay (L2 penalty)
	Maximize    bool       // maximize
}

// Adamax is Adam with the infinity norm: torch.optim.Adamax.
type Adamax struct {
	core[adamaxState]
}

type adamaxState struct {
	step   float64       // state['step']: a float32 tensor in PyTorch
	expAvg *torch.Tensor // state['exp_avg']
	expInf *torch.Tensor // state['exp_inf']: the exponentially weighted infinity norm
}

var adamaxKeys = []key{kLR, kBetas, kEps, kWeightDecay, kMaximize}

// NewAdamax is torch.optim.Adamax(params, lr=..., betas=..., eps=...,
// weight_decay=..., maximize=...).
func NewAdamax(params []*torch.Tensor, opts AdamaxOptions) (*Adamax, error) {
	return NewAdamaxGroups([]Group{{Params: params}}, opts)
}

// NewAdamaxGroups is torch.optim.Adamax([{'params': ..., ...}, ...], ...):
// one parameter group per Group, whose unset fields take opts'.
func NewAdamaxGroups(groups []Group, opts AdamaxOptions) (*Adamax, error) {
	a := AdamOptions{LR: cmp.Or(opts.LR, 2e-3), Betas: opts.Betas, Eps: opts.Eps}.withDefaults()
	o := &Adamax{core[adamaxState]{
		name: "Adamax", keys: adamaxKeys,
		defaults: ParamGroup{LR: a.LR, Betas: a.Betas, Eps: a.Eps, WeightDecay: opts.WeightDecay, Maximize: opts.Maximize},
		validate: validateAdam,
		newState: func(p *torch.Tensor, _ *ParamGroup) *adamaxState {
			return &adamaxState{expAvg: torch.ZerosLike(p), expInf: torch.ZerosLike(p)}
		},
		step: func(s *adamaxState) *float64 { return &s.step },
		fields: []stateField[adamaxState]{
			field("exp_avg", func(s *adamaxState) **torch.Tensor { return &s.expAvg }),
			field("exp_inf", func(s *adamaxState) **torch.Tensor { return &s.expInf }),
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch's _single_tensor_adamax, for each group
// in turn:
//
//	g = grad (+ weight_decay * param)
//	m = beta1 * m + (1 - beta1) * g
//	u = max(beta2 * u, |g| + eps)
//	param -= lr / (1 - beta1^t) * m / u
//
// PyTorch 1.13 takes the maximum with cat and amax, 2.x with maximum; the
// values are the same.
func (o *Adamax) Step() {
	o.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *adamaxState, tmp *temps) {
		beta1, beta2 := g.Betas[0], g.Betas[1]
		s.step++
		grad = l2Grad(g, p, grad, tmp)
		updateFirstMoment(s.expAvg, grad, beta1)
		if pytorch2() {
			// torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps), out=exp_inf)
			s.expInf.MulScalar_(scalar(beta2))
			absEps := grad.Abs()
			absEps.AddScalar_(scalar(g.Eps))
			torch.MaximumOut(s.expInf, s.expInf, absEps)
			tmp.add(absEps)
		} else {
			// norm_buf = torch.cat([exp_inf.mul_(beta2).unsqueeze(0),
			//     grad.abs().add_(eps).unsqueeze_(0)], 0)
			// torch.amax(norm_buf, 0, keepdim=False, out=exp_inf)
			first := s.expInf.MulScalar_(scalar(beta2)).Unsqueeze(0)
			second := grad.Abs()
			second.AddScalar_(scalar(g.Eps)).Unsqueeze_(0)
			normBuf := torch.Cat([]*torch.Tensor{first, second})
			torch.AmaxOut(s.expInf, normBuf, torch.AmaxOpts{Dim: []int64{0}})
			tmp.add(first, second, normBuf)
		}
		biasCorrection := 1 - pow(beta1, s.step)
		clr := g.LR / biasCorrection
		p.Addcdiv_(s.expAvg, s.expInf, torch.AddcdivOpts{Value: new(scalar(-clr))})
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *Adamax) Options() AdamaxOptions {
	g := o.groups[0]
	return AdamaxOptions{LR: g.LR, Betas: g.Betas, Eps: g.Eps, WeightDecay: g.WeightDecay, Maximize: g.Maximize}
}

// StateBytes is the memory of exp_avg and exp_inf. A nil *Adamax holds
// nothing.
func (o *Adamax) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

package optim

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// RAdamOptions are torch.optim.RAdam's arguments. A zero LR, Betas or Eps
// means PyTorch's default: lr=1e-3, betas=(0.9, 0.999), eps=1e-8.
//
// DecoupledWeightDecay and Maximize are PyTorch 2.x's arguments; PyTorch
// 1.13's RAdam has neither, but they work on any libtorch.
type RAdamOptions struct {
	LR                   float64    // lr
	Betas                [2]float64 // betas
	Eps                  float64    // eps
	WeightDecay          float64    // weight_decay
	DecoupledWeightDecay bool       // decoupled_weight_decay: decay the parameter as AdamW does
	Maximize             bool       // maximize
}

// RAdam is rectified Adam (Liu et al.): torch.optim.RAdam.
type RAdam struct {
	core[radamState]
}

type radamState struct {
	step     float64       // state['step']: a float32 tensor in PyTorch
	expAvg   *torch.Tensor // state['exp_avg']
	expAvgSq *torch.Tensor // state['exp_avg_sq']
}

var radamKeys = []key{kLR, kBetas, kEps, kWeightDecay, kDecoupledWeightDecay, kMaximize}

// NewRAdam is torch.optim.RAdam(params, lr=..., betas=..., eps=...,
// weight_decay=..., decoupled_weight_decay=..., maximize=...).
func NewRAdam(params []*torch.Tensor, opts RAdamOptions) (*RAdam, error) {
	return NewRAdamGroups([]Group{{Params: params}}, opts)
}

// NewRAdamGroups is torch.optim.RAdam([{'params': ..., ...}, ...], ...):
// one parameter group per Group, whose unset fields take opts'.
func NewRAdamGroups(groups []Group, opts RAdamOptions) (*RAdam, error) {
	a := AdamOptions{LR: opts.LR, Betas: opts.Betas, Eps: opts.Eps}.withDefaults()
	o := &RAdam{core[radamState]{
		name: "RAdam", keys: radamKeys, newKeys: []key{kDecoupledWeightDecay, kMaximize},
		defaults: ParamGroup{LR: a.LR, Betas: a.Betas, Eps: a.Eps, WeightDecay: opts.WeightDecay,
			DecoupledWeightDecay: opts.DecoupledWeightDecay, Maximize: opts.Maximize},
		validate: validateAdam,
		newState: func(p *torch.Tensor, _ *ParamGroup) *radamState {
			return &radamState{expAvg: torch.ZerosLike(p), expAvgSq: torch.ZerosLike(p)}
		},
		step: func(s *radamState) *float64 { return &s.step },
		fields: []stateField[radamState]{
			field("exp_avg", func(s *radamState) **torch.Tensor { return &s.expAvg }),
			field("exp_avg_sq", func(s *radamState) **torch.Tensor { return &s.expAvgSq }),
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch's _single_tensor_radam, for each group
// in turn:
//
//	g = grad (+ weight_decay * param, or param *= 1 - lr * weight_decay when decoupled)
//	m = beta1 * m + (1 - beta1) * g, v = beta2 * v + (1 - beta2) * g * g
//	rho_inf = 2 / (1 - beta2) - 1, rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//	rho_t > 5: param -= lr * m / (1 - beta1^t) * sqrt(1 - beta2^t) / (sqrt(v) + eps) * rect(rho_t)
//	otherwise: param -= lr * m / (1 - beta1^t)
func (o *RAdam) Step() {
	o.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *radamState, tmp *temps) {
		beta1, beta2 := g.Betas[0], g.Betas[1]
		s.step++
		step := s.step
		biasCorrection1 := 1 - pow(beta1, step)
		biasCorrection2 := 1 - pow(beta2, step)
		grad = decayedGrad(g, p, grad, tmp)
		updateFirstMoment(s.expAvg, grad, beta1)
		s.expAvgSq.MulScalar_(scalar(beta2)).Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(scalar(1 - beta2))})

		biasCorrectedExpAvg := s.expAvg.DivScalar(scalar(biasCorrection1))
		rhoInf := 2/(1-beta2) - 1
		rhoT := rhoInf - 2*step*pow(beta2, step)/biasCorrection2
		var update *torch.Tensor
		if rhoT > 5 {
			// Tensor.__rtruediv__: sqrt(bias_correction2) / t is
			// t.reciprocal() * sqrt(bias_correction2).
			root := s.expAvgSq.Sqrt()
			root.AddScalar_(scalar(g.Eps))
			recip := root.Reciprocal()
			adaptiveLR := recip.MulScalar(scalar(pySqrt(biasCorrection2)))
			rect := pySqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
			t1 := biasCorrectedExpAvg.MulScalar(scalar(g.LR))
			t2 := t1.Mul(adaptiveLR)
			update = t2.MulScalar(scalar(rect))
			tmp.add(root, recip, adaptiveLR, t1, t2)
		} else {
			update = biasCorrectedExpAvg.MulScalar(scalar(g.LR))
		}
		p.Add_(update, alpha(-1.0))
		tmp.add(biasCorrectedExpAvg, update)
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *RAdam) Options() RAdamOptions {
	g := o.groups[0]
	return RAdamOptions{LR: g.LR, Betas: g.Betas, Eps: g.Eps, WeightDecay: g.WeightDecay,
		DecoupledWeightDecay: g.DecoupledWeightDecay, Maximize: g.Maximize}
}

// StateBytes is the memory of exp_avg and exp_avg_sq. A nil *RAdam holds
// nothing.
func (o *RAdam) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

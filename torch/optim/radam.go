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
		save: func(s *radamState) map[string]*torch.Tensor {
			return map[string]*torch.Tensor{"step": stepTensor(s.step), "exp_avg": s.expAvg, "exp_avg_sq": s.expAvgSq}
		},
		load: func(p *torch.Tensor, _ *ParamGroup, m map[string]*torch.Tensor) (*radamState, error) {
			var s radamState
			var errs [3]error
			s.step, errs[0] = stateStep(m)
			s.expAvg, errs[1] = stateTensor(m, "exp_avg", p, true)
			s.expAvgSq, errs[2] = stateTensor(m, "exp_avg_sq", p, true)
			return &s, firstErr(errs[:]...)
		},
		tensors: func(s *radamState) []*torch.Tensor { return []*torch.Tensor{s.expAvg, s.expAvgSq} },
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
	torch.NoGrad(func() {
		for _, g := range o.groups {
			params, grads := withGrad(g)
			states := make([]*radamState, len(params))
			for i, p := range params {
				states[i] = o.stateFor(p, func() *radamState {
					return &radamState{expAvg: torch.ZerosLike(p), expAvgSq: torch.ZerosLike(p)}
				})
			}
			beta1, beta2 := g.Betas[0], g.Betas[1]
			for i, p := range params {
				s := states[i]
				temps := []*torch.Tensor{grads[i]}
				grad := grads[i]
				if g.Maximize {
					grad = grad.Neg()
					temps = append(temps, grad)
				}
				s.step++
				step := s.step
				biasCorrection1 := 1 - pow(beta1, step)
				biasCorrection2 := 1 - pow(beta2, step)
				if g.WeightDecay != 0 {
					if g.DecoupledWeightDecay {
						p.MulScalar_(scalar(1 - float64(g.LR*g.WeightDecay)))
					} else {
						grad = grad.Add(p, alpha(g.WeightDecay))
						temps = append(temps, grad)
					}
				}
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
					temps = append(temps, root, recip, adaptiveLR, t1, t2)
				} else {
					update = biasCorrectedExpAvg.MulScalar(scalar(g.LR))
				}
				p.Add_(update, alpha(-1.0))
				freeAll(append(temps, biasCorrectedExpAvg, update))
			}
		}
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

package optim

import (
	"errors"

	"github.com/seed0eaa3131/gotorch/torch"
)

// NAdamOptions are torch.optim.NAdam's arguments. A zero LR, Betas or Eps
// means PyTorch's default: lr=2e-3, betas=(0.9, 0.999), eps=1e-8; a nil
// MomentumDecay momentum_decay=4e-3.
//
// DecoupledWeightDecay and Maximize are PyTorch 2.x's arguments (2.0 and
// 2.1); PyTorch 1.13's NAdam has neither, but they work on any libtorch.
type NAdamOptions struct {
	LR                   float64    // lr
	Betas                [2]float64 // betas
	Eps                  float64    // eps
	WeightDecay          float64    // weight_decay
	MomentumDecay        *float64   // momentum_decay; default 4e-3
	DecoupledWeightDecay bool       // decoupled_weight_decay: decay the parameter as AdamW does
	Maximize             bool       // maximize
}

// NAdam is Adam with Nesterov momentum (Dozat): torch.optim.NAdam.
type NAdam struct {
	core[nadamState]
}

type nadamState struct {
	step      float64       // state['step']: a float32 tensor in PyTorch
	muProduct *torch.Tensor // state['mu_product']: a float32 0-d tensor, as in PyTorch, whose rounding it keeps
	expAvg    *torch.Tensor // state['exp_avg']
	expAvgSq  *torch.Tensor // state['exp_avg_sq']
}

var nadamKeys = []key{kLR, kBetas, kEps, kWeightDecay, kMomentumDecay, kDecoupledWeightDecay, kMaximize}

// NewNAdam is torch.optim.NAdam(params, lr=..., betas=..., eps=...,
// weight_decay=..., momentum_decay=..., decoupled_weight_decay=...,
// maximize=...).
func NewNAdam(params []*torch.Tensor, opts NAdamOptions) (*NAdam, error) {
	return NewNAdamGroups([]Group{{Params: params}}, opts)
}

// NewNAdamGroups is torch.optim.NAdam([{'params': ..., ...}, ...], ...):
// one parameter group per Group, whose unset fields take opts'.
func NewNAdamGroups(groups []Group, opts NAdamOptions) (*NAdam, error) {
	a := AdamOptions{LR: opts.LR, Betas: opts.Betas, Eps: opts.Eps}
	if a.LR == 0 {
		a.LR = 2e-3
	}
	a = a.withDefaults()
	d := ParamGroup{LR: a.LR, Betas: a.Betas, Eps: a.Eps, WeightDecay: opts.WeightDecay, MomentumDecay: 4e-3,
		DecoupledWeightDecay: opts.DecoupledWeightDecay, Maximize: opts.Maximize}
	if opts.MomentumDecay != nil {
		d.MomentumDecay = *opts.MomentumDecay
	}
	o := &NAdam{core[nadamState]{
		name: "NAdam", keys: nadamKeys, newKeys: []key{kDecoupledWeightDecay, kMaximize}, defaults: d,
		validate: func(g *ParamGroup) error {
			return firstErr(validateAdam(g), nonNegative(g.MomentumDecay, "momentum_decay value"))
		},
		save: func(s *nadamState) map[string]*torch.Tensor {
			return map[string]*torch.Tensor{"step": stepTensor(s.step), "mu_product": s.muProduct,
				"exp_avg": s.expAvg, "exp_avg_sq": s.expAvgSq}
		},
		load: func(p *torch.Tensor, _ *ParamGroup, m map[string]*torch.Tensor) (*nadamState, error) {
			var s nadamState
			var errs [3]error
			s.step, errs[0] = stateStep(m)
			s.expAvg, errs[1] = stateTensor(m, "exp_avg", p, true)
			s.expAvgSq, errs[2] = stateTensor(m, "exp_avg_sq", p, true)
			mp := m["mu_product"]
			if mp == nil || mp.Numel() != 1 {
				return nil, firstErr(append(errs[:], errors.New(`no one-element "mu_product"`))...)
			}
			// Kept as Python keeps it: a float32 scalar on the CPU.
			s.muProduct = torch.Full([]int64{}, torch.Float(0), torch.WithDType(torch.Float32))
			s.muProduct.Copy_(mp.Reshape())
			return &s, firstErr(errs[:]...)
		},
		tensors: func(s *nadamState) []*torch.Tensor {
			return []*torch.Tensor{s.muProduct, s.expAvg, s.expAvgSq}
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch's _single_tensor_nadam, for each group
// in turn:
//
//	g = grad (+ weight_decay * param, or param *= 1 - lr * weight_decay when decoupled)
//	mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)), mu_product *= mu_t
//	m = beta1 * m + (1 - beta1) * g, v = beta2 * v + (1 - beta2) * g * g
//	denom = sqrt(v / (1 - beta2^t)) + eps
//	param -= lr * (1 - mu_t) / (1 - mu_product) * g / denom
//	param -= lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / denom
//
// PyTorch 1.13 multiplies mu_t into the second product twice (its
// mu_product_next is mu_product * mu_t * mu_{t+1}, fixed in 2.0); this
// follows the release of the linked libtorch.
func (o *NAdam) Step() {
	torch.NoGrad(func() {
		for _, g := range o.groups {
			params, grads := withGrad(g)
			states := make([]*nadamState, len(params))
			for i, p := range params {
				states[i] = o.stateFor(p, func() *nadamState {
					return &nadamState{
						muProduct: torch.Full([]int64{}, torch.Float(1), torch.WithDType(torch.Float32)),
						expAvg:    torch.ZerosLike(p), expAvgSq: torch.ZerosLike(p),
					}
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
				biasCorrection2 := 1 - pow(beta2, step)
				if g.WeightDecay != 0 {
					if g.DecoupledWeightDecay {
						p.MulScalar_(scalar(1 - float64(g.LR*g.WeightDecay)))
					} else {
						grad = grad.Add(p, alpha(g.WeightDecay))
						temps = append(temps, grad)
					}
				}
				mu := beta1 * (1 - float64(0.5*pow(0.96, step*g.MomentumDecay)))
				muNext := beta1 * (1 - float64(0.5*pow(0.96, (step+1)*g.MomentumDecay)))
				s.muProduct.MulScalar_(scalar(mu))
				var muProductNext float64
				if pytorch2() {
					muProductNext = s.muProduct.Item() * muNext
				} else {
					// mu_product * mu * mu_next, on the float32 tensor
					t1 := s.muProduct.MulScalar(scalar(mu))
					t2 := t1.MulScalar(scalar(muNext))
					muProductNext = t2.Item()
					t1.Free()
					t2.Free()
				}
				updateFirstMoment(s.expAvg, grad, beta1)
				s.expAvgSq.MulScalar_(scalar(beta2)).Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(scalar(1 - beta2))})
				q := s.expAvgSq.DivScalar(scalar(biasCorrection2))
				denom := q.Sqrt()
				q.Free()
				denom.AddScalar_(scalar(g.Eps))
				p.Addcdiv_(grad, denom, torch.AddcdivOpts{Value: new(scalar(-g.LR * (1 - mu) / (1 - s.muProduct.Item())))})
				p.Addcdiv_(s.expAvg, denom, torch.AddcdivOpts{Value: new(scalar(-g.LR * muNext / (1 - muProductNext)))})
				freeAll(append(temps, denom))
			}
		}
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *NAdam) Options() NAdamOptions {
	g := o.groups[0]
	return NAdamOptions{LR: g.LR, Betas: g.Betas, Eps: g.Eps, WeightDecay: g.WeightDecay,
		MomentumDecay: new(g.MomentumDecay), DecoupledWeightDecay: g.DecoupledWeightDecay, Maximize: g.Maximize}
}

// StateBytes is the memory of exp_avg, exp_avg_sq and the 4-byte
// mu_product. A nil *NAdam holds nothing.
func (o *NAdam) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

package optim

import (
	"cmp"
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
	a := AdamOptions{LR: cmp.Or(opts.LR, 2e-3), Betas: opts.Betas, Eps: opts.Eps}.withDefaults()
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
		newState: func(p *torch.Tensor, _ *ParamGroup) *nadamState {
			return &nadamState{
				muProduct: torch.Full([]int64{}, torch.Float(1), torch.WithDType(torch.Float32)),
				expAvg:    torch.ZerosLike(p), expAvgSq: torch.ZerosLike(p),
			}
		},
		step: func(s *nadamState) *float64 { return &s.step },
		fields: []stateField[nadamState]{
			field("exp_avg", func(s *nadamState) **torch.Tensor { return &s.expAvg }),
			field("exp_avg_sq", func(s *nadamState) **torch.Tensor { return &s.expAvgSq }),
			{name: "mu_product", at: func(s *nadamState) **torch.Tensor { return &s.muProduct }, load: loadMuProduct},
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// loadMuProduct reads a saved "mu_product" (v, maybe nil) as Python keeps
// it: a float32 scalar on the CPU.
func loadMuProduct(v *torch.Tensor) (*torch.Tensor, error) {
	if v == nil || v.Numel() != 1 {
		return nil, errors.New(`no one-element "mu_product"`)
	}
	t := torch.Full([]int64{}, torch.Float(0), torch.WithDType(torch.Float32))
	t.Copy_(v.Reshape())
	return t, nil
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
	o.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *nadamState, tmp *temps) {
		beta1, beta2 := g.Betas[0], g.Betas[1]
		s.step++
		step := s.step
		biasCorrection2 := 1 - pow(beta2, step)
		grad = decayedGrad(g, p, grad, tmp)
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
		tmp.add(denom)
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

package optim

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// AdamOptions are torch.optim.Adam's arguments. A zero LR, Betas or Eps
// means PyTorch's default: lr=1e-3, betas=(0.9, 0.999), eps=1e-8.
type AdamOptions struct {
	LR          float64    // lr
	Betas       [2]float64 // betas: the decay rates of the first and second moment averages
	Eps         float64    // eps, added to the denominator
	WeightDecay float64    // weight_decay (L2 penalty added to the gradient)
	AMSGrad     bool       // amsgrad
	Maximize    bool       // maximize
}

// withDefaults fills in PyTorch's defaults for the zero fields.
func (o AdamOptions) withDefaults() AdamOptions {
	if o.LR == 0 {
		o.LR = 1e-3
	}
	if o.Betas == [2]float64{} {
		o.Betas = [2]float64{0.9, 0.999}
	}
	if o.Eps == 0 {
		o.Eps = 1e-8
	}
	return o
}

// Adam is the Adam optimizer (Kingma and Ba, with the AMSGrad variant):
// torch.optim.Adam.
type Adam struct {
	core[adamState]
}

// adamState is state[p] of Adam and AdamW.
type adamState struct {
	step        float64       // state['step']: PyTorch keeps it as a float32 tensor
	expAvg      *torch.Tensor // state['exp_avg']: the first moment
	expAvgSq    *torch.Tensor // state['exp_avg_sq']: the second moment
	maxExpAvgSq *torch.Tensor // state['max_exp_avg_sq'], with AMSGrad
}

// adamKeys are Adam's and AdamW's param_groups keys.
var adamKeys = []key{kLR, kBetas, kEps, kWeightDecay, kAMSGrad, kMaximize}

// adamCore is the core of Adam and AdamW.
func adamCore(name string, o AdamOptions) core[adamState] {
	return core[adamState]{
		name: name, keys: adamKeys,
		defaults: ParamGroup{LR: o.LR, Betas: o.Betas, Eps: o.Eps, WeightDecay: o.WeightDecay,
			AMSGrad: o.AMSGrad, Maximize: o.Maximize},
		validate: validateAdam,
		newState: func(p *torch.Tensor, g *ParamGroup) *adamState {
			s := &adamState{expAvg: torch.ZerosLike(p), expAvgSq: torch.ZerosLike(p)}
			if g.AMSGrad {
				s.maxExpAvgSq = torch.ZerosLike(p)
			}
			return s
		},
		step: func(s *adamState) *float64 { return &s.step },
		fields: []stateField[adamState]{
			field("exp_avg", func(s *adamState) **torch.Tensor { return &s.expAvg }),
			field("exp_avg_sq", func(s *adamState) **torch.Tensor { return &s.expAvgSq }),
			{name: "max_exp_avg_sq", at: func(s *adamState) **torch.Tensor { return &s.maxExpAvgSq },
				required: func(g *ParamGroup) bool { return g.AMSGrad }},
		},
	}
}

func validateAdam(g *ParamGroup) error {
	return firstErr(nonNegative(g.LR, "learning rate"), nonNegative(g.Eps, "epsilon value"),
		betasValid(g.Betas), nonNegative(g.WeightDecay, "weight_decay value"))
}

// NewAdam is torch.optim.Adam(params, lr=..., betas=..., eps=...,
// weight_decay=..., amsgrad=..., maximize=...). It holds the tensors it
// is given, which nn.To and nn.ToDType keep (they swap the data, not the
// tensor), so it may be built before or after moving the model.
func NewAdam(params []*torch.Tensor, opts AdamOptions) (*Adam, error) {
	return NewAdamGroups([]Group{{Params: params}}, opts)
}

// NewAdamGroups is torch.optim.Adam([{'params': ..., 'lr': ...}, ...],
// lr=..., ...): one parameter group per Group, whose unset fields take
// opts' (PyTorch's defaults where opts leaves them zero).
func NewAdamGroups(groups []Group, opts AdamOptions) (*Adam, error) {
	o := &Adam{adamCore("Adam", opts.withDefaults())}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch 1.13's _single_tensor_adam, for each
// group in turn:
//
//	g = grad (+ weight_decay * param)
//	m = beta1 * m + (1 - beta1) * g
//	v = beta2 * v + (1 - beta2) * g * g
//	v_max = max(v_max, v) (amsgrad)
//	param -= lr / (1 - beta1^t) * m / (sqrt(v or v_max) / sqrt(1 - beta2^t) + eps)
//
// The state of a parameter is created (as zeros) at its first step with a
// gradient. PyTorch 2.x updates m with lerp_ (see the package doc).
func (o *Adam) Step() { adamStep(&o.core, false) }

// adamStep is Adam's step, and AdamW's with decoupled weight decay.
func adamStep(c *core[adamState], decoupled bool) {
	c.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *adamState, tmp *temps) {
		beta1, beta2 := g.Betas[0], g.Betas[1]
		s.step++
		step := s.step
		if decoupled {
			decayParam(g, p) // Stepweight decay
		} else {
			grad = l2Grad(g, p, grad, tmp)
		}
		updateFirstMoment(s.expAvg, grad, beta1)
		s.expAvgSq.MulScalar_(scalar(beta2)).Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(scalar(1 - beta2))})

		// Python computes these in float64 from the step's value.
		biasCorrection1 := 1 - pow(beta1, step)
		biasCorrection2 := 1 - pow(beta2, step)
		stepSize := g.LR / biasCorrection1
		biasCorrection2Sqrt := pySqrt(biasCorrection2)

		second := s.expAvgSq
		if g.AMSGrad {
			if s.maxExpAvgSq == nil { // amsgrad turned on after the first step
				s.maxExpAvgSq = torch.ZerosLike(p)
			}
			second = torch.MaximumOut(s.maxExpAvgSq, s.maxExpAvgSq, s.expAvgSq)
		}
		// Python frees sqrt's result as soon as the division has used it.
		root := second.Sqrt()
		denom := root.DivScalar(scalar(biasCorrection2Sqrt))
		root.Free()
		denom.AddScalar_(scalar(g.Eps))
		p.Addcdiv_(s.expAvg, denom, torch.AddcdivOpts{Value: new(scalar(-stepSize))})
		tmp.add(denom)
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *Adam) Options() AdamOptions { return adamOptions(o.groups[0]) }

func adamOptions(g *ParamGroup) AdamOptions {
	return AdamOptions{LR: g.LR, Betas: g.Betas, Eps: g.Eps, WeightDecay: g.WeightDecay, AMSGrad: g.AMSGrad,
		Maximize: g.Maximize}
}

// StepCount is state[p]['step'] for the i-th parameter (counting every
// group's in order): how many steps it has taken.
func (o *Adam) StepCount(i int) int64 {
	if s := o.state[allParams(o.groups)[i]]; s != nil {
		return int64(s.step)
	}
	return 0
}

// StateBytes is the memory of Adam's moment tensors: exp_avg and exp_avg_sq
// (and max_exp_avg_sq with AMSGrad), each the size of its parameter, once
// the parameter has stepped: twice the parameters' memory, which with the
// parameters themselves is the tutorial's "about 3x the parameters". PyTorch
// also keeps each parameter's step count as a 4-byte tensor; here it is a Go
// number and not counted. A nil *Adam holds nothing.
func (o *Adam) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

package optim

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// AdagradOptions are torch.optim.Adagrad's arguments. A zero LR or Eps
// means PyTorch's default: lr=1e-2, eps=1e-10.
type AdagradOptions struct {
	LR                      float64 // lr
	LRDecay                 float64 // lr_decay
	WeightDecay             float64 // weight_decay (L2 penalty)
	InitialAccumulatorValue float64 // initial_accumulator_value: the sum's starting value
	Eps                     float64 // eps
	Maximize                bool    // maximize
}

// Adagrad is torch.optim.Adagrad.
type Adagrad struct {
	core[adagradState]
}

type adagradState struct {
	step float64       // state['step']: a float32 tensor in PyTorch
	sum  *torch.Tensor // state['sum']: the sum of squared gradients
}

var adagradKeys = []key{kLR, kLRDecay, kEps, kWeightDecay, kInitialAccumulatorValue, kMaximize}

// NewAdagrad is torch.optim.Adagrad(params, lr=..., lr_decay=...,
// weight_decay=..., initial_accumulator_value=..., eps=..., maximize=...).
// As PyTorch's, it makes every parameter's state (a sum filled with
// initial_accumulator_value) at once.
func NewAdagrad(params []*torch.Tensor, opts AdagradOptions) (*Adagrad, error) {
	return NewAdagradGroups([]Group{{Params: params}}, opts)
}

// NewAdagradGroups is torch.optim.Adagrad([{'params': ..., ...}, ...],
// ...): one parameter group per Group, whose unset fields take opts'.
func NewAdagradGroups(groups []Group, opts AdagradOptions) (*Adagrad, error) {
	d := ParamGroup{LR: opts.LR, LRDecay: opts.LRDecay, WeightDecay: opts.WeightDecay,
		InitialAccumulatorValue: opts.InitialAccumulatorValue, Eps: opts.Eps, Maximize: opts.Maximize}
	if d.LR == 0 {
		d.LR = 1e-2
	}
	if d.Eps == 0 {
		d.Eps = 1e-10
	}
	o := &Adagrad{core[adagradState]{
		name: "Adagrad", keys: adagradKeys, defaults: d,
		validate: func(g *ParamGroup) error {
			return firstErr(nonNegative(g.LR, "learning rate"), nonNegative(g.LRDecay, "lr_decay value"),
				nonNegative(g.WeightDecay, "weight_decay value"),
				nonNegative(g.InitialAccumulatorValue, "initial_accumulator_value value"),
				nonNegative(g.Eps, "epsilon value"))
		},
		newState: newAdagradState,
		step:     func(s *adagradState) *float64 { return &s.step },
		fields: []stateField[adagradState]{
			field("sum", func(s *adagradState) **torch.Tensor { return &s.sum }),
		},
	}}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	for _, g := range o.groups {
		for _, p := range g.Params {
			o.stateFor(p, g)
		}
	}
	return o, nil
}

// newAdagradState is torch.full_like(p, initial_accumulator_value). The
// constructor makes every parameter's; Step makes those of groups added
// after it (PyTorch 2.x's _init_group).
func newAdagradState(p *torch.Tensor, g *ParamGroup) *adagradState {
	return &adagradState{sum: torch.Full(p.Shape(), scalar(g.InitialAccumulatorValue),
		torch.WithDType(p.DType()), torch.WithDevice(p.Device()))}
}

// Step is optimizer.step(), PyTorch's _single_tensor_adagrad, for each
// group in turn:
//
//	g = grad (+ weight_decay * param)
//	clr = lr / (1 + (step - 1) * lr_decay)
//	sum += g * g
//	param -= clr * g / (sqrt(sum) + eps)
func (o *Adagrad) Step() {
	o.forEach(func(g *ParamGroup, p, grad *torch.Tensor, s *adagradState, tmp *temps) {
		s.step++
		grad = l2Grad(g, p, grad, tmp)
		clr := g.LR / (1 + float64((s.step-1)*g.LRDecay))
		s.sum.Addcmul_(grad, grad, torch.AddcmulOpts{Value: new(torch.Int(1))})
		std := s.sum.Sqrt()
		std.AddScalar_(scalar(g.Eps))
		p.Addcdiv_(grad, std, torch.AddcdivOpts{Value: new(scalar(-clr))})
		tmp.add(std)
	})
}

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *Adagrad) Options() AdagradOptions {
	g := o.groups[0]
	return AdagradOptions{LR: g.LR, LRDecay: g.LRDecay, WeightDecay: g.WeightDecay,
		InitialAccumulatorValue: g.InitialAccumulatorValue, Eps: g.Eps, Maximize: g.Maximize}
}

// StateBytes is the memory of the sums, one parameter-sized tensor per
// parameter from the constructor on. A nil *Adagrad holds nothing.
func (o *Adagrad) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

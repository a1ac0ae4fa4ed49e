package optim

import "github.com/seed0eaa3131/gotorch/torch"

// AdamWOptions are torch.optim.AdamW's arguments. A zero LR, Betas or Eps
// means PyTorch's default: lr=1e-3, betas=(0.9, 0.999), eps=1e-8; a nil
// WeightDecay means weight_decay=1e-2 (new(0.0) turns it off).
type AdamWOptions struct {
	LR          float64    // lr
	Betas       [2]float64 // betas
	Eps         float64    // eps
	WeightDecay *float64   // weight_decay, decoupled from the gradient; default 1e-2
	AMSGrad     bool       // amsgrad
	Maximize    bool       // maximize
}

// AdamW is Adam with decoupled weight decay (Loshchilov and Hutter):
// torch.optim.AdamW.
type AdamW struct {
	core[adamState]
}

// NewAdamW is torch.optim.AdamW(params, lr=..., betas=..., eps=...,
// weight_decay=..., amsgrad=..., maximize=...).
func NewAdamW(params []*torch.Tensor, opts AdamWOptions) (*AdamW, error) {
	return NewAdamWGroups([]Group{{Params: params}}, opts)
}

// NewAdamWGroups is torch.optim.AdamW([{'params': ..., ...}, ...], ...):
// one parameter group per Group, whose unset fields take opts'. The usual
// split of a transformer's parameters:
//
//	optim.NewAdamWGroups([]optim.Group{
//		{Params: weights},
//		{Params: biasesAndNorms, WeightDecay: new(0.0)},
//	}, optim.AdamWOptions{LR: 3e-4})
func NewAdamWGroups(groups []Group, opts AdamWOptions) (*AdamW, error) {
	wd := 1e-2
	if opts.WeightDecay != nil {
		wd = *opts.WeightDecay
	}
	a := AdamOptions{LR: opts.LR, Betas: opts.Betas, Eps: opts.Eps, WeightDecay: wd, AMSGrad: opts.AMSGrad,
		Maximize: opts.Maximize}.withDefaults()
	o := &AdamW{adamCore("AdamW", a)}
	if err := o.init(groups); err != nil {
		return nil, err
	}
	return o, nil
}

// Step is optimizer.step(), PyTorch's _single_tensor_adamw: Adam's step
// (see Adam.Step) with the gradient left without weight decay and the
// parameter decayed first, param *= 1 - lr * weight_decay.
func (o *AdamW) Step() { adamStep(&o.core, true) }

// Options returns the first group's options (param_groups[0]), defaults
// filled in.
func (o *AdamW) Options() AdamWOptions {
	g := o.groups[0]
	return AdamWOptions{LR: g.LR, Betas: g.Betas, Eps: g.Eps, WeightDecay: new(g.WeightDecay), AMSGrad: g.AMSGrad,
		Maximize: g.Maximize}
}

// StateBytes is the memory of the moment tensors, as Adam's. A nil *AdamW
// holds nothing.
func (o *AdamW) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return o.stateBytes()
}

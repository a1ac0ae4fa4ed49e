package optim

import (
	"errors"
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// SGDOptions are torch.optim.SGD's arguments. LR is required, as in
// PyTorch 1.13 (which has no default learning rate for SGD); the others
// default to zero and false, as in PyTorch.
type SGDOptions struct {
	LR          float64 // lr
	Momentum    float64 // momentum
	Dampening   float64 // dampening
	WeightDecay float64 // weight_decay (L2 penalty)
	Nesterov    bool    // nesterov
	Maximize    bool    // maximize
}

// SGD is stochastic gradient descent, with optional momentum, Nesterov
// momentum and weight decay: torch.optim.SGD.
type SGD struct {
	params   []*torch.Tensor
	opts     SGDOptions
	momentum []*torch.Tensor // momentum_buffer per parameter, nil until its first step
}

// NewSGD is torch.optim.SGD(params, lr=..., momentum=..., dampening=...,
// weight_decay=..., nesterov=..., maximize=...). Build it after nn.To has
// moved the model: it holds the tensors it is given.
func NewSGD(params []*torch.Tensor, opts SGDOptions) (*SGD, error) {
	switch {
	case opts.LR == 0:
		return nil, errors.New("optim: SGD: SGDOptions.LR is required (torch.optim.SGD has no default learning rate)")
	case opts.LR < 0:
		return nil, fmt.Errorf("optim: SGD: Invalid learning rate: %v", opts.LR)
	case opts.Momentum < 0:
		return nil, fmt.Errorf("optim: SGD: Invalid momentum value: %v", opts.Momentum)
	case opts.WeightDecay < 0:
		return nil, fmt.Errorf("optim: SGD: Invalid weight_decay value: %v", opts.WeightDecay)
	case opts.Nesterov && (opts.Momentum <= 0 || opts.Dampening != 0):
		return nil, errors.New("optim: SGD: Nesterov momentum requires a momentum and zero dampening")
	}
	ps, err := checkParams("SGD", params)
	if err != nil {
		return nil, err
	}
	return &SGD{params: ps, opts: opts, momentum: make([]*torch.Tensor, len(ps))}, nil
}

// Step is optimizer.step(), PyTorch 1.13's _single_tensor_sgd:
//
//	d_p = grad (+ weight_decay * param)
//	buf = d_p on the first step, else buf * momentum + (1 - dampening) * d_p
//	d_p = d_p + momentum * buf (nesterov) or buf
//	param -= lr * d_p
func (o *SGD) Step() {
	torch.NoGrad(func() {
		for i, p := range o.params {
			grad := p.Grad()
			if grad == nil {
				continue
			}
			temps := []*torch.Tensor{grad}
			dp := grad
			if o.opts.Maximize {
				dp = dp.Neg()
				temps = append(temps, dp)
			}
			if o.opts.WeightDecay != 0 {
				dp = dp.Add(p, torch.AddOpts{Alpha: new(torch.Float(o.opts.WeightDecay))})
				temps = append(temps, dp)
			}
			if o.opts.Momentum != 0 {
				buf := o.momentum[i]
				if buf == nil {
					buf = dp.Clone() // torch.clone(d_p).detach(); NoGrad records nothing
					o.momentum[i] = buf
				} else {
					buf.MulScalar_(torch.Float(o.opts.Momentum)).Add_(dp, torch.AddOpts{Alpha: new(torch.Float(1 - o.opts.Dampening))})
				}
				if o.opts.Nesterov {
					dp = dp.Add(buf, torch.AddOpts{Alpha: new(torch.Float(o.opts.Momentum))})
					temps = append(temps, dp)
				} else {
					dp = buf
				}
			}
			p.Add_(dp, torch.AddOpts{Alpha: new(torch.Float(-o.opts.LR))})
			freeAll(temps)
		}
	})
}

// ZeroGrad drops the gradients: optimizer.zero_grad() (set_to_none=True).
func (o *SGD) ZeroGrad() { zeroGrad(o.params, true) }

// ZeroGradFill fills the gradients with zeros, keeping their memory:
// optimizer.zero_grad(set_to_none=False).
func (o *SGD) ZeroGradFill() { zeroGrad(o.params, false) }

// LR is optimizer.param_groups[0]['lr'].
func (o *SGD) LR() float64 { return o.opts.LR }

// SetLR is optimizer.param_groups[0]['lr'] = lr; it applies from the next
// Step.
func (o *SGD) SetLR(lr float64) { o.opts.LR = lr }

// Options returns the optimizer's current arguments (param_groups[0]).
func (o *SGD) Options() SGDOptions { return o.opts }

// Parameters is optimizer.param_groups[0]['params'].
func (o *SGD) Parameters() []*torch.Tensor { return append([]*torch.Tensor(nil), o.params...) }

// StateBytes is the memory of the momentum buffers: 0 for plain SGD, one
// parameter-sized buffer per parameter with momentum once it has stepped.
// A nil *SGD holds nothing.
func (o *SGD) StateBytes() int64 {
	if o == nil {
		return 0
	}
	return stateBytes(o.momentum)
}

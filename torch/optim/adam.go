package optim

import (
	"fmt"
	"math"

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
	params      []*torch.Tensor
	opts        AdamOptions
	steps       []float64       // state['step'] per parameter
	expAvg      []*torch.Tensor // state['exp_avg']: the first moment
	expAvgSq    []*torch.Tensor // state['exp_avg_sq']: the second moment
	maxExpAvgSq []*torch.Tensor // state['max_exp_avg_sq'], with AMSGrad
}

// NewAdam is torch.optim.Adam(params, lr=..., betas=..., eps=...,
// weight_decay=..., amsgrad=..., maximize=...). Build it after nn.To has
// moved the model: it holds the tensors it is given.
func NewAdam(params []*torch.Tensor, opts AdamOptions) (*Adam, error) {
	opts = opts.withDefaults()
	switch {
	case opts.LR < 0:
		return nil, fmt.Errorf("optim: Adam: Invalid learning rate: %v", opts.LR)
	case opts.Eps < 0:
		return nil, fmt.Errorf("optim: Adam: Invalid epsilon value: %v", opts.Eps)
	case !(opts.Betas[0] >= 0 && opts.Betas[0] < 1):
		return nil, fmt.Errorf("optim: Adam: Invalid beta parameter at index 0: %v", opts.Betas[0])
	case !(opts.Betas[1] >= 0 && opts.Betas[1] < 1):
		return nil, fmt.Errorf("optim: Adam: Invalid beta parameter at index 1: %v", opts.Betas[1])
	case opts.WeightDecay < 0:
		return nil, fmt.Errorf("optim: Adam: Invalid weight_decay value: %v", opts.WeightDecay)
	}
	ps, err := checkParams("Adam", params)
	if err != nil {
		return nil, err
	}
	n := len(ps)
	return &Adam{params: ps, opts: opts, steps: make([]float64, n), expAvg: make([]*torch.Tensor, n),
		expAvgSq: make([]*torch.Tensor, n), maxExpAvgSq: make([]*torch.Tensor, n)}, nil
}

// Step is optimizer.step(), PyTorch 1.13's _single_tensor_adam:
//
//	g = grad (+ weight_decay * param)
//	m = beta1 * m + (1 - beta1) * g
//	v = beta2 * v + (1 - beta2) * g * g
//	v_max = max(v_max, v) (amsgrad)
//	param -= lr / (1 - beta1^t) * m / (sqrt(v or v_max) / sqrt(1 - beta2^t) + eps)
//
// The state of a parameter is created (as zeros) at its first step with a
// gradient.
func (o *Adam) Step() {
	beta1, beta2 := o.opts.Betas[0], o.opts.Betas[1]
	torch.NoGrad(func() {
		// As PyTorch's _init_group, make every missing state before
		// updating any parameter: the allocator then sees the same
		// sequence (and the same peak) as Python's.
		grads := make([]*torch.Tensor, len(o.params))
		for i, p := range o.params {
			if grads[i] = p.Grad(); grads[i] == nil {
				continue
			}
			if o.expAvg[i] == nil {
				// torch.zeros_like(p, memory_format=torch.preserve_format)
				o.expAvg[i], o.expAvgSq[i] = torch.ZerosLike(p), torch.ZerosLike(p)
				if o.opts.AMSGrad {
					o.maxExpAvgSq[i] = torch.ZerosLike(p)
				}
			}
		}
		for i, p := range o.params {
			grad := grads[i]
			if grad == nil {
				continue
			}
			temps := []*torch.Tensor{grad}
			g := grad
			if o.opts.Maximize {
				g = g.Neg()
				temps = append(temps, g)
			}
			o.steps[i]++
			step := o.steps[i]
			if o.opts.WeightDecay != 0 {
				g = g.Add(p, torch.AddOpts{Alpha: new(torch.Float(o.opts.WeightDecay))})
				temps = append(temps, g)
			}
			expAvg, expAvgSq := o.expAvg[i], o.expAvgSq[i]
			expAvg.MulScalar_(torch.Float(beta1)).Add_(g, torch.AddOpts{Alpha: new(torch.Float(1 - beta1))})
			expAvgSq.MulScalar_(torch.Float(beta2)).Addcmul_(g, g, torch.AddcmulOpts{Value: new(torch.Float(1 - beta2))})

			// Python computes these in float64 from the step's value.
			biasCorrection1 := 1 - math.Pow(beta1, step)
			biasCorrection2 := 1 - math.Pow(beta2, step)
			stepSize := o.opts.LR / biasCorrection1
			biasCorrection2Sqrt := math.Sqrt(biasCorrection2)

			second := expAvgSq
			if o.opts.AMSGrad {
				second = torch.MaximumOut(o.maxExpAvgSq[i], o.maxExpAvgSq[i], expAvgSq)
			}
			// Python frees sqrt's result as soon as the division has used it.
			root := second.Sqrt()
			denom := root.DivScalar(torch.Float(biasCorrection2Sqrt))
			root.Free()
			denom.AddScalar_(torch.Float(o.opts.Eps))
			p.Addcdiv_(expAvg, denom, torch.AddcdivOpts{Value: new(torch.Float(-stepSize))})
			freeAll(append(temps, denom))
		}
	})
}

// ZeroGrad drops the gradients: optimizer.zero_grad() (set_to_none=True).
func (o *Adam) ZeroGrad() { zeroGrad(o.params, true) }

// ZeroGradFill fills the gradients with zeros, keeping their memory:
// optimizer.zero_grad(set_to_none=False).
func (o *Adam) ZeroGradFill() { zeroGrad(o.params, false) }

// LR is optimizer.param_groups[0]['lr'].
func (o *Adam) LR() float64 { return o.opts.LR }

// SetLR is optimizer.param_groups[0]['lr'] = lr; it applies from the next
// Step.
func (o *Adam) SetLR(lr float64) { o.opts.LR = lr }

// Options returns the optimizer's current arguments, defaults filled in
// (param_groups[0]).
func (o *Adam) Options() AdamOptions { return o.opts }

// Parameters is optimizer.param_groups[0]['params'].
func (o *Adam) Parameters() []*torch.Tensor { return append([]*torch.Tensor(nil), o.params...) }

// StepCount is state[p]['step'] for the i-th parameter: how many steps it
// has taken.
func (o *Adam) StepCount(i int) int64 { return int64(o.steps[i]) }

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
	return stateBytes(o.expAvg, o.expAvgSq, o.maxExpAvgSq)
}

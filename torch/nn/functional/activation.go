package functional

import (
	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// ReluOpts are the defaulted arguments of Relu.
type ReluOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Relu is torch.nn.functional.relu: max(x, 0) element-wise.
func Relu(input *torch.Tensor, opts ...ReluOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return input.Relu_()
	}
	return input.Relu()
}

// Relu6Opts are the defaulted arguments of Relu6.
type Relu6Opts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Relu6 is torch.nn.functional.relu6: min(max(x, 0), 6).
func Relu6(input *torch.Tensor, opts ...Relu6Opts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Relu6_(input)
	}
	return torch.Relu6(input)
}

// LeakyReluOpts are the defaulted arguments of LeakyRelu.
type LeakyReluOpts struct {
	NegativeSlope *float64 // default 0.01
	Inplace       bool     // default false
}

// LeakyRelu is torch.nn.functional.leaky_relu: x where x >= 0, else
// negative_slope * x.
func LeakyRelu(input *torch.Tensor, opts ...LeakyReluOpts) *torch.Tensor {
	o := optarg.First(opts)
	a := torch.LeakyReluOpts{NegativeSlope: new(torch.Float(optarg.Or(o.NegativeSlope, 0.01)))}
	if o.Inplace {
		return torch.LeakyRelu_(input, a)
	}
	return torch.LeakyRelu(input, a)
}

// Prelu is torch.nn.functional.prelu: x where x >= 0, else weight * x, with
// one learnt slope per channel (dimension 1) or one for all.
func Prelu(input, weight *torch.Tensor) *torch.Tensor { return input.Prelu(weight) }

// RreluOpts are the defaulted arguments of Rrelu.
type RreluOpts struct {
	Lower    *float64 // default 1/8
	Upper    *float64 // default 1/3
	Training bool     // default false
	Inplace  bool     // default false
}

// Rrelu is torch.nn.functional.rrelu: leaky ReLU whose negative slope is
// drawn from U(lower, upper) for each element while training, and is
// (lower+upper)/2 otherwise.
func Rrelu(input *torch.Tensor, opts ...RreluOpts) *torch.Tensor {
	o := optarg.First(opts)
	a := torch.RreluOpts{
		Lower:    new(torch.Float(optarg.Or(o.Lower, 1.0/8))),
		Upper:    new(torch.Float(optarg.Or(o.Upper, 1.0/3))),
		Training: o.Training,
	}
	if o.Inplace {
		return torch.Rrelu_(input, a)
	}
	return torch.Rrelu(input, a)
}

// EluOpts are the defaulted arguments of Elu.
type EluOpts struct {
	Alpha   *float64 // default 1.0
	Inplace bool     // default false
}

// Elu is torch.nn.functional.elu: x where x > 0, else alpha * (exp(x) - 1).
func Elu(input *torch.Tensor, opts ...EluOpts) *torch.Tensor {
	o := optarg.First(opts)
	a := torch.EluOpts{Alpha: new(torch.Float(optarg.Or(o.Alpha, 1.0)))}
	if o.Inplace {
		return torch.Elu_(input, a)
	}
	return torch.Elu(input, a)
}

// SeluOpts are the defaulted arguments of Selu.
type SeluOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Selu is torch.nn.functional.selu: scale * elu(x, alpha) with the fixed
// constants of Klambauer et al.
func Selu(input *torch.Tensor, opts ...SeluOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Selu_(input)
	}
	return torch.Selu(input)
}

// CeluOpts are the defaulted arguments of Celu.
type CeluOpts struct {
	Alpha   *float64 // default 1.0
	Inplace bool     // default false
}

// Celu is torch.nn.functional.celu: max(0, x) + min(0, alpha * (exp(x /
// alpha) - 1)).
func Celu(input *torch.Tensor, opts ...CeluOpts) *torch.Tensor {
	o := optarg.First(opts)
	a := torch.CeluOpts{Alpha: new(torch.Float(optarg.Or(o.Alpha, 1.0)))}
	if o.Inplace {
		return torch.Celu_(input, a)
	}
	return torch.Celu(input, a)
}

// GeluOpts are the defaulted arguments of Gelu.
type GeluOpts struct {
	// Approximate is "none" (the exact x * Φ(x); "" means "none") or "tanh"
	// (the tanh approximation).
	Approximate string
}

// Gelu is torch.nn.functional.gelu: x * Φ(x), Φ the standard normal
// distribution function, or its tanh approximation.
func Gelu(input *torch.Tensor, opts ...GeluOpts) *torch.Tensor {
	o := optarg.First(opts)
	if o.Approximate == "" {
		return torch.Gelu(input)
	}
	return torch.Gelu(input, torch.GeluOpts{Approximate: new(o.Approximate)})
}

// SiluOpts are the defaulted arguments of Silu.
type SiluOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Silu is torch.nn.functional.silu: x * sigmoid(x) (swish).
func Silu(input *torch.Tensor, opts ...SiluOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Silu_(input)
	}
	return torch.Silu(input)
}

// MishOpts are the defaulted arguments of Mish.
type MishOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Mish is torch.nn.functional.mish: x * tanh(softplus(x)).
func Mish(input *torch.Tensor, opts ...MishOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Mish_(input)
	}
	return torch.Mish(input)
}

// Sigmoid is torch.nn.functional.sigmoid: 1 / (1 + exp(-x)).
func Sigmoid(input *torch.Tensor) *torch.Tensor { return input.Sigmoid() }

// Tanh is torch.nn.functional.tanh.
func Tanh(input *torch.Tensor) *torch.Tensor { return input.Tanh() }

// HardtanhOpts are the defaulted arguments of Hardtanh.
type HardtanhOpts struct {
	MinVal  *float64 // default -1.0
	MaxVal  *float64 // default 1.0
	Inplace bool     // default false
}

// Hardtanh is torch.nn.functional.hardtanh: x clamped to [min_val,
// max_val].
func Hardtanh(input *torch.Tensor, opts ...HardtanhOpts) *torch.Tensor {
	o := optarg.First(opts)
	a := torch.HardtanhOpts{MinVal: new(torch.Float(optarg.Or(o.MinVal, -1.0))), MaxVal: new(torch.Float(optarg.Or(o.MaxVal, 1.0)))}
	if o.Inplace {
		return torch.Hardtanh_(input, a)
	}
	return torch.Hardtanh(input, a)
}

// HardsigmoidOpts are the defaulted arguments of Hardsigmoid.
type HardsigmoidOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Hardsigmoid is torch.nn.functional.hardsigmoid: relu6(x + 3) / 6.
func Hardsigmoid(input *torch.Tensor, opts ...HardsigmoidOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Hardsigmoid_(input)
	}
	return torch.Hardsigmoid(input)
}

// HardswishOpts are the defaulted arguments of Hardswish.
type HardswishOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Hardswish is torch.nn.functional.hardswish: x * relu6(x + 3) / 6.
func Hardswish(input *torch.Tensor, opts ...HardswishOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Hardswish_(input)
	}
	return torch.Hardswish(input)
}

// SoftplusOpts are the defaulted arguments of Softplus.
type SoftplusOpts struct {
	Beta      *float64 // default 1
	Threshold *float64 // default 20
}

// Softplus is torch.nn.functional.softplus: log(1 + exp(beta * x)) / beta,
// and x itself where beta * x > threshold.
func Softplus(input *torch.Tensor, opts ...SoftplusOpts) *torch.Tensor {
	o := optarg.First(opts)
	return torch.Softplus(input, torch.SoftplusOpts{
		Beta:      new(torch.Float(optarg.Or(o.Beta, 1))),
		Threshold: new(torch.Float(optarg.Or(o.Threshold, 20))),
	})
}

// Softsign is torch.nn.functional.softsign: x / (1 + |x|).
func Softsign(input *torch.Tensor) *torch.Tensor {
	return input.Div(input.Abs().AddScalar(torch.Int(1)))
}

// SoftshrinkOpts are the defaulted arguments of Softshrink.
type SoftshrinkOpts struct {
	Lambd *float64 // default 0.5
}

// Softshrink is torch.nn.functional.softshrink: x - lambd where x > lambd,
// x + lambd where x < -lambd, else 0.
func Softshrink(input *torch.Tensor, opts ...SoftshrinkOpts) *torch.Tensor {
	return torch.Softshrink(input, torch.SoftshrinkOpts{Lambd: new(torch.Float(optarg.Or(optarg.First(opts).Lambd, 0.5)))})
}

// HardshrinkOpts are the defaulted arguments of Hardshrink.
type HardshrinkOpts struct {
	Lambd *float64 // default 0.5
}

// Hardshrink is torch.nn.functional.hardshrink: x where |x| > lambd, else
// 0.
func Hardshrink(input *torch.Tensor, opts ...HardshrinkOpts) *torch.Tensor {
	return input.Hardshrink(torch.HardshrinkOpts{Lambd: new(torch.Float(optarg.Or(optarg.First(opts).Lambd, 0.5)))})
}

// Tanhshrink is torch.nn.functional.tanhshrink: x - tanh(x).
func Tanhshrink(input *torch.Tensor) *torch.Tensor { return input.Sub(input.Tanh()) }

// ThresholdOpts are the defaulted arguments of Threshold.
type ThresholdOpts struct {
	Inplace bool // default false: true overwrites the input and returns it
}

// Threshold is torch.nn.functional.threshold: x where x > threshold, else
// value.
func Threshold(input *torch.Tensor, threshold, value float64, opts ...ThresholdOpts) *torch.Tensor {
	if optarg.First(opts).Inplace {
		return torch.Threshold_(input, torch.Float(threshold), torch.Float(value))
	}
	return torch.Threshold(input, torch.Float(threshold), torch.Float(value))
}

// Logsigmoid is torch.nn.functional.logsigmoid: log(sigmoid(x)), computed
// stably.
func Logsigmoid(input *torch.Tensor) *torch.Tensor { return torch.LogSigmoid(input) }

// SoftmaxOpts are the defaulted arguments of Softmax.
type SoftmaxOpts struct {
	// DType, when set, casts the input to this type before the operation
	// (dtype=), as PyTorch does to avoid overflow in half precision.
	DType *torch.DType
}

// Softmax is torch.nn.functional.softmax(input, dim): exp(x) / sum(exp(x))
// along dim. The dimension is required: PyTorch's implicit choice when dim
// is None is deprecated.
func Softmax(input *torch.Tensor, dim int64, opts ...SoftmaxOpts) *torch.Tensor {
	return input.Softmax(dim, torch.SoftmaxOpts{DType: optarg.First(opts).DType})
}

// LogSoftmaxOpts are the defaulted arguments of LogSoftmax.
type LogSoftmaxOpts struct {
	DType *torch.DType // dtype=: the input is cast to it first
}

// LogSoftmax is torch.nn.functional.log_softmax(input, dim): log(softmax(x))
// along dim, computed stably. The dimension is required, as in Softmax.
func LogSoftmax(input *torch.Tensor, dim int64, opts ...LogSoftmaxOpts) *torch.Tensor {
	return input.LogSoftmax(dim, torch.LogSoftmaxOpts{DType: optarg.First(opts).DType})
}

// SoftminOpts are the defaulted arguments of Softmin.
type SoftminOpts struct {
	DType *torch.DType // dtype=: the input is cast to it first
}

// Softmin is torch.nn.functional.softmin(input, dim): softmax(-x) along
// dim. The dimension is required, as in Softmax.
func Softmin(input *torch.Tensor, dim int64, opts ...SoftminOpts) *torch.Tensor {
	return input.Neg().Softmax(dim, torch.SoftmaxOpts{DType: optarg.First(opts).DType})
}

// GluOpts are the defaulted arguments of Glu.
type GluOpts struct {
	Dim *int64 // default -1
}

// Glu is torch.nn.functional.glu: a * sigmoid(b), where a and b are the two
// halves of the input along dim.
func Glu(input *torch.Tensor, opts ...GluOpts) *torch.Tensor {
	if input.Dim() == 0 {
		panic(&torch.Error{Op: "Glu", Msg: "glu does not support scalars because halving size must be even"})
	}
	return torch.Glu(input, torch.GluOpts{Dim: new(optarg.Or(optarg.First(opts).Dim, -1))})
}

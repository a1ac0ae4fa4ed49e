package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// NormBase holds the parameters, buffers and settings that the batch and
// instance normalisation layers share: PyTorch's
// torch.nn.modules.batchnorm._NormBase. BatchNorm1d/2d/3d and
// InstanceNorm1d/2d/3d embed it, so its fields read as theirs
// (bn.RunningMean), and their state_dict keys are PyTorch's: weight, bias,
// running_mean, running_var, num_batches_tracked.
type NormBase struct {
	Weight *torch.Tensor // γ [num_features], ones at first; nil without affine
	Bias   *torch.Tensor // β [num_features], zeros at first; nil without affine

	RunningMean       *torch.Tensor `nn:"running_mean,buffer"`        // [num_features], zeros at first; nil without track_running_stats
	RunningVar        *torch.Tensor `nn:"running_var,buffer"`         // [num_features], ones at first; nil without track_running_stats
	NumBatchesTracked *torch.Tensor `nn:"num_batches_tracked,buffer"` // int64 scalar, the training batches seen; nil without track_running_stats

	NumFeatures       int64    // num_features: C of an input (N, C, ...)
	Eps               float64  // eps: added to the variance
	Momentum          *float64 // momentum of the running statistics' update; nil is PyTorch's None, a cumulative moving average
	Affine            bool     // affine: has Weight and Bias
	TrackRunningStats bool     // track_running_stats: has the running statistics

	eval bool // false while training, so that the layer trains at first as in PyTorch
}

// BatchNormOpts holds the defaulted arguments of NewBatchNorm1d,
// NewBatchNorm2d and NewBatchNorm3d; the zero value is PyTorch's defaults.
type BatchNormOpts struct {
	Eps               *float64 // default 1e-5
	Momentum          *float64 // default 0.1
	MomentumNone      bool     // momentum=None: a cumulative moving average instead (Momentum must then be nil)
	Affine            *bool    // learnable Weight and Bias; default true
	TrackRunningStats *bool    // keep running statistics for evaluation; default true
}

// newNormBase is _NormBase.__init__: the tensors, then reset_parameters
// (which draws no random numbers).
func newNormBase(op string, numFeatures int64, eps float64, momentum *float64, affine, track bool) NormBase {
	if numFeatures < 0 && (affine || track) { // torch.empty's error; PyTorch makes no tensor otherwise
		panic(&torch.Error{Op: op, Msg: fmt.Sprintf("Trying to create tensor with negative dimension %d: [%d]", numFeatures, numFeatures)})
	}
	b := NormBase{NumFeatures: numFeatures, Eps: eps, Momentum: momentum, Affine: affine, TrackRunningStats: track}
	shape := []int64{numFeatures}
	if affine {
		b.Weight = torch.Empty(shape, torch.WithRequiresGrad())
		b.Bias = torch.Empty(shape, torch.WithRequiresGrad())
	}
	if track {
		b.RunningMean = torch.Zeros(shape)
		b.RunningVar = torch.Ones(shape)
		b.NumBatchesTracked = torch.Zeros(nil, torch.WithDType(torch.Int64))
	}
	b.ResetParameters()
	return b
}

// ResetRunningStats is _NormBase.reset_running_stats: running_mean to 0,
// running_var to 1, num_batches_tracked to 0.
func (b *NormBase) ResetRunningStats() {
	if !b.TrackRunningStats {
		return
	}
	torch.NoGrad(func() {
		b.RunningMean.Zero_()
		b.RunningVar.FillScalar_(torch.Int(1))
		b.NumBatchesTracked.Zero_()
	})
}

// ResetParameters is _NormBase.reset_parameters: ResetRunningStats, then
// Weight to ones and Bias to zeros.
func (b *NormBase) ResetParameters() {
	b.ResetRunningStats()
	if b.Affine {
		torch.NoGrad(func() {
			b.Weight.FillScalar_(torch.Int(1))
			b.Bias.Zero_()
		})
	}
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (b *NormBase) SetTraining(training bool) { b.eval = !training }

// IsTraining is Module.training.
func (b *NormBase) IsTraining() bool { return !b.eval }

// extraRepr is _NormBase.extra_repr.
func (b *NormBase) extraRepr() string {
	momentum := "None"
	if b.Momentum != nil {
		momentum = pyfmt.Float(*b.Momentum)
	}
	return fmt.Sprintf("%d, eps=%s, momentum=%s, affine=%s, track_running_stats=%s",
		b.NumFeatures, pyfmt.Float(b.Eps), momentum, pyBoolStr(b.Affine), pyBoolStr(b.TrackRunningStats))
}

// batchNormArgs resolves BatchNormOpts.
func batchNormArgs(op string, numFeatures int64, opts []BatchNormOpts) NormBase {
	var o BatchNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	eps, momentum, affine, track := 1e-5, new(0.1), true, true
	if o.Eps != nil {
		eps = *o.Eps
	}
	if o.MomentumNone {
		if o.Momentum != nil {
			panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: "Momentum and MomentumNone are both set"})
		}
		momentum = nil
	} else if o.Momentum != nil {
		momentum = new(*o.Momentum)
	}
	if o.Affine != nil {
		affine = *o.Affine
	}
	if o.TrackRunningStats != nil {
		track = *o.TrackRunningStats
	}
	return newNormBase(op, numFeatures, eps, momentum, affine, track)
}

// batchNormForward is _BatchNorm.forward after its input check.
func (b *NormBase) batchNormForward(x *torch.Tensor) *torch.Tensor {
	training := !b.eval
	factor := 0.0 // exponential_average_factor
	if b.Momentum != nil {
		factor = *b.Momentum
	}
	if training && b.TrackRunningStats && b.NumBatchesTracked != nil {
		torch.NoGrad(func() { b.NumBatchesTracked.AddScalar_(torch.Int(1)) })
		if b.Momentum == nil { // a cumulative moving average
			factor = 1.0 / float64(b.NumBatchesTracked.ItemInt())
		}
	}
	// Batch statistics while training, and in evaluation without running
	// ones; the running statistics are passed where they are updated or
	// used.
	bnTraining := training || (b.RunningMean == nil && b.RunningVar == nil)
	var mean, variance *torch.Tensor
	if !training || b.TrackRunningStats {
		mean, variance = b.RunningMean, b.RunningVar
	}
	return F.BatchNorm(x, mean, variance, F.BatchNormOpts{Weight: b.Weight, Bias: b.Bias, Training: bnTraining, Momentum: &factor, Eps: &b.Eps})
}

// checkNormDim raises the ValueError of _check_input_dim.
func checkNormDim(op string, x *torch.Tensor, want ...int) {
	d := x.Dim()
	for _, w := range want {
		if d == w {
			return
		}
	}
	var exp string
	switch len(want) {
	case 1:
		exp = fmt.Sprintf("%dD", want[0])
	default:
		exp = fmt.Sprintf("%dD or %dD", want[0], want[1])
	}
	panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf("expected %s input (got %dD input)", exp, d)})
}

// BatchNorm1d normalises each feature of a (N, C) or (N, C, L) input over
// the batch: torch.nn.BatchNorm1d. While training it uses the batch's mean
// and biased variance and updates RunningMean and RunningVar (with the
// unbiased variance); in evaluation mode it uses the running statistics.
// Train and Eval switch it; a new layer trains, as in PyTorch.
type BatchNorm1d struct{ NormBase }

// NewBatchNorm1d is torch.nn.BatchNorm1d(num_features, eps=1e-5,
// momentum=0.1, affine=True, track_running_stats=True), initialised as
// PyTorch does (weight ones, bias zeros, running_mean zeros, running_var
// ones).
func NewBatchNorm1d(numFeatures int64, opts ...BatchNormOpts) *BatchNorm1d {
	return &BatchNorm1d{batchNormArgs("NewBatchNorm1d", numFeatures, opts)}
}

// Forward is nn.BatchNorm1d.forward. It panics unless x is 2-D or 3-D
// (ValueError "expected 2D or 3D input (got 4D input)"), and while
// training with one value per channel.
func (b *BatchNorm1d) Forward(x *torch.Tensor) *torch.Tensor {
	checkNormDim("BatchNorm1d.Forward", x, 2, 3)
	return b.batchNormForward(x)
}

// String prints the layer as PyTorch's repr does: "BatchNorm1d(64,
// eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)".
func (b *BatchNorm1d) String() string { return "BatchNorm1d(" + b.extraRepr() + ")" }

// BatchNorm2d normalises each channel of an (N, C, H, W) input over the
// batch and both spatial dimensions: torch.nn.BatchNorm2d. Training and
// evaluation work as BatchNorm1d's.
type BatchNorm2d struct{ NormBase }

// NewBatchNorm2d is torch.nn.BatchNorm2d(num_features, eps=1e-5,
// momentum=0.1, affine=True, track_running_stats=True).
func NewBatchNorm2d(numFeatures int64, opts ...BatchNormOpts) *BatchNorm2d {
	return &BatchNorm2d{batchNormArgs("NewBatchNorm2d", numFeatures, opts)}
}

// Forward is nn.BatchNorm2d.forward. It panics unless x is 4-D (ValueError
// "expected 4D input (got 3D input)").
func (b *BatchNorm2d) Forward(x *torch.Tensor) *torch.Tensor {
	checkNormDim("BatchNorm2d.Forward", x, 4)
	return b.batchNormForward(x)
}

// String prints the layer as PyTorch's repr does.
func (b *BatchNorm2d) String() string { return "BatchNorm2d(" + b.extraRepr() + ")" }

// BatchNorm3d normalises each channel of an (N, C, D, H, W) input over the
// batch and the three spatial dimensions: torch.nn.BatchNorm3d. Training
// and evaluation work as BatchNorm1d's.
type BatchNorm3d struct{ NormBase }

// NewBatchNorm3d is torch.nn.BatchNorm3d(num_features, eps=1e-5,
// momentum=0.1, affine=True, track_running_stats=True).
func NewBatchNorm3d(numFeatures int64, opts ...BatchNormOpts) *BatchNorm3d {
	return &BatchNorm3d{batchNormArgs("NewBatchNorm3d", numFeatures, opts)}
}

// Forward is nn.BatchNorm3d.forward. It panics unless x is 5-D.
func (b *BatchNorm3d) Forward(x *torch.Tensor) *torch.Tensor {
	checkNormDim("BatchNorm3d.Forward", x, 5)
	return b.batchNormForward(x)
}

// String prints the layer as PyTorch's repr does.
func (b *BatchNorm3d) String() string { return "BatchNorm3d(" + b.extraRepr() + ")" }

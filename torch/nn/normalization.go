package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// GroupNorm splits the channels of an (N, C, ...) input into NumGroups
// groups and normalises each group of each sample, then applies a
// per-channel Weight and Bias: torch.nn.GroupNorm. It behaves the same in
// training and evaluation.
type GroupNorm struct {
	Weight *torch.Tensor // γ [num_channels], ones at first; nil without affine
	Bias   *torch.Tensor // β [num_channels], zeros at first; nil without affine

	NumGroups   int64   // num_groups
	NumChannels int64   // num_channels
	Eps         float64 // eps: added to the variance
	Affine      bool    // affine: has Weight and Bias
}

// GroupNormOpts holds the defaulted arguments of NewGroupNorm; the zero
// value is PyTorch's defaults.
type GroupNormOpts struct {
	Eps    *float64 // default 1e-5
	Affine *bool    // learnable Weight and Bias; default true
}

// NewGroupNorm is torch.nn.GroupNorm(num_groups, num_channels, eps=1e-5,
// affine=True), initialised as PyTorch does (weight ones, bias zeros). It
// panics, as PyTorch raises, unless numChannels is divisible by numGroups
// (ValueError "num_channels must be divisible by num_groups").
func NewGroupNorm(numGroups, numChannels int64, opts ...GroupNormOpts) *GroupNorm {
	var o GroupNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	g := &GroupNorm{NumGroups: numGroups, NumChannels: numChannels, Eps: 1e-5, Affine: true}
	if o.Eps != nil {
		g.Eps = *o.Eps
	}
	if o.Affine != nil {
		g.Affine = *o.Affine
	}
	if numGroups == 0 {
		panic(&torch.Error{Op: "NewGroupNorm", Msg: "integer modulo by zero"}) // Python's ZeroDivisionError
	}
	if numChannels%numGroups != 0 {
		panic(&torch.Error{Op: "NewGroupNorm", Kind: torch.KindValue, Msg: "num_channels must be divisible by num_groups"})
	}
	if g.Affine {
		g.Weight = torch.Empty([]int64{numChannels}, torch.WithRequiresGrad())
		g.Bias = torch.Empty([]int64{numChannels}, torch.WithRequiresGrad())
	}
	g.ResetParameters()
	return g
}

// ResetParameters is nn.GroupNorm.reset_parameters: Weight to ones, Bias
// to zeros.
func (g *GroupNorm) ResetParameters() {
	if g.Affine {
		torch.NoGrad(func() {
			g.Weight.FillScalar_(torch.Int(1))
			g.Bias.Zero_()
		})
	}
}

// Forward is nn.GroupNorm.forward: torch.nn.functional.group_norm(x,
// num_groups, weight, bias, eps).
func (g *GroupNorm) Forward(x *torch.Tensor) *torch.Tensor {
	return F.GroupNorm(x, g.NumGroups, F.GroupNormOpts{Weight: g.Weight, Bias: g.Bias, Eps: &g.Eps})
}

// String prints the layer as PyTorch's repr does: "GroupNorm(2, 4,
// eps=1e-05, affine=True)".
func (g *GroupNorm) String() string {
	return fmt.Sprintf("GroupNorm(%d, %d, eps=%s, affine=%s)", g.NumGroups, g.NumChannels, pyfmt.Float(g.Eps), pyBoolStr(g.Affine))
}

// InstanceNormOpts holds the defaulted arguments of NewInstanceNorm1d,
// NewInstanceNorm2d and NewInstanceNorm3d; the zero value is PyTorch's
// defaults (no affine parameters, no running statistics).
type InstanceNormOpts struct {
	Eps               *float64 // default 1e-5
	Momentum          *float64 // default 0.1
	MomentumNone      bool     // momentum=None, which PyTorch 1.13's forward rejects (TypeError) and 2.x's takes as 0.0, as Forward does (Momentum must then be nil)
	Affine            bool     // learnable Weight and Bias; default false
	TrackRunningStats bool     // keep running statistics for evaluation; default false
}

func instanceNormArgs(op string, numFeatures int64, opts []InstanceNormOpts) NormBase {
	var o InstanceNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	eps, momentum := 1e-5, new(0.1)
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
	return newNormBase(op, numFeatures, eps, momentum, o.Affine, o.TrackRunningStats)
}

// instanceNormForward is _InstanceNorm.forward after its input check: an
// input of noBatchDim dimensions gets a batch dimension for the call.
func (b *NormBase) instanceNormForward(op string, x *torch.Tensor, noBatchDim int) *torch.Tensor {
	momentum := b.Momentum
	if momentum == nil {
		// momentum=None: PyTorch 1.13 passes it on and instance_norm refuses
		// it; 2.x passes 0.0 instead (checked on 2.6).
		if !torch.VersionAtLeast(2, 1) {
			panic(&torch.Error{Op: op, Kind: torch.KindType, Msg: "instance_norm(): argument 'momentum' (position 7) must be float, not NoneType"})
		}
		momentum = new(0.0)
	}
	apply := func(x *torch.Tensor) *torch.Tensor {
		return F.InstanceNorm(x, F.InstanceNormOpts{
			RunningMean: b.RunningMean, RunningVar: b.RunningVar, Weight: b.Weight, Bias: b.Bias,
			UseInputStats: new(!b.eval || !b.TrackRunningStats), Momentum: momentum, Eps: &b.Eps,
		})
	}
	if x.Dim() == noBatchDim {
		return apply(x.Unsqueeze(0)).SqueezeDim(0)
	}
	return apply(x)
}

// InstanceNorm1d normalises each channel of each sample of an (N, C, L) or
// unbatched (C, L) input separately: torch.nn.InstanceNorm1d. With
// TrackRunningStats it keeps running statistics while training and uses
// them in evaluation mode; otherwise it uses each instance's own in both.
type InstanceNorm1d struct{ NormBase }

// NewInstanceNorm1d is torch.nn.InstanceNorm1d(num_features, eps=1e-5,
// momentum=0.1, affine=False, track_running_stats=False).
func NewInstanceNorm1d(numFeatures int64, opts ...InstanceNormOpts) *InstanceNorm1d {
	return &InstanceNorm1d{instanceNormArgs("NewInstanceNorm1d", numFeatures, opts)}
}

// Forward is nn.InstanceNorm1d.forward. It panics unless x is 2-D or 3-D
// (ValueError "expected 2D or 3D input (got 4D input)").
func (b *InstanceNorm1d) Forward(x *torch.Tensor) *torch.Tensor {
	checkNormDim("InstanceNorm1d.Forward", x, 2, 3)
	return b.instanceNormForward("InstanceNorm1d.Forward", x, 2)
}

// String prints the layer as PyTorch's repr does: "InstanceNorm1d(3,
// eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)".
func (b *InstanceNorm1d) String() string { return "InstanceNorm1d(" + b.extraRepr() + ")" }

// InstanceNorm2d normalises each channel of each sample of an (N, C, H, W)
// or unbatched (C, H, W) input separately: torch.nn.InstanceNorm2d.
// Training and evaluation work as InstanceNorm1d's.
type InstanceNorm2d struct{ NormBase }

// NewInstanceNorm2d is torch.nn.InstanceNorm2d(num_features, eps=1e-5,
// momentum=0.1, affine=False, track_running_stats=False).
func NewInstanceNorm2d(numFeatures int64, opts ...InstanceNormOpts) *InstanceNorm2d {
	return &InstanceNorm2d{instanceNormArgs("NewInstanceNorm2d", numFeatures, opts)}
}

// Forward is nn.InstanceNorm2d.forward. It panics unless x is 3-D or 4-D.
func (b *InstanceNorm2d) Forward(x *torch.Tensor) *torch.Tensor {
	checkNormDim("InstanceNorm2d.Forward", x, 3, 4)
	return b.instanceNormForward("InstanceNorm2d.Forward", x, 3)
}

// String prints the layer as PyTorch's repr does.
func (b *InstanceNorm2d) String() string { return "InstanceNorm2d(" + b.extraRepr() + ")" }

// InstanceNorm3d normalises each channel of each sample of an (N, C, D, H,
// W) or unbatched (C, D, H, W) input separately: torch.nn.InstanceNorm3d.
// Training and evaluation work as InstanceNorm1d's.
type InstanceNorm3d struct{ NormBase }

// NewInstanceNorm3d is torch.nn.InstanceNorm3d(num_features, eps=1e-5,
// momentum=0.1, affine=False, track_running_stats=False).
func NewInstanceNorm3d(numFeatures int64, opts ...InstanceNormOpts) *InstanceNorm3d {
	return &InstanceNorm3d{instanceNormArgs("NewInstanceNorm3d", numFeatures, opts)}
}

// Forward is nn.InstanceNorm3d.forward. It panics unless x is 4-D or 5-D.
func (b *InstanceNorm3d) Forward(x *torch.Tensor) *torch.Tensor {
	checkNormDim("InstanceNorm3d.Forward", x, 4, 5)
	return b.instanceNormForward("InstanceNorm3d.Forward", x, 4)
}

// String prints the layer as PyTorch's repr does.
func (b *InstanceNorm3d) String() string { return "InstanceNorm3d(" + b.extraRepr() + ")" }

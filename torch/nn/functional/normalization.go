package functional

import (
	"fmt"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// BatchNormOpts holds the defaulted arguments of BatchNorm; the zero value
// is PyTorch's defaults.
type BatchNormOpts struct {
	Weight   *torch.Tensor // γ, one per channel; default nil (none)
	Bias     *torch.Tensor // β, one per channel; default nil (none)
	Training bool          // normalise with the batch's statistics (and update the running ones); default false
	Momentum *float64      // weight of the batch's statistics in the running ones' update; default 0.1
	Eps      *float64      // added to the variance; default 1e-5
}

// BatchNorm normalises each channel (dimension 1) of x: torch.nn.functional.
// batch_norm(x, running_mean, running_var, weight=None, bias=None,
// training=False, momentum=0.1, eps=1e-5). In training it uses the batch's
// mean and biased variance and, where runningMean and runningVar are not
// nil, updates them in place with momentum (running_var from the unbiased
// variance); otherwise it normalises with runningMean and runningVar.
// Training with one value per channel panics with PyTorch's ValueError.
func BatchNorm(x, runningMean, runningVar *torch.Tensor, opts ...BatchNormOpts) *torch.Tensor {
	var o BatchNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	momentum, eps := 0.1, 1e-5
	if o.Momentum != nil {
		momentum = *o.Momentum
	}
	if o.Eps != nil {
		eps = *o.Eps
	}
	if o.Training {
		verifyBatchSize("BatchNorm", x.Shape(), x.Shape().String())
	}
	return torch.BatchNorm(x, o.Weight, o.Bias, runningMean, runningVar, o.Training, momentum, eps, true)
}

// verifyBatchSize is torch.nn.functional._verify_batch_size: training needs
// more than one value per channel. shown is size as Python prints it (a
// torch.Size, or a list for group_norm).
func verifyBatchSize(op string, size torch.Size, shown string) {
	if len(size) < 2 {
		return // libtorch reports the wrong rank itself
	}
	prod := size[0]
	for _, s := range size[2:] {
		prod *= s
	}
	if prod == 1 {
		panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf("Expected more than 1 value per channel when training, got input size %s", shown)})
	}
}

// InstanceNormOpts holds the defaulted arguments of InstanceNorm; the zero
// value is PyTorch's defaults.
type InstanceNormOpts struct {
	RunningMean   *torch.Tensor // running mean per channel, updated when UseInputStats; default nil (none)
	RunningVar    *torch.Tensor // running variance per channel; default nil (none)
	Weight        *torch.Tensor // γ, one per channel; default nil (none)
	Bias          *torch.Tensor // β, one per channel; default nil (none)
	UseInputStats *bool         // normalise with each instance's own statistics; default true
	Momentum      *float64      // weight of the new statistics in the running ones' update; default 0.1
	Eps           *float64      // added to the variance; default 1e-5
}

// InstanceNorm normalises each channel of each sample of x (N, C, ...)
// separately: torch.nn.functional.instance_norm(x, running_mean=None,
// running_var=None, weight=None, bias=None, use_input_stats=True,
// momentum=0.1, eps=1e-5). With UseInputStats and one spatial element it
// panics with PyTorch's ValueError.
func InstanceNorm(x *torch.Tensor, opts ...InstanceNormOpts) *torch.Tensor {
	var o InstanceNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	useInputStats := true
	if o.UseInputStats != nil {
		useInputStats = *o.UseInputStats
	}
	momentum, eps := 0.1, 1e-5
	if o.Momentum != nil {
		momentum = *o.Momentum
	}
	if o.Eps != nil {
		eps = *o.Eps
	}
	if useInputStats {
		size := x.Shape()
		prod := int64(1)
		for i := 2; i < len(size); i++ {
			prod *= size[i]
		}
		if prod == 1 {
			panic(&torch.Error{Op: "InstanceNorm", Kind: torch.KindValue, Msg: fmt.Sprintf("Expected more than 1 spatial element when training, got input size %v", size)})
		}
	}
	return torch.InstanceNorm(x, o.Weight, o.Bias, o.RunningMean, o.RunningVar, useInputStats, momentum, eps, true)
}

// GroupNormOpts holds the defaulted arguments of GroupNorm; the zero value
// is PyTorch's defaults.
type GroupNormOpts struct {
	Weight *torch.Tensor // γ, one per channel; default nil (none)
	Bias   *torch.Tensor // β, one per channel; default nil (none)
	Eps    *float64      // added to the variance; default 1e-5
}

// GroupNorm splits the channels (dimension 1) of x into numGroups groups and
// normalises each group of each sample: torch.nn.functional.group_norm(x,
// num_groups, weight=None, bias=None, eps=1e-5). It panics where libtorch
// or Python raise: channels not divisible by numGroups, or one value per
// group.
func GroupNorm(x *torch.Tensor, numGroups int64, opts ...GroupNormOpts) *torch.Tensor {
	var o GroupNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	eps := 1e-5
	if o.Eps != nil {
		eps = *o.Eps
	}
	if size := x.Shape(); len(size) >= 2 {
		if numGroups == 0 {
			panic(&torch.Error{Op: "GroupNorm", Msg: "integer division or modulo by zero"}) // Python's ZeroDivisionError
		}
		v := append(torch.Size{groupNormFloorDiv(size[0]*size[1], numGroups), numGroups}, size[2:]...)
		verifyBatchSize("GroupNorm", v, strings.ReplaceAll(fmt.Sprint([]int64(v)), " ", ", "))
	}
	return torch.GroupNorm(x, numGroups, torch.GroupNormOpts{Weight: o.Weight, Bias: o.Bias, Eps: &eps})
}

// groupNormFloorDiv is Python's a // b, which rounds towards minus infinity.
func groupNormFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

package functional

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// MaxPoolOpts holds the defaulted arguments of MaxPool1d, MaxPool2d,
// MaxPool3d and their WithIndices forms (torch.nn.functional.max_pool1d/2d/3d);
// the zero value is PyTorch's defaults.
type MaxPoolOpts struct {
	Stride   []int64 // stride=None: nil means kernel_size
	Padding  []int64 // padding=0: implicit -inf padding on both sides, at most half the kernel
	Dilation []int64 // dilation=1
	CeilMode bool    // ceil_mode=False: use ceil instead of floor for the output size
}

// MaxPool1dOpts holds the defaulted arguments of MaxPool1d.
type MaxPool1dOpts = MaxPoolOpts

// MaxPool2dOpts holds the defaulted arguments of MaxPool2d.
type MaxPool2dOpts = MaxPoolOpts

// MaxPool3dOpts holds the defaulted arguments of MaxPool3d.
type MaxPool3dOpts = MaxPoolOpts

func maxPoolOpts(opts []MaxPoolOpts) MaxPoolOpts {
	if len(opts) > 0 {
		return opts[0]
	}
	return MaxPoolOpts{}
}

// MaxPool1d is torch.nn.functional.max_pool1d(x, kernel_size, stride,
// padding, dilation, ceil_mode) over x [N, C, L] or [C, L].
func MaxPool1d(x *torch.Tensor, kernelSize []int64, opts ...MaxPool1dOpts) *torch.Tensor {
	o := maxPoolOpts(opts)
	return torch.MaxPool1d(x, kernelSize, torch.MaxPool1dOpts{Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, CeilMode: o.CeilMode})
}

// MaxPool1dWithIndices is MaxPool1d that also returns the flat index of
// each maximum within its plane (int64): max_pool1d(...,
// return_indices=True).
func MaxPool1dWithIndices(x *torch.Tensor, kernelSize []int64, opts ...MaxPool1dOpts) (out, indices *torch.Tensor) {
	o := maxPoolOpts(opts)
	return torch.MaxPool1dWithIndices(x, kernelSize, torch.MaxPool1dWithIndicesOpts{Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, CeilMode: o.CeilMode})
}

// MaxPool2d is torch.nn.functional.max_pool2d(x, kernel_size, stride,
// padding, dilation, ceil_mode) over x [N, C, H, W] or [C, H, W].
func MaxPool2d(x *torch.Tensor, kernelSize []int64, opts ...MaxPool2dOpts) *torch.Tensor {
	o := maxPoolOpts(opts)
	return torch.MaxPool2d(x, kernelSize, torch.MaxPool2dOpts{Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, CeilMode: o.CeilMode})
}

// MaxPool2dWithIndices is MaxPool2d that also returns the flat index of
// each maximum within its H×W plane (int64): max_pool2d(...,
// return_indices=True).
func MaxPool2dWithIndices(x *torch.Tensor, kernelSize []int64, opts ...MaxPool2dOpts) (out, indices *torch.Tensor) {
	o := maxPoolOpts(opts)
	return torch.MaxPool2dWithIndices(x, kernelSize, torch.MaxPool2dWithIndicesOpts{Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, CeilMode: o.CeilMode})
}

// MaxPool3d is torch.nn.functional.max_pool3d(x, kernel_size, stride,
// padding, dilation, ceil_mode) over x [N, C, D, H, W] or [C, D, H, W].
func MaxPool3d(x *torch.Tensor, kernelSize []int64, opts ...MaxPool3dOpts) *torch.Tensor {
	o := maxPoolOpts(opts)
	return torch.MaxPool3d(x, kernelSize, torch.MaxPool3dOpts{Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, CeilMode: o.CeilMode})
}

// MaxPool3dWithIndices is MaxPool3d that also returns the flat index of
// each maximum within its D×H×W volume (int64): max_pool3d(...,
// return_indices=True).
func MaxPool3dWithIndices(x *torch.Tensor, kernelSize []int64, opts ...MaxPool3dOpts) (out, indices *torch.Tensor) {
	o := maxPoolOpts(opts)
	return torch.MaxPool3dWithIndices(x, kernelSize, torch.MaxPool3dWithIndicesOpts{Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, CeilMode: o.CeilMode})
}

// AvgPool1dOpts holds the defaulted arguments of AvgPool1d
// (torch.nn.functional.avg_pool1d); the zero value is PyTorch's defaults.
type AvgPool1dOpts struct {
	Stride   []int64 // stride=None: nil means kernel_size
	Padding  []int64 // padding=0: implicit zero padding on both sides, at most half the kernel
	CeilMode bool    // ceil_mode=False: use ceil instead of floor for the output size
	// CountIncludePad is count_include_pad=True: the zero padding counts in
	// the divisor.
	CountIncludePad *bool
}

// AvgPoolOpts holds the defaulted arguments of AvgPool2d and AvgPool3d
// (torch.nn.functional.avg_pool2d/3d); the zero value is PyTorch's
// defaults.
type AvgPoolOpts struct {
	Stride   []int64 // stride=None: nil means kernel_size
	Padding  []int64 // padding=0: implicit zero padding on both sides, at most half the kernel
	CeilMode bool    // ceil_mode=False: use ceil instead of floor for the output size
	// CountIncludePad is count_include_pad=True: the zero padding counts in
	// the divisor.
	CountIncludePad *bool
	// DivisorOverride is divisor_override=None: when set, the divisor of
	// every window.
	DivisorOverride *int64
}

// AvgPool2dOpts holds the defaulted arguments of AvgPool2d.
type AvgPool2dOpts = AvgPoolOpts

// AvgPool3dOpts holds the defaulted arguments of AvgPool3d.
type AvgPool3dOpts = AvgPoolOpts

func avgPoolOpts(opts []AvgPoolOpts) AvgPoolOpts {
	if len(opts) > 0 {
		return opts[0]
	}
	return AvgPoolOpts{}
}

// AvgPool1d is torch.nn.functional.avg_pool1d(x, kernel_size, stride,
// padding, ceil_mode, count_include_pad) over x [N, C, L] or [C, L].
func AvgPool1d(x *torch.Tensor, kernelSize []int64, opts ...AvgPool1dOpts) *torch.Tensor {
	var o AvgPool1dOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return torch.AvgPool1d(x, kernelSize, torch.AvgPool1dOpts{Stride: o.Stride, Padding: o.Padding, CeilMode: o.CeilMode, CountIncludePad: o.CountIncludePad})
}

// AvgPool2d is torch.nn.functional.avg_pool2d(x, kernel_size, stride,
// padding, ceil_mode, count_include_pad, divisor_override) over x [N, C, H,
// W] or [C, H, W].
func AvgPool2d(x *torch.Tensor, kernelSize []int64, opts ...AvgPool2dOpts) *torch.Tensor {
	o := avgPoolOpts(opts)
	return torch.AvgPool2d(x, kernelSize, torch.AvgPool2dOpts{Stride: o.Stride, Padding: o.Padding, CeilMode: o.CeilMode,
		CountIncludePad: o.CountIncludePad, DivisorOverride: o.DivisorOverride})
}

// AvgPool3d is torch.nn.functional.avg_pool3d(x, kernel_size, stride,
// padding, ceil_mode, count_include_pad, divisor_override) over x [N, C, D,
// H, W] or [C, D, H, W].
func AvgPool3d(x *torch.Tensor, kernelSize []int64, opts ...AvgPool3dOpts) *torch.Tensor {
	o := avgPoolOpts(opts)
	return torch.AvgPool3d(x, kernelSize, torch.AvgPool3dOpts{Stride: o.Stride, Padding: o.Padding, CeilMode: o.CeilMode,
		CountIncludePad: o.CountIncludePad, DivisorOverride: o.DivisorOverride})
}

// AdaptiveAvgPool1d averages x [N, C, L] or [C, L] over windows chosen so
// that the output has length outputSize[0]:
// torch.nn.functional.adaptive_avg_pool1d(x, output_size).
func AdaptiveAvgPool1d(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	return torch.AdaptiveAvgPool1d(x, outputSize)
}

// AdaptiveAvgPool2d averages x [N, C, H, W] or [C, H, W] over windows
// chosen so that the output is outputSize (one value for both dimensions):
// torch.nn.functional.adaptive_avg_pool2d(x, output_size).
func AdaptiveAvgPool2d(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	return torch.AdaptiveAvgPool2d(x, outputSize)
}

// AdaptiveAvgPool3d is torch.nn.functional.adaptive_avg_pool3d(x,
// output_size) over x [N, C, D, H, W] or [C, D, H, W].
func AdaptiveAvgPool3d(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	return torch.AdaptiveAvgPool3d(x, outputSize)
}

// AdaptiveMaxPool1d takes the maximum of x [N, C, L] or [C, L] over windows
// chosen so that the output has length outputSize[0]:
// torch.nn.functional.adaptive_max_pool1d(x, output_size).
func AdaptiveMaxPool1d(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	out, _ := torch.AdaptiveMaxPool1d(x, outputSize)
	return out
}

// AdaptiveMaxPool1dWithIndices is AdaptiveMaxPool1d that also returns the
// indices of the maxima: adaptive_max_pool1d(..., return_indices=True).
func AdaptiveMaxPool1dWithIndices(x *torch.Tensor, outputSize []int64) (out, indices *torch.Tensor) {
	return torch.AdaptiveMaxPool1d(x, outputSize)
}

// AdaptiveMaxPool2d is torch.nn.functional.adaptive_max_pool2d(x,
// output_size) over x [N, C, H, W] or [C, H, W]; one value of outputSize
// applies to both dimensions.
func AdaptiveMaxPool2d(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	out, _ := torch.AdaptiveMaxPool2d(x, outputSize)
	return out
}

// AdaptiveMaxPool2dWithIndices is AdaptiveMaxPool2d that also returns the
// flat indices of the maxima within each H×W plane:
// adaptive_max_pool2d(..., return_indices=True).
func AdaptiveMaxPool2dWithIndices(x *torch.Tensor, outputSize []int64) (out, indices *torch.Tensor) {
	return torch.AdaptiveMaxPool2d(x, outputSize)
}

// AdaptiveMaxPool3d is torch.nn.functional.adaptive_max_pool3d(x,
// output_size) over x [N, C, D, H, W] or [C, D, H, W].
func AdaptiveMaxPool3d(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	out, _ := torch.AdaptiveMaxPool3d(x, outputSize)
	return out
}

// AdaptiveMaxPool3dWithIndices is AdaptiveMaxPool3d that also returns the
// indices of the maxima: adaptive_max_pool3d(..., return_indices=True).
func AdaptiveMaxPool3dWithIndices(x *torch.Tensor, outputSize []int64) (out, indices *torch.Tensor) {
	return torch.AdaptiveMaxPool3d(x, outputSize)
}

package nn

import (
	"fmt"
	"slices"

	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// The pooling layers keep their arguments as given, as PyTorch's do (a
// one-element []int64 stands for Python's int and prints as one), so that
// String prints PyTorch's repr. They hold no parameters. Bad sizes are
// reported by libtorch when Forward runs, as in PyTorch.

// poolPyInts prints an "int or tuple" argument as Python prints what the
// user passed: 2 for []int64{2}, (2, 3) for []int64{2, 3}.
func poolPyInts(v []int64) string {
	if len(v) == 1 {
		return fmt.Sprint(v[0])
	}
	return convPyTuple(v)
}

func poolPyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// poolOr returns a copy of v, or def when v is nil.
func poolOr(v, def []int64) []int64 {
	if v == nil {
		return slices.Clone(def)
	}
	return slices.Clone(v)
}

// MaxPoolOpts holds the defaulted arguments of NewMaxPool1d, NewMaxPool2d
// and NewMaxPool3d (torch.nn.MaxPool1d/2d/3d); the zero value is PyTorch's
// defaults. return_indices=True is the layers' ForwardWithIndices method.
type MaxPoolOpts struct {
	Stride   []int64 // stride=None: the kernel size
	Padding  []int64 // padding=0: implicit -inf padding on both sides, at most half the kernel
	Dilation []int64 // dilation=1
	CeilMode bool    // ceil_mode=False: use ceil instead of floor for the output size
}

// MaxPool1dOpts holds the defaulted arguments of NewMaxPool1d.
type MaxPool1dOpts = MaxPoolOpts

// MaxPool2dOpts holds the defaulted arguments of NewMaxPool2d.
type MaxPool2dOpts = MaxPoolOpts

// MaxPool3dOpts holds the defaulted arguments of NewMaxPool3d.
type MaxPool3dOpts = MaxPoolOpts

func maxPoolFields(kernelSize []int64, opts []MaxPoolOpts) (k, s, p, d []int64, ceil bool) {
	var o MaxPoolOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	k = slices.Clone(kernelSize)
	return k, poolOr(o.Stride, k), poolOr(o.Padding, []int64{0}), poolOr(o.Dilation, []int64{1}), o.CeilMode
}

func maxPoolRepr(name string, k, s, p, d []int64, ceil bool) string {
	return fmt.Sprintf("%s(kernel_size=%s, stride=%s, padding=%s, dilation=%s, ceil_mode=%s)", name,
		poolPyInts(k), poolPyInts(s), poolPyInts(p), poolPyInts(d), poolPyBool(ceil))
}

// MaxPool1d takes the maximum over sliding windows of an input [N, C, L]
// (or [C, L]): torch.nn.MaxPool1d.
type MaxPool1d struct {
	KernelSize, Stride, Padding, Dilation []int64
	CeilMode                              bool
}

// NewMaxPool1d is torch.nn.MaxPool1d(kernelSize, ...).
func NewMaxPool1d(kernelSize []int64, opts ...MaxPool1dOpts) *MaxPool1d {
	m := &MaxPool1d{}
	m.KernelSize, m.Stride, m.Padding, m.Dilation, m.CeilMode = maxPoolFields(kernelSize, opts)
	return m
}

func (m *MaxPool1d) opts() F.MaxPoolOpts {
	return F.MaxPoolOpts{Stride: m.Stride, Padding: m.Padding, Dilation: m.Dilation, CeilMode: m.CeilMode}
}

// Forward is nn.MaxPool1d.forward: F.MaxPool1d.
func (m *MaxPool1d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.MaxPool1d(x, m.KernelSize, m.opts())
}

// ForwardWithIndices is the forward of nn.MaxPool1d(..., return_indices=True):
// the output and the index of each maximum along L (int64), for
// max_unpool1d.
func (m *MaxPool1d) ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor) {
	return F.MaxPool1dWithIndices(x, m.KernelSize, m.opts())
}

// String prints the layer as PyTorch's repr does:
// "MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)".
func (m *MaxPool1d) String() string {
	return maxPoolRepr("MaxPool1d", m.KernelSize, m.Stride, m.Padding, m.Dilation, m.CeilMode)
}

// MaxPool2d takes the maximum over sliding windows of an input [N, C, H,
// W] (or [C, H, W]): torch.nn.MaxPool2d.
type MaxPool2d struct {
	KernelSize, Stride, Padding, Dilation []int64
	CeilMode                              bool
}

// NewMaxPool2d is torch.nn.MaxPool2d(kernelSize, ...).
//
//	pool := nn.NewMaxPool2d([]int64{2}) // MaxPool2d(kernel_size=2, stride=2, ...)
func NewMaxPool2d(kernelSize []int64, opts ...MaxPool2dOpts) *MaxPool2d {
	m := &MaxPool2d{}
	m.KernelSize, m.Stride, m.Padding, m.Dilation, m.CeilMode = maxPoolFields(kernelSize, opts)
	return m
}

func (m *MaxPool2d) opts() F.MaxPoolOpts {
	return F.MaxPoolOpts{Stride: m.Stride, Padding: m.Padding, Dilation: m.Dilation, CeilMode: m.CeilMode}
}

// Forward is nn.MaxPool2d.forward: F.MaxPool2d.
func (m *MaxPool2d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.MaxPool2d(x, m.KernelSize, m.opts())
}

// ForwardWithIndices is the forward of nn.MaxPool2d(..., return_indices=True):
// the output and the flat index of each maximum within its H×W plane
// (int64), for max_unpool2d.
func (m *MaxPool2d) ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor) {
	return F.MaxPool2dWithIndices(x, m.KernelSize, m.opts())
}

// String prints the layer as PyTorch's repr does:
// "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)".
func (m *MaxPool2d) String() string {
	return maxPoolRepr("MaxPool2d", m.KernelSize, m.Stride, m.Padding, m.Dilation, m.CeilMode)
}

// MaxPool3d takes the maximum over sliding windows of an input [N, C, D,
// H, W] (or [C, D, H, W]): torch.nn.MaxPool3d.
type MaxPool3d struct {
	KernelSize, Stride, Padding, Dilation []int64
	CeilMode                              bool
}

// NewMaxPool3d is torch.nn.MaxPool3d(kernelSize, ...).
func NewMaxPool3d(kernelSize []int64, opts ...MaxPool3dOpts) *MaxPool3d {
	m := &MaxPool3d{}
	m.KernelSize, m.Stride, m.Padding, m.Dilation, m.CeilMode = maxPoolFields(kernelSize, opts)
	return m
}

func (m *MaxPool3d) opts() F.MaxPoolOpts {
	return F.MaxPoolOpts{Stride: m.Stride, Padding: m.Padding, Dilation: m.Dilation, CeilMode: m.CeilMode}
}

// Forward is nn.MaxPool3d.forward: F.MaxPool3d.
func (m *MaxPool3d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.MaxPool3d(x, m.KernelSize, m.opts())
}

// ForwardWithIndices is the forward of nn.MaxPool3d(..., return_indices=True):
// the output and the flat index of each maximum within its D×H×W volume.
func (m *MaxPool3d) ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor) {
	return F.MaxPool3dWithIndices(x, m.KernelSize, m.opts())
}

// String prints the layer as PyTorch's repr does.
func (m *MaxPool3d) String() string {
	return maxPoolRepr("MaxPool3d", m.KernelSize, m.Stride, m.Padding, m.Dilation, m.CeilMode)
}

// AvgPool1dOpts holds the defaulted arguments of NewAvgPool1d
// (torch.nn.AvgPool1d); the zero value is PyTorch's defaults.
type AvgPool1dOpts struct {
	Stride   []int64 // stride=None: the kernel size
	Padding  []int64 // padding=0: implicit zero padding on both sides, at most half the kernel
	CeilMode bool    // ceil_mode=False: use ceil instead of floor for the output size
	// CountIncludePad is count_include_pad=True: the zero padding counts in
	// the divisor.
	CountIncludePad *bool
}

// AvgPoolOpts holds the defaulted arguments of NewAvgPool2d and
// NewAvgPool3d (torch.nn.AvgPool2d/3d); the zero value is PyTorch's
// defaults.
type AvgPoolOpts struct {
	Stride   []int64 // stride=None: the kernel size
	Padding  []int64 // padding=0: implicit zero padding on both sides, at most half the kernel
	CeilMode bool    // ceil_mode=False: use ceil instead of floor for the output size
	// CountIncludePad is count_include_pad=True: the zero padding counts in
	// the divisor.
	CountIncludePad *bool
	// DivisorOverride is divisor_override=None: when set, the divisor of
	// every window.
	DivisorOverride *int64
}

// AvgPool2dOpts holds the defaulted arguments of NewAvgPool2d.
type AvgPool2dOpts = AvgPoolOpts

// AvgPool3dOpts holds the defaulted arguments of NewAvgPool3d.
type AvgPool3dOpts = AvgPoolOpts

// AvgPool1d averages sliding windows of an input [N, C, L] (or [C, L]):
// torch.nn.AvgPool1d. As PyTorch's, it keeps its sizes as one-element
// tuples, which String prints as "(3,)".
type AvgPool1d struct {
	KernelSize, Stride, Padding []int64
	CeilMode                    bool
	CountIncludePad             bool
}

// NewAvgPool1d is torch.nn.AvgPool1d(kernelSize, ...).
func NewAvgPool1d(kernelSize []int64, opts ...AvgPool1dOpts) *AvgPool1d {
	var o AvgPool1dOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	k := slices.Clone(kernelSize)
	return &AvgPool1d{KernelSize: k, Stride: poolOr(o.Stride, k), Padding: poolOr(o.Padding, []int64{0}),
		CeilMode: o.CeilMode, CountIncludePad: o.CountIncludePad == nil || *o.CountIncludePad}
}

// Forward is nn.AvgPool1d.forward: F.AvgPool1d.
func (m *AvgPool1d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AvgPool1d(x, m.KernelSize, F.AvgPool1dOpts{Stride: m.Stride, Padding: m.Padding, CeilMode: m.CeilMode,
		CountIncludePad: &m.CountIncludePad})
}

// String prints the layer as PyTorch's repr does:
// "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))".
func (m *AvgPool1d) String() string {
	return fmt.Sprintf("AvgPool1d(kernel_size=%s, stride=%s, padding=%s)",
		convPyTuple(m.KernelSize), convPyTuple(m.Stride), convPyTuple(m.Padding))
}

func avgPoolFields(kernelSize []int64, opts []AvgPoolOpts) (k, s, p []int64, o AvgPoolOpts, countIncludePad bool) {
	if len(opts) > 0 {
		o = opts[0]
	}
	k = slices.Clone(kernelSize)
	return k, poolOr(o.Stride, k), poolOr(o.Padding, []int64{0}), o, o.CountIncludePad == nil || *o.CountIncludePad
}

// AvgPool2d averages sliding windows of an input [N, C, H, W] (or [C, H,
// W]): torch.nn.AvgPool2d.
type AvgPool2d struct {
	KernelSize, Stride, Padding []int64
	CeilMode                    bool
	CountIncludePad             bool
	DivisorOverride             *int64 // nil: the window's size
}

// NewAvgPool2d is torch.nn.AvgPool2d(kernelSize, ...).
func NewAvgPool2d(kernelSize []int64, opts ...AvgPool2dOpts) *AvgPool2d {
	m := &AvgPool2d{}
	var o AvgPoolOpts
	m.KernelSize, m.Stride, m.Padding, o, m.CountIncludePad = avgPoolFields(kernelSize, opts)
	m.CeilMode, m.DivisorOverride = o.CeilMode, o.DivisorOverride
	return m
}

// Forward is nn.AvgPool2d.forward: F.AvgPool2d.
func (m *AvgPool2d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AvgPool2d(x, m.KernelSize, F.AvgPoolOpts{Stride: m.Stride, Padding: m.Padding, CeilMode: m.CeilMode,
		CountIncludePad: &m.CountIncludePad, DivisorOverride: m.DivisorOverride})
}

// String prints the layer as PyTorch's repr does:
// "AvgPool2d(kernel_size=2, stride=2, padding=0)".
func (m *AvgPool2d) String() string {
	return fmt.Sprintf("AvgPool2d(kernel_size=%s, stride=%s, padding=%s)",
		poolPyInts(m.KernelSize), poolPyInts(m.Stride), poolPyInts(m.Padding))
}

// AvgPool3d averages sliding windows of an input [N, C, D, H, W] (or [C,
// D, H, W]): torch.nn.AvgPool3d.
type AvgPool3d struct {
	KernelSize, Stride, Padding []int64
	CeilMode                    bool
	CountIncludePad             bool
	DivisorOverride             *int64 // nil: the window's size
}

// NewAvgPool3d is torch.nn.AvgPool3d(kernelSize, ...).
func NewAvgPool3d(kernelSize []int64, opts ...AvgPool3dOpts) *AvgPool3d {
	m := &AvgPool3d{}
	var o AvgPoolOpts
	m.KernelSize, m.Stride, m.Padding, o, m.CountIncludePad = avgPoolFields(kernelSize, opts)
	m.CeilMode, m.DivisorOverride = o.CeilMode, o.DivisorOverride
	return m
}

// Forward is nn.AvgPool3d.forward: F.AvgPool3d.
func (m *AvgPool3d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AvgPool3d(x, m.KernelSize, F.AvgPoolOpts{Stride: m.Stride, Padding: m.Padding, CeilMode: m.CeilMode,
		CountIncludePad: &m.CountIncludePad, DivisorOverride: m.DivisorOverride})
}

// String prints the layer as PyTorch's repr does.
func (m *AvgPool3d) String() string {
	return fmt.Sprintf("AvgPool3d(kernel_size=%s, stride=%s, padding=%s)",
		poolPyInts(m.KernelSize), poolPyInts(m.Stride), poolPyInts(m.Padding))
}

func adaptiveRepr(name string, outputSize []int64) string {
	return fmt.Sprintf("%s(output_size=%s)", name, poolPyInts(outputSize))
}

// AdaptiveAvgPool1d averages an input [N, C, L] (or [C, L]) over windows
// chosen so that the output has length OutputSize[0]:
// torch.nn.AdaptiveAvgPool1d.
type AdaptiveAvgPool1d struct{ OutputSize []int64 }

// NewAdaptiveAvgPool1d is torch.nn.AdaptiveAvgPool1d(outputSize).
func NewAdaptiveAvgPool1d(outputSize []int64) *AdaptiveAvgPool1d {
	return &AdaptiveAvgPool1d{OutputSize: slices.Clone(outputSize)}
}

// Forward is nn.AdaptiveAvgPool1d.forward: F.AdaptiveAvgPool1d.
func (m *AdaptiveAvgPool1d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AdaptiveAvgPool1d(x, m.OutputSize)
}

// String prints the layer as PyTorch's repr does:
// "AdaptiveAvgPool1d(output_size=5)".
func (m *AdaptiveAvgPool1d) String() string { return adaptiveRepr("AdaptiveAvgPool1d", m.OutputSize) }

// AdaptiveAvgPool2d averages an input [N, C, H, W] (or [C, H, W]) over
// windows chosen so that the output is OutputSize (one value for both
// dimensions): torch.nn.AdaptiveAvgPool2d.
type AdaptiveAvgPool2d struct{ OutputSize []int64 }

// NewAdaptiveAvgPool2d is torch.nn.AdaptiveAvgPool2d(outputSize).
func NewAdaptiveAvgPool2d(outputSize []int64) *AdaptiveAvgPool2d {
	return &AdaptiveAvgPool2d{OutputSize: slices.Clone(outputSize)}
}

// Forward is nn.AdaptiveAvgPool2d.forward: F.AdaptiveAvgPool2d.
func (m *AdaptiveAvgPool2d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AdaptiveAvgPool2d(x, m.OutputSize)
}

// String prints the layer as PyTorch's repr does:
// "AdaptiveAvgPool2d(output_size=(5, 7))".
func (m *AdaptiveAvgPool2d) String() string { return adaptiveRepr("AdaptiveAvgPool2d", m.OutputSize) }

// AdaptiveAvgPool3d averages an input [N, C, D, H, W] (or [C, D, H, W])
// over windows chosen so that the output is OutputSize:
// torch.nn.AdaptiveAvgPool3d.
type AdaptiveAvgPool3d struct{ OutputSize []int64 }

// NewAdaptiveAvgPool3d is torch.nn.AdaptiveAvgPool3d(outputSize).
func NewAdaptiveAvgPool3d(outputSize []int64) *AdaptiveAvgPool3d {
	return &AdaptiveAvgPool3d{OutputSize: slices.Clone(outputSize)}
}

// Forward is nn.AdaptiveAvgPool3d.forward: F.AdaptiveAvgPool3d.
func (m *AdaptiveAvgPool3d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AdaptiveAvgPool3d(x, m.OutputSize)
}

// String prints the layer as PyTorch's repr does.
func (m *AdaptiveAvgPool3d) String() string { return adaptiveRepr("AdaptiveAvgPool3d", m.OutputSize) }

// AdaptiveMaxPool1d takes the maximum of an input [N, C, L] (or [C, L])
// over windows chosen so that the output has length OutputSize[0]:
// torch.nn.AdaptiveMaxPool1d. return_indices=True is ForwardWithIndices.
type AdaptiveMaxPool1d struct{ OutputSize []int64 }

// NewAdaptiveMaxPool1d is torch.nn.AdaptiveMaxPool1d(outputSize).
func NewAdaptiveMaxPool1d(outputSize []int64) *AdaptiveMaxPool1d {
	return &AdaptiveMaxPool1d{OutputSize: slices.Clone(outputSize)}
}

// Forward is nn.AdaptiveMaxPool1d.forward: F.AdaptiveMaxPool1d.
func (m *AdaptiveMaxPool1d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AdaptiveMaxPool1d(x, m.OutputSize)
}

// ForwardWithIndices is the forward of nn.AdaptiveMaxPool1d(...,
// return_indices=True): the output and the indices of the maxima.
func (m *AdaptiveMaxPool1d) ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor) {
	return F.AdaptiveMaxPool1dWithIndices(x, m.OutputSize)
}

// String prints the layer as PyTorch's repr does.
func (m *AdaptiveMaxPool1d) String() string { return adaptiveRepr("AdaptiveMaxPool1d", m.OutputSize) }

// AdaptiveMaxPool2d takes the maximum of an input [N, C, H, W] (or [C, H,
// W]) over windows chosen so that the output is OutputSize:
// torch.nn.AdaptiveMaxPool2d. return_indices=True is ForwardWithIndices.
type AdaptiveMaxPool2d struct{ OutputSize []int64 }

// NewAdaptiveMaxPool2d is torch.nn.AdaptiveMaxPool2d(outputSize).
func NewAdaptiveMaxPool2d(outputSize []int64) *AdaptiveMaxPool2d {
	return &AdaptiveMaxPool2d{OutputSize: slices.Clone(outputSize)}
}

// Forward is nn.AdaptiveMaxPool2d.forward: F.AdaptiveMaxPool2d.
func (m *AdaptiveMaxPool2d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AdaptiveMaxPool2d(x, m.OutputSize)
}

// ForwardWithIndices is the forward of nn.AdaptiveMaxPool2d(...,
// return_indices=True): the output and the flat indices of the maxima
// within each H×W plane.
func (m *AdaptiveMaxPool2d) ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor) {
	return F.AdaptiveMaxPool2dWithIndices(x, m.OutputSize)
}

// String prints the layer as PyTorch's repr does.
func (m *AdaptiveMaxPool2d) String() string { return adaptiveRepr("AdaptiveMaxPool2d", m.OutputSize) }

// AdaptiveMaxPool3d takes the maximum of an input [N, C, D, H, W] (or [C,
// D, H, W]) over windows chosen so that the output is OutputSize:
// torch.nn.AdaptiveMaxPool3d. return_indices=True is ForwardWithIndices.
type AdaptiveMaxPool3d struct{ OutputSize []int64 }

// NewAdaptiveMaxPool3d is torch.nn.AdaptiveMaxPool3d(outputSize).
func NewAdaptiveMaxPool3d(outputSize []int64) *AdaptiveMaxPool3d {
	return &AdaptiveMaxPool3d{OutputSize: slices.Clone(outputSize)}
}

// Forward is nn.AdaptiveMaxPool3d.forward: F.AdaptiveMaxPool3d.
func (m *AdaptiveMaxPool3d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AdaptiveMaxPool3d(x, m.OutputSize)
}

// ForwardWithIndices is the forward of nn.AdaptiveMaxPool3d(...,
// return_indices=True).
func (m *AdaptiveMaxPool3d) ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor) {
	return F.AdaptiveMaxPool3dWithIndices(x, m.OutputSize)
}

// String prints the layer as PyTorch's repr does.
func (m *AdaptiveMaxPool3d) String() string { return adaptiveRepr("AdaptiveMaxPool3d", m.OutputSize) }

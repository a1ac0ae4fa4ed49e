package nn

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// The padding modes of a convolution (ConvOpts.PaddingMode): PyTorch's
// padding_mode.
const (
	PaddingZeros     = "zeros"     // implicit zero padding (the default)
	PaddingReflect   = "reflect"   // F.Pad's reflect mode
	PaddingReplicate = "replicate" // F.Pad's replicate mode
	PaddingCircular  = "circular"  // F.Pad's circular mode
)

// The padding strings of a convolution (ConvOpts.PaddingString), as in
// F.Conv2d: padding='same' and padding='valid'.
const (
	PaddingSame  = F.PaddingSame  // pad so that the output has the input's size (stride 1 only)
	PaddingValid = F.PaddingValid // no padding
)

// ConvOpts holds the defaulted arguments of NewConv1d, NewConv2d and
// NewConv3d (torch.nn.Conv1d/2d/3d); the zero value is PyTorch's defaults.
// Each []int64 holds one value per spatial dimension, or one value for all
// of them, as an int does in Python.
type ConvOpts struct {
	Stride []int64 // stride=1
	// Padding is padding=0: the padding added to both sides of each spatial
	// dimension, filled as PaddingMode says.
	Padding []int64
	// PaddingString is padding='same' or padding='valid' (PaddingSame,
	// PaddingValid) in place of sizes; "" means Padding is used. 'same'
	// requires a stride of 1.
	PaddingString string
	Dilation      []int64 // dilation=1
	Groups        *int64  // groups=1: in and out channels must both be divisible by it
	Bias          *bool   // bias=True
	// PaddingMode is padding_mode='zeros': PaddingZeros, PaddingReflect,
	// PaddingReplicate or PaddingCircular.
	PaddingMode *string
}

// Conv1dOpts holds the defaulted arguments of NewConv1d.
type Conv1dOpts = ConvOpts

// Conv2dOpts holds the defaulted arguments of NewConv2d.
type Conv2dOpts = ConvOpts

// Conv3dOpts holds the defaulted arguments of NewConv3d.
type Conv3dOpts = ConvOpts

// ConvTransposeOpts holds the defaulted arguments of NewConvTranspose1d, 2d
// and 3d (torch.nn.ConvTranspose1d/2d/3d); the zero value is PyTorch's
// defaults. Only zero padding exists for transposed convolutions.
type ConvTransposeOpts struct {
	Stride []int64 // stride=1
	// Padding is padding=0: dilation*(kernel_size-1)-padding zeros are
	// added to both sides of the input.
	Padding []int64
	// OutputPadding is output_padding=0: extra size added to one side of the
	// output; it must be smaller than stride or dilation.
	OutputPadding []int64
	Groups        *int64  // groups=1
	Bias          *bool   // bias=True
	Dilation      []int64 // dilation=1
}

// ConvTranspose1dOpts holds the defaulted arguments of NewConvTranspose1d.
type ConvTranspose1dOpts = ConvTransposeOpts

// ConvTranspose2dOpts holds the defaulted arguments of NewConvTranspose2d.
type ConvTranspose2dOpts = ConvTransposeOpts

// ConvTranspose3dOpts holds the defaulted arguments of NewConvTranspose3d.
type ConvTranspose3dOpts = ConvTransposeOpts

// convNd holds the configuration of a convolution layer: the attributes of
// PyTorch's _ConvNd. Its methods are promoted to every Conv and
// ConvTranspose layer. Unexported, so that the parameter walk skips it.
type convNd struct {
	name                    string // "Conv2d", for messages and String
	inChannels, outChannels int64
	kernelSize, stride      []int64
	padding                 []int64 // zeros when paddingString is set
	paddingString           string
	dilation                []int64
	transposed              bool
	outputPadding           []int64
	groups                  int64
	paddingMode             string
}

// InChannels is in_channels.
func (c *convNd) InChannels() int64 { return c.inChannels }

// OutChannels is out_channels.
func (c *convNd) OutChannels() int64 { return c.outChannels }

// KernelSize is kernel_size, one value per spatial dimension.
func (c *convNd) KernelSize() []int64 { return slices.Clone(c.kernelSize) }

// Stride is stride, one value per spatial dimension.
func (c *convNd) Stride() []int64 { return slices.Clone(c.stride) }

// Padding is padding, one value per spatial dimension; zeros when the
// padding was given as a string (see PaddingString).
func (c *convNd) Padding() []int64 { return slices.Clone(c.padding) }

// PaddingString is padding when it was given as a string ("same" or
// "valid"), else "".
func (c *convNd) PaddingString() string { return c.paddingString }

// Dilation is dilation, one value per spatial dimension.
func (c *convNd) Dilation() []int64 { return slices.Clone(c.dilation) }

// OutputPadding is output_padding (zeros for a non-transposed convolution).
func (c *convNd) OutputPadding() []int64 { return slices.Clone(c.outputPadding) }

// Groups is groups.
func (c *convNd) Groups() int64 { return c.groups }

// PaddingMode is padding_mode: "zeros", "reflect", "replicate" or
// "circular".
func (c *convNd) PaddingMode() string { return c.paddingMode }

// Transposed is transposed: true for the ConvTranspose layers.
func (c *convNd) Transposed() bool { return c.transposed }

func convInvalid(op, format string, args ...any) *torch.Error {
	return &torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf(format, args...)}
}

// convSizes expands an "int or tuple" argument to n values; def is used
// for nil.
func convSizes(op, name string, v []int64, n int, def int64) []int64 {
	switch len(v) {
	case 0:
		if v != nil {
			break
		}
		return slices.Repeat([]int64{def}, n)
	case 1:
		return slices.Repeat([]int64{v[0]}, n)
	case n:
		return slices.Clone(v)
	}
	panic(convInvalid(op, "%s must have %d elements (or 1 for all), got %d", name, n, len(v)))
}

// newConvNd validates the arguments as _ConvNd.__init__ does, with its
// messages, and returns the configuration.
func newConvNd(name string, n int, in, out int64, kernelSize []int64, transposed bool,
	stride, padding []int64, paddingString string, dilation, outputPadding []int64,
	groups *int64, paddingMode *string) convNd {
	op := "New" + name
	c := convNd{name: name, inChannels: in, outChannels: out, transposed: transposed, groups: 1, paddingMode: PaddingZeros}
	if kernelSize == nil {
		panic(convInvalid(op, "kernel_size must have %d elements (or 1 for all), got 0", n))
	}
	c.kernelSize = convSizes(op, "kernel_size", kernelSize, n, 0)
	c.stride = convSizes(op, "stride", stride, n, 1)
	c.dilation = convSizes(op, "dilation", dilation, n, 1)
	c.outputPadding = convSizes(op, "output_padding", outputPadding, n, 0)
	if groups != nil {
		c.groups = *groups
	}
	if paddingMode != nil {
		c.paddingMode = *paddingMode
	}
	if c.groups <= 0 {
		panic(convInvalid(op, "groups must be a positive integer"))
	}
	if in%c.groups != 0 {
		panic(convInvalid(op, "in_channels must be divisible by groups"))
	}
	if out%c.groups != 0 {
		panic(convInvalid(op, "out_channels must be divisible by groups"))
	}
	if paddingString != "" {
		if padding != nil {
			panic(convInvalid(op, "padding is given both as sizes and as the string %q; set one of Padding and PaddingString", paddingString))
		}
		if paddingString != F.PaddingSame && paddingString != F.PaddingValid {
			panic(convInvalid(op, "Invalid padding string '%s', should be one of {'valid', 'same'}", paddingString))
		}
		if paddingString == F.PaddingSame && slices.ContainsFunc(c.stride, func(s int64) bool { return s != 1 }) {
			panic(convInvalid(op, "padding='same' is not supported for strided convolutions"))
		}
		c.paddingString = paddingString
	}
	c.padding = convSizes(op, "padding", padding, n, 0)
	switch c.paddingMode {
	case PaddingZeros, PaddingReflect, PaddingReplicate, PaddingCircular:
	default:
		panic(convInvalid(op, "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='%s'", c.paddingMode))
	}
	return c
}

// newWeights allocates the weight ([out, in/groups, k...], or [in,
// out/groups, k...] when transposed) and the bias, as _ConvNd.__init__
// does, and draws them as reset_parameters does.
func (c *convNd) newWeights(bias *bool) (weight, b *torch.Tensor) {
	shape := []int64{c.outChannels, c.inChannels / c.groups}
	if c.transposed {
		shape = []int64{c.inChannels, c.outChannels / c.groups}
	}
	weight = torch.Empty(append(shape, c.kernelSize...), torch.WithRequiresGrad())
	if bias == nil || *bias {
		b = torch.Empty([]int64{c.outChannels}, torch.WithRequiresGrad())
	}
	convReset(weight, b)
	return weight, b
}

// convReset is _ConvNd.reset_parameters: kaiming_uniform_(weight,
// a=sqrt(5)), then the bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)). As in
// PyTorch, a bias whose fan_in is 0 is left as allocated (torch.empty) and
// draws nothing.
func convReset(weight, bias *torch.Tensor) {
	KaimingUniform_(weight, math.Sqrt(5))
	if bias != nil {
		if fanIn := FanIn(weight); fanIn != 0 {
			bound := 1 / math.Sqrt(float64(fanIn))
			Uniform_(bias, -bound, bound)
		}
	}
}

// reversedPaddingRepeatedTwice is _reversed_padding_repeated_twice: the
// padding for F.Pad, last dimension first, with 'same' split as PyTorch
// does (the extra element on the right).
func (c *convNd) reversedPaddingRepeatedTwice() []int64 {
	n := len(c.kernelSize)
	pad := make([]int64, 2*n)
	for d := range n {
		i := n - 1 - d
		switch c.paddingString {
		case F.PaddingSame:
			total := c.dilation[d] * (c.kernelSize[d] - 1)
			left := total / 2
			pad[2*i], pad[2*i+1] = left, total-left
		case F.PaddingValid:
		default:
			pad[2*i], pad[2*i+1] = c.padding[d], c.padding[d]
		}
	}
	return pad
}

// forward is _ConvNd._conv_forward for Conv1d/2d/3d.
func (c *convNd) forward(x, weight, bias *torch.Tensor) *torch.Tensor {
	n := len(c.kernelSize)
	o := F.ConvOpts{Stride: c.stride, Dilation: c.dilation, Groups: &c.groups}
	if c.paddingMode != PaddingZeros {
		x = F.Pad(x, c.reversedPaddingRepeatedTwice(), F.PadOpts{Mode: &c.paddingMode})
		o.Padding = make([]int64, n)
	} else if c.paddingString != "" {
		o.PaddingString = c.paddingString
	} else {
		o.Padding = c.padding
	}
	switch n {
	case 1:
		return F.Conv1d(x, weight, bias, o)
	case 2:
		return F.Conv2d(x, weight, bias, o)
	default:
		return F.Conv3d(x, weight, bias, o)
	}
}

// outputPaddingFor is _ConvTransposeNd._output_padding: the output_padding
// that gives the requested output size, with PyTorch's messages.
func (c *convNd) outputPaddingFor(x *torch.Tensor, outputSize []int64) []int64 {
	if outputSize == nil {
		return c.outputPadding
	}
	n := len(c.kernelSize)
	nonSpatial := 1
	if x.Dim() == n+2 {
		nonSpatial = 2
	}
	if len(outputSize) == nonSpatial+n {
		outputSize = outputSize[nonSpatial:]
	}
	if len(outputSize) != n {
		panic(convInvalid(c.name, "ConvTranspose%dD: for %dD input, output_size must have %d or %d elements (got %d)",
			n, x.Dim(), n, nonSpatial+n, len(outputSize)))
	}
	minSizes, maxSizes := make([]int64, n), make([]int64, n)
	for d := range n {
		minSizes[d] = (x.Size(d+nonSpatial)-1)*c.stride[d] - 2*c.padding[d] + c.dilation[d]*(c.kernelSize[d]-1) + 1
		maxSizes[d] = minSizes[d] + c.stride[d] - 1
	}
	res := make([]int64, n)
	for d, size := range outputSize {
		if size < minSizes[d] || size > maxSizes[d] {
			panic(convInvalid(c.name, "requested an output size of %s, but valid sizes range from %s to %s (for an input of torch.Size(%s))",
				convPyList(outputSize), convPyList(minSizes), convPyList(maxSizes), convPyList(x.Shape()[nonSpatial:])))
		}
		res[d] = size - minSizes[d]
	}
	return res
}

// forwardTransposed is ConvTransposeNd.forward(x, output_size).
func (c *convNd) forwardTransposed(x, weight, bias *torch.Tensor, outputSize []int64) *torch.Tensor {
	o := F.ConvTransposeOpts{Stride: c.stride, Padding: c.padding, OutputPadding: c.outputPaddingFor(x, outputSize),
		Groups: &c.groups, Dilation: c.dilation}
	switch len(c.kernelSize) {
	case 1:
		return F.ConvTranspose1d(x, weight, bias, o)
	case 2:
		return F.ConvTranspose2d(x, weight, bias, o)
	default:
		return F.ConvTranspose3d(x, weight, bias, o)
	}
}

// repr is PyTorch's repr of the layer: _ConvNd.extra_repr inside
// "Name(...)".
func (c *convNd) repr(hasBias bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(%d, %d, kernel_size=%s, stride=%s", c.name, c.inChannels, c.outChannels,
		convPyTuple(c.kernelSize), convPyTuple(c.stride))
	switch {
	case c.paddingString != "":
		fmt.Fprintf(&b, ", padding=%s", c.paddingString)
	case slices.ContainsFunc(c.padding, func(v int64) bool { return v != 0 }):
		fmt.Fprintf(&b, ", padding=%s", convPyTuple(c.padding))
	}
	if slices.ContainsFunc(c.dilation, func(v int64) bool { return v != 1 }) {
		fmt.Fprintf(&b, ", dilation=%s", convPyTuple(c.dilation))
	}
	if slices.ContainsFunc(c.outputPadding, func(v int64) bool { return v != 0 }) {
		fmt.Fprintf(&b, ", output_padding=%s", convPyTuple(c.outputPadding))
	}
	if c.groups != 1 {
		fmt.Fprintf(&b, ", groups=%d", c.groups)
	}
	if !hasBias {
		b.WriteString(", bias=False")
	}
	if c.paddingMode != PaddingZeros {
		fmt.Fprintf(&b, ", padding_mode=%s", c.paddingMode)
	}
	b.WriteString(")")
	return b.String()
}

// convPyTuple prints v as Python prints a tuple of ints: (3,) or (3, 3).
func convPyTuple(v []int64) string {
	if len(v) == 1 {
		return fmt.Sprintf("(%d,)", v[0])
	}
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// convPyList prints v as Python prints a list of ints: [3, 3].
func convPyList(v []int64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// Conv1d applies a 1-D convolution over an input [N, C_in, L] (or [C_in,
// L]): torch.nn.Conv1d.
type Conv1d struct {
	Weight *torch.Tensor // [out_channels, in_channels/groups, kernel_size]
	Bias   *torch.Tensor // [out_channels]; nil for a layer without bias
	convNd
}

// NewConv1d is torch.nn.Conv1d(inChannels, outChannels, kernelSize, ...),
// initialised as PyTorch does: after the same torch.ManualSeed, layers
// created in the same order hold bit-identical weights to Python's. It
// panics with PyTorch's message on bad arguments (channels not divisible by
// groups, padding='same' with a stride, an unknown padding mode).
func NewConv1d(inChannels, outChannels int64, kernelSize []int64, opts ...Conv1dOpts) *Conv1d {
	o := convOpts(opts)
	c := &Conv1d{convNd: newConvNd("Conv1d", 1, inChannels, outChannels, kernelSize, false,
		o.Stride, o.Padding, o.PaddingString, o.Dilation, nil, o.Groups, o.PaddingMode)}
	c.Weight, c.Bias = c.newWeights(o.Bias)
	return c
}

// ResetParameters draws fresh initial values: _ConvNd.reset_parameters.
func (c *Conv1d) ResetParameters() { convReset(c.Weight, c.Bias) }

// Forward is nn.Conv1d.forward: F.Conv1d, after F.Pad for a padding mode
// other than zeros.
func (c *Conv1d) Forward(x *torch.Tensor) *torch.Tensor { return c.forward(x, c.Weight, c.Bias) }

// String prints the layer as PyTorch's repr does:
// "Conv1d(16, 33, kernel_size=(3,), stride=(2,))".
func (c *Conv1d) String() string { return c.repr(c.Bias != nil) }

// Conv2d applies a 2-D convolution over an input [N, C_in, H, W] (or [C_in,
// H, W]): torch.nn.Conv2d.
type Conv2d struct {
	Weight *torch.Tensor // [out_channels, in_channels/groups, kH, kW]
	Bias   *torch.Tensor // [out_channels]; nil for a layer without bias
	convNd
}

// NewConv2d is torch.nn.Conv2d(inChannels, outChannels, kernelSize, ...),
// initialised as PyTorch does: after the same torch.ManualSeed, layers
// created in the same order hold bit-identical weights to Python's. It
// panics with PyTorch's message on bad arguments (channels not divisible by
// groups, padding='same' with a stride, an unknown padding mode).
//
//	conv := nn.NewConv2d(1, 32, []int64{3}, nn.Conv2dOpts{Padding: []int64{1}})
func NewConv2d(inChannels, outChannels int64, kernelSize []int64, opts ...Conv2dOpts) *Conv2d {
	o := convOpts(opts)
	c := &Conv2d{convNd: newConvNd("Conv2d", 2, inChannels, outChannels, kernelSize, false,
		o.Stride, o.Padding, o.PaddingString, o.Dilation, nil, o.Groups, o.PaddingMode)}
	c.Weight, c.Bias = c.newWeights(o.Bias)
	return c
}

// ResetParameters draws fresh initial values: _ConvNd.reset_parameters.
func (c *Conv2d) ResetParameters() { convReset(c.Weight, c.Bias) }

// Forward is nn.Conv2d.forward: F.Conv2d, after F.Pad for a padding mode
// other than zeros.
func (c *Conv2d) Forward(x *torch.Tensor) *torch.Tensor { return c.forward(x, c.Weight, c.Bias) }

// String prints the layer as PyTorch's repr does:
// "Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))".
func (c *Conv2d) String() string { return c.repr(c.Bias != nil) }

// Conv3d applies a 3-D convolution over an input [N, C_in, D, H, W] (or
// [C_in, D, H, W]): torch.nn.Conv3d.
type Conv3d struct {
	Weight *torch.Tensor // [out_channels, in_channels/groups, kD, kH, kW]
	Bias   *torch.Tensor // [out_channels]; nil for a layer without bias
	convNd
}

// NewConv3d is torch.nn.Conv3d(inChannels, outChannels, kernelSize, ...),
// initialised as PyTorch does (bit-identical after the same seed). It
// panics with PyTorch's message on bad arguments.
func NewConv3d(inChannels, outChannels int64, kernelSize []int64, opts ...Conv3dOpts) *Conv3d {
	o := convOpts(opts)
	c := &Conv3d{convNd: newConvNd("Conv3d", 3, inChannels, outChannels, kernelSize, false,
		o.Stride, o.Padding, o.PaddingString, o.Dilation, nil, o.Groups, o.PaddingMode)}
	c.Weight, c.Bias = c.newWeights(o.Bias)
	return c
}

// ResetParameters draws fresh initial values: _ConvNd.reset_parameters.
func (c *Conv3d) ResetParameters() { convReset(c.Weight, c.Bias) }

// Forward is nn.Conv3d.forward: F.Conv3d, after F.Pad for a padding mode
// other than zeros.
func (c *Conv3d) Forward(x *torch.Tensor) *torch.Tensor { return c.forward(x, c.Weight, c.Bias) }

// String prints the layer as PyTorch's repr does.
func (c *Conv3d) String() string { return c.repr(c.Bias != nil) }

func convOpts(opts []ConvOpts) ConvOpts {
	if len(opts) > 0 {
		return opts[0]
	}
	return ConvOpts{}
}

func convTransposeOpts(opts []ConvTransposeOpts) ConvTransposeOpts {
	if len(opts) > 0 {
		return opts[0]
	}
	return ConvTransposeOpts{}
}

// ConvTranspose1d applies a 1-D transposed convolution (the gradient of
// Conv1d with respect to its input) over [N, C_in, L] (or [C_in, L]):
// torch.nn.ConvTranspose1d.
type ConvTranspose1d struct {
	Weight *torch.Tensor // [in_channels, out_channels/groups, kernel_size]
	Bias   *torch.Tensor // [out_channels]; nil for a layer without bias
	convNd
}

// NewConvTranspose1d is torch.nn.ConvTranspose1d(inChannels, outChannels,
// kernelSize, ...), initialised as PyTorch does (bit-identical after the
// same seed; fan_in is taken from the [in, out/groups, k] weight, as
// PyTorch does). It panics with PyTorch's message on bad arguments.
func NewConvTranspose1d(inChannels, outChannels int64, kernelSize []int64, opts ...ConvTranspose1dOpts) *ConvTranspose1d {
	o := convTransposeOpts(opts)
	c := &ConvTranspose1d{convNd: newConvNd("ConvTranspose1d", 1, inChannels, outChannels, kernelSize, true,
		o.Stride, o.Padding, "", o.Dilation, o.OutputPadding, o.Groups, nil)}
	c.Weight, c.Bias = c.newWeights(o.Bias)
	return c
}

// ResetParameters draws fresh initial values: _ConvNd.reset_parameters.
func (c *ConvTranspose1d) ResetParameters() { convReset(c.Weight, c.Bias) }

// Forward is nn.ConvTranspose1d.forward(x): F.ConvTranspose1d.
func (c *ConvTranspose1d) Forward(x *torch.Tensor) *torch.Tensor {
	return c.forwardTransposed(x, c.Weight, c.Bias, nil)
}

// ForwardWithOutputSize is nn.ConvTranspose1d.forward(x, output_size):
// outputSize ([L], or with the batch and channel dimensions) picks the
// output_padding; it panics with PyTorch's message if that size cannot be
// reached.
func (c *ConvTranspose1d) ForwardWithOutputSize(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	return c.forwardTransposed(x, c.Weight, c.Bias, outputSize)
}

// String prints the layer as PyTorch's repr does.
func (c *ConvTranspose1d) String() string { return c.repr(c.Bias != nil) }

// ConvTranspose2d applies a 2-D transposed convolution (the gradient of
// Conv2d with respect to its input) over [N, C_in, H, W] (or [C_in, H,
// W]): torch.nn.ConvTranspose2d.
type ConvTranspose2d struct {
	Weight *torch.Tensor // [in_channels, out_channels/groups, kH, kW]
	Bias   *torch.Tensor // [out_channels]; nil for a layer without bias
	convNd
}

// NewConvTranspose2d is torch.nn.ConvTranspose2d(inChannels, outChannels,
// kernelSize, ...), initialised as PyTorch does (bit-identical after the
// same seed). It panics with PyTorch's message on bad arguments.
func NewConvTranspose2d(inChannels, outChannels int64, kernelSize []int64, opts ...ConvTranspose2dOpts) *ConvTranspose2d {
	o := convTransposeOpts(opts)
	c := &ConvTranspose2d{convNd: newConvNd("ConvTranspose2d", 2, inChannels, outChannels, kernelSize, true,
		o.Stride, o.Padding, "", o.Dilation, o.OutputPadding, o.Groups, nil)}
	c.Weight, c.Bias = c.newWeights(o.Bias)
	return c
}

// ResetParameters draws fresh initial values: _ConvNd.reset_parameters.
func (c *ConvTranspose2d) ResetParameters() { convReset(c.Weight, c.Bias) }

// Forward is nn.ConvTranspose2d.forward(x): F.ConvTranspose2d.
func (c *ConvTranspose2d) Forward(x *torch.Tensor) *torch.Tensor {
	return c.forwardTransposed(x, c.Weight, c.Bias, nil)
}

// ForwardWithOutputSize is nn.ConvTranspose2d.forward(x, output_size):
// outputSize ([H, W], or with the batch and channel dimensions) picks the
// output_padding; it panics with PyTorch's message if that size cannot be
// reached.
func (c *ConvTranspose2d) ForwardWithOutputSize(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	return c.forwardTransposed(x, c.Weight, c.Bias, outputSize)
}

// String prints the layer as PyTorch's repr does.
func (c *ConvTranspose2d) String() string { return c.repr(c.Bias != nil) }

// ConvTranspose3d applies a 3-D transposed convolution over [N, C_in, D,
// H, W] (or [C_in, D, H, W]): torch.nn.ConvTranspose3d.
type ConvTranspose3d struct {
	Weight *torch.Tensor // [in_channels, out_channels/groups, kD, kH, kW]
	Bias   *torch.Tensor // [out_channels]; nil for a layer without bias
	convNd
}

// NewConvTranspose3d is torch.nn.ConvTranspose3d(inChannels, outChannels,
// kernelSize, ...), initialised as PyTorch does (bit-identical after the
// same seed). It panics with PyTorch's message on bad arguments.
func NewConvTranspose3d(inChannels, outChannels int64, kernelSize []int64, opts ...ConvTranspose3dOpts) *ConvTranspose3d {
	o := convTransposeOpts(opts)
	c := &ConvTranspose3d{convNd: newConvNd("ConvTranspose3d", 3, inChannels, outChannels, kernelSize, true,
		o.Stride, o.Padding, "", o.Dilation, o.OutputPadding, o.Groups, nil)}
	c.Weight, c.Bias = c.newWeights(o.Bias)
	return c
}

// ResetParameters draws fresh initial values: _ConvNd.reset_parameters.
func (c *ConvTranspose3d) ResetParameters() { convReset(c.Weight, c.Bias) }

// Forward is nn.ConvTranspose3d.forward(x): F.ConvTranspose3d.
func (c *ConvTranspose3d) Forward(x *torch.Tensor) *torch.Tensor {
	return c.forwardTransposed(x, c.Weight, c.Bias, nil)
}

// ForwardWithOutputSize is nn.ConvTranspose3d.forward(x, output_size).
func (c *ConvTranspose3d) ForwardWithOutputSize(x *torch.Tensor, outputSize []int64) *torch.Tensor {
	return c.forwardTransposed(x, c.Weight, c.Bias, outputSize)
}

// String prints the layer as PyTorch's repr does.
func (c *ConvTranspose3d) String() string { return c.repr(c.Bias != nil) }

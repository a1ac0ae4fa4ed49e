package functional

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// The padding strings that torch.nn.functional.conv1d/2d/3d and the Conv
// modules accept in place of padding sizes (ConvOpts.PaddingString).
const (
	// PaddingValid is padding='valid': no padding, the same as sizes of 0.
	PaddingValid = "valid"
	// PaddingSame is padding='same': the input is padded so that the output
	// has the input's size; with an even total padding the extra element goes
	// on the right, as PyTorch does. Only for a stride of 1.
	PaddingSame = "same"
)

// ConvOpts holds the defaulted arguments of Conv1d, Conv2d and Conv3d
// (torch.nn.functional.conv1d/2d/3d); the zero value is PyTorch's defaults.
type ConvOpts struct {
	Stride []int64 // stride=1
	// Padding is the implicit zero padding on both sides of each spatial
	// dimension: padding=0.
	Padding []int64
	// PaddingString is padding='same' or padding='valid' (PaddingSame,
	// PaddingValid) in place of sizes; "" means Padding is used. Setting
	// both is an error.
	PaddingString string
	Dilation      []int64 // dilation=1
	Groups        *int64  // groups=1
}

// Conv1dOpts holds the defaulted arguments of Conv1d.
type Conv1dOpts = ConvOpts

// Conv2dOpts holds the defaulted arguments of Conv2d.
type Conv2dOpts = ConvOpts

// Conv3dOpts holds the defaulted arguments of Conv3d.
type Conv3dOpts = ConvOpts

// Conv1d applies a 1-D convolution over x [N, C_in, L] (or [C_in, L]) with
// weight [C_out, C_in/groups, k] and an optional bias [C_out] (nil for none):
// torch.nn.functional.conv1d(x, weight, bias, stride, padding, dilation,
// groups).
func Conv1d(x, weight, bias *torch.Tensor, opts ...Conv1dOpts) *torch.Tensor {
	return convNd(1, x, weight, bias, opts)
}

// Conv2d applies a 2-D convolution over x [N, C_in, H, W] (or [C_in, H, W])
// with weight [C_out, C_in/groups, kH, kW] and an optional bias [C_out] (nil
// for none): torch.nn.functional.conv2d(x, weight, bias, stride, padding,
// dilation, groups).
func Conv2d(x, weight, bias *torch.Tensor, opts ...Conv2dOpts) *torch.Tensor {
	return convNd(2, x, weight, bias, opts)
}

// Conv3d applies a 3-D convolution over x [N, C_in, D, H, W] (or without
// the batch dimension) with weight [C_out, C_in/groups, kD, kH, kW] and an
// optional bias [C_out] (nil for none): torch.nn.functional.conv3d(x,
// weight, bias, stride, padding, dilation, groups).
func Conv3d(x, weight, bias *torch.Tensor, opts ...Conv3dOpts) *torch.Tensor {
	return convNd(3, x, weight, bias, opts)
}

func convNd(n int, x, weight, bias *torch.Tensor, opts []ConvOpts) *torch.Tensor {
	var o ConvOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.PaddingString != "" {
		if o.Padding != nil {
			panic(&torch.Error{Op: convName(n), Kind: torch.KindValue,
				Msg: "padding is given both as sizes and as the string " + o.PaddingString + "; set one of Padding and PaddingString"})
		}
		ps := &o.PaddingString
		switch n {
		case 1:
			return torch.Conv1dPadding(x, weight, torch.Conv1dPaddingOpts{Bias: bias, Stride: o.Stride, Padding: ps, Dilation: o.Dilation, Groups: o.Groups})
		case 2:
			return torch.Conv2dPadding(x, weight, torch.Conv2dPaddingOpts{Bias: bias, Stride: o.Stride, Padding: ps, Dilation: o.Dilation, Groups: o.Groups})
		default:
			return torch.Conv3dPadding(x, weight, torch.Conv3dPaddingOpts{Bias: bias, Stride: o.Stride, Padding: ps, Dilation: o.Dilation, Groups: o.Groups})
		}
	}
	switch n {
	case 1:
		return torch.Conv1d(x, weight, torch.Conv1dOpts{Bias: bias, Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, Groups: o.Groups})
	case 2:
		return torch.Conv2d(x, weight, torch.Conv2dOpts{Bias: bias, Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, Groups: o.Groups})
	default:
		return torch.Conv3d(x, weight, torch.Conv3dOpts{Bias: bias, Stride: o.Stride, Padding: o.Padding, Dilation: o.Dilation, Groups: o.Groups})
	}
}

func convName(n int) string {
	return [...]string{1: "Conv1d", 2: "Conv2d", 3: "Conv3d"}[n]
}

// ConvTransposeOpts holds the defaulted arguments of ConvTranspose1d, 2d and
// 3d (torch.nn.functional.conv_transpose1d/2d/3d); the zero value is
// PyTorch's defaults.
type ConvTransposeOpts struct {
	Stride        []int64 // stride=1
	Padding       []int64 // padding=0: dilation*(kernel_size-1)-padding zeros are added to both sides of the input
	OutputPadding []int64 // output_padding=0: extra size added to one side of the output
	Groups        *int64  // groups=1
	Dilation      []int64 // dilation=1
}

// ConvTranspose1dOpts holds the defaulted arguments of ConvTranspose1d.
type ConvTranspose1dOpts = ConvTransposeOpts

// ConvTranspose2dOpts holds the defaulted arguments of ConvTranspose2d.
type ConvTranspose2dOpts = ConvTransposeOpts

// ConvTranspose3dOpts holds the defaulted arguments of ConvTranspose3d.
type ConvTranspose3dOpts = ConvTransposeOpts

// ConvTranspose1d applies a 1-D transposed convolution ("deconvolution")
// over x [N, C_in, L] with weight [C_in, C_out/groups, k] and an optional
// bias [C_out]: torch.nn.functional.conv_transpose1d(x, weight, bias,
// stride, padding, output_padding, groups, dilation).
func ConvTranspose1d(x, weight, bias *torch.Tensor, opts ...ConvTranspose1dOpts) *torch.Tensor {
	o := convTransposeOpts(opts)
	return torch.ConvTranspose1d(x, weight, torch.ConvTranspose1dOpts{Bias: bias, Stride: o.Stride, Padding: o.Padding,
		OutputPadding: o.OutputPadding, Groups: o.Groups, Dilation: o.Dilation})
}

// ConvTranspose2d applies a 2-D transposed convolution over x [N, C_in, H,
// W] with weight [C_in, C_out/groups, kH, kW] and an optional bias [C_out]:
// torch.nn.functional.conv_transpose2d(x, weight, bias, stride, padding,
// output_padding, groups, dilation).
func ConvTranspose2d(x, weight, bias *torch.Tensor, opts ...ConvTranspose2dOpts) *torch.Tensor {
	o := convTransposeOpts(opts)
	return torch.ConvTranspose2d(x, weight, torch.ConvTranspose2dOpts{Bias: bias, Stride: o.Stride, Padding: o.Padding,
		OutputPadding: o.OutputPadding, Groups: o.Groups, Dilation: o.Dilation})
}

// ConvTranspose3d applies a 3-D transposed convolution over x [N, C_in, D,
// H, W] with weight [C_in, C_out/groups, kD, kH, kW] and an optional bias
// [C_out]: torch.nn.functional.conv_transpose3d(x, weight, bias, stride,
// padding, output_padding, groups, dilation).
func ConvTranspose3d(x, weight, bias *torch.Tensor, opts ...ConvTranspose3dOpts) *torch.Tensor {
	o := convTransposeOpts(opts)
	return torch.ConvTranspose3d(x, weight, torch.ConvTranspose3dOpts{Bias: bias, Stride: o.Stride, Padding: o.Padding,
		OutputPadding: o.OutputPadding, Groups: o.Groups, Dilation: o.Dilation})
}

func convTransposeOpts(opts []ConvTransposeOpts) ConvTransposeOpts {
	if len(opts) > 0 {
		return opts[0]
	}
	return ConvTransposeOpts{}
}

// The padding modes of Pad (PadOpts.Mode) and of the Conv modules'
// padding_mode.
const (
	PadConstant  = "constant"  // pad with a constant value (Pad's default)
	PadReflect   = "reflect"   // mirror the input at its edges, without repeating the edge
	PadReplicate = "replicate" // repeat the edge value
	PadCircular  = "circular"  // wrap around, as a periodic signal
)

// PadOpts holds the defaulted arguments of Pad; the zero value is PyTorch's
// defaults.
type PadOpts struct {
	// Mode is mode="constant": PadConstant, PadReflect, PadReplicate or
	// PadCircular.
	Mode *string
	// Value is the fill value of constant padding: value=None, which pads
	// with 0.
	Value *float64
}

// Pad pads x: torch.nn.functional.pad(x, pad, mode, value). pad holds pairs
// of (before, after) sizes starting from the last dimension: {left, right}
// pads the last dimension, {left, right, top, bottom} the last two, and so
// on. Negative sizes crop in constant mode. Reflect, replicate and circular
// padding pad the last 1, 2 or 3 dimensions of a batched or unbatched input,
// as in PyTorch.
func Pad(x *torch.Tensor, pad []int64, opts ...PadOpts) *torch.Tensor {
	var o PadOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return torch.Pad(x, pad, torch.PadOpts{Mode: o.Mode, Value: o.Value})
}

package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// The initialisers of torch.nn.init. Each fills its tensor in place without
// recording the operation for autograd, and returns it. After the same
// torch.ManualSeed, each draws bit-identical values to PyTorch's (1.13 and
// 2.x use the same operations): the bounds and standard deviations are
// computed with the same float64 operations, in the same order, as
// torch/nn/init.py, and the random numbers come from the same libtorch
// calls. PyTorch's defaulted arguments are positional here; each doc
// comment gives PyTorch's default.

// initValueError is the panic of an initialiser given a tensor or argument
// that PyTorch rejects with ValueError.
func initValueError(op, format string, args ...any) *torch.Error {
	return &torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf(format, args...)}
}

// FanIn is the number of inputs each output of a weight sees: the fan_in of
// torch.nn.init._calculate_fan_in_and_fan_out (size(1) times the product of
// the sizes after it). It panics for tensors of fewer than 2 dimensions, as
// PyTorch raises.
func FanIn(weight *torch.Tensor) int64 {
	in, _ := FanInAndFanOut(weight)
	return in
}

// FanInAndFanOut is torch.nn.init._calculate_fan_in_and_fan_out: size(1)
// and size(0), each times the receptive field (the product of the sizes
// after the first two). It panics for tensors of fewer than 2 dimensions,
// as PyTorch raises.
func FanInAndFanOut(weight *torch.Tensor) (fanIn, fanOut int64) {
	s := weight.Shape()
	if len(s) < 2 {
		panic(&torch.Error{Op: "FanIn", Kind: torch.KindValue, Msg: fmt.Sprintf("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got %v)", s)})
	}
	receptive := int64(1)
	for _, d := range s[2:] {
		receptive *= d
	}
	return s[1] * receptive, s[0] * receptive
}

// CalculateGain is torch.nn.init.calculate_gain: the recommended gain for
// a nonlinearity: 1 for "linear", "conv1d", "conv2d", "conv3d",
// "conv_transpose1d/2d/3d" and "sigmoid"; 5/3 for "tanh"; sqrt(2) for
// "relu"; sqrt(2 / (1 + negative_slope²)) for "leaky_relu", whose
// negative_slope is param (default 0.01); 3/4 for "selu". Other names
// panic, as PyTorch raises ValueError.
func CalculateGain(nonlinearity string, param ...float64) float64 {
	switch nonlinearity {
	case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid":
		return 1
	case "tanh":
		return 5.0 / 3
	case "relu":
		return math.Sqrt(2.0)
	case "leaky_relu":
		slope := 0.01
		if len(param) > 0 {
			slope = param[0]
		}
		return math.Sqrt(2.0 / (1 + slope*slope))
	case "selu":
		return 3.0 / 4
	}
	panic(initValueError("CalculateGain", "Unsupported nonlinearity %s", nonlinearity))
}

// Uniform_ fills t with values from U(from, to): torch.nn.init.uniform_(t,
// a=0.0, b=1.0).
func Uniform_(t *torch.Tensor, from, to float64) *torch.Tensor {
	torch.NoGrad(func() { t.Uniform_(torch.UniformOpts{From: from, To: new(to)}) })
	return t
}

// Normal_ fills t with values from N(mean, std²): torch.nn.init.normal_(t,
// mean=0.0, std=1.0).
func Normal_(t *torch.Tensor, mean, std float64) *torch.Tensor {
	torch.NoGrad(func() { t.Normal_(torch.NormalOpts{Mean: mean, Std: new(std)}) })
	return t
}

// TruncNormal_ fills t with values from N(mean, std²) truncated to [a, b]:
// torch.nn.init.trunc_normal_(t, mean=0.0, std=1.0, a=-2.0, b=2.0). As in
// PyTorch, it draws uniform values between the bounds' normal CDF values
// and maps them through the inverse CDF (erfinv), then clamps to [a, b].
// PyTorch's warning when mean is more than 2 std from [a, b] is not
// printed.
func TruncNormal_(t *torch.Tensor, mean, std, a, b float64) *torch.Tensor {
	// norm_cdf(x) = (1 + math.erf(x / math.sqrt(2))) / 2. Go's math.Erf
	// differs from the C library's erf, which Python calls, in the last bit
	// of a few percent of arguments; libtorch's erf on one float64 element
	// is the C library's.
	normCDF := func(x float64) float64 { return (1. + initErf(x/math.Sqrt(2.))) / 2. }
	l := normCDF((a - mean) / std)
	u := normCDF((b - mean) / std)
	torch.NoGrad(func() {
		t.Uniform_(torch.UniformOpts{From: 2*l - 1, To: new(2*u - 1)})
		t.Erfinv_()
		t.MulScalar_(torch.Float(std * math.Sqrt(2.)))
		t.AddScalar_(torch.Float(mean))
		t.Clamp_(torch.ClampOpts{Min: new(torch.Float(a)), Max: new(torch.Float(b))})
	})
	return t
}

// initErf is the C library's erf(x), as Python's math.erf computes it:
// libtorch's scalar loop for a one-element float64 tensor calls std::erf.
func initErf(x float64) float64 {
	return torch.FromSlice([]float64{x}).Erf().Item()
}

// Constant_ fills t with val: torch.nn.init.constant_(t, val).
func Constant_(t *torch.Tensor, val float64) *torch.Tensor {
	torch.NoGrad(func() { t.FillScalar_(torch.Float(val)) })
	return t
}

// Ones_ fills t with ones: torch.nn.init.ones_.
func Ones_(t *torch.Tensor) *torch.Tensor { return Constant_(t, 1) }

// Zeros_ fills t with zeros: torch.nn.init.zeros_.
func Zeros_(t *torch.Tensor) *torch.Tensor {
	torch.NoGrad(func() { t.Zero_() })
	return t
}

// Eye_ fills the 2-D tensor t with the identity matrix (ones on the
// diagonal): torch.nn.init.eye_. It panics for other ranks, as PyTorch
// raises.
func Eye_(t *torch.Tensor) *torch.Tensor {
	s := t.Shape()
	if len(s) != 2 {
		panic(initValueError("Eye_", "Only tensors with 2 dimensions are supported (got %v)", s))
	}
	torch.NoGrad(func() { torch.EyeMOut(t, s[0], s[1]) })
	return t
}

// Dirac_ fills the 3-, 4- or 5-D convolution weight t with the Dirac delta,
// so that the convolution preserves the identity of its inputs (of as many
// channels as it can, in each of groups groups): torch.nn.init.dirac_(t,
// groups=1). It panics for other ranks or when groups does not divide
// dimension 0, as PyTorch raises.
func Dirac_(t *torch.Tensor, groups int64) *torch.Tensor {
	s := t.Shape()
	if len(s) < 3 || len(s) > 5 {
		panic(initValueError("Dirac_", "Only tensors with 3, 4, or 5 dimensions are supported (got %v)", s))
	}
	if groups <= 0 || s[0]%groups != 0 {
		panic(initValueError("Dirac_", "dim 0 must be divisible by groups (got %d and groups=%d)", s[0], groups))
	}
	perGroup := s[0] / groups
	minDim := min(perGroup, s[1])
	torch.NoGrad(func() {
		t.Zero_()
		for g := range groups {
			for d := range minDim {
				e := t.Select(0, g*perGroup+d).Select(0, d)
				for _, size := range s[2:] {
					e = e.Select(0, size/2)
				}
				e.FillScalar_(torch.Int(1))
			}
		}
	})
	return t
}

// XavierUniform_ fills t with values from U(-a, a), a = gain * sqrt(6 /
// (fan_in + fan_out)): torch.nn.init.xavier_uniform_(t, gain=1.0) (Glorot
// and Bengio, 2010).
func XavierUniform_(t *torch.Tensor, gain float64) *torch.Tensor {
	std := xavierStd("XavierUniform_", t, gain)
	a := math.Sqrt(3.0) * std
	return Uniform_(t, -a, a)
}

// XavierNormal_ fills t with values from N(0, std²), std = gain * sqrt(2 /
// (fan_in + fan_out)): torch.nn.init.xavier_normal_(t, gain=1.0).
func XavierNormal_(t *torch.Tensor, gain float64) *torch.Tensor {
	return Normal_(t, 0, xavierStd("XavierNormal_", t, gain))
}

func xavierStd(op string, t *torch.Tensor, gain float64) float64 {
	in, out := FanInAndFanOut(t)
	if in+out == 0 {
		panic(&torch.Error{Op: op, Msg: "float division by zero (the tensor has no fan in nor fan out)"})
	}
	return gain * math.Sqrt(2.0/float64(in+out))
}

// KaimingOpts are the defaulted arguments of KaimingUniform_ and
// KaimingNormal_.
type KaimingOpts struct {
	// Mode is "fan_in" (the default; "" means it), which keeps the
	// variance of the activations in the forward pass, or "fan_out", which
	// keeps that of the gradients in the backward pass. Case does not
	// matter, as in PyTorch.
	Mode string
	// Nonlinearity is the CalculateGain name of the function that follows
	// the layer: "leaky_relu" (the default; "" means it), "relu", ...
	Nonlinearity string
}

// kaimingStd is gain / sqrt(fan) for kaiming_uniform_ and kaiming_normal_.
func kaimingStd(op string, t *torch.Tensor, a float64, opts []KaimingOpts) float64 {
	o := optarg.First(opts)
	mode := strings.ToLower(o.Mode)
	if mode == "" {
		mode = "fan_in"
	}
	if mode != "fan_in" && mode != "fan_out" {
		panic(initValueError(op, "Mode %s not supported, please use one of ['fan_in', 'fan_out']", o.Mode))
	}
	nonlinearity := o.Nonlinearity
	if nonlinearity == "" {
		nonlinearity = "leaky_relu"
	}
	in, out := FanInAndFanOut(t)
	fan := in
	if mode == "fan_out" {
		fan = out
	}
	gain := CalculateGain(nonlinearity, a)
	return gain / math.Sqrt(float64(fan))
}

// KaimingUniform_ fills t with values from U(-bound, bound), bound =
// sqrt(3) * gain / sqrt(fan): torch.nn.init.kaiming_uniform_(t, a=0,
// mode='fan_in', nonlinearity='leaky_relu') (He et al., 2015). a is the
// negative slope of the leaky ReLU that follows (used only with
// "leaky_relu"). A tensor without elements is left alone, as PyTorch does
// (with a warning).
func KaimingUniform_(t *torch.Tensor, a float64, opts ...KaimingOpts) *torch.Tensor {
	if t.Numel() == 0 {
		return t
	}
	bound := math.Sqrt(3.0) * kaimingStd("KaimingUniform_", t, a, opts)
	return Uniform_(t, -bound, bound)
}

// KaimingNormal_ fills t with values from N(0, std²), std = gain /
// sqrt(fan): torch.nn.init.kaiming_normal_(t, a=0, mode='fan_in',
// nonlinearity='leaky_relu'). A tensor without elements is left alone.
func KaimingNormal_(t *torch.Tensor, a float64, opts ...KaimingOpts) *torch.Tensor {
	if t.Numel() == 0 {
		return t
	}
	return Normal_(t, 0, kaimingStd("KaimingNormal_", t, a, opts))
}

// Orthogonal_ fills t with a (semi-)orthogonal matrix scaled by gain, its
// dimensions after the first flattened: torch.nn.init.orthogonal_(t,
// gain=1) (Saxe et al., 2013). As in PyTorch, it draws a normal matrix and
// takes the Q of its QR decomposition, signs fixed by R's diagonal. It
// panics for tensors of fewer than 2 dimensions, as PyTorch raises.
func Orthogonal_(t *torch.Tensor, gain float64) *torch.Tensor {
	if t.Dim() < 2 {
		panic(initValueError("Orthogonal_", "Only tensors with 2 or more dimensions are supported (got %v)", t.Shape()))
	}
	if t.Numel() == 0 {
		return t
	}
	rows := t.Size(0)
	cols := t.Numel() / rows
	flattened := torch.Empty([]int64{rows, cols}, torch.WithDType(t.DType()), torch.WithDevice(t.Device())).Normal_()
	if rows < cols {
		flattened.T_()
	}
	q, r := torch.LinalgQr(flattened)
	q.Mul_(r.Diag().Sign())
	if rows < cols {
		q.T_()
	}
	torch.NoGrad(func() {
		t.ViewAs(q).Copy_(q)
		t.MulScalar_(torch.Float(gain))
	})
	return t
}

// Sparse_ fills the 2-D tensor t with values from N(0, std²) and zeroes
// ceil(sparsity * rows) random elements of each column:
// torch.nn.init.sparse_(t, sparsity, std=0.01) (Martens, 2010). It panics
// for other ranks, as PyTorch raises.
func Sparse_(t *torch.Tensor, sparsity, std float64) *torch.Tensor {
	s := t.Shape()
	if len(s) != 2 {
		panic(initValueError("Sparse_", "Only tensors with 2 dimensions are supported (got %v)", s))
	}
	rows, cols := s[0], s[1]
	numZeros := int64(math.Ceil(sparsity * float64(rows)))
	if numZeros < 0 {
		numZeros = max(rows+numZeros, 0) // row_indices[:num_zeros] with a negative end
	}
	numZeros = min(numZeros, rows)
	torch.NoGrad(func() {
		t.Normal_(torch.NormalOpts{Std: new(std)})
		for col := range cols {
			rowIndices := torch.RandPerm(rows)
			t.Select(1, col).IndexFill_(0, rowIndices.Narrow(0, 0, numZeros), torch.Int(0))
		}
	})
	return t
}

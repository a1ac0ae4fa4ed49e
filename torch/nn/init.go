package nn

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/torch"
)

// FanIn is the number of inputs each output of a weight sees: the fan_in of
// torch.nn.init._calculate_fan_in_and_fan_out (size(1) times the product of
// the sizes after it). It panics for tensors of fewer than 2 dimensions, as
// PyTorch raises.
func FanIn(weight *torch.Tensor) int64 {
	s := weight.Shape()
	if len(s) < 2 {
		panic(&torch.Error{Op: "FanIn", Msg: fmt.Sprintf("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got %v)", s)})
	}
	fan := s[1]
	for _, d := range s[2:] {
		fan *= d
	}
	return fan
}

// KaimingUniform_ fills t in place with values from U(-bound, bound), bound =
// sqrt(3) * gain / sqrt(fan_in) and gain = sqrt(2 / (1 + a²)), and returns t:
// torch.nn.init.kaiming_uniform_(t, a=a) with PyTorch's defaults
// mode='fan_in' and nonlinearity='leaky_relu'.
//
// The bound is computed with the same float64 operations, in the same order,
// as Python's nn.init does, so that the same seed draws bit-identical
// weights.
func KaimingUniform_(t *torch.Tensor, a float64) *torch.Tensor {
	if t.Numel() == 0 {
		return t // PyTorch warns and leaves zero-element tensors alone
	}
	gain := math.Sqrt(2.0 / (1 + a*a)) // calculate_gain('leaky_relu', a)
	std := gain / math.Sqrt(float64(FanIn(t)))
	bound := math.Sqrt(3.0) * std
	return Uniform_(t, -bound, bound)
}

// Uniform_ fills t in place with values from U(from, to) without recording
// the operation for autograd, and returns t: torch.nn.init.uniform_.
func Uniform_(t *torch.Tensor, from, to float64) *torch.Tensor {
	torch.NoGrad(func() { t.Uniform_(torch.UniformOpts{From: from, To: new(to)}) })
	return t
}

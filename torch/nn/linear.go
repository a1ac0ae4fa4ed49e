package nn

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Linear applies y = x Wᵀ + b: torch.nn.Linear.
type Linear struct {
	Weight *torch.Tensor // [out_features, in_features]
	Bias   *torch.Tensor // [out_features]; nil for a layer without bias
}

// NewLinear returns a Linear layer with a bias, initialised as PyTorch does:
// torch.nn.Linear(inFeatures, outFeatures). After the same torch.ManualSeed,
// layers created in the same order hold bit-identical weights to Python's.
// It panics on negative sizes.
func NewLinear(inFeatures, outFeatures int64) *Linear {
	return newLinear(inFeatures, outFeatures, true)
}

// NewLinearNoBias returns a Linear layer without a bias:
// torch.nn.Linear(inFeatures, outFeatures, bias=False).
func NewLinearNoBias(inFeatures, outFeatures int64) *Linear {
	return newLinear(inFeatures, outFeatures, false)
}

func newLinear(in, out int64, bias bool) *Linear {
	if in < 0 || out < 0 {
		panic(&torch.Error{Op: "NewLinear", Msg: fmt.Sprintf("in_features and out_features must be non-negative, got %d and %d", in, out)})
	}
	// As nn.Linear.__init__: both tensors are allocated (torch.empty draws
	// no random numbers) before reset_parameters draws the weight, then the
	// bias.
	l := &Linear{Weight: torch.Empty([]int64{out, in}, torch.WithRequiresGrad())}
	if bias {
		l.Bias = torch.Empty([]int64{out}, torch.WithRequiresGrad())
	}
	l.ResetParameters()
	return l
}

// ResetParameters draws fresh initial values: nn.Linear.reset_parameters,
// kaiming_uniform_(weight, a=sqrt(5)) and a bias from U(-1/sqrt(fan_in),
// 1/sqrt(fan_in)).
func (l *Linear) ResetParameters() {
	KaimingUniform_(l.Weight, math.Sqrt(5))
	if l.Bias != nil {
		fanIn := FanIn(l.Weight)
		// With no inputs Python's bound is the int 0, so -bound is +0, not
		// -0.0: libtorch 2.14's uniform_ returns from's sign for U(-0, 0).
		lo, hi := 0.0, 0.0
		if fanIn > 0 {
			hi = 1 / math.Sqrt(float64(fanIn))
			lo = -hi
		}
		Uniform_(l.Bias, lo, hi)
	}
}

// InFeatures is nn.Linear.in_features.
func (l *Linear) InFeatures() int64 { return l.Weight.Size(1) }

// OutFeatures is nn.Linear.out_features.
func (l *Linear) OutFeatures() int64 { return l.Weight.Size(0) }

// Forward is nn.Linear.forward: torch.nn.functional.linear(x, weight, bias).
func (l *Linear) Forward(x *torch.Tensor) *torch.Tensor {
	return torch.Linear(x, l.Weight, l.Bias)
}

// String prints the layer as PyTorch's repr does:
// "Linear(in_features=784, out_features=128, bias=True)".
func (l *Linear) String() string {
	b := "True"
	if l.Bias == nil {
		b = "False"
	}
	return fmt.Sprintf("Linear(in_features=%d, out_features=%d, bias=%s)", l.InFeatures(), l.OutFeatures(), b)
}

package nn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// LayerNorm normalises its input over the last dimensions (NormalizedShape)
// to zero mean and unit variance, then applies a learned elementwise scale
// and shift: torch.nn.LayerNorm.
type LayerNorm struct {
	Weight *torch.Tensor // [NormalizedShape...], initialised to ones; nil without elementwise_affine
	Bias   *torch.Tensor // [NormalizedShape...], initialised to zeros; nil without elementwise_affine or with bias=False

	NormalizedShape []int64 // the trailing dimensions normalised over: normalized_shape
	Eps             float64 // added to the variance: eps
}

// LayerNormOpts holds the defaulted arguments of NewLayerNorm; the zero value
// is PyTorch's defaults.
type LayerNormOpts struct {
	Eps               *float64 // default 1e-5
	ElementwiseAffine *bool    // learn Weight and Bias; default true
	Bias              *bool    // learn Bias too (PyTorch 2.1's bias=); default true
}

// NewLayerNorm is torch.nn.LayerNorm(normalized_shape, eps=1e-5,
// elementwise_affine=True): Weight starts at ones and Bias at zeros (no
// random draws, as in PyTorch). A one-element normalizedShape is PyTorch's
// int argument. It panics on a negative size, as torch.empty raises.
func NewLayerNorm(normalizedShape []int64, opts ...LayerNormOpts) *LayerNorm {
	var o LayerNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	for _, d := range normalizedShape {
		if d < 0 {
			panic(&torch.Error{Op: "NewLayerNorm", Msg: fmt.Sprintf("Trying to create tensor with negative dimension %d: %v", d, lnShape(normalizedShape))})
		}
	}
	l := &LayerNorm{NormalizedShape: append([]int64(nil), normalizedShape...), Eps: 1e-5}
	if o.Eps != nil {
		l.Eps = *o.Eps
	}
	if o.ElementwiseAffine == nil || *o.ElementwiseAffine {
		l.Weight = torch.Ones(l.NormalizedShape, torch.WithRequiresGrad())
		if o.Bias == nil || *o.Bias {
			l.Bias = torch.Zeros(l.NormalizedShape, torch.WithRequiresGrad())
		}
	}
	return l
}

// ResetParameters sets Weight to ones and Bias to zeros:
// nn.LayerNorm.reset_parameters.
func (l *LayerNorm) ResetParameters() {
	torch.NoGrad(func() {
		if l.Weight != nil {
			l.Weight.FillScalar_(torch.Float(1))
		}
		if l.Bias != nil {
			l.Bias.Zero_()
		}
	})
}

// Forward is nn.LayerNorm.forward: torch.nn.functional.layer_norm(x,
// normalized_shape, weight, bias, eps).
func (l *LayerNorm) Forward(x *torch.Tensor) *torch.Tensor {
	return F.LayerNorm(x, l.NormalizedShape, F.LayerNormOpts{Weight: l.Weight, Bias: l.Bias, Eps: &l.Eps})
}

// String prints the layer as PyTorch's repr does:
// "LayerNorm((512,), eps=1e-05, elementwise_affine=True)".
func (l *LayerNorm) String() string {
	affine := "True"
	if l.Weight == nil {
		affine = "False"
	}
	return fmt.Sprintf("LayerNorm(%s, eps=%s, elementwise_affine=%s)", lnTuple(l.NormalizedShape), pyfmt.Float(l.Eps), affine)
}

// lnTuple prints sizes as a Python tuple: (8,), (4, 8), ().
func lnTuple(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// lnShape prints sizes as a C++ IntArrayRef: [4, 8].
func lnShape(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

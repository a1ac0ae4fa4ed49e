package nn

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
)

// ClipGradNormOpts are the defaulted arguments of ClipGradNorm_.
type ClipGradNormOpts struct {
	// NormType is norm_type, the p of the p-norm; nil means 2.0.
	// math.Inf(1) is the infinity norm (Python's 'inf').
	NormType *float64
	// ErrorIfNonfinite is error_if_nonfinite: panic instead of scaling the
	// gradients when the total norm is nan or infinite.
	ErrorIfNonfinite bool
}

// ClipGradNorm_ is torch.nn.utils.clip_grad_norm_(parameters, max_norm,
// norm_type=2.0, error_if_nonfinite=False): it scales the gradients of
// params in place so that their total norm (the norm of all of them
// concatenated into one vector) is at most maxNorm, multiplying each by
// min(1, maxNorm / (total_norm + 1e-6)), and returns the total norm before
// clipping as a 0-d tensor (0 when no parameter has a gradient). Parameters
// without a gradient are skipped.
//
// With ErrorIfNonfinite and a nan or infinite total norm it panics with a
// *torch.Error carrying PyTorch's message (Python's RuntimeError), leaving
// the gradients alone; torch.Catch turns that into an error.
//
// The norms are taken as the release of the linked libtorch does: with
// torch.norm per gradient in 1.13, with torch.linalg.vector_norm in 2.x.
func ClipGradNorm_(params []*torch.Tensor, maxNorm float64, opts ...ClipGradNormOpts) *torch.Tensor {
	var o ClipGradNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	normType := 2.0
	if o.NormType != nil {
		normType = *o.NormType
	}
	var grads []*torch.Tensor
	for _, p := range params {
		if g := p.Grad(); g != nil {
			grads = append(grads, g)
		}
	}
	defer func() {
		for _, g := range grads {
			g.Free()
		}
	}()
	if len(grads) == 0 {
		return torch.Full([]int64{}, torch.Float(0), torch.WithDType(torch.Float32))
	}
	var total *torch.Tensor
	torch.NoGrad(func() {
		total = clipTotalNorm(grads, normType)
		if o.ErrorIfNonfinite {
			if v := total.Item(); math.IsNaN(v) || math.IsInf(v, 0) {
				panic(&torch.Error{Op: "ClipGradNorm_", Msg: fmt.Sprintf("The total norm of order %s for gradients from "+
					"`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "+
					"gradients by the non-finite norm anyway, set `error_if_nonfinite=False`", pyfmt.Float(normType))})
			}
		}
		// clip_coef = max_norm / (total_norm + 1e-6): Tensor.__rtruediv__,
		// reciprocal() * max_norm.
		shifted := total.AddScalar(torch.Float(1e-6))
		recip := shifted.Reciprocal()
		coef := recip.MulScalar(torch.Float(maxNorm))
		coef.Clamp_(torch.ClampOpts{Max: new(torch.Float(1.0))})
		for _, g := range grads {
			c := coef.To(g.Device())
			g.Mul_(c)
			if c != coef {
				c.Free()
			}
		}
		shifted.Free()
		recip.Free()
		coef.Free()
	})
	return total
}

// clipTotalNorm is the norm of the gradients' norms, on the first gradient's
// device.
func clipTotalNorm(grads []*torch.Tensor, normType float64) *torch.Tensor {
	device := grads[0].Device()
	ord := torch.Float(normType)
	norms := make([]*torch.Tensor, len(grads))
	for i, g := range grads {
		var n *torch.Tensor
		switch {
		case torch.VersionAtLeast(2, 0):
			n = torch.LinalgVectorNorm(g, torch.LinalgVectorNormOpts{Ord: &ord})
		case math.IsInf(normType, 1):
			a := g.Abs() // g.detach().abs().max()
			n = a.Max()
			a.Free()
		default: // torch.norm(g, p): _VF.norm(g, p, dim=range(g.dim()))
			n = g.NormScalarOptDim(&ord, clipAllDims(g))
		}
		norms[i] = n.To(device)
		if norms[i] != n {
			n.Free()
		}
	}
	defer func() {
		for _, n := range norms {
			n.Free()
		}
	}()
	if !torch.VersionAtLeast(2, 0) && math.IsInf(normType, 1) && len(norms) == 1 {
		return norms[0].Clone() // norms[0] itself in Python
	}
	stacked := torch.Stack(norms)
	defer stacked.Free()
	switch {
	case torch.VersionAtLeast(2, 0):
		return torch.LinalgVectorNorm(stacked, torch.LinalgVectorNormOpts{Ord: &ord})
	case math.IsInf(normType, 1):
		return stacked.Max() // torch.max(torch.stack(norms))
	default:
		return stacked.NormScalarOptDim(&ord, []int64{0})
	}
}

// clipAllDims is [0, ..., t.dim()-1].
func clipAllDims(t *torch.Tensor) []int64 {
	dims := make([]int64, t.Dim())
	for i := range dims {
		dims[i] = int64(i)
	}
	return dims
}

// ClipGradValue_ is torch.nn.utils.clip_grad_value_(parameters,
// clip_value): it clamps every gradient of params in place to
// [-clipValue, clipValue]. Parameters without a gradient are skipped.
func ClipGradValue_(params []*torch.Tensor, clipValue float64) {
	torch.NoGrad(func() {
		for _, p := range params {
			if g := p.Grad(); g != nil {
				g.Clamp_(torch.ClampOpts{Min: new(torch.Float(-clipValue)), Max: new(torch.Float(clipValue))})
				g.Free()
			}
		}
	})
}

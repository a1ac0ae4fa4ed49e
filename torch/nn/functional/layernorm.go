package functional

import "github.com/seed0eaa3131/gotorch/torch"

// LayerNormOpts holds the defaulted arguments of LayerNorm; the zero value
// is PyTorch's defaults.
type LayerNormOpts struct {
	Weight *torch.Tensor // elementwise scale, of shape normalizedShape; nil for none
	Bias   *torch.Tensor // elementwise shift, of shape normalizedShape; nil for none
	Eps    *float64      // added to the variance; default 1e-5
}

// LayerNorm normalises x over its last len(normalizedShape) dimensions to
// zero mean and unit variance (the biased variance, plus Eps), then scales by
// Weight and shifts by Bias where they are given:
// torch.nn.functional.layer_norm(x, normalized_shape, weight, bias, eps).
func LayerNorm(x *torch.Tensor, normalizedShape []int64, opts ...LayerNormOpts) *torch.Tensor {
	var o LayerNormOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return torch.LayerNorm(x, normalizedShape, torch.LayerNormOpts{Weight: o.Weight, Bias: o.Bias, Eps: o.Eps})
}

package functional

import (
	"github.com/seed0eaa3131/gotorch/torch"
)

// EmbeddingOpts holds the defaulted arguments of Embedding; the zero value
// is PyTorch's defaults. PyTorch's sparse=True (sparse gradients) is not
// offered.
type EmbeddingOpts struct {
	PaddingIdx      *int64   // the row that gets no gradient; negative counts from the end; default nil (none)
	MaxNorm         *float64 // renormalise, in place, each looked-up row whose norm exceeds this; default nil (none)
	NormType        *float64 // the p of the p-norm for MaxNorm; default 2
	ScaleGradByFreq bool     // scale gradients by the inverse frequency of the indices in the mini-batch; default false
}

// Embedding looks up the rows of weight at the int64 indices in input:
// torch.nn.functional.embedding(input, weight, padding_idx=None,
// max_norm=None, norm_type=2.0, scale_grad_by_freq=False). The result has
// input's shape followed by weight's second dimension. With MaxNorm set it
// renormalises the rows it looks up in weight itself, without recording it
// for autograd, as PyTorch does. A PaddingIdx outside [-rows, rows) panics
// with PyTorch's message ("Padding_idx must be within num_embeddings",
// Python's AssertionError).
func Embedding(input, weight *torch.Tensor, opts ...EmbeddingOpts) *torch.Tensor {
	var o EmbeddingOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	paddingIdx := int64(-1)
	if o.PaddingIdx != nil {
		paddingIdx = *o.PaddingIdx
		rows := weight.Size(0)
		if (paddingIdx > 0 && paddingIdx >= rows) || paddingIdx < -rows {
			panic(&torch.Error{Op: "Embedding", Msg: "Padding_idx must be within num_embeddings"})
		}
		if paddingIdx < 0 {
			paddingIdx += rows
		}
	}
	if o.MaxNorm != nil {
		normType := 2.0
		if o.NormType != nil {
			normType = *o.NormType
		}
		input = input.Contiguous()
		torch.NoGrad(func() { torch.EmbeddingRenorm_(weight, input, *o.MaxNorm, normType) })
	}
	return torch.Embedding(weight, input, torch.EmbeddingOpts{PaddingIdx: &paddingIdx, ScaleGradByFreq: o.ScaleGradByFreq})
}

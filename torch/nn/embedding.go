package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// Embedding is a lookup table of NumEmbeddings vectors of EmbeddingDim
// values: Forward maps int64 indices of any shape to their rows of Weight:
// torch.nn.Embedding. PyTorch's sparse=True (sparse gradients) is not
// offered.
type Embedding struct {
	Weight *torch.Tensor // [num_embeddings, embedding_dim], from N(0, 1) at first, its PaddingIdx row zero

	NumEmbeddings   int64    // num_embeddings
	EmbeddingDim    int64    // embedding_dim
	PaddingIdx      *int64   // padding_idx, in [0, num_embeddings): the row that gets no gradient; nil for none
	MaxNorm         *float64 // max_norm: rows looked up are renormalised in place to at most this norm; nil for none
	NormType        float64  // norm_type: the p of the p-norm for MaxNorm (2 by default)
	ScaleGradByFreq bool     // scale_grad_by_freq: scale gradients by the inverse frequency of the indices in the mini-batch
}

// EmbeddingOpts holds the defaulted arguments of NewEmbedding; the zero
// value is PyTorch's defaults.
type EmbeddingOpts struct {
	PaddingIdx      *int64   // default nil (none); negative counts from the end, as in PyTorch
	MaxNorm         *float64 // default nil (none)
	NormType        *float64 // default 2
	ScaleGradByFreq bool     // default false
}

// embeddingPaddingIdx checks and normalises padding_idx as
// nn.Embedding.__init__ does.
func embeddingPaddingIdx(op string, paddingIdx *int64, numEmbeddings int64) *int64 {
	if paddingIdx == nil {
		return nil
	}
	p := *paddingIdx
	if (p > 0 && p >= numEmbeddings) || p < -numEmbeddings {
		panic(&torch.Error{Op: op, Msg: "Padding_idx must be within num_embeddings"}) // Python's AssertionError
	}
	if p < 0 {
		p += numEmbeddings
	}
	return &p
}

func (o EmbeddingOpts) apply(op string, e *Embedding) {
	e.PaddingIdx = embeddingPaddingIdx(op, o.PaddingIdx, e.NumEmbeddings)
	if o.MaxNorm != nil {
		e.MaxNorm = new(*o.MaxNorm)
	}
	e.NormType = 2
	if o.NormType != nil {
		e.NormType = *o.NormType
	}
	e.ScaleGradByFreq = o.ScaleGradByFreq
}

// NewEmbedding is torch.nn.Embedding(num_embeddings, embedding_dim,
// padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False),
// initialised as PyTorch does: Weight from N(0, 1), then its padding_idx
// row zeroed. After the same torch.ManualSeed the weights are bit-identical
// to Python's. A padding index outside [-numEmbeddings, numEmbeddings)
// panics with PyTorch's message.
func NewEmbedding(numEmbeddings, embeddingDim int64, opts ...EmbeddingOpts) *Embedding {
	var o EmbeddingOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	e := &Embedding{NumEmbeddings: numEmbeddings, EmbeddingDim: embeddingDim}
	o.apply("NewEmbedding", e)
	e.Weight = torch.Empty([]int64{numEmbeddings, embeddingDim}, torch.WithRequiresGrad())
	e.ResetParameters()
	return e
}

// EmbeddingFromPretrainedOpts holds the defaulted arguments of
// NewEmbeddingFromPretrained; the zero value is PyTorch's defaults.
type EmbeddingFromPretrainedOpts struct {
	Freeze          *bool    // the weight gets no gradient (requires_grad=False); default true
	PaddingIdx      *int64   // default nil (none)
	MaxNorm         *float64 // default nil (none)
	NormType        *float64 // default 2
	ScaleGradByFreq bool     // default false
}

// NewEmbeddingFromPretrained is torch.nn.Embedding.from_pretrained(
// embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
// scale_grad_by_freq=False): an Embedding whose Weight shares embeddings'
// storage (a detached alias, as nn.Parameter(embeddings) is), requiring a
// gradient only when Freeze is false. The padding row is kept as given. It
// panics unless embeddings is 2-D.
func NewEmbeddingFromPretrained(embeddings *torch.Tensor, opts ...EmbeddingFromPretrainedOpts) *Embedding {
	var o EmbeddingFromPretrainedOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if embeddings.Dim() != 2 {
		panic(&torch.Error{Op: "NewEmbeddingFromPretrained", Msg: "Embeddings parameter is expected to be 2-dimensional"}) // Python's AssertionError
	}
	e := &Embedding{NumEmbeddings: embeddings.Size(0), EmbeddingDim: embeddings.Size(1)}
	EmbeddingOpts{PaddingIdx: o.PaddingIdx, MaxNorm: o.MaxNorm, NormType: o.NormType, ScaleGradByFreq: o.ScaleGradByFreq}.apply("NewEmbeddingFromPretrained", e)
	freeze := o.Freeze == nil || *o.Freeze
	e.Weight = embeddings.Detach().SetRequiresGrad(!freeze)
	return e
}

// ResetParameters is nn.Embedding.reset_parameters: Weight from N(0, 1)
// (init.normal_), then the PaddingIdx row set to zero, neither recorded by
// autograd.
func (e *Embedding) ResetParameters() {
	torch.NoGrad(func() {
		e.Weight.Normal_()
		if e.PaddingIdx != nil {
			e.Weight.Select(0, *e.PaddingIdx).FillScalar_(torch.Int(0))
		}
	})
}

// Forward is nn.Embedding.forward: torch.nn.functional.embedding(x,
// weight, padding_idx, max_norm, norm_type, scale_grad_by_freq). x holds
// int64 indices; the result has x's shape followed by EmbeddingDim. With
// MaxNorm set, the rows looked up are renormalised in Weight itself.
func (e *Embedding) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Embedding(x, e.Weight, F.EmbeddingOpts{PaddingIdx: e.PaddingIdx, MaxNorm: e.MaxNorm, NormType: &e.NormType, ScaleGradByFreq: e.ScaleGradByFreq})
}

// String prints the layer as PyTorch's repr does: "Embedding(10, 3,
// padding_idx=0)".
func (e *Embedding) String() string {
	s := fmt.Sprintf("Embedding(%d, %d", e.NumEmbeddings, e.EmbeddingDim)
	if e.PaddingIdx != nil {
		s += fmt.Sprintf(", padding_idx=%d", *e.PaddingIdx)
	}
	if e.MaxNorm != nil {
		s += ", max_norm=" + pyfmt.Float(*e.MaxNorm)
	}
	if e.NormType != 2 {
		s += ", norm_type=" + pyfmt.Float(e.NormType)
	}
	if e.ScaleGradByFreq {
		s += ", scale_grad_by_freq=True"
	}
	return s + ")"
}

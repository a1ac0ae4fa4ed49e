package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// MultiheadAttention is multi-head scaled dot-product attention with input
// and output projections, as in "Attention Is All You Need":
// torch.nn.MultiheadAttention. Its parameters carry PyTorch's state_dict
// names (in_proj_weight, in_proj_bias, out_proj.weight, ...) in PyTorch's
// order. Train and Eval switch the dropout on the attention weights.
type MultiheadAttention struct {
	InProjWeight *torch.Tensor `nn:"in_proj_weight"` // [3E, E]: the packed q, k, v projections; nil when KDim or VDim differ from E
	QProjWeight  *torch.Tensor `nn:"q_proj_weight"`  // [E, E]; only when KDim or VDim differ from E
	KProjWeight  *torch.Tensor `nn:"k_proj_weight"`  // [E, KDim]; likewise
	VProjWeight  *torch.Tensor `nn:"v_proj_weight"`  // [E, VDim]; likewise
	InProjBias   *torch.Tensor `nn:"in_proj_bias"`   // [3E]; nil with bias=False
	BiasK        *torch.Tensor `nn:"bias_k"`         // [1, 1, E]; only with add_bias_kv
	BiasV        *torch.Tensor `nn:"bias_v"`         // [1, 1, E]; only with add_bias_kv
	OutProj      *Linear       `nn:"out_proj"`       // E -> E (PyTorch's NonDynamicallyQuantizableLinear)

	EmbedDim    int64   // embed_dim: E
	KDim        int64   // kdim: the features of key
	VDim        int64   // vdim: the features of value
	NumHeads    int64   // num_heads
	Dropout     float64 // dropout: the probability of zeroing an attention weight while training
	BatchFirst  bool    // batch_first: inputs and output are (N, L, E) rather than (L, N, E)
	AddZeroAttn bool    // add_zero_attn: a zero key and value are appended to the sequences

	eval bool // false while training, as a new PyTorch module is
}

// MultiheadAttentionOpts holds the defaulted arguments of
// NewMultiheadAttention; the zero value is PyTorch's defaults.
type MultiheadAttentionOpts struct {
	Dropout     float64 // on the attention weights while training; default 0
	Bias        *bool   // in- and out-projection biases; default true
	AddBiasKV   bool    // learn a bias row appended to the keys and values (bias_k, bias_v)
	AddZeroAttn bool    // append a zero key and value
	KDim        int64   // the features of key; 0 (PyTorch's None) means embedDim
	VDim        int64   // the features of value; 0 (PyTorch's None) means embedDim
	BatchFirst  bool    // inputs and output are (N, L, E) rather than (L, N, E)
}

// NewMultiheadAttention is torch.nn.MultiheadAttention(embed_dim,
// num_heads, dropout=0.0, bias=True, add_bias_kv=False,
// add_zero_attn=False, kdim=None, vdim=None, batch_first=False). It is
// initialised as PyTorch's is, so that after the same torch.ManualSeed the
// weights are bit-identical: out_proj, a Linear, draws its Kaiming-uniform
// weight and bias first; then _reset_parameters draws the in-projection
// weights from Xavier-uniform, zeroes in_proj_bias and out_proj.bias, and
// draws bias_k and bias_v from Xavier-normal.
//
// It panics unless embedDim and numHeads are positive and embedDim is
// divisible by numHeads, as PyTorch raises.
func NewMultiheadAttention(embedDim, numHeads int64, opts ...MultiheadAttentionOpts) *MultiheadAttention {
	var o MultiheadAttentionOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	fail := func(kind torch.ErrorKind, format string, args ...any) {
		panic(&torch.Error{Op: "NewMultiheadAttention", Kind: kind, Msg: fmt.Sprintf(format, args...)})
	}
	if embedDim <= 0 || numHeads <= 0 { // PyTorch 2.x's check
		fail(torch.KindValue, "embed_dim and num_heads must be greater than 0, got embed_dim=%d and num_heads=%d instead", embedDim, numHeads)
	}
	if o.KDim < 0 || o.VDim < 0 {
		fail(torch.KindRuntime, "kdim and vdim must be non-negative, but got %d and %d", o.KDim, o.VDim)
	}
	if (embedDim/numHeads)*numHeads != embedDim {
		fail(torch.KindRuntime, "embed_dim must be divisible by num_heads")
	}
	m := &MultiheadAttention{EmbedDim: embedDim, KDim: embedDim, VDim: embedDim, NumHeads: numHeads,
		Dropout: o.Dropout, BatchFirst: o.BatchFirst, AddZeroAttn: o.AddZeroAttn}
	if o.KDim != 0 {
		m.KDim = o.KDim
	}
	if o.VDim != 0 {
		m.VDim = o.VDim
	}
	empty := func(shape ...int64) *torch.Tensor { return torch.Empty(shape, torch.WithRequiresGrad()) }
	if m.qkvSameEmbedDim() {
		m.InProjWeight = empty(3*embedDim, embedDim)
	} else {
		m.QProjWeight = empty(embedDim, embedDim)
		m.KProjWeight = empty(embedDim, m.KDim)
		m.VProjWeight = empty(embedDim, m.VDim)
	}
	bias := o.Bias == nil || *o.Bias
	if bias {
		m.InProjBias = empty(3 * embedDim)
		m.OutProj = NewLinear(embedDim, embedDim)
	} else {
		m.OutProj = NewLinearNoBias(embedDim, embedDim)
	}
	if o.AddBiasKV {
		m.BiasK = empty(1, 1, embedDim)
		m.BiasV = empty(1, 1, embedDim)
	}
	m.ResetParameters()
	return m
}

// qkvSameEmbedDim is PyTorch's _qkv_same_embed_dim: the projections are
// packed in InProjWeight.
func (m *MultiheadAttention) qkvSameEmbedDim() bool {
	return m.KDim == m.EmbedDim && m.VDim == m.EmbedDim
}

// HeadDim is the features of each head: embed_dim / num_heads.
func (m *MultiheadAttention) HeadDim() int64 { return m.EmbedDim / m.NumHeads }

// ResetParameters is nn.MultiheadAttention._reset_parameters: Xavier-uniform
// in-projection weights, zero in_proj_bias and out_proj.bias, Xavier-normal
// bias_k and bias_v. out_proj.weight keeps its values, as in PyTorch.
func (m *MultiheadAttention) ResetParameters() {
	if m.InProjWeight != nil {
		XavierUniform_(m.InProjWeight, 1)
	} else {
		XavierUniform_(m.QProjWeight, 1)
		XavierUniform_(m.KProjWeight, 1)
		XavierUniform_(m.VProjWeight, 1)
	}
	if m.InProjBias != nil {
		torch.NoGrad(func() {
			m.InProjBias.FillScalar_(torch.Float(0))
			if m.OutProj.Bias != nil {
				m.OutProj.Bias.FillScalar_(torch.Float(0))
			}
		})
	}
	if m.BiasK != nil {
		XavierNormal_(m.BiasK, 1)
	}
	if m.BiasV != nil {
		XavierNormal_(m.BiasV, 1)
	}
}

// MultiheadAttentionForwardOpts holds the defaulted arguments of
// MultiheadAttention.Forward; the zero value is PyTorch's defaults.
type MultiheadAttentionForwardOpts struct {
	// KeyPaddingMask, (N, S) or (S) for unbatched input, marks keys to
	// ignore: true (bool) positions are masked out; a float mask is added to
	// the attention scores.
	KeyPaddingMask *torch.Tensor
	// NeedWeights returns the attention weights; default true.
	NeedWeights *bool
	// AttnMask, (L, S) or (N*num_heads, L, S), keeps positions from
	// attending: true (bool) positions are masked out; a float mask is added
	// to the attention scores.
	AttnMask *torch.Tensor
	// AverageAttnWeights averages the returned weights over the heads;
	// default true.
	AverageAttnWeights *bool
}

// Forward is nn.MultiheadAttention.forward(query, key, value): query (L, N,
// E), key (S, N, KDim) and value (S, N, VDim), or (N, L, E) ... with
// BatchFirst, or unbatched (L, E), (S, KDim), (S, VDim). It returns the
// attention output, shaped as query, and the attention weights: (N, L, S)
// averaged over the heads, (N, num_heads, L, S) with AverageAttnWeights
// false, without N for unbatched input; nil with NeedWeights false. Pass
// the same tensor as query, key and value for self-attention (PyTorch then
// projects them in one matrix product).
//
// PyTorch 1.13 takes a fused "fast path" in evaluation mode without
// autograd; this always computes F.MultiHeadAttentionForward, whose results
// agree with it to rounding.
func (m *MultiheadAttention) Forward(query, key, value *torch.Tensor, opts ...MultiheadAttentionForwardOpts) (output, weights *torch.Tensor) {
	var o MultiheadAttentionForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	isBatched := query.Dim() == 3
	if kpm := o.KeyPaddingMask; kpm != nil && kpm.DType() != torch.Bool && !kpm.IsFloatingPoint() {
		panic(&torch.Error{Op: "MultiheadAttention.Forward", Msg: "only bool and floating types of key_padding_mask are supported"})
	}
	if m.BatchFirst && isBatched {
		// Transpose so that self-attention stays self-attention (query, key
		// and value one tensor), as PyTorch keeps the "is" relations.
		switch {
		case key == value && query == key:
			query = query.Transpose(1, 0)
			key, value = query, query
		case key == value:
			query, key = query.Transpose(1, 0), key.Transpose(1, 0)
			value = key
		default:
			query, key, value = query.Transpose(1, 0), key.Transpose(1, 0), value.Transpose(1, 0)
		}
	}
	training := !m.eval
	fo := F.MultiHeadAttentionForwardOpts{
		Training: &training, KeyPaddingMask: o.KeyPaddingMask, NeedWeights: o.NeedWeights,
		AttnMask: o.AttnMask, AverageAttnWeights: o.AverageAttnWeights,
	}
	if !m.qkvSameEmbedDim() {
		fo.UseSeparateProjWeight = true
		fo.QProjWeight, fo.KProjWeight, fo.VProjWeight = m.QProjWeight, m.KProjWeight, m.VProjWeight
	}
	output, weights = F.MultiHeadAttentionForward(query, key, value, m.EmbedDim, m.NumHeads,
		m.InProjWeight, m.InProjBias, m.BiasK, m.BiasV, m.AddZeroAttn, m.Dropout,
		m.OutProj.Weight, m.OutProj.Bias, fo)
	if m.BatchFirst && isBatched {
		output = output.Transpose(1, 0)
	}
	return output, weights
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (m *MultiheadAttention) SetTraining(training bool) { m.eval = !training }

// IsTraining is Module.training.
func (m *MultiheadAttention) IsTraining() bool { return !m.eval }

// String prints the layer as PyTorch's repr does:
//
//	MultiheadAttention(
//	  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
//	)
func (m *MultiheadAttention) String() string {
	return "MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizable" + m.OutProj.String() + "\n)"
}

// clone is copy.deepcopy(m): the same configuration and mode, with each
// parameter a new leaf holding a copy of its values.
func (m *MultiheadAttention) clone() *MultiheadAttention {
	c := *m
	for _, p := range []**torch.Tensor{&c.InProjWeight, &c.QProjWeight, &c.KProjWeight, &c.VProjWeight, &c.InProjBias, &c.BiasK, &c.BiasV} {
		*p = tfCloneTensor(*p)
	}
	c.OutProj = tfCloneLinear(m.OutProj)
	return &c
}

// tfCloneTensor is copy.deepcopy of a parameter: a new leaf with a copy of
// t's values and t's requires_grad (and no grad). nil stays nil.
func tfCloneTensor(t *torch.Tensor) *torch.Tensor {
	if t == nil {
		return nil
	}
	var c *torch.Tensor
	torch.NoGrad(func() { c = t.Detach().Clone() })
	if t.RequiresGrad() {
		c.SetRequiresGrad(true)
	}
	return c
}

// tfCloneLinear is copy.deepcopy of a Linear.
func tfCloneLinear(l *Linear) *Linear {
	c := *l
	c.Weight, c.Bias = tfCloneTensor(l.Weight), tfCloneTensor(l.Bias)
	return &c
}

package nn

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Activation kinds of a transformer layer: PyTorch's activation_relu_or_gelu.
const (
	tfActivationCustom = 0
	tfActivationReLU   = 1
	tfActivationGELU   = 2
)

// tfActivation resolves a transformer layer's activation option, as
// _get_activation_fn does for a string.
func tfActivation(op, name string, fn func(*torch.Tensor) *torch.Tensor) (func(*torch.Tensor) *torch.Tensor, int) {
	if fn != nil {
		return fn, tfActivationCustom
	}
	switch name {
	case "", "relu":
		return func(x *torch.Tensor) *torch.Tensor { return x.Relu() }, tfActivationReLU
	case "gelu":
		return func(x *torch.Tensor) *torch.Tensor { return torch.Gelu(x) }, tfActivationGELU
	}
	panic(&torch.Error{Op: op, Msg: fmt.Sprintf("activation should be relu/gelu, not %s", name)})
}

// TransformerEncoderLayer is one layer of a Transformer encoder:
// self-attention and a feed-forward network, each with a residual
// connection, dropout and layer normalisation: torch.nn.TransformerEncoderLayer.
// Its submodules carry PyTorch's names (self_attn, linear1, dropout,
// linear2, norm1, norm2, dropout1, dropout2), so its state_dict is
// PyTorch's. Train and Eval switch its dropouts.
type TransformerEncoderLayer struct {
	SelfAttn *MultiheadAttention `nn:"self_attn"`
	Linear1  *Linear             // d_model -> dim_feedforward
	Dropout  *Dropout            // after the activation
	Linear2  *Linear             // dim_feedforward -> d_model
	Norm1    *LayerNorm          // around the self-attention block
	Norm2    *LayerNorm          // around the feed-forward block
	Dropout1 *Dropout            // on the self-attention block's output
	Dropout2 *Dropout            // on the feed-forward block's output

	// NormFirst normalises before each block rather than after (pre-LN):
	// norm_first.
	NormFirst bool
	// Activation is the feed-forward network's nonlinearity: ReLU, GELU or
	// the function given in TransformerEncoderLayerOpts.ActivationFunc.
	Activation func(*torch.Tensor) *torch.Tensor

	activationKind int  // activation_relu_or_gelu
	eval           bool // false while training, as a new PyTorch module is
}

// TransformerEncoderLayerOpts holds the defaulted arguments of
// NewTransformerEncoderLayer; the zero value is PyTorch's defaults.
type TransformerEncoderLayerOpts struct {
	DimFeedforward *int64   // the feed-forward network's width; default 2048
	Dropout        *float64 // dropout probability; default 0.1
	// Activation is "relu" (the default, also when empty) or "gelu".
	Activation string
	// ActivationFunc, when not nil, is the activation instead (PyTorch's
	// callable activation).
	ActivationFunc func(*torch.Tensor) *torch.Tensor
	LayerNormEps   *float64 // the eps of both LayerNorms; default 1e-5
	BatchFirst     bool     // inputs and output are (N, S, E) rather than (S, N, E)
	NormFirst      bool     // normalise before each block (pre-LN) rather than after
}

// NewTransformerEncoderLayer is torch.nn.TransformerEncoderLayer(d_model,
// nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
// layer_norm_eps=1e-5, batch_first=False, norm_first=False). Its submodules
// are created in PyTorch's order (self_attn, then linear1 and linear2), so
// after the same torch.ManualSeed its weights are bit-identical to
// Python's. It panics on an unknown activation, and as NewMultiheadAttention
// and NewDropout do.
func NewTransformerEncoderLayer(dModel, nhead int64, opts ...TransformerEncoderLayerOpts) *TransformerEncoderLayer {
	var o TransformerEncoderLayerOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	dimFF, dropout, eps := int64(2048), 0.1, 1e-5
	if o.DimFeedforward != nil {
		dimFF = *o.DimFeedforward
	}
	if o.Dropout != nil {
		dropout = *o.Dropout
	}
	if o.LayerNormEps != nil {
		eps = *o.LayerNormEps
	}
	act, kind := tfActivation("NewTransformerEncoderLayer", o.Activation, o.ActivationFunc)
	l := &TransformerEncoderLayer{
		SelfAttn: NewMultiheadAttention(dModel, nhead, MultiheadAttentionOpts{Dropout: dropout, BatchFirst: o.BatchFirst}),
	}
	l.Linear1 = NewLinear(dModel, dimFF)
	l.Dropout = NewDropout(dropout)
	l.Linear2 = NewLinear(dimFF, dModel)
	l.NormFirst = o.NormFirst
	l.Norm1 = NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
	l.Norm2 = NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
	l.Dropout1 = NewDropout(dropout)
	l.Dropout2 = NewDropout(dropout)
	l.Activation, l.activationKind = act, kind
	return l
}

// TransformerEncoderLayerForwardOpts holds the optional masks of
// TransformerEncoderLayer.Forward.
type TransformerEncoderLayerForwardOpts struct {
	SrcMask           *torch.Tensor // the self-attention's attn_mask: (S, S) or (N*nhead, S, S)
	SrcKeyPaddingMask *torch.Tensor // the self-attention's key_padding_mask: (N, S), or (S) unbatched
}

// Forward is nn.TransformerEncoderLayer.forward(src, src_mask,
// src_key_padding_mask): src is (S, N, E), (N, S, E) with BatchFirst, or
// unbatched (S, E); the output has its shape. Post-LN computes
// norm1(x + sa(x)), then norm2(x + ff(x)); NormFirst computes x + sa(norm1(x)),
// then x + ff(norm2(x)).
//
// PyTorch 1.13 takes a fused "fast path" in evaluation mode without
// autograd; this always takes the path PyTorch uses while training, whose
// results agree with the fused one to rounding.
func (l *TransformerEncoderLayer) Forward(src *torch.Tensor, opts ...TransformerEncoderLayerForwardOpts) *torch.Tensor {
	var o TransformerEncoderLayerForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	tfCheckPaddingMask("TransformerEncoderLayer.Forward", o.SrcKeyPaddingMask)
	x := src
	if l.NormFirst {
		x = x.Add(l.saBlock(l.Norm1.Forward(x), o.SrcMask, o.SrcKeyPaddingMask))
		x = x.Add(l.ffBlock(l.Norm2.Forward(x)))
	} else {
		x = l.Norm1.Forward(x.Add(l.saBlock(x, o.SrcMask, o.SrcKeyPaddingMask)))
		x = l.Norm2.Forward(x.Add(l.ffBlock(x)))
	}
	return x
}

// saBlock is the self-attention block: _sa_block.
func (l *TransformerEncoderLayer) saBlock(x, attnMask, keyPaddingMask *torch.Tensor) *torch.Tensor {
	return attentionBlock(l.SelfAttn, l.Dropout1, x, x, attnMask, keyPaddingMask)
}

// ffBlock is the feed-forward block: _ff_block.
func (l *TransformerEncoderLayer) ffBlock(x *torch.Tensor) *torch.Tensor {
	return feedForwardBlock(l.Linear1, l.Dropout, l.Activation, l.Linear2, l.Dropout2, x)
}

// attentionBlock is the layers' _sa_block and _mha_block: attention of x
// over mem (x itself for self-attention), without weights, then dropout.
func attentionBlock(m *MultiheadAttention, drop *Dropout, x, mem, attnMask, keyPaddingMask *torch.Tensor) *torch.Tensor {
	needWeights := false
	out, _ := m.Forward(x, mem, mem, MultiheadAttentionForwardOpts{
		AttnMask: attnMask, KeyPaddingMask: keyPaddingMask, NeedWeights: &needWeights})
	return drop.Forward(out)
}

// feedForwardBlock is the layers' _ff_block:
// dropout(linear2(dropout(activation(linear1(x))))).
func feedForwardBlock(linear1 *Linear, drop *Dropout, activation func(*torch.Tensor) *torch.Tensor, linear2 *Linear, dropOut *Dropout, x *torch.Tensor) *torch.Tensor {
	x = linear2.Forward(drop.Forward(activation(linear1.Forward(x))))
	return dropOut.Forward(x)
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
// Train and Eval reach the layer's dropouts and attention themselves.
func (l *TransformerEncoderLayer) SetTraining(training bool) { l.eval = !training }

// IsTraining is Module.training.
func (l *TransformerEncoderLayer) IsTraining() bool { return !l.eval }

// String prints the layer as PyTorch's repr does.
func (l *TransformerEncoderLayer) String() string {
	return tfRepr("TransformerEncoderLayer", []tfChild{
		{"self_attn", l.SelfAttn}, {"linear1", l.Linear1}, {"dropout", l.Dropout}, {"linear2", l.Linear2},
		{"norm1", l.Norm1}, {"norm2", l.Norm2}, {"dropout1", l.Dropout1}, {"dropout2", l.Dropout2},
	})
}

// clone is copy.deepcopy(l): the same configuration and modes, with every
// parameter a new leaf holding a copy of its values.
func (l *TransformerEncoderLayer) clone() *TransformerEncoderLayer {
	c := *l
	c.SelfAttn = l.SelfAttn.clone()
	c.Linear1, c.Linear2 = tfCloneLinear(l.Linear1), tfCloneLinear(l.Linear2)
	c.Norm1, c.Norm2 = tfCloneLayerNorm(l.Norm1), tfCloneLayerNorm(l.Norm2)
	c.Dropout, c.Dropout1, c.Dropout2 = tfCloneDropout(l.Dropout), tfCloneDropout(l.Dropout1), tfCloneDropout(l.Dropout2)
	return &c
}

// TransformerEncoder is a stack of encoder layers with an optional final
// LayerNorm: torch.nn.TransformerEncoder. Its parameters are named
// layers.0.self_attn.in_proj_weight, ..., norm.weight, as in PyTorch.
type TransformerEncoder struct {
	Layers []*TransformerEncoderLayer `nn:"layers"`
	Norm   *LayerNorm                 // applied to the last layer's output; nil for none

	// EnableNestedTensor and MaskCheck are enable_nested_tensor and
	// mask_check: see Forward.
	EnableNestedTensor bool
	MaskCheck          bool
}

// TransformerEncoderOpts holds the defaulted arguments of
// NewTransformerEncoder; the zero value is PyTorch's defaults.
type TransformerEncoderOpts struct {
	Norm               *LayerNorm // the final normalisation; default none
	EnableNestedTensor *bool      // default true
	MaskCheck          *bool      // default true
}

// NewTransformerEncoder is torch.nn.TransformerEncoder(encoder_layer,
// num_layers, norm=None): numLayers deep copies of encoderLayer (as
// copy.deepcopy, so every layer starts with encoderLayer's weights, as new
// parameters; encoderLayer itself is not part of the encoder). Norm, when
// given, is used as it is. It panics on a negative numLayers.
func NewTransformerEncoder(encoderLayer *TransformerEncoderLayer, numLayers int64, opts ...TransformerEncoderOpts) *TransformerEncoder {
	var o TransformerEncoderOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if numLayers < 0 {
		panic(&torch.Error{Op: "NewTransformerEncoder", Msg: fmt.Sprintf("num_layers must be non-negative, but got %d", numLayers)})
	}
	e := &TransformerEncoder{Norm: o.Norm,
		EnableNestedTensor: o.EnableNestedTensor == nil || *o.EnableNestedTensor,
		MaskCheck:          o.MaskCheck == nil || *o.MaskCheck}
	for range numLayers {
		e.Layers = append(e.Layers, encoderLayer.clone())
	}
	return e
}

// NumLayers is num_layers.
func (e *TransformerEncoder) NumLayers() int64 { return int64(len(e.Layers)) }

// TransformerEncoderForwardOpts holds the optional masks of
// TransformerEncoder.Forward.
type TransformerEncoderForwardOpts struct {
	Mask              *torch.Tensor // every layer's src_mask: (S, S) or (N*nhead, S, S)
	SrcKeyPaddingMask *torch.Tensor // every layer's src_key_padding_mask: (N, S), or (S) unbatched
}

// Forward is nn.TransformerEncoder.forward(src, mask,
// src_key_padding_mask): src through each layer in turn, then Norm.
//
// Where PyTorch takes its "sparsity fast path" (evaluation mode, autograd
// off or no parameter requiring grad, batch_first, post-LN layers with a
// ReLU or GELU activation and an even number of heads, a left-aligned
// SrcKeyPaddingMask and no Mask), it computes only the unpadded positions
// and returns zeros at the padded ones, before Norm; this does the same, as
// PyTorch 2.x does (1.13 also drops trailing positions padded in every
// sequence).
func (e *TransformerEncoder) Forward(src *torch.Tensor, opts ...TransformerEncoderForwardOpts) *torch.Tensor {
	var o TransformerEncoderForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	tfCheckPaddingMask("TransformerEncoder.Forward", o.SrcKeyPaddingMask)
	padded := e.sparsityFastPath(src, o.Mask, o.SrcKeyPaddingMask)
	output := src
	for _, l := range e.Layers {
		output = l.Forward(output, TransformerEncoderLayerForwardOpts{SrcMask: o.Mask, SrcKeyPaddingMask: o.SrcKeyPaddingMask})
	}
	if padded != nil {
		output = output.MaskedFillScalar(padded.Unsqueeze(-1), torch.Float(0))
	}
	if e.Norm != nil {
		output = e.Norm.Forward(output)
	}
	return output
}

// sparsityFastPath reports the padded positions (N, S) where PyTorch's
// TransformerEncoder.forward would take its nested-tensor path, or nil.
func (e *TransformerEncoder) sparsityFastPath(src, mask, kpm *torch.Tensor) *torch.Tensor {
	if len(e.Layers) == 0 || kpm == nil || mask != nil || !e.EnableNestedTensor || src.Dim() != 3 {
		return nil
	}
	first := e.Layers[0]
	sa := first.SelfAttn
	if first.NormFirst || !first.eval || !sa.BatchFirst || !sa.qkvSameEmbedDim() || first.activationKind == tfActivationCustom ||
		first.Norm1.Eps != first.Norm2.Eps || sa.NumHeads%2 == 1 {
		return nil
	}
	if torch.IsGradEnabled() {
		for _, t := range []*torch.Tensor{src, sa.InProjWeight, sa.InProjBias, sa.OutProj.Weight, sa.OutProj.Bias,
			first.Norm1.Weight, first.Norm1.Bias, first.Norm2.Weight, first.Norm2.Bias,
			first.Linear1.Weight, first.Linear1.Bias, first.Linear2.Weight, first.Linear2.Bias} {
			if t != nil && t.RequiresGrad() {
				return nil
			}
		}
	}
	padded := kpm
	if kpm.DType() != torch.Bool {
		padded = kpm.NeScalar(torch.Float(0))
	}
	if e.MaskCheck && !tfLeftAligned(padded) {
		return nil
	}
	return padded
}

// tfLeftAligned reports whether every row of the (N, S) padding mask pads
// only a suffix: torch._nested_tensor_from_mask_left_aligned.
func tfLeftAligned(padded *torch.Tensor) bool {
	if padded.Dim() != 2 {
		return false
	}
	s := padded.Size(1)
	vals := padded.Contiguous().Bools()
	for i := 0; i < len(vals); i += int(s) {
		row := vals[i : i+int(s)]
		for j := 1; j < len(row); j++ {
			if row[j-1] && !row[j] {
				return false
			}
		}
	}
	return true
}

// String prints the encoder as PyTorch 1.13's repr does.
func (e *TransformerEncoder) String() string {
	layers := make([]any, len(e.Layers))
	for i, l := range e.Layers {
		layers[i] = l
	}
	children := []tfChild{{"layers", tfReprString(moduleListRepr(layers))}}
	if e.Norm != nil {
		children = append(children, tfChild{"norm", e.Norm})
	}
	return tfRepr("TransformerEncoder", children)
}

// tfCheckPaddingMask is the forward methods' dtype check of
// src_key_padding_mask.
func tfCheckPaddingMask(op string, kpm *torch.Tensor) {
	if kpm != nil && kpm.DType() != torch.Bool && !kpm.IsFloatingPoint() {
		panic(&torch.Error{Op: op, Msg: "only bool and floating types of key_padding_mask are supported"})
	}
}

// tfCloneLayerNorm is copy.deepcopy of a LayerNorm.
func tfCloneLayerNorm(n *LayerNorm) *LayerNorm {
	c := *n
	c.Weight, c.Bias = tfCloneTensor(n.Weight), tfCloneTensor(n.Bias)
	c.NormalizedShape = append([]int64(nil), n.NormalizedShape...)
	return &c
}

// tfCloneDropout is copy.deepcopy of a Dropout.
func tfCloneDropout(d *Dropout) *Dropout {
	c := *d
	return &c
}

// tfChild is a named submodule in a repr.
type tfChild struct {
	name string
	m    fmt.Stringer
}

// tfReprString is a ready-made repr.
type tfReprString string

func (s tfReprString) String() string { return string(s) }

// tfRepr is nn.Module.__repr__ over named children.
func tfRepr(name string, children []tfChild) string {
	return reprList(name, len(children), func(i int) (string, any) { return children[i].name, children[i].m })
}

// TransformerDecoderLayer is one layer of a Transformer decoder:
// self-attention, attention over the encoder's output (memory) and a
// feed-forward network, each with a residual connection, dropout and layer
// normalisation: torch.nn.TransformerDecoderLayer. Its submodules carry
// PyTorch's names, so its state_dict is PyTorch's. Train and Eval switch its
// dropouts.
type TransformerDecoderLayer struct {
	SelfAttn      *MultiheadAttention `nn:"self_attn"`
	MultiheadAttn *MultiheadAttention `nn:"multihead_attn"` // attention over memory
	Linear1       *Linear             // d_model -> dim_feedforward
	Dropout       *Dropout            // after the activation
	Linear2       *Linear             // dim_feedforward -> d_model
	Norm1         *LayerNorm          // around the self-attention block
	Norm2         *LayerNorm          // around the memory-attention block
	Norm3         *LayerNorm          // around the feed-forward block
	Dropout1      *Dropout            // on the self-attention block's output
	Dropout2      *Dropout            // on the memory-attention block's output
	Dropout3      *Dropout            // on the feed-forward block's output

	// NormFirst normalises before each block rather than after (pre-LN):
	// norm_first.
	NormFirst bool
	// Activation is the feed-forward network's nonlinearity.
	Activation func(*torch.Tensor) *torch.Tensor

	eval bool // false while training, as a new PyTorch module is
}

// TransformerDecoderLayerOpts holds the defaulted arguments of
// NewTransformerDecoderLayer: those of NewTransformerEncoderLayer.
type TransformerDecoderLayerOpts = TransformerEncoderLayerOpts

// NewTransformerDecoderLayer is torch.nn.TransformerDecoderLayer(d_model,
// nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
// layer_norm_eps=1e-5, batch_first=False, norm_first=False). Its submodules
// are created in PyTorch's order (self_attn, multihead_attn, linear1,
// linear2), so after the same torch.ManualSeed its weights are
// bit-identical to Python's. It panics on an unknown activation, and as
// NewMultiheadAttention and NewDropout do.
func NewTransformerDecoderLayer(dModel, nhead int64, opts ...TransformerDecoderLayerOpts) *TransformerDecoderLayer {
	var o TransformerDecoderLayerOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	dimFF, dropout, eps := int64(2048), 0.1, 1e-5
	if o.DimFeedforward != nil {
		dimFF = *o.DimFeedforward
	}
	if o.Dropout != nil {
		dropout = *o.Dropout
	}
	if o.LayerNormEps != nil {
		eps = *o.LayerNormEps
	}
	act, _ := tfActivation("NewTransformerDecoderLayer", o.Activation, o.ActivationFunc)
	mha := MultiheadAttentionOpts{Dropout: dropout, BatchFirst: o.BatchFirst}
	l := &TransformerDecoderLayer{SelfAttn: NewMultiheadAttention(dModel, nhead, mha)}
	l.MultiheadAttn = NewMultiheadAttention(dModel, nhead, mha)
	l.Linear1 = NewLinear(dModel, dimFF)
	l.Dropout = NewDropout(dropout)
	l.Linear2 = NewLinear(dimFF, dModel)
	l.NormFirst = o.NormFirst
	l.Norm1 = NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
	l.Norm2 = NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
	l.Norm3 = NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
	l.Dropout1 = NewDropout(dropout)
	l.Dropout2 = NewDropout(dropout)
	l.Dropout3 = NewDropout(dropout)
	l.Activation = act
	return l
}

// TransformerDecoderLayerForwardOpts holds the optional masks of
// TransformerDecoderLayer.Forward and TransformerDecoder.Forward.
type TransformerDecoderLayerForwardOpts struct {
	TgtMask              *torch.Tensor // the self-attention's attn_mask: (T, T) or (N*nhead, T, T)
	MemoryMask           *torch.Tensor // the memory attention's attn_mask: (T, S) or (N*nhead, T, S)
	TgtKeyPaddingMask    *torch.Tensor // the self-attention's key_padding_mask: (N, T), or (T) unbatched
	MemoryKeyPaddingMask *torch.Tensor // the memory attention's key_padding_mask: (N, S), or (S) unbatched
}

// TransformerDecoderForwardOpts holds the optional masks of
// TransformerDecoder.Forward.
type TransformerDecoderForwardOpts = TransformerDecoderLayerForwardOpts

// Forward is nn.TransformerDecoderLayer.forward(tgt, memory, ...): tgt is
// (T, N, E), (N, T, E) with BatchFirst, or unbatched (T, E); memory, the
// encoder's output, (S, N, E) likewise. The output has tgt's shape.
func (l *TransformerDecoderLayer) Forward(tgt, memory *torch.Tensor, opts ...TransformerDecoderLayerForwardOpts) *torch.Tensor {
	var o TransformerDecoderLayerForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	x := tgt
	if l.NormFirst {
		x = x.Add(l.saBlock(l.Norm1.Forward(x), o.TgtMask, o.TgtKeyPaddingMask))
		x = x.Add(l.mhaBlock(l.Norm2.Forward(x), memory, o.MemoryMask, o.MemoryKeyPaddingMask))
		x = x.Add(l.ffBlock(l.Norm3.Forward(x)))
	} else {
		x = l.Norm1.Forward(x.Add(l.saBlock(x, o.TgtMask, o.TgtKeyPaddingMask)))
		x = l.Norm2.Forward(x.Add(l.mhaBlock(x, memory, o.MemoryMask, o.MemoryKeyPaddingMask)))
		x = l.Norm3.Forward(x.Add(l.ffBlock(x)))
	}
	return x
}

// saBlock is the self-attention block: _sa_block.
func (l *TransformerDecoderLayer) saBlock(x, attnMask, keyPaddingMask *torch.Tensor) *torch.Tensor {
	return attentionBlock(l.SelfAttn, l.Dropout1, x, x, attnMask, keyPaddingMask)
}

// mhaBlock is the attention over memory: _mha_block.
func (l *TransformerDecoderLayer) mhaBlock(x, mem, attnMask, keyPaddingMask *torch.Tensor) *torch.Tensor {
	return attentionBlock(l.MultiheadAttn, l.Dropout2, x, mem, attnMask, keyPaddingMask)
}

// ffBlock is the feed-forward block: _ff_block.
func (l *TransformerDecoderLayer) ffBlock(x *torch.Tensor) *torch.Tensor {
	return feedForwardBlock(l.Linear1, l.Dropout, l.Activation, l.Linear2, l.Dropout3, x)
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
// Train and Eval reach the layer's dropouts and attentions themselves.
func (l *TransformerDecoderLayer) SetTraining(training bool) { l.eval = !training }

// IsTraining is Module.training.
func (l *TransformerDecoderLayer) IsTraining() bool { return !l.eval }

// String prints the layer as PyTorch's repr does.
func (l *TransformerDecoderLayer) String() string {
	return tfRepr("TransformerDecoderLayer", []tfChild{
		{"self_attn", l.SelfAttn}, {"multihead_attn", l.MultiheadAttn}, {"linear1", l.Linear1},
		{"dropout", l.Dropout}, {"linear2", l.Linear2}, {"norm1", l.Norm1}, {"norm2", l.Norm2},
		{"norm3", l.Norm3}, {"dropout1", l.Dropout1}, {"dropout2", l.Dropout2}, {"dropout3", l.Dropout3},
	})
}

// clone is copy.deepcopy(l).
func (l *TransformerDecoderLayer) clone() *TransformerDecoderLayer {
	c := *l
	c.SelfAttn, c.MultiheadAttn = l.SelfAttn.clone(), l.MultiheadAttn.clone()
	c.Linear1, c.Linear2 = tfCloneLinear(l.Linear1), tfCloneLinear(l.Linear2)
	c.Norm1, c.Norm2, c.Norm3 = tfCloneLayerNorm(l.Norm1), tfCloneLayerNorm(l.Norm2), tfCloneLayerNorm(l.Norm3)
	c.Dropout, c.Dropout1 = tfCloneDropout(l.Dropout), tfCloneDropout(l.Dropout1)
	c.Dropout2, c.Dropout3 = tfCloneDropout(l.Dropout2), tfCloneDropout(l.Dropout3)
	return &c
}

// TransformerDecoder is a stack of decoder layers with an optional final
// LayerNorm: torch.nn.TransformerDecoder. Its parameters are named
// layers.0.self_attn.in_proj_weight, ..., norm.weight, as in PyTorch.
type TransformerDecoder struct {
	Layers []*TransformerDecoderLayer `nn:"layers"`
	Norm   *LayerNorm                 // applied to the last layer's output; nil for none
}

// TransformerDecoderOpts holds the defaulted arguments of
// NewTransformerDecoder; the zero value is PyTorch's defaults.
type TransformerDecoderOpts struct {
	Norm *LayerNorm // the final normalisation; default none
}

// NewTransformerDecoder is torch.nn.TransformerDecoder(decoder_layer,
// num_layers, norm=None): numLayers deep copies of decoderLayer (every layer
// starts with its weights, as new parameters; decoderLayer itself is not
// part of the decoder). Norm, when given, is used as it is. It panics on a
// negative numLayers.
func NewTransformerDecoder(decoderLayer *TransformerDecoderLayer, numLayers int64, opts ...TransformerDecoderOpts) *TransformerDecoder {
	var o TransformerDecoderOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if numLayers < 0 {
		panic(&torch.Error{Op: "NewTransformerDecoder", Msg: fmt.Sprintf("num_layers must be non-negative, but got %d", numLayers)})
	}
	d := &TransformerDecoder{Norm: o.Norm}
	for range numLayers {
		d.Layers = append(d.Layers, decoderLayer.clone())
	}
	return d
}

// NumLayers is num_layers.
func (d *TransformerDecoder) NumLayers() int64 { return int64(len(d.Layers)) }

// Forward is nn.TransformerDecoder.forward(tgt, memory, ...): tgt through
// each layer in turn, each attending to memory, then Norm.
func (d *TransformerDecoder) Forward(tgt, memory *torch.Tensor, opts ...TransformerDecoderForwardOpts) *torch.Tensor {
	var o TransformerDecoderForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	output := tgt
	for _, l := range d.Layers {
		output = l.Forward(output, memory, o)
	}
	if d.Norm != nil {
		output = d.Norm.Forward(output)
	}
	return output
}

// String prints the decoder as PyTorch 1.13's repr does.
func (d *TransformerDecoder) String() string {
	layers := make([]any, len(d.Layers))
	for i, l := range d.Layers {
		layers[i] = l
	}
	children := []tfChild{{"layers", tfReprString(moduleListRepr(layers))}}
	if d.Norm != nil {
		children = append(children, tfChild{"norm", d.Norm})
	}
	return tfRepr("TransformerDecoder", children)
}

// Transformer is the encoder-decoder model of "Attention Is All You Need":
// torch.nn.Transformer. Its parameters are named encoder.layers.0...,
// encoder.norm..., decoder.layers.0..., decoder.norm..., as in PyTorch.
type Transformer struct {
	Encoder *TransformerEncoder
	Decoder *TransformerDecoder

	DModel     int64 // d_model
	NHead      int64 // nhead
	BatchFirst bool  // batch_first
}

// TransformerOpts holds the defaulted arguments of NewTransformer; the zero
// value is PyTorch's defaults.
type TransformerOpts struct {
	DModel           *int64   // default 512
	NHead            *int64   // default 8
	NumEncoderLayers *int64   // default 6
	NumDecoderLayers *int64   // default 6
	DimFeedforward   *int64   // default 2048
	Dropout          *float64 // default 0.1
	// Activation is "relu" (the default, also when empty) or "gelu".
	Activation string
	// ActivationFunc, when not nil, is the activation instead.
	ActivationFunc func(*torch.Tensor) *torch.Tensor
	// CustomEncoder and CustomDecoder replace the encoder and decoder built
	// from the other options.
	CustomEncoder *TransformerEncoder
	CustomDecoder *TransformerDecoder
	LayerNormEps  *float64 // default 1e-5
	BatchFirst    bool     // inputs and output are (N, S, E) rather than (S, N, E)
	NormFirst     bool     // pre-LN layers
}

// NewTransformer is torch.nn.Transformer(d_model=512, nhead=8,
// num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
// dropout=0.1, activation="relu", custom_encoder=None, custom_decoder=None,
// layer_norm_eps=1e-5, batch_first=False, norm_first=False). As in PyTorch,
// the encoder (layers and a final LayerNorm) and the decoder are built
// first, then every parameter of more than one dimension is redrawn from
// Xavier-uniform, in parameter order; after the same torch.ManualSeed the
// weights are bit-identical to Python's.
func NewTransformer(opts ...TransformerOpts) *Transformer {
	var o TransformerOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	or := func(p *int64, v int64) int64 {
		if p != nil {
			return *p
		}
		return v
	}
	dModel, nhead := or(o.DModel, 512), or(o.NHead, 8)
	eps := 1e-5
	if o.LayerNormEps != nil {
		eps = *o.LayerNormEps
	}
	lo := TransformerEncoderLayerOpts{DimFeedforward: o.DimFeedforward, Dropout: o.Dropout, Activation: o.Activation,
		ActivationFunc: o.ActivationFunc, LayerNormEps: &eps, BatchFirst: o.BatchFirst, NormFirst: o.NormFirst}
	t := &Transformer{DModel: dModel, NHead: nhead, BatchFirst: o.BatchFirst}
	if o.CustomEncoder != nil {
		t.Encoder = o.CustomEncoder
	} else {
		layer := NewTransformerEncoderLayer(dModel, nhead, lo)
		norm := NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
		t.Encoder = NewTransformerEncoder(layer, or(o.NumEncoderLayers, 6), TransformerEncoderOpts{Norm: norm})
	}
	if o.CustomDecoder != nil {
		t.Decoder = o.CustomDecoder
	} else {
		layer := NewTransformerDecoderLayer(dModel, nhead, lo)
		norm := NewLayerNorm([]int64{dModel}, LayerNormOpts{Eps: &eps})
		t.Decoder = NewTransformerDecoder(layer, or(o.NumDecoderLayers, 6), TransformerDecoderOpts{Norm: norm})
	}
	t.ResetParameters()
	return t
}

// ResetParameters is nn.Transformer._reset_parameters: Xavier-uniform for
// every parameter of more than one dimension, in parameter order.
func (t *Transformer) ResetParameters() {
	for _, p := range Parameters(t) {
		if p.Dim() > 1 {
			XavierUniform_(p, 1)
		}
	}
}

// TransformerForwardOpts holds the optional masks of Transformer.Forward.
type TransformerForwardOpts struct {
	SrcMask              *torch.Tensor // the encoder's mask: (S, S) or (N*nhead, S, S)
	TgtMask              *torch.Tensor // the decoder's self-attention mask: (T, T) or (N*nhead, T, T)
	MemoryMask           *torch.Tensor // the decoder's memory-attention mask: (T, S)
	SrcKeyPaddingMask    *torch.Tensor // (N, S), or (S) unbatched
	TgtKeyPaddingMask    *torch.Tensor // (N, T), or (T) unbatched
	MemoryKeyPaddingMask *torch.Tensor // (N, S), or (S) unbatched
}

// Forward is nn.Transformer.forward(src, tgt, ...): the encoder over src,
// then the decoder over tgt attending to the encoder's output. src is (S,
// N, E), tgt (T, N, E) ((N, S, E) and (N, T, E) with BatchFirst; (S, E) and
// (T, E) unbatched); the output has tgt's shape. It panics, as PyTorch
// raises, when the batch sizes differ or the features are not DModel.
func (t *Transformer) Forward(src, tgt *torch.Tensor, opts ...TransformerForwardOpts) *torch.Tensor {
	var o TransformerForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	isBatched := src.Dim() == 3
	batchDim := 1
	if t.BatchFirst {
		batchDim = 0
	}
	if isBatched && src.Size(batchDim) != tgt.Size(batchDim) {
		panic(&torch.Error{Op: "Transformer.Forward", Msg: "the batch number of src and tgt must be equal"})
	}
	if src.Size(-1) != t.DModel || tgt.Size(-1) != t.DModel {
		panic(&torch.Error{Op: "Transformer.Forward", Msg: "the feature number of src and tgt must be equal to d_model"})
	}
	memory := t.Encoder.Forward(src, TransformerEncoderForwardOpts{Mask: o.SrcMask, SrcKeyPaddingMask: o.SrcKeyPaddingMask})
	return t.Decoder.Forward(tgt, memory, TransformerDecoderForwardOpts{TgtMask: o.TgtMask, MemoryMask: o.MemoryMask,
		TgtKeyPaddingMask: o.TgtKeyPaddingMask, MemoryKeyPaddingMask: o.MemoryKeyPaddingMask})
}

// String prints the model as PyTorch 1.13's repr does.
func (t *Transformer) String() string {
	return tfRepr("Transformer", []tfChild{{"encoder", t.Encoder}, {"decoder", t.Decoder}})
}

// GenerateSquareSubsequentMask is nn.Transformer.generate_square_subsequent_mask(sz):
// the (sz, sz) causal mask, -inf above the diagonal and 0 elsewhere, for
// TgtMask.
func GenerateSquareSubsequentMask(sz int64) *torch.Tensor {
	return torch.Full([]int64{sz, sz}, torch.Float(math.Inf(-1))).Triu(torch.TriuOpts{Diagonal: 1})
}

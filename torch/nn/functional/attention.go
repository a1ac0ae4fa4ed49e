package functional

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// MultiHeadAttentionForwardOpts holds the defaulted arguments of
// MultiHeadAttentionForward; the zero value is PyTorch's defaults.
type MultiHeadAttentionForwardOpts struct {
	// Training applies dropout to the attention weights; default true.
	Training *bool
	// KeyPaddingMask, of shape (N, S) ((S) for unbatched input), marks keys
	// to ignore: true (bool) positions are masked out; a float mask is added
	// to the attention scores.
	KeyPaddingMask *torch.Tensor
	// NeedWeights returns the attention weights as the second result;
	// default true (false returns nil).
	NeedWeights *bool
	// AttnMask, of shape (L, S) or (N*num_heads, L, S), keeps positions from
	// attending: true (bool or nonzero uint8) positions are masked out; a
	// float mask is added to the attention scores.
	AttnMask *torch.Tensor
	// UseSeparateProjWeight takes the in-projection from QProjWeight,
	// KProjWeight and VProjWeight instead of the packed inProjWeight (as
	// nn.MultiheadAttention does when kdim or vdim differ from embed_dim).
	UseSeparateProjWeight bool
	QProjWeight           *torch.Tensor
	KProjWeight           *torch.Tensor
	VProjWeight           *torch.Tensor
	// StaticK and StaticV, of shape (N*num_heads, S, head_dim), replace the
	// projected keys and values.
	StaticK *torch.Tensor
	StaticV *torch.Tensor
	// AverageAttnWeights averages the returned weights over the heads;
	// default true. false returns them per head, (N, num_heads, L, S).
	AverageAttnWeights *bool
}

// mhaError is the panic of MultiHeadAttentionForward's argument checks:
// PyTorch's own message (an AssertionError or a RuntimeError in Python).
func mhaError(format string, args ...any) *torch.Error {
	return &torch.Error{Op: "MultiHeadAttentionForward", Msg: fmt.Sprintf(format, args...)}
}

// mhaTuple prints sizes as a Python tuple: (2, 3), (3,).
func mhaTuple(s ...int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func mhaShapeIs(t *torch.Tensor, s ...int64) bool {
	got := t.Shape()
	if len(got) != len(s) {
		return false
	}
	for i := range s {
		if got[i] != s[i] {
			return false
		}
	}
	return true
}

// mhaShapeCheck is torch.nn.functional._mha_shape_check: it verifies the
// ranks of the inputs and masks and reports whether the input is batched.
func mhaShapeCheck(query, key, value, keyPaddingMask, attnMask *torch.Tensor, numHeads int64) bool {
	switch query.Dim() {
	case 3:
		if key.Dim() != 3 || value.Dim() != 3 {
			panic(mhaError("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found %d-D and %d-D tensors respectively", key.Dim(), value.Dim()))
		}
		if keyPaddingMask != nil && keyPaddingMask.Dim() != 2 {
			panic(mhaError("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found %d-D tensor instead", keyPaddingMask.Dim()))
		}
		if attnMask != nil && attnMask.Dim() != 2 && attnMask.Dim() != 3 {
			panic(mhaError("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found %d-D tensor instead", attnMask.Dim()))
		}
		return true
	case 2:
		if key.Dim() != 2 || value.Dim() != 2 {
			panic(mhaError("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found %d-D and %d-D tensors respectively", key.Dim(), value.Dim()))
		}
		if keyPaddingMask != nil && keyPaddingMask.Dim() != 1 {
			panic(mhaError("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but found %d-D tensor instead", keyPaddingMask.Dim()))
		}
		if attnMask != nil {
			if attnMask.Dim() != 2 && attnMask.Dim() != 3 {
				panic(mhaError("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found %d-D tensor instead", attnMask.Dim()))
			}
			if attnMask.Dim() == 3 && !mhaShapeIs(attnMask, numHeads, query.Size(0), key.Size(0)) {
				panic(mhaError("Expected `attn_mask` shape to be %s but got %v", mhaTuple(numHeads, query.Size(0), key.Size(0)), attnMask.Shape()))
			}
		}
		return false
	}
	panic(mhaError("query should be unbatched 2D or batched 3D tensor but received %d-D query tensor", query.Dim()))
}

// mhaInProjectionPacked is torch.nn.functional._in_projection_packed: the
// q, k and v projections with the weights packed in one (3E, E) tensor. As
// in PyTorch, self-attention (one tensor for all three) runs one matrix
// product and encoder-decoder attention (key is value) two.
func mhaInProjectionPacked(q, k, v, w, b *torch.Tensor) (*torch.Tensor, *torch.Tensor, *torch.Tensor) {
	e := q.Size(-1)
	if k == v {
		if q == k {
			c := torch.Linear(q, w, b).Chunk(3, torch.ChunkOpts{Dim: -1})
			return c[0], c[1], c[2]
		}
		ws := w.SplitWithSizes([]int64{e, 2 * e})
		var bq, bkv *torch.Tensor
		if b != nil {
			bs := b.SplitWithSizes([]int64{e, 2 * e})
			bq, bkv = bs[0], bs[1]
		}
		kv := torch.Linear(k, ws[1], bkv).Chunk(2, torch.ChunkOpts{Dim: -1})
		return torch.Linear(q, ws[0], bq), kv[0], kv[1]
	}
	ws := w.Chunk(3)
	var bq, bk, bv *torch.Tensor
	if b != nil {
		bs := b.Chunk(3)
		bq, bk, bv = bs[0], bs[1], bs[2]
	}
	return torch.Linear(q, ws[0], bq), torch.Linear(k, ws[1], bk), torch.Linear(v, ws[2], bv)
}

// mhaInProjection is torch.nn.functional._in_projection: the q, k and v
// projections with separate weights, whose shapes it checks.
func mhaInProjection(q, k, v, wq, wk, wv, bq, bk, bv *torch.Tensor) (*torch.Tensor, *torch.Tensor, *torch.Tensor) {
	eq, ek, ev := q.Size(-1), k.Size(-1), v.Size(-1)
	for _, c := range []struct {
		name string
		t    *torch.Tensor
		want []int64
	}{
		{"query weights", wq, []int64{eq, eq}}, {"key weights", wk, []int64{eq, ek}}, {"value weights", wv, []int64{eq, ev}},
		{"query bias", bq, []int64{eq}}, {"key bias", bk, []int64{eq}}, {"value bias", bv, []int64{eq}},
	} {
		if c.t != nil && !mhaShapeIs(c.t, c.want...) {
			panic(mhaError("expecting %s shape of %s, but got %v", c.name, mhaTuple(c.want...), c.t.Shape()))
		}
	}
	return torch.Linear(q, wq, bq), torch.Linear(k, wk, bk), torch.Linear(v, wv, bv)
}

// MultiHeadAttentionForward is
// torch.nn.functional.multi_head_attention_forward: multi-head scaled
// dot-product attention of query (L, N, E) over key (S, N, E_k) and value
// (S, N, E_v), or of unbatched (L, E), (S, E_k), (S, E_v) inputs, with the
// in- and out-projections of nn.MultiheadAttention. It returns the output,
// (L, N, E) or (L, E), and, when NeedWeights, the attention weights: (N, L,
// S) averaged over the heads, or (N, num_heads, L, S) with
// AverageAttnWeights false, without the N for unbatched input.
//
// It follows PyTorch 1.13's computation step by step (in-projection, the
// optional bias_k/bias_v row and zero-attention column, masks merged into
// one additive mask, softmax(q kᵀ/√head_dim + mask), dropout when Training,
// out-projection), so its results agree with PyTorch's to rounding. As in
// PyTorch 2.x, a float KeyPaddingMask given together with an AttnMask is
// added to it (PyTorch 1.13 applies it as a boolean mask there, or fails).
//
// It panics with PyTorch's message on inconsistent shapes or mask types.
func MultiHeadAttentionForward(query, key, value *torch.Tensor, embedDimToCheck, numHeads int64,
	inProjWeight, inProjBias, biasK, biasV *torch.Tensor, addZeroAttn bool, dropoutP float64,
	outProjWeight, outProjBias *torch.Tensor, opts ...MultiHeadAttentionForwardOpts) (attnOutput, attnWeights *torch.Tensor) {
	var o MultiHeadAttentionForwardOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	training := o.Training == nil || *o.Training
	needWeights := o.NeedWeights == nil || *o.NeedWeights
	average := o.AverageAttnWeights == nil || *o.AverageAttnWeights
	keyPaddingMask, attnMask := o.KeyPaddingMask, o.AttnMask

	isBatched := mhaShapeCheck(query, key, value, keyPaddingMask, attnMask, numHeads)

	// For unbatched input, pretend there is a batch of one (new tensors, as
	// Python's unsqueeze gives, so the in-projection runs three products).
	if !isBatched {
		query, key, value = query.Unsqueeze(1), key.Unsqueeze(1), value.Unsqueeze(1)
		if keyPaddingMask != nil {
			keyPaddingMask = keyPaddingMask.Unsqueeze(0)
		}
	}

	qs := query.Shape()
	tgtLen, bsz, embedDim := qs[0], qs[1], qs[2]
	srcLen := key.Size(0)
	if keyPaddingMask != nil && keyPaddingMask.DType() != torch.Bool && !keyPaddingMask.IsFloatingPoint() {
		panic(mhaError("only bool and floating types of key_padding_mask are supported"))
	}
	if embedDim != embedDimToCheck {
		panic(mhaError("was expecting embedding dimension of %d, but got %d", embedDimToCheck, embedDim))
	}
	if numHeads <= 0 {
		panic(mhaError("num_heads must be positive, but got %d", numHeads))
	}
	headDim := embedDim / numHeads
	if headDim*numHeads != embedDim {
		panic(mhaError("embed_dim %d not divisible by num_heads %d", embedDim, numHeads))
	}
	if o.UseSeparateProjWeight {
		ks, vs := key.Shape(), value.Shape()
		if ks[0] != vs[0] || ks[1] != vs[1] {
			panic(mhaError("key's sequence and batch dims %v do not match value's %v", ks[:2], vs[:2]))
		}
	} else if !mhaShapeIs(key, value.Shape()...) {
		panic(mhaError("key shape %v does not match value shape %v", key.Shape(), value.Shape()))
	}

	// compute in-projection
	var q, k, v *torch.Tensor
	if !o.UseSeparateProjWeight {
		if inProjWeight == nil {
			panic(mhaError("use_separate_proj_weight is False but in_proj_weight is None"))
		}
		q, k, v = mhaInProjectionPacked(query, key, value, inProjWeight, inProjBias)
	} else {
		for _, w := range []struct {
			name string
			t    *torch.Tensor
		}{{"q_proj_weight", o.QProjWeight}, {"k_proj_weight", o.KProjWeight}, {"v_proj_weight", o.VProjWeight}} {
			if w.t == nil {
				panic(mhaError("use_separate_proj_weight is True but %s is None", w.name))
			}
		}
		var bq, bk, bv *torch.Tensor
		if inProjBias != nil {
			bs := inProjBias.Chunk(3)
			bq, bk, bv = bs[0], bs[1], bs[2]
		}
		q, k, v = mhaInProjection(query, key, value, o.QProjWeight, o.KProjWeight, o.VProjWeight, bq, bk, bv)
	}

	// prep attention mask
	if attnMask != nil {
		switch dt := attnMask.DType(); {
		case dt != torch.Bool && !attnMask.IsFloatingPoint() && torch.VersionAtLeast(2, 0):
			// 2.x's _canonical_mask dropped byte masks.
			panic(mhaError("only bool and floating types of attn_mask are supported"))
		case dt == torch.Uint8:
			// PyTorch warns that byte masks are deprecated.
			attnMask = attnMask.ToDType(torch.Bool)
		case dt != torch.Bool && !attnMask.IsFloatingPoint():
			panic(mhaError("Only float, byte, and bool types are supported for attn_mask, not %v", dt))
		}
		switch attnMask.Dim() {
		case 2:
			if !mhaShapeIs(attnMask, tgtLen, srcLen) {
				panic(mhaError("The shape of the 2D attn_mask is %v, but should be %s.", attnMask.Shape(), mhaTuple(tgtLen, srcLen)))
			}
			attnMask = attnMask.Unsqueeze(0)
		case 3:
			if !mhaShapeIs(attnMask, bsz*numHeads, tgtLen, srcLen) {
				panic(mhaError("The shape of the 3D attn_mask is %v, but should be %s.", attnMask.Shape(), mhaTuple(bsz*numHeads, tgtLen, srcLen)))
			}
		default:
			panic(mhaError("attn_mask's dimension %d is not supported", attnMask.Dim()))
		}
	}

	// add bias along batch dimension (currently second)
	if biasK != nil && biasV != nil {
		if o.StaticK != nil {
			panic(mhaError("bias cannot be added to static key."))
		}
		if o.StaticV != nil {
			panic(mhaError("bias cannot be added to static value."))
		}
		k = torch.Cat([]*torch.Tensor{k, biasK.Repeat([]int64{1, bsz, 1})})
		v = torch.Cat([]*torch.Tensor{v, biasV.Repeat([]int64{1, bsz, 1})})
		if attnMask != nil {
			attnMask = torch.ConstantPadNd(attnMask, []int64{0, 1})
		}
		if keyPaddingMask != nil {
			keyPaddingMask = torch.ConstantPadNd(keyPaddingMask, []int64{0, 1})
		}
	} else if biasK != nil || biasV != nil {
		panic(mhaError("bias_k and bias_v must both be given or both be None"))
	}

	// reshape q, k, v for multihead attention and make them batch first
	q = q.Contiguous().View(tgtLen, bsz*numHeads, headDim).Transpose(0, 1)
	if o.StaticK == nil {
		k = k.Contiguous().View(k.Size(0), bsz*numHeads, headDim).Transpose(0, 1)
	} else {
		if o.StaticK.Size(0) != bsz*numHeads {
			panic(mhaError("expecting static_k.size(0) of %d, but got %d", bsz*numHeads, o.StaticK.Size(0)))
		}
		if o.StaticK.Size(2) != headDim {
			panic(mhaError("expecting static_k.size(2) of %d, but got %d", headDim, o.StaticK.Size(2)))
		}
		k = o.StaticK
	}
	if o.StaticV == nil {
		v = v.Contiguous().View(v.Size(0), bsz*numHeads, headDim).Transpose(0, 1)
	} else {
		if o.StaticV.Size(0) != bsz*numHeads {
			panic(mhaError("expecting static_v.size(0) of %d, but got %d", bsz*numHeads, o.StaticV.Size(0)))
		}
		if o.StaticV.Size(2) != headDim {
			panic(mhaError("expecting static_v.size(2) of %d, but got %d", headDim, o.StaticV.Size(2)))
		}
		v = o.StaticV
	}

	// add zero attention along batch dimension (now first)
	if addZeroAttn {
		shape := []int64{bsz * numHeads, 1, headDim}
		k = torch.Cat([]*torch.Tensor{k, torch.Zeros(shape, torch.WithDType(k.DType()), torch.WithDevice(k.Device()))}, torch.CatOpts{Dim: 1})
		v = torch.Cat([]*torch.Tensor{v, torch.Zeros(shape, torch.WithDType(v.DType()), torch.WithDevice(v.Device()))}, torch.CatOpts{Dim: 1})
		if attnMask != nil {
			attnMask = torch.ConstantPadNd(attnMask, []int64{0, 1})
		}
		if keyPaddingMask != nil {
			keyPaddingMask = torch.ConstantPadNd(keyPaddingMask, []int64{0, 1})
		}
	}

	// update source sequence length after adjustments
	srcLen = k.Size(1)

	// merge key padding and attention masks
	negInf := torch.Float(math.Inf(-1))
	if keyPaddingMask != nil {
		if !mhaShapeIs(keyPaddingMask, bsz, srcLen) {
			panic(mhaError("expecting key_padding_mask shape of %s, but got %v", mhaTuple(bsz, srcLen), keyPaddingMask.Shape()))
		}
		keyPaddingMask = keyPaddingMask.View(bsz, 1, 1, srcLen).
			Expand([]int64{-1, numHeads, -1, -1}).Reshape(bsz*numHeads, 1, srcLen)
		switch {
		case attnMask == nil:
			attnMask = keyPaddingMask
		case keyPaddingMask.DType() != torch.Bool:
			// A float padding mask is added (PyTorch 2.x's _canonical_mask).
			attnMask = mhaFloatMask(attnMask, q.DType()).Add(keyPaddingMask)
		case attnMask.DType() == torch.Bool:
			attnMask = attnMask.LogicalOr(keyPaddingMask)
		default:
			attnMask = attnMask.MaskedFillScalar(keyPaddingMask, negInf)
		}
	}

	// convert mask to float
	if attnMask != nil {
		attnMask = mhaFloatMask(attnMask, q.DType())
	}

	// adjust dropout probability
	if !training {
		dropoutP = 0
	}

	// calculate attention and out projection
	e := q.Size(2)
	qScaled := q.DivScalar(torch.Float(math.Sqrt(float64(e))))
	var weights *torch.Tensor
	if attnMask != nil {
		weights = attnMask.Baddbmm(qScaled, k.Transpose(-2, -1))
	} else {
		weights = qScaled.Bmm(k.Transpose(-2, -1))
	}
	weights = weights.Softmax(-1)
	if dropoutP > 0 {
		weights = torch.Dropout(weights, dropoutP, true)
	}

	out := weights.Bmm(v)
	out = out.Transpose(0, 1).Contiguous().View(tgtLen*bsz, embedDim)
	out = torch.Linear(out, outProjWeight, outProjBias)
	out = out.View(tgtLen, bsz, out.Size(1))

	if !needWeights {
		if !isBatched {
			out = out.SqueezeDim(1)
		}
		return out, nil
	}
	// optionally average attention weights over heads
	weights = weights.View(bsz, numHeads, tgtLen, srcLen)
	if average {
		weights = weights.SumDim([]int64{1}).DivScalar(torch.Int(numHeads))
	}
	if !isBatched {
		out = out.SqueezeDim(1)
		weights = weights.SqueezeDim(0)
	}
	return out, weights
}

// mhaFloatMask turns a boolean mask into an additive one: 0 where false,
// -inf where true. A float mask is returned as it is.
func mhaFloatMask(mask *torch.Tensor, dtype torch.DType) *torch.Tensor {
	if mask.DType() != torch.Bool {
		return mask
	}
	return torch.Zeros(mask.Shape(), torch.WithDType(dtype), torch.WithDevice(mask.Device())).
		MaskedFillScalar_(mask, torch.Float(math.Inf(-1)))
}

package nn_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// tfCase is one TransformerEncoderLayer (Layers 0) or TransformerEncoder
// configuration and call, shared with the Python script as JSON.
type tfCase struct {
	Name        string  `json:"name"`
	DModel      int64   `json:"d_model"`
	NHead       int64   `json:"nhead"`
	DimFF       int64   `json:"dim_ff"`
	Dropout     float64 `json:"dropout"`
	Activation  string  `json:"activation"` // "relu", "gelu" or "tanh" (a function)
	Eps         float64 `json:"eps"`
	BatchFirst  bool    `json:"batch_first"`
	NormFirst   bool    `json:"norm_first"`
	Layers      int64   `json:"layers"` // 0: the layer alone
	Norm        bool    `json:"norm"`   // the encoder's final LayerNorm
	NoMaskCheck bool    `json:"no_mask_check"`
	S           int64   `json:"s"`
	N           int64   `json:"n"` // 0: unbatched
	SrcMask     string  `json:"src_mask"`
	KPM         string  `json:"kpm"` // "", "bool", "float" or "holes" (not left-aligned)
	Eval        bool    `json:"eval"`
	NoGrad      bool    `json:"no_grad"`
	Seed        int64   `json:"seed"`
}

// tfModel is a layer or an encoder under test.
type tfModel interface {
	fwd(src, mask, kpm *torch.Tensor) *torch.Tensor
}

type tfLayer struct{ *nn.TransformerEncoderLayer }

func (l tfLayer) fwd(src, mask, kpm *torch.Tensor) *torch.Tensor {
	return l.Forward(src, nn.TransformerEncoderLayerForwardOpts{SrcMask: mask, SrcKeyPaddingMask: kpm})
}

type tfEncoder struct{ *nn.TransformerEncoder }

func (e tfEncoder) fwd(src, mask, kpm *torch.Tensor) *torch.Tensor {
	return e.Forward(src, nn.TransformerEncoderForwardOpts{Mask: mask, SrcKeyPaddingMask: kpm})
}

// TestTransformerEncoderMatchesPyTorch compares TransformerEncoderLayer and
// TransformerEncoder with PyTorch's, all cases in one Python run: the
// initial weights after the same seed (bitwise, every layer of an encoder
// holding the copied layer's weights) and their names in order, the output,
// and the gradients of the input and of every parameter. The cases cover
// post- and pre-LN, ReLU, GELU and a custom activation, batch_first,
// unbatched input, boolean and float masks, key padding masks, eps, eval
// mode, dropout drawn from the same seed, and inference without autograd,
// where PyTorch takes its fused layer path and the encoder's nested-tensor
// path (zeros at padded positions).
func TestTransformerEncoderMatchesPyTorch(t *testing.T) {
	cases := []tfCase{
		{Name: "layer_default", DModel: 8, NHead: 2, DimFF: 16, S: 5, N: 3},
		{Name: "layer_bf_prenorm_gelu_masks", DModel: 8, NHead: 2, DimFF: 12, BatchFirst: true, NormFirst: true, Activation: "gelu", S: 4, N: 3, SrcMask: "bool2", KPM: "bool"},
		{Name: "layer_eval_float_mask_eps", DModel: 6, NHead: 3, DimFF: 10, Dropout: 0.1, Eps: 1e-3, Eval: true, S: 4, N: 2, SrcMask: "float2"},
		{Name: "layer_unbatched", DModel: 8, NHead: 4, DimFF: 16, S: 5, KPM: "bool", SrcMask: "bool3"},
		{Name: "layer_custom_activation", DModel: 4, NHead: 2, DimFF: 8, Activation: "tanh", S: 3, N: 2, KPM: "float"},
		{Name: "layer_dropout_seeded", DModel: 8, NHead: 2, DimFF: 16, Dropout: 0.2, S: 4, N: 2, NormFirst: true},
		{Name: "layer_fast_path", DModel: 8, NHead: 2, DimFF: 16, Dropout: 0.1, BatchFirst: true, Eval: true, NoGrad: true, S: 5, N: 3, KPM: "bool"},
		{Name: "layer_fast_path_gelu", DModel: 8, NHead: 4, DimFF: 16, Activation: "gelu", BatchFirst: true, Eval: true, NoGrad: true, S: 4, N: 2},
		{Name: "encoder_norm", DModel: 8, NHead: 2, DimFF: 16, Layers: 2, Norm: true, S: 5, N: 2},
		{Name: "encoder_bf_prenorm_masks", DModel: 8, NHead: 2, DimFF: 12, Layers: 3, BatchFirst: true, NormFirst: true, Activation: "gelu", S: 4, N: 3, SrcMask: "bool2", KPM: "bool"},
		{Name: "encoder_dropout_seeded", DModel: 6, NHead: 2, DimFF: 8, Dropout: 0.3, Layers: 2, Norm: true, S: 3, N: 2},
		{Name: "encoder_unbatched", DModel: 4, NHead: 2, DimFF: 8, Layers: 2, S: 3, KPM: "bool"},
		{Name: "encoder_eval_grad", DModel: 8, NHead: 2, DimFF: 16, Dropout: 0.1, Layers: 2, Norm: true, BatchFirst: true, Eval: true, S: 5, N: 3, KPM: "bool"},
		{Name: "encoder_nested", DModel: 8, NHead: 2, DimFF: 16, Dropout: 0.1, Layers: 2, Norm: true, BatchFirst: true, Eval: true, NoGrad: true, S: 5, N: 3, KPM: "bool"},
		{Name: "encoder_nested_gelu_no_norm", DModel: 8, NHead: 4, DimFF: 16, Activation: "gelu", Layers: 2, BatchFirst: true, Eval: true, NoGrad: true, S: 4, N: 4, KPM: "bool"},
		{Name: "encoder_not_left_aligned", DModel: 8, NHead: 2, DimFF: 16, Layers: 2, BatchFirst: true, Eval: true, NoGrad: true, S: 4, N: 3, KPM: "holes"},
		{Name: "encoder_no_mask_check", DModel: 8, NHead: 2, DimFF: 16, Layers: 2, Norm: true, BatchFirst: true, Eval: true, NoGrad: true, NoMaskCheck: true, S: 4, N: 3, KPM: "bool"},
		{Name: "encoder_odd_heads", DModel: 6, NHead: 3, DimFF: 8, Layers: 2, BatchFirst: true, Eval: true, NoGrad: true, S: 4, N: 3, KPM: "bool"},
	}
	type goResult struct {
		model   any
		initial map[string]*torch.Tensor
		src     *torch.Tensor
		out     *torch.Tensor
	}
	tensors := map[string]*torch.Tensor{}
	results := map[string]*goResult{}
	for i, c := range cases {
		c.Seed = int64(200 + i)
		if c.Eps == 0 {
			c.Eps = 1e-5
		}
		if c.Activation == "" {
			c.Activation = "relu"
		}
		cases[i] = c
		torch.ManualSeed(uint64(c.Seed))
		lo := nn.TransformerEncoderLayerOpts{DimFeedforward: &c.DimFF, Dropout: &c.Dropout, Activation: c.Activation,
			LayerNormEps: &c.Eps, BatchFirst: c.BatchFirst, NormFirst: c.NormFirst}
		if c.Activation == "tanh" {
			lo.ActivationFunc = func(x *torch.Tensor) *torch.Tensor { return x.Tanh() }
		}
		layer := nn.NewTransformerEncoderLayer(c.DModel, c.NHead, lo)
		var model tfModel = tfLayer{layer}
		if c.Layers > 0 {
			eo := nn.TransformerEncoderOpts{MaskCheck: new(!c.NoMaskCheck)}
			if c.Norm {
				eo.Norm = nn.NewLayerNorm([]int64{c.DModel}, nn.LayerNormOpts{Eps: &c.Eps})
			}
			enc := nn.NewTransformerEncoder(layer, c.Layers, eo)
			model = tfEncoder{enc}
		}
		r := &goResult{model: model, initial: map[string]*torch.Tensor{}}
		for k, v := range nn.StateDict(model) {
			r.initial[k] = v.Detach().Clone()
		}
		if c.Eval {
			nn.Eval(model)
		}
		shape := []int64{c.S, c.N, c.DModel}
		switch {
		case c.N == 0:
			shape = []int64{c.S, c.DModel}
		case c.BatchFirst:
			shape = []int64{c.N, c.S, c.DModel}
		}
		r.src = torch.Randn(shape).SetRequiresGrad(!c.NoGrad)
		tensors[c.Name+"/src"] = r.src.Detach()
		mask := mhaMask(c.SrcMask, i, max(c.N, 1)*c.NHead, c.S, c.S)
		var kpm *torch.Tensor
		if c.KPM == "holes" {
			kpm = torch.FromSlice([]bool{false, false, false, true, false, true, false, false, false, false, true, true}, c.N, c.S)
		} else {
			kpm = mhaPaddingMask(c.KPM, c.N, c.S)
		}
		if mask != nil {
			tensors[c.Name+"/mask"] = mask
		}
		if kpm != nil {
			tensors[c.Name+"/kpm"] = kpm
		}
		torch.ManualSeed(uint64(c.Seed + 1000)) // the dropout draws
		forward := func() { r.out = model.fwd(r.src, mask, kpm) }
		if c.NoGrad {
			torch.NoGrad(forward)
		} else {
			forward()
			g := torch.Randn(r.out.Shape())
			tensors[c.Name+"/g"] = g
			r.out.Mul(g).Sum().Backward()
		}
		results[c.Name] = r
	}
	want, py := runCasesInPython(t, cases, tensors, `
for c in cases:
    n = c["name"]
    torch.manual_seed(c["seed"])
    act = torch.tanh if c["activation"] == "tanh" else c["activation"]
    m = torch.nn.TransformerEncoderLayer(c["d_model"], c["nhead"], c["dim_ff"], float(c["dropout"]), act, c["eps"],
        c["batch_first"], c["norm_first"])
    if c["layers"]:
        norm = torch.nn.LayerNorm(c["d_model"], eps=c["eps"]) if c["norm"] else None
        m = torch.nn.TransformerEncoder(m, c["layers"], norm, mask_check=not c["no_mask_check"])
    reprs[n] = repr(m)
    keys[n] = [k for k, _ in m.named_parameters()]
    for k, v in m.state_dict().items():
        out[n + "/init/" + k] = v
    if c["eval"]:
        m.eval()
    grad = not c["no_grad"]
    src = d[n + "/src"].requires_grad_(grad)
    torch.manual_seed(c["seed"] + 1000)
    with torch.set_grad_enabled(grad):
        if c["layers"]:
            y = m(src, mask=d.get(n + "/mask"), src_key_padding_mask=d.get(n + "/kpm"))
        else:
            y = m(src, src_mask=d.get(n + "/mask"), src_key_padding_mask=d.get(n + "/kpm"))
    out[n + "/out"] = y.detach()
    if grad:
        (y * d[n + "/g"]).sum().backward()
        out[n + "/grad_src"] = src.grad
        for name, p in m.named_parameters():
            out[n + "/grad/" + name] = p.grad
`)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := results[c.Name]
			require.Equal(t, py.Keys[c.Name], tfNames(r.model), "parameter names in order")
			assert.Equal(t, py.Repr[c.Name], fmt.Sprint(r.model), "repr")
			for _, k := range py.Keys[c.Name] {
				requireBitEqual(t, want[c.Name+"/init/"+k], r.initial[k], "init "+k)
			}
			requireClose(t, want[c.Name+"/out"], r.out, 1e-5, "output")
			if c.NoGrad {
				return
			}
			requireClose(t, want[c.Name+"/grad_src"], r.src.Grad(), 1e-5, "grad src")
			for _, p := range nn.NamedParameters(r.model) {
				requireClose(t, want[c.Name+"/grad/"+p.Name], p.Tensor.Grad(), 1e-5, "grad "+p.Name)
			}
		})
	}
}

func TestTransformerEncoderLayer(t *testing.T) {
	l := nn.NewTransformerEncoderLayer(8, 2, nn.TransformerEncoderLayerOpts{DimFeedforward: new(int64(16))})
	assert.Equal(t, `TransformerEncoderLayer(
  (self_attn): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)
  )
  (linear1): Linear(in_features=8, out_features=16, bias=True)
  (dropout): Dropout(p=0.1, inplace=False)
  (linear2): Linear(in_features=16, out_features=8, bias=True)
  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
  (dropout1): Dropout(p=0.1, inplace=False)
  (dropout2): Dropout(p=0.1, inplace=False)
)`, l.String())
	assert.Equal(t, []string{"self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
		"self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
		"norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}, tfNames(l))

	// Train and Eval reach the attention and the three dropouts.
	nn.Eval(l)
	assert.False(t, l.IsTraining())
	assert.False(t, l.SelfAttn.IsTraining())
	for _, d := range []*nn.Dropout{l.Dropout, l.Dropout1, l.Dropout2} {
		assert.False(t, d.IsTraining())
	}
	x := torch.Randn([]int64{3, 2, 8})
	requireClose(t, l.Forward(x), l.Forward(x), 0, "eval is deterministic")
	nn.Train(l)
	assert.True(t, l.SelfAttn.IsTraining())
	assert.True(t, l.Dropout2.IsTraining())

	err := torch.Catch(func() { nn.NewTransformerEncoderLayer(8, 2, nn.TransformerEncoderLayerOpts{Activation: "tanh"}) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "activation should be relu/gelu, not tanh")
	err = torch.Catch(func() { nn.NewTransformerEncoderLayer(8, 3) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "embed_dim must be divisible by num_heads")
	err = torch.Catch(func() { nn.NewTransformerEncoderLayer(8, 2, nn.TransformerEncoderLayerOpts{Dropout: new(1.5)}) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dropout probability has to be between 0 and 1, but got 1.5")
	err = torch.Catch(func() {
		l.Forward(x, nn.TransformerEncoderLayerForwardOpts{SrcKeyPaddingMask: torch.Zeros([]int64{2, 3}, torch.WithDType(torch.Int64))})
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "only bool and floating types of key_padding_mask are supported")
}

func TestTransformerEncoder(t *testing.T) {
	layer := nn.NewTransformerEncoderLayer(4, 2, nn.TransformerEncoderLayerOpts{DimFeedforward: new(int64(8)), Dropout: new(0.0)})
	enc := nn.NewTransformerEncoder(layer, 2, nn.TransformerEncoderOpts{Norm: nn.NewLayerNorm([]int64{4})})
	assert.Equal(t, int64(2), enc.NumLayers())
	names := tfNames(enc)
	assert.Equal(t, "layers.0.self_attn.in_proj_weight", names[0])
	assert.Equal(t, "layers.1.self_attn.in_proj_weight", names[12])
	assert.Equal(t, []string{"norm.weight", "norm.bias"}, names[24:])

	// Every layer is a deep copy: equal values, distinct leaf tensors, and
	// not the original layer's.
	l0, l1 := enc.Layers[0], enc.Layers[1]
	requireClose(t, l0.Linear1.Weight, l1.Linear1.Weight, 0, "copied weights")
	requireClose(t, layer.SelfAttn.InProjWeight, l1.SelfAttn.InProjWeight, 0, "copied weights")
	assert.NotSame(t, l0.Linear1.Weight, l1.Linear1.Weight)
	assert.NotSame(t, layer.SelfAttn.InProjWeight, l0.SelfAttn.InProjWeight)
	assert.True(t, l1.SelfAttn.InProjWeight.IsLeaf())
	assert.True(t, l1.SelfAttn.InProjWeight.RequiresGrad())
	torch.NoGrad(func() { l0.Linear1.Weight.Zero_() })
	assert.NotEqual(t, l0.Linear1.Weight.Float32s(), l1.Linear1.Weight.Float32s())
	assert.Len(t, nn.Parameters(enc), 26)

	// Train and Eval reach every layer.
	nn.Eval(enc)
	for _, l := range enc.Layers {
		assert.False(t, l.IsTraining())
		assert.False(t, l.SelfAttn.IsTraining())
		assert.False(t, l.Dropout1.IsTraining())
	}

	s := enc.String()
	if torch.VersionAtLeast(2, 0) { // ModuleList collapses equal layers
		assert.True(t, strings.HasPrefix(s, "TransformerEncoder(\n  (layers): ModuleList(\n    (0-1): 2 x TransformerEncoderLayer(\n      (self_attn): MultiheadAttention(\n"), s)
	} else {
		assert.True(t, strings.HasPrefix(s, "TransformerEncoder(\n  (layers): ModuleList(\n    (0): TransformerEncoderLayer(\n      (self_attn): MultiheadAttention(\n"), s)
		assert.Contains(t, s, "\n    (1): TransformerEncoderLayer(\n")
	}
	assert.True(t, strings.HasSuffix(s, "    )\n  )\n  (norm): LayerNorm((4,), eps=1e-05, elementwise_affine=True)\n)"), s)

	err := torch.Catch(func() { nn.NewTransformerEncoder(layer, -1) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "num_layers must be non-negative, but got -1")
}

// tdCase is one TransformerDecoderLayer, TransformerDecoder or Transformer
// configuration and call, shared with the Python script as JSON.
type tdCase struct {
	Name       string  `json:"name"`
	Kind       string  `json:"kind"` // "layer", "decoder" or "transformer"
	DModel     int64   `json:"d_model"`
	NHead      int64   `json:"nhead"`
	DimFF      int64   `json:"dim_ff"`
	Dropout    float64 `json:"dropout"`
	Activation string  `json:"activation"`
	Eps        float64 `json:"eps"`
	BatchFirst bool    `json:"batch_first"`
	NormFirst  bool    `json:"norm_first"`
	Layers     int64   `json:"layers"`     // decoder layers
	EncLayers  int64   `json:"enc_layers"` // a Transformer's encoder layers
	Norm       bool    `json:"norm"`       // a TransformerDecoder's final LayerNorm
	T          int64   `json:"t"`
	S          int64   `json:"s"`
	N          int64   `json:"n"` // 0: unbatched
	TgtMask    string  `json:"tgt_mask"`
	MemoryMask string  `json:"memory_mask"`
	SrcMask    string  `json:"src_mask"`
	TgtKPM     string  `json:"tgt_kpm"`
	MemoryKPM  string  `json:"memory_kpm"`
	SrcKPM     string  `json:"src_kpm"`
	Eval       bool    `json:"eval"`
	NoGrad     bool    `json:"no_grad"`
	Seed       int64   `json:"seed"`
}

// TestTransformerDecoderMatchesPyTorch compares TransformerDecoderLayer,
// TransformerDecoder and Transformer with PyTorch's, all cases in one
// Python run, as TestTransformerEncoderMatchesPyTorch does: initial weights
// bitwise (for Transformer after its Xavier redraw), parameter names in
// order, the output, and the gradients of both inputs and of every
// parameter; and GenerateSquareSubsequentMask.
func TestTransformerDecoderMatchesPyTorch(t *testing.T) {
	cases := []tdCase{
		{Name: "layer_causal", Kind: "layer", DModel: 8, NHead: 2, DimFF: 16, T: 4, S: 5, N: 2, TgtMask: "causal"},
		{Name: "layer_bf_prenorm_gelu_masks", Kind: "layer", DModel: 8, NHead: 4, DimFF: 12, BatchFirst: true, NormFirst: true, Activation: "gelu",
			T: 3, S: 5, N: 3, TgtMask: "bool2", MemoryMask: "float2", TgtKPM: "bool", MemoryKPM: "bool"},
		{Name: "layer_unbatched", Kind: "layer", DModel: 6, NHead: 2, DimFF: 8, T: 3, S: 4, MemoryMask: "bool3", MemoryKPM: "bool"},
		{Name: "decoder_norm_dropout", Kind: "decoder", DModel: 8, NHead: 2, DimFF: 16, Dropout: 0.2, Layers: 2, Norm: true, T: 4, S: 3, N: 2, TgtMask: "causal"},
		{Name: "decoder_eval", Kind: "decoder", DModel: 4, NHead: 1, DimFF: 8, Dropout: 0.1, Eval: true, Layers: 3, Eps: 1e-3, T: 2, S: 3, N: 2, MemoryKPM: "bool"},
		{Name: "transformer", Kind: "transformer", DModel: 8, NHead: 2, DimFF: 16, EncLayers: 2, Layers: 2, T: 4, S: 5, N: 2,
			TgtMask: "causal", SrcKPM: "bool", MemoryKPM: "bool", SrcMask: "bool2"},
		{Name: "transformer_bf_prenorm_gelu_eval", Kind: "transformer", DModel: 8, NHead: 4, DimFF: 12, Dropout: 0.1, EncLayers: 1, Layers: 2,
			BatchFirst: true, NormFirst: true, Activation: "gelu", Eval: true, T: 3, S: 4, N: 3, TgtKPM: "bool", MemoryMask: "bool2"},
		{Name: "transformer_dropout_seeded", Kind: "transformer", DModel: 6, NHead: 2, DimFF: 8, Dropout: 0.3, EncLayers: 2, Layers: 1, T: 3, S: 3, N: 2},
		{Name: "transformer_unbatched", Kind: "transformer", DModel: 4, NHead: 2, DimFF: 8, EncLayers: 1, Layers: 1, T: 2, S: 3, TgtMask: "causal"},
		{Name: "transformer_inference_nested", Kind: "transformer", DModel: 8, NHead: 2, DimFF: 16, Dropout: 0.1, EncLayers: 2, Layers: 2,
			BatchFirst: true, Eval: true, NoGrad: true, T: 3, S: 5, N: 3, SrcKPM: "bool", MemoryKPM: "bool", TgtMask: "causal"},
	}
	type goResult struct {
		model        any
		initial      map[string]*torch.Tensor
		tgt, mem     *torch.Tensor
		out, tgtMask *torch.Tensor
	}
	tensors := map[string]*torch.Tensor{}
	results := map[string]*goResult{}
	for i, c := range cases {
		c.Seed = int64(300 + i)
		if c.Eps == 0 {
			c.Eps = 1e-5
		}
		if c.Activation == "" {
			c.Activation = "relu"
		}
		cases[i] = c
		torch.ManualSeed(uint64(c.Seed))
		lo := nn.TransformerDecoderLayerOpts{DimFeedforward: &c.DimFF, Dropout: &c.Dropout, Activation: c.Activation,
			LayerNormEps: &c.Eps, BatchFirst: c.BatchFirst, NormFirst: c.NormFirst}
		r := &goResult{initial: map[string]*torch.Tensor{}}
		var fwd func(tgt, mem *torch.Tensor, o nn.TransformerForwardOpts) *torch.Tensor
		switch c.Kind {
		case "layer", "decoder":
			layer := nn.NewTransformerDecoderLayer(c.DModel, c.NHead, lo)
			var dec interface {
				Forward(tgt, memory *torch.Tensor, opts ...nn.TransformerDecoderLayerForwardOpts) *torch.Tensor
			} = layer
			r.model = layer
			if c.Kind == "decoder" {
				var do nn.TransformerDecoderOpts
				if c.Norm {
					do.Norm = nn.NewLayerNorm([]int64{c.DModel}, nn.LayerNormOpts{Eps: &c.Eps})
				}
				d := nn.NewTransformerDecoder(layer, c.Layers, do)
				dec, r.model = d, d
			}
			fwd = func(tgt, mem *torch.Tensor, o nn.TransformerForwardOpts) *torch.Tensor {
				return dec.Forward(tgt, mem, nn.TransformerDecoderLayerForwardOpts{TgtMask: o.TgtMask, MemoryMask: o.MemoryMask,
					TgtKeyPaddingMask: o.TgtKeyPaddingMask, MemoryKeyPaddingMask: o.MemoryKeyPaddingMask})
			}
		default:
			tr := nn.NewTransformer(nn.TransformerOpts{DModel: &c.DModel, NHead: &c.NHead, NumEncoderLayers: &c.EncLayers,
				NumDecoderLayers: &c.Layers, DimFeedforward: &c.DimFF, Dropout: &c.Dropout, Activation: c.Activation,
				LayerNormEps: &c.Eps, BatchFirst: c.BatchFirst, NormFirst: c.NormFirst})
			r.model = tr
			fwd = func(src, tgt *torch.Tensor, o nn.TransformerForwardOpts) *torch.Tensor {
				return tr.Forward(src, tgt, o)
			}
		}
		for k, v := range nn.StateDict(r.model) {
			r.initial[k] = v.Detach().Clone()
		}
		if c.Eval {
			nn.Eval(r.model)
		}
		shape := func(n int64) []int64 {
			switch {
			case c.N == 0:
				return []int64{n, c.DModel}
			case c.BatchFirst:
				return []int64{c.N, n, c.DModel}
			}
			return []int64{n, c.N, c.DModel}
		}
		r.tgt = torch.Randn(shape(c.T)).SetRequiresGrad(!c.NoGrad)
		r.mem = torch.Randn(shape(c.S)).SetRequiresGrad(!c.NoGrad)
		tensors[c.Name+"/tgt"], tensors[c.Name+"/mem"] = r.tgt.Detach(), r.mem.Detach()
		lead := max(c.N, 1) * c.NHead
		o := nn.TransformerForwardOpts{
			MemoryMask: mhaMask(c.MemoryMask, i, lead, c.T, c.S), SrcMask: mhaMask(c.SrcMask, i+1, lead, c.S, c.S),
			TgtKeyPaddingMask: mhaPaddingMask(c.TgtKPM, c.N, c.T), MemoryKeyPaddingMask: mhaPaddingMask(c.MemoryKPM, c.N, c.S),
			SrcKeyPaddingMask: mhaPaddingMask(c.SrcKPM, c.N, c.S),
		}
		if c.TgtMask == "causal" {
			o.TgtMask = nn.GenerateSquareSubsequentMask(c.T)
			r.tgtMask = o.TgtMask
		} else {
			o.TgtMask = mhaMask(c.TgtMask, i+2, lead, c.T, c.T)
			if o.TgtMask != nil {
				tensors[c.Name+"/tgt_mask"] = o.TgtMask
			}
		}
		for k, m := range map[string]*torch.Tensor{"memory_mask": o.MemoryMask, "src_mask": o.SrcMask, "tgt_kpm": o.TgtKeyPaddingMask,
			"memory_kpm": o.MemoryKeyPaddingMask, "src_kpm": o.SrcKeyPaddingMask} {
			if m != nil {
				tensors[c.Name+"/"+k] = m
			}
		}
		torch.ManualSeed(uint64(c.Seed + 1000)) // the dropout draws
		forward := func() {
			if c.Kind == "transformer" {
				r.out = fwd(r.mem, r.tgt, o) // src, tgt
			} else {
				r.out = fwd(r.tgt, r.mem, o)
			}
		}
		if c.NoGrad {
			torch.NoGrad(forward)
		} else {
			forward()
			g := torch.Randn(r.out.Shape())
			tensors[c.Name+"/g"] = g
			r.out.Mul(g).Sum().Backward()
		}
		results[c.Name] = r
	}
	want, py := runCasesInPython(t, cases, tensors, `
for c in cases:
    n = c["name"]
    g = lambda k: d.get(n + "/" + k)
    torch.manual_seed(c["seed"])
    args = (c["d_model"], c["nhead"])
    kw = dict(dim_feedforward=c["dim_ff"], dropout=float(c["dropout"]), activation=c["activation"], layer_norm_eps=c["eps"],
              batch_first=c["batch_first"], norm_first=c["norm_first"])
    if c["kind"] == "transformer":
        m = torch.nn.Transformer(*args, num_encoder_layers=c["enc_layers"], num_decoder_layers=c["layers"], **kw)
    else:
        m = torch.nn.TransformerDecoderLayer(*args, **kw)
        if c["kind"] == "decoder":
            norm = torch.nn.LayerNorm(c["d_model"], eps=c["eps"]) if c["norm"] else None
            m = torch.nn.TransformerDecoder(m, c["layers"], norm)
    reprs[n] = repr(m)
    keys[n] = [k for k, _ in m.named_parameters()]
    for k, v in m.state_dict().items():
        out[n + "/init/" + k] = v
    if c["eval"]:
        m.eval()
    grad = not c["no_grad"]
    tgt, mem = g("tgt").requires_grad_(grad), g("mem").requires_grad_(grad)
    tgt_mask = g("tgt_mask")
    if c["tgt_mask"] == "causal":
        tgt_mask = torch.nn.Transformer.generate_square_subsequent_mask(c["t"])
        out[n + "/causal"] = tgt_mask
    torch.manual_seed(c["seed"] + 1000)
    with torch.set_grad_enabled(grad):
        if c["kind"] == "transformer":
            y = m(mem, tgt, src_mask=g("src_mask"), tgt_mask=tgt_mask, memory_mask=g("memory_mask"),
                  src_key_padding_mask=g("src_kpm"), tgt_key_padding_mask=g("tgt_kpm"), memory_key_padding_mask=g("memory_kpm"))
        else:
            y = m(tgt, mem, tgt_mask=tgt_mask, memory_mask=g("memory_mask"), tgt_key_padding_mask=g("tgt_kpm"),
                  memory_key_padding_mask=g("memory_kpm"))
    out[n + "/out"] = y.detach()
    if grad:
        (y * g("g")).sum().backward()
        out[n + "/grad_tgt"], out[n + "/grad_mem"] = tgt.grad, mem.grad
        for name, p in m.named_parameters():
            out[n + "/grad/" + name] = p.grad
`)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := results[c.Name]
			require.Equal(t, py.Keys[c.Name], tfNames(r.model), "parameter names in order")
			assert.Equal(t, py.Repr[c.Name], fmt.Sprint(r.model), "repr")
			for _, k := range py.Keys[c.Name] {
				requireBitEqual(t, want[c.Name+"/init/"+k], r.initial[k], "init "+k)
			}
			if r.tgtMask != nil {
				requireClose(t, want[c.Name+"/causal"], r.tgtMask, 0, "causal mask")
			}
			requireClose(t, want[c.Name+"/out"], r.out, 1e-5, "output")
			if c.NoGrad {
				return
			}
			requireClose(t, want[c.Name+"/grad_tgt"], r.tgt.Grad(), 1e-5, "grad tgt")
			requireClose(t, want[c.Name+"/grad_mem"], r.mem.Grad(), 1e-5, "grad memory/src")
			for _, p := range nn.NamedParameters(r.model) {
				requireClose(t, want[c.Name+"/grad/"+p.Name], p.Tensor.Grad(), 1e-5, "grad "+p.Name)
			}
		})
	}
}

func TestTransformer(t *testing.T) {
	tr := nn.NewTransformer(nn.TransformerOpts{DModel: new(int64(8)), NHead: new(int64(2)), NumEncoderLayers: new(int64(1)),
		NumDecoderLayers: new(int64(2)), DimFeedforward: new(int64(16))})
	names := tfNames(tr)
	assert.Equal(t, "encoder.layers.0.self_attn.in_proj_weight", names[0])
	assert.Contains(t, names, "encoder.norm.weight")
	assert.Contains(t, names, "decoder.layers.1.multihead_attn.out_proj.bias")
	assert.Equal(t, "decoder.norm.bias", names[len(names)-1])
	assert.Equal(t, int64(1), tr.Encoder.NumLayers())
	assert.Equal(t, int64(2), tr.Decoder.NumLayers())

	nn.Eval(tr)
	for _, l := range tr.Decoder.Layers {
		assert.False(t, l.IsTraining())
		assert.False(t, l.MultiheadAttn.IsTraining())
		assert.False(t, l.Dropout3.IsTraining())
	}
	src, tgt := torch.Randn([]int64{5, 2, 8}), torch.Randn([]int64{3, 2, 8})
	assert.Equal(t, torch.Size{3, 2, 8}, tr.Forward(src, tgt).Shape())

	mask := nn.GenerateSquareSubsequentMask(3)
	assert.Equal(t, torch.Size{3, 3}, mask.Shape())
	assert.Equal(t, "[0 -Inf -Inf 0 0 -Inf 0 0 0]", fmt.Sprint(mask.Float32s()))

	for _, tc := range []struct {
		name string
		f    func()
		msg  string
	}{
		{"batch", func() { tr.Forward(src, torch.Randn([]int64{3, 4, 8})) }, "the batch number of src and tgt must be equal"},
		{"features", func() { tr.Forward(torch.Randn([]int64{5, 2, 6}), torch.Randn([]int64{3, 2, 6})) },
			"the feature number of src and tgt must be equal to d_model"},
		{"activation", func() { nn.NewTransformerDecoderLayer(8, 2, nn.TransformerDecoderLayerOpts{Activation: "elu"}) },
			"activation should be relu/gelu, not elu"},
		{"layers", func() { nn.NewTransformerDecoder(tr.Decoder.Layers[0], -2) }, "num_layers must be non-negative, but got -2"},
	} {
		err := torch.Catch(tc.f)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.msg, tc.name)
	}
}

func ExampleNewTransformerEncoder() {
	torch.ManualSeed(0)
	layer := nn.NewTransformerEncoderLayer(16, 4, nn.TransformerEncoderLayerOpts{DimFeedforward: new(int64(32)), BatchFirst: true})
	encoder := nn.NewTransformerEncoder(layer, 2, nn.TransformerEncoderOpts{Norm: nn.NewLayerNorm([]int64{16})})
	nn.Eval(encoder)

	src := torch.Randn([]int64{3, 10, 16}) // 3 sequences of 10 tokens
	out := encoder.Forward(src, nn.TransformerEncoderForwardOpts{Mask: nn.GenerateSquareSubsequentMask(10)})
	fmt.Println(out.Shape(), nn.NumParameters(encoder))
	fmt.Println(nn.NamedParameters(encoder)[0].Name)
	// Output:
	// torch.Size([3, 10, 16]) 4480
	// layers.0.self_attn.in_proj_weight
}

func ExampleMultiheadAttention_Forward() {
	torch.ManualSeed(0)
	mha := nn.NewMultiheadAttention(8, 2, nn.MultiheadAttentionOpts{BatchFirst: true})
	query := torch.Randn([]int64{4, 5, 8}) // 4 sequences of 5 tokens
	memory := torch.Randn([]int64{4, 7, 8})
	padding := torch.Zeros([]int64{4, 7}, torch.WithDType(torch.Bool)) // no key is padding
	out, weights := mha.Forward(query, memory, memory, nn.MultiheadAttentionForwardOpts{KeyPaddingMask: padding})
	fmt.Println(out.Shape(), weights.Shape())
	// Output: torch.Size([4, 5, 8]) torch.Size([4, 5, 7])
}

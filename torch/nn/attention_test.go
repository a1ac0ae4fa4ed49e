package nn_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// mhaCase is one nn.MultiheadAttention configuration and call, shared with
// the Python script as JSON.
type mhaCase struct {
	Name        string  `json:"name"`
	Embed       int64   `json:"embed"`
	Heads       int64   `json:"heads"`
	KDim        int64   `json:"kdim"`
	VDim        int64   `json:"vdim"`
	NoBias      bool    `json:"no_bias"`
	AddBiasKV   bool    `json:"add_bias_kv"`
	AddZeroAttn bool    `json:"add_zero_attn"`
	BatchFirst  bool    `json:"batch_first"`
	Dropout     float64 `json:"dropout"`
	L           int64   `json:"l"`
	S           int64   `json:"s"`
	N           int64   `json:"n"`      // 0: unbatched
	Inputs      string  `json:"inputs"` // "self" (one tensor), "kv" (key is value) or "qkv"
	AttnMask    string  `json:"attn_mask"`
	KPM         string  `json:"kpm"`
	NoWeights   bool    `json:"no_weights"`
	PerHead     bool    `json:"per_head"`
	Eval        bool    `json:"eval"`
	NoGrad      bool    `json:"no_grad"` // forward without autograd: PyTorch's fast path where it applies
	Seed        int64   `json:"seed"`
}

// mhaShape is the shape of an input of length n and f features.
func mhaShape(c mhaCase, n, f int64) []int64 {
	switch {
	case c.N == 0:
		return []int64{n, f}
	case c.BatchFirst:
		return []int64{c.N, n, f}
	}
	return []int64{n, c.N, f}
}

// mhaBoolMask is a deterministic boolean mask of the given shape whose last
// dimension's first position is never set (so that no row is fully masked).
func mhaBoolMask(salt int, shape ...int64) *torch.Tensor {
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	last := shape[len(shape)-1]
	vals := make([]bool, n)
	for i := range vals {
		j := int64(i) % last
		vals[i] = j > 0 && (i*7+salt)%3 == 0
	}
	return torch.FromSlice(vals, shape...)
}

// mhaMask builds a mask of the given kind ("bool2", "float3", "byte2", ...)
// for a (rows, cols) attention, with lead the 3-D mask's first dimension.
func mhaMask(kind string, salt int, lead, rows, cols int64) *torch.Tensor {
	if kind == "" {
		return nil
	}
	shape := []int64{rows, cols}
	if kind[len(kind)-1] == '3' {
		shape = []int64{lead, rows, cols}
	}
	switch kind[:len(kind)-1] {
	case "bool":
		return mhaBoolMask(salt, shape...)
	case "byte":
		return mhaBoolMask(salt, shape...).ToDType(torch.Uint8)
	case "float":
		return torch.Randn(shape)
	}
	panic("unknown mask kind " + kind)
}

// mhaPaddingMask is a key padding mask: (N, S), or (S) unbatched.
func mhaPaddingMask(kind string, n, s int64) *torch.Tensor {
	shape := []int64{n, s}
	if n == 0 {
		shape = []int64{s}
		n = 1
	}
	switch kind {
	case "":
		return nil
	case "float":
		return torch.Randn(shape)
	}
	vals := make([]bool, n*s)
	for b := range n {
		for j := range s {
			vals[b*s+j] = j > 0 && j >= s-(b%3) // sequence b ends b%3 positions early
		}
	}
	return torch.FromSlice(vals, shape...)
}

// TestMultiheadAttentionMatchesPyTorch compares nn.MultiheadAttention with
// torch.nn.MultiheadAttention, all cases in one Python run: the initial
// weights after the same seed (bitwise) and their names and order, the
// output and attention weights, and the gradients of the inputs and of
// every parameter. The cases cover self-, encoder-decoder and general
// attention, kdim/vdim, batch_first, unbatched input, boolean, byte and
// float masks (2-D and 3-D), key padding masks, add_bias_kv,
// add_zero_attn, bias=False, per-head weights, eval mode, dropout drawn
// from the same seed, and inference without autograd (where PyTorch takes
// its fused fast path). It also checks F.MultiHeadAttentionForward's
// static_k and static_v.
func TestMultiheadAttentionMatchesPyTorch(t *testing.T) {
	cases := []mhaCase{
		{Name: "self", Embed: 8, Heads: 2, L: 4, S: 4, N: 3, Inputs: "self"},
		{Name: "batch_first_masks", Embed: 8, Heads: 2, L: 5, S: 5, N: 2, Inputs: "self", BatchFirst: true, AttnMask: "bool2", KPM: "bool", PerHead: true},
		{Name: "cross_float_mask", Embed: 6, Heads: 3, L: 3, S: 5, N: 4, Inputs: "kv", AttnMask: "float2", KPM: "bool"},
		{Name: "kdim_vdim", Embed: 8, Heads: 4, KDim: 6, VDim: 5, L: 3, S: 4, N: 2, Inputs: "qkv", AttnMask: "bool3", NoWeights: true},
		{Name: "bias_kv_zero_attn", Embed: 8, Heads: 2, L: 4, S: 3, N: 3, Inputs: "qkv", AddBiasKV: true, AddZeroAttn: true, AttnMask: "bool2", KPM: "bool"},
		{Name: "no_bias_eval_float_kpm", Embed: 4, Heads: 1, L: 3, S: 3, N: 2, Inputs: "self", NoBias: true, Eval: true, Dropout: 0.5, KPM: "float"},
		{Name: "unbatched_self", Embed: 8, Heads: 2, L: 4, S: 4, Inputs: "self", AttnMask: "bool3", KPM: "bool", PerHead: true},
		{Name: "unbatched_kdim", Embed: 6, Heads: 2, KDim: 3, VDim: 7, L: 2, S: 5, Inputs: "qkv", AttnMask: "float2"},
		{Name: "float3_bf_zero_attn", Embed: 8, Heads: 2, L: 3, S: 4, N: 2, Inputs: "kv", BatchFirst: true, AttnMask: "float3", AddZeroAttn: true, KPM: "bool"},
		{Name: "dropout_seeded", Embed: 8, Heads: 2, L: 4, S: 4, N: 2, Inputs: "self", Dropout: 0.3},
		{Name: "bias_kv_bf_dropout", Embed: 4, Heads: 2, L: 2, S: 3, N: 2, Inputs: "kv", BatchFirst: true, AddBiasKV: true, Dropout: 0.2, PerHead: true},
		{Name: "fast_path", Embed: 8, Heads: 2, L: 5, S: 5, N: 3, Inputs: "self", BatchFirst: true, Eval: true, NoGrad: true, KPM: "bool"},
		{Name: "fast_path_no_weights", Embed: 8, Heads: 4, L: 4, S: 4, N: 2, Inputs: "self", BatchFirst: true, Eval: true, NoGrad: true, NoWeights: true},
		{Name: "eval_no_grad_cross", Embed: 8, Heads: 2, L: 3, S: 4, N: 2, Inputs: "kv", Eval: true, NoGrad: true, AttnMask: "bool2"},
	}
	if !torch.VersionAtLeast(2, 0) {
		// A deprecated byte mask; PyTorch 2.x refuses it (see the errors test).
		cases = append(cases, mhaCase{Name: "byte_mask", Embed: 8, Heads: 2, L: 3, S: 3, N: 2, Inputs: "self", AttnMask: "byte2"})
	}
	type goResult struct {
		m                 *nn.MultiheadAttention
		initial           map[string]*torch.Tensor
		q, k, v, out, wts *torch.Tensor
	}
	tensors := map[string]*torch.Tensor{}
	results := map[string]*goResult{}
	for i, c := range cases {
		c.Seed = int64(100 + i)
		cases[i] = c
		torch.ManualSeed(uint64(c.Seed))
		m := nn.NewMultiheadAttention(c.Embed, c.Heads, nn.MultiheadAttentionOpts{Dropout: c.Dropout, Bias: new(!c.NoBias),
			AddBiasKV: c.AddBiasKV, AddZeroAttn: c.AddZeroAttn, KDim: c.KDim, VDim: c.VDim, BatchFirst: c.BatchFirst})
		r := &goResult{m: m, initial: map[string]*torch.Tensor{}}
		for k, v := range nn.StateDict(m) {
			r.initial[k] = v.Detach().Clone()
		}
		if c.Eval {
			nn.Eval(m)
		}
		kdim, vdim := m.KDim, m.VDim
		grad := !c.NoGrad
		r.q = torch.Randn(mhaShape(c, c.L, c.Embed)).SetRequiresGrad(grad)
		switch c.Inputs {
		case "self":
			r.k, r.v = r.q, r.q
		case "kv":
			r.k = torch.Randn(mhaShape(c, c.S, kdim)).SetRequiresGrad(grad)
			r.v = r.k
		default:
			r.k = torch.Randn(mhaShape(c, c.S, kdim)).SetRequiresGrad(grad)
			r.v = torch.Randn(mhaShape(c, c.S, vdim)).SetRequiresGrad(grad)
		}
		tensors[c.Name+"/query"], tensors[c.Name+"/key"], tensors[c.Name+"/value"] = r.q.Detach(), r.k.Detach(), r.v.Detach()
		opts := nn.MultiheadAttentionForwardOpts{NeedWeights: new(!c.NoWeights), AverageAttnWeights: new(!c.PerHead)}
		opts.AttnMask = mhaMask(c.AttnMask, i, max(c.N, 1)*c.Heads, c.L, c.S)
		opts.KeyPaddingMask = mhaPaddingMask(c.KPM, c.N, c.S)
		if opts.AttnMask != nil {
			tensors[c.Name+"/attn_mask"] = opts.AttnMask
		}
		if opts.KeyPaddingMask != nil {
			tensors[c.Name+"/kpm"] = opts.KeyPaddingMask
		}
		torch.ManualSeed(uint64(c.Seed + 1000)) // the dropout draws
		forward := func() { r.out, r.wts = m.Forward(r.q, r.k, r.v, opts) }
		if c.NoGrad {
			torch.NoGrad(forward)
		} else {
			forward()
			gout := torch.Randn(r.out.Shape())
			tensors[c.Name+"/gout"] = gout
			loss := r.out.Mul(gout).Sum()
			if r.wts != nil {
				gw := torch.Randn(r.wts.Shape())
				tensors[c.Name+"/gw"] = gw
				loss = loss.Add(r.wts.Mul(gw).Sum())
			}
			loss.Backward()
		}
		results[c.Name] = r
	}
	// F.MultiHeadAttentionForward's static_k and static_v, which the module
	// does not expose.
	const e, h = 6, 2
	st := map[string]*torch.Tensor{"q": torch.Randn([]int64{3, 2, e}), "kv": torch.Randn([]int64{4, 2, e}),
		"w": torch.Randn([]int64{3 * e, e}), "b": torch.Randn([]int64{3 * e}), "ow": torch.Randn([]int64{e, e}),
		"ob": torch.Randn([]int64{e}), "sk": torch.Randn([]int64{2 * h, 4, e / h}), "sv": torch.Randn([]int64{2 * h, 4, e / h})}
	for k, v := range st {
		tensors["static/"+k] = v
	}
	staticOut, staticWeights := F.MultiHeadAttentionForward(st["q"], st["kv"], st["kv"], e, h, st["w"], st["b"], nil, nil,
		false, 0, st["ow"], st["ob"], F.MultiHeadAttentionForwardOpts{StaticK: st["sk"], StaticV: st["sv"]})

	want, py := runCasesInPython(t, cases, tensors, `
s = {k[len("static/"):]: v for k, v in d.items() if k.startswith("static/")}
out["static/out"], out["static/weights"] = torch.nn.functional.multi_head_attention_forward(s["q"], s["kv"], s["kv"],
    6, 2, s["w"], s["b"], None, None, False, 0.0, s["ow"], s["ob"], static_k=s["sk"], static_v=s["sv"])
for c in cases:
    n = c["name"]
    torch.manual_seed(c["seed"])
    m = torch.nn.MultiheadAttention(c["embed"], c["heads"], dropout=c["dropout"], bias=not c["no_bias"],
        add_bias_kv=c["add_bias_kv"], add_zero_attn=c["add_zero_attn"], kdim=c["kdim"] or None,
        vdim=c["vdim"] or None, batch_first=c["batch_first"])
    reprs[n] = repr(m)
    keys[n] = [k for k, _ in m.named_parameters()]
    for k, v in m.state_dict().items():
        out[n + "/init/" + k] = v
    if c["eval"]:
        m.eval()
    grad = not c["no_grad"]
    q = d[n + "/query"].requires_grad_(grad)
    if c["inputs"] == "self":
        k = v = q
    elif c["inputs"] == "kv":
        k = v = d[n + "/key"].requires_grad_(grad)
    else:
        k, v = d[n + "/key"].requires_grad_(grad), d[n + "/value"].requires_grad_(grad)
    torch.manual_seed(c["seed"] + 1000)
    with torch.set_grad_enabled(grad):
        o, w = m(q, k, v, key_padding_mask=d.get(n + "/kpm"), need_weights=not c["no_weights"],
                 attn_mask=d.get(n + "/attn_mask"), average_attn_weights=not c["per_head"])
    out[n + "/out"] = o.detach()
    if w is not None:
        out[n + "/weights"] = w.detach()
    if grad:
        loss = (o * d[n + "/gout"]).sum()
        if w is not None:
            loss = loss + (w * d[n + "/gw"]).sum()
        loss.backward()
        for name, t in (("query", q), ("key", k), ("value", v)):
            out[n + "/grad_" + name] = t.grad
        for name, p in m.named_parameters():
            out[n + "/grad/" + name] = p.grad
`)
	t.Run("functional_static_kv", func(t *testing.T) {
		requireClose(t, want["static/out"], staticOut, 1e-5, "output")
		requireClose(t, want["static/weights"], staticWeights, 1e-5, "weights")
	})
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := results[c.Name]
			require.Equal(t, py.Keys[c.Name], tfNames(r.m), "parameter names in order")
			assert.Equal(t, py.Repr[c.Name], fmt.Sprint(r.m), "repr")
			for _, k := range py.Keys[c.Name] {
				requireBitEqual(t, want[c.Name+"/init/"+k], r.initial[k], "init "+k)
			}
			requireClose(t, want[c.Name+"/out"], r.out, 1e-5, "output")
			if c.NoWeights {
				assert.Nil(t, r.wts)
			} else {
				requireClose(t, want[c.Name+"/weights"], r.wts, 1e-5, "weights")
			}
			if c.NoGrad {
				return
			}
			requireClose(t, want[c.Name+"/grad_query"], r.q.Grad(), 1e-5, "grad query")
			requireClose(t, want[c.Name+"/grad_key"], r.k.Grad(), 1e-5, "grad key")
			requireClose(t, want[c.Name+"/grad_value"], r.v.Grad(), 1e-5, "grad value")
			for _, p := range nn.NamedParameters(r.m) {
				requireClose(t, want[c.Name+"/grad/"+p.Name], p.Tensor.Grad(), 1e-5, "grad "+p.Name)
			}
		})
	}
}

func TestMultiheadAttention(t *testing.T) {
	m := nn.NewMultiheadAttention(8, 2)
	assert.Equal(t, "MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n)", m.String())
	assert.Equal(t, []string{"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"}, tfNames(m))
	assert.Equal(t, int64(4), m.HeadDim())
	assert.Equal(t, []float32{0, 0, 0, 0, 0, 0, 0, 0}, m.OutProj.Bias.Float32s())

	sep := nn.NewMultiheadAttention(4, 1, nn.MultiheadAttentionOpts{KDim: 3, VDim: 5, Bias: new(false), AddBiasKV: true})
	assert.Equal(t, []string{"q_proj_weight", "k_proj_weight", "v_proj_weight", "bias_k", "bias_v", "out_proj.weight"}, tfNames(sep))
	assert.Equal(t, torch.Size{4, 3}, sep.KProjWeight.Shape())
	assert.Equal(t, torch.Size{4, 5}, sep.VProjWeight.Shape())
	assert.Contains(t, sep.String(), "bias=False")

	// Train and Eval reach the attention's own flag.
	assert.True(t, m.IsTraining())
	nn.Eval(m)
	assert.False(t, m.IsTraining())
	nn.Train(m)
	assert.True(t, m.IsTraining())

	// In evaluation mode dropout is off: two calls agree.
	d := nn.NewMultiheadAttention(4, 2, nn.MultiheadAttentionOpts{Dropout: 0.5})
	x := torch.Randn([]int64{3, 2, 4})
	nn.Eval(d)
	a, _ := d.Forward(x, x, x)
	b, _ := d.Forward(x, x, x)
	requireClose(t, a, b, 0, "eval is deterministic")

	// Shapes: batch_first output and per-head weights.
	bf := nn.NewMultiheadAttention(6, 3, nn.MultiheadAttentionOpts{BatchFirst: true})
	q := torch.Randn([]int64{2, 5, 6})
	kv := torch.Randn([]int64{2, 7, 6})
	o, w := bf.Forward(q, kv, kv, nn.MultiheadAttentionForwardOpts{AverageAttnWeights: new(false)})
	assert.Equal(t, torch.Size{2, 5, 6}, o.Shape())
	assert.Equal(t, torch.Size{2, 3, 5, 7}, w.Shape())

	for _, tc := range []struct {
		name string
		f    func()
		msg  string
	}{
		{"heads", func() { nn.NewMultiheadAttention(8, 3) }, "embed_dim must be divisible by num_heads"},
		{"zero heads", func() { nn.NewMultiheadAttention(8, 0) }, "embed_dim and num_heads must be greater than 0, got embed_dim=8 and num_heads=0 instead"},
		{"embed", func() {
			m.Forward(torch.Randn([]int64{3, 2, 6}), torch.Randn([]int64{3, 2, 6}), torch.Randn([]int64{3, 2, 6}))
		},
			"was expecting embedding dimension of 8, but got 6"},
		{"rank", func() {
			m.Forward(torch.Randn([]int64{3, 2, 8}), torch.Randn([]int64{3, 8}), torch.Randn([]int64{3, 8}))
		},
			"For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively"},
		{"query rank", func() { x := torch.Randn([]int64{8}); m.Forward(x, x, x) },
			"query should be unbatched 2D or batched 3D tensor but received 1-D query tensor"},
		{"mask shape", func() {
			x := torch.Randn([]int64{3, 2, 8})
			m.Forward(x, x, x, nn.MultiheadAttentionForwardOpts{AttnMask: torch.Zeros([]int64{3, 4})})
		}, "The shape of the 2D attn_mask is torch.Size([3, 4]), but should be (3, 3)."},
		{"3d mask shape", func() {
			x := torch.Randn([]int64{3, 2, 8})
			m.Forward(x, x, x, nn.MultiheadAttentionForwardOpts{AttnMask: torch.Zeros([]int64{2, 3, 3})})
		}, "The shape of the 3D attn_mask is torch.Size([2, 3, 3]), but should be (4, 3, 3)."},
		{"mask dtype", func() {
			x := torch.Randn([]int64{3, 2, 8})
			m.Forward(x, x, x, nn.MultiheadAttentionForwardOpts{AttnMask: torch.Zeros([]int64{3, 3}, torch.WithDType(torch.Int64))})
		}, map[bool]string{
			false: "Only float, byte, and bool types are supported for attn_mask, not torch.int64",
			true:  "only bool and floating types of attn_mask are supported",
		}[torch.VersionAtLeast(2, 0)]},
		{"padding dtype", func() {
			x := torch.Randn([]int64{3, 2, 8})
			m.Forward(x, x, x, nn.MultiheadAttentionForwardOpts{KeyPaddingMask: torch.Zeros([]int64{2, 3}, torch.WithDType(torch.Int64))})
		}, "only bool and floating types of key_padding_mask are supported"},
		{"padding shape", func() {
			x := torch.Randn([]int64{3, 2, 8})
			m.Forward(x, x, x, nn.MultiheadAttentionForwardOpts{KeyPaddingMask: torch.Zeros([]int64{2, 4}, torch.WithDType(torch.Bool))})
		}, "expecting key_padding_mask shape of (2, 3), but got torch.Size([2, 4])"},
		{"key value", func() {
			m.Forward(torch.Randn([]int64{3, 2, 8}), torch.Randn([]int64{4, 2, 8}), torch.Randn([]int64{5, 2, 8}))
		},
			"key shape torch.Size([4, 2, 8]) does not match value shape torch.Size([5, 2, 8])"},
		{"separate weights", func() {
			sep.Forward(torch.Randn([]int64{2, 1, 4}), torch.Randn([]int64{3, 1, 2}), torch.Randn([]int64{3, 1, 5}))
		}, "expecting key weights shape of (4, 2), but got torch.Size([4, 3])"},
	} {
		err := torch.Catch(tc.f)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.msg, tc.name)
	}
}

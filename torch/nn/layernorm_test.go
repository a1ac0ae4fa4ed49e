package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// TestLayerNormMatchesPyTorch compares nn.LayerNorm and F.LayerNorm with
// PyTorch's in one Python run: the initial state_dict (bitwise, keys in
// order), the forward values and the gradients of the input, weight and
// bias, for several normalised shapes, eps values, affine or not, and
// weight without bias (F.layer_norm with bias=None, PyTorch 2.1's
// bias=False).
func TestLayerNormMatchesPyTorch(t *testing.T) {
	type lnCase struct {
		Name   string  `json:"name"`
		Shape  []int64 `json:"shape"`
		Input  []int64 `json:"input"`
		Eps    float64 `json:"eps"`
		Affine bool    `json:"affine"`
		NoBias bool    `json:"no_bias"`
	}
	cases := []lnCase{
		{Name: "last", Shape: []int64{8}, Input: []int64{4, 8}, Eps: 1e-5, Affine: true},
		{Name: "two_dims", Shape: []int64{3, 4}, Input: []int64{2, 5, 3, 4}, Eps: 1e-3, Affine: true},
		{Name: "no_affine", Shape: []int64{6}, Input: []int64{3, 2, 6}, Eps: 1e-5, Affine: false},
		{Name: "no_bias", Shape: []int64{5}, Input: []int64{7, 5}, Eps: 1e-6, Affine: true, NoBias: true},
		{Name: "vector", Shape: []int64{10}, Input: []int64{10}, Eps: 0.1, Affine: true},
	}
	tensors := map[string]*torch.Tensor{}
	type goResult struct {
		m       *nn.LayerNorm
		x, y    *torch.Tensor
		initial map[string]*torch.Tensor
	}
	results := map[string]goResult{}
	torch.ManualSeed(3)
	for _, c := range cases {
		m := nn.NewLayerNorm(c.Shape, nn.LayerNormOpts{Eps: &c.Eps, ElementwiseAffine: &c.Affine, Bias: new(!c.NoBias)})
		initial := map[string]*torch.Tensor{}
		for k, v := range nn.StateDict(m) {
			initial[k] = v.Detach().Clone()
		}
		if m.Weight != nil { // values other than ones and zeros, for the gradients
			torch.NoGrad(func() { m.Weight.Copy_(torch.Randn(c.Shape)) })
			tensors[c.Name+"/weight"] = m.Weight.Detach()
		}
		if m.Bias != nil {
			torch.NoGrad(func() { m.Bias.Copy_(torch.Randn(c.Shape)) })
			tensors[c.Name+"/bias"] = m.Bias.Detach()
		}
		x := torch.Randn(c.Input).MulScalar(torch.Float(3)).AddScalar(torch.Float(1)).SetRequiresGrad(true)
		y := m.Forward(x)
		g := torch.Randn(c.Input)
		y.Mul(g).Sum().Backward()
		tensors[c.Name+"/x"], tensors[c.Name+"/g"] = x.Detach(), g
		results[c.Name] = goResult{m, x, y, initial}
	}
	want, py := runCasesInPython(t, cases, tensors, `
for c in cases:
    n = c["name"]
    m = torch.nn.LayerNorm(c["shape"], eps=c["eps"], elementwise_affine=c["affine"])
    reprs[n] = repr(m)
    keys[n] = list(m.state_dict().keys())
    for k, v in m.state_dict().items():
        out[n + "/init/" + k] = v
    x = d[n + "/x"].requires_grad_()
    w = d[n + "/weight"].requires_grad_() if c["affine"] else None
    b = d[n + "/bias"].requires_grad_() if c["affine"] and not c["no_bias"] else None
    y = torch.nn.functional.layer_norm(x, c["shape"], w, b, c["eps"])
    (y * d[n + "/g"]).sum().backward()
    out[n + "/y"] = y.detach()
    out[n + "/grad_x"] = x.grad
    if w is not None: out[n + "/grad_weight"] = w.grad
    if b is not None: out[n + "/grad_bias"] = b.grad
`)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := results[c.Name]
			assert.Equal(t, py.Repr[c.Name], r.m.String(), "repr")
			if !c.NoBias { // PyTorch 1.13 has no bias=False
				assert.Equal(t, py.Keys[c.Name], tfNames(r.m), "state_dict keys in order")
				for _, k := range py.Keys[c.Name] {
					requireBitEqual(t, want[c.Name+"/init/"+k], r.initial[k], "init "+k)
				}
			}
			requireClose(t, want[c.Name+"/y"], r.y, 1e-5, "y")
			requireClose(t, want[c.Name+"/grad_x"], r.x.Grad(), 1e-5, "grad x")
			if r.m.Weight != nil {
				requireClose(t, want[c.Name+"/grad_weight"], r.m.Weight.Grad(), 1e-5, "grad weight")
			}
			if r.m.Bias != nil {
				requireClose(t, want[c.Name+"/grad_bias"], r.m.Bias.Grad(), 1e-5, "grad bias")
			}
		})
	}
}

func TestLayerNorm(t *testing.T) {
	m := nn.NewLayerNorm([]int64{8})
	assert.Equal(t, "LayerNorm((8,), eps=1e-05, elementwise_affine=True)", m.String())
	assert.Equal(t, "LayerNorm((2, 3), eps=0.001, elementwise_affine=False)",
		nn.NewLayerNorm([]int64{2, 3}, nn.LayerNormOpts{Eps: new(1e-3), ElementwiseAffine: new(false)}).String())
	assert.Equal(t, "LayerNorm((4,), eps=1.0, elementwise_affine=True)", nn.NewLayerNorm([]int64{4}, nn.LayerNormOpts{Eps: new(1.0)}).String())
	assert.True(t, m.Weight.RequiresGrad())
	assert.True(t, m.Bias.RequiresGrad())
	assert.Equal(t, 1e-5, m.Eps)

	noAffine := nn.NewLayerNorm([]int64{3}, nn.LayerNormOpts{ElementwiseAffine: new(false)})
	assert.Nil(t, noAffine.Weight)
	assert.Nil(t, noAffine.Bias)
	assert.Empty(t, nn.Parameters(noAffine))
	noBias := nn.NewLayerNorm([]int64{3}, nn.LayerNormOpts{Bias: new(false)})
	assert.NotNil(t, noBias.Weight)
	assert.Nil(t, noBias.Bias)

	// ResetParameters restores ones and zeros.
	torch.NoGrad(func() {
		m.Weight.Copy_(torch.Randn([]int64{8}))
		m.Bias.Copy_(torch.Randn([]int64{8}))
	})
	m.ResetParameters()
	assert.Equal(t, []float32{1, 1, 1, 1, 1, 1, 1, 1}, m.Weight.Float32s())
	assert.Equal(t, []float32{0, 0, 0, 0, 0, 0, 0, 0}, m.Bias.Float32s())

	// The functional form with no weight equals the module without affine.
	x := torch.Randn([]int64{2, 3})
	requireClose(t, noAffine.Forward(x), F.LayerNorm(x, []int64{3}), 0, "functional")

	err := torch.Catch(func() { nn.NewLayerNorm([]int64{-1}) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "negative dimension -1")
	err = torch.Catch(func() { m.Forward(torch.Randn([]int64{2, 5})) })
	require.Error(t, err, "a shape mismatch is libtorch's error")
	assert.Contains(t, err.Error(), "normalized_shape")
}

// tfNames is the names of model's parameters in order: [k for k, _ in
// model.named_parameters()].
func tfNames(model any) []string {
	names := []string{}
	for _, p := range nn.NamedParameters(model) {
		names = append(names, p.Name)
	}
	return names
}

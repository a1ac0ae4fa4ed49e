package nn_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// clipCase is one call of clip_grad_norm_ or clip_grad_value_ on fresh
// copies of the same gradients.
type clipCase struct {
	Name     string  `json:"name"`
	Value    bool    `json:"value"`     // clip_grad_value_(params, MaxNorm)
	MaxNorm  float64 `json:"max_norm"`  // max_norm, or clip_value
	NormType string  `json:"norm_type"` // Python's float(norm_type): "2.0", "inf", ...
	Poison   string  `json:"poison"`    // "inf" or "nan" written into the first gradient
}

// clipGrads gives each of fresh copies of the parameters the gradient
// grads[i] (the gradient of sum(p * g) is g), and returns the copies; the
// last parameter gets none.
func clipGrads(t *testing.T, params, grads []*torch.Tensor) []*torch.Tensor {
	t.Helper()
	out := make([]*torch.Tensor, len(params))
	for i, p := range params {
		out[i] = p.Detach().Clone().SetRequiresGrad(true)
		if i < len(grads) {
			out[i].Mul(grads[i]).Sum().Backward()
		}
	}
	return out
}

// TestClipGradMatchesPyTorch compares ClipGradNorm_'s total norm and the
// clipped gradients, and ClipGradValue_'s gradients, with
// torch.nn.utils.clip_grad_norm_ and clip_grad_value_: p-norms 2, 1, 3.5,
// 0.5 and inf, clipping and not, a 0-d parameter, a parameter without a
// gradient, and nan and inf gradients with and without error_if_nonfinite.
func TestClipGradMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(5)
	params := []*torch.Tensor{torch.Randn([]int64{4, 3}), torch.Randn([]int64{5}), torch.Randn([]int64{}), torch.Randn([]int64{2, 2})}
	grads := []*torch.Tensor{torch.Randn([]int64{4, 3}), torch.Randn([]int64{5}).MulScalar(torch.Float(3)), torch.Randn([]int64{})}
	in := map[string]*torch.Tensor{}
	for i, p := range params {
		in[fmt.Sprintf("p%d", i)] = p
	}
	for i, g := range grads {
		in[fmt.Sprintf("g%d", i)] = g
	}
	var cases []clipCase
	for _, nt := range []string{"2.0", "1.0", "3.5", "0.5", "inf"} {
		cases = append(cases, clipCase{Name: "norm_" + nt + "_clipped", MaxNorm: 0.5, NormType: nt},
			clipCase{Name: "norm_" + nt + "_untouched", MaxNorm: 1e4, NormType: nt})
	}
	cases = append(cases,
		clipCase{Name: "norm_inf_gradient", MaxNorm: 1, NormType: "2.0", Poison: "inf"},
		clipCase{Name: "norm_nan_gradient", MaxNorm: 1, NormType: "inf", Poison: "nan"},
		clipCase{Name: "value_0.3", Value: true, MaxNorm: 0.3},
		clipCase{Name: "value_2", Value: true, MaxNorm: 2},
	)
	path := savePT(t, in)
	out := tempPath(t, "out.pt")
	js, err := json.Marshal(cases)
	require.NoError(t, err)
	var messages map[string]string
	pytorch.JSON(t, `
import sys, json
d = torch.load(sys.argv[1])
res, messages = {}, {}
for c in json.loads(sys.argv[3]):
    params = [d["p%d" % i].clone().requires_grad_() for i in range(4)]
    for i in range(3):
        (params[i] * d["g%d" % i]).sum().backward()
    if c["poison"]:
        with torch.no_grad():
            params[0].grad[1, 2] = float(c["poison"])
    n = c["name"]
    if c["value"]:
        torch.nn.utils.clip_grad_value_(params, c["max_norm"])
    else:
        res[n + ".total"] = torch.nn.utils.clip_grad_norm_(params, c["max_norm"], float(c["norm_type"]))
        if c["poison"]:
            p2 = [d["p%d" % i].clone().requires_grad_() for i in range(4)]
            (p2[0] * d["g0"]).sum().backward()
            with torch.no_grad():
                p2[0].grad[1, 2] = float(c["poison"])
            try:
                torch.nn.utils.clip_grad_norm_(p2, c["max_norm"], float(c["norm_type"]), error_if_nonfinite=True)
            except RuntimeError as e:
                messages[n] = str(e)
    for i in range(3):
        res["%s.g%d" % (n, i)] = params[i].grad
res["none.total"] = torch.nn.utils.clip_grad_norm_([d["p3"].clone().requires_grad_()], 1.0)
torch.save(res, sys.argv[2])
print(json.dumps(messages))
`, &messages, path, out, string(js))
	want := loadPT(t, out)
	require.Contains(t, messages, "norm_inf_gradient", "error_if_nonfinite raised in Python")
	require.Contains(t, messages, "norm_nan_gradient", "error_if_nonfinite raised in Python")

	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			ps := clipGrads(t, params, grads)
			if c.Poison != "" {
				v, err := clipParse(c.Poison)
				require.NoError(t, err)
				g := ps[0].Grad()
				g.Select(0, 1).Select(0, 2).FillScalar_(torch.Float(v))
			}
			if c.Value {
				nn.ClipGradValue_(ps, c.MaxNorm)
			} else {
				nt, err := clipParse(c.NormType)
				require.NoError(t, err)
				total := nn.ClipGradNorm_(ps, c.MaxNorm, nn.ClipGradNormOpts{NormType: &nt})
				w := want[c.Name+".total"]
				require.Equal(t, w.Shape(), total.Shape())
				clipRequireSameFloat(t, w.Item(), total.Item(), "total norm")
			}
			for i := range grads {
				clipRequireBitEqualNaN(t, want[fmt.Sprintf("%s.g%d", c.Name, i)], ps[i].Grad(), fmt.Sprintf("grad %d", i))
			}
			assert.Nil(t, ps[3].Grad(), "the parameter without a gradient keeps none")
			if msg, ok := messages[c.Name]; ok {
				nt, _ := clipParse(c.NormType)
				ps := clipGrads(t, params, grads[:1])
				g := ps[0].Grad()
				v, _ := clipParse(c.Poison)
				g.Select(0, 1).Select(0, 2).FillScalar_(torch.Float(v))
				before := g.Float32s()
				err := torch.Catch(func() {
					nn.ClipGradNorm_(ps, c.MaxNorm, nn.ClipGradNormOpts{NormType: &nt, ErrorIfNonfinite: true})
				})
				require.Error(t, err)
				assert.Equal(t, "torch: ClipGradNorm_: "+msg, err.Error(), "PyTorch's message")
				assert.Equal(t, fmt.Sprint(before), fmt.Sprint(ps[0].Grad().Float32s()), "the gradients are left alone")
			}
		})
	}
	t.Run("no gradients", func(t *testing.T) {
		total := nn.ClipGradNorm_([]*torch.Tensor{params[3].Detach().Clone().SetRequiresGrad(true)}, 1)
		clipRequireSameFloat(t, want["none.total"].Item(), total.Item(), "total norm")
		assert.Equal(t, want["none.total"].DType(), total.DType())
	})
}

func clipParse(s string) (float64, error) {
	var v float64
	switch strings.ToLower(s) {
	case "inf":
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	_, err := fmt.Sscan(s, &v)
	return v, err
}

// clipRequireSameFloat checks two numbers are equal, nan equal to nan.
func clipRequireSameFloat(t *testing.T, want, got float64, name string) {
	t.Helper()
	if math.IsNaN(want) {
		require.True(t, math.IsNaN(got), "%s: PyTorch nan, Go %v", name, got)
		return
	}
	require.Equal(t, want, got, name)
}

// clipRequireBitEqualNaN is requireBitEqual with every nan equal to every nan.
func clipRequireBitEqualNaN(t *testing.T, want, got *torch.Tensor, name string) {
	t.Helper()
	require.Equal(t, want.Shape(), got.Shape(), name)
	w, g := want.Float32s(), got.Float32s()
	for i := range w {
		if math.IsNaN(float64(w[i])) && math.IsNaN(float64(g[i])) {
			continue
		}
		if math.Float32bits(w[i]) != math.Float32bits(g[i]) {
			t.Fatalf("%s[%d]: PyTorch %v (%#x), Go %v (%#x)", name, i, w[i], math.Float32bits(w[i]), g[i], math.Float32bits(g[i]))
		}
	}
}

package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// TestLossesMatchPyTorch computes each loss, and the gradient it sends back
// to its input, in Go and in Python on the same tensors.
func TestLossesMatchPyTorch(t *testing.T) {
	torch.ManualSeed(3)
	logits := torch.Randn([]int64{8, 5})
	target := torch.FromSlice([]int64{0, 4, 2, 2, 1, 3, 2, 0})
	withIgnored := torch.FromSlice([]int64{0, -100, 2, 4, -100, 3, 1, 0})
	logProbs := logits.LogSoftmax(1)
	x, y := torch.Randn([]int64{4, 3}), torch.Randn([]int64{4, 3})

	type forward func(input, target *torch.Tensor) *torch.Tensor
	cases := []struct {
		name          string
		loss          forward
		input, target *torch.Tensor
	}{
		{"ce_default", nn.NewCrossEntropyLoss().Forward, logits, target},
		{"ce_zero_value", (&nn.CrossEntropyLoss{}).Forward, logits, target},
		{"ce_sum", nn.NewCrossEntropyLoss(nn.WithReduction(torch.ReductionSum)).Forward, logits, target},
		{"ce_none", nn.NewCrossEntropyLoss(nn.WithReduction(torch.ReductionNone)).Forward, logits, target},
		{"ce_ignore_default", nn.NewCrossEntropyLoss().Forward, logits, withIgnored},
		{"ce_ignore_2", nn.NewCrossEntropyLoss(nn.WithIgnoreIndex(2)).Forward, logits, target},
		{"ce_smooth", nn.NewCrossEntropyLoss(nn.WithLabelSmoothing(0.1)).Forward, logits, target},
		{"ce_smooth_ignore_sum", nn.NewCrossEntropyLoss(nn.WithLabelSmoothing(0.2), nn.WithIgnoreIndex(2),
			nn.WithReduction(torch.ReductionSum)).Forward, logits, target},
		{"nll_mean", nn.NewNLLLoss().Forward, logProbs, target},
		{"nll_zero_value", (&nn.NLLLoss{}).Forward, logProbs, withIgnored},
		{"nll_sum_ignore", nn.NewNLLLoss(nn.WithReduction(torch.ReductionSum), nn.WithIgnoreIndex(0)).Forward, logProbs, target},
		{"nll_none", nn.NewNLLLoss(nn.WithReduction(torch.ReductionNone)).Forward, logProbs, target},
		{"mse_mean", nn.NewMSELoss().Forward, x, y},
		{"mse_zero_value", (&nn.MSELoss{}).Forward, x, y},
		{"mse_sum", nn.NewMSELoss(nn.WithReduction(torch.ReductionSum)).Forward, x, y},
		{"mse_none", nn.NewMSELoss(nn.WithReduction(torch.ReductionNone)).Forward, x, y},
	}
	in := savePT(t, map[string]*torch.Tensor{"logits": logits, "target": target, "ignored": withIgnored,
		"logp": logProbs, "x": x, "y": y})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
F = torch.nn
d = torch.load(sys.argv[1])
cases = {
    "ce_default": (F.CrossEntropyLoss(), "logits", "target"),
    "ce_zero_value": (F.CrossEntropyLoss(), "logits", "target"),
    "ce_sum": (F.CrossEntropyLoss(reduction="sum"), "logits", "target"),
    "ce_none": (F.CrossEntropyLoss(reduction="none"), "logits", "target"),
    "ce_ignore_default": (F.CrossEntropyLoss(), "logits", "ignored"),
    "ce_ignore_2": (F.CrossEntropyLoss(ignore_index=2), "logits", "target"),
    "ce_smooth": (F.CrossEntropyLoss(label_smoothing=0.1), "logits", "target"),
    "ce_smooth_ignore_sum": (F.CrossEntropyLoss(label_smoothing=0.2, ignore_index=2, reduction="sum"), "logits", "target"),
    "nll_mean": (F.NLLLoss(), "logp", "target"),
    "nll_zero_value": (F.NLLLoss(), "logp", "ignored"),
    "nll_sum_ignore": (F.NLLLoss(reduction="sum", ignore_index=0), "logp", "target"),
    "nll_none": (F.NLLLoss(reduction="none"), "logp", "target"),
    "mse_mean": (F.MSELoss(), "x", "y"),
    "mse_zero_value": (F.MSELoss(), "x", "y"),
    "mse_sum": (F.MSELoss(reduction="sum"), "x", "y"),
    "mse_none": (F.MSELoss(reduction="none"), "x", "y"),
}
res = {}
for name, (loss, i, tg) in cases.items():
    inp = d[i].clone().requires_grad_()
    l = loss(inp, d[tg])
    l.sum().backward()
    res[name] = l.detach()
    res[name + ".grad"] = inp.grad
torch.save(res, sys.argv[2])
`, in, out)
	want := loadPT(t, out)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inp := tc.input.Clone().SetRequiresGrad(true)
			l := tc.loss(inp, tc.target)
			l.Sum().Backward()
			requireClose(t, want[tc.name], l.Detach(), 1e-6, tc.name)
			requireClose(t, want[tc.name+".grad"], inp.Grad(), 1e-6, tc.name+".grad")
		})
	}
}

func TestLossOptions(t *testing.T) {
	ce := nn.NewCrossEntropyLoss()
	assert.Equal(t, torch.ReductionMean, ce.Reduction())
	assert.Equal(t, int64(-100), ce.IgnoreIndex())
	assert.Equal(t, 0.0, ce.LabelSmoothing())
	var zero nn.CrossEntropyLoss
	assert.Equal(t, int64(-100), zero.IgnoreIndex(), "the zero value has PyTorch's defaults")
	assert.Equal(t, torch.ReductionMean, zero.Reduction())
	assert.Equal(t, torch.ReductionMean, (&nn.MSELoss{}).Reduction())
	assert.Equal(t, int64(-100), (&nn.NLLLoss{}).IgnoreIndex())

	nll := nn.NewNLLLoss(nn.WithIgnoreIndex(3), nn.WithReduction(torch.ReductionSum))
	assert.Equal(t, int64(3), nll.IgnoreIndex())
	assert.Equal(t, torch.ReductionSum, nll.Reduction())

	// Arguments PyTorch's class does not have, or values it rejects.
	assert.PanicsWithError(t, "torch: NewMSELoss: MSELoss has no argument ignore_index", func() { nn.NewMSELoss(nn.WithIgnoreIndex(1)) })
	assert.Panics(t, func() { nn.NewNLLLoss(nn.WithLabelSmoothing(0.1)) })
	assert.Panics(t, func() { nn.WithLabelSmoothing(1.5) })
	assert.Panics(t, func() { nn.WithReduction(torch.Reduction(7)) })

	// A wrong target is libtorch's error, which Catch turns into a value.
	err := torch.Catch(func() { ce.Forward(torch.Randn([]int64{2, 3}), torch.FromSlice([]int64{0, 5})) })
	require.Error(t, err)
}

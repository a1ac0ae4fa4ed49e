package nn_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

type poolIndexer interface {
	ForwardWithIndices(x *torch.Tensor) (out, indices *torch.Tensor)
}

// TestPoolingMatchesPyTorch runs each pooling layer of the table in Go and
// in PyTorch and compares the output, the indices (ForwardWithIndices
// against return_indices=True), the gradient of the input for the loss
// sum(y * g), and String with Python's repr, all from one Python run.
func TestPoolingMatchesPyTorch(t *testing.T) {
	cases := []struct {
		py      string
		build   func() nn.Module
		in      []int64
		indices bool
	}{
		{"nn.MaxPool2d(2)", func() nn.Module { return nn.NewMaxPool2d([]int64{2}) }, []int64{2, 3, 8, 7}, true},
		{"nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True)", func() nn.Module {
			return nn.NewMaxPool2d([]int64{3, 2}, nn.MaxPool2dOpts{Stride: []int64{2, 1}, Padding: []int64{1}, Dilation: []int64{1, 2}, CeilMode: true})
		}, []int64{2, 2, 9, 8}, true},
		{"nn.MaxPool2d(3, stride=2)", func() nn.Module {
			return nn.NewMaxPool2d([]int64{3}, nn.MaxPool2dOpts{Stride: []int64{2}})
		}, []int64{3, 7, 9}, false}, // unbatched
		{"nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True)", func() nn.Module {
			return nn.NewMaxPool1d([]int64{3}, nn.MaxPool1dOpts{Stride: []int64{2}, Padding: []int64{1}, CeilMode: true})
		}, []int64{2, 3, 10}, true},
		{"nn.MaxPool1d(4, dilation=2)", func() nn.Module {
			return nn.NewMaxPool1d([]int64{4}, nn.MaxPool1dOpts{Dilation: []int64{2}})
		}, []int64{3, 17}, false},
		{"nn.MaxPool3d(2, stride=(1, 2, 2), padding=1)", func() nn.Module {
			return nn.NewMaxPool3d([]int64{2}, nn.MaxPool3dOpts{Stride: []int64{1, 2, 2}, Padding: []int64{1}})
		}, []int64{1, 2, 4, 5, 6}, true},
		{"nn.AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)", func() nn.Module {
			return nn.NewAvgPool1d([]int64{3}, nn.AvgPool1dOpts{Stride: []int64{2}, Padding: []int64{1}, CeilMode: true, CountIncludePad: new(false)})
		}, []int64{2, 3, 10}, false},
		{"nn.AvgPool1d(2)", func() nn.Module { return nn.NewAvgPool1d([]int64{2}) }, []int64{2, 3, 9}, false},
		{"nn.AvgPool2d(3, stride=2, padding=1)", func() nn.Module {
			return nn.NewAvgPool2d([]int64{3}, nn.AvgPool2dOpts{Stride: []int64{2}, Padding: []int64{1}})
		}, []int64{2, 3, 8, 7}, false},
		{"nn.AvgPool2d((2, 3), stride=(1, 2), padding=1, ceil_mode=True, count_include_pad=False)", func() nn.Module {
			return nn.NewAvgPool2d([]int64{2, 3}, nn.AvgPool2dOpts{Stride: []int64{1, 2}, Padding: []int64{1}, CeilMode: true, CountIncludePad: new(false)})
		}, []int64{2, 2, 6, 8}, false},
		{"nn.AvgPool2d(2, divisor_override=3)", func() nn.Module {
			return nn.NewAvgPool2d([]int64{2}, nn.AvgPool2dOpts{DivisorOverride: new(int64(3))})
		}, []int64{2, 2, 6, 6}, false},
		{"nn.AvgPool3d(2, stride=1, padding=1, count_include_pad=False, divisor_override=5)", func() nn.Module {
			return nn.NewAvgPool3d([]int64{2}, nn.AvgPool3dOpts{Stride: []int64{1}, Padding: []int64{1}, CountIncludePad: new(false), DivisorOverride: new(int64(5))})
		}, []int64{1, 2, 3, 4, 3}, false},
		{"nn.AdaptiveAvgPool1d(4)", func() nn.Module { return nn.NewAdaptiveAvgPool1d([]int64{4}) }, []int64{2, 3, 10}, false},
		{"nn.AdaptiveAvgPool2d((3, 5))", func() nn.Module { return nn.NewAdaptiveAvgPool2d([]int64{3, 5}) }, []int64{2, 3, 7, 9}, false},
		{"nn.AdaptiveAvgPool2d(4)", func() nn.Module { return nn.NewAdaptiveAvgPool2d([]int64{4}) }, []int64{3, 9, 6}, false},
		{"nn.AdaptiveAvgPool3d((2, 3, 2))", func() nn.Module { return nn.NewAdaptiveAvgPool3d([]int64{2, 3, 2}) }, []int64{1, 2, 5, 7, 4}, false},
		{"nn.AdaptiveMaxPool1d(3)", func() nn.Module { return nn.NewAdaptiveMaxPool1d([]int64{3}) }, []int64{2, 3, 10}, true},
		{"nn.AdaptiveMaxPool2d((3, 4))", func() nn.Module { return nn.NewAdaptiveMaxPool2d([]int64{3, 4}) }, []int64{2, 3, 7, 9}, true},
		{"nn.AdaptiveMaxPool3d(2)", func() nn.Module { return nn.NewAdaptiveMaxPool3d([]int64{2}) }, []int64{1, 2, 5, 4, 6}, true},
	}
	torch.ManualSeed(3)
	tensors := map[string]*torch.Tensor{}
	type pyCase struct {
		Py      string `json:"py"`
		Indices bool   `json:"idx"`
	}
	var pyCases []pyCase
	type goResult struct {
		y, idx, xg *torch.Tensor
		str        string
	}
	var results []goResult
	for i, c := range cases {
		m := c.build()
		require.Empty(t, nn.Parameters(m), c.py)
		x := torch.Randn(c.in).SetRequiresGrad(true)
		var r goResult
		var y *torch.Tensor
		if c.indices {
			y, r.idx = m.(poolIndexer).ForwardWithIndices(x)
			yy := m.Forward(x)
			requireBitEqual(t, y.Detach(), yy.Detach(), c.py+": Forward and ForwardWithIndices")
		} else {
			y = m.Forward(x)
		}
		g := torch.Randn(y.Shape())
		y.Mul(g).Sum().Backward()
		p := fmt.Sprintf("%d.", i)
		tensors[p+"x"], tensors[p+"g"] = x.Detach(), g
		r.y, r.xg, r.str = y.Detach(), x.Grad(), fmt.Sprint(m)
		results = append(results, r)
		pyCases = append(pyCases, pyCase{c.py, c.indices})
	}
	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	spec, err := json.Marshal(pyCases)
	require.NoError(t, err)
	var reprs []string
	pytorch.JSON(t, `
import sys, json
nn = torch.nn
d = torch.load(sys.argv[1])
res, reprs = {}, []
for i, c in enumerate(json.loads(sys.argv[2])):
    p = "%d." % i
    m = eval(c["py"])
    reprs.append(repr(m))
    x = d[p + "x"].clone().requires_grad_()
    if c["idx"]:
        m.return_indices = True
        y, res[p + "idx"] = m(x)
    else:
        y = m(x)
    (y * d[p + "g"]).sum().backward()
    res[p + "y"], res[p + "xg"] = y.detach(), x.grad
torch.save(res, sys.argv[3])
print(json.dumps(reprs))
`, &reprs, in, string(spec), out)
	want := loadPT(t, out)
	require.Len(t, reprs, len(cases))
	for i, r := range results {
		p := fmt.Sprintf("%d.", i)
		t.Run(cases[i].py, func(t *testing.T) {
			assert.Equal(t, reprs[i], r.str, "String")
			requireClose(t, want[p+"y"], r.y, 1e-6, "y")
			requireClose(t, want[p+"xg"], r.xg, 1e-6, "x.grad")
			if cases[i].indices {
				assert.Equal(t, torch.Int64, r.idx.DType())
				assert.Equal(t, want[p+"idx"].Shape(), r.idx.Shape())
				assert.Equal(t, want[p+"idx"].Int64s(), r.idx.Int64s(), "indices")
			}
		})
	}
}

// TestPoolingFunctionalMatchesPyTorch calls the functional twins directly,
// with the options the module tests leave out.
func TestPoolingFunctionalMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(9)
	x1, x2, x3 := torch.Randn([]int64{2, 3, 11}), torch.Randn([]int64{2, 3, 9, 8}), torch.Randn([]int64{1, 2, 5, 6, 7})
	m1, i1 := F.MaxPool1dWithIndices(x1, []int64{2}, F.MaxPool1dOpts{Stride: []int64{3}})
	m2, i2 := F.MaxPool2dWithIndices(x2, []int64{3, 2}, F.MaxPool2dOpts{Padding: []int64{1, 0}, CeilMode: true})
	m3, i3 := F.MaxPool3dWithIndices(x3, []int64{3}, F.MaxPool3dOpts{Stride: []int64{2}, Dilation: []int64{1, 2, 1}})
	a1, ai1 := F.AdaptiveMaxPool1dWithIndices(x1, []int64{4})
	a2, ai2 := F.AdaptiveMaxPool2dWithIndices(x2, []int64{5})
	a3, ai3 := F.AdaptiveMaxPool3dWithIndices(x3, []int64{3, 2, 4})
	got := map[string]*torch.Tensor{
		"mp1": F.MaxPool1d(x1, []int64{3}, F.MaxPool1dOpts{Padding: []int64{1}}), "m1": m1, "i1": i1,
		"mp2": F.MaxPool2d(x2, []int64{2}, F.MaxPool2dOpts{Stride: []int64{1}, Dilation: []int64{2}}), "m2": m2, "i2": i2,
		"mp3": F.MaxPool3d(x3, []int64{2, 3, 2}), "m3": m3, "i3": i3,
		"ap1": F.AvgPool1d(x1, []int64{4}, F.AvgPool1dOpts{Stride: []int64{3}, Padding: []int64{2}, CeilMode: true}),
		"ap2": F.AvgPool2d(x2, []int64{3}, F.AvgPool2dOpts{Padding: []int64{1}, CountIncludePad: new(false), CeilMode: true}),
		"ap3": F.AvgPool3d(x3, []int64{2}, F.AvgPool3dOpts{DivisorOverride: new(int64(3))}),
		"aa1": F.AdaptiveAvgPool1d(x1, []int64{5}), "aa2": F.AdaptiveAvgPool2d(x2, []int64{4, 3}), "aa3": F.AdaptiveAvgPool3d(x3, []int64{2}),
		"am1": F.AdaptiveMaxPool1d(x1, []int64{4}), "a1": a1, "ai1": ai1,
		"am2": F.AdaptiveMaxPool2d(x2, []int64{5}), "a2": a2, "ai2": ai2,
		"am3": F.AdaptiveMaxPool3d(x3, []int64{3, 2, 4}), "a3": a3, "ai3": ai3,
	}
	in := savePT(t, map[string]*torch.Tensor{"x1": x1, "x2": x2, "x3": x3})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
F = torch.nn.functional
d = torch.load(sys.argv[1])
x1, x2, x3 = d["x1"], d["x2"], d["x3"]
r = {}
r["m1"], r["i1"] = F.max_pool1d(x1, 2, stride=3, return_indices=True)
r["m2"], r["i2"] = F.max_pool2d(x2, (3, 2), padding=(1, 0), ceil_mode=True, return_indices=True)
r["m3"], r["i3"] = F.max_pool3d(x3, 3, stride=2, dilation=(1, 2, 1), return_indices=True)
r["a1"], r["ai1"] = F.adaptive_max_pool1d(x1, 4, return_indices=True)
r["a2"], r["ai2"] = F.adaptive_max_pool2d(x2, 5, return_indices=True)
r["a3"], r["ai3"] = F.adaptive_max_pool3d(x3, (3, 2, 4), return_indices=True)
r.update({
    "mp1": F.max_pool1d(x1, 3, padding=1),
    "mp2": F.max_pool2d(x2, 2, stride=1, dilation=2),
    "mp3": F.max_pool3d(x3, (2, 3, 2)),
    "ap1": F.avg_pool1d(x1, 4, stride=3, padding=2, ceil_mode=True),
    "ap2": F.avg_pool2d(x2, 3, padding=1, count_include_pad=False, ceil_mode=True),
    "ap3": F.avg_pool3d(x3, 2, divisor_override=3),
    "aa1": F.adaptive_avg_pool1d(x1, 5),
    "aa2": F.adaptive_avg_pool2d(x2, (4, 3)),
    "aa3": F.adaptive_avg_pool3d(x3, 2),
    "am1": F.adaptive_max_pool1d(x1, 4),
    "am2": F.adaptive_max_pool2d(x2, 5),
    "am3": F.adaptive_max_pool3d(x3, (3, 2, 4)),
})
torch.save(r, sys.argv[2])
`, in, out)
	want := loadPT(t, out)
	require.Len(t, want, len(got))
	for k, g := range got {
		w := want[k]
		if w.DType() == torch.Int64 {
			assert.Equal(t, torch.Int64, g.DType(), k)
			assert.Equal(t, w.Shape(), g.Shape(), k)
			assert.Equal(t, w.Int64s(), g.Int64s(), k)
			continue
		}
		requireClose(t, w, g, 1e-6, k)
	}
}

// TestPoolingErrors checks that libtorch's errors for bad pooling sizes
// reach Go as errors naming the problem, as PyTorch raises them.
func TestPoolingErrors(t *testing.T) {
	x := torch.Randn([]int64{1, 2, 6, 6})
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { nn.NewMaxPool2d([]int64{2}, nn.MaxPool2dOpts{Padding: []int64{2}}).Forward(x) }, "pad should be at most half of"}, // "... effective kernel size" from 2.x on
		{func() { nn.NewAvgPool2d([]int64{3}, nn.AvgPool2dOpts{Padding: []int64{2}}).Forward(x) }, "pad should be at most half of"}, // "... effective kernel size" from 2.x on
		{func() { nn.NewMaxPool2d([]int64{2, 2, 2}).Forward(x) }, "kernel_size must have 2 elements (or 1 for all), got 3"},
		{func() { nn.NewAdaptiveAvgPool2d([]int64{2, 2, 2}).Forward(x) }, "output_size must have 2 elements (or 1 for all), got 3"},
		{func() { nn.NewMaxPool2d([]int64{3}).Forward(torch.Randn([]int64{1, 2, 2, 2})) }, "Output size is too small"},
		{func() { nn.NewAvgPool2d([]int64{2}, nn.AvgPool2dOpts{DivisorOverride: new(int64(0))}).Forward(x) }, "divisor must be not zero"},
	} {
		err := torch.Catch(c.f)
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestPoolingDefaults(t *testing.T) {
	m := nn.NewMaxPool2d([]int64{3, 2})
	assert.Equal(t, []int64{3, 2}, m.Stride, "stride defaults to the kernel size")
	assert.Equal(t, []int64{0}, m.Padding)
	assert.Equal(t, []int64{1}, m.Dilation)
	a := nn.NewAvgPool2d([]int64{2})
	assert.True(t, a.CountIncludePad)
	assert.Nil(t, a.DivisorOverride)
	assert.Equal(t, "AvgPool1d(kernel_size=(2,), stride=(1,), padding=(0,))",
		nn.NewAvgPool1d([]int64{2}, nn.AvgPool1dOpts{Stride: []int64{1}}).String())
	x := torch.Randn([]int64{1, 1, 4, 4})
	assert.Equal(t, torch.Size{1, 1, 1, 2}, m.Forward(x).Shape())
}

package torch_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// Strides, StorageOffset and the metadata bits of views agree with
// Python's Tensor.stride(), storage_offset(), is_conj(), is_neg(),
// is_inference(), is_contiguous() and get_device().
func TestManualMetadataMatchesPyTorch(t *testing.T) {
	cases := []struct {
		py string
		f  func() *torch.Tensor
	}{
		{"x", func() *torch.Tensor { return torch.Arange(0, 24, 1).Reshape(2, 3, 4) }},
		{"x.transpose(0, 2)", func() *torch.Tensor { return torch.Arange(0, 24, 1).Reshape(2, 3, 4).Transpose(0, 2) }},
		{"x[:, 1]", func() *torch.Tensor { return torch.Arange(0, 24, 1).Reshape(2, 3, 4).Index(torch.Slice(nil, nil), 1) }},
		{"x[1, :, ::2]", func() *torch.Tensor {
			return torch.Arange(0, 24, 1).Reshape(2, 3, 4).Index(1, torch.Slice(nil, nil), torch.Slice(nil, nil, 2))
		}},
		{"x[None, ..., 2:]", func() *torch.Tensor {
			return torch.Arange(0, 24, 1).Reshape(2, 3, 4).Index(torch.None, torch.Ellipsis, torch.Slice(2, nil))
		}},
		{"x[0, 0, 0]", func() *torch.Tensor { return torch.Arange(0, 24, 1).Reshape(2, 3, 4).Index(0, 0, 0) }},
		{"x[:, 1:2].expand(2, 5, 4)", func() *torch.Tensor {
			return torch.Arange(0, 24, 1).Reshape(2, 3, 4).Index(torch.Slice(nil, nil), torch.Slice(1, 2)).Expand([]int64{2, 5, 4})
		}},
		{"c", func() *torch.Tensor { return torch.FromSlice([]complex64{1 + 2i, 3 - 1i}) }},
		{"c.conj()", func() *torch.Tensor { return torch.FromSlice([]complex64{1 + 2i, 3 - 1i}).Conj() }},
		{"c.conj().imag", func() *torch.Tensor { return torch.Imag(torch.FromSlice([]complex64{1 + 2i, 3 - 1i}).Conj()) }},
		{"c.conj().resolve_conj()", func() *torch.Tensor { return torch.FromSlice([]complex64{1 + 2i, 3 - 1i}).Conj().ResolveConj() }},
		{"x.float().conj()", func() *torch.Tensor { return torch.Arange(0, 24, 1).Reshape(2, 3, 4).ToDType(torch.Float32).Conj() }},
	}
	type meta struct {
		Strides    []int64 `json:"strides"`
		Offset     int64   `json:"offset"`
		Conj       bool    `json:"conj"`
		Neg        bool    `json:"neg"`
		Inference  bool    `json:"inference"`
		Contiguous bool    `json:"contiguous"`
		Device     int     `json:"device"`
		Values     string  `json:"values"`
	}
	exprs := make([]string, len(cases))
	for i, c := range cases {
		exprs[i] = c.py
	}
	arg, err := json.Marshal(exprs)
	require.NoError(t, err)
	var want []meta
	pytorch.JSON(t, `
import json, sys
out = []
for expr in json.loads(sys.argv[1]):
    x = torch.arange(24).reshape(2, 3, 4)
    c = torch.tensor([1+2j, 3-1j])
    r = eval(expr)
    out.append({"strides": list(r.stride()), "offset": r.storage_offset(), "conj": r.is_conj(),
                "neg": r.is_neg(), "inference": r.is_inference(), "contiguous": r.is_contiguous(),
                "device": r.get_device(), "values": str(r)})
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		t.Run(c.py, func(t *testing.T) {
			r := c.f()
			got := meta{r.Strides(), r.StorageOffset(), r.IsConj(), r.IsNeg(), r.IsInference(), r.IsContiguous(), r.GetDevice(), r.String()}
			assert.Equal(t, want[i], got)
			for d, s := range want[i].Strides {
				assert.Equal(t, s, r.Stride(d))
				assert.Equal(t, s, r.Stride(d-len(want[i].Strides)))
			}
		})
	}
}

// Conj is a lazy view: it shares the storage, so a write to the tensor shows
// through it conjugated.
func TestConjIsALazyView(t *testing.T) {
	c := torch.FromSlice([]complex64{1 + 2i, 3 - 1i})
	cc := c.Conj()
	assert.True(t, cc.IsConj())
	assert.False(t, c.IsConj())
	c.IndexPutScalar_(torch.ComplexScalar(5+5i), 0)
	assert.Equal(t, []complex64{5 - 5i, 3 + 1i}, cc.Complex64s())
	assert.Equal(t, []complex64{5 - 5i, 3 + 1i}, cc.ResolveConj().Complex64s())
	assert.False(t, cc.ResolveConj().IsConj())
}

func TestStrideErrorsMatchPyTorch(t *testing.T) {
	var want []string
	pytorch.JSON(t, `
import json
out = []
for f in [lambda: torch.ones(2, 3).stride(2), lambda: torch.ones(2, 3).stride(-3), lambda: torch.tensor(1.).stride(0)]:
    try:
        f()
        out.append("")
    except Exception as e:
        out.append(type(e).__name__ + ": " + str(e))
print(json.dumps(out))
`, &want)
	x := torch.Ones([]int64{2, 3})
	for i, f := range []func(){func() { x.Stride(2) }, func() { x.Stride(-3) }, func() { torch.Full(nil, torch.Float(1)).Stride(0) }} {
		err := torch.Catch(f)
		require.Error(t, err)
		var te *torch.Error
		require.ErrorAs(t, err, &te)
		assert.Equal(t, want[i], te.Kind.String()+": "+te.Msg)
	}
	assert.Empty(t, torch.Full(nil, torch.Float(1)).Strides())
}

// RetainGrad keeps a non-leaf's gradient, as Tensor.retain_grad() does:
// b = a * 2; b.retain_grad(); b.sum().backward(); b.grad is ones.
func TestRetainGrad(t *testing.T) {
	a := torch.Ones([]int64{3}, torch.WithRequiresGrad())
	b := a.MulScalar(torch.Int(2))
	assert.False(t, a.RetainsGrad(), "a leaf: retains_grad is False")
	assert.False(t, b.RetainsGrad())
	b.RetainGrad()
	assert.True(t, b.RetainsGrad())
	b.Sum().Backward()
	require.NotNil(t, b.Grad())
	assert.Equal(t, []float32{1, 1, 1}, b.Grad().Float32s())
	assert.Equal(t, []float32{2, 2, 2}, a.Grad().Float32s())

	a.RetainGrad() // a leaf: nothing to do
	assert.False(t, a.RetainsGrad())

	// torch.ones(2).retain_grad(): RuntimeError
	err := torch.Catch(func() { torch.Ones([]int64{2}).RetainGrad() })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "can't retain_grad on Tensor that has requires_grad=False")
}

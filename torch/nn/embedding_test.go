package nn_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// TestEmbeddingMatchesPyTorch checks, in one Python run, nn.Embedding's
// initial weights (bitwise after the same seed, padding rows zero), its
// output and weight gradient (the padding row's is zero) for each option,
// max_norm's in-place renormalisation, from_pretrained, F.embedding with
// a negative padding_idx, and the reprs.
func TestEmbeddingMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(21)
	layers := []*nn.Embedding{
		nn.NewEmbedding(10, 3),
		nn.NewEmbedding(10, 3, nn.EmbeddingOpts{PaddingIdx: new(int64(0))}),
		nn.NewEmbedding(7, 4, nn.EmbeddingOpts{PaddingIdx: new(int64(-2))}),
		nn.NewEmbedding(6, 5, nn.EmbeddingOpts{MaxNorm: new(1.0)}),
		nn.NewEmbedding(6, 5, nn.EmbeddingOpts{MaxNorm: new(2.0), NormType: new(1.0), PaddingIdx: new(int64(3))}),
		nn.NewEmbedding(8, 2, nn.EmbeddingOpts{ScaleGradByFreq: true, PaddingIdx: new(int64(1))}),
	}
	const py = `
layers = [
    torch.nn.Embedding(10, 3),
    torch.nn.Embedding(10, 3, padding_idx=0),
    torch.nn.Embedding(7, 4, padding_idx=-2),
    torch.nn.Embedding(6, 5, max_norm=1.0),
    torch.nn.Embedding(6, 5, max_norm=2.0, norm_type=1.0, padding_idx=3),
    torch.nn.Embedding(8, 2, scale_grad_by_freq=True, padding_idx=1),
]`
	tensors := map[string]*torch.Tensor{}
	inits := make([]*torch.Tensor, len(layers))
	for i, l := range layers {
		inits[i] = l.Weight.Detach().Clone()
		// Every index, some twice, the padding row among them.
		idx := torch.RandInt(0, l.NumEmbeddings, []int64{3, 4}, torch.WithDType(torch.Int64))
		idx = torch.Cat([]*torch.Tensor{idx.Flatten(), torch.Arange(0, float64(l.NumEmbeddings), 1, torch.WithDType(torch.Int64))})
		tensors[fmt.Sprint("idx", i)] = idx
		tensors[fmt.Sprint("g", i)] = torch.Randn([]int64{idx.Size(0), l.EmbeddingDim})
	}
	pre := torch.Randn([]int64{5, 3})
	tensors["pre"] = pre
	tensors["preidx"] = torch.FromSlice([]int64{4, 0, 2, 2, 1}, 5)
	tensors["preg"] = torch.Randn([]int64{5, 3})
	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	var reprs []string
	pytorch.JSON(t, `
import sys, json
torch.manual_seed(21)
`+py+`
d = torch.load(sys.argv[1])
r, reprs = {}, []
for i, l in enumerate(layers):
    reprs.append(repr(l))
    r["init%d" % i] = l.weight.detach().clone()
    y = l(d["idx%d" % i])
    (y * d["g%d" % i]).sum().backward()
    r["y%d" % i] = y.detach()
    r["grad%d" % i] = l.weight.grad
    r["after%d" % i] = l.weight.detach()
frozen = torch.nn.Embedding.from_pretrained(d["pre"])
free = torch.nn.Embedding.from_pretrained(d["pre"], freeze=False, padding_idx=2)
reprs += [repr(frozen), repr(free)]
r["frozen"] = frozen(d["preidx"])
y = free(d["preidx"])
(y * d["preg"]).sum().backward()
r["free"], r["freegrad"] = y.detach(), free.weight.grad
w = d["pre"].clone().requires_grad_()
y = torch.nn.functional.embedding(d["preidx"], w, padding_idx=-1)
(y * d["preg"]).sum().backward()
r["f"], r["fgrad"] = y.detach(), w.grad
torch.save(r, sys.argv[2])
print(json.dumps(reprs))
`, &reprs, in, out)
	want := loadPT(t, out)

	for i, l := range layers {
		name := fmt.Sprintf("layer %d (%s)", i, l)
		assert.Equal(t, reprs[i], l.String(), name)
		requireBitEqual(t, want[fmt.Sprint("init", i)], inits[i], name+" init")
		if l.PaddingIdx != nil {
			assert.Equal(t, make([]float64, l.EmbeddingDim), inits[i].Select(0, *l.PaddingIdx).Float64s(), "the padding row starts at zero")
		}
		y := l.Forward(tensors[fmt.Sprint("idx", i)])
		y.Mul(tensors[fmt.Sprint("g", i)]).Sum().Backward()
		requireClose(t, want[fmt.Sprint("y", i)], y.Detach(), 1e-6, name+" y")
		requireClose(t, want[fmt.Sprint("grad", i)], l.Weight.Grad(), 1e-5, name+" grad")
		requireClose(t, want[fmt.Sprint("after", i)], l.Weight.Detach(), 1e-6, name+" weight after forward (max_norm)")
		if l.PaddingIdx != nil {
			assert.Equal(t, make([]float64, l.EmbeddingDim), l.Weight.Grad().Select(0, *l.PaddingIdx).Float64s(), "the padding row gets no gradient")
		}
	}
	assert.Equal(t, int64(5), *layers[2].PaddingIdx, "a negative padding_idx counts from the end")

	frozen := nn.NewEmbeddingFromPretrained(pre)
	free := nn.NewEmbeddingFromPretrained(pre, nn.EmbeddingFromPretrainedOpts{Freeze: new(false), PaddingIdx: new(int64(2))})
	assert.Equal(t, reprs[len(layers)], frozen.String())
	assert.Equal(t, reprs[len(layers)+1], free.String())
	assert.False(t, frozen.Weight.RequiresGrad(), "freeze=True by default")
	assert.True(t, free.Weight.RequiresGrad())
	requireBitEqual(t, want["frozen"], frozen.Forward(tensors["preidx"]), "from_pretrained")
	y := free.Forward(tensors["preidx"])
	y.Mul(tensors["preg"]).Sum().Backward()
	requireBitEqual(t, want["free"], y.Detach(), "from_pretrained, not frozen")
	requireClose(t, want["freegrad"], free.Weight.Grad(), 1e-6, "from_pretrained grad")

	w := pre.Clone().SetRequiresGrad(true)
	y = F.Embedding(tensors["preidx"], w, F.EmbeddingOpts{PaddingIdx: new(int64(-1))})
	y.Mul(tensors["preg"]).Sum().Backward()
	requireBitEqual(t, want["f"], y.Detach(), "F.embedding")
	requireClose(t, want["fgrad"], w.Grad(), 1e-6, "F.embedding grad")
}

func TestEmbedding(t *testing.T) {
	e := nn.NewEmbedding(4, 3)
	assert.Equal(t, "Embedding(4, 3)", e.String())
	assert.True(t, e.Weight.RequiresGrad())
	assert.Equal(t, torch.Size{4, 3}, e.Weight.Shape())
	assert.Equal(t, torch.Size{2, 5, 3}, e.Forward(torch.Zeros([]int64{2, 5}, torch.WithDType(torch.Int64))).Shape())
	assert.Len(t, nn.Parameters(e), 1)

	pre := torch.Randn([]int64{4, 2})
	shared := nn.NewEmbeddingFromPretrained(pre)
	torch.NoGrad(func() { pre.FillScalar_(torch.Float(7)) })
	assert.Equal(t, []float64{7, 7, 7, 7, 7, 7, 7, 7}, shared.Weight.Float64s(), "from_pretrained shares the tensor's storage, as nn.Parameter does")

	for _, c := range []struct {
		name string
		f    func()
		msg  string
	}{
		{"padding_idx too large", func() { nn.NewEmbedding(4, 3, nn.EmbeddingOpts{PaddingIdx: new(int64(4))}) }, "Padding_idx must be within num_embeddings"},
		{"padding_idx too small", func() { nn.NewEmbedding(4, 3, nn.EmbeddingOpts{PaddingIdx: new(int64(-5))}) }, "Padding_idx must be within num_embeddings"},
		{"F padding_idx", func() {
			F.Embedding(torch.Zeros([]int64{2}, torch.WithDType(torch.Int64)), pre, F.EmbeddingOpts{PaddingIdx: new(int64(9))})
		},
			"Padding_idx must be within num_embeddings"},
		{"not 2-D", func() { nn.NewEmbeddingFromPretrained(torch.Zeros([]int64{3})) }, "Embeddings parameter is expected to be 2-dimensional"},
		{"index out of range", func() { e.Forward(torch.FromSlice([]int64{4}, 1)) }, "index out of range"},
		{"float indices", func() { e.Forward(torch.Zeros([]int64{2})) }, "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := torch.Catch(c.f)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}

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
)

// TestIdentityUnflattenMatchPyTorch compares nn.Identity and nn.Unflatten
// (values, shapes, reprs) with PyTorch's, in one Python run.
func TestIdentityUnflattenMatchPyTorch(t *testing.T) {
	cases := []struct {
		dim   int64
		sizes []int64
		shape []int64
	}{
		{1, []int64{2, 5}, []int64{3, 10}},
		{-1, []int64{2, -1}, []int64{3, 4, 6}},
		{0, []int64{12}, []int64{12, 2}},
		{1, []int64{2, 1, 3}, []int64{2, 6, 2}},
	}
	type pyCase struct {
		Dim   int64   `json:"dim"`
		Sizes []int64 `json:"sizes"`
	}
	tensors := map[string]*torch.Tensor{}
	var spec []pyCase
	torch.ManualSeed(3)
	for i, c := range cases {
		tensors[fmt.Sprint("x", i)] = torch.Randn(c.shape)
		spec = append(spec, pyCase{c.dim, c.sizes})
	}
	js, err := json.Marshal(spec)
	require.NoError(t, err)
	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	var reprs []string
	pytorch.JSON(t, `
import sys, json
d = torch.load(sys.argv[1])
spec = json.loads(sys.argv[2])
res, reprs = {}, [repr(torch.nn.Identity())]
for i, c in enumerate(spec):
    u = torch.nn.Unflatten(c["dim"], tuple(c["sizes"]))
    reprs.append(repr(u))
    res["u%d" % i] = u(d["x%d" % i])
    res["id%d" % i] = torch.nn.Identity()(d["x%d" % i])
torch.save(res, sys.argv[3])
print(json.dumps(reprs))
`, &reprs, in, string(js), out)
	want := loadPT(t, out)
	assert.Equal(t, reprs[0], nn.NewIdentity().String())
	for i, c := range cases {
		x := tensors[fmt.Sprint("x", i)]
		u := nn.NewUnflatten(c.dim, c.sizes)
		assert.Equal(t, reprs[i+1], u.String())
		requireBitEqual(t, want[fmt.Sprint("u", i)], u.Forward(x), fmt.Sprint("unflatten ", i))
		got := nn.NewIdentity().Forward(x)
		assert.Same(t, x, got, "Identity returns its input")
		requireBitEqual(t, want[fmt.Sprint("id", i)], got, fmt.Sprint("identity ", i))
	}
}

func TestUnflatten(t *testing.T) {
	sizes := []int64{2, 5}
	u := nn.NewUnflatten(1, sizes)
	sizes[0] = 7
	assert.Equal(t, []int64{2, 5}, u.UnflattenedSize, "the constructor copies the sizes")
	assert.Empty(t, nn.Parameters(u))
	assert.Empty(t, nn.Parameters(nn.NewIdentity()))
	x := torch.Arange(0, 20, 1).Reshape(2, 10)
	y := u.Forward(x)
	assert.Equal(t, torch.Size{2, 2, 5}, y.Shape())
	// A round trip through Flatten.
	assert.Equal(t, x.Float64s(), nn.NewFlatten().Forward(y).Float64s())
	err := torch.Catch(func() { nn.NewUnflatten(1, []int64{3, 4}).Forward(x) })
	require.Error(t, err, "sizes that do not multiply to the dimension's size")
	assert.Contains(t, err.Error(), "unflatten")
	// Layers in a Sequential.
	seq := nn.NewSequential(nn.NewIdentity(), nn.NewUnflatten(1, []int64{5, 2}))
	assert.Equal(t, torch.Size{2, 5, 2}, seq.Forward(x).Shape())
	assert.Equal(t, "Sequential(\n  (0): Identity()\n  (1): Unflatten(dim=1, unflattened_size=(5, 2))\n)", seq.String())
}

package torch_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// indexCases run on x = torch.arange(24).reshape(2, 3, 4) in both languages:
// py is the Python statement (r is the result; for an assignment, x after
// it), f the Go twin.
var indexCases = []struct {
	py string
	f  func(x *torch.Tensor) *torch.Tensor
}{
	// get: integers, slices, ..., None (views)
	{"r = x[1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(1) }},
	{"r = x[-1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(int64(-1)) }},
	{"r = x[0, 1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(0, 1) }},
	{"r = x[0, -1, 2]", func(x *torch.Tensor) *torch.Tensor { return x.Index(0, int32(-1), uint8(2)) }},
	{"r = x[:, 1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(nil, nil), 1) }},
	{"r = x[..., 1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis, 1) }},
	{"r = x[..., None]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis, torch.None) }},
	{"r = x[None]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.None) }},
	{"r = x[None, ..., None, 0]", func(x *torch.Tensor) *torch.Tensor {
		return x.Index(torch.None, torch.Ellipsis, torch.None, 0)
	}},
	{"r = x[1:]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(1, nil)) }},
	{"r = x[:, ::2]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(nil, nil), torch.Slice(nil, nil, 2)) }},
	{"r = x[:, 1:3, 1::2]", func(x *torch.Tensor) *torch.Tensor {
		return x.Index(torch.Slice(nil, nil), torch.Slice(1, 3), torch.Slice(1, nil, 2))
	}},
	{"r = x[:, :-1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(nil, nil), torch.Slice(nil, -1)) }},
	{"r = x[-5:10]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(-5, 10)) }},
	{"r = x[..., 3:1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis, torch.Slice(3, 1)) }},
	{"r = x[...]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis) }},
	{"r = x[..., ...]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis, torch.Ellipsis) }},
	{"r = x[()]", func(x *torch.Tensor) *torch.Tensor { return x.Index() }},
	{"r = x[torch.tensor(1)]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.FromSlice([]int64{1}).Reshape()) }},
	// get: errors
	{"r = x[::-1]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(nil, nil, -1)) }},
	{"r = x[::0]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(nil, nil, 0)) }},
	{"r = x[2]", func(x *torch.Tensor) *torch.Tensor { return x.Index(2) }},
	{"r = x[..., -5]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis, -5) }},
	{"r = x[0, 0, 0, 0]", func(x *torch.Tensor) *torch.Tensor { return x.Index(0, 0, 0, 0) }},
	{"r = x[torch.tensor([1.5])]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.FromSlice([]float32{1.5})) }},
	{"r = x[[5]]", func(x *torch.Tensor) *torch.Tensor { return x.Index([]int{5}) }},
	{"r = x[torch.tensor([True, False, True])]", func(x *torch.Tensor) *torch.Tensor {
		return x.Index(torch.FromSlice([]bool{true, false, true}))
	}},
	// get: masks, index tensors, lists, bools (advanced indexing)
	{"r = x[x > 10]", func(x *torch.Tensor) *torch.Tensor { return x.Index(x.GtScalar(torch.Int(10))) }},
	{"r = x[torch.tensor([1, 0])]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.FromSlice([]int64{1, 0})) }},
	{"r = x[[0, 1, 1]]", func(x *torch.Tensor) *torch.Tensor { return x.Index([]int{0, 1, 1}) }},
	{"r = x[:, [0, 2]]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Slice(nil, nil), []int64{0, 2}) }},
	{"r = x[0, [0, 2], [1, 3]]", func(x *torch.Tensor) *torch.Tensor { return x.Index(0, []int{0, 2}, []int{1, 3}) }},
	{"r = x[:, [0, 2], 1:3]", func(x *torch.Tensor) *torch.Tensor {
		return x.Index(torch.Slice(nil, nil), []int32{0, 2}, torch.Slice(1, 3))
	}},
	{"r = x[[0, 1], :, [1, 3]]", func(x *torch.Tensor) *torch.Tensor {
		return x.Index([]int{0, 1}, torch.Slice(nil, nil), []int{1, 3})
	}},
	{"r = x[torch.tensor([[0], [1]]), torch.tensor([0, 2])]", func(x *torch.Tensor) *torch.Tensor {
		return x.Index(torch.FromSlice([]int64{0, 1}, 2, 1), torch.FromSlice([]int64{0, 2}))
	}},
	{"r = x[True]", func(x *torch.Tensor) *torch.Tensor { return x.Index(true) }},
	{"r = x[False]", func(x *torch.Tensor) *torch.Tensor { return x.Index(false) }},
	{"r = x[torch.tensor([True, False])]", func(x *torch.Tensor) *torch.Tensor { return x.Index([]bool{true, false}) }},
	{"r = x[0, [True, False, True]]", func(x *torch.Tensor) *torch.Tensor { return x.Index(0, []bool{true, false, true}) }},
	{"r = x[..., [-1, 0]]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.Ellipsis, []int{-1, 0}) }},
	{"r = x[None, 1, [2, 0]]", func(x *torch.Tensor) *torch.Tensor { return x.Index(torch.None, 1, []int{2, 0}) }},

	// set
	{"x[0] = 0; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(0), 0) }},
	{"x[..., -1] = -1; r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPutScalar_(torch.Int(-1), torch.Ellipsis, -1)
	}},
	{"x[:, 1] = torch.tensor([100, 200, 300, 400]); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{100, 200, 300, 400}), torch.Slice(nil, nil), 1)
	}},
	{"x[x > 10] = 0; r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPutScalar_(torch.Int(0), x.GtScalar(torch.Int(10)))
	}},
	{"x[[0, 1], 0, [1, 2]] = torch.tensor([7, 8]); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{7, 8}), []int{0, 1}, 0, []int{1, 2})
	}},
	{"x[None] = 5; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(5), torch.None) }},
	{"x[1:, ::2] = torch.tensor([[-1], [-2]]); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{-1, -2}, 2, 1), torch.Slice(1, nil), torch.Slice(nil, nil, 2))
	}},
	{"x[0] = 2.7; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Float(2.7), 0) }},
	{"x[torch.tensor([True, False])] = torch.tensor(9); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{9}).Reshape(), []bool{true, false})
	}},
	{"x[...] = torch.arange(4); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.Arange(0, 4, 1), torch.Ellipsis)
	}},
	{"x[False] = 1; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(1), false) }},
	{"x[True] = 1; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(1), true) }},
	{"x[1, [0, 0], 0] = torch.tensor([3, 4]); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{3, 4}), 1, []int{0, 0}, 0)
	}},
	{"x[()] = 3; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(3)) }},
	{"x[::-1] = 0; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(0), torch.Slice(nil, nil, -1)) }},
	{"x[5] = 0; r = x", func(x *torch.Tensor) *torch.Tensor { return x.IndexPutScalar_(torch.Int(0), 5) }},
	{"x[:, 0] = torch.tensor([1, 2]); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{1, 2}), torch.Slice(nil, nil), 0)
	}},
	{"x[[0], [0]] = torch.tensor([1.5]); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]float32{1.5}), []int{0}, []int{0})
	}},
	{"x[:, [0, 2]] = torch.tensor([[5], [6]]).unsqueeze(1); r = x", func(x *torch.Tensor) *torch.Tensor {
		return x.IndexPut_(torch.FromSlice([]int64{5, 6}, 2, 1, 1), torch.Slice(nil, nil), []int{0, 2})
	}},
}

type indexResult struct {
	Err   string  `json:"err"`
	Shape []int64 `json:"shape"`
	Vals  []int64 `json:"vals"`
}

func TestIndexMatchesPyTorch(t *testing.T) {
	stmts := make([]string, len(indexCases))
	for i, c := range indexCases {
		stmts[i] = c.py
	}
	arg, err := json.Marshal(stmts)
	require.NoError(t, err)
	var want []indexResult
	pytorch.JSON(t, `
import json, sys
out = []
for stmt in json.loads(sys.argv[1]):
    x = torch.arange(24).reshape(2, 3, 4)
    try:
        env = {"x": x, "torch": torch}
        exec(stmt, env)
        r = env["r"]
        out.append({"err": "", "shape": list(r.shape), "vals": r.flatten().tolist()})
    except Exception as e:
        out.append({"err": type(e).__name__, "shape": None, "vals": None})
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(indexCases))

	for i, c := range indexCases {
		t.Run(c.py, func(t *testing.T) {
			x := torch.Arange(0, 24, 1).Reshape(2, 3, 4)
			var r *torch.Tensor
			err := torch.Catch(func() { r = c.f(x) })
			if want[i].Err != "" {
				require.Error(t, err, "Python raised %s", want[i].Err)
				var te *torch.Error
				require.ErrorAs(t, err, &te)
				assert.Equal(t, want[i].Err, te.Kind.String(), te.Msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, torch.Size(want[i].Shape), r.Shape())
			assert.Equal(t, want[i].Vals, r.Int64s())
		})
	}
}

// As in Python, integers, slices, ... and None give views: writing through
// one changes the tensor; advanced indexing copies.
func TestIndexViewsShareStorage(t *testing.T) {
	x := torch.Arange(0, 12, 1).Reshape(3, 4)
	col := x.Index(torch.Slice(nil, nil), 1) // x[:, 1]
	assert.Equal(t, []int64{1, 5, 9}, col.Int64s())
	assert.Equal(t, int64(1), col.StorageOffset())
	assert.Equal(t, []int64{4}, col.Strides())
	col.IndexPutScalar_(torch.Int(-7), torch.Ellipsis) // col[...] = -7
	assert.Equal(t, []int64{0, -7, 2, 3, 4, -7, 6, 7, 8, -7, 10, 11}, x.Int64s())

	row := x.Index(-1, torch.Slice(nil, nil, 2)) // x[-1, ::2]
	row.MulScalar_(torch.Int(10))
	assert.Equal(t, []int64{80, -7, 100, 11}, x.Index(-1).Int64s())

	x.Index(torch.None, 0).FillScalar_(torch.Int(1)) // x[None, 0].fill_(1)
	assert.Equal(t, []int64{1, 1, 1, 1}, x.Index(0).Int64s())

	picked := x.Index([]int{0, 2}) // x[[0, 2]]: a copy
	picked.FillScalar_(torch.Int(100))
	assert.Equal(t, []int64{1, 1, 1, 1}, x.Index(0).Int64s(), "advanced indexing copies")
}

// Items that are not indices fail with a *Error, never a crash.
func TestIndexBadItems(t *testing.T) {
	x := torch.Arange(0, 6, 1).Reshape(2, 3)
	var nilTensor *torch.Tensor
	for _, c := range []struct {
		name string
		f    func()
		is   error
	}{
		{"float index", func() { x.Index(1.5) }, torch.ErrIndex},
		{"string index", func() { x.Index("0") }, torch.ErrIndex},
		{"uint64 overflow", func() { x.Index(uint64(1) << 63) }, torch.ErrIndex},
		{"nil", func() { x.Index(nil) }, torch.ErrType},
		{"nil tensor", func() { x.Index(nilTensor) }, torch.ErrType},
		{"slice of float", func() { torch.Slice(1.5, nil) }, torch.ErrType},
		{"slice of two steps", func() { torch.Slice(0, 1, 1, 1) }, torch.ErrType},
		{"unknown marker", func() { x.Index(torch.IndexMarker(9)) }, torch.ErrIndex},
		{"set nil value", func() { x.IndexPut_(nil, 0) }, torch.ErrType},
		{"set float index", func() { x.IndexPutScalar_(torch.Int(0), float32(0)) }, torch.ErrIndex},
		{"negative step", func() { x.Index(torch.Slice(nil, nil, -1)) }, torch.ErrValue},
		{"out of range", func() { x.Index(0, 3) }, torch.ErrIndex},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := torch.Catch(c.f)
			require.Error(t, err)
			assert.True(t, errors.Is(err, c.is), "%v is not %v", err, c.is)
		})
	}
	assert.Equal(t, []int64{0, 1, 2, 3, 4, 5}, x.Int64s(), "failed sets leave x alone")
}

func TestSliceString(t *testing.T) {
	assert.Equal(t, ":", torch.Slice(nil, nil).String())
	assert.Equal(t, "1:", torch.Slice(1, nil).String())
	assert.Equal(t, ":-1", torch.Slice(nil, int8(-1)).String())
	assert.Equal(t, "::2", torch.Slice(nil, nil, 2).String())
	assert.Equal(t, "0:5:2", torch.Slice(0, uint(5), int64(2)).String())
	assert.Equal(t, "...", torch.Ellipsis.String())
	assert.Equal(t, "None", torch.None.String())
}

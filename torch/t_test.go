package torch_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// TestTMatchesPyTorch: Tensor.T is Tensor.t(): a 0-D or 1-D tensor comes
// back as it is (a view of the same data, same shape), a 2-D one
// transposed, and a tensor of more dimensions is refused with PyTorch's
// message. Shapes, strides, values, aliasing and the error are compared with
// Python's x.t() on the same arange tensors.
func TestTMatchesPyTorch(t *testing.T) {
	shapes := [][]int64{{}, {1}, {5}, {0}, {1, 4}, {2, 3}, {3, 1}, {2, 3, 4}}
	arg, err := json.Marshal(shapes)
	require.NoError(t, err)
	var want []struct {
		Shape, Stride []int64
		Values        []float64
		Alias         bool
		Err           string
	}
	pytorch.JSON(t, `
import json, sys
out = []
for s in json.loads(sys.argv[1]):
    n = 1
    for d in s:
        n *= d
    x = torch.arange(float(n), dtype=torch.float64).reshape(s)
    try:
        y = x.t()
    except RuntimeError as e:
        out.append({"Err": str(e)})
        continue
    vals = y.flatten().tolist()
    y.mul_(2)  # a view: x sees the change
    out.append({"Shape": list(y.shape), "Stride": list(y.stride()), "Values": vals,
                "Alias": x.flatten().tolist() == [2 * v for v in range(n)]})
print(json.dumps(out))
`, &want, string(arg))
	require.Len(t, want, len(shapes))

	for i, s := range shapes {
		w := want[i]
		n := int64(1)
		for _, d := range s {
			n *= d
		}
		x := torch.Arange(0, float64(n), 1, torch.WithDType(torch.Float64)).Reshape(s...)
		if w.Err != "" {
			err := torch.Catch(func() { x.T() })
			require.Error(t, err, "shape %v", s)
			assert.Contains(t, err.Error(), w.Err, "shape %v", s)
			continue
		}
		var y *torch.Tensor
		require.NotPanics(t, func() { y = x.T() }, "shape %v", s)
		assert.Equal(t, torch.Size(w.Shape), y.Shape(), "shape %v", s)
		assert.Equal(t, w.Stride, y.Strides(), "shape %v", s)
		assert.Equal(t, w.Values, nonNil(y.Flatten().Float64s()), "shape %v", s)
		y.MulScalar_(torch.Float(2))
		doubled := make([]float64, n)
		for j := range doubled {
			doubled[j] = 2 * float64(j)
		}
		assert.Equal(t, w.Alias, assert.ObjectsAreEqual(doubled, nonNil(x.Flatten().Float64s())), "shape %v: T is a view", s)
	}
}

// nonNil turns the values of an empty tensor into an empty slice, as JSON
// decodes Python's [].
func nonNil(v []float64) []float64 {
	if v == nil {
		return []float64{}
	}
	return v
}

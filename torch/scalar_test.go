package torch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Scalars keep their kind through the C ABI: an int64 stays exact (Python's
// int), a bool and a complex reach libtorch as what they are.
func TestScalarKinds(t *testing.T) {
	big := int64(1)<<62 + 1 // not representable in a float64
	for _, tc := range []struct {
		name  string
		got   *torch.Tensor
		dtype torch.DType
		check func(t *testing.T, x *torch.Tensor)
	}{
		{"full int", torch.Full([]int64{2}, torch.Int(big)), torch.Int64, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []int64{big, big}, x.Int64s())
		}},
		{"full float", torch.Full([]int64{1}, torch.Float(2.5)), torch.Float32, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []float32{2.5}, x.Float32s())
		}},
		{"full bool", torch.Full([]int64{1}, torch.BoolScalar(true)), torch.Bool, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []bool{true}, x.Bools())
		}},
		{"full complex", torch.Full([]int64{1}, torch.ComplexScalar(1+2i)), torch.Complex64, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []complex64{1 + 2i}, x.Complex64s())
		}},
		{"add an int64 scalar", torch.Zeros([]int64{1}, torch.WithDType(torch.Int64)).AddScalar(torch.Int(big)), torch.Int64, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []int64{big}, x.Int64s())
		}},
		{"fill_ with an int64", torch.Zeros([]int64{1}, torch.WithDType(torch.Int64)).FillScalar_(torch.Int(-big)), torch.Int64, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []int64{-big}, x.Int64s())
		}},
		{"mul by a complex", torch.Ones([]int64{1}, torch.WithDType(torch.Complex128)).MulScalar(torch.ComplexScalar(3 - 1i)), torch.Complex128, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []complex128{3 - 1i}, x.Complex128s())
		}},
		{"an int scalar keeps an int tensor int", torch.Ones([]int64{1}, torch.WithDType(torch.Int32)).MulScalar(torch.Int(3)), torch.Int32, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []int32{3}, torch.Values[int32](x))
		}},
		{"a float scalar promotes it", torch.Ones([]int64{1}, torch.WithDType(torch.Int32)).MulScalar(torch.Float(1.5)), torch.Float32, func(t *testing.T, x *torch.Tensor) {
			assert.Equal(t, []float32{1.5}, x.Float32s())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.dtype, tc.got.DType())
			tc.check(t, tc.got)
		})
	}
	assert.Equal(t, "4611686018427387905", torch.Int(big).String())
	assert.Equal(t, "2.5", torch.Float(2.5).String())
	assert.Equal(t, "3.0", torch.Float(3).String())
	assert.Equal(t, "True", torch.BoolScalar(true).String())
	assert.Equal(t, big, torch.Int(big).Int64())
}

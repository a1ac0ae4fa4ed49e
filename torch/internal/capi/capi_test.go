package capi

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestABIVersion(t *testing.T) {
	assert.Equal(t, ABIVersion, LibraryABIVersion(), "re-run scripts/install_libtorch.sh")
}

// Scalar must be laid out as C's gt_scalar, so that generated code can pass
// it by value with a conversion.
func TestScalarLayout(t *testing.T) {
	var s Scalar
	c := scalarLayout()
	assert.Equal(t, c[0], unsafe.Sizeof(s), "sizeof")
	assert.Equal(t, c[1], unsafe.Offsetof(s.Kind), "offsetof kind")
	assert.Equal(t, c[2], unsafe.Offsetof(s.I), "offsetof i")
	assert.Equal(t, c[3], unsafe.Offsetof(s.F), "offsetof f")
	assert.Equal(t, c[4], unsafe.Offsetof(s.Im), "offsetof im")

	in := Scalar{Kind: ScalarComplex, I: -1 << 62, F: 1.5, Im: -2.5}
	out := in.c()
	assert.Equal(t, in, *(*Scalar)(unsafe.Pointer(&out)))
}

// Each kind of gt_error comes from the c10 exception class libtorch threw.
func TestErrorKinds(t *testing.T) {
	// The counting CPU allocator, which reports a failed allocation as out of memory.
	require.NoError(t, Init())
	x, err := Zeros([]int64{3}, 6, 0, -1)
	require.NoError(t, err)
	defer Free(x)
	bad, err := FromData(unsafe.Pointer(&[]int64{5}[0]), 8, []int64{1}, 4)
	require.NoError(t, err)
	defer Free(bad)

	for _, tc := range []struct {
		name string
		call func() error
		kind int32
	}{
		{"index_select out of range", func() error {
			var out Tensor
			err := Aten_index_select(&out, x, 0, bad)
			return err
		}, KindIndex},
		{"select out of range", func() error {
			var out Tensor
			err := Aten_select_int(&out, x, 0, 5)
			return err
		}, KindIndex},
		{"ItemDouble of 3 elements", func() error { _, err := ItemDouble(x); return err }, KindValue},
		{"Zeros of 2^50 elements", func() error { _, err := Zeros([]int64{1 << 50}, 6, 0, -1); return err }, KindOutOfMemory},
		{"Reshape to a wrong size", func() error { _, err := Reshape(x, []int64{2, 2}); return err }, KindRuntime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			var ce *Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.kind, ce.Kind, ce.Msg)
			assert.NotContains(t, ce.Msg, "Exception raised from", "backtrace stripped")
		})
	}
}

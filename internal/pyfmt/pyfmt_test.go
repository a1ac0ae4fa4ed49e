package pyfmt

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The expected strings are what CPython 3 prints for repr(float(x)).
func TestFloat(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{1, "1.0"}, {0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {0.1, "0.1"}, {1e-5, "1e-05"},
		{0.0001, "0.0001"}, {9.5e-5, "9.5e-05"}, {1e16, "1e+16"}, {9999999999999998, "9999999999999998.0"},
		{-2.5, "-2.5"}, {1.0 / 3, "0.3333333333333333"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
	} {
		assert.Equal(t, tc.want, Float(tc.in), "%v", tc.in)
	}
}

// Package pyfmt formats values as Python prints them, for the reprs and
// error messages that gotorch copies from PyTorch.
package pyfmt

import (
	"math"
	"strconv"
	"strings"
)

// Float is Python's repr(float) (and str(float)): the shortest digits that
// read back the same, in exponent form below 1e-4 and from 1e16 on, and
// with ".0" on whole numbers: "1.0", "0.01", "1e-05", "1e+20", "inf",
// "nan", "-0.0".
func Float(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

package torch

import (
	"runtime"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// The operators native_functions.yaml marks manual_cpp_binding have no
// at::_ops entry point in every libtorch (the generator leaves them out, see
// gen/names.yaml's header); the ones a port needs are written here by hand.

// Contiguous is Tensor.contiguous(): t itself when already contiguous, else a
// contiguous copy.
func (t *Tensor) Contiguous() *Tensor {
	h, err := capi.Contiguous(t.handle())
	runtime.KeepAlive(t)
	check("Contiguous", err)
	return newTensor(h)
}

// IsComplex is Tensor.is_complex().
func (t *Tensor) IsComplex() bool { return t.DType().IsComplex() }

// IsFloatingPoint is Tensor.is_floating_point().
func (t *Tensor) IsFloatingPoint() bool { return t.DType().IsFloatingPoint() }

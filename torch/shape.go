package torch

import (
	"runtime"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Reshape is Tensor.reshape(*shape); one size may be -1.
func (t *Tensor) Reshape(shape ...int64) *Tensor {
	h, err := capi.Reshape(t.handle(), shape)
	runtime.KeepAlive(shape)
	return result1("Reshape", h, err, t)
}

// View is Tensor.view(*shape): the same storage seen with another shape.
func (t *Tensor) View(shape ...int64) *Tensor {
	h, err := capi.View(t.handle(), shape)
	runtime.KeepAlive(shape)
	return result1("View", h, err, t)
}

// Permute is Tensor.permute(*dims), e.g. Permute(1, 2, 0) turns CHW into HWC.
func (t *Tensor) Permute(dims ...int64) *Tensor {
	h, err := capi.Permute(t.handle(), dims)
	runtime.KeepAlive(dims)
	return result1("Permute", h, err, t)
}

package torch

import (
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Reshape is Tensor.reshape(*shape); one size may be -1.
func (t *Tensor) Reshape(shape ...int64) *Tensor {
	h, err := capi.Reshape(t.acquire(), shape)
	t.release()
	return result1("Reshape", h, err)
}

// View is Tensor.view(*shape): the same storage seen with another shape.
func (t *Tensor) View(shape ...int64) *Tensor {
	h, err := capi.View(t.acquire(), shape)
	t.release()
	return result1("View", h, err)
}

// Permute is Tensor.permute(*dims), e.g. Permute(1, 2, 0) turns CHW into HWC.
func (t *Tensor) Permute(dims ...int64) *Tensor {
	h, err := capi.Permute(t.acquire(), dims)
	t.release()
	return result1("Permute", h, err)
}

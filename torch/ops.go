package torch

import (
	"runtime"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// The wrappers below are straight-line on purpose: a closure or function
// value per call would cost an allocation or an escape on the hot path.

// result1 returns the tensor a call on a made, or panics with the call's
// error; a stays alive until the call has returned.
func result1(op string, h capi.Tensor, err error) *Tensor {
	if err != nil {
		panic(wrapError(op, err))
	}
	return newTensor(h)
}

// inPlace1 finishes an in-place call on t and returns t, for chaining as in
// PyTorch.
func (t *Tensor) inPlace1(op string, err error) *Tensor {
	runtime.KeepAlive(t)
	if err != nil {
		panic(wrapError(op, err))
	}
	return t
}

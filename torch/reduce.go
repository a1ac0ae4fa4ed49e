package torch

import (
	"runtime"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// pair finishes a call that made two tensors (values and indices).
func (t *Tensor) pair(op string, v, i capi.Tensor, err error) (values, indices *Tensor) {
	runtime.KeepAlive(t)
	if err != nil {
		panic(wrapError(op, err))
	}
	return newTensor(v), newTensor(i)
}

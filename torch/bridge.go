package torch

import (
	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

func init() {
	bridge.Handle = func(t any) capi.Tensor { return t.(*Tensor).handle() }
	bridge.Wrap = func(h capi.Tensor) any { return newTensor(h) }
	bridge.Error = func(op string, err error) error { return wrapError(op, err) }
}

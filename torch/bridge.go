package torch

import (
	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

func init() {
	bridge.Acquire = func(t any) capi.Tensor { return t.(*Tensor).acquire() }
	bridge.Release = func(t any) { t.(*Tensor).release() }
	bridge.Wrap = func(h capi.Tensor) any { return newTensor(h) }
	bridge.Error = func(op string, err error) error { return wrapError(op, err) }
}

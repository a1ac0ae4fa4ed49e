package torch

import (
	"fmt"
	"runtime"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Reduction says how a loss combines its per-element values: PyTorch's
// reduction= argument.
type Reduction int

// Reductions, with the C ABI's codes.
const (
	ReductionNone Reduction = 0 // reduction='none'
	ReductionMean Reduction = 1 // reduction='mean' (PyTorch's default)
	ReductionSum  Reduction = 2 // reduction='sum'
)

// Linear is torch.nn.functional.linear: input @ weight.T + bias; bias may be nil.
func Linear(input, weight, bias *Tensor) *Tensor {
	var b capi.Tensor
	if bias != nil {
		b = bias.handle()
	}
	h, err := capi.Linear(input.handle(), weight.handle(), b)
	runtime.KeepAlive(bias)
	return result2("Linear", h, err, input, weight)
}

// Dropout is torch.nn.functional.dropout(input, p, training).
func Dropout(input *Tensor, p float64, training bool) *Tensor {
	if p < 0 || p > 1 {
		// Python's torch.nn.functional.dropout checks this, and raises ValueError.
		panic(&Error{Op: "Dropout", Kind: KindValue, Msg: fmt.Sprintf("dropout probability has to be between 0 and 1, but got %v", p)})
	}
	h, err := capi.Dropout(input.handle(), p, training)
	return result1("Dropout", h, err, input)
}

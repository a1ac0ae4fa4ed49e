package torch

import (
	"fmt"

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
	x := input.acquire()
	defer input.release()
	w := weight.acquire()
	defer weight.release()
	b := optAcquire(bias)
	defer optRelease(bias)
	h, err := capi.Linear(x, w, b)
	return result1("Linear", h, err)
}

// Dropout is torch.nn.functional.dropout(input, p, training).
func Dropout(input *Tensor, p float64, training bool) *Tensor {
	if p < 0 || p > 1 {
		// Python's torch.nn.functional.dropout checks this, and raises ValueError.
		panic(&Error{Op: "Dropout", Kind: KindValue, Msg: fmt.Sprintf("dropout probability has to be between 0 and 1, but got %v", p)})
	}
	h, err := capi.Dropout(input.acquire(), p, training)
	input.release()
	return result1("Dropout", h, err)
}

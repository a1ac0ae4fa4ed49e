package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Flatten merges dimensions StartDim..EndDim into one: torch.nn.Flatten.
// NewFlatten gives PyTorch's defaults (1, -1), which keep the batch
// dimension: [batch, 1, 28, 28] becomes [batch, 784].
type Flatten struct {
	dims   [2]int64
	custom bool // false: PyTorch's defaults, so that a zero Flatten behaves as nn.Flatten()
}

// NewFlatten is torch.nn.Flatten(): start_dim=1, end_dim=-1.
func NewFlatten() *Flatten { return &Flatten{} }

// NewFlattenDims is torch.nn.Flatten(start_dim, end_dim).
func NewFlattenDims(startDim, endDim int64) *Flatten {
	return &Flatten{dims: [2]int64{startDim, endDim}, custom: true}
}

// StartDim is nn.Flatten.start_dim.
func (f *Flatten) StartDim() int64 {
	if !f.custom {
		return 1
	}
	return f.dims[0]
}

// EndDim is nn.Flatten.end_dim.
func (f *Flatten) EndDim() int64 {
	if !f.custom {
		return -1
	}
	return f.dims[1]
}

// Forward is nn.Flatten.forward: x.flatten(start_dim, end_dim).
func (f *Flatten) Forward(x *torch.Tensor) *torch.Tensor {
	return x.Flatten(torch.FlattenOpts{StartDim: f.StartDim(), EndDim: new(f.EndDim())})
}

// String prints the layer as PyTorch's repr does.
func (f *Flatten) String() string {
	return fmt.Sprintf("Flatten(start_dim=%d, end_dim=%d)", f.StartDim(), f.EndDim())
}

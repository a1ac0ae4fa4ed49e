package nn

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

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

// Unflatten splits dimension Dim of its input into the sizes of
// UnflattenedSize: torch.nn.Unflatten(dim, unflattened_size), the inverse
// of Flatten. One size may be -1, inferred from the others, as in PyTorch.
// PyTorch's named-dimension form (a str dim) is not offered.
type Unflatten struct {
	Dim             int64
	UnflattenedSize []int64
}

// NewUnflatten is torch.nn.Unflatten(dim, unflattened_size): for example
// NewUnflatten(1, []int64{2, 5}) turns [N, 10] into [N, 2, 5].
func NewUnflatten(dim int64, unflattenedSize []int64) *Unflatten {
	return &Unflatten{Dim: dim, UnflattenedSize: slices.Clone(unflattenedSize)}
}

// Forward is nn.Unflatten.forward: x.unflatten(dim, unflattened_size), a
// view of x where the sizes allow one. It panics, with libtorch's message,
// where the sizes do not multiply to the size of dimension Dim.
func (u *Unflatten) Forward(x *torch.Tensor) *torch.Tensor {
	return x.Unflatten(u.Dim, u.UnflattenedSize)
}

// String prints the layer as PyTorch's repr does, with the sizes as the
// tuple Python is usually given: "Unflatten(dim=1, unflattened_size=(2,
// 5))".
func (u *Unflatten) String() string {
	parts := make([]string, len(u.UnflattenedSize))
	for i, s := range u.UnflattenedSize {
		parts[i] = strconv.FormatInt(s, 10)
	}
	tuple := "(" + strings.Join(parts, ", ") + ")"
	if len(parts) == 1 {
		tuple = "(" + parts[0] + ",)"
	}
	return fmt.Sprintf("Unflatten(dim=%d, unflattened_size=%s)", u.Dim, tuple)
}

package nn

import (
	"fmt"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Sequential runs its modules one after the other: torch.nn.Sequential. Its
// parameters are named by index, "0.weight", "2.bias", as in PyTorch; a
// field `Layers nn.Sequential` gives "layers.0.weight". Being a slice, it
// grows with append (Sequential.append).
type Sequential []Module

func (Sequential) isListModule() {}

// NewSequential is torch.nn.Sequential(modules...).
func NewSequential(modules ...Module) Sequential { return Sequential(modules) }

// Forward passes x through each module in turn: nn.Sequential.forward.
func (s Sequential) Forward(x *torch.Tensor) *torch.Tensor {
	for _, m := range s {
		x = m.Forward(x)
	}
	return x
}

// String prints the modules as PyTorch's repr does.
func (s Sequential) String() string {
	var b strings.Builder
	b.WriteString("Sequential(\n")
	for i, m := range s {
		fmt.Fprintf(&b, "  (%d): %v\n", i, m)
	}
	b.WriteString(")")
	return b.String()
}

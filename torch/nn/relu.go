package nn

import "github.com/seed0eaa3131/gotorch/torch"

// ReLU is max(x, 0) element-wise: torch.nn.ReLU.
type ReLU struct{}

// NewReLU is torch.nn.ReLU().
func NewReLU() *ReLU { return &ReLU{} }

// Forward is nn.ReLU.forward: torch.relu(x).
func (*ReLU) Forward(x *torch.Tensor) *torch.Tensor { return x.Relu() }

// String prints the layer as PyTorch's repr does.
func (*ReLU) String() string { return "ReLU()" }

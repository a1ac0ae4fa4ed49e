package nn

import "github.com/seed0eaa3131/gotorch/torch"

// Module is a layer that maps one tensor to another: what nn.Module.forward
// is for the layers nn.Sequential chains. Models themselves need not
// implement it; their parameters are found from their fields (see the
// package documentation).
type Module interface {
	Forward(x *torch.Tensor) *torch.Tensor
}

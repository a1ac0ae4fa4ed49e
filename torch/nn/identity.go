package nn

import "github.com/seed0eaa3131/gotorch/torch"

// Identity passes its input through unchanged: torch.nn.Identity, a
// placeholder where a model's structure wants a layer (a classifier head
// removed for feature extraction, say). It has no parameters.
type Identity struct{}

// NewIdentity is torch.nn.Identity(). PyTorch's constructor takes and
// ignores any arguments; this one takes none.
func NewIdentity() *Identity { return &Identity{} }

// Forward is nn.Identity.forward: it returns x itself.
func (*Identity) Forward(x *torch.Tensor) *torch.Tensor { return x }

// String prints the layer as PyTorch's repr does: "Identity()".
func (*Identity) String() string { return "Identity()" }

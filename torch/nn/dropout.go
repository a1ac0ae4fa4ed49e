package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Dropout zeroes each element with probability P while training and scales
// the others by 1/(1-P); in evaluation mode it passes x through:
// torch.nn.Dropout. Train and Eval switch it, as model.train() and
// model.eval() do; a new Dropout is in training mode, as in PyTorch.
type Dropout struct {
	P    float64
	eval bool // false while training, so that the zero value trains as PyTorch's default does
}

// NewDropout is torch.nn.Dropout(p). It panics unless 0 <= p <= 1, as
// PyTorch raises.
func NewDropout(p float64) *Dropout {
	if !(p >= 0 && p <= 1) {
		panic(&torch.Error{Op: "NewDropout", Msg: fmt.Sprintf("dropout probability has to be between 0 and 1, but got %v", p)})
	}
	return &Dropout{P: p}
}

// Forward is nn.Dropout.forward: torch.nn.functional.dropout(x, p,
// training).
func (d *Dropout) Forward(x *torch.Tensor) *torch.Tensor {
	return torch.Dropout(x, d.P, !d.eval)
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *Dropout) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *Dropout) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does.
func (d *Dropout) String() string { return fmt.Sprintf("Dropout(p=%v, inplace=False)", d.P) }

package nn

import (
	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// DropoutOpts holds the defaulted arguments of NewDropout, NewDropout1d,
// NewDropout2d, NewDropout3d, NewAlphaDropout and NewFeatureAlphaDropout;
// the zero value is PyTorch's defaults.
type DropoutOpts struct {
	Inplace bool // write the result into the input and return it; default false
}

// Dropout zeroes each element with probability P while training and scales
// the others by 1/(1-P); in evaluation mode it passes x through:
// torch.nn.Dropout. Train and Eval switch it, as model.train() and
// model.eval() do; a new Dropout is in training mode, as in PyTorch.
type Dropout struct {
	P       float64
	Inplace bool
	eval    bool // false while training, so that the zero value trains as PyTorch's default does
}

// NewDropout is torch.nn.Dropout(p, inplace=False). It panics unless
// 0 <= p <= 1, as PyTorch raises (ValueError).
func NewDropout(p float64, opts ...DropoutOpts) *Dropout {
	checkDropoutP("NewDropout", p)
	return &Dropout{P: p, Inplace: dropoutInplace(opts)}
}

// checkDropoutP is _DropoutNd.__init__'s check.
func checkDropoutP(op string, p float64) {
	if p < 0 || p > 1 {
		panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: "dropout probability has to be between 0 and 1, but got " + pyfmt.Float(p)})
	}
}

func dropoutInplace(opts []DropoutOpts) bool { return len(opts) > 0 && opts[0].Inplace }

// dropoutRepr is _DropoutNd's repr: "Dropout(p=0.5, inplace=False)".
func dropoutRepr(name string, p float64, inplace bool) string {
	return name + "(p=" + pyfmt.Float(p) + ", inplace=" + pyBoolStr(inplace) + ")"
}

// pyBoolStr is Python's str(bool).
func pyBoolStr(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// Forward is nn.Dropout.forward: torch.nn.functional.dropout(x, p,
// training, inplace).
func (d *Dropout) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Dropout(x, F.DropoutOpts{P: &d.P, Training: new(!d.eval), Inplace: d.Inplace})
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *Dropout) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *Dropout) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does: "Dropout(p=0.5,
// inplace=False)".
func (d *Dropout) String() string { return dropoutRepr("Dropout", d.P, d.Inplace) }

// Dropout1d zeroes whole channels of a (N, C, L) or (C, L) input with
// probability P while training and scales the others by 1/(1-P); in
// evaluation mode it passes x through: torch.nn.Dropout1d. A new Dropout1d
// (and the zero value) is in training mode, as in PyTorch.
type Dropout1d struct {
	P       float64
	Inplace bool
	eval    bool
}

// NewDropout1d is torch.nn.Dropout1d(p, inplace=False). It panics unless
// 0 <= p <= 1 (ValueError).
func NewDropout1d(p float64, opts ...DropoutOpts) *Dropout1d {
	checkDropoutP("NewDropout1d", p)
	return &Dropout1d{P: p, Inplace: dropoutInplace(opts)}
}

// Forward is nn.Dropout1d.forward: torch.nn.functional.dropout1d. It panics
// for inputs that are not 2-D or 3-D, with PyTorch's message.
func (d *Dropout1d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Dropout1d(x, F.DropoutOpts{P: &d.P, Training: new(!d.eval), Inplace: d.Inplace})
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *Dropout1d) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *Dropout1d) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does.
func (d *Dropout1d) String() string { return dropoutRepr("Dropout1d", d.P, d.Inplace) }

// Dropout2d zeroes whole channels (dimension 1) with probability P while
// training and scales the others by 1/(1-P); in evaluation mode it passes x
// through: torch.nn.Dropout2d. As in PyTorch 1.13, a 3-D input is taken as
// (N, C, L). A new Dropout2d (and the zero value) is in training mode.
type Dropout2d struct {
	P       float64
	Inplace bool
	eval    bool
}

// NewDropout2d is torch.nn.Dropout2d(p, inplace=False). It panics unless
// 0 <= p <= 1 (ValueError).
func NewDropout2d(p float64, opts ...DropoutOpts) *Dropout2d {
	checkDropoutP("NewDropout2d", p)
	return &Dropout2d{P: p, Inplace: dropoutInplace(opts)}
}

// Forward is nn.Dropout2d.forward: torch.nn.functional.dropout2d.
func (d *Dropout2d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Dropout2d(x, F.DropoutOpts{P: &d.P, Training: new(!d.eval), Inplace: d.Inplace})
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *Dropout2d) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *Dropout2d) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does.
func (d *Dropout2d) String() string { return dropoutRepr("Dropout2d", d.P, d.Inplace) }

// Dropout3d zeroes whole channels of a (N, C, D, H, W) or (C, D, H, W)
// input with probability P while training and scales the others by
// 1/(1-P); in evaluation mode it passes x through: torch.nn.Dropout3d. A
// new Dropout3d (and the zero value) is in training mode.
type Dropout3d struct {
	P       float64
	Inplace bool
	eval    bool
}

// NewDropout3d is torch.nn.Dropout3d(p, inplace=False). It panics unless
// 0 <= p <= 1 (ValueError).
func NewDropout3d(p float64, opts ...DropoutOpts) *Dropout3d {
	checkDropoutP("NewDropout3d", p)
	return &Dropout3d{P: p, Inplace: dropoutInplace(opts)}
}

// Forward is nn.Dropout3d.forward: torch.nn.functional.dropout3d.
func (d *Dropout3d) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Dropout3d(x, F.DropoutOpts{P: &d.P, Training: new(!d.eval), Inplace: d.Inplace})
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *Dropout3d) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *Dropout3d) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does.
func (d *Dropout3d) String() string { return dropoutRepr("Dropout3d", d.P, d.Inplace) }

// AlphaDropout is the dropout of self-normalising (SELU) networks: it keeps
// its input's mean and variance while training and passes x through in
// evaluation mode: torch.nn.AlphaDropout. A new AlphaDropout (and the zero
// value) is in training mode. PyTorch's module ignores inplace (it prints
// it only), and so does this one.
type AlphaDropout struct {
	P       float64
	Inplace bool
	eval    bool
}

// NewAlphaDropout is torch.nn.AlphaDropout(p, inplace=False). It panics
// unless 0 <= p <= 1 (ValueError).
func NewAlphaDropout(p float64, opts ...DropoutOpts) *AlphaDropout {
	checkDropoutP("NewAlphaDropout", p)
	return &AlphaDropout{P: p, Inplace: dropoutInplace(opts)}
}

// Forward is nn.AlphaDropout.forward: torch.nn.functional.alpha_dropout(x,
// p, training).
func (d *AlphaDropout) Forward(x *torch.Tensor) *torch.Tensor {
	return F.AlphaDropout(x, F.AlphaDropoutOpts{P: &d.P, Training: !d.eval})
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *AlphaDropout) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *AlphaDropout) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does.
func (d *AlphaDropout) String() string { return dropoutRepr("AlphaDropout", d.P, d.Inplace) }

// FeatureAlphaDropout is AlphaDropout on whole channels:
// torch.nn.FeatureAlphaDropout. A new FeatureAlphaDropout (and the zero
// value) is in training mode; like PyTorch's, it ignores inplace.
type FeatureAlphaDropout struct {
	P       float64
	Inplace bool
	eval    bool
}

// NewFeatureAlphaDropout is torch.nn.FeatureAlphaDropout(p, inplace=False).
// It panics unless 0 <= p <= 1 (ValueError).
func NewFeatureAlphaDropout(p float64, opts ...DropoutOpts) *FeatureAlphaDropout {
	checkDropoutP("NewFeatureAlphaDropout", p)
	return &FeatureAlphaDropout{P: p, Inplace: dropoutInplace(opts)}
}

// Forward is nn.FeatureAlphaDropout.forward:
// torch.nn.functional.feature_alpha_dropout(x, p, training).
func (d *FeatureAlphaDropout) Forward(x *torch.Tensor) *torch.Tensor {
	return F.FeatureAlphaDropout(x, F.AlphaDropoutOpts{P: &d.P, Training: !d.eval})
}

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (d *FeatureAlphaDropout) SetTraining(training bool) { d.eval = !training }

// IsTraining is Module.training.
func (d *FeatureAlphaDropout) IsTraining() bool { return !d.eval }

// String prints the layer as PyTorch's repr does.
func (d *FeatureAlphaDropout) String() string {
	return dropoutRepr("FeatureAlphaDropout", d.P, d.Inplace)
}

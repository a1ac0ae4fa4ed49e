package functional

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
)

// DropoutOpts holds the defaulted arguments of Dropout, Dropout1d,
// Dropout2d and Dropout3d; the zero value is PyTorch's defaults.
type DropoutOpts struct {
	P        *float64 // probability of an element (a channel, for Dropout1d/2d/3d) to be zeroed; default 0.5
	Training *bool    // apply dropout if true; default true
	Inplace  bool     // write the result into x and return x; default false
}

// AlphaDropoutOpts holds the defaulted arguments of AlphaDropout and
// FeatureAlphaDropout; the zero value is PyTorch's defaults. Unlike
// Dropout's, their training argument defaults to false, as in PyTorch.
type AlphaDropoutOpts struct {
	P        *float64 // probability of an element (a channel, for FeatureAlphaDropout) to be dropped; default 0.5
	Training bool     // apply dropout if true; default false
	Inplace  bool     // write the result into x and return x; default false
}

// dropoutArgs resolves DropoutOpts to PyTorch's p and training, checking p
// as torch.nn.functional does.
func dropoutArgs(op string, opts []DropoutOpts) (o DropoutOpts, p float64, training bool) {
	if len(opts) > 0 {
		o = opts[0]
	}
	p, training = 0.5, true
	if o.P != nil {
		p = *o.P
	}
	if o.Training != nil {
		training = *o.Training
	}
	checkDropoutP(op, p)
	return o, p, training
}

func alphaDropoutArgs(op string, opts []AlphaDropoutOpts) (o AlphaDropoutOpts, p float64) {
	if len(opts) > 0 {
		o = opts[0]
	}
	p = 0.5
	if o.P != nil {
		p = *o.P
	}
	checkDropoutP(op, p)
	return o, p
}

// checkDropoutP raises Python's ValueError for a p outside [0, 1] (NaN
// included, which Python's p < 0.0 or p > 1.0 lets through: libtorch then
// raises its own error).
func checkDropoutP(op string, p float64) {
	if p < 0 || p > 1 {
		panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: "dropout probability has to be between 0 and 1, but got " + pyfmt.Float(p)})
	}
}

// Dropout zeroes each element of x with probability p while training and
// scales the others by 1/(1-p): torch.nn.functional.dropout(x, p=0.5,
// training=True, inplace=False). After the same torch.ManualSeed it zeroes
// the same elements as PyTorch. It panics unless 0 <= p <= 1 (ValueError).
func Dropout(x *torch.Tensor, opts ...DropoutOpts) *torch.Tensor {
	o, p, training := dropoutArgs("Dropout", opts)
	if o.Inplace {
		return torch.Dropout_(x, p, training)
	}
	return torch.Dropout(x, p, training)
}

// featureDropout is _VF.feature_dropout(_).
func featureDropout(x *torch.Tensor, p float64, training, inplace bool) *torch.Tensor {
	if inplace {
		return torch.FeatureDropout_(x, p, training)
	}
	return torch.FeatureDropout(x, p, training)
}

// featureDropoutUnbatched adds the batch dimension of an unbatched input
// for featureDropout and takes it off again, as dropout1d and dropout3d do
// (in place too, where x itself is unsqueezed and squeezed back).
func featureDropoutUnbatched(x *torch.Tensor, p float64, training, inplace bool) *torch.Tensor {
	if inplace {
		return torch.FeatureDropout_(x.Unsqueeze_(0), p, training).SqueezeDim_(0)
	}
	return torch.FeatureDropout(x.Unsqueeze(0), p, training).SqueezeDim(0)
}

// Dropout1d zeroes whole channels of a (N, C, L) or unbatched (C, L) input
// with probability p while training and scales the others by 1/(1-p):
// torch.nn.functional.dropout1d(x, p=0.5, training=True, inplace=False).
// It panics for other ranks with PyTorch's RuntimeError message.
func Dropout1d(x *torch.Tensor, opts ...DropoutOpts) *torch.Tensor {
	o, p, training := dropoutArgs("Dropout1d", opts)
	d := x.Dim()
	if d != 2 && d != 3 {
		panic(&torch.Error{Op: "Dropout1d", Msg: fmt.Sprintf("dropout1d: Expected 2D or 3D input, but received a %dD input. "+
			"Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "+
			"spatial dimension, a channel dimension, and an optional batch dimension "+
			"(i.e. 2D or 3D inputs).", d)})
	}
	if d == 2 {
		return featureDropoutUnbatched(x, p, training, o.Inplace)
	}
	return featureDropout(x, p, training, o.Inplace)
}

// Dropout2d zeroes whole channels (dimension 1) of x with probability p
// while training and scales the others by 1/(1-p):
// torch.nn.functional.dropout2d(x, p=0.5, training=True, inplace=False).
// As in PyTorch 1.13, a 3-D input is taken as (N, C, L), not as an
// unbatched (C, H, W); PyTorch's warnings about 3-D and other ranks are not
// printed.
func Dropout2d(x *torch.Tensor, opts ...DropoutOpts) *torch.Tensor {
	o, p, training := dropoutArgs("Dropout2d", opts)
	return featureDropout(x, p, training, o.Inplace)
}

// Dropout3d zeroes whole channels of a (N, C, D, H, W) or unbatched (C, D,
// H, W) input with probability p while training and scales the others by
// 1/(1-p): torch.nn.functional.dropout3d(x, p=0.5, training=True,
// inplace=False). As in PyTorch, any input that is not 5-D is taken as
// unbatched (PyTorch warns for ranks other than 4 and 5; this does not).
func Dropout3d(x *torch.Tensor, opts ...DropoutOpts) *torch.Tensor {
	o, p, training := dropoutArgs("Dropout3d", opts)
	if x.Dim() != 5 {
		return featureDropoutUnbatched(x, p, training, o.Inplace)
	}
	return featureDropout(x, p, training, o.Inplace)
}

// AlphaDropout is the dropout of self-normalising networks (SELU), which
// keeps the mean and variance of its input: torch.nn.functional.
// alpha_dropout(x, p=0.5, training=False, inplace=False). Note that
// training defaults to false, as in PyTorch.
func AlphaDropout(x *torch.Tensor, opts ...AlphaDropoutOpts) *torch.Tensor {
	o, p := alphaDropoutArgs("AlphaDropout", opts)
	if o.Inplace {
		return torch.AlphaDropout_(x, p, o.Training)
	}
	return torch.AlphaDropout(x, p, o.Training)
}

// FeatureAlphaDropout is AlphaDropout on whole channels:
// torch.nn.functional.feature_alpha_dropout(x, p=0.5, training=False,
// inplace=False).
func FeatureAlphaDropout(x *torch.Tensor, opts ...AlphaDropoutOpts) *torch.Tensor {
	o, p := alphaDropoutArgs("FeatureAlphaDropout", opts)
	if o.Inplace {
		return torch.FeatureAlphaDropout_(x, p, o.Training)
	}
	return torch.FeatureAlphaDropout(x, p, o.Training)
}

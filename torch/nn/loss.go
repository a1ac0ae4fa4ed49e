package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// LossOption sets one argument of a loss, as PyTorch's keyword arguments
// (reduction=, ignore_index=, label_smoothing=) do. A loss that has no such
// argument in PyTorch panics when given it, as Python raises a TypeError.
type LossOption struct {
	name string
	set  func(*lossOptions)
}

type lossOptions struct {
	reduction      torch.Reduction
	ignoreIndex    int64
	labelSmoothing float64
}

// PyTorch's defaults: reduction='mean', ignore_index=-100,
// label_smoothing=0.0.
var defaultLoss = lossOptions{reduction: torch.ReductionMean, ignoreIndex: -100}

// WithReduction is the reduction= argument ('none', 'mean' or 'sum').
func WithReduction(r torch.Reduction) LossOption {
	if r != torch.ReductionNone && r != torch.ReductionMean && r != torch.ReductionSum {
		panic(&torch.Error{Op: "WithReduction", Msg: fmt.Sprintf("%d is not a valid value for reduction", r)})
	}
	return LossOption{"reduction", func(o *lossOptions) { o.reduction = r }}
}

// WithIgnoreIndex is the ignore_index= argument: targets equal to it add
// nothing to the loss nor to the mean's denominator.
func WithIgnoreIndex(i int64) LossOption {
	return LossOption{"ignore_index", func(o *lossOptions) { o.ignoreIndex = i }}
}

// WithLabelSmoothing is CrossEntropyLoss's label_smoothing= argument, in
// [0, 1].
func WithLabelSmoothing(s float64) LossOption {
	if !(s >= 0 && s <= 1) {
		panic(&torch.Error{Op: "WithLabelSmoothing", Msg: fmt.Sprintf("label_smoothing must be between 0.0 and 1.0. Got: %v", s)})
	}
	return LossOption{"label_smoothing", func(o *lossOptions) { o.labelSmoothing = s }}
}

// buildLoss applies opts over PyTorch's defaults, allowing only the names
// the loss has.
func buildLoss(loss string, opts []LossOption, allowed ...string) *lossOptions {
	o := defaultLoss
	for _, opt := range opts {
		ok := false
		for _, a := range allowed {
			ok = ok || a == opt.name
		}
		if !ok {
			panic(&torch.Error{Op: "New" + loss, Msg: fmt.Sprintf("%s has no argument %s", loss, opt.name)})
		}
		opt.set(&o)
	}
	return &o
}

// get returns the options, or PyTorch's defaults for a loss made without
// its constructor.
func (o *lossOptions) get() lossOptions {
	if o == nil {
		return defaultLoss
	}
	return *o
}

// CrossEntropyLoss is torch.nn.CrossEntropyLoss for class-index targets:
// log_softmax over dimension 1 of the raw scores, then the negative
// log-likelihood of the target class. Its zero value is
// nn.CrossEntropyLoss() with PyTorch's defaults.
type CrossEntropyLoss struct{ opts *lossOptions }

// NewCrossEntropyLoss is torch.nn.CrossEntropyLoss(reduction=...,
// ignore_index=..., label_smoothing=...).
func NewCrossEntropyLoss(opts ...LossOption) *CrossEntropyLoss {
	return &CrossEntropyLoss{buildLoss("CrossEntropyLoss", opts, "reduction", "ignore_index", "label_smoothing")}
}

// Forward is nn.CrossEntropyLoss.forward: input [N, C] (or [N, C, d...])
// scores and target [N] (or [N, d...]) Int64 class indices.
func (l *CrossEntropyLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return torch.CrossEntropyLoss(input, target, torch.CrossEntropyLossOpts{Reduction: new(o.reduction), IgnoreIndex: new(o.ignoreIndex), LabelSmoothing: o.labelSmoothing})
}

// Reduction is nn.CrossEntropyLoss.reduction.
func (l *CrossEntropyLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// IgnoreIndex is nn.CrossEntropyLoss.ignore_index.
func (l *CrossEntropyLoss) IgnoreIndex() int64 { return l.opts.get().ignoreIndex }

// LabelSmoothing is nn.CrossEntropyLoss.label_smoothing.
func (l *CrossEntropyLoss) LabelSmoothing() float64 { return l.opts.get().labelSmoothing }

// NLLLoss is torch.nn.NLLLoss: the negative log-likelihood of the target
// class, over log-probabilities (the output of LogSoftmax). Its zero value
// is nn.NLLLoss() with PyTorch's defaults.
type NLLLoss struct{ opts *lossOptions }

// NewNLLLoss is torch.nn.NLLLoss(reduction=..., ignore_index=...).
func NewNLLLoss(opts ...LossOption) *NLLLoss {
	return &NLLLoss{buildLoss("NLLLoss", opts, "reduction", "ignore_index")}
}

// Forward is nn.NLLLoss.forward: input [N, C] log-probabilities, target [N]
// Int64 class indices.
func (l *NLLLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return torch.NllLoss(input, target, torch.NllLossOpts{Reduction: new(o.reduction), IgnoreIndex: new(o.ignoreIndex)})
}

// Reduction is nn.NLLLoss.reduction.
func (l *NLLLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// IgnoreIndex is nn.NLLLoss.ignore_index.
func (l *NLLLoss) IgnoreIndex() int64 { return l.opts.get().ignoreIndex }

// MSELoss is torch.nn.MSELoss: the squared difference of input and target.
// Its zero value is nn.MSELoss() with reduction='mean'.
type MSELoss struct{ opts *lossOptions }

// NewMSELoss is torch.nn.MSELoss(reduction=...).
func NewMSELoss(opts ...LossOption) *MSELoss {
	return &MSELoss{buildLoss("MSELoss", opts, "reduction")}
}

// Forward is nn.MSELoss.forward.
func (l *MSELoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return torch.MseLoss(input, target, torch.MseLossOpts{Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.MSELoss.reduction.
func (l *MSELoss) Reduction() torch.Reduction { return l.opts.get().reduction }

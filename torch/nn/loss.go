package nn

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// ReductionBatchMean is KLDivLoss's reduction='batchmean' (the summed loss
// divided by the batch size), for WithReduction. Other losses reject it, as
// PyTorch does.
const ReductionBatchMean = F.ReductionBatchMean

// LossOption sets one argument of a loss, as PyTorch's keyword arguments
// (reduction=, ignore_index=, label_smoothing=, weight=, ...) do. A loss
// that has no such argument in PyTorch panics when given it, as Python
// raises a TypeError.
type LossOption struct {
	name string
	set  func(*lossOptions)
}

type lossOptions struct {
	reduction         torch.Reduction
	ignoreIndex       int64
	labelSmoothing    float64
	weight, posWeight *torch.Tensor
	beta, delta       float64
	logTarget         bool
	margin, p, eps    *float64 // nil: the loss's own default
	swap, full        bool
	logInput          bool
	blank             int64
	zeroInfinity      bool
	distance          func(x1, x2 *torch.Tensor) *torch.Tensor
}

// PyTorch's defaults: reduction='mean', ignore_index=-100,
// label_smoothing=0.0, beta=1.0, delta=1.0, log_input=True.
var defaultLoss = lossOptions{reduction: torch.ReductionMean, ignoreIndex: -100, beta: 1, delta: 1, logInput: true}

// WithReduction is the reduction= argument: torch.ReductionNone,
// torch.ReductionMean (the default) or torch.ReductionSum, and for
// KLDivLoss also ReductionBatchMean.
func WithReduction(r torch.Reduction) LossOption {
	if r != torch.ReductionNone && r != torch.ReductionMean && r != torch.ReductionSum && r != ReductionBatchMean {
		panic(&torch.Error{Op: "WithReduction", Kind: torch.KindValue, Msg: fmt.Sprintf("%d is not a valid value for reduction", r)})
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
		panic(&torch.Error{Op: "WithLabelSmoothing", Kind: torch.KindValue, Msg: fmt.Sprintf("label_smoothing must be between 0.0 and 1.0. Got: %v", s)})
	}
	return LossOption{"label_smoothing", func(o *lossOptions) { o.labelSmoothing = s }}
}

// WithWeight is the weight= argument: a manual rescaling weight, one per
// class ([C]) for CrossEntropyLoss, NLLLoss, MultiMarginLoss and
// MultiLabelSoftMarginLoss, broadcast to the target for BCELoss and
// BCEWithLogitsLoss. The loss keeps it as its Weight field (PyTorch's
// weight buffer).
func WithWeight(w *torch.Tensor) LossOption {
	return LossOption{"weight", func(o *lossOptions) { o.weight = w }}
}

// WithPosWeight is BCEWithLogitsLoss's pos_weight= argument: the weight of
// positive examples, one per class (broadcast over the last dimension).
func WithPosWeight(w *torch.Tensor) LossOption {
	return LossOption{"pos_weight", func(o *lossOptions) { o.posWeight = w }}
}

// WithBeta is SmoothL1Loss's beta= argument (default 1.0): where |x - y|
// falls below it the loss is quadratic. It panics on a negative beta, as
// PyTorch raises.
func WithBeta(beta float64) LossOption {
	if !(beta >= 0) {
		panic(&torch.Error{Op: "WithBeta", Kind: torch.KindValue, Msg: fmt.Sprintf("smooth_l1_loss does not support negative values for beta, got %v", beta)})
	}
	return LossOption{"beta", func(o *lossOptions) { o.beta = beta }}
}

// WithDelta is HuberLoss's delta= argument (default 1.0): where |x - y|
// falls below it the loss is quadratic. It panics unless delta > 0, as
// PyTorch raises.
func WithDelta(delta float64) LossOption {
	if !(delta > 0) {
		panic(&torch.Error{Op: "WithDelta", Kind: torch.KindValue, Msg: fmt.Sprintf("huber_loss does not support non-positive values for delta, got %v", delta)})
	}
	return LossOption{"delta", func(o *lossOptions) { o.delta = delta }}
}

// WithLogTarget is KLDivLoss's log_target= argument: the target holds
// log-probabilities.
func WithLogTarget(logTarget bool) LossOption {
	return LossOption{"log_target", func(o *lossOptions) { o.logTarget = logTarget }}
}

// WithMargin is the margin= argument of MarginRankingLoss (default 0),
// HingeEmbeddingLoss (1.0), CosineEmbeddingLoss (0), MultiMarginLoss (1.0)
// and TripletMarginLoss (1.0).
func WithMargin(margin float64) LossOption {
	return LossOption{"margin", func(o *lossOptions) { o.margin = &margin }}
}

// WithP is the p= argument of TripletMarginLoss (the norm degree, default
// 2) and MultiMarginLoss (1, the default, or 2).
func WithP(p float64) LossOption {
	return LossOption{"p", func(o *lossOptions) { o.p = &p }}
}

// WithEps is the eps= argument of TripletMarginLoss (default 1e-6),
// PoissonNLLLoss (1e-8) and GaussianNLLLoss (1e-6).
func WithEps(eps float64) LossOption {
	return LossOption{"eps", func(o *lossOptions) { o.eps = &eps }}
}

// WithSwap is TripletMarginLoss's swap= argument: the distance swap of
// Balntas et al.
func WithSwap(swap bool) LossOption {
	return LossOption{"swap", func(o *lossOptions) { o.swap = swap }}
}

// WithFull is the full= argument of PoissonNLLLoss and GaussianNLLLoss:
// include the constant terms of the log-likelihood.
func WithFull(full bool) LossOption {
	return LossOption{"full", func(o *lossOptions) { o.full = full }}
}

// WithLogInput is PoissonNLLLoss's log_input= argument (default true): the
// input is the log of the rate.
func WithLogInput(logInput bool) LossOption {
	return LossOption{"log_input", func(o *lossOptions) { o.logInput = logInput }}
}

// WithBlank is CTCLoss's blank= argument: the blank label (default 0).
func WithBlank(blank int64) LossOption {
	return LossOption{"blank", func(o *lossOptions) { o.blank = blank }}
}

// WithZeroInfinity is CTCLoss's zero_infinity= argument: zero the infinite
// losses, and their gradients, of inputs too short to align to their
// targets.
func WithZeroInfinity(zero bool) LossOption {
	return LossOption{"zero_infinity", func(o *lossOptions) { o.zeroInfinity = zero }}
}

// WithDistanceFunction is TripletMarginWithDistanceLoss's
// distance_function= argument: the distance between two batches of
// embeddings (default: the Euclidean pairwise distance, nn.PairwiseDistance()).
func WithDistanceFunction(d func(x1, x2 *torch.Tensor) *torch.Tensor) LossOption {
	return LossOption{"distance_function", func(o *lossOptions) { o.distance = d }}
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
			panic(&torch.Error{Op: "New" + loss, Kind: torch.KindType, Msg: fmt.Sprintf("%s has no argument %s", loss, opt.name)})
		}
		opt.set(&o)
	}
	if o.reduction == ReductionBatchMean && loss != "KLDivLoss" {
		panic(&torch.Error{Op: "New" + loss, Kind: torch.KindValue, Msg: "batchmean is not a valid value for reduction"})
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

// marginOr, pOr and epsOr are the options' margin, p and eps, or the
// loss's default.
func (o *lossOptions) marginOr(def float64) float64 { return optarg.Or(o.get().margin, def) }
func (o *lossOptions) pOr(def float64) float64      { return optarg.Or(o.get().p, def) }
func (o *lossOptions) epsOr(def float64) float64    { return optarg.Or(o.get().eps, def) }

// ---- classification losses ----

// CrossEntropyLoss is torch.nn.CrossEntropyLoss: log_softmax over
// dimension 1 of the raw scores, then the negative log-likelihood of the
// target, with optional class weights and label smoothing. The target is
// class indices (Int64 [N] or [N, d...]) or class probabilities (the
// input's shape). Its zero value is nn.CrossEntropyLoss() with PyTorch's
// defaults.
type CrossEntropyLoss struct {
	Weight *torch.Tensor `nn:"weight,buffer"` // class weights [C], or nil
	opts   *lossOptions
}

// NewCrossEntropyLoss is torch.nn.CrossEntropyLoss(weight=None,
// ignore_index=-100, reduction='mean', label_smoothing=0.0), set with
// WithWeight, WithIgnoreIndex, WithReduction and WithLabelSmoothing.
func NewCrossEntropyLoss(opts ...LossOption) *CrossEntropyLoss {
	o := buildLoss("CrossEntropyLoss", opts, "weight", "reduction", "ignore_index", "label_smoothing")
	return &CrossEntropyLoss{Weight: o.weight, opts: o}
}

// Forward is nn.CrossEntropyLoss.forward: F.cross_entropy.
func (l *CrossEntropyLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.CrossEntropy(input, target, F.CrossEntropyOpts{Weight: l.Weight, Reduction: new(o.reduction),
		IgnoreIndex: new(o.ignoreIndex), LabelSmoothing: o.labelSmoothing})
}

// Reduction is nn.CrossEntropyLoss.reduction.
func (l *CrossEntropyLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// IgnoreIndex is nn.CrossEntropyLoss.ignore_index.
func (l *CrossEntropyLoss) IgnoreIndex() int64 { return l.opts.get().ignoreIndex }

// LabelSmoothing is nn.CrossEntropyLoss.label_smoothing.
func (l *CrossEntropyLoss) LabelSmoothing() float64 { return l.opts.get().labelSmoothing }

// String prints the loss as PyTorch's repr does: "CrossEntropyLoss()".
func (l *CrossEntropyLoss) String() string { return "CrossEntropyLoss()" }

// NLLLoss is torch.nn.NLLLoss: the negative log-likelihood of the target
// class, over log-probabilities (the output of LogSoftmax), [N, C] or [N,
// C, d...]. Its zero value is nn.NLLLoss() with PyTorch's defaults.
type NLLLoss struct {
	Weight *torch.Tensor `nn:"weight,buffer"` // class weights [C], or nil
	opts   *lossOptions
}

// NewNLLLoss is torch.nn.NLLLoss(weight=None, ignore_index=-100,
// reduction='mean').
func NewNLLLoss(opts ...LossOption) *NLLLoss {
	o := buildLoss("NLLLoss", opts, "weight", "reduction", "ignore_index")
	return &NLLLoss{Weight: o.weight, opts: o}
}

// Forward is nn.NLLLoss.forward: F.nll_loss; target holds Int64 class
// indices ([N] or [N, d...]).
func (l *NLLLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.NllLoss(input, target, F.NllLossOpts{Weight: l.Weight, Reduction: new(o.reduction), IgnoreIndex: new(o.ignoreIndex)})
}

// Reduction is nn.NLLLoss.reduction.
func (l *NLLLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// IgnoreIndex is nn.NLLLoss.ignore_index.
func (l *NLLLoss) IgnoreIndex() int64 { return l.opts.get().ignoreIndex }

// String prints the loss as PyTorch's repr does: "NLLLoss()".
func (l *NLLLoss) String() string { return "NLLLoss()" }

// BCELoss is torch.nn.BCELoss: the binary cross-entropy of probabilities
// (the output of a Sigmoid) against targets in [0, 1] of the same shape.
// Its zero value is nn.BCELoss().
type BCELoss struct {
	Weight *torch.Tensor `nn:"weight,buffer"` // rescales each element (broadcast), or nil
	opts   *lossOptions
}

// NewBCELoss is torch.nn.BCELoss(weight=None, reduction='mean').
func NewBCELoss(opts ...LossOption) *BCELoss {
	o := buildLoss("BCELoss", opts, "weight", "reduction")
	return &BCELoss{Weight: o.weight, opts: o}
}

// Forward is nn.BCELoss.forward: F.binary_cross_entropy.
func (l *BCELoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.BinaryCrossEntropy(input, target, F.BinaryCrossEntropyOpts{Weight: l.Weight, Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.BCELoss.reduction.
func (l *BCELoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does: "BCELoss()".
func (l *BCELoss) String() string { return "BCELoss()" }

// BCEWithLogitsLoss is torch.nn.BCEWithLogitsLoss: a Sigmoid and BCELoss in
// one, computed stably from the logits. Its zero value is
// nn.BCEWithLogitsLoss().
type BCEWithLogitsLoss struct {
	Weight    *torch.Tensor `nn:"weight,buffer"`     // rescales each element (broadcast), or nil
	PosWeight *torch.Tensor `nn:"pos_weight,buffer"` // weight of the positive examples per class, or nil
	opts      *lossOptions
}

// NewBCEWithLogitsLoss is torch.nn.BCEWithLogitsLoss(weight=None,
// reduction='mean', pos_weight=None).
func NewBCEWithLogitsLoss(opts ...LossOption) *BCEWithLogitsLoss {
	o := buildLoss("BCEWithLogitsLoss", opts, "weight", "reduction", "pos_weight")
	return &BCEWithLogitsLoss{Weight: o.weight, PosWeight: o.posWeight, opts: o}
}

// Forward is nn.BCEWithLogitsLoss.forward:
// F.binary_cross_entropy_with_logits.
func (l *BCEWithLogitsLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.BinaryCrossEntropyWithLogits(input, target, F.BinaryCrossEntropyWithLogitsOpts{
		Weight: l.Weight, PosWeight: l.PosWeight, Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.BCEWithLogitsLoss.reduction.
func (l *BCEWithLogitsLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does: "BCEWithLogitsLoss()".
func (l *BCEWithLogitsLoss) String() string { return "BCEWithLogitsLoss()" }

// KLDivLoss is torch.nn.KLDivLoss: the Kullback-Leibler divergence of the
// target from the input log-probabilities. PyTorch's default reduction,
// 'mean', divides by the number of elements; ReductionBatchMean (the
// divergence's definition) divides by the batch size. Its zero value is
// nn.KLDivLoss().
type KLDivLoss struct{ opts *lossOptions }

// NewKLDivLoss is torch.nn.KLDivLoss(reduction='mean', log_target=False),
// set with WithReduction (ReductionBatchMean included) and WithLogTarget.
func NewKLDivLoss(opts ...LossOption) *KLDivLoss {
	return &KLDivLoss{buildLoss("KLDivLoss", opts, "reduction", "log_target")}
}

// Forward is nn.KLDivLoss.forward: F.kl_div.
func (l *KLDivLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.KlDiv(input, target, F.KlDivOpts{Reduction: new(o.reduction), LogTarget: o.logTarget})
}

// Reduction is nn.KLDivLoss.reduction.
func (l *KLDivLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// LogTarget is nn.KLDivLoss.log_target.
func (l *KLDivLoss) LogTarget() bool { return l.opts.get().logTarget }

// String prints the loss as PyTorch's repr does: "KLDivLoss()".
func (l *KLDivLoss) String() string { return "KLDivLoss()" }

// ---- regression losses ----

// MSELoss is torch.nn.MSELoss: the squared difference of input and target.
// Its zero value is nn.MSELoss() with reduction='mean'.
type MSELoss struct{ opts *lossOptions }

// NewMSELoss is torch.nn.MSELoss(reduction='mean').
func NewMSELoss(opts ...LossOption) *MSELoss {
	return &MSELoss{buildLoss("MSELoss", opts, "reduction")}
}

// Forward is nn.MSELoss.forward: F.mse_loss.
func (l *MSELoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.MseLoss(input, target, F.MseLossOpts{Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.MSELoss.reduction.
func (l *MSELoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does: "MSELoss()".
func (l *MSELoss) String() string { return "MSELoss()" }

// L1Loss is torch.nn.L1Loss: the absolute difference of input and target.
// Its zero value is nn.L1Loss().
type L1Loss struct{ opts *lossOptions }

// NewL1Loss is torch.nn.L1Loss(reduction='mean').
func NewL1Loss(opts ...LossOption) *L1Loss {
	return &L1Loss{buildLoss("L1Loss", opts, "reduction")}
}

// Forward is nn.L1Loss.forward: F.l1_loss.
func (l *L1Loss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.L1Loss(input, target, F.L1LossOpts{Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.L1Loss.reduction.
func (l *L1Loss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does: "L1Loss()".
func (l *L1Loss) String() string { return "L1Loss()" }

// SmoothL1Loss is torch.nn.SmoothL1Loss: quadratic where |x - y| < beta,
// linear beyond. Its zero value is nn.SmoothL1Loss().
type SmoothL1Loss struct{ opts *lossOptions }

// NewSmoothL1Loss is torch.nn.SmoothL1Loss(reduction='mean', beta=1.0).
func NewSmoothL1Loss(opts ...LossOption) *SmoothL1Loss {
	return &SmoothL1Loss{buildLoss("SmoothL1Loss", opts, "reduction", "beta")}
}

// Forward is nn.SmoothL1Loss.forward: F.smooth_l1_loss.
func (l *SmoothL1Loss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.SmoothL1Loss(input, target, F.SmoothL1LossOpts{Reduction: new(o.reduction), Beta: new(o.beta)})
}

// Reduction is nn.SmoothL1Loss.reduction.
func (l *SmoothL1Loss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Beta is nn.SmoothL1Loss.beta.
func (l *SmoothL1Loss) Beta() float64 { return l.opts.get().beta }

// String prints the loss as PyTorch's repr does: "SmoothL1Loss()".
func (l *SmoothL1Loss) String() string { return "SmoothL1Loss()" }

// HuberLoss is torch.nn.HuberLoss: quadratic where |x - y| < delta, linear
// (scaled by delta) beyond. Its zero value is nn.HuberLoss().
type HuberLoss struct{ opts *lossOptions }

// NewHuberLoss is torch.nn.HuberLoss(reduction='mean', delta=1.0).
func NewHuberLoss(opts ...LossOption) *HuberLoss {
	return &HuberLoss{buildLoss("HuberLoss", opts, "reduction", "delta")}
}

// Forward is nn.HuberLoss.forward: F.huber_loss.
func (l *HuberLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.HuberLoss(input, target, F.HuberLossOpts{Reduction: new(o.reduction), Delta: new(o.delta)})
}

// Reduction is nn.HuberLoss.reduction.
func (l *HuberLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Delta is nn.HuberLoss.delta.
func (l *HuberLoss) Delta() float64 { return l.opts.get().delta }

// String prints the loss as PyTorch's repr does: "HuberLoss()".
func (l *HuberLoss) String() string { return "HuberLoss()" }

// PoissonNLLLoss is torch.nn.PoissonNLLLoss: the negative log-likelihood
// of the targets under Poisson distributions. Its zero value is
// nn.PoissonNLLLoss().
type PoissonNLLLoss struct{ opts *lossOptions }

// NewPoissonNLLLoss is torch.nn.PoissonNLLLoss(log_input=True, full=False,
// eps=1e-8, reduction='mean').
func NewPoissonNLLLoss(opts ...LossOption) *PoissonNLLLoss {
	return &PoissonNLLLoss{buildLoss("PoissonNLLLoss", opts, "log_input", "full", "eps", "reduction")}
}

// Forward is nn.PoissonNLLLoss.forward: F.poisson_nll_loss.
func (l *PoissonNLLLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.PoissonNllLoss(input, target, F.PoissonNllLossOpts{LogInput: new(o.logInput), Full: o.full, Eps: new(l.Eps()), Reduction: new(o.reduction)})
}

// Reduction is nn.PoissonNLLLoss.reduction.
func (l *PoissonNLLLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// LogInput is nn.PoissonNLLLoss.log_input.
func (l *PoissonNLLLoss) LogInput() bool { return l.opts.get().logInput }

// Full is nn.PoissonNLLLoss.full.
func (l *PoissonNLLLoss) Full() bool { return l.opts.get().full }

// Eps is nn.PoissonNLLLoss.eps.
func (l *PoissonNLLLoss) Eps() float64 { return l.opts.epsOr(1e-8) }

// String prints the loss as PyTorch's repr does: "PoissonNLLLoss()".
func (l *PoissonNLLLoss) String() string { return "PoissonNLLLoss()" }

// GaussianNLLLoss is torch.nn.GaussianNLLLoss: the negative log-likelihood
// of the targets under normal distributions of the input means and
// variances. Its zero value is nn.GaussianNLLLoss().
type GaussianNLLLoss struct{ opts *lossOptions }

// NewGaussianNLLLoss is torch.nn.GaussianNLLLoss(full=False, eps=1e-6,
// reduction='mean').
func NewGaussianNLLLoss(opts ...LossOption) *GaussianNLLLoss {
	return &GaussianNLLLoss{buildLoss("GaussianNLLLoss", opts, "full", "eps", "reduction")}
}

// Forward is nn.GaussianNLLLoss.forward(input, target, var):
// F.gaussian_nll_loss.
func (l *GaussianNLLLoss) Forward(input, target, variance *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.GaussianNllLoss(input, target, variance, F.GaussianNllLossOpts{Full: o.full, Eps: new(l.Eps()), Reduction: new(o.reduction)})
}

// Reduction is nn.GaussianNLLLoss.reduction.
func (l *GaussianNLLLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Full is nn.GaussianNLLLoss.full.
func (l *GaussianNLLLoss) Full() bool { return l.opts.get().full }

// Eps is nn.GaussianNLLLoss.eps.
func (l *GaussianNLLLoss) Eps() float64 { return l.opts.epsOr(1e-6) }

// String prints the loss as PyTorch's repr does: "GaussianNLLLoss()".
func (l *GaussianNLLLoss) String() string { return "GaussianNLLLoss()" }

// ---- margin and embedding losses ----

// MarginRankingLoss is torch.nn.MarginRankingLoss: max(0, -y (x1 - x2) +
// margin) for targets y of 1 or -1. Its zero value is
// nn.MarginRankingLoss().
type MarginRankingLoss struct{ opts *lossOptions }

// NewMarginRankingLoss is torch.nn.MarginRankingLoss(margin=0.0,
// reduction='mean').
func NewMarginRankingLoss(opts ...LossOption) *MarginRankingLoss {
	return &MarginRankingLoss{buildLoss("MarginRankingLoss", opts, "margin", "reduction")}
}

// Forward is nn.MarginRankingLoss.forward(input1, input2, target).
func (l *MarginRankingLoss) Forward(input1, input2, target *torch.Tensor) *torch.Tensor {
	return F.MarginRankingLoss(input1, input2, target, F.MarginRankingLossOpts{Margin: l.Margin(), Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.MarginRankingLoss.reduction.
func (l *MarginRankingLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Margin is nn.MarginRankingLoss.margin.
func (l *MarginRankingLoss) Margin() float64 { return l.opts.marginOr(0) }

// String prints the loss as PyTorch's repr does: "MarginRankingLoss()".
func (l *MarginRankingLoss) String() string { return "MarginRankingLoss()" }

// HingeEmbeddingLoss is torch.nn.HingeEmbeddingLoss: x where y = 1,
// max(0, margin - x) where y = -1. Its zero value is
// nn.HingeEmbeddingLoss().
type HingeEmbeddingLoss struct{ opts *lossOptions }

// NewHingeEmbeddingLoss is torch.nn.HingeEmbeddingLoss(margin=1.0,
// reduction='mean').
func NewHingeEmbeddingLoss(opts ...LossOption) *HingeEmbeddingLoss {
	return &HingeEmbeddingLoss{buildLoss("HingeEmbeddingLoss", opts, "margin", "reduction")}
}

// Forward is nn.HingeEmbeddingLoss.forward: F.hinge_embedding_loss.
func (l *HingeEmbeddingLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.HingeEmbeddingLoss(input, target, F.HingeEmbeddingLossOpts{Margin: new(l.Margin()), Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.HingeEmbeddingLoss.reduction.
func (l *HingeEmbeddingLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Margin is nn.HingeEmbeddingLoss.margin.
func (l *HingeEmbeddingLoss) Margin() float64 { return l.opts.marginOr(1.0) }

// String prints the loss as PyTorch's repr does: "HingeEmbeddingLoss()".
func (l *HingeEmbeddingLoss) String() string { return "HingeEmbeddingLoss()" }

// CosineEmbeddingLoss is torch.nn.CosineEmbeddingLoss: 1 - cos(x1, x2)
// where y = 1, max(0, cos(x1, x2) - margin) where y = -1. Its zero value is
// nn.CosineEmbeddingLoss().
type CosineEmbeddingLoss struct{ opts *lossOptions }

// NewCosineEmbeddingLoss is torch.nn.CosineEmbeddingLoss(margin=0.0,
// reduction='mean').
func NewCosineEmbeddingLoss(opts ...LossOption) *CosineEmbeddingLoss {
	return &CosineEmbeddingLoss{buildLoss("CosineEmbeddingLoss", opts, "margin", "reduction")}
}

// Forward is nn.CosineEmbeddingLoss.forward(input1, input2, target).
func (l *CosineEmbeddingLoss) Forward(input1, input2, target *torch.Tensor) *torch.Tensor {
	return F.CosineEmbeddingLoss(input1, input2, target, F.CosineEmbeddingLossOpts{Margin: l.Margin(), Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.CosineEmbeddingLoss.reduction.
func (l *CosineEmbeddingLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Margin is nn.CosineEmbeddingLoss.margin.
func (l *CosineEmbeddingLoss) Margin() float64 { return l.opts.marginOr(0) }

// String prints the loss as PyTorch's repr does: "CosineEmbeddingLoss()".
func (l *CosineEmbeddingLoss) String() string { return "CosineEmbeddingLoss()" }

// SoftMarginLoss is torch.nn.SoftMarginLoss: log(1 + exp(-y x)) for
// targets y of 1 or -1. Its zero value is nn.SoftMarginLoss().
type SoftMarginLoss struct{ opts *lossOptions }

// NewSoftMarginLoss is torch.nn.SoftMarginLoss(reduction='mean').
func NewSoftMarginLoss(opts ...LossOption) *SoftMarginLoss {
	return &SoftMarginLoss{buildLoss("SoftMarginLoss", opts, "reduction")}
}

// Forward is nn.SoftMarginLoss.forward: F.soft_margin_loss.
func (l *SoftMarginLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.SoftMarginLoss(input, target, F.SoftMarginLossOpts{Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.SoftMarginLoss.reduction.
func (l *SoftMarginLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does: "SoftMarginLoss()".
func (l *SoftMarginLoss) String() string { return "SoftMarginLoss()" }

// MultiLabelSoftMarginLoss is torch.nn.MultiLabelSoftMarginLoss: the
// one-versus-all binary cross-entropy of each class, averaged over the
// classes. Its zero value is nn.MultiLabelSoftMarginLoss().
type MultiLabelSoftMarginLoss struct {
	Weight *torch.Tensor `nn:"weight,buffer"` // class weights [C], or nil
	opts   *lossOptions
}

// NewMultiLabelSoftMarginLoss is torch.nn.MultiLabelSoftMarginLoss(
// weight=None, reduction='mean').
func NewMultiLabelSoftMarginLoss(opts ...LossOption) *MultiLabelSoftMarginLoss {
	o := buildLoss("MultiLabelSoftMarginLoss", opts, "weight", "reduction")
	return &MultiLabelSoftMarginLoss{Weight: o.weight, opts: o}
}

// Forward is nn.MultiLabelSoftMarginLoss.forward:
// F.multilabel_soft_margin_loss.
func (l *MultiLabelSoftMarginLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.MultilabelSoftMarginLoss(input, target, F.MultilabelSoftMarginLossOpts{Weight: l.Weight, Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.MultiLabelSoftMarginLoss.reduction.
func (l *MultiLabelSoftMarginLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does:
// "MultiLabelSoftMarginLoss()".
func (l *MultiLabelSoftMarginLoss) String() string { return "MultiLabelSoftMarginLoss()" }

// MultiLabelMarginLoss is torch.nn.MultiLabelMarginLoss: the multi-class
// multi-label hinge loss; the target holds class indices, ended by the
// first -1. Its zero value is nn.MultiLabelMarginLoss().
type MultiLabelMarginLoss struct{ opts *lossOptions }

// NewMultiLabelMarginLoss is torch.nn.MultiLabelMarginLoss(reduction='mean').
func NewMultiLabelMarginLoss(opts ...LossOption) *MultiLabelMarginLoss {
	return &MultiLabelMarginLoss{buildLoss("MultiLabelMarginLoss", opts, "reduction")}
}

// Forward is nn.MultiLabelMarginLoss.forward: F.multilabel_margin_loss.
func (l *MultiLabelMarginLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.MultilabelMarginLoss(input, target, F.MultilabelMarginLossOpts{Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.MultiLabelMarginLoss.reduction.
func (l *MultiLabelMarginLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// String prints the loss as PyTorch's repr does: "MultiLabelMarginLoss()".
func (l *MultiLabelMarginLoss) String() string { return "MultiLabelMarginLoss()" }

// MultiMarginLoss is torch.nn.MultiMarginLoss: the multi-class hinge loss
// against Int64 class-index targets. Its zero value is
// nn.MultiMarginLoss().
type MultiMarginLoss struct {
	Weight *torch.Tensor `nn:"weight,buffer"` // class weights [C], or nil
	opts   *lossOptions
}

// NewMultiMarginLoss is torch.nn.MultiMarginLoss(p=1, margin=1.0,
// weight=None, reduction='mean'). It panics unless p is 1 or 2 and the
// weight is 1-D, as PyTorch raises.
func NewMultiMarginLoss(opts ...LossOption) *MultiMarginLoss {
	o := buildLoss("MultiMarginLoss", opts, "p", "margin", "weight", "reduction")
	if p := o.pOr(1); p != 1 && p != 2 {
		panic(&torch.Error{Op: "NewMultiMarginLoss", Kind: torch.KindValue, Msg: fmt.Sprintf("only p == 1 and p == 2 supported, got %v", p)})
	}
	if o.weight != nil && o.weight.Dim() != 1 {
		panic(&torch.Error{Op: "NewMultiMarginLoss", Kind: torch.KindValue, Msg: fmt.Sprintf("weight must be one-dimensional, got %v", o.weight.Shape())})
	}
	return &MultiMarginLoss{Weight: o.weight, opts: o}
}

// Forward is nn.MultiMarginLoss.forward: F.multi_margin_loss.
func (l *MultiMarginLoss) Forward(input, target *torch.Tensor) *torch.Tensor {
	return F.MultiMarginLoss(input, target, F.MultiMarginLossOpts{P: new(l.P()), Margin: new(l.Margin()), Weight: l.Weight,
		Reduction: new(l.opts.get().reduction)})
}

// Reduction is nn.MultiMarginLoss.reduction.
func (l *MultiMarginLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// P is nn.MultiMarginLoss.p.
func (l *MultiMarginLoss) P() int64 { return int64(math.Round(l.opts.pOr(1))) }

// Margin is nn.MultiMarginLoss.margin.
func (l *MultiMarginLoss) Margin() float64 { return l.opts.marginOr(1.0) }

// String prints the loss as PyTorch's repr does: "MultiMarginLoss()".
func (l *MultiMarginLoss) String() string { return "MultiMarginLoss()" }

// TripletMarginLoss is torch.nn.TripletMarginLoss: max(d(a, p) - d(a, n) +
// margin, 0), d the p-norm distance, for anchors, positive and negative
// examples. Its zero value is nn.TripletMarginLoss().
type TripletMarginLoss struct{ opts *lossOptions }

// NewTripletMarginLoss is torch.nn.TripletMarginLoss(margin=1.0, p=2.0,
// eps=1e-6, swap=False, reduction='mean').
func NewTripletMarginLoss(opts ...LossOption) *TripletMarginLoss {
	return &TripletMarginLoss{buildLoss("TripletMarginLoss", opts, "margin", "p", "eps", "swap", "reduction")}
}

// Forward is nn.TripletMarginLoss.forward(anchor, positive, negative).
func (l *TripletMarginLoss) Forward(anchor, positive, negative *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.TripletMarginLoss(anchor, positive, negative, F.TripletMarginLossOpts{Margin: new(l.Margin()), P: new(l.P()),
		Eps: new(l.Eps()), Swap: o.swap, Reduction: new(o.reduction)})
}

// Reduction is nn.TripletMarginLoss.reduction.
func (l *TripletMarginLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Margin is nn.TripletMarginLoss.margin.
func (l *TripletMarginLoss) Margin() float64 { return l.opts.marginOr(1.0) }

// P is nn.TripletMarginLoss.p.
func (l *TripletMarginLoss) P() float64 { return l.opts.pOr(2) }

// Eps is nn.TripletMarginLoss.eps.
func (l *TripletMarginLoss) Eps() float64 { return l.opts.epsOr(1e-6) }

// Swap is nn.TripletMarginLoss.swap.
func (l *TripletMarginLoss) Swap() bool { return l.opts.get().swap }

// String prints the loss as PyTorch's repr does: "TripletMarginLoss()".
func (l *TripletMarginLoss) String() string { return "TripletMarginLoss()" }

// TripletMarginWithDistanceLoss is torch.nn.TripletMarginWithDistanceLoss:
// max(d(a, p) - d(a, n) + margin, 0) for a distance function d of one's
// choice. Its zero value is nn.TripletMarginWithDistanceLoss(), with the
// Euclidean distance.
type TripletMarginWithDistanceLoss struct{ opts *lossOptions }

// NewTripletMarginWithDistanceLoss is
// torch.nn.TripletMarginWithDistanceLoss(distance_function=None,
// margin=1.0, swap=False, reduction='mean'), set with
// WithDistanceFunction, WithMargin, WithSwap and WithReduction. It panics
// unless margin > 0 (PyTorch 2.x raises ValueError; 1.13 does not check).
func NewTripletMarginWithDistanceLoss(opts ...LossOption) *TripletMarginWithDistanceLoss {
	l := &TripletMarginWithDistanceLoss{buildLoss("TripletMarginWithDistanceLoss", opts, "distance_function", "margin", "swap", "reduction")}
	if m := l.Margin(); !(m > 0) {
		panic(&torch.Error{Op: "NewTripletMarginWithDistanceLoss", Kind: torch.KindValue,
			Msg: fmt.Sprintf("TripletMarginWithDistanceLoss: expected margin to be greater than 0, got %v instead", m)})
	}
	return l
}

// Forward is nn.TripletMarginWithDistanceLoss.forward(anchor, positive,
// negative).
func (l *TripletMarginWithDistanceLoss) Forward(anchor, positive, negative *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.TripletMarginWithDistanceLoss(anchor, positive, negative, F.TripletMarginWithDistanceLossOpts{
		DistanceFunction: o.distance, Margin: new(l.Margin()), Swap: o.swap, Reduction: new(o.reduction)})
}

// Reduction is nn.TripletMarginWithDistanceLoss.reduction.
func (l *TripletMarginWithDistanceLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Margin is nn.TripletMarginWithDistanceLoss.margin.
func (l *TripletMarginWithDistanceLoss) Margin() float64 { return l.opts.marginOr(1.0) }

// Swap is nn.TripletMarginWithDistanceLoss.swap.
func (l *TripletMarginWithDistanceLoss) Swap() bool { return l.opts.get().swap }

// String prints the loss as PyTorch's repr does, with the default
// distance function as its child module:
// "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)".
func (l *TripletMarginWithDistanceLoss) String() string {
	if l.opts.get().distance == nil {
		return "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)"
	}
	return "TripletMarginWithDistanceLoss()"
}

// ---- sequence losses ----

// CTCLoss is torch.nn.CTCLoss: the Connectionist Temporal Classification
// loss between unsegmented sequences and their targets. Its zero value is
// nn.CTCLoss().
type CTCLoss struct{ opts *lossOptions }

// NewCTCLoss is torch.nn.CTCLoss(blank=0, reduction='mean',
// zero_infinity=False), set with WithBlank, WithReduction and
// WithZeroInfinity.
func NewCTCLoss(opts ...LossOption) *CTCLoss {
	return &CTCLoss{buildLoss("CTCLoss", opts, "blank", "reduction", "zero_infinity")}
}

// Forward is nn.CTCLoss.forward(log_probs, targets, input_lengths,
// target_lengths): log-probabilities [T, N, C] (or [T, C]), targets [N, S]
// padded or concatenated, and the Int64 lengths of each input and target.
func (l *CTCLoss) Forward(logProbs, targets, inputLengths, targetLengths *torch.Tensor) *torch.Tensor {
	o := l.opts.get()
	return F.CtcLoss(logProbs, targets, inputLengths, targetLengths, F.CtcLossOpts{Blank: o.blank, Reduction: new(o.reduction), ZeroInfinity: o.zeroInfinity})
}

// Reduction is nn.CTCLoss.reduction.
func (l *CTCLoss) Reduction() torch.Reduction { return l.opts.get().reduction }

// Blank is nn.CTCLoss.blank.
func (l *CTCLoss) Blank() int64 { return l.opts.get().blank }

// ZeroInfinity is nn.CTCLoss.zero_infinity.
func (l *CTCLoss) ZeroInfinity() bool { return l.opts.get().zeroInfinity }

// String prints the loss as PyTorch's repr does: "CTCLoss()".
func (l *CTCLoss) String() string { return "CTCLoss()" }

package functional

import (
	"fmt"
	"math"
	"slices"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// ReductionBatchMean is KlDiv's reduction='batchmean': the summed loss
// divided by the batch size (the input's first dimension), which is the
// mathematical definition of the KL divergence. Only KlDiv and
// nn.KLDivLoss accept it.
const ReductionBatchMean torch.Reduction = 3

// lossReduction is the reduction= argument r, PyTorch's 'mean' where r is
// nil. It panics, as PyTorch raises ValueError, on a value that is not a
// reduction ('batchmean' included, which only KlDiv takes).
func lossReduction(op string, r *torch.Reduction) torch.Reduction {
	if r == nil {
		return torch.ReductionMean
	}
	switch *r {
	case torch.ReductionNone, torch.ReductionMean, torch.ReductionSum:
		return *r
	}
	panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: ReductionName(*r) + " is not a valid value for reduction"})
}

// ReductionName is the string PyTorch spells a reduction with: "none",
// "mean", "sum" or "batchmean".
func ReductionName(r torch.Reduction) string {
	switch r {
	case torch.ReductionNone:
		return "none"
	case torch.ReductionMean:
		return "mean"
	case torch.ReductionSum:
		return "sum"
	case ReductionBatchMean:
		return "batchmean"
	}
	return fmt.Sprintf("Reduction(%d)", int(r))
}

// lossReduce applies reduction r to the per-element losses of the losses
// PyTorch writes in Python (loss.mean(), loss.sum(), or the loss itself).
func lossReduce(loss *torch.Tensor, r torch.Reduction) *torch.Tensor {
	switch r {
	case torch.ReductionMean:
		return loss.Mean()
	case torch.ReductionSum:
		return loss.Sum()
	}
	return loss
}

// lossBroadcast is torch.broadcast_tensors(input, target), which the
// element-wise losses apply before the kernel.
func lossBroadcast(input, target *torch.Tensor) (*torch.Tensor, *torch.Tensor) {
	if slices.Equal(input.Shape(), target.Shape()) {
		return input, target
	}
	b := torch.BroadcastTensors([]*torch.Tensor{input, target})
	return b[0], b[1]
}

// BinaryCrossEntropyOpts are the defaulted arguments of BinaryCrossEntropy.
type BinaryCrossEntropyOpts struct {
	Weight    *torch.Tensor    // rescales each element's loss; broadcast to the target's shape
	Reduction *torch.Reduction // default torch.ReductionMean
}

// BinaryCrossEntropy is torch.nn.functional.binary_cross_entropy: -w (y
// log(x) + (1 - y) log(1 - x)) for probabilities x and targets y of the
// same shape. The logs are clamped at -100, as PyTorch does.
func BinaryCrossEntropy(input, target *torch.Tensor, opts ...BinaryCrossEntropyOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("BinaryCrossEntropy", o.Reduction)
	if !slices.Equal(target.Shape(), input.Shape()) {
		panic(&torch.Error{Op: "BinaryCrossEntropy", Kind: torch.KindValue, Msg: fmt.Sprintf(
			"Using a target size (%v) that is different to the input size (%v) is deprecated. Please ensure they have the same size.",
			target.Shape(), input.Shape())})
	}
	w := o.Weight
	if w != nil {
		w = torch.BroadcastTensors([]*torch.Tensor{target, w})[1] // weight.expand(_infer_size(target, weight))
	}
	return torch.BinaryCrossEntropy(input, target, torch.BinaryCrossEntropyOpts{Weight: w, Reduction: new(r)})
}

// BinaryCrossEntropyWithLogitsOpts are the defaulted arguments of
// BinaryCrossEntropyWithLogits.
type BinaryCrossEntropyWithLogitsOpts struct {
	Weight    *torch.Tensor    // rescales each element's loss (broadcast)
	Reduction *torch.Reduction // default torch.ReductionMean
	PosWeight *torch.Tensor    // weight of the positive examples, one per class (broadcast over the last dimension)
}

// BinaryCrossEntropyWithLogits is
// torch.nn.functional.binary_cross_entropy_with_logits: BinaryCrossEntropy
// of sigmoid(x), computed stably from the logits x.
func BinaryCrossEntropyWithLogits(input, target *torch.Tensor, opts ...BinaryCrossEntropyWithLogitsOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("BinaryCrossEntropyWithLogits", o.Reduction)
	if !slices.Equal(target.Shape(), input.Shape()) {
		panic(&torch.Error{Op: "BinaryCrossEntropyWithLogits", Kind: torch.KindValue, Msg: fmt.Sprintf(
			"Target size (%v) must be the same as input size (%v)", target.Shape(), input.Shape())})
	}
	return torch.BinaryCrossEntropyWithLogits(input, target, torch.BinaryCrossEntropyWithLogitsOpts{
		Weight: o.Weight, PosWeight: o.PosWeight, Reduction: new(r)})
}

// KlDivOpts are the defaulted arguments of KlDiv.
type KlDivOpts struct {
	// Reduction is torch.ReductionMean (the default, which divides by the
	// number of elements), ReductionBatchMean (divides by the batch size,
	// the KL divergence's definition), torch.ReductionSum or
	// torch.ReductionNone.
	Reduction *torch.Reduction
	LogTarget bool // the target holds log-probabilities
}

// KlDiv is torch.nn.functional.kl_div: the Kullback-Leibler divergence
// target * (log(target) - input) of the target from the input
// log-probabilities.
func KlDiv(input, target *torch.Tensor, opts ...KlDivOpts) *torch.Tensor {
	o := optarg.First(opts)
	batchMean := o.Reduction != nil && *o.Reduction == ReductionBatchMean
	var r torch.Reduction
	if batchMean {
		r = torch.ReductionSum
	} else {
		r = lossReduction("KlDiv", o.Reduction)
	}
	reduced := torch.KlDiv(input, target, torch.KlDivOpts{Reduction: new(r), LogTarget: o.LogTarget})
	if batchMean && input.Dim() != 0 {
		reduced = reduced.DivScalar(torch.Int(input.Size(0)))
	}
	return reduced
}

// L1LossOpts are the defaulted arguments of L1Loss.
type L1LossOpts struct {
	Reduction *torch.Reduction // default torch.ReductionMean
}

// L1Loss is torch.nn.functional.l1_loss: |x - y|, input and target
// broadcast together.
func L1Loss(input, target *torch.Tensor, opts ...L1LossOpts) *torch.Tensor {
	r := lossReduction("L1Loss", optarg.First(opts).Reduction)
	x, y := lossBroadcast(input, target)
	return torch.L1Loss(x, y, torch.L1LossOpts{Reduction: new(r)})
}

// MseLossOpts are the defaulted arguments of MseLoss.
type MseLossOpts struct {
	Reduction *torch.Reduction // default torch.ReductionMean
}

// MseLoss is torch.nn.functional.mse_loss: (x - y)², input and target
// broadcast together.
func MseLoss(input, target *torch.Tensor, opts ...MseLossOpts) *torch.Tensor {
	r := lossReduction("MseLoss", optarg.First(opts).Reduction)
	x, y := lossBroadcast(input, target)
	return torch.MseLoss(x, y, torch.MseLossOpts{Reduction: new(r)})
}

// SmoothL1LossOpts are the defaulted arguments of SmoothL1Loss.
type SmoothL1LossOpts struct {
	Reduction *torch.Reduction // default torch.ReductionMean
	Beta      *float64         // default 1.0; must be >= 0
}

// SmoothL1Loss is torch.nn.functional.smooth_l1_loss: 0.5 (x - y)² / beta
// where |x - y| < beta, else |x - y| - 0.5 beta.
func SmoothL1Loss(input, target *torch.Tensor, opts ...SmoothL1LossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("SmoothL1Loss", o.Reduction)
	x, y := lossBroadcast(input, target)
	return torch.SmoothL1Loss(x, y, torch.SmoothL1LossOpts{Reduction: new(r), Beta: new(optarg.Or(o.Beta, 1.0))})
}

// HuberLossOpts are the defaulted arguments of HuberLoss.
type HuberLossOpts struct {
	Reduction *torch.Reduction // default torch.ReductionMean
	Delta     *float64         // default 1.0; must be > 0
}

// HuberLoss is torch.nn.functional.huber_loss: 0.5 (x - y)² where |x - y| <
// delta, else delta (|x - y| - 0.5 delta).
func HuberLoss(input, target *torch.Tensor, opts ...HuberLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("HuberLoss", o.Reduction)
	x, y := lossBroadcast(input, target)
	return torch.HuberLoss(x, y, torch.HuberLossOpts{Reduction: new(r), Delta: new(optarg.Or(o.Delta, 1.0))})
}

// CrossEntropyOpts are the defaulted arguments of CrossEntropy.
type CrossEntropyOpts struct {
	Weight         *torch.Tensor    // one weight per class, [C]
	Reduction      *torch.Reduction // default torch.ReductionMean
	IgnoreIndex    *int64           // default -100: class-index targets equal to it count for nothing
	LabelSmoothing float64          // default 0.0, in [0, 1]
}

// CrossEntropy is torch.nn.functional.cross_entropy: log_softmax over
// dimension 1 of the scores, then the negative log-likelihood of the
// target. The target is class indices ([N] or [N, d...], Int64) or class
// probabilities (the input's shape, floating point).
func CrossEntropy(input, target *torch.Tensor, opts ...CrossEntropyOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("CrossEntropy", o.Reduction)
	return torch.CrossEntropyLoss(input, target, torch.CrossEntropyLossOpts{Weight: o.Weight, Reduction: new(r),
		IgnoreIndex: new(optarg.Or(o.IgnoreIndex, -100)), LabelSmoothing: o.LabelSmoothing})
}

// NllLossOpts are the defaulted arguments of NllLoss.
type NllLossOpts struct {
	Weight      *torch.Tensor    // one weight per class, [C]
	IgnoreIndex *int64           // default -100
	Reduction   *torch.Reduction // default torch.ReductionMean
}

// NllLoss is torch.nn.functional.nll_loss: minus the input's value at the
// target class, for log-probabilities [N, C] or [N, C, d...] and Int64
// targets [N] or [N, d...].
func NllLoss(input, target *torch.Tensor, opts ...NllLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("NllLoss", o.Reduction)
	return torch.NllLossNd(input, target, torch.NllLossNdOpts{Weight: o.Weight, Reduction: new(r), IgnoreIndex: new(optarg.Or(o.IgnoreIndex, -100))})
}

// MarginRankingLossOpts are the defaulted arguments of MarginRankingLoss.
type MarginRankingLossOpts struct {
	Margin    float64          // default 0
	Reduction *torch.Reduction // default torch.ReductionMean
}

// MarginRankingLoss is torch.nn.functional.margin_ranking_loss: max(0, -y
// (x1 - x2) + margin) for targets y of 1 or -1.
func MarginRankingLoss(input1, input2, target *torch.Tensor, opts ...MarginRankingLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("MarginRankingLoss", o.Reduction)
	if input1.Dim() != input2.Dim() || input1.Dim() != target.Dim() {
		panic(&torch.Error{Op: "MarginRankingLoss", Msg: fmt.Sprintf(
			"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: %v, input2: %v, target: %v ",
			input1.Shape(), input2.Shape(), target.Shape())})
	}
	return torch.MarginRankingLoss(input1, input2, target, torch.MarginRankingLossOpts{Margin: o.Margin, Reduction: new(r)})
}

// HingeEmbeddingLossOpts are the defaulted arguments of HingeEmbeddingLoss.
type HingeEmbeddingLossOpts struct {
	Margin    *float64         // default 1.0
	Reduction *torch.Reduction // default torch.ReductionMean
}

// HingeEmbeddingLoss is torch.nn.functional.hinge_embedding_loss: x where
// y = 1, max(0, margin - x) where y = -1.
func HingeEmbeddingLoss(input, target *torch.Tensor, opts ...HingeEmbeddingLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("HingeEmbeddingLoss", o.Reduction)
	return torch.HingeEmbeddingLoss(input, target, torch.HingeEmbeddingLossOpts{Margin: new(optarg.Or(o.Margin, 1.0)), Reduction: new(r)})
}

// CosineEmbeddingLossOpts are the defaulted arguments of
// CosineEmbeddingLoss.
type CosineEmbeddingLossOpts struct {
	Margin    float64          // default 0, in [-1, 1]
	Reduction *torch.Reduction // default torch.ReductionMean
}

// CosineEmbeddingLoss is torch.nn.functional.cosine_embedding_loss: 1 -
// cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1.
func CosineEmbeddingLoss(input1, input2, target *torch.Tensor, opts ...CosineEmbeddingLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("CosineEmbeddingLoss", o.Reduction)
	return torch.CosineEmbeddingLoss(input1, input2, target, torch.CosineEmbeddingLossOpts{Margin: o.Margin, Reduction: new(r)})
}

// SoftMarginLossOpts are the defaulted arguments of SoftMarginLoss.
type SoftMarginLossOpts struct {
	Reduction *torch.Reduction // default torch.ReductionMean
}

// SoftMarginLoss is torch.nn.functional.soft_margin_loss: log(1 + exp(-y
// x)) for targets y of 1 or -1.
func SoftMarginLoss(input, target *torch.Tensor, opts ...SoftMarginLossOpts) *torch.Tensor {
	r := lossReduction("SoftMarginLoss", optarg.First(opts).Reduction)
	return torch.SoftMarginLoss(input, target, torch.SoftMarginLossOpts{Reduction: new(r)})
}

// MultilabelSoftMarginLossOpts are the defaulted arguments of
// MultilabelSoftMarginLoss.
type MultilabelSoftMarginLossOpts struct {
	Weight    *torch.Tensor    // one weight per class, [C]
	Reduction *torch.Reduction // default torch.ReductionMean
}

// MultilabelSoftMarginLoss is
// torch.nn.functional.multilabel_soft_margin_loss: the binary cross-entropy
// of sigmoid(x) against 0/1 targets, averaged over the classes (the last
// dimension), with the same operations as PyTorch's Python code.
func MultilabelSoftMarginLoss(input, target *torch.Tensor, opts ...MultilabelSoftMarginLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("MultilabelSoftMarginLoss", o.Reduction)
	// -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
	loss := target.Mul(torch.LogSigmoid(input)).Add(torch.RsubScalar(target, torch.Int(1)).Mul(torch.LogSigmoid(input.Neg()))).Neg()
	if o.Weight != nil {
		loss = loss.Mul(o.Weight)
	}
	classDim := int64(input.Dim() - 1)
	c := input.Size(int(classDim))
	loss = loss.SumDim([]int64{classDim}).DivScalar(torch.Int(c))
	return lossReduce(loss, r)
}

// MultilabelMarginLossOpts are the defaulted arguments of
// MultilabelMarginLoss.
type MultilabelMarginLossOpts struct {
	Reduction *torch.Reduction // default torch.ReductionMean
}

// MultilabelMarginLoss is torch.nn.functional.multilabel_margin_loss: the
// multi-class hinge loss between the target classes (Int64 indices, ended
// by the first -1) and every other class.
func MultilabelMarginLoss(input, target *torch.Tensor, opts ...MultilabelMarginLossOpts) *torch.Tensor {
	r := lossReduction("MultilabelMarginLoss", optarg.First(opts).Reduction)
	return torch.MultilabelMarginLoss(input, target, torch.MultilabelMarginLossOpts{Reduction: new(r)})
}

// MultiMarginLossOpts are the defaulted arguments of MultiMarginLoss.
type MultiMarginLossOpts struct {
	P         *int64           // default 1; 1 or 2
	Margin    *float64         // default 1.0
	Weight    *torch.Tensor    // one weight per class, [C]
	Reduction *torch.Reduction // default torch.ReductionMean
}

// MultiMarginLoss is torch.nn.functional.multi_margin_loss: the multi-class
// hinge loss sum_i max(0, margin - x[y] + x[i])^p / C.
func MultiMarginLoss(input, target *torch.Tensor, opts ...MultiMarginLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("MultiMarginLoss", o.Reduction)
	p := optarg.Or(o.P, 1)
	if p != 1 && p != 2 {
		panic(&torch.Error{Op: "MultiMarginLoss", Kind: torch.KindValue, Msg: "only p == 1 and p == 2 supported"})
	}
	if o.Weight != nil && o.Weight.Dim() != 1 {
		panic(&torch.Error{Op: "MultiMarginLoss", Kind: torch.KindValue, Msg: "weight must be one-dimensional"})
	}
	return torch.MultiMarginLoss(input, target, torch.MultiMarginLossOpts{P: new(torch.Int(p)),
		Margin: new(torch.Float(optarg.Or(o.Margin, 1.0))), Weight: o.Weight, Reduction: new(r)})
}

// PoissonNllLossOpts are the defaulted arguments of PoissonNllLoss.
type PoissonNllLossOpts struct {
	LogInput  *bool            // default true: the input is log(λ), the loss exp(x) - y x; false: x - y log(x + eps)
	Full      bool             // add Stirling's approximation of log(y!)
	Eps       *float64         // default 1e-8
	Reduction *torch.Reduction // default torch.ReductionMean
}

// PoissonNllLoss is torch.nn.functional.poisson_nll_loss: the negative
// log-likelihood of targets y under Poisson distributions of rate λ.
func PoissonNllLoss(input, target *torch.Tensor, opts ...PoissonNllLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("PoissonNllLoss", o.Reduction)
	return torch.PoissonNllLoss(input, target, optarg.Or(o.LogInput, true), o.Full, optarg.Or(o.Eps, 1e-8), r)
}

// GaussianNllLossOpts are the defaulted arguments of GaussianNllLoss.
type GaussianNllLossOpts struct {
	Full      bool             // add the constant 0.5 log(2π)
	Eps       *float64         // default 1e-6: the variance is clamped at it, without gradient
	Reduction *torch.Reduction // default torch.ReductionMean
}

// GaussianNllLoss is torch.nn.functional.gaussian_nll_loss: 0.5 (log(var) +
// (input - target)² / var), for var of the input's shape, or of it without
// the last dimension, or with a last dimension of 1 (one variance for all).
func GaussianNllLoss(input, target, variance *torch.Tensor, opts ...GaussianNllLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("GaussianNllLoss", o.Reduction)
	is, vs := input.Shape(), variance.Shape()
	if !slices.Equal(vs, is) {
		switch {
		case len(is) > 0 && slices.Equal([]int64(is[:len(is)-1]), []int64(vs)):
			variance = variance.Unsqueeze(-1) // one variance per row: homoscedastic
		case len(is) > 0 && len(vs) > 0 && slices.Equal([]int64(is[:len(is)-1]), []int64(vs[:len(vs)-1])) && vs[len(vs)-1] == 1:
		default:
			panic(&torch.Error{Op: "GaussianNllLoss", Kind: torch.KindValue, Msg: "var is of incorrect size"})
		}
	}
	if variance.LtScalar(torch.Int(0)).Any().Item() != 0 {
		panic(&torch.Error{Op: "GaussianNllLoss", Kind: torch.KindValue, Msg: "var has negative entry/entries"})
	}
	variance = variance.Clone()
	eps := optarg.Or(o.Eps, 1e-6)
	torch.NoGrad(func() { variance.Clamp_(torch.ClampOpts{Min: new(torch.Float(eps))}) })
	// 0.5 * (torch.log(var) + (input - target)**2 / var)
	loss := variance.Log().Add(input.Sub(target).PowTensorScalar(torch.Int(2)).Div(variance)).MulScalar(torch.Float(0.5))
	if o.Full {
		loss = loss.AddScalar_(torch.Float(0.5 * math.Log(2*math.Pi)))
	}
	return lossReduce(loss, r)
}

// TripletMarginLossOpts are the defaulted arguments of TripletMarginLoss.
type TripletMarginLossOpts struct {
	Margin    *float64         // default 1.0
	P         *float64         // default 2: the norm of the pairwise distance
	Eps       *float64         // default 1e-6
	Swap      bool             // use the distance from positive to negative where smaller
	Reduction *torch.Reduction // default torch.ReductionMean
}

// TripletMarginLoss is torch.nn.functional.triplet_margin_loss: max(d(a,
// p) - d(a, n) + margin, 0) with d the p-norm pairwise distance.
func TripletMarginLoss(anchor, positive, negative *torch.Tensor, opts ...TripletMarginLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("TripletMarginLoss", o.Reduction)
	return torch.TripletMarginLoss(anchor, positive, negative, torch.TripletMarginLossOpts{Margin: new(optarg.Or(o.Margin, 1.0)),
		P: new(optarg.Or(o.P, 2.0)), Eps: new(optarg.Or(o.Eps, 1e-6)), Swap: o.Swap, Reduction: new(r)})
}

// TripletMarginWithDistanceLossOpts are the defaulted arguments of
// TripletMarginWithDistanceLoss.
type TripletMarginWithDistanceLossOpts struct {
	// DistanceFunction is the distance between two batches of embeddings;
	// nil is torch.nn.functional.pairwise_distance (the Euclidean
	// distance).
	DistanceFunction func(x1, x2 *torch.Tensor) *torch.Tensor
	Margin           *float64         // default 1.0
	Swap             bool             // use the distance from positive to negative where smaller
	Reduction        *torch.Reduction // default torch.ReductionMean
}

// TripletMarginWithDistanceLoss is
// torch.nn.functional.triplet_margin_with_distance_loss: max(d(a, p) - d(a,
// n) + margin, 0) for any distance function d, with the same operations as
// PyTorch's Python code.
func TripletMarginWithDistanceLoss(anchor, positive, negative *torch.Tensor, opts ...TripletMarginWithDistanceLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("TripletMarginWithDistanceLoss", o.Reduction)
	dist := o.DistanceFunction
	if dist == nil {
		dist = func(x1, x2 *torch.Tensor) *torch.Tensor { return torch.PairwiseDistance(x1, x2) }
	}
	positiveDist := dist(anchor, positive)
	negativeDist := dist(anchor, negative)
	if o.Swap {
		negativeDist = negativeDist.Minimum(dist(positive, negative))
	}
	output := positiveDist.Sub(negativeDist).AddScalar(torch.Float(optarg.Or(o.Margin, 1.0))).Clamp(torch.ClampOpts{Min: new(torch.Float(0.0))})
	return lossReduce(output, r)
}

// CtcLossOpts are the defaulted arguments of CtcLoss.
type CtcLossOpts struct {
	Blank        int64            // default 0: the blank label
	Reduction    *torch.Reduction // default torch.ReductionMean: each loss divided by its target length, then the batch mean
	ZeroInfinity bool             // zero the infinite losses (inputs too short to align) and their gradients
}

// CtcLoss is torch.nn.functional.ctc_loss: the Connectionist Temporal
// Classification loss of log-probabilities [T, N, C] (or [T, C]) against
// targets [N, S] (padded) or the concatenated targets, with Int64 lengths
// of each input and target.
func CtcLoss(logProbs, targets, inputLengths, targetLengths *torch.Tensor, opts ...CtcLossOpts) *torch.Tensor {
	o := optarg.First(opts)
	r := lossReduction("CtcLoss", o.Reduction)
	return torch.CtcLoss(logProbs, targets, inputLengths, targetLengths, torch.CtcLossOpts{Blank: o.Blank, Reduction: new(r), ZeroInfinity: o.ZeroInfinity})
}

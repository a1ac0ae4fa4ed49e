package nn_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// lossFn is a loss's forward pass over its tensors (input, target; or
// input1, input2, target; or input, target, var).
type lossFn func(t ...*torch.Tensor) *torch.Tensor

// lossCase is one loss computed in Go and in Python on the same tensors.
type lossCase struct {
	name  string
	f     lossFn
	mod   fmt.Stringer // the Go loss, for its repr; nil for a functional call
	py    string       // a Python callable
	ins   []string     // the tensors' keys
	grads []int        // the inputs whose gradient is compared
}

// lossFamily is one loss class with the argument variants to try; each is
// tried with every reduction.
type lossFamily struct {
	name       string
	build      func(opts ...nn.LossOption) (lossFn, fmt.Stringer)
	py         string // the Python class
	ins        []string
	grads      []int
	variants   []lossVariant
	reductions []torch.Reduction // default none, mean, sum
}

type lossVariant struct {
	suffix string
	opts   []nn.LossOption
	py     string // Python keyword arguments
	ins    []string
}

func two[L interface {
	Forward(a, b *torch.Tensor) *torch.Tensor
	fmt.Stringer
}](l L) (lossFn, fmt.Stringer) {
	return func(t ...*torch.Tensor) *torch.Tensor { return l.Forward(t[0], t[1]) }, l
}

func three[L interface {
	Forward(a, b, c *torch.Tensor) *torch.Tensor
	fmt.Stringer
}](l L) (lossFn, fmt.Stringer) {
	return func(t ...*torch.Tensor) *torch.Tensor { return l.Forward(t[0], t[1], t[2]) }, l
}

func four[L interface {
	Forward(a, b, c, d *torch.Tensor) *torch.Tensor
	fmt.Stringer
}](l L) (lossFn, fmt.Stringer) {
	return func(t ...*torch.Tensor) *torch.Tensor { return l.Forward(t[0], t[1], t[2], t[3]) }, l
}

// cosineDistance is 1 - cos(x1, x2), a distance for
// TripletMarginWithDistanceLoss.
func cosineDistance(x1, x2 *torch.Tensor) *torch.Tensor {
	return torch.RsubScalar(torch.CosineSimilarity(x1, x2), torch.Float(1.0))
}

// lossTensors are the inputs of every loss case.
func lossTensors() map[string]*torch.Tensor {
	torch.ManualSeed(3)
	logits := torch.Randn([]int64{8, 5})
	pm1 := func(shape ...int64) *torch.Tensor { // targets of 1 or -1
		return torch.RandInt(0, 2, shape).MulScalar(torch.Int(2)).SubScalar(torch.Int(1)).ToDType(torch.Float32)
	}
	probs := torch.Rand([]int64{4, 3}).MulScalar(torch.Float(0.98)).AddScalar(torch.Float(0.01))
	probs.IndexPut_(torch.FromSlice([]float32{0, 1}), 0, torch.Slice(0, 2)) // probabilities of exactly 0 and 1: the log clamp
	varT := torch.Rand([]int64{4, 3}).AddScalar(torch.Float(0.05))
	varT.IndexPut_(torch.FromSlice([]float32{1e-9}), 1, 1) // below eps: clamped
	return map[string]*torch.Tensor{
		"logits":      logits,
		"target":      torch.FromSlice([]int64{0, 4, 2, 2, 1, 3, 2, 0}),
		"ignored":     torch.FromSlice([]int64{0, -100, 2, 4, -100, 3, 1, 0}),
		"logp":        logits.LogSoftmax(1),
		"probt":       torch.Randn([]int64{8, 5}).Softmax(1), // class probabilities as the target
		"logq":        torch.Randn([]int64{8, 5}).LogSoftmax(1),
		"cw":          torch.Rand([]int64{5}).AddScalar(torch.Float(0.5)),
		"logits4":     torch.Randn([]int64{2, 5, 3, 3}),
		"target4":     torch.RandInt(0, 5, []int64{2, 3, 3}),
		"logp4":       torch.Randn([]int64{2, 5, 3, 3}).LogSoftmax(1),
		"x":           torch.Randn([]int64{4, 3}),
		"y":           torch.Randn([]int64{4, 3}),
		"yrow":        torch.Randn([]int64{3}), // broadcast over the rows
		"p":           probs,
		"y01":         torch.Rand([]int64{4, 3}),
		"hard01":      torch.RandInt(0, 2, []int64{4, 3}).ToDType(torch.Float32),
		"bw":          torch.Rand([]int64{3}).AddScalar(torch.Float(0.5)),
		"bw2":         torch.Rand([]int64{4, 3}),
		"posw":        torch.FromSlice([]float32{0.5, 2, 3}),
		"x1":          torch.Randn([]int64{6}),
		"x2":          torch.Randn([]int64{6}),
		"pm6":         pm1(6),
		"pm43":        pm1(4, 3),
		"e1":          torch.Randn([]int64{5, 4}),
		"e2":          torch.Randn([]int64{5, 4}),
		"e3":          torch.Randn([]int64{5, 4}),
		"pm5":         pm1(5),
		"mlm":         torch.FromSlice([]int64{3, 0, -1, 1, 2, -1, 0, 0, 4, 1, 2, 3, 4, 0, 1, 1, -1, 0, 0, 0}, 4, 5),
		"logits45":    torch.Randn([]int64{4, 5}),
		"rate":        torch.Rand([]int64{4, 3}).AddScalar(torch.Float(0.1)),
		"counts":      torch.RandInt(0, 6, []int64{4, 3}).ToDType(torch.Float32),
		"var":         varT,
		"var_row":     torch.Rand([]int64{4}).AddScalar(torch.Float(0.1)),
		"var_col":     torch.Rand([]int64{4, 1}).AddScalar(torch.Float(0.1)),
		"cw3":         torch.Rand([]int64{3}).AddScalar(torch.Float(0.5)),
		"logits_f64":  torch.Randn([]int64{6, 4}, torch.WithDType(torch.Float64)),
		"target_f64":  torch.FromSlice([]int64{3, 0, 1, 1, 2, 3}),
		"x_f64":       torch.Randn([]int64{4, 3}, torch.WithDType(torch.Float64)),
		"y_f64":       torch.Randn([]int64{4, 3}, torch.WithDType(torch.Float64)),
		"p_f64":       torch.Rand([]int64{4, 3}, torch.WithDType(torch.Float64)),
		"y01_f64":     torch.Rand([]int64{4, 3}, torch.WithDType(torch.Float64)),
		"probt_f64":   torch.Randn([]int64{6, 4}, torch.WithDType(torch.Float64)).Softmax(1),
		"logq_f64":    torch.Randn([]int64{4, 3}, torch.WithDType(torch.Float64)).LogSoftmax(1),
		"ignored_f64": torch.FromSlice([]int64{3, -100, 1, 1, -100, 3}),
		// CTC: log-probabilities [T=12, N=3, C=5], padded and concatenated
		// targets, an unbatched sequence, and inputs too short for their
		// targets (an infinite loss).
		"ctc_logp":    torch.Randn([]int64{12, 3, 5}).LogSoftmax(2),
		"ctc_targets": torch.FromSlice([]int64{1, 2, 2, 3, 4, 1, 0, 0, 3, 3, 1, 0}, 3, 4),
		"ctc_concat":  torch.FromSlice([]int64{1, 2, 2, 3, 4, 1, 3, 3, 1}),
		"ctc_in_len":  torch.FromSlice([]int64{12, 10, 8}),
		"ctc_tg_len":  torch.FromSlice([]int64{4, 2, 3}),
		"ctc_short":   torch.FromSlice([]int64{12, 1, 8}),
		"ctc_logp1":   torch.Randn([]int64{9, 4}, torch.WithDType(torch.Float64)).LogSoftmax(1),
		"ctc_target1": torch.FromSlice([]int64{1, 3, 3}),
		"ctc_in_len1": torch.FromSlice([]int64{9}).Reshape(),
		"ctc_tg_len1": torch.FromSlice([]int64{3}).Reshape(),
	}
}

// lossFamilies is every loss class with the arguments to try.
func lossFamilies() []lossFamily {
	r := func(rs ...torch.Reduction) []torch.Reduction { return rs }
	o := func(opts ...nn.LossOption) []nn.LossOption { return opts }
	return []lossFamily{
		{name: "ce", py: "nn.CrossEntropyLoss", ins: []string{"logits", "target"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewCrossEntropyLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "ignored", ins: []string{"logits", "ignored"}},
				{suffix: "ignore_2", opts: o(nn.WithIgnoreIndex(2)), py: "ignore_index=2"},
				{suffix: "smooth", opts: o(nn.WithLabelSmoothing(0.1)), py: "label_smoothing=0.1"},
				{suffix: "weight", py: "weight=d['cw']"},
				{suffix: "weight_smooth_ignore", opts: o(nn.WithLabelSmoothing(0.2), nn.WithIgnoreIndex(2)),
					py: "weight=d['cw'], label_smoothing=0.2, ignore_index=2"},
				{suffix: "weight_ignored", py: "weight=d['cw']", ins: []string{"logits", "ignored"}},
				{suffix: "probs", ins: []string{"logits", "probt"}},
				{suffix: "probs_weight_smooth", opts: o(nn.WithLabelSmoothing(0.3)),
					py: "weight=d['cw'], label_smoothing=0.3", ins: []string{"logits", "probt"}},
				{suffix: "nd", ins: []string{"logits4", "target4"}},
				{suffix: "nd_weight_smooth", opts: o(nn.WithLabelSmoothing(0.1)),
					py: "weight=d['cw'], label_smoothing=0.1", ins: []string{"logits4", "target4"}},
				{suffix: "f64_ignored", ins: []string{"logits_f64", "ignored_f64"}},
				{suffix: "f64_probs", ins: []string{"logits_f64", "probt_f64"}},
			}},
		{name: "nll", py: "nn.NLLLoss", ins: []string{"logp", "target"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewNLLLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "ignored", ins: []string{"logp", "ignored"}},
				{suffix: "ignore_0", opts: o(nn.WithIgnoreIndex(0)), py: "ignore_index=0"},
				{suffix: "weight", py: "weight=d['cw']"},
				{suffix: "weight_ignored", py: "weight=d['cw']", ins: []string{"logp", "ignored"}},
				{suffix: "nd", ins: []string{"logp4", "target4"}},
				{suffix: "nd_weight", py: "weight=d['cw']", ins: []string{"logp4", "target4"}},
			}},
		{name: "bce", py: "nn.BCELoss", ins: []string{"p", "y01"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewBCELoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "hard", ins: []string{"p", "hard01"}},
				{suffix: "weight_row", py: "weight=d['bw']"},
				{suffix: "weight_full", py: "weight=d['bw2']"},
				{suffix: "f64", ins: []string{"p_f64", "y01_f64"}},
			}},
		{name: "bce_logits", py: "nn.BCEWithLogitsLoss", ins: []string{"x", "y01"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewBCEWithLogitsLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "hard", ins: []string{"x", "hard01"}},
				{suffix: "weight", py: "weight=d['bw2']"},
				{suffix: "pos_weight", py: "pos_weight=d['posw']"},
				{suffix: "both", py: "weight=d['bw'], pos_weight=d['posw']"},
				{suffix: "f64", ins: []string{"x_f64", "y01_f64"}},
			}},
		{name: "kl", py: "nn.KLDivLoss", ins: []string{"logp", "probt"}, grads: []int{0, 1},
			reductions: r(torch.ReductionNone, torch.ReductionMean, torch.ReductionSum, nn.ReductionBatchMean),
			build:      func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewKLDivLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "log_target", opts: o(nn.WithLogTarget(true)), py: "log_target=True", ins: []string{"logp", "logq"}},
				{suffix: "f64", ins: []string{"logq_f64", "y01_f64"}},
			}},
		{name: "mse", py: "nn.MSELoss", ins: []string{"x", "y"}, grads: []int{0, 1},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewMSELoss(opts...)) },
			variants: []lossVariant{{suffix: ""}, {suffix: "broadcast", ins: []string{"x", "yrow"}}, {suffix: "f64", ins: []string{"x_f64", "y_f64"}}}},
		{name: "l1", py: "nn.L1Loss", ins: []string{"x", "y"}, grads: []int{0, 1},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewL1Loss(opts...)) },
			variants: []lossVariant{{suffix: ""}, {suffix: "broadcast", ins: []string{"x", "yrow"}}, {suffix: "equal", ins: []string{"x", "x"}}}},
		{name: "smooth_l1", py: "nn.SmoothL1Loss", ins: []string{"x", "y"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewSmoothL1Loss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "beta_0.5", opts: o(nn.WithBeta(0.5)), py: "beta=0.5"},
				{suffix: "beta_0", opts: o(nn.WithBeta(0)), py: "beta=0.0"},
				{suffix: "beta_3_broadcast", opts: o(nn.WithBeta(3)), py: "beta=3.0", ins: []string{"x", "yrow"}},
			}},
		{name: "huber", py: "nn.HuberLoss", ins: []string{"x", "y"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewHuberLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "delta_0.3", opts: o(nn.WithDelta(0.3)), py: "delta=0.3"},
				{suffix: "delta_2_broadcast", opts: o(nn.WithDelta(2)), py: "delta=2.0", ins: []string{"x", "yrow"}},
			}},
		{name: "poisson", py: "nn.PoissonNLLLoss", ins: []string{"x", "counts"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewPoissonNLLLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "full", opts: o(nn.WithFull(true)), py: "full=True"},
				{suffix: "rate", opts: o(nn.WithLogInput(false)), py: "log_input=False", ins: []string{"rate", "counts"}},
				{suffix: "rate_full_eps", opts: o(nn.WithLogInput(false), nn.WithFull(true), nn.WithEps(0.1)),
					py: "log_input=False, full=True, eps=0.1", ins: []string{"rate", "counts"}},
			}},
		{name: "gaussian", py: "nn.GaussianNLLLoss", ins: []string{"x", "y", "var"}, grads: []int{0, 2},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return three(nn.NewGaussianNLLLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "full", opts: o(nn.WithFull(true)), py: "full=True"},
				{suffix: "eps", opts: o(nn.WithEps(0.2)), py: "eps=0.2"},
				{suffix: "var_row", ins: []string{"x", "y", "var_row"}},
				{suffix: "var_col", ins: []string{"x", "y", "var_col"}},
			}},
		{name: "margin_ranking", py: "nn.MarginRankingLoss", ins: []string{"x1", "x2", "pm6"}, grads: []int{0, 1},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return three(nn.NewMarginRankingLoss(opts...)) },
			variants: []lossVariant{{suffix: ""}, {suffix: "margin", opts: o(nn.WithMargin(0.5)), py: "margin=0.5"}}},
		{name: "hinge", py: "nn.HingeEmbeddingLoss", ins: []string{"x", "pm43"}, grads: []int{0},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewHingeEmbeddingLoss(opts...)) },
			variants: []lossVariant{{suffix: ""}, {suffix: "margin", opts: o(nn.WithMargin(0.3)), py: "margin=0.3"}}},
		{name: "cosine", py: "nn.CosineEmbeddingLoss", ins: []string{"e1", "e2", "pm5"}, grads: []int{0, 1},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return three(nn.NewCosineEmbeddingLoss(opts...)) },
			variants: []lossVariant{{suffix: ""}, {suffix: "margin", opts: o(nn.WithMargin(0.2)), py: "margin=0.2"}}},
		{name: "soft_margin", py: "nn.SoftMarginLoss", ins: []string{"x", "pm43"}, grads: []int{0},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewSoftMarginLoss(opts...)) },
			variants: []lossVariant{{suffix: ""}}},
		{name: "multilabel_soft_margin", py: "nn.MultiLabelSoftMarginLoss", ins: []string{"x", "hard01"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) {
				return two(nn.NewMultiLabelSoftMarginLoss(opts...))
			},
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "weight", py: "weight=d['cw3']"},
				{suffix: "soft", ins: []string{"x", "y01"}},
			}},
		{name: "multilabel_margin", py: "nn.MultiLabelMarginLoss", ins: []string{"logits45", "mlm"}, grads: []int{0},
			build:    func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewMultiLabelMarginLoss(opts...)) },
			variants: []lossVariant{{suffix: ""}}},
		{name: "multi_margin", py: "nn.MultiMarginLoss", ins: []string{"logits", "target"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return two(nn.NewMultiMarginLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "p2_margin", opts: o(nn.WithP(2), nn.WithMargin(0.5)), py: "p=2, margin=0.5"},
				{suffix: "weight", py: "weight=d['cw']"},
			}},
		{name: "triplet_dist", py: "nn.TripletMarginWithDistanceLoss", ins: []string{"e1", "e2", "e3"}, grads: []int{0, 1, 2},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) {
				return three(nn.NewTripletMarginWithDistanceLoss(opts...))
			},
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "margin_swap", opts: o(nn.WithMargin(0.5), nn.WithSwap(true)), py: "margin=0.5, swap=True"},
				{suffix: "cosine", opts: o(nn.WithDistanceFunction(cosineDistance), nn.WithMargin(0.3)),
					py: "distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b), margin=0.3"},
				{suffix: "cosine_swap", opts: o(nn.WithDistanceFunction(cosineDistance), nn.WithSwap(true)),
					py: "distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b), swap=True"},
			}},
		{name: "ctc", py: "nn.CTCLoss", ins: []string{"ctc_logp", "ctc_targets", "ctc_in_len", "ctc_tg_len"}, grads: []int{0},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return four(nn.NewCTCLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "concat", ins: []string{"ctc_logp", "ctc_concat", "ctc_in_len", "ctc_tg_len"}},
				{suffix: "blank_4", opts: o(nn.WithBlank(4)), py: "blank=4", ins: []string{"ctc_logp", "ctc_concat", "ctc_in_len", "ctc_tg_len"}},
				{suffix: "short", ins: []string{"ctc_logp", "ctc_targets", "ctc_short", "ctc_tg_len"}},
				{suffix: "short_zero_inf", opts: o(nn.WithZeroInfinity(true)), py: "zero_infinity=True",
					ins: []string{"ctc_logp", "ctc_targets", "ctc_short", "ctc_tg_len"}},
				{suffix: "unbatched_f64", ins: []string{"ctc_logp1", "ctc_target1", "ctc_in_len1", "ctc_tg_len1"}},
			}},
		{name: "triplet", py: "nn.TripletMarginLoss", ins: []string{"e1", "e2", "e3"}, grads: []int{0, 1, 2},
			build: func(opts ...nn.LossOption) (lossFn, fmt.Stringer) { return three(nn.NewTripletMarginLoss(opts...)) },
			variants: []lossVariant{
				{suffix: ""},
				{suffix: "p1_margin", opts: o(nn.WithP(1), nn.WithMargin(2)), py: "p=1.0, margin=2.0"},
				{suffix: "swap_eps", opts: o(nn.WithSwap(true), nn.WithEps(0.01)), py: "swap=True, eps=0.01"},
			}},
	}
}

// lossWithTensors is the variant's options plus WithWeight and
// WithPosWeight of the tensors its Python keyword arguments name
// (weight=d['cw']).
func lossWithTensors(v lossVariant, tensors map[string]*torch.Tensor) []nn.LossOption {
	opts := append([]nn.LossOption{}, v.opts...)
	for _, kw := range strings.Split(v.py, ", ") {
		name, val, ok := strings.Cut(kw, "=")
		if !ok || !strings.HasPrefix(val, "d['") {
			continue
		}
		tensor := tensors[strings.TrimSuffix(strings.TrimPrefix(val, "d['"), "']")]
		switch name {
		case "weight":
			opts = append(opts, nn.WithWeight(tensor))
		case "pos_weight":
			opts = append(opts, nn.WithPosWeight(tensor))
		}
	}
	return opts
}

var reductionPy = map[torch.Reduction]string{torch.ReductionNone: "none", torch.ReductionMean: "mean",
	torch.ReductionSum: "sum", nn.ReductionBatchMean: "batchmean"}

// TestLossesMatchPyTorch computes every loss, with each of its arguments
// and reductions, and the gradients it sends back to its inputs, in Go and
// in one Python process on the same tensors, and compares them and the
// losses' reprs; then the zero values and the functional forms.
func TestLossesMatchPyTorch(t *testing.T) {
	tensors := lossTensors()
	var cases []lossCase
	for _, fam := range lossFamilies() {
		reductions := fam.reductions
		if reductions == nil {
			reductions = []torch.Reduction{torch.ReductionNone, torch.ReductionMean, torch.ReductionSum}
		}
		for _, v := range fam.variants {
			for _, red := range reductions {
				opts := append(lossWithTensors(v, tensors), nn.WithReduction(red))
				f, mod := fam.build(opts...)
				kw := v.py
				if kw != "" {
					kw += ", "
				}
				ins := v.ins
				if ins == nil {
					ins = fam.ins
				}
				name := strings.Trim(fam.name+"_"+v.suffix, "_") + "/" + reductionPy[red]
				cases = append(cases, lossCase{name: name, f: f, mod: mod, ins: ins, grads: fam.grads,
					py: fmt.Sprintf("%s(%sreduction=%q)", fam.py, kw, reductionPy[red])})
			}
		}
	}
	// The zero values have PyTorch's defaults.
	zero := func(name string, f lossFn, mod fmt.Stringer, py string, ins ...string) {
		cases = append(cases, lossCase{name: name, f: f, mod: mod, py: py, ins: ins, grads: []int{0}})
	}
	z2 := func(l interface {
		Forward(a, b *torch.Tensor) *torch.Tensor
		fmt.Stringer
	}) (lossFn, fmt.Stringer) {
		return two(l)
	}
	zf, zm := z2(&nn.CrossEntropyLoss{})
	zero("zero/ce", zf, zm, "nn.CrossEntropyLoss()", "logits", "ignored")
	zf, zm = z2(&nn.NLLLoss{})
	zero("zero/nll", zf, zm, "nn.NLLLoss()", "logp", "ignored")
	zf, zm = z2(&nn.MSELoss{})
	zero("zero/mse", zf, zm, "nn.MSELoss()", "x", "y")
	zf, zm = z2(&nn.BCEWithLogitsLoss{})
	zero("zero/bce_logits", zf, zm, "nn.BCEWithLogitsLoss()", "x", "y01")
	zf, zm = z2(&nn.KLDivLoss{})
	zero("zero/kl", zf, zm, "nn.KLDivLoss()", "logp", "probt")
	zf, zm = z2(&nn.SmoothL1Loss{})
	zero("zero/smooth_l1", zf, zm, "nn.SmoothL1Loss()", "x", "y")
	zf, zm = z2(&nn.HuberLoss{})
	zero("zero/huber", zf, zm, "nn.HuberLoss()", "x", "y")
	zf, zm = z2(&nn.PoissonNLLLoss{})
	zero("zero/poisson", zf, zm, "nn.PoissonNLLLoss()", "x", "counts")
	zf, zm = z2(&nn.HingeEmbeddingLoss{})
	zero("zero/hinge", zf, zm, "nn.HingeEmbeddingLoss()", "x", "pm43")
	zf, zm = z2(&nn.MultiMarginLoss{})
	zero("zero/multi_margin", zf, zm, "nn.MultiMarginLoss()", "logits", "target")
	zf, zm = three(&nn.TripletMarginLoss{})
	zero("zero/triplet", zf, zm, "nn.TripletMarginLoss()", "e1", "e2", "e3")
	zf, zm = three(&nn.TripletMarginWithDistanceLoss{})
	zero("zero/triplet_dist", zf, zm, "nn.TripletMarginWithDistanceLoss()", "e1", "e2", "e3")
	zf, zm = four(&nn.CTCLoss{})
	zero("zero/ctc", zf, zm, "nn.CTCLoss()", "ctc_logp", "ctc_targets", "ctc_in_len", "ctc_tg_len")
	zf, zm = three(&nn.GaussianNLLLoss{})
	zero("zero/gaussian", zf, zm, "nn.GaussianNLLLoss()", "x", "y", "var")

	// The functional forms, with their defaults.
	fn := func(name string, f lossFn, py string, ins ...string) {
		cases = append(cases, lossCase{name: name, f: f, py: py, ins: ins, grads: []int{0}})
	}
	fn("F.cross_entropy", func(t ...*torch.Tensor) *torch.Tensor { return F.CrossEntropy(t[0], t[1]) }, "F.cross_entropy", "logits", "ignored")
	fn("F.nll_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.NllLoss(t[0], t[1]) }, "F.nll_loss", "logp4", "target4")
	fn("F.binary_cross_entropy", func(t ...*torch.Tensor) *torch.Tensor {
		return F.BinaryCrossEntropy(t[0], t[1], F.BinaryCrossEntropyOpts{Weight: tensors["bw"]})
	}, "lambda a, b: F.binary_cross_entropy(a, b, d['bw'])", "p", "y01")
	fn("F.binary_cross_entropy_with_logits", func(t ...*torch.Tensor) *torch.Tensor {
		return F.BinaryCrossEntropyWithLogits(t[0], t[1], F.BinaryCrossEntropyWithLogitsOpts{PosWeight: tensors["posw"]})
	}, "lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=d['posw'])", "x", "y01")
	fn("F.kl_div_batchmean", func(t ...*torch.Tensor) *torch.Tensor {
		return F.KlDiv(t[0], t[1], F.KlDivOpts{Reduction: new(F.ReductionBatchMean)})
	}, "lambda a, b: F.kl_div(a, b, reduction='batchmean')", "logp", "probt")
	fn("F.kl_div_batchmean_scalar", func(t ...*torch.Tensor) *torch.Tensor {
		return F.KlDiv(t[0].Sum(), t[1].Sum(), F.KlDivOpts{Reduction: new(F.ReductionBatchMean)})
	}, "lambda a, b: F.kl_div(a.sum(), b.sum(), reduction='batchmean')", "logp", "probt")
	fn("F.l1_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.L1Loss(t[0], t[1]) }, "F.l1_loss", "x", "y")
	fn("F.mse_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.MseLoss(t[0], t[1]) }, "F.mse_loss", "x", "yrow")
	fn("F.smooth_l1_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.SmoothL1Loss(t[0], t[1]) }, "F.smooth_l1_loss", "x", "y")
	fn("F.huber_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.HuberLoss(t[0], t[1]) }, "F.huber_loss", "x", "y")
	fn("F.poisson_nll_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.PoissonNllLoss(t[0], t[1]) }, "F.poisson_nll_loss", "x", "counts")
	fn("F.gaussian_nll_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.GaussianNllLoss(t[0], t[1], t[2]) }, "F.gaussian_nll_loss", "x", "y", "var")
	fn("F.margin_ranking_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.MarginRankingLoss(t[0], t[1], t[2]) }, "F.margin_ranking_loss", "x1", "x2", "pm6")
	fn("F.hinge_embedding_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.HingeEmbeddingLoss(t[0], t[1]) }, "F.hinge_embedding_loss", "x", "pm43")
	fn("F.cosine_embedding_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.CosineEmbeddingLoss(t[0], t[1], t[2]) }, "F.cosine_embedding_loss", "e1", "e2", "pm5")
	fn("F.soft_margin_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.SoftMarginLoss(t[0], t[1]) }, "F.soft_margin_loss", "x", "pm43")
	fn("F.multilabel_soft_margin_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.MultilabelSoftMarginLoss(t[0], t[1]) }, "F.multilabel_soft_margin_loss", "x", "hard01")
	fn("F.multilabel_margin_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.MultilabelMarginLoss(t[0], t[1]) }, "F.multilabel_margin_loss", "logits45", "mlm")
	fn("F.multi_margin_loss", func(t ...*torch.Tensor) *torch.Tensor {
		return F.MultiMarginLoss(t[0], t[1], F.MultiMarginLossOpts{P: new(int64(2)), Weight: tensors["cw"]})
	}, "lambda a, b: F.multi_margin_loss(a, b, p=2, weight=d['cw'])", "logits", "target")
	fn("F.triplet_margin_with_distance_loss", func(t ...*torch.Tensor) *torch.Tensor {
		return F.TripletMarginWithDistanceLoss(t[0], t[1], t[2], F.TripletMarginWithDistanceLossOpts{Swap: true, Margin: new(2.0)})
	}, "lambda a, p, n: F.triplet_margin_with_distance_loss(a, p, n, swap=True, margin=2.0)", "e1", "e2", "e3")
	fn("F.ctc_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.CtcLoss(t[0], t[1], t[2], t[3]) }, "F.ctc_loss",
		"ctc_logp", "ctc_targets", "ctc_in_len", "ctc_tg_len")
	fn("F.triplet_margin_loss", func(t ...*torch.Tensor) *torch.Tensor { return F.TripletMarginLoss(t[0], t[1], t[2]) }, "F.triplet_margin_loss", "e1", "e2", "e3")

	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	var script strings.Builder
	script.WriteString(`
import sys, json, warnings
warnings.simplefilter("ignore")
nn, F = torch.nn, torch.nn.functional
d = torch.load(sys.argv[1])
cases = [
`)
	for _, c := range cases {
		fmt.Fprintf(&script, "    (%q, %s, %q, %s),\n", c.name, c.py, strings.Join(c.ins, ","), strings.ReplaceAll(fmt.Sprint(c.grads), " ", ","))
	}
	script.WriteString(`]
res, reprs = {}, {}
for name, loss, keys, grads in cases:
    if isinstance(loss, nn.Module):
        reprs[name] = repr(loss)
    ins = [d[k].clone() for k in keys.split(",")]
    for i in grads:
        ins[i].requires_grad_()
    l = loss(*ins)
    l.sum().backward()
    res[name] = l.detach()
    for i in grads:
        res["%s.grad%d" % (name, i)] = ins[i].grad
torch.save(res, sys.argv[2])
print(json.dumps(reprs))
`)
	var reprs map[string]string
	pytorch.JSON(t, script.String(), &reprs, in, out)
	want := loadPT(t, out)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ins []*torch.Tensor
			for _, k := range strings.Split(strings.Join(c.ins, ","), ",") {
				ins = append(ins, tensors[k].Clone())
			}
			for _, i := range c.grads {
				ins[i].SetRequiresGrad(true)
			}
			l := c.f(ins...)
			l.Sum().Backward()
			actRequireClose(t, want[c.name], l.Detach(), 1e-5, c.name)
			for _, i := range c.grads {
				key := fmt.Sprintf("%s.grad%d", c.name, i)
				actRequireClose(t, want[key], ins[i].Grad(), 1e-5, key)
			}
			if c.mod != nil {
				assert.Equal(t, reprs[c.name], c.mod.String(), "repr")
			}
		})
	}
}

func TestLossOptions(t *testing.T) {
	ce := nn.NewCrossEntropyLoss()
	assert.Equal(t, torch.ReductionMean, ce.Reduction())
	assert.Equal(t, int64(-100), ce.IgnoreIndex())
	assert.Equal(t, 0.0, ce.LabelSmoothing())
	assert.Nil(t, ce.Weight)
	var zero nn.CrossEntropyLoss
	assert.Equal(t, int64(-100), zero.IgnoreIndex(), "the zero value has PyTorch's defaults")
	assert.Equal(t, torch.ReductionMean, zero.Reduction())
	assert.Equal(t, torch.ReductionMean, (&nn.MSELoss{}).Reduction())
	assert.Equal(t, int64(-100), (&nn.NLLLoss{}).IgnoreIndex())

	nll := nn.NewNLLLoss(nn.WithIgnoreIndex(3), nn.WithReduction(torch.ReductionSum))
	assert.Equal(t, int64(3), nll.IgnoreIndex())
	assert.Equal(t, torch.ReductionSum, nll.Reduction())

	// Each loss's attributes, with PyTorch's defaults in the zero values.
	assert.Equal(t, 1.0, (&nn.SmoothL1Loss{}).Beta())
	assert.Equal(t, 0.5, nn.NewSmoothL1Loss(nn.WithBeta(0.5)).Beta())
	assert.Equal(t, 1.0, (&nn.HuberLoss{}).Delta())
	assert.Equal(t, 2.0, nn.NewHuberLoss(nn.WithDelta(2)).Delta())
	assert.False(t, (&nn.KLDivLoss{}).LogTarget())
	assert.True(t, nn.NewKLDivLoss(nn.WithLogTarget(true)).LogTarget())
	assert.Equal(t, nn.ReductionBatchMean, nn.NewKLDivLoss(nn.WithReduction(nn.ReductionBatchMean)).Reduction())
	assert.True(t, (&nn.PoissonNLLLoss{}).LogInput())
	assert.False(t, (&nn.PoissonNLLLoss{}).Full())
	assert.Equal(t, 1e-8, (&nn.PoissonNLLLoss{}).Eps())
	assert.Equal(t, 1e-6, (&nn.GaussianNLLLoss{}).Eps())
	assert.Equal(t, 0.0, (&nn.MarginRankingLoss{}).Margin())
	assert.Equal(t, 1.0, (&nn.HingeEmbeddingLoss{}).Margin())
	assert.Equal(t, 0.0, (&nn.CosineEmbeddingLoss{}).Margin())
	assert.Equal(t, int64(1), (&nn.MultiMarginLoss{}).P())
	assert.Equal(t, 1.0, (&nn.MultiMarginLoss{}).Margin())
	tr := &nn.TripletMarginLoss{}
	assert.Equal(t, []any{1.0, 2.0, 1e-6, false}, []any{tr.Margin(), tr.P(), tr.Eps(), tr.Swap()})
	tr = nn.NewTripletMarginLoss(nn.WithMargin(0.5), nn.WithP(1), nn.WithEps(0.1), nn.WithSwap(true))
	assert.Equal(t, []any{0.5, 1.0, 0.1, true}, []any{tr.Margin(), tr.P(), tr.Eps(), tr.Swap()})

	// A class weight is the loss's weight buffer, as in PyTorch's
	// state_dict; not a parameter.
	w := torch.FromSlice([]float32{1, 2, 3})
	wce := nn.NewCrossEntropyLoss(nn.WithWeight(w))
	assert.Same(t, w, wce.Weight)
	assert.Equal(t, []string{"weight"}, nn.StateDictKeys(wce))
	assert.Empty(t, nn.Parameters(wce))
	assert.Empty(t, nn.StateDictKeys(nn.NewCrossEntropyLoss()))
	assert.Equal(t, []string{"weight", "pos_weight"}, nn.StateDictKeys(nn.NewBCEWithLogitsLoss(nn.WithWeight(w), nn.WithPosWeight(w))))

	// Arguments PyTorch's class does not have, or values it rejects.
	assert.PanicsWithError(t, "torch: NewMSELoss: MSELoss has no argument ignore_index", func() { nn.NewMSELoss(nn.WithIgnoreIndex(1)) })
	assert.PanicsWithError(t, "torch: NewNLLLoss: NLLLoss has no argument label_smoothing", func() { nn.NewNLLLoss(nn.WithLabelSmoothing(0.1)) })
	assert.PanicsWithError(t, "torch: NewL1Loss: L1Loss has no argument weight", func() { nn.NewL1Loss(nn.WithWeight(w)) })
	assert.PanicsWithError(t, "torch: NewBCELoss: BCELoss has no argument pos_weight", func() { nn.NewBCELoss(nn.WithPosWeight(w)) })
	assert.PanicsWithError(t, "torch: NewMSELoss: batchmean is not a valid value for reduction", func() { nn.NewMSELoss(nn.WithReduction(nn.ReductionBatchMean)) })
	assert.PanicsWithError(t, "torch: WithLabelSmoothing: label_smoothing must be between 0.0 and 1.0. Got: 1.5", func() { nn.WithLabelSmoothing(1.5) })
	assert.PanicsWithError(t, "torch: WithReduction: 7 is not a valid value for reduction", func() { nn.WithReduction(torch.Reduction(7)) })
	assert.PanicsWithError(t, "torch: WithBeta: smooth_l1_loss does not support negative values for beta, got -1", func() { nn.WithBeta(-1) })
	assert.PanicsWithError(t, "torch: WithDelta: huber_loss does not support non-positive values for delta, got 0", func() { nn.WithDelta(0) })
	assert.PanicsWithError(t, "torch: NewTripletMarginWithDistanceLoss: TripletMarginWithDistanceLoss: expected margin to be greater than 0, got 0 instead",
		func() { nn.NewTripletMarginWithDistanceLoss(nn.WithMargin(0)) })
	assert.PanicsWithError(t, "torch: NewCTCLoss: CTCLoss has no argument margin", func() { nn.NewCTCLoss(nn.WithMargin(1)) })
	ctc := nn.NewCTCLoss(nn.WithBlank(3), nn.WithZeroInfinity(true))
	assert.Equal(t, []any{int64(3), true}, []any{ctc.Blank(), ctc.ZeroInfinity()})
	assert.Equal(t, []any{int64(0), false}, []any{(&nn.CTCLoss{}).Blank(), (&nn.CTCLoss{}).ZeroInfinity()})
	assert.Equal(t, 1.0, (&nn.TripletMarginWithDistanceLoss{}).Margin())
	assert.PanicsWithError(t, "torch: NewMultiMarginLoss: only p == 1 and p == 2 supported, got 3", func() { nn.NewMultiMarginLoss(nn.WithP(3)) })
	assert.PanicsWithError(t, "torch: NewMultiMarginLoss: weight must be one-dimensional, got torch.Size([2, 2])", func() {
		nn.NewMultiMarginLoss(nn.WithWeight(torch.Ones([]int64{2, 2})))
	})
	err := torch.Catch(func() { nn.NewBCELoss().Forward(torch.Rand([]int64{4, 3}), torch.Rand([]int64{4, 1})) })
	require.EqualError(t, err, "torch: BinaryCrossEntropy: Using a target size (torch.Size([4, 1])) that is different to the input size (torch.Size([4, 3])) is deprecated. Please ensure they have the same size.")
	require.ErrorIs(t, err, torch.ErrValue)
	err = torch.Catch(func() { nn.NewBCEWithLogitsLoss().Forward(torch.Rand([]int64{4, 3}), torch.Rand([]int64{3})) })
	require.EqualError(t, err, "torch: BinaryCrossEntropyWithLogits: Target size (torch.Size([3])) must be the same as input size (torch.Size([4, 3]))")
	err = torch.Catch(func() {
		nn.NewGaussianNLLLoss().Forward(torch.Rand([]int64{4, 3}), torch.Rand([]int64{4, 3}), torch.Rand([]int64{3, 4}))
	})
	require.EqualError(t, err, "torch: GaussianNllLoss: var is of incorrect size")
	err = torch.Catch(func() {
		nn.NewGaussianNLLLoss().Forward(torch.Rand([]int64{2}), torch.Rand([]int64{2}), torch.FromSlice([]float32{1, -1}))
	})
	require.EqualError(t, err, "torch: GaussianNllLoss: var has negative entry/entries")
	err = torch.Catch(func() {
		nn.NewMarginRankingLoss().Forward(torch.Rand([]int64{3}), torch.Rand([]int64{3}), torch.Rand([]int64{3, 1}))
	})
	require.EqualError(t, err, "torch: MarginRankingLoss: margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([3]), input2: torch.Size([3]), target: torch.Size([3, 1]) ")
	err = torch.Catch(func() {
		F.KlDiv(torch.Rand([]int64{2}), torch.Rand([]int64{2}), F.KlDivOpts{Reduction: new(torch.Reduction(9))})
	})
	require.EqualError(t, err, "torch: KlDiv: Reduction(9) is not a valid value for reduction")
	err = torch.Catch(func() {
		F.L1Loss(torch.Rand([]int64{2}), torch.Rand([]int64{2}), F.L1LossOpts{Reduction: new(F.ReductionBatchMean)})
	})
	require.EqualError(t, err, "torch: L1Loss: batchmean is not a valid value for reduction")

	// A wrong target is libtorch's error, which Catch turns into a value.
	err = torch.Catch(func() { ce.Forward(torch.Randn([]int64{2, 3}), torch.FromSlice([]int64{0, 5})) })
	require.Error(t, err)
}

// KLDivLoss's 'batchmean' divides by the batch size, as the divergence's
// definition does; PyTorch's default 'mean' divides by every element.
func ExampleNewKLDivLoss() {
	logp := torch.FromSlice([]float32{-1.2, -0.4, -2.3, -0.1, -2.5, -3.6}, 2, 3)
	q := torch.FromSlice([]float32{0.2, 0.7, 0.1, 0.9, 0.05, 0.05}, 2, 3)
	for _, r := range []torch.Reduction{torch.ReductionMean, nn.ReductionBatchMean, torch.ReductionSum} {
		loss := nn.NewKLDivLoss(nn.WithReduction(r))
		fmt.Printf("%s %.4f\n", F.ReductionName(r), loss.Forward(logp, q).Item())
	}
	// Output:
	// mean -0.0085
	// batchmean -0.0256
	// sum -0.0512
}

// Class weights and label smoothing: nn.CrossEntropyLoss(weight=w,
// label_smoothing=0.1).
func ExampleWithWeight() {
	loss := nn.NewCrossEntropyLoss(nn.WithWeight(torch.FromSlice([]float32{1, 2, 0.5})), nn.WithLabelSmoothing(0.1))
	logits := torch.FromSlice([]float32{2, 0.5, -1, 0.1, 1.2, 0.3}, 2, 3)
	fmt.Printf("%.4f\n", loss.Forward(logits, torch.FromSlice([]int64{0, 1})).Item())
	// Output: 0.5027
}

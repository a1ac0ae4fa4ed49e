package lrscheduler

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
)

// ReduceLROnPlateauOpts are ReduceLROnPlateau's defaulted arguments.
type ReduceLROnPlateauOpts struct {
	Mode          string    // mode: "min" (default) or "max"
	Factor        *float64  // factor, default 0.1
	Patience      *int      // patience, default 10
	Threshold     *float64  // threshold, default 1e-4
	ThresholdMode string    // threshold_mode: "rel" (default) or "abs"
	Cooldown      int       // cooldown, default 0
	MinLR         []float64 // min_lr: one value for every group or one per group, default 0
	Eps           *float64  // eps, default 1e-8
}

// ReduceLROnPlateau multiplies each group's learning rate by Factor once a
// metric has not improved for Patience steps:
// torch.optim.lr_scheduler.ReduceLROnPlateau. It steps on the metric
// (Step(metric)), so it is not a Scheduler.
type ReduceLROnPlateau struct {
	opt           Optimizer
	factor        float64
	minLRs        []float64
	patience      int
	cooldown      int
	mode          string
	threshold     float64
	thresholdMode string
	eps           float64

	best            float64
	numBadEpochs    int
	cooldownCounter int
	lastEpoch       int
	lastLR          []float64
}

// NewReduceLROnPlateau is ReduceLROnPlateau(optimizer, mode='min',
// factor=0.1, patience=10, threshold=1e-4, threshold_mode='rel',
// cooldown=0, min_lr=0, eps=1e-8).
func NewReduceLROnPlateau(opt Optimizer, opts ...ReduceLROnPlateauOpts) (*ReduceLROnPlateau, error) {
	var o ReduceLROnPlateauOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	const name = "ReduceLROnPlateau"
	s := &ReduceLROnPlateau{opt: opt, factor: optarg.Or(o.Factor, 0.1)}
	if s.factor >= 1.0 {
		return nil, fmt.Errorf("lrscheduler: %s: Factor should be < 1.0.", name)
	}
	n := len(opt.ParamGroups())
	switch len(o.MinLR) {
	case 0, 1:
		s.minLRs, _ = formatParam(name, "min_lr", n, o.MinLR, 0)
	default:
		if len(o.MinLR) != n {
			return nil, fmt.Errorf("lrscheduler: %s: expected %d min_lrs, got %d", name, n, len(o.MinLR))
		}
		s.minLRs = append([]float64(nil), o.MinLR...)
	}
	s.patience = optarg.Or(o.Patience, 10)
	s.cooldown = o.Cooldown
	s.mode = o.Mode
	if s.mode == "" {
		s.mode = "min"
	}
	s.threshold = optarg.Or(o.Threshold, 1e-4)
	s.thresholdMode = o.ThresholdMode
	if s.thresholdMode == "" {
		s.thresholdMode = "rel"
	}
	s.eps = optarg.Or(o.Eps, 1e-8)
	if s.mode != "min" && s.mode != "max" {
		return nil, fmt.Errorf("lrscheduler: %s: mode %s is unknown!", name, s.mode)
	}
	if s.thresholdMode != "rel" && s.thresholdMode != "abs" {
		return nil, fmt.Errorf("lrscheduler: %s: threshold mode %s is unknown!", name, s.thresholdMode)
	}
	s.reset()
	s.recordLR()
	return s, nil
}

// modeWorse is the worst value for the mode: inf for min, -inf for max.
func (s *ReduceLROnPlateau) modeWorse() float64 {
	if s.mode == "min" {
		return math.Inf(1)
	}
	return math.Inf(-1)
}

// reset is _reset(): the best value, the bad-epoch and cooldown counters.
func (s *ReduceLROnPlateau) reset() {
	s.best = s.modeWorse()
	s.cooldownCounter = 0
	s.numBadEpochs = 0
}

// Step is scheduler.step(metrics): it records the metric and reduces the
// rates when it has not improved (by Threshold) for more than Patience
// steps, outside a cooldown.
func (s *ReduceLROnPlateau) Step(metric float64) {
	s.lastEpoch++
	if s.isBetter(metric, s.best) {
		s.best = metric
		s.numBadEpochs = 0
	} else {
		s.numBadEpochs++
	}
	if s.InCooldown() {
		s.cooldownCounter--
		s.numBadEpochs = 0 // ignore any bad epochs in cooldown
	}
	if s.numBadEpochs > s.patience {
		s.reduceLR()
		s.cooldownCounter = s.cooldown
		s.numBadEpochs = 0
	}
	s.recordLR()
}

func (s *ReduceLROnPlateau) reduceLR() {
	for i, g := range s.opt.ParamGroups() {
		oldLR := g.LR
		newLR := math.Max(oldLR*s.factor, s.minLRs[i])
		if oldLR-newLR > s.eps {
			g.LR = newLR
		}
	}
}

func (s *ReduceLROnPlateau) recordLR() {
	groups := s.opt.ParamGroups()
	s.lastLR = make([]float64, len(groups))
	for i, g := range groups {
		s.lastLR[i] = g.LR
	}
}

// InCooldown is scheduler.in_cooldown.
func (s *ReduceLROnPlateau) InCooldown() bool { return s.cooldownCounter > 0 }

// isBetter is is_better(a, best).
func (s *ReduceLROnPlateau) isBetter(a, best float64) bool {
	switch {
	case s.mode == "min" && s.thresholdMode == "rel":
		return a < best*(1.-s.threshold)
	case s.mode == "min" && s.thresholdMode == "abs":
		return a < best-s.threshold
	case s.mode == "max" && s.thresholdMode == "rel":
		return a > best*(s.threshold+1.)
	}
	return a > best+s.threshold
}

// LastLR is scheduler.get_last_lr(): the groups' rates after the last Step,
// or when built (as PyTorch 2.x; 1.13 has none before the first step).
func (s *ReduceLROnPlateau) LastLR() []float64 { return append([]float64(nil), s.lastLR...) }

// Best is scheduler.best: the best metric so far (±Inf before the first
// step).
func (s *ReduceLROnPlateau) Best() float64 { return s.best }

// NumBadEpochs is scheduler.num_bad_epochs.
func (s *ReduceLROnPlateau) NumBadEpochs() int { return s.numBadEpochs }

// LastEpoch is scheduler.last_epoch: the number of Steps taken.
func (s *ReduceLROnPlateau) LastEpoch() int { return s.lastEpoch }

// Optimizer is scheduler.optimizer.
func (s *ReduceLROnPlateau) Optimizer() Optimizer { return s.opt }

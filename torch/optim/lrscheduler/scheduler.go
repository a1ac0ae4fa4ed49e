// Package lrscheduler holds learning-rate schedulers: PyTorch's
// torch.optim.lr_scheduler.
//
// A scheduler changes the learning rate of each of an optimizer's parameter
// groups between optimizer steps, through the live groups the optimizer
// returns from ParamGroups (assigning param_groups[i]['lr'] in Python). The
// schedulers follow PyTorch 1.13's lr_scheduler.py line for line, in float64
// as Python does: the constructor sets each group's InitialLR (once: the
// first scheduler built on an optimizer sets it, later ones keep it) and
// takes the initial step, so that the first rate is in place before the
// first optimizer step; Step uses the chainable get_lr() form, which reads
// the groups' current rates, so that several schedulers can drive one
// optimizer; SequentialLR's milestones use the closed form.
//
// A training loop calls the optimizer's Step, then the scheduler's:
//
//	for epoch := range epochs {
//		train(opt)         // opt.Step() for each batch
//		sched.Step()       // scheduler.step()
//	}
//
// Constructors return an error where PyTorch raises one, with PyTorch's
// message. LastEpoch in the options is last_epoch: -1 (the default) starts
// a schedule; another value resumes one and needs every group's InitialLR
// set, as PyTorch needs 'initial_lr'. StateDict and LoadStateDict save and
// restore a scheduler's progress as a State.
//
// # PyTorch 1.13 and 2.x
//
// The rates are the same in 1.13 and 2.x for a schedule started with
// LastEpoch -1, SequentialLR and ChainedScheduler included. The versions
// differ, and this package does as 1.13 does, in:
//
//   - Resuming (LastEpoch >= 0): recent 2.x (those with
//     LRScheduler._is_initial, pytorch#149312, 2025) leave the rate of
//     ExponentialLR, CosineAnnealingLR, LinearLR, PolynomialLR and
//     MultiplicativeLR as it is in the constructor's step; 1.13 and earlier
//     2.x advance it one more step (CosineAnnealingLR: to the closed form at
//     LastEpoch+1).
//   - MultiplicativeLR after a SequentialLR milestone: 1.13 keeps the rate
//     at the milestone, 2.x with _is_initial multiplies it by lr_lambda(0).
//   - CyclicLR resumed with momentum: 1.13 takes the groups' current
//     Momentum as base_momentum, 2.x the argument.
//   - SequentialLR resumed (LastEpoch >= 0) restarts its first scheduler,
//     as 1.13 and 2.x do (pytorch#162591).
//
// Where 1.13 raises and 2.x works, this package does as 2.x: CyclicLR with
// cycle_momentum cycles the Adam family's Betas[0]; ReduceLROnPlateau has a
// LastLR before its first step. LinearLR refuses a start factor of 0, as 2.x
// does (1.13 divides by zero at the second step); StepLR, CosineAnnealingLR
// refuse a step size or T_max of 0, which PyTorch divides by at the first
// step.
package lrscheduler

import (
	"fmt"
	"reflect"

	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Optimizer is what a scheduler needs of an optimizer: its parameter
// groups, live, so that a change to a group's LR (or Momentum, Betas)
// applies from the optimizer's next step (optimizer.param_groups).
type Optimizer interface {
	ParamGroups() []*optim.ParamGroup
}

// Scheduler is a learning-rate scheduler stepped once per epoch (or batch):
// torch.optim.lr_scheduler.LRScheduler. ReduceLROnPlateau, which steps on a
// metric, has Step(metric) instead.
type Scheduler interface {
	// Step advances the schedule and sets the groups' learning rates:
	// scheduler.step().
	Step()
	// LastLR is the learning rate of each group that the last Step (or the
	// constructor) set: scheduler.get_last_lr().
	LastLR() []float64
}

// lrFunc is a scheduler's get_lr(): the learning rate of each group for
// b.lastEpoch, computed (in the chainable form) from the groups' current
// rates.
type lrFunc interface {
	getLR() []float64
}

// closedFormer is a scheduler with _get_closed_form_lr(), which
// step(epoch) uses.
type closedFormer interface {
	closedFormLR() []float64
}

// customStepper is a scheduler that replaces step(epoch) as a whole
// (CosineAnnealingWarmRestarts); epoch < 0 stands for None.
type customStepper interface {
	stepAt(epoch float64, given bool)
}

// base is _LRScheduler's state and its step().
type base struct {
	name      string
	opt       Optimizer
	baseLRs   []float64
	lastEpoch int
	stepCount int
	lastLR    []float64
	impl      lrFunc
}

// schedulerCore is implemented by the schedulers built on base, which
// SequentialLR drives directly.
type schedulerCore interface {
	Scheduler
	core() *base
}

func (b *base) core() *base { return b }

// groups returns the optimizer's live parameter groups.
func (b *base) groups() []*optim.ParamGroup { return b.opt.ParamGroups() }

// init is _LRScheduler.__init__: it sets (last_epoch == -1) or checks each
// group's InitialLR, records the base rates and takes the initial step.
func (b *base) init(name string, opt Optimizer, lastEpoch int, impl lrFunc) error {
	b.name, b.opt, b.impl = name, opt, impl
	groups := opt.ParamGroups()
	if lastEpoch == -1 {
		for _, g := range groups {
			if g.InitialLR == 0 { // group.setdefault('initial_lr', group['lr'])
				g.InitialLR = g.LR
			}
		}
	} else {
		for i, g := range groups {
			if g.InitialLR == 0 {
				return fmt.Errorf("lrscheduler: %s: param 'initial_lr' is not specified in param_groups[%d] when resuming an optimizer", name, i)
			}
		}
	}
	b.baseLRs = make([]float64, len(groups))
	for i, g := range groups {
		b.baseLRs[i] = g.InitialLR
	}
	b.lastEpoch = lastEpoch
	b.initialStep()
	return nil
}

// initialStep is _initial_step(): reset the step count and step once.
func (b *base) initialStep() {
	b.stepCount = 0
	b.Step()
}

// Step is scheduler.step(): last_epoch += 1 and each group's learning rate
// set from the chainable form.
func (b *base) Step() {
	if s, ok := b.impl.(customStepper); ok {
		s.stepAt(0, false)
		return
	}
	b.stepCount++
	b.lastEpoch++
	b.apply(b.impl.getLR())
}

// stepTo is scheduler.step(epoch), deprecated in PyTorch but what
// SequentialLR calls at a milestone (step(0)): last_epoch = epoch, and the
// closed form where the scheduler has one.
func (b *base) stepTo(epoch int) {
	if s, ok := b.impl.(customStepper); ok {
		s.stepAt(float64(epoch), true)
		return
	}
	b.stepCount++
	b.lastEpoch = epoch
	if c, ok := b.impl.(closedFormer); ok {
		b.apply(c.closedFormLR())
	} else {
		b.apply(b.impl.getLR())
	}
}

// apply sets the groups' rates and records them as the last ones.
func (b *base) apply(lrs []float64) {
	groups := b.groups()
	for i, g := range groups {
		if i < len(lrs) {
			g.LR = lrs[i]
		}
	}
	b.recordLR()
}

// recordLR is self._last_lr = [group['lr'] for group in param_groups].
func (b *base) recordLR() {
	groups := b.groups()
	b.lastLR = make([]float64, len(groups))
	for i, g := range groups {
		b.lastLR[i] = g.LR
	}
}

// LastLR is scheduler.get_last_lr(): the rate of each group that the last
// Step (or the constructor's initial step) set.
func (b *base) LastLR() []float64 { return append([]float64(nil), b.lastLR...) }

// LastEpoch is scheduler.last_epoch: the index of the last step taken (0
// after the constructor when starting from -1).
func (b *base) LastEpoch() int { return b.lastEpoch }

// BaseLRs is scheduler.base_lrs: each group's InitialLR when the scheduler
// was built (CyclicLR: its base_lr).
func (b *base) BaseLRs() []float64 { return append([]float64(nil), b.baseLRs...) }

// Optimizer is scheduler.optimizer.
func (b *base) Optimizer() Optimizer { return b.opt }

// currentLRs is [group['lr'] for group in optimizer.param_groups].
func (b *base) currentLRs() []float64 {
	groups := b.groups()
	lrs := make([]float64, len(groups))
	for i, g := range groups {
		lrs[i] = g.LR
	}
	return lrs
}

// scaled is [group['lr'] * f for group in optimizer.param_groups].
func (b *base) scaled(f float64) []float64 {
	lrs := b.currentLRs()
	for i := range lrs {
		lrs[i] *= f
	}
	return lrs
}

// lastEpochOpt is the LastEpoch option: nil means -1.
func lastEpochOpt(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// formatParam is _format_param: one value applies to every group, as a
// float does in Python; otherwise one value per group. nil gives def for
// every group.
func formatParam(sched, name string, n int, vals []float64, def float64) ([]float64, error) {
	switch len(vals) {
	case 0:
		vals = []float64{def}
		fallthrough
	case 1:
		out := make([]float64, n)
		for i := range out {
			out[i] = vals[0]
		}
		return out, nil
	}
	if len(vals) != n {
		return nil, fmt.Errorf("lrscheduler: %s: expected %d values for %s, got %d", sched, n, name, len(vals))
	}
	return append([]float64(nil), vals...), nil
}

// sameOptimizer reports whether a and b hold the same live parameter
// groups (Python's scheduler.optimizer == optimizer).
func sameOptimizer(a, b Optimizer) bool {
	ga, gb := a.ParamGroups(), b.ParamGroups()
	if len(ga) != len(gb) {
		return false
	}
	for i := range ga {
		if ga[i] != gb[i] {
			return false
		}
	}
	return true
}

// optimizerOf returns a scheduler's optimizer, where it tells.
func optimizerOf(s any) (Optimizer, bool) {
	o, ok := s.(interface{ Optimizer() Optimizer })
	if !ok {
		return nil, false
	}
	return o.Optimizer(), true
}

// Which field OneCycleLR and CyclicLR cycle, by the optimizer's type:
// PyTorch looks for 'momentum' or 'betas' in optimizer.defaults.
var (
	momentumOptimizers = map[string]bool{"SGD": true, "RMSprop": true}
	betasOptimizers    = map[string]bool{"Adam": true, "AdamW": true, "Adamax": true, "NAdam": true, "RAdam": true, "SparseAdam": true}
	plainOptimizers    = map[string]bool{"Adagrad": true, "Adadelta": true, "ASGD": true, "Rprop": true, "LBFGS": true}
)

// MomentumCycler lets an optimizer that is not one of package optim's say
// which hyperparameter OneCycleLR and CyclicLR cycle: "momentum" (the
// groups' Momentum), "betas" (Betas[0]) or "" (none: cycle_momentum is an
// error). Package optim's optimizers are known by their type names.
type MomentumCycler interface {
	CycledMomentum() string
}

// cycledField reports whether the optimizer's groups cycle Betas[0]
// (useBeta1) or Momentum; ok is false where the optimizer has neither.
func cycledField(opt Optimizer) (useBeta1, ok bool) {
	if c, is := opt.(MomentumCycler); is {
		switch c.CycledMomentum() {
		case "momentum":
			return false, true
		case "betas":
			return true, true
		}
		return false, false
	}
	t := reflect.TypeOf(opt)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := ""
	if t != nil {
		name = t.Name()
	}
	switch {
	case momentumOptimizers[name]:
		return false, true
	case betasOptimizers[name]:
		return true, true
	case plainOptimizers[name]:
		return false, false
	}
	// An optimizer we do not know: Betas set means the Adam family.
	for _, g := range opt.ParamGroups() {
		if g.Betas != [2]float64{} {
			return true, true
		}
	}
	return false, true
}

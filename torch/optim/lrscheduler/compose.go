package lrscheduler

import (
	"fmt"
	"sort"
)

// SequentialLROpts are SequentialLR's defaulted arguments.
type SequentialLROpts struct {
	LastEpoch *int // last_epoch, default -1
}

// SequentialLR runs schedulers one after another, switching at the
// milestone epochs: torch.optim.lr_scheduler.SequentialLR.
//
// As in PyTorch, building it resets each group's rate to its InitialLR,
// takes back the initial step of every scheduler (their LastEpoch goes
// down by one) and takes the first scheduler's initial step again. At a
// milestone the next scheduler restarts from epoch 0 in its closed form
// (PyTorch 1.13's scheduler.step(0); 2.x's _update_lr(0) gives the same
// rates), so it starts from the groups' InitialLR rather than from the rate
// the previous scheduler reached.
type SequentialLR struct {
	opt        Optimizer
	schedulers []schedulerCore
	milestones []int
	lastEpoch  int
	lastLR     []float64
}

// NewSequentialLR is SequentialLR(optimizer, schedulers, milestones,
// last_epoch=-1). The schedulers must be this package's own (not
// SequentialLR, ChainedScheduler or ReduceLROnPlateau), built on opt, and
// there must be one milestone fewer than schedulers.
func NewSequentialLR(opt Optimizer, schedulers []Scheduler, milestones []int, opts ...SequentialLROpts) (*SequentialLR, error) {
	var o SequentialLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	const name = "SequentialLR"
	if len(schedulers) < 1 {
		return nil, fmt.Errorf("lrscheduler: %s: SequentialLR expects at least one scheduler, but got no scheduler.", name)
	}
	cores := make([]schedulerCore, len(schedulers))
	for i, s := range schedulers {
		c, ok := s.(schedulerCore)
		if !ok {
			return nil, fmt.Errorf("lrscheduler: %s: scheduler %d is a %T; SequentialLR takes the schedulers of package lrscheduler other than SequentialLR and ChainedScheduler", name, i, s)
		}
		if !sameOptimizer(c.core().opt, opt) {
			return nil, fmt.Errorf("lrscheduler: %s: Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index %d to be different than the optimizer passed in.", name, i)
		}
		cores[i] = c
	}
	if len(milestones) != len(schedulers)-1 {
		return nil, fmt.Errorf("lrscheduler: %s: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers %d and the number of milestones to be equal to %d", name, len(schedulers), len(milestones))
	}
	s := &SequentialLR{opt: opt, schedulers: cores, milestones: append([]int(nil), milestones...), lastEpoch: lastEpochOpt(o.LastEpoch) + 1}
	// Reset learning rates back to initial values.
	for _, g := range opt.ParamGroups() {
		g.LR = g.InitialLR
	}
	// "Undo" the step performed by other schedulers.
	for _, c := range cores {
		c.core().lastEpoch--
	}
	// Perform the initial step for only the first scheduler.
	cores[0].core().initialStep()
	s.lastLR = cores[0].LastLR()
	return s, nil
}

// Step is scheduler.step(): it steps the scheduler whose turn it is, which
// restarts from epoch 0 at its milestone.
func (s *SequentialLR) Step() {
	s.lastEpoch++
	idx := sort.Search(len(s.milestones), func(i int) bool { return s.milestones[i] > s.lastEpoch }) // bisect_right
	c := s.schedulers[idx]
	if idx > 0 && s.milestones[idx-1] == s.lastEpoch {
		c.core().stepTo(0)
	} else {
		c.Step()
	}
	s.lastLR = c.LastLR()
}

// LastLR is scheduler.get_last_lr(): that of the scheduler stepped last.
func (s *SequentialLR) LastLR() []float64 { return append([]float64(nil), s.lastLR...) }

// LastEpoch is scheduler.last_epoch.
func (s *SequentialLR) LastEpoch() int { return s.lastEpoch }

// Optimizer is scheduler.optimizer.
func (s *SequentialLR) Optimizer() Optimizer { return s.opt }

// ChainedScheduler steps several schedulers of one optimizer together, each
// applying its change to the rate the previous one set:
// torch.optim.lr_scheduler.ChainedScheduler.
type ChainedScheduler struct {
	opt        Optimizer
	schedulers []Scheduler
	lastLR     []float64
}

// NewChainedScheduler is ChainedScheduler(schedulers). Each scheduler must
// tell its optimizer (an Optimizer() Optimizer method, which this package's
// have) and all must share one.
func NewChainedScheduler(schedulers []Scheduler) (*ChainedScheduler, error) {
	const name = "ChainedScheduler"
	if len(schedulers) < 1 {
		return nil, fmt.Errorf("lrscheduler: %s: ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.", name)
	}
	var first Optimizer
	for i, sc := range schedulers {
		if sc == nil {
			return nil, fmt.Errorf("lrscheduler: %s: scheduler %d is nil", name, i)
		}
		o, ok := optimizerOf(sc)
		if !ok {
			return nil, fmt.Errorf("lrscheduler: %s: ChainedScheduler at index %d should have `optimizer` as its attribute.", name, i)
		}
		if i == 0 {
			first = o
		} else if !sameOptimizer(o, first) {
			return nil, fmt.Errorf("lrscheduler: %s: ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and %d to be different", name, i)
		}
	}
	s := &ChainedScheduler{opt: first, schedulers: append([]Scheduler(nil), schedulers...)}
	s.record()
	return s, nil
}

func (s *ChainedScheduler) record() {
	groups := s.opt.ParamGroups()
	s.lastLR = make([]float64, len(groups))
	for i, g := range groups {
		s.lastLR[i] = g.LR
	}
}

// Step is scheduler.step(): each scheduler's Step, in order.
func (s *ChainedScheduler) Step() {
	for _, sc := range s.schedulers {
		sc.Step()
	}
	s.record()
}

// LastLR is scheduler.get_last_lr(): the groups' rates after the last Step.
func (s *ChainedScheduler) LastLR() []float64 { return append([]float64(nil), s.lastLR...) }

// Optimizer is scheduler.optimizer.
func (s *ChainedScheduler) Optimizer() Optimizer { return s.opt }

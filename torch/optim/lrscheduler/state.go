package lrscheduler

import "fmt"

// State is what a scheduler's state_dict() holds that changes as it steps.
// To resume training, build the optimizer and scheduler with the same
// arguments, load the optimizer's state (which carries each group's lr and
// initial_lr) and then the scheduler's State: the schedule continues as if
// never interrupted, as scheduler.load_state_dict(sd) does in Python.
//
// The hyperparameters (gamma, milestones, ...) are not in it: they are the
// constructor's arguments. Best is ±Inf before ReduceLROnPlateau's first
// step, which encoding/json cannot write; encoding/gob can.
type State struct {
	LastEpoch int       // last_epoch
	StepCount int       // _step_count
	BaseLRs   []float64 // base_lrs
	LastLR    []float64 // _last_lr

	TI   int     // T_i (CosineAnnealingWarmRestarts)
	TCur float64 // T_cur (CosineAnnealingWarmRestarts)

	Best            float64 // best (ReduceLROnPlateau)
	NumBadEpochs    int     // num_bad_epochs (ReduceLROnPlateau)
	CooldownCounter int     // cooldown_counter (ReduceLROnPlateau)

	Schedulers []State // _schedulers' states (SequentialLR, ChainedScheduler)
}

// stateful is a scheduler with StateDict and LoadStateDict.
type stateful interface {
	StateDict() State
	LoadStateDict(State) error
}

// extraState is a scheduler with state beyond base's.
type extraState interface {
	saveState(*State)
	loadState(State)
}

// StateDict is scheduler.state_dict().
func (b *base) StateDict() State {
	st := State{LastEpoch: b.lastEpoch, StepCount: b.stepCount,
		BaseLRs: append([]float64(nil), b.baseLRs...), LastLR: append([]float64(nil), b.lastLR...)}
	if x, ok := b.impl.(extraState); ok {
		x.saveState(&st)
	}
	return st
}

// LoadStateDict is scheduler.load_state_dict(sd). It fails when the state
// is for another number of parameter groups.
func (b *base) LoadStateDict(st State) error {
	if len(st.BaseLRs) != len(b.baseLRs) {
		return fmt.Errorf("lrscheduler: %s: state has %d base_lrs, the scheduler %d", b.name, len(st.BaseLRs), len(b.baseLRs))
	}
	b.lastEpoch, b.stepCount = st.LastEpoch, st.StepCount
	b.baseLRs = append([]float64(nil), st.BaseLRs...)
	b.lastLR = append([]float64(nil), st.LastLR...)
	if x, ok := b.impl.(extraState); ok {
		x.loadState(st)
	}
	return nil
}

func (s *CosineAnnealingWarmRestarts) saveState(st *State) { st.TI, st.TCur = s.tI, s.tCur }
func (s *CosineAnnealingWarmRestarts) loadState(st State)  { s.tI, s.tCur = st.TI, st.TCur }

// StateDict is scheduler.state_dict().
func (s *ReduceLROnPlateau) StateDict() State {
	return State{LastEpoch: s.lastEpoch, LastLR: append([]float64(nil), s.lastLR...),
		Best: s.best, NumBadEpochs: s.numBadEpochs, CooldownCounter: s.cooldownCounter}
}

// LoadStateDict is scheduler.load_state_dict(sd).
func (s *ReduceLROnPlateau) LoadStateDict(st State) error {
	s.lastEpoch, s.best, s.numBadEpochs, s.cooldownCounter = st.LastEpoch, st.Best, st.NumBadEpochs, st.CooldownCounter
	s.lastLR = append([]float64(nil), st.LastLR...)
	return nil
}

// StateDict is scheduler.state_dict(), with the schedulers' states.
func (s *SequentialLR) StateDict() State {
	st := State{LastEpoch: s.lastEpoch, LastLR: append([]float64(nil), s.lastLR...)}
	for _, c := range s.schedulers {
		st.Schedulers = append(st.Schedulers, c.core().StateDict())
	}
	return st
}

// LoadStateDict is scheduler.load_state_dict(sd), the schedulers'
// included.
func (s *SequentialLR) LoadStateDict(st State) error {
	if len(st.Schedulers) != len(s.schedulers) {
		return fmt.Errorf("lrscheduler: SequentialLR: state has %d schedulers, the scheduler %d", len(st.Schedulers), len(s.schedulers))
	}
	for i, c := range s.schedulers {
		if err := c.core().LoadStateDict(st.Schedulers[i]); err != nil {
			return err
		}
	}
	s.lastEpoch = st.LastEpoch
	s.lastLR = append([]float64(nil), st.LastLR...)
	return nil
}

// StateDict is scheduler.state_dict(), with the schedulers' states (a
// zero State for one that has no StateDict).
func (s *ChainedScheduler) StateDict() State {
	st := State{LastLR: append([]float64(nil), s.lastLR...)}
	for _, c := range s.schedulers {
		var cs State
		if sf, ok := c.(stateful); ok {
			cs = sf.StateDict()
		}
		st.Schedulers = append(st.Schedulers, cs)
	}
	return st
}

// LoadStateDict is scheduler.load_state_dict(sd), the schedulers'
// included.
func (s *ChainedScheduler) LoadStateDict(st State) error {
	if len(st.Schedulers) != len(s.schedulers) {
		return fmt.Errorf("lrscheduler: ChainedScheduler: state has %d schedulers, the scheduler %d", len(st.Schedulers), len(s.schedulers))
	}
	for i, c := range s.schedulers {
		if sf, ok := c.(stateful); ok {
			if err := sf.LoadStateDict(st.Schedulers[i]); err != nil {
				return err
			}
		}
	}
	s.lastLR = append([]float64(nil), st.LastLR...)
	return nil
}

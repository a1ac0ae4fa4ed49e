package lrscheduler

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// CosineAnnealingLROpts are CosineAnnealingLR's defaulted arguments.
type CosineAnnealingLROpts struct {
	EtaMin    float64 // eta_min, default 0
	LastEpoch *int    // last_epoch, default -1
}

// CosineAnnealingLR anneals each group's learning rate from its initial
// rate to EtaMin along half a cosine over TMax epochs (and back up over the
// next TMax, and so on): torch.optim.lr_scheduler.CosineAnnealingLR, in its
// recursive (chainable) form.
type CosineAnnealingLR struct {
	base
	TMax   int
	EtaMin float64
}

// NewCosineAnnealingLR is CosineAnnealingLR(optimizer, T_max, eta_min=0,
// last_epoch=-1). tMax must be positive (PyTorch divides by it at the
// first step).
func NewCosineAnnealingLR(opt Optimizer, tMax int, opts ...CosineAnnealingLROpts) (*CosineAnnealingLR, error) {
	var o CosineAnnealingLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if tMax <= 0 {
		return nil, fmt.Errorf("lrscheduler: CosineAnnealingLR: Expected positive integer T_max, but got %d", tMax)
	}
	s := &CosineAnnealingLR{TMax: tMax, EtaMin: o.EtaMin}
	if err := s.init("CosineAnnealingLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *CosineAnnealingLR) getLR() []float64 {
	tMax := float64(s.TMax)
	le := float64(s.lastEpoch)
	switch {
	case s.lastEpoch == 0:
		return s.currentLRs()
	case s.stepCount == 1 && s.lastEpoch > 0:
		lrs := make([]float64, len(s.baseLRs))
		for i, b := range s.baseLRs {
			lrs[i] = s.EtaMin + (b-s.EtaMin)*(1+math.Cos(le*math.Pi/tMax))/2
		}
		return lrs
	case (s.lastEpoch-1-s.TMax)%(2*s.TMax) == 0:
		lrs := s.currentLRs()
		for i, b := range s.baseLRs {
			lrs[i] = lrs[i] + (b-s.EtaMin)*(1-math.Cos(math.Pi/tMax))/2
		}
		return lrs
	}
	lrs := s.currentLRs()
	for i := range lrs {
		lrs[i] = (1+math.Cos(math.Pi*le/tMax))/(1+math.Cos(math.Pi*(le-1)/tMax))*(lrs[i]-s.EtaMin) + s.EtaMin
	}
	return lrs
}

func (s *CosineAnnealingLR) closedFormLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = s.EtaMin + (b-s.EtaMin)*(1+math.Cos(math.Pi*float64(s.lastEpoch)/float64(s.TMax)))/2
	}
	return lrs
}

// CosineAnnealingWarmRestartsOpts are CosineAnnealingWarmRestarts'
// defaulted arguments.
type CosineAnnealingWarmRestartsOpts struct {
	TMult     *int    // T_mult, default 1
	EtaMin    float64 // eta_min, default 0
	LastEpoch *int    // last_epoch, default -1
}

// CosineAnnealingWarmRestarts anneals each group's learning rate from its
// initial rate to EtaMin along half a cosine over T_i epochs, then
// restarts, with T_i = T0 * TMult^k for the k-th period (SGDR):
// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.
type CosineAnnealingWarmRestarts struct {
	base
	T0, TMult int
	EtaMin    float64
	tI        int
	tCur      float64
}

// NewCosineAnnealingWarmRestarts is CosineAnnealingWarmRestarts(optimizer,
// T_0, T_mult=1, eta_min=0, last_epoch=-1).
func NewCosineAnnealingWarmRestarts(opt Optimizer, t0 int, opts ...CosineAnnealingWarmRestartsOpts) (*CosineAnnealingWarmRestarts, error) {
	var o CosineAnnealingWarmRestartsOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	tMult := optarg.Or(o.TMult, 1)
	if t0 <= 0 {
		return nil, fmt.Errorf("lrscheduler: CosineAnnealingWarmRestarts: Expected positive integer T_0, but got %d", t0)
	}
	if tMult < 1 {
		return nil, fmt.Errorf("lrscheduler: CosineAnnealingWarmRestarts: Expected integer T_mult >= 1, but got %d", tMult)
	}
	lastEpoch := lastEpochOpt(o.LastEpoch)
	s := &CosineAnnealingWarmRestarts{T0: t0, TMult: tMult, EtaMin: o.EtaMin, tI: t0, tCur: float64(lastEpoch)}
	if err := s.init("CosineAnnealingWarmRestarts", opt, lastEpoch, s); err != nil {
		return nil, err
	}
	return s, nil
}

// TI is T_i: the length of the current period.
func (s *CosineAnnealingWarmRestarts) TI() int { return s.tI }

// TCur is T_cur: the epochs since the last restart (fractional after
// StepEpoch with a fraction).
func (s *CosineAnnealingWarmRestarts) TCur() float64 { return s.tCur }

func (s *CosineAnnealingWarmRestarts) getLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = s.EtaMin + (b-s.EtaMin)*(1+math.Cos(math.Pi*s.tCur/float64(s.tI)))/2
	}
	return lrs
}

// StepEpoch is scheduler.step(epoch): it sets the schedule to a (possibly
// fractional) epoch, as in PyTorch's per-batch use
// scheduler.step(epoch + i / iters). It panics with a *torch.Error
// (KindValue) on a negative epoch, as PyTorch raises a ValueError.
func (s *CosineAnnealingWarmRestarts) StepEpoch(epoch float64) {
	if epoch < 0 {
		panic(&torch.Error{Op: "CosineAnnealingWarmRestarts.StepEpoch", Kind: torch.KindValue,
			Msg: fmt.Sprintf("Expected non-negative epoch, but got %v", epoch)})
	}
	s.stepAt(epoch, true)
}

// stepAt is CosineAnnealingWarmRestarts.step(epoch); given false is
// epoch=None.
func (s *CosineAnnealingWarmRestarts) stepAt(epoch float64, given bool) {
	if !given && s.lastEpoch < 0 {
		epoch, given = 0, true
	}
	if !given {
		epoch = float64(s.lastEpoch + 1)
		s.tCur = s.tCur + 1
		if s.tCur >= float64(s.tI) {
			s.tCur = s.tCur - float64(s.tI)
			s.tI = s.tI * s.TMult
		}
	} else {
		if epoch >= float64(s.T0) {
			if s.TMult == 1 {
				s.tCur = math.Mod(epoch, float64(s.T0))
			} else {
				t0, m := float64(s.T0), float64(s.TMult)
				n := int(math.Log(epoch/t0*(m-1)+1) / math.Log(m))
				s.tCur = epoch - t0*(math.Pow(m, float64(n))-1)/(m-1)
				s.tI = s.T0 * intPow(s.TMult, n)
			}
		} else {
			s.tI = s.T0
			s.tCur = epoch
		}
	}
	s.lastEpoch = int(math.Floor(epoch))
	s.apply(s.getLR())
}

// intPow is b**n for ints.
func intPow(b, n int) int {
	r := 1
	for range n {
		r *= b
	}
	return r
}

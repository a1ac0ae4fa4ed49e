package lrscheduler

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// CyclicLROpts are CyclicLR's defaulted arguments. A slice of one value
// applies to every group (a float in Python); nil is PyTorch's default.
type CyclicLROpts struct {
	StepSizeUp    *int                    // step_size_up, default 2000
	StepSizeDown  *int                    // step_size_down, default step_size_up
	Mode          string                  // mode: "triangular" (default), "triangular2" or "exp_range"
	Gamma         *float64                // gamma, default 1.0 (exp_range)
	ScaleFn       func(x float64) float64 // scale_fn, default none: Mode decides; when set Mode is ignored
	ScaleMode     string                  // scale_mode with ScaleFn: "cycle" (default) or "iterations"
	CycleMomentum *bool                   // cycle_momentum, default true
	BaseMomentum  []float64               // base_momentum, default 0.8
	MaxMomentum   []float64               // max_momentum, default 0.9
	LastEpoch     *int                    // last_epoch, default -1
}

// CyclicLR cycles each group's learning rate between base and max rates
// (and its momentum inversely between max and base momentum), one step per
// batch: torch.optim.lr_scheduler.CyclicLR.
type CyclicLR struct {
	base
	maxLRs        []float64
	totalSize     float64
	stepRatio     float64
	mode          string
	gamma         float64
	scaleFn       func(float64) float64
	scaleMode     string
	cycleMomentum bool
	useBeta1      bool
	baseMomentums []float64
	maxMomentums  []float64
}

// NewCyclicLR is CyclicLR(optimizer, base_lr, max_lr, ...). baseLR and
// maxLR hold one value for every group or one per group.
//
// With CycleMomentum (the default) the optimizer must have a momentum:
// SGD and RMSprop cycle their groups' Momentum. The Adam family cycles
// Betas[0], as PyTorch 2.x does (PyTorch 1.13 raises for an optimizer
// without 'momentum').
func NewCyclicLR(opt Optimizer, baseLR, maxLR []float64, opts ...CyclicLROpts) (*CyclicLR, error) {
	var o CyclicLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	const name = "CyclicLR"
	groups := opt.ParamGroups()
	n := len(groups)
	if len(baseLR) == 0 {
		return nil, fmt.Errorf("lrscheduler: %s: base_lr is required", name)
	}
	if len(maxLR) == 0 {
		return nil, fmt.Errorf("lrscheduler: %s: max_lr is required", name)
	}
	baseLRs, err := formatParam(name, "base_lr", n, baseLR, 0)
	if err != nil {
		return nil, err
	}
	lastEpoch := lastEpochOpt(o.LastEpoch)
	if lastEpoch == -1 {
		for i, g := range groups {
			g.LR = baseLRs[i]
		}
	}
	s := &CyclicLR{}
	if s.maxLRs, err = formatParam(name, "max_lr", n, maxLR, 0); err != nil {
		return nil, err
	}
	up := float64(optarg.Or(o.StepSizeUp, 2000))
	down := up
	if o.StepSizeDown != nil {
		down = float64(*o.StepSizeDown)
	}
	s.totalSize = up + down
	s.stepRatio = up / s.totalSize

	s.mode = o.Mode
	if s.mode == "" {
		s.mode = "triangular"
	}
	if s.mode != "triangular" && s.mode != "triangular2" && s.mode != "exp_range" && o.ScaleFn == nil {
		return nil, fmt.Errorf("lrscheduler: %s: mode is invalid and scale_fn is None", name)
	}
	s.gamma = optarg.Or(o.Gamma, 1.)
	if o.ScaleFn == nil {
		switch s.mode {
		case "triangular":
			s.scaleFn = func(float64) float64 { return 1. }
			s.scaleMode = "cycle"
		case "triangular2":
			s.scaleFn = func(x float64) float64 { return 1 / math.Pow(2., x-1) }
			s.scaleMode = "cycle"
		case "exp_range":
			s.scaleFn = func(x float64) float64 { return math.Pow(s.gamma, x) }
			s.scaleMode = "iterations"
		}
	} else {
		s.scaleFn = o.ScaleFn
		s.scaleMode = o.ScaleMode
		if s.scaleMode == "" {
			s.scaleMode = "cycle"
		}
		if s.scaleMode != "cycle" && s.scaleMode != "iterations" {
			return nil, fmt.Errorf("lrscheduler: %s: scale_mode must be 'cycle' or 'iterations', got %q", name, s.scaleMode)
		}
	}

	s.cycleMomentum = optarg.Or(o.CycleMomentum, true)
	if s.cycleMomentum {
		useBeta1, ok := cycledField(opt)
		if !ok {
			return nil, fmt.Errorf("lrscheduler: %s: optimizer must support momentum with `cycle_momentum` option enabled", name)
		}
		s.useBeta1 = useBeta1
		baseMomentums, err := formatParam(name, "base_momentum", n, o.BaseMomentum, 0.8)
		if err != nil {
			return nil, err
		}
		if s.maxMomentums, err = formatParam(name, "max_momentum", n, o.MaxMomentum, 0.9); err != nil {
			return nil, err
		}
		if useBeta1 {
			// PyTorch 2.x: the groups start at max_momentum (the initial
			// step sets it anyway) and base_momentum is the argument.
			if lastEpoch == -1 {
				for i, g := range groups {
					g.Betas[0] = s.maxMomentums[i]
				}
			}
			s.baseMomentums = baseMomentums
		} else {
			// PyTorch 1.13: the groups get base_momentum, which is then
			// read back from them (so a resumed scheduler takes the
			// groups' current momentum as its base).
			if lastEpoch == -1 {
				for i, g := range groups {
					g.Momentum = baseMomentums[i]
				}
			}
			s.baseMomentums = make([]float64, n)
			for i, g := range groups {
				s.baseMomentums[i] = g.Momentum
			}
		}
	}
	if err := s.init(name, opt, lastEpoch, s); err != nil {
		return nil, err
	}
	// As in PyTorch, base_lrs are the base_lr argument from here on; the
	// initial step above used the groups' InitialLR.
	s.baseLRs = baseLRs
	return s, nil
}

func (s *CyclicLR) getLR() []float64 {
	le := float64(s.lastEpoch)
	cycle := math.Floor(1 + le/s.totalSize)
	x := 1. + le/s.totalSize - cycle
	var scaleFactor float64
	if x <= s.stepRatio {
		scaleFactor = x / s.stepRatio
	} else {
		scaleFactor = (x - 1) / (s.stepRatio - 1)
	}
	scaleArg := le
	if s.scaleMode == "cycle" {
		scaleArg = cycle
	}
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		baseHeight := (s.maxLRs[i] - b) * scaleFactor
		lrs[i] = b + baseHeight*s.scaleFn(scaleArg)
	}
	if s.cycleMomentum {
		groups := s.groups()
		for i := range s.baseMomentums {
			baseHeight := (s.maxMomentums[i] - s.baseMomentums[i]) * scaleFactor
			m := s.maxMomentums[i] - baseHeight*s.scaleFn(scaleArg)
			if i < len(groups) {
				if s.useBeta1 {
					groups[i].Betas[0] = m
				} else {
					groups[i].Momentum = m
				}
			}
		}
	}
	return lrs
}

// OneCycleLROpts are OneCycleLR's defaulted arguments. The cycle's length
// is TotalSteps, or else Epochs * StepsPerEpoch; one of the two must be
// given. A slice of one value applies to every group (a float in Python);
// nil is PyTorch's default.
type OneCycleLROpts struct {
	TotalSteps     int       // total_steps (0: None)
	Epochs         int       // epochs (0: None)
	StepsPerEpoch  int       // steps_per_epoch (0: None)
	PctStart       *float64  // pct_start, default 0.3
	AnnealStrategy string    // anneal_strategy: "cos" (default) or "linear"
	CycleMomentum  *bool     // cycle_momentum, default true
	BaseMomentum   []float64 // base_momentum, default 0.85
	MaxMomentum    []float64 // max_momentum, default 0.95
	DivFactor      *float64  // div_factor, default 25
	FinalDivFactor *float64  // final_div_factor, default 1e4
	ThreePhase     bool      // three_phase
	LastEpoch      *int      // last_epoch, default -1
}

// OneCycleLR is the 1cycle policy, one step per batch: the learning rate
// rises from max_lr/DivFactor to max_lr over PctStart of the steps, then
// anneals to max_lr/DivFactor/FinalDivFactor, while the momentum (or Adam's
// beta1) moves the other way: torch.optim.lr_scheduler.OneCycleLR.
type OneCycleLR struct {
	base
	totalSteps    int
	phases        []phase
	linear        bool
	cycleMomentum bool
	useBeta1      bool
	maxLRs        []float64 // group['max_lr']
	minLRs        []float64 // group['min_lr']
	maxMomentums  []float64 // group['max_momentum']
	baseMomentums []float64 // group['base_momentum']
}

// phase is one of OneCycleLR's _schedule_phases; the start and end values
// name the per-group lists.
type phase struct {
	endStep                    float64
	startLR, endLR             string
	startMomentum, endMomentum string
}

// NewOneCycleLR is OneCycleLR(optimizer, max_lr, total_steps, epochs,
// steps_per_epoch, pct_start, anneal_strategy, cycle_momentum,
// base_momentum, max_momentum, div_factor, final_div_factor, three_phase,
// last_epoch). maxLR holds one value for every group or one per group.
// With CycleMomentum (the default) SGD and RMSprop cycle their groups'
// Momentum and the Adam family Betas[0], as PyTorch does.
//
// It sets each group's InitialLR to max_lr/DivFactor when starting
// (LastEpoch -1); a resumed one reads InitialLR from the groups and takes
// max_lr, the minimum rate and the momenta from its arguments, where
// PyTorch reads them from the (loaded) groups.
func NewOneCycleLR(opt Optimizer, maxLR []float64, opts ...OneCycleLROpts) (*OneCycleLR, error) {
	var o OneCycleLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	const name = "OneCycleLR"
	s := &OneCycleLR{}
	switch {
	case o.TotalSteps == 0 && (o.Epochs == 0 || o.StepsPerEpoch == 0) && !(o.Epochs < 0 || o.StepsPerEpoch < 0):
		return nil, fmt.Errorf("lrscheduler: %s: You must define either total_steps OR (epochs AND steps_per_epoch)", name)
	case o.TotalSteps != 0:
		if o.TotalSteps < 0 {
			return nil, fmt.Errorf("lrscheduler: %s: Expected positive integer total_steps, but got %d", name, o.TotalSteps)
		}
		s.totalSteps = o.TotalSteps
	default:
		if o.Epochs <= 0 {
			return nil, fmt.Errorf("lrscheduler: %s: Expected positive integer epochs, but got %d", name, o.Epochs)
		}
		if o.StepsPerEpoch <= 0 {
			return nil, fmt.Errorf("lrscheduler: %s: Expected positive integer steps_per_epoch, but got %d", name, o.StepsPerEpoch)
		}
		s.totalSteps = o.Epochs * o.StepsPerEpoch
	}
	pctStart := optarg.Or(o.PctStart, 0.3)
	total := float64(s.totalSteps)
	if o.ThreePhase {
		s.phases = []phase{
			{pctStart*total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
			{2*pctStart*total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"},
			{total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"},
		}
	} else {
		s.phases = []phase{
			{pctStart*total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
			{total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"},
		}
	}
	if pctStart < 0 || pctStart > 1 || math.IsNaN(pctStart) {
		return nil, fmt.Errorf("lrscheduler: %s: Expected float between 0 and 1 pct_start, but got %v", name, pctStart)
	}
	switch o.AnnealStrategy {
	case "", "cos":
	case "linear":
		s.linear = true
	default:
		return nil, fmt.Errorf("lrscheduler: %s: anneal_strategy must be one of 'cos' or 'linear', instead got %s", name, o.AnnealStrategy)
	}

	groups := opt.ParamGroups()
	n := len(groups)
	if len(maxLR) == 0 {
		return nil, fmt.Errorf("lrscheduler: %s: max_lr is required", name)
	}
	maxLRs, err := formatParam(name, "max_lr", n, maxLR, 0)
	if err != nil {
		return nil, err
	}
	divFactor := optarg.Or(o.DivFactor, 25.)
	finalDivFactor := optarg.Or(o.FinalDivFactor, 1e4)
	lastEpoch := lastEpochOpt(o.LastEpoch)
	s.maxLRs = maxLRs
	s.minLRs = make([]float64, n)
	for i, g := range groups {
		if lastEpoch == -1 {
			g.InitialLR = maxLRs[i] / divFactor
		}
		s.minLRs[i] = g.InitialLR / finalDivFactor
	}

	s.cycleMomentum = optarg.Or(o.CycleMomentum, true)
	if s.cycleMomentum {
		useBeta1, ok := cycledField(opt)
		if !ok {
			return nil, fmt.Errorf("lrscheduler: %s: optimizer must support momentum with `cycle_momentum` option enabled", name)
		}
		s.useBeta1 = useBeta1
		if s.maxMomentums, err = formatParam(name, "max_momentum", n, o.MaxMomentum, 0.95); err != nil {
			return nil, err
		}
		if s.baseMomentums, err = formatParam(name, "base_momentum", n, o.BaseMomentum, 0.85); err != nil {
			return nil, err
		}
		if lastEpoch == -1 {
			for i, g := range groups {
				if useBeta1 {
					g.Betas[0] = s.maxMomentums[i]
				} else {
					g.Momentum = s.maxMomentums[i]
				}
			}
		}
	}
	if err := s.init(name, opt, lastEpoch, s); err != nil {
		return nil, err
	}
	return s, nil
}

// TotalSteps is the cycle's length in steps.
func (s *OneCycleLR) TotalSteps() int { return s.totalSteps }

// value is group[key] for group i.
func (s *OneCycleLR) value(key string, i int, g float64) float64 {
	switch key {
	case "initial_lr":
		return g
	case "max_lr":
		return s.maxLRs[i]
	case "min_lr":
		return s.minLRs[i]
	case "max_momentum":
		return s.maxMomentums[i]
	case "base_momentum":
		return s.baseMomentums[i]
	}
	panic("lrscheduler: OneCycleLR: unknown key " + key)
}

func (s *OneCycleLR) anneal(start, end, pct float64) float64 {
	if s.linear {
		return (end-start)*pct + start
	}
	cosOut := math.Cos(math.Pi*pct) + 1
	return end + (start-end)/2.0*cosOut
}

// getLR panics with a *torch.Error (KindValue) when stepped past
// TotalSteps, as PyTorch raises a ValueError.
func (s *OneCycleLR) getLR() []float64 {
	stepNum := s.lastEpoch
	if stepNum > s.totalSteps {
		panic(&torch.Error{Op: "OneCycleLR.Step", Kind: torch.KindValue,
			Msg: fmt.Sprintf("Tried to step %d times. The specified number of total steps is %d", stepNum+1, s.totalSteps)})
	}
	groups := s.groups()
	lrs := make([]float64, len(groups))
	for i, g := range groups {
		startStep := 0.0
		var lr, mom float64
		for k, p := range s.phases {
			endStep := p.endStep
			if float64(stepNum) <= endStep || k == len(s.phases)-1 {
				pct := (float64(stepNum) - startStep) / (endStep - startStep)
				lr = s.anneal(s.value(p.startLR, i, g.InitialLR), s.value(p.endLR, i, g.InitialLR), pct)
				if s.cycleMomentum {
					mom = s.anneal(s.value(p.startMomentum, i, 0), s.value(p.endMomentum, i, 0), pct)
				}
				break
			}
			startStep = p.endStep
		}
		lrs[i] = lr
		if s.cycleMomentum {
			if s.useBeta1 {
				g.Betas[0] = mom
			} else {
				g.Momentum = mom
			}
		}
	}
	return lrs
}

package lrscheduler

import (
	"fmt"
	"math"
	"sort"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
)

// LambdaFunc is a learning-rate lambda: the factor for an epoch.
type LambdaFunc func(epoch int) float64

// lambdasFor is LambdaLR's lr_lambda handling: one function applies to
// every group, as a single function does in Python; otherwise one per
// group.
func lambdasFor(name string, opt Optimizer, fns []LambdaFunc) ([]LambdaFunc, error) {
	n := len(opt.ParamGroups())
	for i, f := range fns {
		if f == nil {
			return nil, fmt.Errorf("lrscheduler: %s: lr_lambda %d is nil", name, i)
		}
	}
	switch len(fns) {
	case 0:
		return nil, fmt.Errorf("lrscheduler: %s: Expected %d lr_lambdas, but got 0", name, n)
	case 1:
		out := make([]LambdaFunc, n)
		for i := range out {
			out[i] = fns[0]
		}
		return out, nil
	}
	if len(fns) != n {
		return nil, fmt.Errorf("lrscheduler: %s: Expected %d lr_lambdas, but got %d", name, n, len(fns))
	}
	return append([]LambdaFunc(nil), fns...), nil
}

// LambdaLROpts are LambdaLR's defaulted arguments.
type LambdaLROpts struct {
	LastEpoch *int // last_epoch, default -1
}

// LambdaLR sets each group's learning rate to its initial rate times a
// function of the epoch: torch.optim.lr_scheduler.LambdaLR.
type LambdaLR struct {
	base
	lambdas []LambdaFunc
}

// NewLambdaLR is LambdaLR(optimizer, lr_lambda, last_epoch). lrLambdas
// holds one function for every group, or one per group (a list in
// Python).
func NewLambdaLR(opt Optimizer, lrLambdas []LambdaFunc, opts ...LambdaLROpts) (*LambdaLR, error) {
	var o LambdaLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	fns, err := lambdasFor("LambdaLR", opt, lrLambdas)
	if err != nil {
		return nil, err
	}
	s := &LambdaLR{lambdas: fns}
	if err := s.init("LambdaLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

// getLR: base_lr * lmbda(last_epoch).
func (s *LambdaLR) getLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * s.lambdas[i](s.lastEpoch)
	}
	return lrs
}

// MultiplicativeLROpts are MultiplicativeLR's defaulted arguments.
type MultiplicativeLROpts struct {
	LastEpoch *int // last_epoch, default -1
}

// MultiplicativeLR multiplies each group's learning rate by a function of
// the epoch at every step after the first:
// torch.optim.lr_scheduler.MultiplicativeLR.
type MultiplicativeLR struct {
	base
	lambdas []LambdaFunc
}

// NewMultiplicativeLR is MultiplicativeLR(optimizer, lr_lambda,
// last_epoch); lrLambdas as for NewLambdaLR.
func NewMultiplicativeLR(opt Optimizer, lrLambdas []LambdaFunc, opts ...MultiplicativeLROpts) (*MultiplicativeLR, error) {
	var o MultiplicativeLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	fns, err := lambdasFor("MultiplicativeLR", opt, lrLambdas)
	if err != nil {
		return nil, err
	}
	s := &MultiplicativeLR{lambdas: fns}
	if err := s.init("MultiplicativeLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

// getLR: group['lr'] * lmbda(last_epoch) once last_epoch > 0.
func (s *MultiplicativeLR) getLR() []float64 {
	lrs := s.currentLRs()
	if s.lastEpoch > 0 {
		for i := range lrs {
			lrs[i] *= s.lambdas[i](s.lastEpoch)
		}
	}
	return lrs
}

// StepLROpts are StepLR's defaulted arguments.
type StepLROpts struct {
	Gamma     *float64 // gamma, default 0.1
	LastEpoch *int     // last_epoch, default -1
}

// StepLR multiplies each group's learning rate by Gamma every StepSize
// epochs: torch.optim.lr_scheduler.StepLR.
type StepLR struct {
	base
	StepSize int
	Gamma    float64
}

// NewStepLR is StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1).
// stepSize must be positive (PyTorch fails with a ZeroDivisionError at the
// first step on 0).
func NewStepLR(opt Optimizer, stepSize int, opts ...StepLROpts) (*StepLR, error) {
	var o StepLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	if stepSize <= 0 {
		return nil, fmt.Errorf("lrscheduler: StepLR: Expected positive integer step_size, but got %d", stepSize)
	}
	s := &StepLR{StepSize: stepSize, Gamma: optarg.Or(o.Gamma, 0.1)}
	if err := s.init("StepLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *StepLR) getLR() []float64 {
	if s.lastEpoch == 0 || pyMod(s.lastEpoch, s.StepSize) != 0 {
		return s.currentLRs()
	}
	return s.scaled(s.Gamma)
}

func (s *StepLR) closedFormLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * math.Pow(s.Gamma, float64(pyFloorDiv(s.lastEpoch, s.StepSize)))
	}
	return lrs
}

// MultiStepLROpts are MultiStepLR's defaulted arguments.
type MultiStepLROpts struct {
	Gamma     *float64 // gamma, default 0.1
	LastEpoch *int     // last_epoch, default -1
}

// MultiStepLR multiplies each group's learning rate by Gamma at each
// milestone epoch (by Gamma^k at a milestone listed k times):
// torch.optim.lr_scheduler.MultiStepLR.
type MultiStepLR struct {
	base
	Gamma      float64
	milestones map[int]int // Counter(milestones)
	sorted     []int       // sorted(milestones.elements())
}

// NewMultiStepLR is MultiStepLR(optimizer, milestones, gamma=0.1,
// last_epoch=-1).
func NewMultiStepLR(opt Optimizer, milestones []int, opts ...MultiStepLROpts) (*MultiStepLR, error) {
	var o MultiStepLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &MultiStepLR{Gamma: optarg.Or(o.Gamma, 0.1), milestones: map[int]int{}}
	for _, m := range milestones {
		s.milestones[m]++
	}
	s.sorted = append([]int(nil), milestones...)
	sort.Ints(s.sorted)
	if err := s.init("MultiStepLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

// Milestones are the milestone epochs, sorted, each as often as given.
func (s *MultiStepLR) Milestones() []int { return append([]int(nil), s.sorted...) }

func (s *MultiStepLR) getLR() []float64 {
	k, ok := s.milestones[s.lastEpoch]
	if !ok {
		return s.currentLRs()
	}
	return s.scaled(math.Pow(s.Gamma, float64(k)))
}

func (s *MultiStepLR) closedFormLR() []float64 {
	n := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i] > s.lastEpoch }) // bisect_right
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * math.Pow(s.Gamma, float64(n))
	}
	return lrs
}

// ConstantLROpts are ConstantLR's defaulted arguments.
type ConstantLROpts struct {
	Factor     *float64 // factor, default 1/3
	TotalIters *int     // total_iters, default 5
	LastEpoch  *int     // last_epoch, default -1
}

// ConstantLR multiplies each group's learning rate by Factor until epoch
// TotalIters: torch.optim.lr_scheduler.ConstantLR.
type ConstantLR struct {
	base
	Factor     float64
	TotalIters int
}

// NewConstantLR is ConstantLR(optimizer, factor=1/3, total_iters=5,
// last_epoch=-1).
func NewConstantLR(opt Optimizer, opts ...ConstantLROpts) (*ConstantLR, error) {
	var o ConstantLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &ConstantLR{Factor: optarg.Or(o.Factor, 1.0/3), TotalIters: optarg.Or(o.TotalIters, 5)}
	if s.Factor > 1.0 || s.Factor < 0 {
		return nil, fmt.Errorf("lrscheduler: ConstantLR: Constant multiplicative factor expected to be between 0 and 1.")
	}
	if err := s.init("ConstantLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *ConstantLR) getLR() []float64 {
	if s.lastEpoch == 0 {
		return s.scaled(s.Factor)
	}
	if s.lastEpoch > s.TotalIters || s.lastEpoch != s.TotalIters {
		return s.currentLRs()
	}
	return s.scaled(1.0 / s.Factor)
}

func (s *ConstantLR) closedFormLR() []float64 {
	done := 0.0
	if s.lastEpoch >= s.TotalIters {
		done = 1
	}
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * (s.Factor + done*(1-s.Factor))
	}
	return lrs
}

// LinearLROpts are LinearLR's defaulted arguments.
type LinearLROpts struct {
	StartFactor *float64 // start_factor, default 1/3
	EndFactor   *float64 // end_factor, default 1
	TotalIters  *int     // total_iters, default 5
	LastEpoch   *int     // last_epoch, default -1
}

// LinearLR multiplies each group's learning rate by a factor that goes
// linearly from StartFactor to EndFactor over TotalIters epochs:
// torch.optim.lr_scheduler.LinearLR.
type LinearLR struct {
	base
	StartFactor, EndFactor float64
	TotalIters             int
}

// NewLinearLR is LinearLR(optimizer, start_factor=1/3, end_factor=1.0,
// total_iters=5, last_epoch=-1). A start factor of 0, which PyTorch 1.13
// accepts and then divides by at the second step, is refused as PyTorch
// 2.x does.
func NewLinearLR(opt Optimizer, opts ...LinearLROpts) (*LinearLR, error) {
	var o LinearLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &LinearLR{StartFactor: optarg.Or(o.StartFactor, 1.0/3), EndFactor: optarg.Or(o.EndFactor, 1.0), TotalIters: optarg.Or(o.TotalIters, 5)}
	if s.StartFactor > 1.0 || s.StartFactor <= 0 {
		return nil, fmt.Errorf("lrscheduler: LinearLR: Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
	}
	if s.EndFactor > 1.0 || s.EndFactor < 0 {
		return nil, fmt.Errorf("lrscheduler: LinearLR: Ending multiplicative factor expected to be between 0 and 1.")
	}
	if err := s.init("LinearLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *LinearLR) getLR() []float64 {
	if s.lastEpoch == 0 {
		return s.scaled(s.StartFactor)
	}
	if s.lastEpoch > s.TotalIters {
		return s.currentLRs()
	}
	d := s.EndFactor - s.StartFactor
	return s.scaled(1. + d/(float64(s.TotalIters)*s.StartFactor+float64(s.lastEpoch-1)*d))
}

func (s *LinearLR) closedFormLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * (s.StartFactor + (s.EndFactor-s.StartFactor)*float64(min(s.TotalIters, s.lastEpoch))/float64(s.TotalIters))
	}
	return lrs
}

// ExponentialLROpts are ExponentialLR's defaulted arguments.
type ExponentialLROpts struct {
	LastEpoch *int // last_epoch, default -1
}

// ExponentialLR multiplies each group's learning rate by Gamma every
// epoch: torch.optim.lr_scheduler.ExponentialLR.
type ExponentialLR struct {
	base
	Gamma float64
}

// NewExponentialLR is ExponentialLR(optimizer, gamma, last_epoch=-1).
func NewExponentialLR(opt Optimizer, gamma float64, opts ...ExponentialLROpts) (*ExponentialLR, error) {
	var o ExponentialLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &ExponentialLR{Gamma: gamma}
	if err := s.init("ExponentialLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *ExponentialLR) getLR() []float64 {
	if s.lastEpoch == 0 {
		return s.currentLRs()
	}
	return s.scaled(s.Gamma)
}

func (s *ExponentialLR) closedFormLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * math.Pow(s.Gamma, float64(s.lastEpoch))
	}
	return lrs
}

// PolynomialLROpts are PolynomialLR's defaulted arguments.
type PolynomialLROpts struct {
	TotalIters *int     // total_iters, default 5
	Power      *float64 // power, default 1
	LastEpoch  *int     // last_epoch, default -1
}

// PolynomialLR decays each group's learning rate to 0 over TotalIters
// epochs as (1 - epoch/TotalIters)^Power: torch.optim.lr_scheduler.
// PolynomialLR (new in PyTorch 1.13).
type PolynomialLR struct {
	base
	TotalIters int
	Power      float64
}

// NewPolynomialLR is PolynomialLR(optimizer, total_iters=5, power=1.0,
// last_epoch=-1).
func NewPolynomialLR(opt Optimizer, opts ...PolynomialLROpts) (*PolynomialLR, error) {
	var o PolynomialLROpts
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &PolynomialLR{TotalIters: optarg.Or(o.TotalIters, 5), Power: optarg.Or(o.Power, 1.0)}
	if err := s.init("PolynomialLR", opt, lastEpochOpt(o.LastEpoch), s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *PolynomialLR) getLR() []float64 {
	if s.lastEpoch == 0 || s.lastEpoch > s.TotalIters {
		return s.currentLRs()
	}
	t := float64(s.TotalIters)
	f := math.Pow((1.0-float64(s.lastEpoch)/t)/(1.0-float64(s.lastEpoch-1)/t), s.Power)
	return s.scaled(f)
}

func (s *PolynomialLR) closedFormLR() []float64 {
	lrs := make([]float64, len(s.baseLRs))
	for i, b := range s.baseLRs {
		lrs[i] = b * math.Pow(1.0-float64(min(s.TotalIters, s.lastEpoch))/float64(s.TotalIters), s.Power)
	}
	return lrs
}

// pyMod is Python's a % b for ints (the sign of b).
func pyMod(a, b int) int {
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

// pyFloorDiv is Python's a // b for ints.
func pyFloorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

package lrscheduler_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	L "github.com/seed0eaa3131/gotorch/torch/optim/lrscheduler"
)

// pySched is a scheduler as the Python side builds it:
// getattr(lr_scheduler, Cls)(optimizer, **Kwargs), with named functions
// for lr_lambda and scale_fn, and sub-schedulers for SequentialLR and
// ChainedScheduler.
type pySched struct {
	Cls      string         `json:"cls"`
	Kwargs   map[string]any `json:"kwargs,omitempty"`
	Lambdas  []string       `json:"lambdas,omitempty"`
	ScaleFn  string         `json:"scale_fn,omitempty"`
	Children []pySched      `json:"children,omitempty"`
}

// pyCase is one schedule run on both sides: an optimizer with two
// parameter groups, a scheduler, Steps steps.
type pyCase struct {
	Name      string     `json:"name"`
	Opt       string     `json:"opt"` // "SGD" (momentum 0.9) or "Adam"
	LRs       [2]float64 `json:"lrs"`
	InitialLR []float64  `json:"initial_lr,omitempty"` // set on the groups before building (resuming)
	// GroupExtra are more group keys Python's resumed schedulers read
	// ('max_lr', 'momentum', ...); Go takes only 'momentum' from here.
	GroupExtra map[string][]float64 `json:"group_extra,omitempty"`
	Sched      pySched              `json:"sched"`
	Steps      int                  `json:"steps"`
	Metrics    []float64            `json:"metrics,omitempty"` // ReduceLROnPlateau's step(metric)
	// SkipIf names a PyTorch version whose behaviour differs on purpose:
	// "is_initial" (2.x with LRScheduler._is_initial: a resumed scheduler's
	// initial step keeps the rate), "no_cyclic_betas" (1.13 to 2.1, whose
	// CyclicLR raises for Adam with cycle_momentum).
	SkipIf string `json:"skip_if,omitempty"`

	build func(opt L.Optimizer) (any, error)
}

// pyRecord is the state after the constructor and after each step.
type pyRecord struct {
	LR   []float64 `json:"lr"`   // group['lr']
	Last []float64 `json:"last"` // get_last_lr()
	Mom  []float64 `json:"mom"`  // group['momentum'] (SGD) or group['betas'][0] (Adam)
}

type pyResult struct {
	Skipped string     `json:"skipped"`
	Records []pyRecord `json:"records"`
	ErrorAt int        `json:"error_at"` // the step (1-based) that raised, 0 if none
	Error   string     `json:"error"`
}

const pyScript = `
import sys, json, math, warnings
warnings.filterwarnings('ignore')
from torch.optim import lr_scheduler as L

base_cls = getattr(L, 'LRScheduler', L._LRScheduler)
IS_INITIAL = hasattr(base_cls, '_is_initial')

def cyclic_cycles_betas():
    try:
        L.CyclicLR(torch.optim.Adam([torch.zeros(1, requires_grad=True)]), 0.1, 1.0)
        return True
    except ValueError:  # 1.13 to 2.1: optimizer must support momentum
        return False
NO_CYCLIC_BETAS = not cyclic_cycles_betas()

LAMBDAS = {
    'exp95': lambda e: 0.95 ** e,
    'inv': lambda e: 1.0 / (1 + e),
    'warm': lambda e: min(1.0, (e + 1) / 5),
    'const95': lambda e: 0.95,
    'alt': lambda e: 0.9 if e % 2 else 1.05,
}
SCALE = {
    'rsqrt': lambda x: 1.0 / math.sqrt(x + 1),
    'decay': lambda x: 0.97 ** x,
}

def make_opt(c):
    w1 = torch.zeros(3, requires_grad=True)
    w2 = torch.zeros(2, requires_grad=True)
    groups = [{'params': [w1], 'lr': c['lrs'][0]}, {'params': [w2], 'lr': c['lrs'][1]}]
    if c['opt'] == 'SGD':
        opt = torch.optim.SGD(groups, lr=c['lrs'][0], momentum=0.9)
    else:
        opt = torch.optim.Adam(groups, lr=c['lrs'][0])
    for i, g in enumerate(opt.param_groups):
        if c.get('initial_lr'):
            g['initial_lr'] = c['initial_lr'][i]
        for k, v in (c.get('group_extra') or {}).items():
            g[k] = v[i]
    return opt

def build(opt, s):
    kw = dict(s.get('kwargs') or {})
    cls = s['cls']
    if s.get('lambdas'):
        fns = [LAMBDAS[n] for n in s['lambdas']]
        kw['lr_lambda'] = fns[0] if len(fns) == 1 else fns
    if s.get('scale_fn'):
        kw['scale_fn'] = SCALE[s['scale_fn']]
    if cls == 'SequentialLR':
        kw['schedulers'] = [build(opt, c) for c in s['children']]
        return L.SequentialLR(opt, **kw)
    if cls == 'ChainedScheduler':
        return L.ChainedScheduler([build(opt, c) for c in s['children']])
    return getattr(L, cls)(opt, **kw)

def last_lr(opt, sch):
    # 1.13's ReduceLROnPlateau has no get_last_lr(), and no _last_lr before
    # its first step (2.x sets it to the groups' rates).
    if hasattr(sch, 'get_last_lr'):
        try:
            return sch.get_last_lr()
        except AttributeError:
            pass
    return getattr(sch, '_last_lr', [g['lr'] for g in opt.param_groups])

def record(opt, sch):
    gs = opt.param_groups
    return {
        'lr': [g['lr'] for g in gs],
        'last': [float(v) for v in last_lr(opt, sch)],
        'mom': [g['momentum'] if 'momentum' in g else g['betas'][0] for g in gs],
    }

def run_case(c):
    if (c.get('skip_if') == 'is_initial' and IS_INITIAL) or (c.get('skip_if') == 'no_cyclic_betas' and NO_CYCLIC_BETAS):
        return {'skipped': 'torch ' + torch.__version__ + ' differs here on purpose (' + c['skip_if'] + ')'}
    opt = make_opt(c)
    sch = build(opt, c['sched'])
    res = {'records': [record(opt, sch)], 'error_at': 0}
    for i in range(c['steps']):
        opt.step()
        try:
            if c.get('metrics'):
                sch.step(c['metrics'][i])
            else:
                sch.step()
        except ValueError as e:
            res['error_at'] = i + 1
            res['error'] = str(e)
            break
        res['records'].append(record(opt, sch))
    return res

def run_cawr(spec):
    res = []
    for mult in spec['mults']:
        opt = torch.optim.SGD([{'params': [torch.zeros(1, requires_grad=True)]},
                               {'params': [torch.zeros(1, requires_grad=True)], 'lr': 0.3}], lr=0.1)
        s = L.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=mult, eta_min=0.01)
        out = []
        for e in spec['epochs']:
            opt.step()
            s.step(e)
            out.append([g['lr'] for g in opt.param_groups] + [s.T_i, float(s.T_cur), s.last_epoch])
            opt.step()
            s.step()
            out.append([g['lr'] for g in opt.param_groups] + [s.T_i, float(s.T_cur), s.last_epoch])
        res.append(out)
    return res

spec = json.load(open(sys.argv[1]))
print(json.dumps({
    'suites': {name: [run_case(c) for c in cases] for name, cases in spec['suites'].items()},
    'cawr': run_cawr(spec['cawr']),
}))
`

// goLambdas are the Python side's LAMBDAS.
var goLambdas = map[string]L.LambdaFunc{
	"exp95":   func(e int) float64 { return math.Pow(0.95, float64(e)) },
	"inv":     func(e int) float64 { return 1.0 / float64(1+e) },
	"warm":    func(e int) float64 { return min(1.0, float64(e+1)/5) },
	"const95": func(int) float64 { return 0.95 },
	"alt": func(e int) float64 {
		if e%2 != 0 {
			return 0.9
		}
		return 1.05
	},
}

func lambdas(names ...string) []L.LambdaFunc {
	fns := make([]L.LambdaFunc, len(names))
	for i, n := range names {
		fns[i] = goLambdas[n]
	}
	return fns
}

// twoGroups builds the Go twin of make_opt.
func twoGroups(t *testing.T, c pyCase) optim.Optimizer {
	t.Helper()
	groups := []optim.Group{
		{Params: []*torch.Tensor{torch.Zeros([]int64{3}, torch.WithRequiresGrad())}, LR: new(c.LRs[0])},
		{Params: []*torch.Tensor{torch.Zeros([]int64{2}, torch.WithRequiresGrad())}, LR: new(c.LRs[1])},
	}
	var opt optim.Optimizer
	var err error
	if c.Opt == "SGD" {
		opt, err = optim.NewSGDGroups(groups, optim.SGDOptions{LR: c.LRs[0], Momentum: 0.9})
	} else {
		opt, err = optim.NewAdamGroups(groups, optim.AdamOptions{LR: c.LRs[0]})
	}
	require.NoError(t, err)
	for i, g := range opt.ParamGroups() {
		if c.InitialLR != nil {
			g.InitialLR = c.InitialLR[i]
		}
		if m, ok := c.GroupExtra["momentum"]; ok {
			g.Momentum = m[i]
		}
	}
	return opt
}

func goRecord(opt optim.Optimizer, lastLR []float64, adam bool) pyRecord {
	var r pyRecord
	for _, g := range opt.ParamGroups() {
		r.LR = append(r.LR, g.LR)
		if adam {
			r.Mom = append(r.Mom, g.Betas[0])
		} else {
			r.Mom = append(r.Mom, g.Momentum)
		}
	}
	r.Last = lastLR
	return r
}

// closeRel is |a-b| <= 1e-9 max(|a|, |b|).
func closeRel(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// diffs counts the compared values that are not bit-identical, and the
// largest relative difference, for the -v log.
type diffs struct {
	n, unequal int
	maxRel     float64
}

var stats diffs

func requireSame(t *testing.T, want, got []float64, what string, step int) {
	t.Helper()
	require.Len(t, got, len(want), "%s at step %d", what, step)
	for i := range want {
		stats.n++
		if want[i] != got[i] {
			stats.unequal++
			stats.maxRel = math.Max(stats.maxRel, math.Abs(want[i]-got[i])/math.Max(math.Abs(want[i]), math.Abs(got[i])))
		}
		if !closeRel(want[i], got[i]) {
			t.Fatalf("%s of group %d at step %d: PyTorch %.17g, Go %.17g", what, i, step, want[i], got[i])
		}
	}
}

// suites are the parity tests' case lists, all run by one Python process.
var suites = map[string]func() []pyCase{
	"basic": basicCases, "cyclic": cyclicCases, "plateau": plateauCases, "composed": composedCases, "resumed": resumedCases,
}

// The CosineAnnealingWarmRestarts step(epoch) runs: T_mult values, and the
// epochs given to step(epoch), each followed by a step().
var (
	cawrMults  = []int{1, 2, 3}
	cawrEpochs = []float64{0.25, 0.5, 1.75, 3, 4.5, 7, 10.2, 13.9, 20, 22.5, 0, 2.5, 31}
)

// reference is what the Python run printed.
type reference struct {
	Suites map[string][]pyResult `json:"suites"`
	CAWR   [][][]float64         `json:"cawr"`
}

var (
	refOnce sync.Once
	ref     *reference
)

// pyReference runs every parity case in one Python process (Python takes
// seconds to start here), the first time a test asks.
func pyReference(t *testing.T) *reference {
	t.Helper()
	pytorch.Python(t) // skips, or fails under CI, without a torch
	refOnce.Do(func() {
		spec := map[string]any{"cawr": map[string]any{"mults": cawrMults, "epochs": cawrEpochs}}
		all := map[string][]pyCase{}
		for name, f := range suites {
			all[name] = f()
		}
		spec["suites"] = all
		b, err := json.Marshal(spec)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "cases.json")
		require.NoError(t, os.WriteFile(path, b, 0o644))
		var r reference
		pytorch.JSON(t, pyScript, &r, path)
		ref = &r
	})
	if ref == nil {
		t.Fatal("the Python reference run failed (see the first test that ran it)")
	}
	return ref
}

// runParity compares every step's rates (group LR and LastLR) and momenta
// for every group of a suite's cases with the Python run's.
func runParity(t *testing.T, suite string) {
	cases := suites[suite]()
	results := pyReference(t).Suites[suite]
	require.Len(t, results, len(cases))
	stats = diffs{}
	defer func() {
		t.Logf("%d values compared, %d not bit-identical, largest relative difference %.3g", stats.n, stats.unequal, stats.maxRel)
	}()

	for k, c := range cases {
		res := results[k]
		t.Run(c.Name, func(t *testing.T) {
			if res.Skipped != "" {
				t.Skip(res.Skipped)
			}
			opt := twoGroups(t, c)
			adam := c.Opt == "Adam"
			s, err := c.build(opt)
			require.NoError(t, err)
			lastLR := func() []float64 { return s.(interface{ LastLR() []float64 }).LastLR() }
			recs := []pyRecord{goRecord(opt, lastLR(), adam)}
			errAt := 0
			for i := range c.Steps {
				opt.Step()
				err := torch.Catch(func() {
					switch s := s.(type) {
					case *L.ReduceLROnPlateau:
						s.Step(c.Metrics[i])
					case L.Scheduler:
						s.Step()
					}
				})
				if err != nil {
					errAt = i + 1
					t.Logf("step %d: %v (PyTorch: %s)", i+1, err, res.Error)
					break
				}
				recs = append(recs, goRecord(opt, lastLR(), adam))
			}
			require.Equal(t, res.ErrorAt, errAt, "the step that fails")
			require.Len(t, recs, len(res.Records))
			for i, want := range res.Records {
				requireSame(t, want.LR, recs[i].LR, "lr", i)
				requireSame(t, want.Last, recs[i].Last, "get_last_lr", i)
				requireSame(t, want.Mom, recs[i].Mom, "momentum", i)
			}
		})
	}
}

func kw(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func sched(cls string, kv ...any) pySched { return pySched{Cls: cls, Kwargs: kw(kv...)} }

// wrap adapts a typed constructor to pyCase.build.
func wrap[S any](s S, err error) (any, error) { return s, err }

// TestBasicSchedulersMatchPyTorch: the chainable schedulers, each with one
// to three option sets, over 25-30 steps on SGD or Adam with two groups.
func TestBasicSchedulersMatchPyTorch(t *testing.T) { runParity(t, "basic") }

func basicCases() []pyCase {
	sgd := [2]float64{0.1, 0.02}
	return []pyCase{
		{Name: "StepLR_3_0.5", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("StepLR", "step_size", 3, "gamma", 0.5),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewStepLR(o, 3, L.StepLROpts{Gamma: new(0.5)})) }},
		{Name: "StepLR_7_default", Opt: "Adam", LRs: [2]float64{1e-3, 3e-3}, Steps: 25, Sched: sched("StepLR", "step_size", 7),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewStepLR(o, 7)) }},
		{Name: "MultiStepLR_repeated", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("MultiStepLR", "milestones", []int{2, 5, 5, 11}, "gamma", 0.3),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewMultiStepLR(o, []int{2, 5, 5, 11}, L.MultiStepLROpts{Gamma: new(0.3)}))
			}},
		{Name: "MultiStepLR_default", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("MultiStepLR", "milestones", []int{10, 20}),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewMultiStepLR(o, []int{10, 20})) }},
		{Name: "ExponentialLR_0.9", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("ExponentialLR", "gamma", 0.9),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewExponentialLR(o, 0.9)) }},
		{Name: "CosineAnnealingLR_10_etamin", Opt: "SGD", LRs: sgd, Steps: 35, Sched: sched("CosineAnnealingLR", "T_max", 10, "eta_min", 0.001),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCosineAnnealingLR(o, 10, L.CosineAnnealingLROpts{EtaMin: 0.001}))
			}},
		{Name: "CosineAnnealingLR_7", Opt: "Adam", LRs: [2]float64{1e-3, 5e-4}, Steps: 30, Sched: sched("CosineAnnealingLR", "T_max", 7),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewCosineAnnealingLR(o, 7)) }},
		{Name: "LinearLR_default", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("LinearLR"),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewLinearLR(o)) }},
		{Name: "LinearLR_decay", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("LinearLR", "start_factor", 0.25, "end_factor", 0.75, "total_iters", 12),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewLinearLR(o, L.LinearLROpts{StartFactor: new(0.25), EndFactor: new(0.75), TotalIters: new(12)}))
			}},
		{Name: "ConstantLR_default", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("ConstantLR"),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewConstantLR(o)) }},
		{Name: "ConstantLR_0.5_8", Opt: "Adam", LRs: [2]float64{1e-3, 2e-3}, Steps: 25, Sched: sched("ConstantLR", "factor", 0.5, "total_iters", 8),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewConstantLR(o, L.ConstantLROpts{Factor: new(0.5), TotalIters: new(8)}))
			}},
		{Name: "LambdaLR_one", Opt: "SGD", LRs: sgd, Steps: 25, Sched: pySched{Cls: "LambdaLR", Lambdas: []string{"exp95"}},
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewLambdaLR(o, lambdas("exp95"))) }},
		{Name: "LambdaLR_per_group", Opt: "SGD", LRs: sgd, Steps: 25, Sched: pySched{Cls: "LambdaLR", Lambdas: []string{"warm", "inv"}},
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewLambdaLR(o, lambdas("warm", "inv"))) }},
		{Name: "MultiplicativeLR_one", Opt: "SGD", LRs: sgd, Steps: 25, Sched: pySched{Cls: "MultiplicativeLR", Lambdas: []string{"const95"}},
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewMultiplicativeLR(o, lambdas("const95"))) }},
		{Name: "MultiplicativeLR_per_group", Opt: "Adam", LRs: [2]float64{1e-3, 2e-3}, Steps: 25, Sched: pySched{Cls: "MultiplicativeLR", Lambdas: []string{"const95", "alt"}},
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewMultiplicativeLR(o, lambdas("const95", "alt"))) }},
		{Name: "PolynomialLR_default", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("PolynomialLR"),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewPolynomialLR(o)) }},
		{Name: "PolynomialLR_20_2.5", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("PolynomialLR", "total_iters", 20, "power", 2.5),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewPolynomialLR(o, L.PolynomialLROpts{TotalIters: new(20), Power: new(2.5)}))
			}},
		{Name: "CosineAnnealingWarmRestarts_5", Opt: "SGD", LRs: sgd, Steps: 25, Sched: sched("CosineAnnealingWarmRestarts", "T_0", 5),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewCosineAnnealingWarmRestarts(o, 5)) }},
		{Name: "CosineAnnealingWarmRestarts_3_x2", Opt: "Adam", LRs: [2]float64{1e-3, 4e-3}, Steps: 30,
			Sched: sched("CosineAnnealingWarmRestarts", "T_0", 3, "T_mult", 2, "eta_min", 1e-4),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCosineAnnealingWarmRestarts(o, 3, L.CosineAnnealingWarmRestartsOpts{TMult: new(2), EtaMin: 1e-4}))
			}},
	}
}

// TestCyclicSchedulersMatchPyTorch: CyclicLR and OneCycleLR, rates and the
// momentum (SGD) or beta1 (Adam) they cycle.
func TestCyclicSchedulersMatchPyTorch(t *testing.T) { runParity(t, "cyclic") }

func cyclicCases() []pyCase {
	sgd := [2]float64{0.1, 0.02}
	adam := [2]float64{1e-3, 2e-3}
	return []pyCase{
		{Name: "CyclicLR_triangular", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: sched("CyclicLR", "base_lr", []float64{0.01, 0.02}, "max_lr", []float64{0.1, 0.2}, "step_size_up", 4),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{0.01, 0.02}, []float64{0.1, 0.2}, L.CyclicLROpts{StepSizeUp: new(4)}))
			}},
		{Name: "CyclicLR_triangular2_asym", Opt: "SGD", LRs: sgd, Steps: 30,
			Sched: sched("CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up", 3, "step_size_down", 5, "mode", "triangular2",
				"base_momentum", []float64{0.7, 0.75}, "max_momentum", 0.95),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{0.01}, []float64{0.1}, L.CyclicLROpts{StepSizeUp: new(3), StepSizeDown: new(5),
					Mode: "triangular2", BaseMomentum: []float64{0.7, 0.75}, MaxMomentum: []float64{0.95}}))
			}},
		{Name: "CyclicLR_exp_range_nomomentum", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: sched("CyclicLR", "base_lr", 0.001, "max_lr", 0.01, "step_size_up", 5, "mode", "exp_range", "gamma", 0.9, "cycle_momentum", false),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{0.001}, []float64{0.01}, L.CyclicLROpts{StepSizeUp: new(5), Mode: "exp_range",
					Gamma: new(0.9), CycleMomentum: new(false)}))
			}},
		{Name: "CyclicLR_scale_fn_iterations", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: pySched{Cls: "CyclicLR", ScaleFn: "decay", Kwargs: kw("base_lr", 0.001, "max_lr", 0.01, "step_size_up", 2, "step_size_down", 3, "scale_mode", "iterations")},
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{0.001}, []float64{0.01}, L.CyclicLROpts{StepSizeUp: new(2), StepSizeDown: new(3),
					ScaleFn: func(x float64) float64 { return math.Pow(0.97, x) }, ScaleMode: "iterations"}))
			}},
		{Name: "CyclicLR_scale_fn_cycle", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: pySched{Cls: "CyclicLR", ScaleFn: "rsqrt", Kwargs: kw("base_lr", 0.001, "max_lr", 0.01, "step_size_up", 3)},
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{0.001}, []float64{0.01}, L.CyclicLROpts{StepSizeUp: new(3),
					ScaleFn: func(x float64) float64 { return 1.0 / math.Sqrt(x+1) }}))
			}},
		{Name: "CyclicLR_Adam_nomomentum", Opt: "Adam", LRs: adam, Steps: 25,
			Sched: sched("CyclicLR", "base_lr", 1e-4, "max_lr", 1e-3, "step_size_up", 4, "cycle_momentum", false),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{1e-4}, []float64{1e-3}, L.CyclicLROpts{StepSizeUp: new(4), CycleMomentum: new(false)}))
			}},
		{Name: "CyclicLR_Adam_beta1", Opt: "Adam", LRs: adam, Steps: 25, SkipIf: "no_cyclic_betas",
			Sched: sched("CyclicLR", "base_lr", 1e-4, "max_lr", 1e-3, "step_size_up", 4),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{1e-4}, []float64{1e-3}, L.CyclicLROpts{StepSizeUp: new(4)}))
			}},
		{Name: "OneCycleLR_cos_SGD", Opt: "SGD", LRs: sgd, Steps: 30,
			Sched: sched("OneCycleLR", "max_lr", []float64{0.1, 0.3}, "total_steps", 30),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewOneCycleLR(o, []float64{0.1, 0.3}, L.OneCycleLROpts{TotalSteps: 30}))
			}},
		{Name: "OneCycleLR_linear_three_phase_Adam", Opt: "Adam", LRs: adam, Steps: 30,
			Sched: sched("OneCycleLR", "max_lr", 0.01, "epochs", 5, "steps_per_epoch", 6, "anneal_strategy", "linear", "three_phase", true),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewOneCycleLR(o, []float64{0.01}, L.OneCycleLROpts{Epochs: 5, StepsPerEpoch: 6, AnnealStrategy: "linear", ThreePhase: true}))
			}},
		{Name: "OneCycleLR_options_past_end", Opt: "SGD", LRs: sgd, Steps: 26,
			Sched: sched("OneCycleLR", "max_lr", 0.5, "total_steps", 24, "pct_start", 0.25, "div_factor", 10.0, "final_div_factor", 100.0,
				"base_momentum", []float64{0.8, 0.7}, "max_momentum", 0.9),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewOneCycleLR(o, []float64{0.5}, L.OneCycleLROpts{TotalSteps: 24, PctStart: new(0.25), DivFactor: new(10.0),
					FinalDivFactor: new(100.0), BaseMomentum: []float64{0.8, 0.7}, MaxMomentum: []float64{0.9}}))
			}},
		{Name: "OneCycleLR_three_phase_nomomentum", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: sched("OneCycleLR", "max_lr", 0.2, "total_steps", 25, "three_phase", true, "cycle_momentum", false, "pct_start", 0.4),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewOneCycleLR(o, []float64{0.2}, L.OneCycleLROpts{TotalSteps: 25, ThreePhase: true, CycleMomentum: new(false), PctStart: new(0.4)}))
			}},
	}
}

// plateauMetrics falls, then stalls with small wiggles, then falls again.
func plateauMetrics(n int, rise bool) []float64 {
	m := make([]float64, n)
	for i := range m {
		switch {
		case i < 5:
			m[i] = 1 / float64(1+i)
		case i < 18:
			m[i] = 0.2 + 0.001*float64((i*7)%5)
		default:
			m[i] = 0.2 - 0.01*float64(i-17)
		}
		if rise {
			m[i] = 1 - m[i]
		}
	}
	return m
}

// TestReduceLROnPlateauMatchesPyTorch: min/max, rel/abs, patience,
// cooldown, per-group min_lr and eps on the same metric sequences.
func TestReduceLROnPlateauMatchesPyTorch(t *testing.T) { runParity(t, "plateau") }

func plateauCases() []pyCase {
	sgd := [2]float64{0.1, 0.02}
	return []pyCase{
		{Name: "min_rel_patience2", Opt: "SGD", LRs: sgd, Steps: 30, Metrics: plateauMetrics(30, false),
			Sched: sched("ReduceLROnPlateau", "patience", 2),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewReduceLROnPlateau(o, L.ReduceLROnPlateauOpts{Patience: new(2)}))
			}},
		{Name: "max_abs_cooldown_minlr", Opt: "SGD", LRs: sgd, Steps: 30, Metrics: plateauMetrics(30, true),
			Sched: sched("ReduceLROnPlateau", "mode", "max", "threshold_mode", "abs", "threshold", 0.005, "factor", 0.5, "patience", 1,
				"cooldown", 2, "min_lr", []float64{0.03, 0.001}),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewReduceLROnPlateau(o, L.ReduceLROnPlateauOpts{Mode: "max", ThresholdMode: "abs", Threshold: new(0.005),
					Factor: new(0.5), Patience: new(1), Cooldown: 2, MinLR: []float64{0.03, 0.001}}))
			}},
		{Name: "min_abs_eps", Opt: "Adam", LRs: [2]float64{1e-3, 1e-1}, Steps: 30, Metrics: plateauMetrics(30, false),
			Sched: sched("ReduceLROnPlateau", "threshold_mode", "abs", "threshold", 0.0, "patience", 0, "factor", 0.5, "eps", 1e-4),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewReduceLROnPlateau(o, L.ReduceLROnPlateauOpts{ThresholdMode: "abs", Threshold: new(0.0), Patience: new(0),
					Factor: new(0.5), Eps: new(1e-4)}))
			}},
		{Name: "max_rel_minlr_one", Opt: "SGD", LRs: sgd, Steps: 30, Metrics: plateauMetrics(30, true),
			Sched: sched("ReduceLROnPlateau", "mode", "max", "threshold", 0.05, "patience", 3, "min_lr", 0.005),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewReduceLROnPlateau(o, L.ReduceLROnPlateauOpts{Mode: "max", Threshold: new(0.05), Patience: new(3), MinLR: []float64{0.005}}))
			}},
	}
}

// TestComposedSchedulersMatchPyTorch: SequentialLR and ChainedScheduler,
// and two schedulers on one optimizer.
func TestComposedSchedulersMatchPyTorch(t *testing.T) { runParity(t, "composed") }

func composedCases() []pyCase {
	sgd := [2]float64{0.1, 0.02}
	return []pyCase{
		{Name: "Sequential_warmup_exponential", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: pySched{Cls: "SequentialLR", Kwargs: kw("milestones", []int{5}), Children: []pySched{
				sched("LinearLR", "start_factor", 0.1, "total_iters", 4), sched("ExponentialLR", "gamma", 0.9)}},
			build: func(o L.Optimizer) (any, error) {
				a, _ := L.NewLinearLR(o, L.LinearLROpts{StartFactor: new(0.1), TotalIters: new(4)})
				b, _ := L.NewExponentialLR(o, 0.9)
				return wrap(L.NewSequentialLR(o, []L.Scheduler{a, b}, []int{5}))
			}},
		{Name: "Sequential_three", Opt: "Adam", LRs: [2]float64{1e-3, 3e-3}, Steps: 30,
			Sched: pySched{Cls: "SequentialLR", Kwargs: kw("milestones", []int{4, 15}), Children: []pySched{
				sched("ConstantLR", "factor", 0.5, "total_iters", 3), sched("CosineAnnealingLR", "T_max", 10, "eta_min", 1e-5),
				sched("StepLR", "step_size", 3, "gamma", 0.5)}},
			build: func(o L.Optimizer) (any, error) {
				a, _ := L.NewConstantLR(o, L.ConstantLROpts{Factor: new(0.5), TotalIters: new(3)})
				b, _ := L.NewCosineAnnealingLR(o, 10, L.CosineAnnealingLROpts{EtaMin: 1e-5})
				c, _ := L.NewStepLR(o, 3, L.StepLROpts{Gamma: new(0.5)})
				return wrap(L.NewSequentialLR(o, []L.Scheduler{a, b, c}, []int{4, 15}))
			}},
		{Name: "Sequential_lambda_warmrestarts", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: pySched{Cls: "SequentialLR", Kwargs: kw("milestones", []int{6}), Children: []pySched{
				{Cls: "LambdaLR", Lambdas: []string{"warm"}}, sched("CosineAnnealingWarmRestarts", "T_0", 4)}},
			build: func(o L.Optimizer) (any, error) {
				a, _ := L.NewLambdaLR(o, lambdas("warm"))
				b, _ := L.NewCosineAnnealingWarmRestarts(o, 4)
				return wrap(L.NewSequentialLR(o, []L.Scheduler{a, b}, []int{6}))
			}},
		{Name: "Chained_constant_exponential", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: pySched{Cls: "ChainedScheduler", Children: []pySched{
				sched("ConstantLR", "factor", 0.1, "total_iters", 2), sched("ExponentialLR", "gamma", 0.9)}},
			build: func(o L.Optimizer) (any, error) {
				a, _ := L.NewConstantLR(o, L.ConstantLROpts{Factor: new(0.1), TotalIters: new(2)})
				b, _ := L.NewExponentialLR(o, 0.9)
				return wrap(L.NewChainedScheduler([]L.Scheduler{a, b}))
			}},
		{Name: "Chained_linear_cosine_multistep", Opt: "SGD", LRs: sgd, Steps: 30,
			Sched: pySched{Cls: "ChainedScheduler", Children: []pySched{
				sched("LinearLR", "start_factor", 0.5, "total_iters", 6), sched("CosineAnnealingLR", "T_max", 12),
				sched("MultiStepLR", "milestones", []int{8, 16}, "gamma", 0.5)}},
			build: func(o L.Optimizer) (any, error) {
				a, _ := L.NewLinearLR(o, L.LinearLROpts{StartFactor: new(0.5), TotalIters: new(6)})
				b, _ := L.NewCosineAnnealingLR(o, 12)
				c, _ := L.NewMultiStepLR(o, []int{8, 16}, L.MultiStepLROpts{Gamma: new(0.5)})
				return wrap(L.NewChainedScheduler([]L.Scheduler{a, b, c}))
			}},
		// CyclicLR built after another scheduler: its initial step uses the
		// groups' InitialLR, which the first scheduler set (a PyTorch quirk).
		{Name: "Chained_exponential_cyclic", Opt: "SGD", LRs: sgd, Steps: 25,
			Sched: pySched{Cls: "ChainedScheduler", Children: []pySched{
				sched("ExponentialLR", "gamma", 0.95), sched("CyclicLR", "base_lr", 0.01, "max_lr", 0.05, "step_size_up", 3)}},
			build: func(o L.Optimizer) (any, error) {
				a, _ := L.NewExponentialLR(o, 0.95)
				b, _ := L.NewCyclicLR(o, []float64{0.01}, []float64{0.05}, L.CyclicLROpts{StepSizeUp: new(3)})
				return wrap(L.NewChainedScheduler([]L.Scheduler{a, b}))
			}},
	}
}

// TestResumedSchedulersMatchPyTorch: schedulers built with last_epoch >= 0
// on groups that carry 'initial_lr' (as after loading an optimizer's
// state). Where PyTorch 2.x changed what the constructor's step does on a
// resume (LRScheduler._is_initial), the case runs on 1.13 only.
func TestResumedSchedulersMatchPyTorch(t *testing.T) { runParity(t, "resumed") }

func resumedCases() []pyCase {
	lrs := [2]float64{0.05, 0.01}
	init := []float64{0.1, 0.02}
	le := func(v int) *int { return &v }
	return []pyCase{
		{Name: "StepLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, Sched: sched("StepLR", "step_size", 3, "last_epoch", 5),
			build: func(o L.Optimizer) (any, error) { return wrap(L.NewStepLR(o, 3, L.StepLROpts{LastEpoch: le(5)})) }},
		{Name: "MultiStepLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, Sched: sched("MultiStepLR", "milestones", []int{4, 9}, "last_epoch", 3),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewMultiStepLR(o, []int{4, 9}, L.MultiStepLROpts{LastEpoch: le(3)}))
			}},
		{Name: "ConstantLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, Sched: sched("ConstantLR", "factor", 0.5, "total_iters", 6, "last_epoch", 2),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewConstantLR(o, L.ConstantLROpts{Factor: new(0.5), TotalIters: new(6), LastEpoch: le(2)}))
			}},
		{Name: "LambdaLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, Sched: pySched{Cls: "LambdaLR", Lambdas: []string{"exp95"}, Kwargs: kw("last_epoch", 4)},
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewLambdaLR(o, lambdas("exp95"), L.LambdaLROpts{LastEpoch: le(4)}))
			}},
		{Name: "CosineAnnealingWarmRestarts", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, Sched: sched("CosineAnnealingWarmRestarts", "T_0", 4, "T_mult", 2, "last_epoch", 5),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCosineAnnealingWarmRestarts(o, 4, L.CosineAnnealingWarmRestartsOpts{TMult: new(2), LastEpoch: le(5)}))
			}},
		{Name: "OneCycleLR", Opt: "SGD", LRs: lrs, InitialLR: []float64{0.004, 0.004}, Steps: 15,
			GroupExtra: map[string][]float64{"max_lr": {0.1, 0.1}, "min_lr": {0.004 / 1e4, 0.004 / 1e4},
				"max_momentum": {0.95, 0.95}, "base_momentum": {0.85, 0.85}},
			Sched: sched("OneCycleLR", "max_lr", 0.1, "total_steps", 30, "last_epoch", 12),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewOneCycleLR(o, []float64{0.1}, L.OneCycleLROpts{TotalSteps: 30, LastEpoch: le(12)}))
			}},
		{Name: "CyclicLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25,
			GroupExtra: map[string][]float64{"momentum": {0.8, 0.8}},
			Sched:      sched("CyclicLR", "base_lr", 0.01, "max_lr", 0.1, "step_size_up", 4, "last_epoch", 6),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCyclicLR(o, []float64{0.01}, []float64{0.1}, L.CyclicLROpts{StepSizeUp: new(4), LastEpoch: le(6)}))
			}},
		{Name: "ExponentialLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, SkipIf: "is_initial", Sched: sched("ExponentialLR", "gamma", 0.9, "last_epoch", 3),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewExponentialLR(o, 0.9, L.ExponentialLROpts{LastEpoch: le(3)}))
			}},
		{Name: "CosineAnnealingLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, SkipIf: "is_initial", Sched: sched("CosineAnnealingLR", "T_max", 8, "last_epoch", 5),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewCosineAnnealingLR(o, 8, L.CosineAnnealingLROpts{LastEpoch: le(5)}))
			}},
		{Name: "LinearLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, SkipIf: "is_initial", Sched: sched("LinearLR", "total_iters", 8, "last_epoch", 2),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewLinearLR(o, L.LinearLROpts{TotalIters: new(8), LastEpoch: le(2)}))
			}},
		{Name: "PolynomialLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, SkipIf: "is_initial", Sched: sched("PolynomialLR", "total_iters", 10, "power", 2.0, "last_epoch", 2),
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewPolynomialLR(o, L.PolynomialLROpts{TotalIters: new(10), Power: new(2.0), LastEpoch: le(2)}))
			}},
		{Name: "MultiplicativeLR", Opt: "SGD", LRs: lrs, InitialLR: init, Steps: 25, SkipIf: "is_initial", Sched: pySched{Cls: "MultiplicativeLR", Lambdas: []string{"const95"}, Kwargs: kw("last_epoch", 2)},
			build: func(o L.Optimizer) (any, error) {
				return wrap(L.NewMultiplicativeLR(o, lambdas("const95"), L.MultiplicativeLROpts{LastEpoch: le(2)}))
			}},
	}
}

// TestConstructorErrors: bad arguments give PyTorch's messages.
func TestConstructorErrors(t *testing.T) {
	newOpt := func() optim.Optimizer {
		return twoGroups(t, pyCase{Opt: "SGD", LRs: [2]float64{0.1, 0.2}})
	}
	adagrad := func() L.Optimizer { return plainOpt{newOpt()} }
	cases := []struct {
		name string
		make func() error
		want string
	}{
		{"resume without initial_lr", func() error { _, err := L.NewStepLR(newOpt(), 3, L.StepLROpts{LastEpoch: new(4)}); return err },
			"param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer"},
		{"StepLR step_size", func() error { _, err := L.NewStepLR(newOpt(), 0); return err }, "Expected positive integer step_size, but got 0"},
		{"LambdaLR count", func() error { _, err := L.NewLambdaLR(newOpt(), lambdas("inv", "inv", "inv")); return err }, "Expected 2 lr_lambdas, but got 3"},
		{"MultiplicativeLR nil", func() error { _, err := L.NewMultiplicativeLR(newOpt(), []L.LambdaFunc{nil}); return err }, "lr_lambda 0 is nil"},
		{"ConstantLR factor", func() error {
			_, err := L.NewConstantLR(newOpt(), L.ConstantLROpts{Factor: new(1.5)})
			return err
		}, "Constant multiplicative factor expected to be between 0 and 1."},
		{"LinearLR start", func() error {
			_, err := L.NewLinearLR(newOpt(), L.LinearLROpts{StartFactor: new(0.0)})
			return err
		}, "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."},
		{"LinearLR end", func() error { _, err := L.NewLinearLR(newOpt(), L.LinearLROpts{EndFactor: new(-1.0)}); return err },
			"Ending multiplicative factor expected to be between 0 and 1."},
		{"CosineAnnealingLR T_max", func() error { _, err := L.NewCosineAnnealingLR(newOpt(), 0); return err }, "Expected positive integer T_max, but got 0"},
		{"CosineAnnealingWarmRestarts T_0", func() error { _, err := L.NewCosineAnnealingWarmRestarts(newOpt(), -2); return err },
			"Expected positive integer T_0, but got -2"},
		{"CosineAnnealingWarmRestarts T_mult", func() error {
			_, err := L.NewCosineAnnealingWarmRestarts(newOpt(), 2, L.CosineAnnealingWarmRestartsOpts{TMult: new(0)})
			return err
		}, "Expected integer T_mult >= 1, but got 0"},
		{"CyclicLR mode", func() error {
			_, err := L.NewCyclicLR(newOpt(), []float64{0.1}, []float64{1}, L.CyclicLROpts{Mode: "square"})
			return err
		}, "mode is invalid and scale_fn is None"},
		{"CyclicLR max_lr count", func() error { _, err := L.NewCyclicLR(newOpt(), []float64{0.1}, []float64{1, 2, 3}); return err },
			"expected 2 values for max_lr, got 3"},
		{"CyclicLR no momentum", func() error { _, err := L.NewCyclicLR(adagrad(), []float64{0.1}, []float64{1}); return err },
			"optimizer must support momentum with `cycle_momentum` option enabled"},
		{"OneCycleLR no steps", func() error { _, err := L.NewOneCycleLR(newOpt(), []float64{0.1}); return err },
			"You must define either total_steps OR (epochs AND steps_per_epoch)"},
		{"OneCycleLR total_steps", func() error {
			_, err := L.NewOneCycleLR(newOpt(), []float64{0.1}, L.OneCycleLROpts{TotalSteps: -5})
			return err
		}, "Expected positive integer total_steps, but got -5"},
		{"OneCycleLR epochs", func() error {
			_, err := L.NewOneCycleLR(newOpt(), []float64{0.1}, L.OneCycleLROpts{Epochs: -1, StepsPerEpoch: 3})
			return err
		}, "Expected positive integer epochs, but got -1"},
		{"OneCycleLR pct_start", func() error {
			_, err := L.NewOneCycleLR(newOpt(), []float64{0.1}, L.OneCycleLROpts{TotalSteps: 10, PctStart: new(1.5)})
			return err
		}, "Expected float between 0 and 1 pct_start, but got 1.5"},
		{"OneCycleLR anneal", func() error {
			_, err := L.NewOneCycleLR(newOpt(), []float64{0.1}, L.OneCycleLROpts{TotalSteps: 10, AnnealStrategy: "exp"})
			return err
		}, "anneal_strategy must be one of 'cos' or 'linear', instead got exp"},
		{"OneCycleLR no momentum", func() error {
			_, err := L.NewOneCycleLR(adagrad(), []float64{0.1}, L.OneCycleLROpts{TotalSteps: 10})
			return err
		}, "optimizer must support momentum with `cycle_momentum` option enabled"},
		{"ReduceLROnPlateau factor", func() error {
			_, err := L.NewReduceLROnPlateau(newOpt(), L.ReduceLROnPlateauOpts{Factor: new(1.0)})
			return err
		}, "Factor should be < 1.0."},
		{"ReduceLROnPlateau mode", func() error {
			_, err := L.NewReduceLROnPlateau(newOpt(), L.ReduceLROnPlateauOpts{Mode: "avg"})
			return err
		}, "mode avg is unknown!"},
		{"ReduceLROnPlateau threshold mode", func() error {
			_, err := L.NewReduceLROnPlateau(newOpt(), L.ReduceLROnPlateauOpts{ThresholdMode: "pct"})
			return err
		}, "threshold mode pct is unknown!"},
		{"ReduceLROnPlateau min_lr", func() error {
			_, err := L.NewReduceLROnPlateau(newOpt(), L.ReduceLROnPlateauOpts{MinLR: []float64{1, 2, 3}})
			return err
		}, "expected 2 min_lrs, got 3"},
		{"SequentialLR milestones", func() error {
			o := newOpt()
			a, _ := L.NewStepLR(o, 2)
			_, err := L.NewSequentialLR(o, []L.Scheduler{a}, []int{3})
			return err
		}, "expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1"},
		{"SequentialLR optimizer", func() error {
			a, _ := L.NewStepLR(newOpt(), 2)
			_, err := L.NewSequentialLR(newOpt(), []L.Scheduler{a}, nil)
			return err
		}, "expects all schedulers to belong to the same optimizer"},
		{"SequentialLR nested", func() error {
			o := newOpt()
			a, _ := L.NewStepLR(o, 2)
			c, _ := L.NewChainedScheduler([]L.Scheduler{a})
			_, err := L.NewSequentialLR(o, []L.Scheduler{c}, nil)
			return err
		}, "SequentialLR takes the schedulers of package lrscheduler other than SequentialLR and ChainedScheduler"},
		{"ChainedScheduler optimizer", func() error {
			a, _ := L.NewStepLR(newOpt(), 2)
			b, _ := L.NewStepLR(newOpt(), 2)
			_, err := L.NewChainedScheduler([]L.Scheduler{a, b})
			return err
		}, "ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different"},
		{"ChainedScheduler empty", func() error { _, err := L.NewChainedScheduler(nil); return err }, "expects at least one scheduler"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.make()
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

// plainOpt stands for an optimizer without momentum or betas (Adagrad).
type plainOpt struct{ optim.Optimizer }

func (plainOpt) CycledMomentum() string { return "" }

// TestOneCycleLRPastTheEndPanics: stepping past total_steps panics with a
// *torch.Error, as PyTorch raises a ValueError.
func TestOneCycleLRPastTheEndPanics(t *testing.T) {
	opt := twoGroups(t, pyCase{Opt: "SGD", LRs: [2]float64{0.1, 0.2}})
	s, err := L.NewOneCycleLR(opt, []float64{1}, L.OneCycleLROpts{TotalSteps: 3})
	require.NoError(t, err)
	for range 3 {
		s.Step()
	}
	err = torch.Catch(s.Step)
	var te *torch.Error
	require.True(t, errors.As(err, &te), "%v", err)
	require.Equal(t, torch.KindValue, te.Kind)
	require.Contains(t, te.Msg, "Tried to step 5 times. The specified number of total steps is 3")
}

// TestSchedulerDrivesOptimizer: the rate a scheduler sets is the one the
// optimizer's next Step uses (the groups are live).
func TestSchedulerDrivesOptimizer(t *testing.T) {
	w := torch.Ones([]int64{1}, torch.WithRequiresGrad())
	opt, err := optim.NewSGD([]*torch.Tensor{w}, optim.SGDOptions{LR: 1})
	require.NoError(t, err)
	s, err := L.NewStepLR(opt, 1, L.StepLROpts{Gamma: new(0.5)})
	require.NoError(t, err)
	want := 1.0
	for epoch := range 4 {
		opt.ZeroGrad()
		w.Sum().Backward() // gradient 1
		opt.Step()
		want -= math.Pow(0.5, float64(epoch))
		require.InDelta(t, want, w.Item(), 1e-6, "epoch %d", epoch)
		s.Step()
	}
	require.Equal(t, []float64{0.0625}, s.LastLR())
	require.Equal(t, 4, s.LastEpoch())
	require.Equal(t, []float64{1}, s.BaseLRs())
	require.Equal(t, 1.0, opt.ParamGroups()[0].InitialLR)
}

// TestCosineAnnealingWarmRestartsStepEpochMatchesPyTorch: step(epoch) with
// fractional epochs, as in per-batch use, interleaved with step(), for
// T_mult 1, 2 and 3: the rates, T_i, T_cur and last_epoch after each.
func TestCosineAnnealingWarmRestartsStepEpochMatchesPyTorch(t *testing.T) {
	want := pyReference(t).CAWR
	mults, epochs := cawrMults, cawrEpochs
	require.Len(t, want, len(mults))
	for k, mult := range mults {
		t.Run(fmt.Sprint("T_mult=", mult), func(t *testing.T) {
			opt := twoGroups(t, pyCase{Opt: "SGD", LRs: [2]float64{0.1, 0.3}})
			s, err := L.NewCosineAnnealingWarmRestarts(opt, 3, L.CosineAnnealingWarmRestartsOpts{TMult: new(mult), EtaMin: 0.01})
			require.NoError(t, err)
			var got [][]float64
			for _, e := range epochs {
				opt.Step()
				s.StepEpoch(e)
				got = append(got, append(s.LastLR(), float64(s.TI()), s.TCur(), float64(s.LastEpoch())))
				opt.Step()
				s.Step()
				got = append(got, append(s.LastLR(), float64(s.TI()), s.TCur(), float64(s.LastEpoch())))
			}
			require.Len(t, got, len(want[k]))
			for i := range want[k] {
				requireSame(t, want[k][i], got[i], "lr, lr, T_i, T_cur, last_epoch", i)
			}
		})
	}
	require.Panics(t, func() {
		opt := twoGroups(t, pyCase{Opt: "SGD", LRs: [2]float64{0.1, 0.3}})
		s, _ := L.NewCosineAnnealingWarmRestarts(opt, 3)
		s.StepEpoch(-1)
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

package nn

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/internal/pyfmt"
	"github.com/seed0eaa3131/gotorch/torch"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// The activation layers: PyTorch's torch.nn activation modules, each a thin
// Module over its torch.nn.functional twin in package functional. Their
// arguments with defaults are fields of a trailing, optional XOpts struct
// (a nil pointer is PyTorch's default); the zero value of each layer is the
// layer with PyTorch's defaults. None of them has parameters except PReLU.

// actNumber formats Softplus's beta or threshold as Python's repr shows
// it. A default prints as the release's default: the int (1, 20) up to
// PyTorch 2.2, the float (1.0, 20.0) from 2.3 on (pytorch/pytorch#120175).
// A value set by the user prints as Python shows a number written in code:
// whole numbers as ints (Softplus(beta=2) prints beta=2), others as floats.
func actNumber(f float64, isDefault bool) string {
	if isDefault && torch.VersionAtLeast(2, 3) || f != math.Trunc(f) || math.Abs(f) >= 1e16 {
		return pyfmt.Float(f)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// actRepr is name(args...), leaving out empty arguments, and ", inplace=True"
// where inplace.
func actRepr(name string, inplace bool, args ...string) string {
	var parts []string
	for _, a := range args {
		if a != "" {
			parts = append(parts, a)
		}
	}
	if inplace {
		parts = append(parts, "inplace=True")
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

// ---- ReLU family ----

// ReLUOpts are the defaulted arguments of NewReLU.
type ReLUOpts struct {
	Inplace bool // default false: true overwrites the input
}

// ReLU is max(x, 0) element-wise: torch.nn.ReLU.
type ReLU struct{ inplace bool }

// NewReLU is torch.nn.ReLU(inplace=False).
func NewReLU(opts ...ReLUOpts) *ReLU { return &ReLU{optarg.First(opts).Inplace} }

// Forward is nn.ReLU.forward: F.relu(x).
func (m *ReLU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Relu(x, F.ReluOpts{Inplace: m.inplace})
}

// Inplace is nn.ReLU.inplace.
func (m *ReLU) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "ReLU()".
func (m *ReLU) String() string { return actRepr("ReLU", m.inplace) }

// ReLU6Opts are the defaulted arguments of NewReLU6.
type ReLU6Opts struct {
	Inplace bool // default false
}

// ReLU6 is min(max(x, 0), 6): torch.nn.ReLU6.
type ReLU6 struct{ inplace bool }

// NewReLU6 is torch.nn.ReLU6(inplace=False).
func NewReLU6(opts ...ReLU6Opts) *ReLU6 { return &ReLU6{optarg.First(opts).Inplace} }

// Forward is nn.ReLU6.forward: F.relu6(x) (PyTorch's is hardtanh(x, 0, 6),
// the same values and gradients).
func (m *ReLU6) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Hardtanh(x, F.HardtanhOpts{MinVal: new(0.0), MaxVal: new(6.0), Inplace: m.inplace})
}

// Inplace is nn.ReLU6.inplace.
func (m *ReLU6) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "ReLU6()".
func (m *ReLU6) String() string { return actRepr("ReLU6", m.inplace) }

// LeakyReLUOpts are the defaulted arguments of NewLeakyReLU.
type LeakyReLUOpts struct {
	NegativeSlope *float64 // default 0.01
	Inplace       bool     // default false
}

// LeakyReLU is x where x >= 0, else negative_slope * x: torch.nn.LeakyReLU.
type LeakyReLU struct{ o LeakyReLUOpts }

// NewLeakyReLU is torch.nn.LeakyReLU(negative_slope=0.01, inplace=False).
func NewLeakyReLU(opts ...LeakyReLUOpts) *LeakyReLU { return &LeakyReLU{optarg.First(opts)} }

// Forward is nn.LeakyReLU.forward: F.leaky_relu(x, negative_slope).
func (m *LeakyReLU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.LeakyRelu(x, F.LeakyReluOpts{NegativeSlope: new(m.NegativeSlope()), Inplace: m.o.Inplace})
}

// NegativeSlope is nn.LeakyReLU.negative_slope.
func (m *LeakyReLU) NegativeSlope() float64 { return optarg.Or(m.o.NegativeSlope, 0.01) }

// Inplace is nn.LeakyReLU.inplace.
func (m *LeakyReLU) Inplace() bool { return m.o.Inplace }

// String prints the layer as PyTorch's repr does:
// "LeakyReLU(negative_slope=0.01)".
func (m *LeakyReLU) String() string {
	return actRepr("LeakyReLU", m.o.Inplace, "negative_slope="+pyfmt.Float(m.NegativeSlope()))
}

// PReLUOpts are the defaulted arguments of NewPReLU.
type PReLUOpts struct {
	NumParameters *int64   // default 1: one slope for all channels, or one per channel (dimension 1 of the input)
	Init          *float64 // default 0.25: the slopes' initial value
}

// PReLU is x where x >= 0, else a * x, with learnt slopes a:
// torch.nn.PReLU. Weight is its one parameter.
type PReLU struct {
	Weight *torch.Tensor // [num_parameters]
}

// NewPReLU is torch.nn.PReLU(num_parameters=1, init=0.25). Its weight is
// filled with init (no random draws, as in PyTorch). It panics on a
// negative num_parameters.
func NewPReLU(opts ...PReLUOpts) *PReLU {
	o := optarg.First(opts)
	n := optarg.Or(o.NumParameters, 1)
	if n < 0 {
		panic(&torch.Error{Op: "NewPReLU", Msg: fmt.Sprintf("Trying to create tensor with negative dimension %d: [%d]", n, n)})
	}
	w := torch.Empty([]int64{n})
	torch.NoGrad(func() { w.FillScalar_(torch.Float(optarg.Or(o.Init, 0.25))) })
	return &PReLU{Weight: w.SetRequiresGrad(true)}
}

// NumParameters is nn.PReLU.num_parameters.
func (m *PReLU) NumParameters() int64 { return m.Weight.Size(0) }

// Forward is nn.PReLU.forward: F.prelu(x, weight).
func (m *PReLU) Forward(x *torch.Tensor) *torch.Tensor { return F.Prelu(x, m.Weight) }

// String prints the layer as PyTorch's repr does: "PReLU(num_parameters=1)".
func (m *PReLU) String() string { return fmt.Sprintf("PReLU(num_parameters=%d)", m.NumParameters()) }

// RReLUOpts are the defaulted arguments of NewRReLU.
type RReLUOpts struct {
	Lower   *float64 // default 1/8
	Upper   *float64 // default 1/3
	Inplace bool     // default false
}

// RReLU is the randomized leaky ReLU: torch.nn.RReLU. While training, the
// negative slope of each element is drawn from U(lower, upper); in
// evaluation it is (lower + upper) / 2. Train and Eval switch it; a new
// RReLU trains, as in PyTorch.
type RReLU struct {
	o    RReLUOpts
	eval bool
}

// NewRReLU is torch.nn.RReLU(lower=1/8, upper=1/3, inplace=False).
func NewRReLU(opts ...RReLUOpts) *RReLU { return &RReLU{o: optarg.First(opts)} }

// Forward is nn.RReLU.forward: F.rrelu(x, lower, upper, training).
func (m *RReLU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Rrelu(x, F.RreluOpts{Lower: new(m.Lower()), Upper: new(m.Upper()), Training: !m.eval, Inplace: m.o.Inplace})
}

// Lower is nn.RReLU.lower.
func (m *RReLU) Lower() float64 { return optarg.Or(m.o.Lower, 1.0/8) }

// Upper is nn.RReLU.upper.
func (m *RReLU) Upper() float64 { return optarg.Or(m.o.Upper, 1.0/3) }

// Inplace is nn.RReLU.inplace.
func (m *RReLU) Inplace() bool { return m.o.Inplace }

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
func (m *RReLU) SetTraining(training bool) { m.eval = !training }

// IsTraining is Module.training.
func (m *RReLU) IsTraining() bool { return !m.eval }

// String prints the layer as PyTorch's repr does:
// "RReLU(lower=0.125, upper=0.3333333333333333)".
func (m *RReLU) String() string {
	return actRepr("RReLU", m.o.Inplace, "lower="+pyfmt.Float(m.Lower()), "upper="+pyfmt.Float(m.Upper()))
}

// ---- exponential units ----

// ELUOpts are the defaulted arguments of NewELU.
type ELUOpts struct {
	Alpha   *float64 // default 1.0
	Inplace bool     // default false
}

// ELU is x where x > 0, else alpha * (exp(x) - 1): torch.nn.ELU.
type ELU struct{ o ELUOpts }

// NewELU is torch.nn.ELU(alpha=1.0, inplace=False).
func NewELU(opts ...ELUOpts) *ELU { return &ELU{optarg.First(opts)} }

// Forward is nn.ELU.forward: F.elu(x, alpha).
func (m *ELU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Elu(x, F.EluOpts{Alpha: new(m.Alpha()), Inplace: m.o.Inplace})
}

// Alpha is nn.ELU.alpha.
func (m *ELU) Alpha() float64 { return optarg.Or(m.o.Alpha, 1.0) }

// Inplace is nn.ELU.inplace.
func (m *ELU) Inplace() bool { return m.o.Inplace }

// String prints the layer as PyTorch's repr does: "ELU(alpha=1.0)".
func (m *ELU) String() string { return actRepr("ELU", m.o.Inplace, "alpha="+pyfmt.Float(m.Alpha())) }

// CELUOpts are the defaulted arguments of NewCELU.
type CELUOpts struct {
	Alpha   *float64 // default 1.0
	Inplace bool     // default false
}

// CELU is max(0, x) + min(0, alpha * (exp(x / alpha) - 1)): torch.nn.CELU.
type CELU struct{ o CELUOpts }

// NewCELU is torch.nn.CELU(alpha=1.0, inplace=False).
func NewCELU(opts ...CELUOpts) *CELU { return &CELU{optarg.First(opts)} }

// Forward is nn.CELU.forward: F.celu(x, alpha).
func (m *CELU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Celu(x, F.CeluOpts{Alpha: new(m.Alpha()), Inplace: m.o.Inplace})
}

// Alpha is nn.CELU.alpha.
func (m *CELU) Alpha() float64 { return optarg.Or(m.o.Alpha, 1.0) }

// Inplace is nn.CELU.inplace.
func (m *CELU) Inplace() bool { return m.o.Inplace }

// String prints the layer as PyTorch's repr does: "CELU(alpha=1.0)".
func (m *CELU) String() string { return actRepr("CELU", m.o.Inplace, "alpha="+pyfmt.Float(m.Alpha())) }

// SELUOpts are the defaulted arguments of NewSELU.
type SELUOpts struct {
	Inplace bool // default false
}

// SELU is scale * ELU(x, alpha) with the fixed constants of Klambauer et
// al.: torch.nn.SELU.
type SELU struct{ inplace bool }

// NewSELU is torch.nn.SELU(inplace=False).
func NewSELU(opts ...SELUOpts) *SELU { return &SELU{optarg.First(opts).Inplace} }

// Forward is nn.SELU.forward: F.selu(x).
func (m *SELU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Selu(x, F.SeluOpts{Inplace: m.inplace})
}

// Inplace is nn.SELU.inplace.
func (m *SELU) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "SELU()".
func (m *SELU) String() string { return actRepr("SELU", m.inplace) }

// GELUOpts are the defaulted arguments of NewGELU.
type GELUOpts struct {
	// Approximate is "none" (the default; "" means "none"): the exact x *
	// Φ(x), or "tanh": its tanh approximation.
	Approximate string
}

// GELU is x * Φ(x), Φ the standard normal distribution function:
// torch.nn.GELU.
type GELU struct{ approximate string }

// NewGELU is torch.nn.GELU(approximate='none'). It panics unless
// approximate is "none" or "tanh" (PyTorch raises on the first forward).
func NewGELU(opts ...GELUOpts) *GELU {
	a := optarg.First(opts).Approximate
	if a != "" && a != "none" && a != "tanh" {
		panic(&torch.Error{Op: "NewGELU", Kind: torch.KindValue, Msg: fmt.Sprintf("approximate argument must be either none or tanh, got %q", a)})
	}
	return &GELU{a}
}

// Approximate is nn.GELU.approximate: "none" or "tanh".
func (m *GELU) Approximate() string {
	if m.approximate == "" {
		return "none"
	}
	return m.approximate
}

// Forward is nn.GELU.forward: F.gelu(x, approximate).
func (m *GELU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Gelu(x, F.GeluOpts{Approximate: m.Approximate()})
}

// String prints the layer as PyTorch's repr does: "GELU(approximate='none')".
func (m *GELU) String() string { return "GELU(approximate='" + m.Approximate() + "')" }

// SiLUOpts are the defaulted arguments of NewSiLU.
type SiLUOpts struct {
	Inplace bool // default false
}

// SiLU is x * sigmoid(x) (swish): torch.nn.SiLU.
type SiLU struct{ inplace bool }

// NewSiLU is torch.nn.SiLU(inplace=False).
func NewSiLU(opts ...SiLUOpts) *SiLU { return &SiLU{optarg.First(opts).Inplace} }

// Forward is nn.SiLU.forward: F.silu(x).
func (m *SiLU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Silu(x, F.SiluOpts{Inplace: m.inplace})
}

// Inplace is nn.SiLU.inplace.
func (m *SiLU) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "SiLU()".
func (m *SiLU) String() string { return actRepr("SiLU", m.inplace) }

// MishOpts are the defaulted arguments of NewMish.
type MishOpts struct {
	Inplace bool // default false
}

// Mish is x * tanh(softplus(x)): torch.nn.Mish.
type Mish struct{ inplace bool }

// NewMish is torch.nn.Mish(inplace=False).
func NewMish(opts ...MishOpts) *Mish { return &Mish{optarg.First(opts).Inplace} }

// Forward is nn.Mish.forward: F.mish(x).
func (m *Mish) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Mish(x, F.MishOpts{Inplace: m.inplace})
}

// Inplace is nn.Mish.inplace.
func (m *Mish) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "Mish()".
func (m *Mish) String() string { return actRepr("Mish", m.inplace) }

// ---- sigmoid and tanh family ----

// Sigmoid is 1 / (1 + exp(-x)): torch.nn.Sigmoid.
type Sigmoid struct{}

// NewSigmoid is torch.nn.Sigmoid().
func NewSigmoid() *Sigmoid { return &Sigmoid{} }

// Forward is nn.Sigmoid.forward: torch.sigmoid(x).
func (*Sigmoid) Forward(x *torch.Tensor) *torch.Tensor { return F.Sigmoid(x) }

// String prints the layer as PyTorch's repr does: "Sigmoid()".
func (*Sigmoid) String() string { return "Sigmoid()" }

// Tanh is the hyperbolic tangent: torch.nn.Tanh.
type Tanh struct{}

// NewTanh is torch.nn.Tanh().
func NewTanh() *Tanh { return &Tanh{} }

// Forward is nn.Tanh.forward: torch.tanh(x).
func (*Tanh) Forward(x *torch.Tensor) *torch.Tensor { return F.Tanh(x) }

// String prints the layer as PyTorch's repr does: "Tanh()".
func (*Tanh) String() string { return "Tanh()" }

// HardtanhOpts are the defaulted arguments of NewHardtanh.
type HardtanhOpts struct {
	MinVal  *float64 // default -1.0
	MaxVal  *float64 // default 1.0
	Inplace bool     // default false
}

// Hardtanh is x clamped to [min_val, max_val]: torch.nn.Hardtanh.
type Hardtanh struct{ o HardtanhOpts }

// NewHardtanh is torch.nn.Hardtanh(min_val=-1.0, max_val=1.0,
// inplace=False). It panics unless max_val > min_val (PyTorch asserts it).
func NewHardtanh(opts ...HardtanhOpts) *Hardtanh {
	m := &Hardtanh{optarg.First(opts)}
	if !(m.MaxVal() > m.MinVal()) {
		panic(&torch.Error{Op: "NewHardtanh", Kind: torch.KindValue, Msg: fmt.Sprintf("max_val (%v) must be greater than min_val (%v)", m.MaxVal(), m.MinVal())})
	}
	return m
}

// Forward is nn.Hardtanh.forward: F.hardtanh(x, min_val, max_val).
func (m *Hardtanh) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Hardtanh(x, F.HardtanhOpts{MinVal: new(m.MinVal()), MaxVal: new(m.MaxVal()), Inplace: m.o.Inplace})
}

// MinVal is nn.Hardtanh.min_val.
func (m *Hardtanh) MinVal() float64 { return optarg.Or(m.o.MinVal, -1.0) }

// MaxVal is nn.Hardtanh.max_val.
func (m *Hardtanh) MaxVal() float64 { return optarg.Or(m.o.MaxVal, 1.0) }

// Inplace is nn.Hardtanh.inplace.
func (m *Hardtanh) Inplace() bool { return m.o.Inplace }

// String prints the layer as PyTorch's repr does:
// "Hardtanh(min_val=-1.0, max_val=1.0)".
func (m *Hardtanh) String() string {
	return actRepr("Hardtanh", m.o.Inplace, "min_val="+pyfmt.Float(m.MinVal()), "max_val="+pyfmt.Float(m.MaxVal()))
}

// HardsigmoidOpts are the defaulted arguments of NewHardsigmoid.
type HardsigmoidOpts struct {
	Inplace bool // default false
}

// Hardsigmoid is relu6(x + 3) / 6: torch.nn.Hardsigmoid.
type Hardsigmoid struct{ inplace bool }

// NewHardsigmoid is torch.nn.Hardsigmoid(inplace=False).
func NewHardsigmoid(opts ...HardsigmoidOpts) *Hardsigmoid {
	return &Hardsigmoid{optarg.First(opts).Inplace}
}

// Forward is nn.Hardsigmoid.forward: F.hardsigmoid(x).
func (m *Hardsigmoid) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Hardsigmoid(x, F.HardsigmoidOpts{Inplace: m.inplace})
}

// Inplace is nn.Hardsigmoid.inplace.
func (m *Hardsigmoid) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "Hardsigmoid()" (PyTorch
// does not print inplace=True here).
func (m *Hardsigmoid) String() string { return "Hardsigmoid()" }

// HardswishOpts are the defaulted arguments of NewHardswish.
type HardswishOpts struct {
	Inplace bool // default false
}

// Hardswish is x * relu6(x + 3) / 6: torch.nn.Hardswish.
type Hardswish struct{ inplace bool }

// NewHardswish is torch.nn.Hardswish(inplace=False).
func NewHardswish(opts ...HardswishOpts) *Hardswish { return &Hardswish{optarg.First(opts).Inplace} }

// Forward is nn.Hardswish.forward: F.hardswish(x).
func (m *Hardswish) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Hardswish(x, F.HardswishOpts{Inplace: m.inplace})
}

// Inplace is nn.Hardswish.inplace.
func (m *Hardswish) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does: "Hardswish()" (PyTorch
// does not print inplace=True here).
func (m *Hardswish) String() string { return "Hardswish()" }

// LogSigmoid is log(sigmoid(x)), computed stably: torch.nn.LogSigmoid.
type LogSigmoid struct{}

// NewLogSigmoid is torch.nn.LogSigmoid().
func NewLogSigmoid() *LogSigmoid { return &LogSigmoid{} }

// Forward is nn.LogSigmoid.forward: F.logsigmoid(x).
func (*LogSigmoid) Forward(x *torch.Tensor) *torch.Tensor { return F.Logsigmoid(x) }

// String prints the layer as PyTorch's repr does: "LogSigmoid()".
func (*LogSigmoid) String() string { return "LogSigmoid()" }

// ---- soft functions and shrinkage ----

// SoftplusOpts are the defaulted arguments of NewSoftplus.
type SoftplusOpts struct {
	Beta      *float64 // default 1
	Threshold *float64 // default 20: above it (beta * x), the layer is the identity
}

// Softplus is log(1 + exp(beta * x)) / beta: torch.nn.Softplus.
type Softplus struct{ o SoftplusOpts }

// NewSoftplus is torch.nn.Softplus(beta=1, threshold=20).
func NewSoftplus(opts ...SoftplusOpts) *Softplus { return &Softplus{optarg.First(opts)} }

// Forward is nn.Softplus.forward: F.softplus(x, beta, threshold).
func (m *Softplus) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Softplus(x, F.SoftplusOpts{Beta: new(m.Beta()), Threshold: new(m.Threshold())})
}

// Beta is nn.Softplus.beta.
func (m *Softplus) Beta() float64 { return optarg.Or(m.o.Beta, 1) }

// Threshold is nn.Softplus.threshold.
func (m *Softplus) Threshold() float64 { return optarg.Or(m.o.Threshold, 20) }

// String prints the layer as PyTorch's repr does: "Softplus(beta=1,
// threshold=20)" with 1.13's defaults, "Softplus(beta=1.0,
// threshold=20.0)" with 2.3's (see actNumber).
func (m *Softplus) String() string {
	return fmt.Sprintf("Softplus(beta=%s, threshold=%s)", actNumber(m.Beta(), m.o.Beta == nil), actNumber(m.Threshold(), m.o.Threshold == nil))
}

// Softsign is x / (1 + |x|): torch.nn.Softsign.
type Softsign struct{}

// NewSoftsign is torch.nn.Softsign().
func NewSoftsign() *Softsign { return &Softsign{} }

// Forward is nn.Softsign.forward: F.softsign(x).
func (*Softsign) Forward(x *torch.Tensor) *torch.Tensor { return F.Softsign(x) }

// String prints the layer as PyTorch's repr does: "Softsign()".
func (*Softsign) String() string { return "Softsign()" }

// SoftshrinkOpts are the defaulted arguments of NewSoftshrink.
type SoftshrinkOpts struct {
	Lambd *float64 // default 0.5
}

// Softshrink is x - lambd where x > lambd, x + lambd where x < -lambd, else
// 0: torch.nn.Softshrink.
type Softshrink struct{ o SoftshrinkOpts }

// NewSoftshrink is torch.nn.Softshrink(lambd=0.5).
func NewSoftshrink(opts ...SoftshrinkOpts) *Softshrink { return &Softshrink{optarg.First(opts)} }

// Forward is nn.Softshrink.forward: F.softshrink(x, lambd).
func (m *Softshrink) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Softshrink(x, F.SoftshrinkOpts{Lambd: new(m.Lambd())})
}

// Lambd is nn.Softshrink.lambd.
func (m *Softshrink) Lambd() float64 { return optarg.Or(m.o.Lambd, 0.5) }

// String prints the layer as PyTorch's repr does: "Softshrink(0.5)".
func (m *Softshrink) String() string { return "Softshrink(" + pyfmt.Float(m.Lambd()) + ")" }

// HardshrinkOpts are the defaulted arguments of NewHardshrink.
type HardshrinkOpts struct {
	Lambd *float64 // default 0.5
}

// Hardshrink is x where |x| > lambd, else 0: torch.nn.Hardshrink.
type Hardshrink struct{ o HardshrinkOpts }

// NewHardshrink is torch.nn.Hardshrink(lambd=0.5).
func NewHardshrink(opts ...HardshrinkOpts) *Hardshrink { return &Hardshrink{optarg.First(opts)} }

// Forward is nn.Hardshrink.forward: F.hardshrink(x, lambd).
func (m *Hardshrink) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Hardshrink(x, F.HardshrinkOpts{Lambd: new(m.Lambd())})
}

// Lambd is nn.Hardshrink.lambd.
func (m *Hardshrink) Lambd() float64 { return optarg.Or(m.o.Lambd, 0.5) }

// String prints the layer as PyTorch's repr does: "Hardshrink(0.5)".
func (m *Hardshrink) String() string { return "Hardshrink(" + pyfmt.Float(m.Lambd()) + ")" }

// Tanhshrink is x - tanh(x): torch.nn.Tanhshrink.
type Tanhshrink struct{}

// NewTanhshrink is torch.nn.Tanhshrink().
func NewTanhshrink() *Tanhshrink { return &Tanhshrink{} }

// Forward is nn.Tanhshrink.forward: F.tanhshrink(x).
func (*Tanhshrink) Forward(x *torch.Tensor) *torch.Tensor { return F.Tanhshrink(x) }

// String prints the layer as PyTorch's repr does: "Tanhshrink()".
func (*Tanhshrink) String() string { return "Tanhshrink()" }

// ThresholdOpts are the defaulted arguments of NewThreshold.
type ThresholdOpts struct {
	Inplace bool // default false
}

// Threshold is x where x > threshold, else value: torch.nn.Threshold.
type Threshold struct {
	threshold, value float64
	inplace          bool
}

// NewThreshold is torch.nn.Threshold(threshold, value, inplace=False).
func NewThreshold(threshold, value float64, opts ...ThresholdOpts) *Threshold {
	return &Threshold{threshold, value, optarg.First(opts).Inplace}
}

// Forward is nn.Threshold.forward: F.threshold(x, threshold, value).
func (m *Threshold) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Threshold(x, m.threshold, m.value, F.ThresholdOpts{Inplace: m.inplace})
}

// Threshold is nn.Threshold.threshold.
func (m *Threshold) Threshold() float64 { return m.threshold }

// Value is nn.Threshold.value.
func (m *Threshold) Value() float64 { return m.value }

// Inplace is nn.Threshold.inplace.
func (m *Threshold) Inplace() bool { return m.inplace }

// String prints the layer as PyTorch's repr does, the numbers as Python
// floats: "Threshold(threshold=0.1, value=20.0)".
func (m *Threshold) String() string {
	return actRepr("Threshold", m.inplace, "threshold="+pyfmt.Float(m.threshold), "value="+pyfmt.Float(m.value))
}

// ---- softmax family ----

// Softmax is exp(x) / sum(exp(x)) along dimension Dim: torch.nn.Softmax.
// The dimension is required: PyTorch's implicit choice for dim=None is
// deprecated (and its zero value here is dim=0, not None).
type Softmax struct{ dim int64 }

// NewSoftmax is torch.nn.Softmax(dim).
func NewSoftmax(dim int64) *Softmax { return &Softmax{dim} }

// Dim is nn.Softmax.dim.
func (m *Softmax) Dim() int64 { return m.dim }

// Forward is nn.Softmax.forward: F.softmax(x, dim).
func (m *Softmax) Forward(x *torch.Tensor) *torch.Tensor { return F.Softmax(x, m.dim) }

// String prints the layer as PyTorch's repr does: "Softmax(dim=1)".
func (m *Softmax) String() string { return fmt.Sprintf("Softmax(dim=%d)", m.dim) }

// LogSoftmax is log(softmax(x)) along a dimension, computed stably:
// torch.nn.LogSoftmax. The dimension is required, as for Softmax.
type LogSoftmax struct{ dim int64 }

// NewLogSoftmax is torch.nn.LogSoftmax(dim).
func NewLogSoftmax(dim int64) *LogSoftmax { return &LogSoftmax{dim} }

// Dim is nn.LogSoftmax.dim.
func (m *LogSoftmax) Dim() int64 { return m.dim }

// Forward is nn.LogSoftmax.forward: F.log_softmax(x, dim).
func (m *LogSoftmax) Forward(x *torch.Tensor) *torch.Tensor { return F.LogSoftmax(x, m.dim) }

// String prints the layer as PyTorch's repr does: "LogSoftmax(dim=1)".
func (m *LogSoftmax) String() string { return fmt.Sprintf("LogSoftmax(dim=%d)", m.dim) }

// Softmin is softmax(-x) along a dimension: torch.nn.Softmin. The
// dimension is required, as for Softmax.
type Softmin struct{ dim int64 }

// NewSoftmin is torch.nn.Softmin(dim).
func NewSoftmin(dim int64) *Softmin { return &Softmin{dim} }

// Dim is nn.Softmin.dim.
func (m *Softmin) Dim() int64 { return m.dim }

// Forward is nn.Softmin.forward: F.softmin(x, dim).
func (m *Softmin) Forward(x *torch.Tensor) *torch.Tensor { return F.Softmin(x, m.dim) }

// String prints the layer as PyTorch's repr does: "Softmin(dim=1)".
func (m *Softmin) String() string { return fmt.Sprintf("Softmin(dim=%d)", m.dim) }

// Softmax2d is softmax over the channels of each location, for [C, H, W]
// or [N, C, H, W] inputs: torch.nn.Softmax2d.
type Softmax2d struct{}

// NewSoftmax2d is torch.nn.Softmax2d().
func NewSoftmax2d() *Softmax2d { return &Softmax2d{} }

// Forward is nn.Softmax2d.forward: F.softmax(x, -3). It panics on inputs
// that are not 3-D or 4-D, as PyTorch asserts.
func (*Softmax2d) Forward(x *torch.Tensor) *torch.Tensor {
	if d := x.Dim(); d != 3 && d != 4 {
		panic(&torch.Error{Op: "Softmax2d", Kind: torch.KindValue, Msg: fmt.Sprintf("Softmax2d requires a 3D or 4D tensor as input, got %dD", d)})
	}
	return F.Softmax(x, -3)
}

// String prints the layer as PyTorch's repr does: "Softmax2d()".
func (*Softmax2d) String() string { return "Softmax2d()" }

// GLUOpts are the defaulted arguments of NewGLU.
type GLUOpts struct {
	Dim *int64 // default -1
}

// GLU is the gated linear unit a * sigmoid(b), a and b the halves of the
// input along a dimension: torch.nn.GLU.
type GLU struct{ o GLUOpts }

// NewGLU is torch.nn.GLU(dim=-1).
func NewGLU(opts ...GLUOpts) *GLU { return &GLU{optarg.First(opts)} }

// Dim is nn.GLU.dim.
func (m *GLU) Dim() int64 { return optarg.Or(m.o.Dim, -1) }

// Forward is nn.GLU.forward: F.glu(x, dim).
func (m *GLU) Forward(x *torch.Tensor) *torch.Tensor {
	return F.Glu(x, F.GluOpts{Dim: new(m.Dim())})
}

// String prints the layer as PyTorch's repr does: "GLU(dim=-1)".
func (m *GLU) String() string { return fmt.Sprintf("GLU(dim=%d)", m.Dim()) }

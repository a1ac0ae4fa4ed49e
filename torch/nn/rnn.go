package nn

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// The recurrent layers name their own tensors, with PyTorch's flat names.
var (
	_ TensorNamer    = (*RNN)(nil)
	_ TensorNamer    = (*LSTM)(nil)
	_ TensorNamer    = (*GRU)(nil)
	_ TrainingSetter = (*LSTM)(nil)
)

// rnnMode is RNNBase.mode: which recurrence a layer runs.
type rnnMode int

const (
	rnnModeTanh rnnMode = iota // "RNN_TANH"
	rnnModeRelu                // "RNN_RELU"
	rnnModeLSTM                // "LSTM"
	rnnModeGRU                 // "GRU"
)

// gates is the number of gate blocks stacked in each weight: gate_size /
// hidden_size.
func (m rnnMode) gates() int64 {
	switch m {
	case rnnModeLSTM:
		return 4
	case rnnModeGRU:
		return 3
	}
	return 1
}

// name is the class name, as errors and reprs print it.
func (m rnnMode) name() string {
	switch m {
	case rnnModeLSTM:
		return "LSTM"
	case rnnModeGRU:
		return "GRU"
	}
	return "RNN"
}

// rnnConfig holds RNNBase's constructor arguments.
type rnnConfig struct {
	numLayers     int64
	bias          bool
	batchFirst    bool
	dropout       float64
	bidirectional bool
	projSize      int64
}

// rnnBase is what RNN, LSTM and GRU share: torch.nn.RNNBase. Its tensors sit
// in unexported fields, so the field walk does not see them; the layers name
// them through NamedTensors instead, with PyTorch's flat names.
type rnnBase struct {
	mode       rnnMode
	inputSize  int64
	hiddenSize int64
	cfg        rnnConfig
	names      []string        // _flat_weights_names
	weights    []*torch.Tensor // _flat_weights, in the same order
	perLayer   int             // tensors per layer and direction
	eval       bool            // false while training, the zero value's mode as in PyTorch
}

// rnnInvalid is the panic of a constructor given a bad argument: PyTorch's
// ValueError with its message.
func rnnInvalid(op, format string, args ...any) *torch.Error {
	return &torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf(format, args...)}
}

// newRNNBase is RNNBase.__init__ followed by reset_parameters: it checks the
// arguments with PyTorch's messages, allocates every tensor (torch.empty
// draws no random numbers) and then draws them all, in parameters() order.
func newRNNBase(op string, mode rnnMode, inputSize, hiddenSize int64, c rnnConfig) rnnBase {
	if !(c.dropout >= 0 && c.dropout <= 1) {
		panic(rnnInvalid(op, "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"))
	}
	if hiddenSize <= 0 {
		panic(rnnInvalid(op, "hidden_size must be greater than zero"))
	}
	if c.numLayers <= 0 {
		panic(rnnInvalid(op, "num_layers must be greater than zero"))
	}
	if c.projSize < 0 {
		panic(rnnInvalid(op, "proj_size should be a positive integer or zero to disable projections"))
	}
	if c.projSize >= hiddenSize {
		panic(rnnInvalid(op, "proj_size has to be smaller than hidden_size"))
	}
	if inputSize < 0 {
		panic(&torch.Error{Op: op, Msg: fmt.Sprintf("Trying to create tensor with negative dimension %d: [%d, %d]", inputSize, mode.gates()*hiddenSize, inputSize)})
	}
	r := rnnBase{mode: mode, inputSize: inputSize, hiddenSize: hiddenSize, cfg: c}
	gateSize := mode.gates() * hiddenSize
	realHidden := hiddenSize
	if c.projSize > 0 {
		realHidden = c.projSize
	}
	dirs := r.directions()
	param := func(shape ...int64) *torch.Tensor { return torch.Empty(shape, torch.WithRequiresGrad()) }
	for layer := range c.numLayers {
		for dir := range dirs {
			layerInput := inputSize
			if layer > 0 {
				layerInput = realHidden * dirs
			}
			suffix := ""
			if dir == 1 {
				suffix = "_reverse"
			}
			name := func(s string) string { return fmt.Sprintf("%s_l%d%s", s, layer, suffix) }
			r.names = append(r.names, name("weight_ih"), name("weight_hh"))
			r.weights = append(r.weights, param(gateSize, layerInput), param(gateSize, realHidden))
			if c.bias {
				r.names = append(r.names, name("bias_ih"), name("bias_hh"))
				r.weights = append(r.weights, param(gateSize), param(gateSize))
			}
			if c.projSize > 0 {
				r.names = append(r.names, name("weight_hr"))
				r.weights = append(r.weights, param(c.projSize, hiddenSize))
			}
		}
	}
	r.perLayer = len(r.weights) / int(c.numLayers*dirs)
	r.ResetParameters()
	return r
}

func (r *rnnBase) directions() int64 {
	if r.cfg.bidirectional {
		return 2
	}
	return 1
}

// ResetParameters draws fresh initial values, as RNNBase.reset_parameters
// does: every tensor from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in
// NamedTensors order, bit for bit as PyTorch after the same seed.
func (r *rnnBase) ResetParameters() {
	stdv := 1.0 / math.Sqrt(float64(r.hiddenSize))
	for _, w := range r.weights {
		Uniform_(w, -stdv, stdv)
	}
}

// NamedTensors returns the layer's parameters under their state_dict names
// (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0 with a
// projection, then weight_ih_l0_reverse... for the reverse direction, then
// layer 1...), in PyTorch's named_parameters() order: the TensorNamer that
// Parameters, StateDict and LoadStateDict use.
func (r *rnnBase) NamedTensors() []NamedTensor {
	out := make([]NamedTensor, len(r.weights))
	for i, w := range r.weights {
		out[i] = NamedTensor{Name: r.names[i], Tensor: w}
	}
	return out
}

// Parameter returns the tensor named name ("weight_ih_l0",
// "bias_hh_l1_reverse", ...), as getattr(rnn, name) does in Python, or nil
// where the layer has none of that name.
func (r *rnnBase) Parameter(name string) *torch.Tensor {
	for i, n := range r.names {
		if n == name {
			return r.weights[i]
		}
	}
	return nil
}

// FlatWeights returns the parameters in the order the aten kernels take
// them: RNNBase._flat_weights. The tensors are the layer's own.
func (r *rnnBase) FlatWeights() []*torch.Tensor {
	return append([]*torch.Tensor(nil), r.weights...)
}

// AllWeights returns the parameters grouped by layer and direction:
// RNNBase.all_weights ([[w_ih, w_hh, b_ih, b_hh], ...]).
func (r *rnnBase) AllWeights() [][]*torch.Tensor {
	var out [][]*torch.Tensor
	for i := 0; i < len(r.weights); i += r.perLayer {
		out = append(out, append([]*torch.Tensor(nil), r.weights[i:i+r.perLayer]...))
	}
	return out
}

// InputSize is input_size.
func (r *rnnBase) InputSize() int64 { return r.inputSize }

// HiddenSize is hidden_size.
func (r *rnnBase) HiddenSize() int64 { return r.hiddenSize }

// NumLayers is num_layers.
func (r *rnnBase) NumLayers() int64 { return r.cfg.numLayers }

// Bias is bias: whether the layer has the bias_ih and bias_hh tensors.
func (r *rnnBase) Bias() bool { return r.cfg.bias }

// BatchFirst is batch_first.
func (r *rnnBase) BatchFirst() bool { return r.cfg.batchFirst }

// Dropout is dropout: the probability with which the outputs of every layer
// but the last are zeroed while training. With one layer it has no effect;
// PyTorch warns at construction, Go does not.
func (r *rnnBase) Dropout() float64 { return r.cfg.dropout }

// Bidirectional is bidirectional.
func (r *rnnBase) Bidirectional() bool { return r.cfg.bidirectional }

// SetTraining sets the mode that Train and Eval switch: Module.train(mode).
// Dropout between layers applies only while training.
func (r *rnnBase) SetTraining(training bool) { r.eval = !training }

// IsTraining is Module.training.
func (r *rnnBase) IsTraining() bool { return !r.eval }

// String prints the layer as PyTorch's repr does:
// "LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)".
// As in PyTorch, an RNN's nonlinearity is not shown.
func (r *rnnBase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(%d, %d", r.mode.name(), r.inputSize, r.hiddenSize)
	if r.cfg.projSize != 0 {
		fmt.Fprintf(&b, ", proj_size=%d", r.cfg.projSize)
	}
	if r.cfg.numLayers != 1 {
		fmt.Fprintf(&b, ", num_layers=%d", r.cfg.numLayers)
	}
	if !r.cfg.bias {
		b.WriteString(", bias=False")
	}
	if r.cfg.batchFirst {
		b.WriteString(", batch_first=True")
	}
	if r.cfg.dropout != 0 {
		fmt.Fprintf(&b, ", dropout=%s", rnnPyFloat(r.cfg.dropout))
	}
	if r.cfg.bidirectional {
		b.WriteString(", bidirectional=True")
	}
	b.WriteString(")")
	return b.String()
}

// rnnPyFloat formats f as Python's repr of a float does ("0.5", "1.0",
// "1e-05").
func rnnPyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eIN") {
		s += ".0"
	}
	return s
}

// rnnTuple formats a shape as Python prints a tuple of ints: "(2, 3, 20)".
func rnnTuple(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// rnnList formats a shape as Python prints a list of ints: "[2, 3, 20]".
func rnnList(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// rnnInput is the input after the checks and the unsqueeze of an unbatched
// sequence that RNN.forward, LSTM.forward and GRU.forward do first.
type rnnInput struct {
	x        *torch.Tensor
	batched  bool
	batchDim int64
	op       string
}

// input checks x's dimensions and adds the batch dimension to an unbatched
// (2-D) sequence.
func (r *rnnBase) input(x *torch.Tensor) rnnInput {
	op := r.mode.name() + ".Forward"
	if d := x.Dim(); d != 2 && d != 3 {
		tensor := ""
		if r.mode != rnnModeLSTM && r.mode != rnnModeGRU {
			tensor = " tensor"
		}
		panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf("%s: Expected input to be 2D or 3D, got %dD%s instead", r.mode.name(), d, tensor)})
	}
	in := rnnInput{x: x, batched: x.Dim() == 3, op: op}
	if !r.cfg.batchFirst {
		in.batchDim = 1
	}
	if !in.batched {
		in.x = x.Unsqueeze(in.batchDim)
	}
	return in
}

// hidden checks an initial state's dimensions against the input's, adds
// the batch dimension for an unbatched input, or returns zeros of shape
// (num_layers * num_directions, batch, size) where h is nil.
func (r *rnnBase) hidden(in rnnInput, h *torch.Tensor, size int64) *torch.Tensor {
	if h == nil {
		return torch.Zeros([]int64{r.cfg.numLayers * r.directions(), r.batch(in), size},
			torch.WithDType(in.x.DType()), torch.WithDevice(in.x.Device()))
	}
	if !in.batched {
		return h.Unsqueeze(1)
	}
	return h
}

// batch is the input's batch size (max_batch_size).
func (r *rnnBase) batch(in rnnInput) int64 {
	if r.cfg.batchFirst {
		return in.x.Size(0)
	}
	return in.x.Size(1)
}

// check is RNNBase.check_input and check_hidden_size for each state with
// its message ("Expected hidden size {}, got {}").
func (r *rnnBase) check(in rnnInput, states []*torch.Tensor, sizes []int64, msgs []string) {
	if got, want := in.x.DType(), r.weights[0].DType(); got != want {
		panic(&torch.Error{Op: in.op, Kind: torch.KindValue, Msg: fmt.Sprintf("input must have the type %v, got type %v", want, got)})
	}
	if got := in.x.Size(-1); got != r.inputSize {
		panic(&torch.Error{Op: in.op, Msg: fmt.Sprintf("input.size(-1) must be equal to input_size. Expected %d, got %d", r.inputSize, got)})
	}
	for i, h := range states {
		want := []int64{r.cfg.numLayers * r.directions(), r.batch(in), sizes[i]}
		got := h.Shape()
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			panic(&torch.Error{Op: in.op, Msg: fmt.Sprintf(msgs[i], rnnTuple(want), rnnList(got))})
		}
	}
}

// output removes the batch dimension that input added.
func (in rnnInput) output(out *torch.Tensor, states ...*torch.Tensor) (*torch.Tensor, []*torch.Tensor) {
	if in.batched {
		return out, states
	}
	sq := make([]*torch.Tensor, len(states))
	for i, h := range states {
		sq[i] = h.SqueezeDim(1)
	}
	return out.SqueezeDim(in.batchDim), sq
}

// forwardSingle is RNN.forward and GRU.forward: one state tensor.
func (r *rnnBase) forwardSingle(x *torch.Tensor, hx []*torch.Tensor) (*torch.Tensor, *torch.Tensor) {
	in := r.input(x)
	var h *torch.Tensor
	switch len(hx) {
	case 0:
	case 1:
		h = hx[0]
	default:
		panic(&torch.Error{Op: in.op, Kind: torch.KindType, Msg: fmt.Sprintf("%s.forward takes one initial state hx, got %d tensors", r.mode.name(), len(hx))})
	}
	if h != nil {
		if !in.batched && h.Dim() != 2 {
			panic(&torch.Error{Op: in.op, Msg: fmt.Sprintf("For unbatched 2-D input, hx should also be 2-D but got %d-D tensor", h.Dim())})
		}
		if in.batched && h.Dim() != 3 {
			panic(&torch.Error{Op: in.op, Msg: fmt.Sprintf("For batched 3-D input, hx should also be 3-D but got %d-D tensor", h.Dim())})
		}
	}
	h = r.hidden(in, h, r.hiddenSize)
	r.check(in, []*torch.Tensor{h}, []int64{r.hiddenSize}, []string{"Expected hidden size %s, got %s"})
	c := r.cfg
	var out, hn *torch.Tensor
	switch r.mode {
	case rnnModeTanh:
		out, hn = torch.RnnTanh(in.x, h, r.weights, c.bias, c.numLayers, c.dropout, !r.eval, c.bidirectional, c.batchFirst)
	case rnnModeRelu:
		out, hn = torch.RnnRelu(in.x, h, r.weights, c.bias, c.numLayers, c.dropout, !r.eval, c.bidirectional, c.batchFirst)
	case rnnModeGRU:
		out, hn = torch.Gru(in.x, h, r.weights, c.bias, c.numLayers, c.dropout, !r.eval, c.bidirectional, c.batchFirst)
	}
	out, hs := in.output(out, hn)
	return out, hs[0]
}

// RNN is a multi-layer Elman RNN with a tanh or ReLU nonlinearity:
// torch.nn.RNN. Its parameters are named as PyTorch's state_dict names them
// (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._reverse); see
// NamedTensors and Parameter.
type RNN struct {
	rnnBase
	nonlinearity string
}

// RNNOpts holds torch.nn.RNN's defaulted arguments; the zero value is
// PyTorch's defaults. Fields whose default is not the zero value are
// pointers (nil is the default), set with new(v).
type RNNOpts struct {
	NumLayers     *int64  // default 1
	Nonlinearity  *string // "tanh" (the default) or "relu"
	Bias          *bool   // default true
	BatchFirst    bool    // input and output are (batch, seq, feature)
	Dropout       float64 // dropout on the outputs of each layer but the last, while training
	Bidirectional bool
}

// NewRNN is torch.nn.RNN(inputSize, hiddenSize, ...), initialised as
// PyTorch does: after the same torch.ManualSeed the tensors are bit for bit
// Python's. It panics on bad arguments with PyTorch's messages.
func NewRNN(inputSize, hiddenSize int64, opts ...RNNOpts) *RNN {
	var o RNNOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	nl := optarg.Or(o.Nonlinearity, "tanh")
	mode := rnnModeTanh
	switch nl {
	case "tanh":
	case "relu":
		mode = rnnModeRelu
	default:
		panic(rnnInvalid("NewRNN", "Unknown nonlinearity '%s'. Select from 'tanh' or 'relu'.", nl))
	}
	return &RNN{
		rnnBase: newRNNBase("NewRNN", mode, inputSize, hiddenSize, rnnConfig{
			numLayers: optarg.Or(o.NumLayers, 1), bias: optarg.Or(o.Bias, true), batchFirst: o.BatchFirst,
			dropout: o.Dropout, bidirectional: o.Bidirectional,
		}),
		nonlinearity: nl,
	}
}

// Nonlinearity is nonlinearity: "tanh" or "relu".
func (r *RNN) Nonlinearity() string { return r.nonlinearity }

// Forward is nn.RNN.forward(x, hx): x is (L, N, H_in), (N, L, H_in) with
// BatchFirst, or an unbatched (L, H_in); the optional hx is the initial
// hidden state (D*num_layers, N, H_out), or (D*num_layers, H_out) for an
// unbatched x, zeros where it is absent or nil. It returns the output
// (L, N, D*H_out) (batch first with BatchFirst, unbatched for an unbatched
// x) and the final hidden state h_n, shaped as hx. It panics, with
// PyTorch's messages, on shapes that do not fit.
func (r *RNN) Forward(x *torch.Tensor, hx ...*torch.Tensor) (output, hn *torch.Tensor) {
	return r.forwardSingle(x, hx)
}

// GRU is a multi-layer gated recurrent unit RNN: torch.nn.GRU. Its
// parameters are named as PyTorch's state_dict names them (weight_ih_l0,
// weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._reverse); see NamedTensors and
// Parameter.
type GRU struct {
	rnnBase
}

// GRUOpts holds torch.nn.GRU's defaulted arguments; the zero value is
// PyTorch's defaults. Fields whose default is not the zero value are
// pointers (nil is the default), set with new(v).
type GRUOpts struct {
	NumLayers     *int64 // default 1
	Bias          *bool  // default true
	BatchFirst    bool
	Dropout       float64
	Bidirectional bool
}

// NewGRU is torch.nn.GRU(inputSize, hiddenSize, ...), initialised as
// PyTorch does: after the same torch.ManualSeed the tensors are bit for bit
// Python's. It panics on bad arguments with PyTorch's messages.
func NewGRU(inputSize, hiddenSize int64, opts ...GRUOpts) *GRU {
	var o GRUOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return &GRU{newRNNBase("NewGRU", rnnModeGRU, inputSize, hiddenSize, rnnConfig{
		numLayers: optarg.Or(o.NumLayers, 1), bias: optarg.Or(o.Bias, true), batchFirst: o.BatchFirst,
		dropout: o.Dropout, bidirectional: o.Bidirectional,
	})}
}

// Forward is nn.GRU.forward(x, hx), with RNN.Forward's shapes: it returns
// the output and the final hidden state h_n.
func (g *GRU) Forward(x *torch.Tensor, hx ...*torch.Tensor) (output, hn *torch.Tensor) {
	return g.forwardSingle(x, hx)
}

// LSTM is a multi-layer long short-term memory RNN, with optional
// projections: torch.nn.LSTM. Its parameters are named as PyTorch's
// state_dict names them (weight_ih_l0, weight_hh_l0, bias_ih_l0,
// bias_hh_l0, weight_hr_l0 with a projection, ..._reverse); see
// NamedTensors and Parameter.
type LSTM struct {
	rnnBase
}

// LSTMOpts holds torch.nn.LSTM's defaulted arguments; the zero value is
// PyTorch's defaults. Fields whose default is not the zero value are
// pointers (nil is the default), set with new(v).
type LSTMOpts struct {
	NumLayers     *int64 // default 1
	Bias          *bool  // default true
	BatchFirst    bool
	Dropout       float64
	Bidirectional bool
	ProjSize      int64 // > 0: project each hidden state to ProjSize features (weight_hr_l*)
}

// NewLSTM is torch.nn.LSTM(inputSize, hiddenSize, ...), initialised as
// PyTorch does: after the same torch.ManualSeed the tensors are bit for bit
// Python's. It panics on bad arguments with PyTorch's messages.
func NewLSTM(inputSize, hiddenSize int64, opts ...LSTMOpts) *LSTM {
	var o LSTMOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return &LSTM{newRNNBase("NewLSTM", rnnModeLSTM, inputSize, hiddenSize, rnnConfig{
		numLayers: optarg.Or(o.NumLayers, 1), bias: optarg.Or(o.Bias, true), batchFirst: o.BatchFirst,
		dropout: o.Dropout, bidirectional: o.Bidirectional, projSize: o.ProjSize,
	})}
}

// ProjSize is proj_size: 0 without projections.
func (l *LSTM) ProjSize() int64 { return l.cfg.projSize }

// Forward is nn.LSTM.forward(x, (h0, c0)), with the state's two tensors
// passed after x: Forward(x) starts from zeros, Forward(x, h0, c0) from the
// given state. x is (L, N, H_in), (N, L, H_in) with BatchFirst, or an
// unbatched (L, H_in); h0 is (D*num_layers, N, H_out) and c0
// (D*num_layers, N, hidden_size), without the N for an unbatched x, where
// H_out is ProjSize when set and hidden_size otherwise. It returns the
// output (L, N, D*H_out) (batch first with BatchFirst, unbatched for an
// unbatched x) and the final state (h_n, c_n), shaped as (h0, c0). It
// panics, with PyTorch's messages, on shapes that do not fit.
func (l *LSTM) Forward(x *torch.Tensor, hx ...*torch.Tensor) (output, hn, cn *torch.Tensor) {
	in := l.input(x)
	var h, c *torch.Tensor
	switch {
	case len(hx) == 0 || len(hx) == 2 && hx[0] == nil && hx[1] == nil:
	case len(hx) == 2 && hx[0] != nil && hx[1] != nil:
		h, c = hx[0], hx[1]
		if in.batched && (h.Dim() != 3 || c.Dim() != 3) {
			panic(&torch.Error{Op: in.op, Msg: fmt.Sprintf("For batched 3-D input, hx and cx should also be 3-D but got (%d-D, %d-D) tensors", h.Dim(), c.Dim())})
		}
		if !in.batched && (h.Dim() != 2 || c.Dim() != 2) {
			panic(&torch.Error{Op: in.op, Msg: fmt.Sprintf("For unbatched 2-D input, hx and cx should also be 2-D but got (%d-D, %d-D) tensors", h.Dim(), c.Dim())})
		}
	default:
		panic(&torch.Error{Op: in.op, Kind: torch.KindType, Msg: fmt.Sprintf("LSTM.forward takes the initial state as two tensors (h_0, c_0), got %d", rnnNonNil(hx))})
	}
	realHidden := l.hiddenSize
	if l.cfg.projSize > 0 {
		realHidden = l.cfg.projSize
	}
	h = l.hidden(in, h, realHidden)
	c = l.hidden(in, c, l.hiddenSize)
	l.check(in, []*torch.Tensor{h, c}, []int64{realHidden, l.hiddenSize},
		[]string{"Expected hidden[0] size %s, got %s", "Expected hidden[1] size %s, got %s"})
	cfg := l.cfg
	out, hn, cn := torch.Lstm(in.x, []*torch.Tensor{h, c}, l.weights, cfg.bias, cfg.numLayers, cfg.dropout, !l.eval, cfg.bidirectional, cfg.batchFirst)
	out, hs := in.output(out, hn, cn)
	return out, hs[0], hs[1]
}

// rnnNonNil counts the tensors of ts that are not nil.
func rnnNonNil(ts []*torch.Tensor) int {
	n := 0
	for _, t := range ts {
		if t != nil {
			n++
		}
	}
	return n
}

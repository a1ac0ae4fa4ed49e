package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/optarg"
	"github.com/seed0eaa3131/gotorch/torch"
)

// RNNCellBase holds what RNNCell, LSTMCell and GRUCell share:
// torch.nn.RNNCellBase's four tensors, in its registration order, named as
// its state_dict names them. The cells embed it.
type RNNCellBase struct {
	WeightIh *torch.Tensor `nn:"weight_ih"` // [gates*hidden_size, input_size]
	WeightHh *torch.Tensor `nn:"weight_hh"` // [gates*hidden_size, hidden_size]
	BiasIh   *torch.Tensor `nn:"bias_ih"`   // [gates*hidden_size]; nil without bias
	BiasHh   *torch.Tensor `nn:"bias_hh"`   // [gates*hidden_size]; nil without bias
}

// newRNNCellBase is RNNCellBase.__init__: it allocates the tensors
// (torch.empty draws nothing) and draws them in parameters() order.
func newRNNCellBase(op string, inputSize, hiddenSize, gates int64, bias bool) RNNCellBase {
	for _, s := range [][]int64{{gates * hiddenSize, inputSize}, {gates * hiddenSize, hiddenSize}} {
		for _, d := range s {
			if d < 0 {
				panic(&torch.Error{Op: op, Msg: fmt.Sprintf("Trying to create tensor with negative dimension %d: %s", d, rnnList(s))})
			}
		}
	}
	param := func(shape ...int64) *torch.Tensor { return torch.Empty(shape, torch.WithRequiresGrad()) }
	c := RNNCellBase{WeightIh: param(gates*hiddenSize, inputSize), WeightHh: param(gates*hiddenSize, hiddenSize)}
	if bias {
		c.BiasIh, c.BiasHh = param(gates*hiddenSize), param(gates*hiddenSize)
	}
	c.ResetParameters()
	return c
}

// ResetParameters draws fresh initial values, as
// RNNCellBase.reset_parameters does: every tensor from
// U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) (U(0, 0) for hidden_size 0),
// weight_ih, weight_hh, bias_ih, bias_hh in turn.
func (c *RNNCellBase) ResetParameters() {
	lo, hi := 0.0, 0.0
	if h := c.HiddenSize(); h > 0 {
		hi = 1.0 / math.Sqrt(float64(h))
		lo = -hi
	}
	for _, w := range []*torch.Tensor{c.WeightIh, c.WeightHh, c.BiasIh, c.BiasHh} {
		if w != nil {
			Uniform_(w, lo, hi)
		}
	}
}

// InputSize is input_size.
func (c *RNNCellBase) InputSize() int64 { return c.WeightIh.Size(1) }

// HiddenSize is hidden_size.
func (c *RNNCellBase) HiddenSize() int64 { return c.WeightHh.Size(1) }

// Bias is bias: whether the cell has bias_ih and bias_hh.
func (c *RNNCellBase) Bias() bool { return c.BiasIh != nil }

// repr is RNNCellBase.extra_repr inside name(...).
func (c *RNNCellBase) repr(name, nonlinearity string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(%d, %d", name, c.InputSize(), c.HiddenSize())
	if !c.Bias() {
		b.WriteString(", bias=False")
	}
	if nonlinearity != "" && nonlinearity != "tanh" {
		fmt.Fprintf(&b, ", nonlinearity=%s", nonlinearity)
	}
	b.WriteString(")")
	return b.String()
}

// input checks the input's and the states' dimensions as the cells'
// forward does, adds the batch dimension to an unbatched (1-D) input and
// its states, and fills absent states with zeros.
func (c *RNNCellBase) input(name string, x *torch.Tensor, hx []*torch.Tensor, n int) (*torch.Tensor, []*torch.Tensor, bool) {
	op := name + ".Forward"
	if d := x.Dim(); d != 1 && d != 2 {
		panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf("%s: Expected input to be 1D or 2D, got %dD instead", name, d)})
	}
	given := rnnNonNil(hx)
	if len(hx) > n || given != 0 && given != n {
		want := "one initial state hx"
		if n == 2 {
			want = "the initial state as two tensors (h_0, c_0)"
		}
		panic(&torch.Error{Op: op, Kind: torch.KindType, Msg: fmt.Sprintf("%s.forward takes %s, got %d", name, want, given)})
	}
	for i, h := range hx {
		if h == nil {
			continue
		}
		if d := h.Dim(); d != 1 && d != 2 {
			what := "hidden"
			if n == 2 {
				what = fmt.Sprintf("hx[%d]", i)
			}
			panic(&torch.Error{Op: op, Kind: torch.KindValue, Msg: fmt.Sprintf("%s: Expected %s to be 1D or 2D, got %dD instead", name, what, d)})
		}
	}
	batched := x.Dim() == 2
	if !batched {
		x = x.Unsqueeze(0)
	}
	states := make([]*torch.Tensor, n)
	if given == 0 {
		zeros := torch.Zeros([]int64{x.Size(0), c.HiddenSize()}, torch.WithDType(x.DType()), torch.WithDevice(x.Device()))
		for i := range states {
			states[i] = zeros
		}
	} else {
		for i := range states {
			states[i] = hx[i]
			if !batched {
				states[i] = hx[i].Unsqueeze(0)
			}
		}
	}
	return x, states, batched
}

func (c *RNNCellBase) biases() (bIh, bHh *torch.Tensor) { return c.BiasIh, c.BiasHh }

// rnnCellOutput removes the batch dimension input added.
func rnnCellOutput(batched bool, t *torch.Tensor) *torch.Tensor {
	if batched {
		return t
	}
	return t.SqueezeDim(0)
}

// RNNCell is an Elman RNN cell with a tanh or ReLU nonlinearity:
// torch.nn.RNNCell, h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
type RNNCell struct {
	RNNCellBase
	nonlinearity string
}

// RNNCellOpts holds torch.nn.RNNCell's defaulted arguments; the zero value
// is PyTorch's defaults. Fields whose default is not the zero value are
// pointers (nil is the default), set with new(v).
type RNNCellOpts struct {
	Bias         *bool   // default true
	Nonlinearity *string // "tanh" (the default) or "relu"
}

// NewRNNCell is torch.nn.RNNCell(inputSize, hiddenSize, ...), initialised
// as PyTorch does: after the same torch.ManualSeed the tensors are bit for
// bit Python's. An unknown nonlinearity panics here, where PyTorch raises
// at the first forward.
func NewRNNCell(inputSize, hiddenSize int64, opts ...RNNCellOpts) *RNNCell {
	var o RNNCellOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	nl := optarg.Or(o.Nonlinearity, "tanh")
	if nl != "tanh" && nl != "relu" {
		panic(rnnInvalid("NewRNNCell", "Unknown nonlinearity: %s", nl))
	}
	return &RNNCell{newRNNCellBase("NewRNNCell", inputSize, hiddenSize, 1, optarg.Or(o.Bias, true)), nl}
}

// Nonlinearity is nonlinearity: "tanh" or "relu".
func (c *RNNCell) Nonlinearity() string { return c.nonlinearity }

// Forward is nn.RNNCell.forward(x, hx): x is (N, input_size) or an
// unbatched (input_size); the optional hx is (N, hidden_size) or
// (hidden_size), zeros where absent or nil. It returns the next hidden
// state h', shaped as hx.
func (c *RNNCell) Forward(x *torch.Tensor, hx ...*torch.Tensor) *torch.Tensor {
	x, h, batched := c.input("RNNCell", x, hx, 1)
	bIh, bHh := c.biases()
	var out *torch.Tensor
	if c.nonlinearity == "relu" {
		out = torch.RnnReluCell(x, h[0], c.WeightIh, c.WeightHh, torch.RnnReluCellOpts{BIh: bIh, BHh: bHh})
	} else {
		out = torch.RnnTanhCell(x, h[0], c.WeightIh, c.WeightHh, torch.RnnTanhCellOpts{BIh: bIh, BHh: bHh})
	}
	return rnnCellOutput(batched, out)
}

// String prints the cell as PyTorch's repr does: "RNNCell(10, 20,
// nonlinearity=relu)".
func (c *RNNCell) String() string { return c.repr("RNNCell", c.nonlinearity) }

// LSTMCell is a long short-term memory cell: torch.nn.LSTMCell.
type LSTMCell struct {
	RNNCellBase
}

// LSTMCellOpts holds torch.nn.LSTMCell's defaulted arguments; the zero
// value is PyTorch's defaults.
type LSTMCellOpts struct {
	Bias *bool // default true
}

// NewLSTMCell is torch.nn.LSTMCell(inputSize, hiddenSize, ...), initialised
// as PyTorch does: after the same torch.ManualSeed the tensors are bit for
// bit Python's.
func NewLSTMCell(inputSize, hiddenSize int64, opts ...LSTMCellOpts) *LSTMCell {
	var o LSTMCellOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return &LSTMCell{newRNNCellBase("NewLSTMCell", inputSize, hiddenSize, 4, optarg.Or(o.Bias, true))}
}

// Forward is nn.LSTMCell.forward(x, (h, c)), with the state's two tensors
// passed after x: Forward(x) starts from zeros. x is (N, input_size) or an
// unbatched (input_size); h and c are (N, hidden_size) or (hidden_size). It
// returns the next state (h', c').
func (c *LSTMCell) Forward(x *torch.Tensor, hx ...*torch.Tensor) (h1, c1 *torch.Tensor) {
	x, hs, batched := c.input("LSTMCell", x, hx, 2)
	bIh, bHh := c.biases()
	h1, c1 = torch.LstmCell(x, hs, c.WeightIh, c.WeightHh, torch.LstmCellOpts{BIh: bIh, BHh: bHh})
	return rnnCellOutput(batched, h1), rnnCellOutput(batched, c1)
}

// String prints the cell as PyTorch's repr does: "LSTMCell(10, 20)".
func (c *LSTMCell) String() string { return c.repr("LSTMCell", "") }

// GRUCell is a gated recurrent unit cell: torch.nn.GRUCell.
type GRUCell struct {
	RNNCellBase
}

// GRUCellOpts holds torch.nn.GRUCell's defaulted arguments; the zero value
// is PyTorch's defaults.
type GRUCellOpts struct {
	Bias *bool // default true
}

// NewGRUCell is torch.nn.GRUCell(inputSize, hiddenSize, ...), initialised
// as PyTorch does: after the same torch.ManualSeed the tensors are bit for
// bit Python's.
func NewGRUCell(inputSize, hiddenSize int64, opts ...GRUCellOpts) *GRUCell {
	var o GRUCellOpts
	if len(opts) > 0 {
		o = opts[0]
	}
	return &GRUCell{newRNNCellBase("NewGRUCell", inputSize, hiddenSize, 3, optarg.Or(o.Bias, true))}
}

// Forward is nn.GRUCell.forward(x, hx), with RNNCell.Forward's shapes: it
// returns the next hidden state h'.
func (c *GRUCell) Forward(x *torch.Tensor, hx ...*torch.Tensor) *torch.Tensor {
	x, h, batched := c.input("GRUCell", x, hx, 1)
	bIh, bHh := c.biases()
	return rnnCellOutput(batched, torch.GruCell(x, h[0], c.WeightIh, c.WeightHh, torch.GruCellOpts{BIh: bIh, BHh: bHh}))
}

// String prints the cell as PyTorch's repr does: "GRUCell(10, 20)".
func (c *GRUCell) String() string { return c.repr("GRUCell", "") }

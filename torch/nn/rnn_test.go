package nn_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// rnnLayer is a recurrent layer or cell built the same way in Go and in
// Python.
type rnnLayer struct {
	py    string // the Python constructor, with nn = torch.nn
	build func() fmt.Stringer
}

// rnnInitLayers covers every constructor argument that changes the tensors
// or the repr.
var rnnInitLayers = []rnnLayer{
	{"nn.LSTM(10, 20)", func() fmt.Stringer { return nn.NewLSTM(10, 20) }},
	{"nn.LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)", func() fmt.Stringer {
		return nn.NewLSTM(10, 20, nn.LSTMOpts{NumLayers: new(int64(2)), BatchFirst: true, Bidirectional: true})
	}},
	{"nn.LSTM(7, 6, num_layers=2, bias=False, proj_size=3, bidirectional=True)", func() fmt.Stringer {
		return nn.NewLSTM(7, 6, nn.LSTMOpts{NumLayers: new(int64(2)), Bias: new(false), ProjSize: 3, Bidirectional: true})
	}},
	{"nn.LSTM(5, 8, num_layers=3, dropout=0.25, proj_size=2)", func() fmt.Stringer {
		return nn.NewLSTM(5, 8, nn.LSTMOpts{NumLayers: new(int64(3)), Dropout: 0.25, ProjSize: 2})
	}},
	{"nn.GRU(10, 20, num_layers=2, bidirectional=True)", func() fmt.Stringer {
		return nn.NewGRU(10, 20, nn.GRUOpts{NumLayers: new(int64(2)), Bidirectional: true})
	}},
	{"nn.GRU(4, 3, bias=False, dropout=1.0)", func() fmt.Stringer {
		return nn.NewGRU(4, 3, nn.GRUOpts{Bias: new(false), Dropout: 1})
	}},
	{"nn.RNN(10, 20)", func() fmt.Stringer { return nn.NewRNN(10, 20) }},
	{"nn.RNN(6, 5, num_layers=2, nonlinearity='relu', bias=False, batch_first=True)", func() fmt.Stringer {
		return nn.NewRNN(6, 5, nn.RNNOpts{NumLayers: new(int64(2)), Nonlinearity: new("relu"), Bias: new(false), BatchFirst: true})
	}},
	{"nn.RNN(3, 7, num_layers=2, dropout=0.5, bidirectional=True)", func() fmt.Stringer {
		return nn.NewRNN(3, 7, nn.RNNOpts{NumLayers: new(int64(2)), Dropout: 0.5, Bidirectional: true})
	}},
	{"nn.RNN(0, 3)", func() fmt.Stringer { return nn.NewRNN(0, 3) }},
	{"nn.RNNCell(10, 20)", func() fmt.Stringer { return nn.NewRNNCell(10, 20) }},
	{"nn.RNNCell(4, 3, bias=False, nonlinearity='relu')", func() fmt.Stringer {
		return nn.NewRNNCell(4, 3, nn.RNNCellOpts{Bias: new(false), Nonlinearity: new("relu")})
	}},
	{"nn.LSTMCell(10, 20)", func() fmt.Stringer { return nn.NewLSTMCell(10, 20) }},
	{"nn.LSTMCell(5, 4, bias=False)", func() fmt.Stringer { return nn.NewLSTMCell(5, 4, nn.LSTMCellOpts{Bias: new(false)}) }},
	{"nn.GRUCell(10, 20)", func() fmt.Stringer { return nn.NewGRUCell(10, 20) }},
	{"nn.GRUCell(3, 0)", func() fmt.Stringer { return nn.NewGRUCell(3, 0) }},
	{"nn.GRUCell(6, 2, bias=False)", func() fmt.Stringer { return nn.NewGRUCell(6, 2, nn.GRUCellOpts{Bias: new(false)}) }},
}

// TestRNNInitMatchesPyTorch checks, for layers built in the same order
// after the same seed, that Go gives PyTorch's state_dict keys in
// named_parameters() order, bit-identical initial values and the same repr.
func TestRNNInitMatchesPyTorch(t *testing.T) {
	ctors := make([]string, len(rnnInitLayers))
	for i, l := range rnnInitLayers {
		ctors[i] = l.py
	}
	spec, err := json.Marshal(ctors)
	require.NoError(t, err)
	seeds := []uint64{0, 1234}
	out := []string{tempPath(t, "py0.pt"), tempPath(t, "py1.pt")}
	var want []struct {
		Keys []string `json:"keys"`
		Repr string   `json:"repr"`
	}
	pytorch.JSON(t, `
import sys, json, warnings
warnings.simplefilter("ignore")
nn = torch.nn
ctors = json.loads(sys.argv[1])
for seed, path in zip(sys.argv[2:4], sys.argv[4:6]):
    torch.manual_seed(int(seed))
    layers = nn.ModuleList([eval(c) for c in ctors])
    torch.save(layers.state_dict(), path)
print(json.dumps([{"keys": [k for k, _ in m.named_parameters()], "repr": repr(m)} for m in layers]))
`, &want, string(spec), fmt.Sprint(seeds[0]), fmt.Sprint(seeds[1]), out[0], out[1])
	require.Len(t, want, len(rnnInitLayers))

	for s, seed := range seeds {
		torch.ManualSeed(seed)
		layers := make([]fmt.Stringer, len(rnnInitLayers))
		for i, l := range rnnInitLayers {
			layers[i] = l.build()
		}
		sd := loadPT(t, out[s])
		n := 0
		for i, l := range layers {
			named := nn.NamedParameters(l)
			names := make([]string, len(named))
			for j, p := range named {
				names[j] = p.Name
				requireBitEqual(t, sd[fmt.Sprintf("%d.%s", i, p.Name)], p.Tensor, fmt.Sprintf("seed %d %s %s", seed, rnnInitLayers[i].py, p.Name))
				assert.True(t, p.Tensor.RequiresGrad())
			}
			n += len(named)
			assert.Equal(t, want[i].Keys, names, rnnInitLayers[i].py)
			assert.Equal(t, want[i].Repr, l.String())
		}
		assert.Len(t, sd, n)
	}
}

// rnnCase is one forward and backward pass compared with PyTorch.
type rnnCase struct {
	name   string
	py     string // the Python constructor, with nn = torch.nn
	build  func() any
	x      []int64   // the input's shape
	states [][]int64 // the initial states' shapes; none: zeros
	eval   bool
	seed   uint64 // > 0: torch.manual_seed(seed) just before the forward (dropout's draws)
}

// rnnRun applies m to x from states as the Python script of
// TestRNNForwardMatchesPyTorch does: a layer once, a cell step by step over
// x's first dimension. It returns the outputs whose sum is the loss.
func rnnRun(m any, x *torch.Tensor, states []*torch.Tensor) []*torch.Tensor {
	switch m := m.(type) {
	case *nn.LSTM:
		out, h, c := m.Forward(x, states...)
		return []*torch.Tensor{out, h, c}
	case *nn.GRU:
		out, h := m.Forward(x, states...)
		return []*torch.Tensor{out, h}
	case *nn.RNN:
		out, h := m.Forward(x, states...)
		return []*torch.Tensor{out, h}
	}
	st := states
	var hs []*torch.Tensor
	for i := range x.Size(0) {
		xt := x.Select(0, i)
		switch m := m.(type) {
		case *nn.LSTMCell:
			h, c := m.Forward(xt, st...)
			st = []*torch.Tensor{h, c}
		case *nn.GRUCell:
			st = []*torch.Tensor{m.Forward(xt, st...)}
		case *nn.RNNCell:
			st = []*torch.Tensor{m.Forward(xt, st...)}
		}
		hs = append(hs, st[0])
	}
	return append([]*torch.Tensor{torch.Stack(hs)}, st...)
}

const rnnForwardScript = `
import sys, json
nn = torch.nn
cases = json.loads(sys.argv[1])
d = torch.load(sys.argv[2])
res = {}
for i, c in enumerate(cases):
    p = "c%d." % i
    m = eval(c["py"])
    m.load_state_dict({k[len(p) + 2:]: v for k, v in d.items() if k.startswith(p + "w.")})
    m.train(not c["eval"])
    x = d[p + "x"].clone().requires_grad_()
    states = [d[p + "s%d" % j].clone().requires_grad_() for j in range(c["states"])]
    lstm = isinstance(m, (nn.LSTM, nn.LSTMCell))
    if c["seed"]:
        torch.manual_seed(c["seed"])
    if isinstance(m, nn.RNNCellBase):
        st = states
        hs = []
        for t in range(x.shape[0]):
            if lstm:
                st = list(m(x[t], tuple(st) if st else None))
            else:
                st = [m(x[t], st[0] if st else None)]
            hs.append(st[0])
        outs = [torch.stack(hs)] + st
    else:
        if lstm:
            out, (h, cc) = m(x, tuple(states) if states else None)
            outs = [out, h, cc]
        else:
            out, h = m(x, states[0] if states else None)
            outs = [out, h]
    sum(o.sum() for o in outs).backward()
    for j, o in enumerate(outs):
        res[p + "out%d" % j] = o.detach()
    res[p + "grad.x"] = x.grad
    for j, s in enumerate(states):
        res[p + "grad.s%d" % j] = s.grad
    for n, w in m.named_parameters():
        res[p + "grad.w." + n] = w.grad
torch.save(res, sys.argv[3])
`

// rnnParity runs the cases in Go and in one Python process and compares
// the outputs, the final states and the gradients of the input, of the
// initial states and of every parameter to 1e-5.
func rnnParity(t *testing.T, cases []rnnCase) {
	type pyCase struct {
		Py     string `json:"py"`
		States int    `json:"states"`
		Eval   bool   `json:"eval"`
		Seed   uint64 `json:"seed"`
	}
	torch.ManualSeed(11)
	in := map[string]*torch.Tensor{}
	var spec []pyCase
	models := make([]any, len(cases))
	inputs := make([]*torch.Tensor, len(cases))
	states := make([][]*torch.Tensor, len(cases))
	for i, c := range cases {
		p := fmt.Sprintf("c%d.", i)
		models[i] = c.build()
		for _, w := range nn.NamedParameters(models[i]) {
			in[p+"w."+w.Name] = w.Tensor.Detach()
		}
		inputs[i] = torch.Randn(c.x, torch.WithRequiresGrad())
		in[p+"x"] = inputs[i].Detach()
		for j, s := range c.states {
			states[i] = append(states[i], torch.Randn(s, torch.WithRequiresGrad()))
			in[fmt.Sprintf("%ss%d", p, j)] = states[i][j].Detach()
		}
		spec = append(spec, pyCase{Py: c.py, States: len(c.states), Eval: c.eval, Seed: c.seed})
	}
	js, err := json.Marshal(spec)
	require.NoError(t, err)
	out := tempPath(t, "py.pt")
	pytorch.Run(t, rnnForwardScript, string(js), savePT(t, in), out)
	want := loadPT(t, out)

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fmt.Sprintf("c%d.", i)
			m := models[i]
			if c.eval {
				nn.Eval(m)
			}
			if c.seed > 0 {
				torch.ManualSeed(c.seed)
			}
			outs := rnnRun(m, inputs[i], states[i])
			loss := outs[0].Sum()
			for _, o := range outs[1:] {
				loss = loss.Add(o.Sum())
			}
			loss.Backward()
			for j, o := range outs {
				requireClose(t, want[fmt.Sprintf("%sout%d", p, j)], o, 1e-5, fmt.Sprintf("out%d", j))
			}
			requireClose(t, want[p+"grad.x"], inputs[i].Grad(), 1e-5, "grad x")
			for j, s := range states[i] {
				requireClose(t, want[fmt.Sprintf("%sgrad.s%d", p, j)], s.Grad(), 1e-5, fmt.Sprintf("grad s%d", j))
			}
			named := nn.NamedParameters(m)
			require.NotEmpty(t, named)
			for _, w := range named {
				g, ok := want[p+"grad.w."+w.Name]
				require.True(t, ok, w.Name)
				requireClose(t, g, w.Tensor.Grad(), 1e-5, "grad "+w.Name)
			}
		})
	}
}

func TestRNNForwardMatchesPyTorch(t *testing.T) {
	two, three := new(int64(2)), new(int64(3))
	rnnParity(t, []rnnCase{
		{name: "lstm", py: "nn.LSTM(4, 5)", build: func() any { return nn.NewLSTM(4, 5) },
			x: []int64{6, 3, 4}},
		{name: "lstm/state", py: "nn.LSTM(4, 5)", build: func() any { return nn.NewLSTM(4, 5) },
			x: []int64{6, 3, 4}, states: [][]int64{{1, 3, 5}, {1, 3, 5}}},
		{name: "lstm/2layers/bidirectional/batch_first/state",
			py: "nn.LSTM(4, 5, num_layers=2, batch_first=True, bidirectional=True)",
			build: func() any {
				return nn.NewLSTM(4, 5, nn.LSTMOpts{NumLayers: two, BatchFirst: true, Bidirectional: true})
			},
			x: []int64{3, 6, 4}, states: [][]int64{{4, 3, 5}, {4, 3, 5}}},
		{name: "lstm/2layers/nobias", py: "nn.LSTM(4, 5, num_layers=2, bias=False)",
			build: func() any { return nn.NewLSTM(4, 5, nn.LSTMOpts{NumLayers: two, Bias: new(false)}) },
			x:     []int64{5, 2, 4}},
		{name: "lstm/proj/bidirectional/state", py: "nn.LSTM(4, 6, num_layers=2, proj_size=3, bidirectional=True)",
			build: func() any {
				return nn.NewLSTM(4, 6, nn.LSTMOpts{NumLayers: two, ProjSize: 3, Bidirectional: true})
			},
			x: []int64{5, 2, 4}, states: [][]int64{{4, 2, 3}, {4, 2, 6}}},
		{name: "lstm/proj/nobias/batch_first", py: "nn.LSTM(4, 6, proj_size=2, bias=False, batch_first=True)",
			build: func() any {
				return nn.NewLSTM(4, 6, nn.LSTMOpts{ProjSize: 2, Bias: new(false), BatchFirst: true})
			},
			x: []int64{2, 5, 4}},
		{name: "lstm/unbatched/state", py: "nn.LSTM(4, 5)", build: func() any { return nn.NewLSTM(4, 5) },
			x: []int64{6, 4}, states: [][]int64{{1, 5}, {1, 5}}},
		{name: "lstm/unbatched/batch_first/bidirectional", py: "nn.LSTM(4, 5, batch_first=True, bidirectional=True)",
			build: func() any { return nn.NewLSTM(4, 5, nn.LSTMOpts{BatchFirst: true, Bidirectional: true}) },
			x:     []int64{6, 4}},
		{name: "lstm/dropout/train", py: "nn.LSTM(4, 5, num_layers=3, dropout=0.5)",
			build: func() any { return nn.NewLSTM(4, 5, nn.LSTMOpts{NumLayers: three, Dropout: 0.5}) },
			x:     []int64{6, 3, 4}, seed: 3},
		{name: "lstm/dropout/eval", py: "nn.LSTM(4, 5, num_layers=3, dropout=0.5)",
			build: func() any { return nn.NewLSTM(4, 5, nn.LSTMOpts{NumLayers: three, Dropout: 0.5}) },
			x:     []int64{6, 3, 4}, eval: true},
		{name: "gru", py: "nn.GRU(4, 5)", build: func() any { return nn.NewGRU(4, 5) }, x: []int64{6, 3, 4}},
		{name: "gru/2layers/bidirectional/batch_first/state",
			py:    "nn.GRU(4, 5, num_layers=2, batch_first=True, bidirectional=True)",
			build: func() any { return nn.NewGRU(4, 5, nn.GRUOpts{NumLayers: two, BatchFirst: true, Bidirectional: true}) },
			x:     []int64{3, 6, 4}, states: [][]int64{{4, 3, 5}}},
		{name: "gru/nobias/state", py: "nn.GRU(4, 5, bias=False)",
			build: func() any { return nn.NewGRU(4, 5, nn.GRUOpts{Bias: new(false)}) },
			x:     []int64{6, 3, 4}, states: [][]int64{{1, 3, 5}}},
		{name: "gru/unbatched/state", py: "nn.GRU(4, 5, num_layers=2)",
			build: func() any { return nn.NewGRU(4, 5, nn.GRUOpts{NumLayers: two}) },
			x:     []int64{6, 4}, states: [][]int64{{2, 5}}},
		{name: "gru/dropout/train", py: "nn.GRU(4, 5, num_layers=2, dropout=0.3, bidirectional=True)",
			build: func() any { return nn.NewGRU(4, 5, nn.GRUOpts{NumLayers: two, Dropout: 0.3, Bidirectional: true}) },
			x:     []int64{6, 3, 4}, seed: 8},
		{name: "rnn/2layers/state", py: "nn.RNN(4, 5, num_layers=2)",
			build: func() any { return nn.NewRNN(4, 5, nn.RNNOpts{NumLayers: two}) },
			x:     []int64{6, 3, 4}, states: [][]int64{{2, 3, 5}}},
		{name: "rnn/relu/bidirectional/nobias/batch_first",
			py: "nn.RNN(4, 5, nonlinearity='relu', bias=False, batch_first=True, bidirectional=True)",
			build: func() any {
				return nn.NewRNN(4, 5, nn.RNNOpts{Nonlinearity: new("relu"), Bias: new(false), BatchFirst: true, Bidirectional: true})
			},
			x: []int64{3, 6, 4}},
		{name: "rnn/relu/2layers/state", py: "nn.RNN(4, 5, num_layers=2, nonlinearity='relu')",
			build: func() any { return nn.NewRNN(4, 5, nn.RNNOpts{NumLayers: two, Nonlinearity: new("relu")}) },
			x:     []int64{6, 3, 4}, states: [][]int64{{2, 3, 5}}},
		{name: "rnn/unbatched", py: "nn.RNN(4, 5, bidirectional=True)",
			build: func() any { return nn.NewRNN(4, 5, nn.RNNOpts{Bidirectional: true}) },
			x:     []int64{6, 4}},
	})
}

func TestRNNCellsMatchPyTorch(t *testing.T) {
	rnnParity(t, []rnnCase{
		{name: "rnncell", py: "nn.RNNCell(4, 5)", build: func() any { return nn.NewRNNCell(4, 5) },
			x: []int64{3, 2, 4}},
		{name: "rnncell/state", py: "nn.RNNCell(4, 5)", build: func() any { return nn.NewRNNCell(4, 5) },
			x: []int64{3, 2, 4}, states: [][]int64{{2, 5}}},
		{name: "rnncell/relu/nobias/state", py: "nn.RNNCell(4, 5, bias=False, nonlinearity='relu')",
			build: func() any {
				return nn.NewRNNCell(4, 5, nn.RNNCellOpts{Bias: new(false), Nonlinearity: new("relu")})
			},
			x: []int64{3, 2, 4}, states: [][]int64{{2, 5}}},
		{name: "rnncell/unbatched/state", py: "nn.RNNCell(4, 5)", build: func() any { return nn.NewRNNCell(4, 5) },
			x: []int64{3, 4}, states: [][]int64{{5}}},
		{name: "lstmcell", py: "nn.LSTMCell(4, 5)", build: func() any { return nn.NewLSTMCell(4, 5) },
			x: []int64{3, 2, 4}},
		{name: "lstmcell/state", py: "nn.LSTMCell(4, 5)", build: func() any { return nn.NewLSTMCell(4, 5) },
			x: []int64{3, 2, 4}, states: [][]int64{{2, 5}, {2, 5}}},
		{name: "lstmcell/nobias/state", py: "nn.LSTMCell(4, 5, bias=False)",
			build: func() any { return nn.NewLSTMCell(4, 5, nn.LSTMCellOpts{Bias: new(false)}) },
			x:     []int64{3, 2, 4}, states: [][]int64{{2, 5}, {2, 5}}},
		{name: "lstmcell/unbatched", py: "nn.LSTMCell(4, 5)", build: func() any { return nn.NewLSTMCell(4, 5) },
			x: []int64{3, 4}},
		{name: "grucell", py: "nn.GRUCell(4, 5)", build: func() any { return nn.NewGRUCell(4, 5) },
			x: []int64{3, 2, 4}},
		{name: "grucell/nobias/state", py: "nn.GRUCell(4, 5, bias=False)",
			build: func() any { return nn.NewGRUCell(4, 5, nn.GRUCellOpts{Bias: new(false)}) },
			x:     []int64{3, 2, 4}, states: [][]int64{{2, 5}}},
		{name: "grucell/unbatched/state", py: "nn.GRUCell(4, 5)", build: func() any { return nn.NewGRUCell(4, 5) },
			x: []int64{3, 4}, states: [][]int64{{5}}},
	})
}

// rnnSeqModel is a model holding an LSTM beside other layers: its
// state_dict keys are "lstm.weight_ih_l0", ..., "head.weight".
type rnnSeqModel struct {
	LSTM *nn.LSTM
	Cell *nn.GRUCell
	Head *nn.Linear
}

func newRNNSeqModel() *rnnSeqModel {
	return &rnnSeqModel{
		LSTM: nn.NewLSTM(4, 6, nn.LSTMOpts{NumLayers: new(int64(2)), Bidirectional: true, ProjSize: 3, BatchFirst: true}),
		Cell: nn.NewGRUCell(6, 5),
		Head: nn.NewLinear(5, 2),
	}
}

func (m *rnnSeqModel) Forward(x *torch.Tensor) *torch.Tensor {
	out, _, _ := m.LSTM.Forward(x)
	return m.Head.Forward(m.Cell.Forward(out.Select(1, -1)))
}

// TestRNNStateDictBothWays checks that a state_dict Python saved
// (torch.save(model.state_dict())) loads into the Go model and gives
// Python's output, and that Python loads the one Go saved (nn.Save) and
// gives Go's output, for a bare LSTM and for a model holding one.
func TestRNNStateDictBothWays(t *testing.T) {
	torch.ManualSeed(99) // not Python's seed: the values must come from the files
	goLSTM := nn.NewLSTM(5, 8, nn.LSTMOpts{NumLayers: new(int64(2)), Bidirectional: true})
	goModel := newRNNSeqModel()
	goLSTMPath, goModelPath := tempPath(t, "go_lstm.pt"), tempPath(t, "go_model.pt")
	require.NoError(t, nn.Save(goLSTM, goLSTMPath))
	require.NoError(t, nn.Save(goModel, goModelPath))
	xl, xm := torch.Randn([]int64{7, 3, 5}), torch.Randn([]int64{2, 7, 4})
	dir := t.TempDir()
	pyLSTMPath, pyModelPath := dir+"/py_lstm.pt", dir+"/py_model.pt"
	out := dir + "/out.pt"
	pytorch.Run(t, `
import sys
nn = torch.nn
class SeqModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, num_layers=2, bidirectional=True, proj_size=3, batch_first=True)
        self.cell = nn.GRUCell(6, 5)
        self.head = nn.Linear(5, 2)
    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(self.cell(out[:, -1]))
def lstm():
    return nn.LSTM(5, 8, num_layers=2, bidirectional=True)
go_lstm, go_model, x, py_lstm_path, py_model_path, out = sys.argv[1:]
x = torch.load(x)
torch.manual_seed(5)
py_l, py_m = lstm(), SeqModel()
torch.save(py_l.state_dict(), py_lstm_path)
torch.save(py_m.state_dict(), py_model_path)
go_l, go_m = lstm(), SeqModel()
go_l.load_state_dict(torch.load(go_lstm))
go_m.load_state_dict(torch.load(go_model))
res = {}
with torch.no_grad():
    for name, l in (("py", py_l), ("go", go_l)):
        o, (h, c) = l(x["xl"])
        res[name + "_lstm_out"], res[name + "_lstm_h"], res[name + "_lstm_c"] = o, h, c
    res["py_model"], res["go_model"] = py_m(x["xm"]), go_m(x["xm"])
torch.save(res, out)
`, goLSTMPath, goModelPath, savePT(t, map[string]*torch.Tensor{"xl": xl, "xm": xm}), pyLSTMPath, pyModelPath, out)
	want := loadPT(t, out)

	check := func(who string, l *nn.LSTM, m *rnnSeqModel) {
		torch.NoGrad(func() {
			o, h, c := l.Forward(xl)
			requireClose(t, want[who+"_lstm_out"], o, 1e-5, who+" lstm out")
			requireClose(t, want[who+"_lstm_h"], h, 1e-5, who+" lstm h")
			requireClose(t, want[who+"_lstm_c"], c, 1e-5, who+" lstm c")
			requireClose(t, want[who+"_model"], m.Forward(xm), 1e-5, who+" model")
		})
	}
	check("go", goLSTM, goModel) // Python loaded Go's files

	pyLSTM := nn.NewLSTM(5, 8, nn.LSTMOpts{NumLayers: new(int64(2)), Bidirectional: true})
	pyModel := newRNNSeqModel()
	require.NoError(t, nn.Load(pyLSTM, pyLSTMPath))
	require.NoError(t, nn.Load(pyModel, pyModelPath))
	check("py", pyLSTM, pyModel) // Go loaded Python's files

	// The keys are PyTorch's, prefixed by the field's name.
	sd := nn.StateDict(goModel)
	assert.Contains(t, sd, "lstm.weight_hr_l1_reverse")
	assert.Contains(t, sd, "cell.bias_hh")
	assert.Len(t, sd, 2*2*5+4+2)

	// A wrong architecture is refused with PyTorch's message.
	err := nn.Load(nn.NewLSTM(5, 8), pyLSTMPath)
	var sdErr *nn.StateDictError
	require.ErrorAs(t, err, &sdErr)
	assert.Contains(t, sdErr.Unexpected, "weight_ih_l1_reverse")
}

// TestRNNErrorsMatchPyTorch checks the bad-argument errors whose message
// PyTorch 1.13 (the reference here) shares with PyTorch 2.x: the same
// exception class and the same message.
func TestRNNErrorsMatchPyTorch(t *testing.T) {
	x := torch.Randn([]int64{6, 3, 4})
	z := func(s ...int64) *torch.Tensor { return torch.Zeros(s) }
	cases := []struct {
		py  string // statements raising the error, with nn = torch.nn and z = torch.zeros
		go_ func()
	}{
		{"nn.LSTM(4, 5)(z(6, 3, 7))", func() { nn.NewLSTM(4, 5).Forward(z(6, 3, 7)) }},
		{"nn.LSTM(4, 5)(z(6, 3, 4), (z(1, 2, 5), z(1, 3, 5)))", func() { nn.NewLSTM(4, 5).Forward(x, z(1, 2, 5), z(1, 3, 5)) }},
		{"nn.LSTM(4, 5)(z(6, 3, 4), (z(1, 3, 5), z(2, 3, 5)))", func() { nn.NewLSTM(4, 5).Forward(x, z(1, 3, 5), z(2, 3, 5)) }},
		{"nn.LSTM(4, 5, proj_size=2)(z(6, 3, 4), (z(1, 3, 5), z(1, 3, 5)))", func() {
			nn.NewLSTM(4, 5, nn.LSTMOpts{ProjSize: 2}).Forward(x, z(1, 3, 5), z(1, 3, 5))
		}},
		{"nn.LSTM(4, 5, batch_first=True)(z(6, 3, 4), (z(1, 3, 5), z(1, 3, 5)))", func() {
			nn.NewLSTM(4, 5, nn.LSTMOpts{BatchFirst: true}).Forward(x, z(1, 3, 5), z(1, 3, 5))
		}},
		{"nn.LSTM(4, 5)(z(6, 3, 4), (z(3, 5), z(1, 3, 5)))", func() { nn.NewLSTM(4, 5).Forward(x, z(3, 5), z(1, 3, 5)) }},
		{"nn.LSTM(4, 5)(z(6, 4), (z(1, 5), z(1, 1, 5)))", func() { nn.NewLSTM(4, 5).Forward(z(6, 4), z(1, 5), z(1, 1, 5)) }},
		{"nn.GRU(4, 5, num_layers=2)(z(6, 3, 4), z(1, 3, 5))", func() {
			nn.NewGRU(4, 5, nn.GRUOpts{NumLayers: new(int64(2))}).Forward(x, z(1, 3, 5))
		}},
		{"nn.GRU(4, 5)(z(6, 3, 4), z(3, 5))", func() { nn.NewGRU(4, 5).Forward(x, z(3, 5)) }},
		{"nn.RNN(4, 5)(z(6, 4), z(1, 1, 5))", func() { nn.NewRNN(4, 5).Forward(z(6, 4), z(1, 1, 5)) }},
		{"nn.RNN(4, 5, bidirectional=True)(z(6, 3, 4), z(1, 3, 5))", func() {
			nn.NewRNN(4, 5, nn.RNNOpts{Bidirectional: true}).Forward(x, z(1, 3, 5))
		}},
		{"nn.RNN(4, 5)(z(6, 5))", func() { nn.NewRNN(4, 5).Forward(z(6, 5)) }},
		{"nn.LSTM(4, 5, dropout=1.5)", func() { nn.NewLSTM(4, 5, nn.LSTMOpts{Dropout: 1.5}) }},
		{"nn.GRU(4, 5, dropout=-0.1)", func() { nn.NewGRU(4, 5, nn.GRUOpts{Dropout: -0.1}) }},
		{"nn.LSTM(4, 5, proj_size=5)", func() { nn.NewLSTM(4, 5, nn.LSTMOpts{ProjSize: 5}) }},
		{"nn.LSTM(4, 5, proj_size=-1)", func() { nn.NewLSTM(4, 5, nn.LSTMOpts{ProjSize: -1}) }},
		{"nn.LSTM(-1, 5)", func() { nn.NewLSTM(-1, 5) }},
		{"nn.RNNCell(4, 5)(z(2, 7))", func() { nn.NewRNNCell(4, 5).Forward(z(2, 7)) }},
		{"nn.RNNCell(4, 5)(z(2, 4), z(3, 5))", func() { nn.NewRNNCell(4, 5).Forward(z(2, 4), z(3, 5)) }},
		{"nn.GRUCell(4, 5)(z(2, 4), z(2, 6))", func() { nn.NewGRUCell(4, 5).Forward(z(2, 4), z(2, 6)) }},
		{"nn.LSTMCell(4, 5)(z(2, 4), (z(2, 5), z(2, 6)))", func() { nn.NewLSTMCell(4, 5).Forward(z(2, 4), z(2, 5), z(2, 6)) }},
		{"nn.RNNCell(4, -2)", func() { nn.NewRNNCell(4, -2) }},
	}
	var scripts []string
	for _, c := range cases {
		scripts = append(scripts, c.py)
	}
	js, err := json.Marshal(scripts)
	require.NoError(t, err)
	var want []struct{ Kind, Msg string }
	pytorch.JSON(t, `
import sys, json
nn, z = torch.nn, torch.zeros
out = []
for s in json.loads(sys.argv[1]):
    try:
        exec(s)
        out.append({"Kind": "", "Msg": "no error"})
    except Exception as e:
        out.append({"Kind": type(e).__name__, "Msg": str(e).split("\nException raised from")[0]})
print(json.dumps(out))
`, &want, string(js))
	require.Len(t, want, len(cases))
	for i, c := range cases {
		err := torch.Catch(c.go_)
		var te *torch.Error
		require.ErrorAs(t, err, &te, c.py)
		assert.Equal(t, want[i].Msg, te.Msg, c.py)
		assert.Equal(t, want[i].Kind, te.Kind.String(), c.py)
	}
}

// TestRNNErrors covers the messages that PyTorch 2.x gives and 1.13 does
// not (1.13 lets the input through to a later, vaguer error), and the Go
// API's own misuse.
func TestRNNErrors(t *testing.T) {
	x := torch.Zeros([]int64{6, 3, 4})
	cases := []struct {
		name string
		f    func()
		kind torch.ErrorKind
		msg  string
	}{
		{"rnn 4-D", func() { nn.NewRNN(4, 5).Forward(torch.Zeros([]int64{1, 6, 3, 4})) }, torch.KindValue,
			"RNN: Expected input to be 2D or 3D, got 4D tensor instead"},
		{"lstm 1-D", func() { nn.NewLSTM(4, 5).Forward(torch.Zeros([]int64{4})) }, torch.KindValue,
			"LSTM: Expected input to be 2D or 3D, got 1D instead"},
		{"gru 4-D", func() { nn.NewGRU(4, 5).Forward(torch.Zeros([]int64{1, 6, 3, 4})) }, torch.KindValue,
			"GRU: Expected input to be 2D or 3D, got 4D instead"},
		{"dtype", func() { nn.NewLSTM(4, 5).Forward(torch.Zeros([]int64{6, 3, 4}, torch.WithDType(torch.Float64))) }, torch.KindValue,
			"input must have the type torch.float32, got type torch.float64"},
		{"hidden 0", func() { nn.NewLSTM(4, 0) }, torch.KindValue, "hidden_size must be greater than zero"},
		{"layers 0", func() { nn.NewGRU(4, 5, nn.GRUOpts{NumLayers: new(int64(0))}) }, torch.KindValue, "num_layers must be greater than zero"},
		{"nonlinearity", func() { nn.NewRNN(4, 5, nn.RNNOpts{Nonlinearity: new("gelu")}) }, torch.KindValue,
			"Unknown nonlinearity 'gelu'. Select from 'tanh' or 'relu'."},
		{"cell nonlinearity", func() { nn.NewRNNCell(4, 5, nn.RNNCellOpts{Nonlinearity: new("gelu")}) }, torch.KindValue,
			"Unknown nonlinearity: gelu"},
		{"cell 3-D", func() { nn.NewGRUCell(4, 5).Forward(x) }, torch.KindValue,
			"GRUCell: Expected input to be 1D or 2D, got 3D instead"},
		{"cell hidden 3-D", func() { nn.NewRNNCell(4, 5).Forward(torch.Zeros([]int64{3, 4}), x) }, torch.KindValue,
			"RNNCell: Expected hidden to be 1D or 2D, got 3D instead"},
		{"lstmcell hx[1] 3-D", func() { nn.NewLSTMCell(4, 5).Forward(torch.Zeros([]int64{3, 4}), torch.Zeros([]int64{3, 5}), x) }, torch.KindValue,
			"LSTMCell: Expected hx[1] to be 1D or 2D, got 3D instead"},
		{"lstm one state", func() { nn.NewLSTM(4, 5).Forward(x, torch.Zeros([]int64{1, 3, 5})) }, torch.KindType,
			"LSTM.forward takes the initial state as two tensors (h_0, c_0), got 1"},
		{"gru two states", func() { nn.NewGRU(4, 5).Forward(x, x, x) }, torch.KindType,
			"GRU.forward takes one initial state hx, got 2 tensors"},
		{"lstmcell one state", func() { nn.NewLSTMCell(4, 5).Forward(torch.Zeros([]int64{3, 4}), torch.Zeros([]int64{3, 5}), nil) },
			torch.KindType, "LSTMCell.forward takes the initial state as two tensors (h_0, c_0), got 1"},
	}
	for _, c := range cases {
		err := torch.Catch(c.f)
		var te *torch.Error
		require.True(t, errors.As(err, &te), c.name)
		assert.Equal(t, c.msg, te.Msg, c.name)
		assert.Equal(t, c.kind, te.Kind, c.name)
	}
}

func TestRNNAPI(t *testing.T) {
	l := nn.NewLSTM(3, 4, nn.LSTMOpts{NumLayers: new(int64(2)), Bidirectional: true, ProjSize: 2, Dropout: 0.5, BatchFirst: true})
	assert.Equal(t, int64(3), l.InputSize())
	assert.Equal(t, int64(4), l.HiddenSize())
	assert.Equal(t, int64(2), l.NumLayers())
	assert.Equal(t, int64(2), l.ProjSize())
	assert.True(t, l.Bias())
	assert.True(t, l.BatchFirst())
	assert.True(t, l.Bidirectional())
	assert.Equal(t, 0.5, l.Dropout())
	assert.Equal(t, "LSTM(3, 4, proj_size=2, num_layers=2, batch_first=True, dropout=0.5, bidirectional=True)", l.String())

	all := l.AllWeights()
	require.Len(t, all, 4) // 2 layers × 2 directions
	named := l.NamedTensors()
	require.Len(t, named, 20)
	assert.Equal(t, "weight_hr_l0_reverse", named[9].Name)
	assert.Same(t, named[9].Tensor, all[1][4])
	assert.Same(t, named[9].Tensor, l.Parameter("weight_hr_l0_reverse"))
	assert.Nil(t, l.Parameter("weight_hr_l2"))
	flat := l.FlatWeights()
	require.Len(t, flat, 20)
	assert.Same(t, named[19].Tensor, flat[19])
	assert.Equal(t, torch.Size{16, 4}, l.Parameter("weight_ih_l1").Shape()) // 2 directions × proj_size 2
	assert.Equal(t, nn.Parameters(l), flat)
	assert.Equal(t, int64(nn.NumParameters(l)), func() int64 {
		var n int64
		for _, w := range flat {
			n += w.Numel()
		}
		return n
	}())

	// Train and Eval reach the layers, also inside a model.
	m := newRNNSeqModel()
	assert.True(t, m.LSTM.IsTraining())
	nn.Eval(m)
	assert.False(t, m.LSTM.IsTraining())
	nn.Train(m)
	assert.True(t, m.LSTM.IsTraining())

	// Dropout between the layers applies while training only.
	g := nn.NewGRU(3, 8, nn.GRUOpts{NumLayers: new(int64(2)), Dropout: 0.5})
	x := torch.Randn([]int64{5, 2, 3})
	torch.NoGrad(func() {
		a, _ := g.Forward(x)
		b, _ := g.Forward(x)
		assert.False(t, a.Equal(b), "training: different dropout masks")
		nn.Eval(g)
		a, _ = g.Forward(x)
		b, _ = g.Forward(x)
		assert.True(t, a.Equal(b), "evaluation: no dropout")
	})

	r := nn.NewRNN(3, 4, nn.RNNOpts{Nonlinearity: new("relu")})
	assert.Equal(t, "relu", r.Nonlinearity())
	assert.Equal(t, "RNN(3, 4)", r.String()) // PyTorch's repr leaves the nonlinearity out
	out, h := r.Forward(torch.Randn([]int64{5, 3}), nil)
	assert.Equal(t, torch.Size{5, 4}, out.Shape())
	assert.Equal(t, torch.Size{1, 4}, h.Shape())

	c := nn.NewLSTMCell(3, 4, nn.LSTMCellOpts{Bias: new(false)})
	assert.Equal(t, int64(3), c.InputSize())
	assert.Equal(t, int64(4), c.HiddenSize())
	assert.False(t, c.Bias())
	assert.Nil(t, c.BiasIh)
	assert.Len(t, nn.Parameters(c), 2)
	h1, c1 := c.Forward(torch.Randn([]int64{3}))
	assert.Equal(t, torch.Size{4}, h1.Shape())
	assert.Equal(t, torch.Size{4}, c1.Shape())
	assert.Equal(t, "relu", nn.NewRNNCell(2, 2, nn.RNNCellOpts{Nonlinearity: new("relu")}).Nonlinearity())
}

// An LSTM over a batch of sequences, batch first, and its final state.
func ExampleLSTM() {
	lstm := nn.NewLSTM(10, 20, nn.LSTMOpts{NumLayers: new(int64(2)), BatchFirst: true})
	x := torch.Randn([]int64{3, 5, 10}) // 3 sequences of 5 steps of 10 features
	out, h, c := lstm.Forward(x)        // from a zero state; Forward(x, h0, c0) otherwise
	fmt.Println(lstm)
	fmt.Println(out.Shape(), h.Shape(), c.Shape())
	for _, p := range nn.NamedParameters(lstm)[:4] {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	// Output:
	// LSTM(10, 20, num_layers=2, batch_first=True)
	// torch.Size([3, 5, 20]) torch.Size([2, 3, 20]) torch.Size([2, 3, 20])
	// weight_ih_l0 torch.Size([80, 10])
	// weight_hh_l0 torch.Size([80, 20])
	// bias_ih_l0 torch.Size([80])
	// bias_hh_l0 torch.Size([80])
}

package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// tagger is a sequence tagger with the two kinds of state a plain MLP lacks:
// BatchNorm's buffers and LSTM's flat parameter names.
type tagger struct {
	Embed *nn.Embedding
	Norm  *nn.BatchNorm1d
	LSTM  *nn.LSTM `nn:"lstm"`
	Head  *nn.Linear
}

func newTagger() *tagger {
	return &tagger{
		Embed: nn.NewEmbedding(20, 6, nn.EmbeddingOpts{PaddingIdx: new(int64(0))}),
		Norm:  nn.NewBatchNorm1d(6),
		LSTM:  nn.NewLSTM(6, 5, nn.LSTMOpts{NumLayers: new(int64(2)), BatchFirst: true, Bidirectional: true}),
		Head:  nn.NewLinear(10, 3),
	}
}

// Forward: [N, L] token ids to [N, L, 3] scores.
func (m *tagger) Forward(ids *torch.Tensor) *torch.Tensor {
	x := m.Embed.Forward(ids)                             // [N, L, 6]
	x = m.Norm.Forward(x.Transpose(1, 2)).Transpose(1, 2) // BatchNorm1d over the channels
	out, _, _ := m.LSTM.Forward(x)                        // [N, L, 10]
	return m.Head.Forward(out)                            // [N, L, 3]
}

const taggerPy = `
import sys
class Tagger(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(20, 6, padding_idx=0)
        self.norm = torch.nn.BatchNorm1d(6)
        self.lstm = torch.nn.LSTM(6, 5, num_layers=2, batch_first=True, bidirectional=True)
        self.head = torch.nn.Linear(10, 3)
    def forward(self, ids):
        x = self.embed(ids)
        x = self.norm(x.transpose(1, 2)).transpose(1, 2)
        out, _ = self.lstm(x)
        return self.head(out)
def step(m, ids, opt):
    m.train()
    opt.zero_grad()
    m(ids).square().mean().backward()
    opt.step()
`

// TestStateDictBatchNormLSTMBothWays: a model with BatchNorm and LSTM trains
// a step in Python and its state_dict (running statistics and
// num_batches_tracked included) loads into Go strictly and gives Python's
// outputs in eval mode; Go then trains two steps with the same SGD and
// saves, and Python loads that file strictly into a fresh model, in
// PyTorch's key order, and gives Go's outputs.
func TestStateDictBatchNormLSTMBothWays(t *testing.T) {
	ids := torch.RandintLow(0, 20, []int64{4, 7})
	in := savePT(t, map[string]*torch.Tensor{"ids": ids})
	pyFile, outFile := tempPath(t, "py.pt"), tempPath(t, "out.pt")
	pytorch.Run(t, taggerPy+`
d = torch.load(sys.argv[1])
torch.manual_seed(5)
m = Tagger()
step(m, d["ids"], torch.optim.SGD(m.parameters(), lr=0.1))
torch.save(m.state_dict(), sys.argv[2])
m.eval()
torch.save({"y": m(d["ids"]).detach(), "keys": torch.tensor([len(m.state_dict())])}, sys.argv[3])
`, in, pyFile, outFile)

	m := newTagger()
	require.NoError(t, nn.Load(m, pyFile))
	assert.Equal(t, int64(1), m.Norm.NumBatchesTracked.ItemInt())
	nn.Eval(m)
	want := loadPT(t, outFile)
	requireClose(t, want["y"], m.Forward(ids), 1e-5, "eval output of Python's weights")
	assert.Equal(t, want["keys"].ItemInt(), int64(len(nn.StateDictKeys(m))))

	nn.Train(m)
	opt, err := optim.NewSGD(nn.Parameters(m), optim.SGDOptions{LR: 0.1})
	require.NoError(t, err)
	for range 2 {
		opt.ZeroGrad()
		m.Forward(ids).Square().Mean().Backward()
		opt.Step()
	}
	assert.Equal(t, int64(3), m.Norm.NumBatchesTracked.ItemInt())
	goFile := tempPath(t, "go.pt")
	require.NoError(t, nn.Save(m, goFile))
	nn.Eval(m)
	got := m.Forward(ids)

	var keys struct{ Keys []string }
	back := tempPath(t, "back.pt")
	pytorch.JSON(t, taggerPy+`
import json
d = torch.load(sys.argv[1])
sd = torch.load(sys.argv[2])
m = Tagger()
m.load_state_dict(sd)
m.eval()
torch.save({"y": m(d["ids"]).detach()}, sys.argv[3])
assert list(sd.keys()) == list(m.state_dict().keys())
print(json.dumps({"Keys": list(sd.keys())}))
`, &keys, in, goFile, back)
	requireClose(t, loadPT(t, back)["y"], got, 1e-5, "Python's eval output of Go's weights")
	assert.Equal(t, keys.Keys, nn.StateDictKeys(m))
	assert.Contains(t, keys.Keys, "norm.num_batches_tracked")
	assert.Contains(t, keys.Keys, "lstm.weight_hh_l1_reverse")
}

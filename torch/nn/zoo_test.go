package nn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// zoo holds one of every nn module that has parameters or buffers, under
// the attribute names of the Python Zoo below.
type zoo struct {
	Conv1   *nn.Conv1d
	Conv2   *nn.Conv2d
	Conv3   *nn.Conv3d
	Deconv1 *nn.ConvTranspose1d
	Deconv2 *nn.ConvTranspose2d
	BN1     *nn.BatchNorm1d    `nn:"bn1"`
	BN2     *nn.BatchNorm2d    `nn:"bn2"`
	IN2     *nn.InstanceNorm2d `nn:"in2"`
	GN      *nn.GroupNorm      `nn:"gn"`
	LN      *nn.LayerNorm      `nn:"ln"`
	Emb     *nn.Embedding
	RNN     *nn.RNN  `nn:"rnn"`
	LSTM    *nn.LSTM `nn:"lstm"`
	GRU     *nn.GRU  `nn:"gru"`
	Cells   nn.ModuleList
	MHA     *nn.MultiheadAttention `nn:"mha"`
	Encoder *nn.TransformerEncoder
	PReLU   *nn.PReLU `nn:"prelu"`
	Head    nn.Sequential
}

func newZoo() *zoo {
	return &zoo{
		Conv1:   nn.NewConv1d(2, 3, []int64{3}),
		Conv2:   nn.NewConv2d(2, 4, []int64{3}, nn.Conv2dOpts{Groups: new(int64(2))}),
		Conv3:   nn.NewConv3d(1, 2, []int64{2}, nn.Conv3dOpts{Bias: new(false)}),
		Deconv1: nn.NewConvTranspose1d(3, 2, []int64{2}),
		Deconv2: nn.NewConvTranspose2d(2, 2, []int64{3}, nn.ConvTranspose2dOpts{Stride: []int64{2}}),
		BN1:     nn.NewBatchNorm1d(3),
		BN2:     nn.NewBatchNorm2d(4, nn.BatchNormOpts{Affine: new(false)}),
		IN2:     nn.NewInstanceNorm2d(3, nn.InstanceNormOpts{Affine: true, TrackRunningStats: true}),
		GN:      nn.NewGroupNorm(2, 4),
		LN:      nn.NewLayerNorm([]int64{5}),
		Emb:     nn.NewEmbedding(7, 3, nn.EmbeddingOpts{PaddingIdx: new(int64(1))}),
		RNN:     nn.NewRNN(3, 2, nn.RNNOpts{Nonlinearity: new("relu")}),
		LSTM:    nn.NewLSTM(3, 4, nn.LSTMOpts{NumLayers: new(int64(2)), Bidirectional: true, ProjSize: 2}),
		GRU:     nn.NewGRU(3, 2, nn.GRUOpts{Bias: new(false)}),
		Cells:   nn.NewModuleList(nn.NewRNNCell(3, 2), nn.NewLSTMCell(3, 2), nn.NewGRUCell(3, 2)),
		MHA:     nn.NewMultiheadAttention(4, 2, nn.MultiheadAttentionOpts{KDim: 3, VDim: 5, AddBiasKV: true}),
		Encoder: nn.NewTransformerEncoder(nn.NewTransformerEncoderLayer(4, 2, nn.TransformerEncoderLayerOpts{DimFeedforward: new(int64(8))}), 2),
		PReLU:   nn.NewPReLU(nn.PReLUOpts{NumParameters: new(int64(3))}),
		Head:    nn.NewSequential(nn.NewLinear(4, 3), nn.NewReLU(), nn.NewLinearNoBias(3, 2)),
	}
}

const zooPy = `
import sys, json
nn = torch.nn
class Zoo(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(2, 3, 3)
        self.conv2 = nn.Conv2d(2, 4, 3, groups=2)
        self.conv3 = nn.Conv3d(1, 2, 2, bias=False)
        self.deconv1 = nn.ConvTranspose1d(3, 2, 2)
        self.deconv2 = nn.ConvTranspose2d(2, 2, 3, stride=2)
        self.bn1 = nn.BatchNorm1d(3)
        self.bn2 = nn.BatchNorm2d(4, affine=False)
        self.in2 = nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
        self.gn = nn.GroupNorm(2, 4)
        self.ln = nn.LayerNorm(5)
        self.emb = nn.Embedding(7, 3, padding_idx=1)
        self.rnn = nn.RNN(3, 2, nonlinearity="relu")
        self.lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
        self.gru = nn.GRU(3, 2, bias=False)
        self.cells = nn.ModuleList([nn.RNNCell(3, 2), nn.LSTMCell(3, 2), nn.GRUCell(3, 2)])
        self.mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, dim_feedforward=8), 2, enable_nested_tensor=False)
        self.prelu = nn.PReLU(3)
        self.head = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2, bias=False))
`

// TestEveryModuleStateDictBothWays: one model holding every module with
// state (parameters or buffers) has PyTorch's state_dict keys in PyTorch's
// order; Python's state_dict, every tensor redrawn, loads strictly into Go
// with the values intact, and what Go saves after changing every tensor
// loads strictly into Python with Go's values.
func TestEveryModuleStateDictBothWays(t *testing.T) {
	pyFile := tempPath(t, "py.pt")
	var want struct{ Keys []string }
	pytorch.JSON(t, zooPy+`
m = Zoo()
torch.manual_seed(11)
with torch.no_grad():
    for k, v in m.state_dict().items():
        if v.is_floating_point():
            v.copy_(torch.randn_like(v))
        else:
            v.fill_(17)
sd = m.state_dict()
torch.save(sd, sys.argv[1])
print(json.dumps({"Keys": list(sd.keys())}))
`, &want, pyFile)

	m := newZoo()
	assert.Equal(t, want.Keys, nn.StateDictKeys(m))
	require.NoError(t, nn.Load(m, pyFile))
	py := loadPT(t, pyFile)
	got := nn.StateDict(m)
	for _, k := range want.Keys {
		requireBitEqualAny(t, py[k], got[k], k)
	}

	torch.NoGrad(func() {
		for _, v := range got {
			if v.DType().IsFloatingPoint() {
				v.Mul_(torch.FullLike(v, torch.Float(-2)))
			} else {
				v.FillScalar_(torch.Int(5))
			}
		}
	})
	goFile, back := tempPath(t, "go.pt"), tempPath(t, "back.pt")
	require.NoError(t, nn.Save(m, goFile))
	pytorch.Run(t, zooPy+`
m = Zoo()
sd = torch.load(sys.argv[1])
assert list(sd.keys()) == list(m.state_dict().keys())
m.load_state_dict(sd)
torch.save(m.state_dict(), sys.argv[2])
`, goFile, back)
	again := loadPT(t, back)
	for _, k := range want.Keys {
		requireBitEqualAny(t, got[k], again[k], k)
	}
}

// requireBitEqualAny compares two tensors of any dtype exactly.
func requireBitEqualAny(t *testing.T, want, got *torch.Tensor, name string) {
	t.Helper()
	require.NotNil(t, got, name)
	require.Equal(t, want.Shape(), got.Shape(), name)
	require.Equal(t, want.DType(), got.DType(), name)
	require.True(t, want.Equal(got), "%s differs", name)
}

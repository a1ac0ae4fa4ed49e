package optim_test

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// net is a small classifier with a layer that never gets a gradient, which
// an optimizer must leave alone (and hold no state for).
type net struct {
	Layer1 *nn.Linear
	ReLU   *nn.ReLU
	Layer2 *nn.Linear
	Unused *nn.Linear
}

func newNet() *net {
	return &net{nn.NewLinear(10, 16), nn.NewReLU(), nn.NewLinear(16, 4), nn.NewLinear(3, 3)}
}

func (m *net) Forward(x *torch.Tensor) *torch.Tensor {
	return m.Layer2.Forward(m.ReLU.Forward(m.Layer1.Forward(x)))
}

// layer returns the parameters of the named layer, in PyTorch's order.
func (m *net) layer(name string) []*torch.Tensor {
	switch name {
	case "layer1":
		return []*torch.Tensor{m.Layer1.Weight, m.Layer1.Bias}
	case "layer2":
		return []*torch.Tensor{m.Layer2.Weight, m.Layer2.Bias}
	case "unused":
		return []*torch.Tensor{m.Unused.Weight, m.Unused.Bias}
	}
	panic("no layer " + name)
}

// pyPrelude defines the same network in Python, the helpers that build an
// optimizer from a JSON config, and to_flat/from_flat, the conversions
// between optimizer.state_dict() and optim.Save's flat file documented on
// optim.StateDict.
const pyPrelude = `
import sys, json
TORCH_MAJOR = int(torch.__version__.split(".")[0])

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = torch.nn.Linear(10, 16)
        self.relu = torch.nn.ReLU()
        self.layer2 = torch.nn.Linear(16, 4)
        self.unused = torch.nn.Linear(3, 3)
    def forward(self, x):
        return self.layer2(self.relu(self.layer1(x)))

def kwargs(kw):
    kw = dict(kw)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    return kw

def make_optimizer(model, c):
    if c.get("groups"):
        named = list(model.named_parameters())
        params = [dict(params=[p for n, p in named if n.split(".")[0] in g["layers"]], **kwargs(g["kwargs"] or {}))
                  for g in c["groups"]]
    else:
        params = model.parameters()
    return getattr(torch.optim, c["class"])(params, **kwargs(c["kwargs"] or {}))

def step(model, opt, d, i):
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(d["x%d" % i]), d["y%d" % i])
    loss.backward()
    opt.step()
    return loss.item()

def from_flat(flat, opt):
    state, groups = {}, {}
    for k, v in flat.items():
        kind, i, name = k.split(".", 2)
        if kind == "state":
            state.setdefault(int(i), {})[name] = int(v) if v.dtype == torch.int64 else v
        elif name == "params":
            groups.setdefault(int(i), {})[name] = v.tolist()
        else:
            groups.setdefault(int(i), {})[name] = (tuple(v.tolist()) if name == "betas"
                else bool(v) if v.dtype == torch.bool else float(v))
    cur = opt.state_dict()["param_groups"]
    return {"state": state, "param_groups": [{**cur[i], **groups[i]} for i in sorted(groups)]}

def to_flat(sd):
    flat = {}
    for i, s in sd["state"].items():
        for name, v in s.items():
            if v is not None:
                flat[f"state.{i}.{name}"] = v if torch.is_tensor(v) else torch.tensor(v)
    for g, group in enumerate(sd["param_groups"]):
        for key, v in group.items():
            if key == "params":
                flat[f"param_groups.{g}.params"] = torch.tensor(v, dtype=torch.int64)
            elif isinstance(v, bool):
                flat[f"param_groups.{g}.{key}"] = torch.tensor(v)
            elif isinstance(v, (int, float)) or key == "betas":
                flat[f"param_groups.{g}.{key}"] = torch.tensor(v, dtype=torch.float64)
    return flat
`

// group is one parameter group of a config: layers of net and the keyword
// arguments of its dict.
type group struct {
	Layers []string       `json:"layers"`
	Kwargs map[string]any `json:"kwargs"`
}

// config is one optimizer set-up, built the same way on both sides.
type config struct {
	Name     string         `json:"name"`
	Class    string         `json:"class"`     // torch.optim's class name
	Kwargs   map[string]any `json:"kwargs"`    // Python's keyword arguments
	Groups   []group        `json:"groups"`    // parameter groups; nil: model.parameters()
	NewLR    float64        `json:"new_lr"`    // when not 0, every group's learning rate from step 10 on
	MinTorch int            `json:"min_torch"` // 2: options PyTorch 1.13 lacks
	make     func(m *net) (optim.Optimizer, error)
}

// skip reports whether the linked libtorch is older than c needs.
func (c config) skip() bool { return c.MinTorch >= 2 && !strings.HasPrefix(torch.Version(), "2") }

// batches makes the inputs and labels of n steps.
func batches(n int) map[string]*torch.Tensor {
	data := map[string]*torch.Tensor{}
	for i := range n {
		data[fmt.Sprintf("x%d", i)] = torch.Randn([]int64{8, 10})
		data[fmt.Sprintf("y%d", i)] = torch.RandInt(0, 4, []int64{8})
	}
	return data
}

// trainStep is make_optimizer's step in Python: zero_grad, loss, backward,
// step. It returns the loss.
func trainStep(m *net, opt optim.Optimizer, data map[string]*torch.Tensor, i int) float64 {
	opt.ZeroGrad()
	loss := nn.NewCrossEntropyLoss().Forward(m.Forward(data[fmt.Sprintf("x%d", i)]), data[fmt.Sprintf("y%d", i)])
	loss.Backward()
	opt.Step()
	return loss.Item()
}

// compareParams checks m's parameters against want[prefix+name] to tol and
// returns the largest difference and whether all are bit for bit equal.
func compareParams(t *testing.T, m *net, want map[string]*torch.Tensor, prefix string, tol float64) (worst float64, bitEqual bool) {
	t.Helper()
	bitEqual = true
	for _, p := range nn.NamedParameters(m) {
		w := want[prefix+p.Name]
		require.NotNil(t, w, "Python wrote no %s%s", prefix, p.Name)
		wv, gv := w.Float32s(), p.Tensor.Float32s()
		require.Len(t, gv, len(wv), p.Name)
		for i := range wv {
			d := math.Abs(float64(wv[i]) - float64(gv[i]))
			require.LessOrEqual(t, d, tol, "%s%s[%d]: PyTorch %v, Go %v", prefix, p.Name, i, wv[i], gv[i])
			worst = max(worst, d)
			if math.Float32bits(wv[i]) != math.Float32bits(gv[i]) {
				bitEqual = false
			}
		}
	}
	return worst, bitEqual
}

// tempFiles returns n paths in the test's temporary folder.
func tempFiles(t *testing.T, names ...string) []string {
	dir := t.TempDir()
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = filepath.Join(dir, n)
	}
	return out
}

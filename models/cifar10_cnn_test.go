package models_test

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// cnnTol is how close Go's and Python's CIFAR10CNN figures must be: the
// same float32 kernels, summed in a different order by a different number
// of threads (Python runs on one).
const cnnTol = 1e-5

// cnnKeys are the tutorial's Net's state_dict keys, in its order.
var cnnKeys = []string{
	"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
	"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias",
}

// TestCIFAR10CNNMatchesTutorial builds the CNN after the same seeds in Go
// and in Python (tutorial.py's CIFAR10CNN, the tutorial's Net) and compares
// print(net), the state_dict's keys in order and its initial weights bit for
// bit; then, on a random batch, the output, the cross-entropy loss and the
// gradients of every parameter and of the input to cnnTol; and the error a
// wrongly shaped input gives (PyTorch's message, in the same words).
func TestCIFAR10CNNMatchesTutorial(t *testing.T) {
	seeds := []uint64{0, 7, 2024}
	dir := t.TempDir()
	type goRun struct {
		model  *models.CIFAR10CNN
		x      *torch.Tensor
		out    *torch.Tensor
		loss   *torch.Tensor
		inputs string
	}
	var runs []goRun
	var args []string
	for i, seed := range seeds {
		torch.ManualSeed(seed)
		m := models.NewCIFAR10CNN()
		x := torch.Randn([]int64{5, 3, 32, 32}, torch.WithRequiresGrad())
		y := torch.RandInt(0, 10, []int64{5})
		inputs := filepath.Join(dir, fmt.Sprintf("in%d.pt", i))
		require.NoError(t, torch.Save(map[string]*torch.Tensor{"x": x.Detach(), "y": y}, inputs))
		out := m.Forward(x)
		loss := nn.NewCrossEntropyLoss().Forward(out, y)
		loss.Backward()
		runs = append(runs, goRun{m, x, out, loss, inputs})
		args = append(args, fmt.Sprint(seed), inputs, filepath.Join(dir, fmt.Sprintf("out%d.pt", i)))
	}
	stdout := pytorch.Run(t, `import json, sys
from tutorial import CIFAR10CNN
res = {}
a = sys.argv[1:]
for i in range(0, len(a), 3):
    seed, inputs, out = int(a[i]), a[i + 1], a[i + 2]
    torch.manual_seed(seed)
    net = CIFAR10CNN()
    d = torch.load(inputs)
    x = d["x"].clone().requires_grad_(True)
    y = d["y"]
    o = net(x)
    loss = torch.nn.CrossEntropyLoss()(o, y)
    loss.backward()
    save = {"init." + k: v.clone() for k, v in net.state_dict().items()}
    save.update({"grad." + k: p.grad for k, p in net.named_parameters()})
    save.update({"output": o.detach(), "loss": loss.detach(), "x.grad": x.grad})
    torch.save(save, out)
    res["keys"] = list(net.state_dict().keys())
    res["repr"] = repr(net)
try:
    net(torch.zeros(2, 1, 32, 32))
except RuntimeError as e:
    res["channels"] = str(e)
try:
    net(torch.zeros(2, 3, 28, 28))
except RuntimeError as e:
    res["size"] = str(e)
print(json.dumps(res))
`, args...)
	var py struct {
		Keys     []string
		Repr     string
		Channels string
		Size     string
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &py), stdout)

	for i, seed := range seeds {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			r := runs[i]
			want, err := torch.Load(args[3*i+2])
			require.NoError(t, err)
			assert.Equal(t, py.Keys, nn.StateDictKeys(r.model), "state_dict keys and their order")
			assert.Equal(t, py.Repr, nn.Describe(r.model), "print(net)")
			got := nn.StateDict(r.model)
			require.Len(t, got, len(cnnKeys))
			for _, k := range cnnKeys {
				requireBitEqual(t, want["init."+k], got[k], "initial "+k)
			}
			requireCloseTol(t, want["output"], r.out, cnnTol, "output")
			requireCloseTol(t, want["loss"], r.loss, cnnTol, "loss")
			requireCloseTol(t, want["x.grad"], r.x.Grad(), cnnTol, "x.grad")
			for _, p := range nn.NamedParameters(r.model) {
				requireCloseTol(t, want["grad."+p.Name], p.Tensor.Grad(), cnnTol, p.Name+".grad")
			}
		})
	}

	t.Run("wrong input", func(t *testing.T) {
		m := runs[0].model
		err := torch.Catch(func() { m.Forward(torch.Zeros([]int64{2, 1, 32, 32})) })
		require.Error(t, err, "one channel instead of three")
		assert.Contains(t, err.Error(), py.Channels)
		err = torch.Catch(func() { m.Forward(torch.Zeros([]int64{2, 3, 28, 28})) })
		require.Error(t, err, "28×28 images flatten to 256 features, not fc1's 400")
		assert.Contains(t, err.Error(), py.Size)
	})
}

// TestCIFAR10CNNTrainsLikeTutorial runs the tutorial's training steps
// (CrossEntropyLoss, SGD(lr=0.001, momentum=0.9), batches of 4) in Go and in
// Python from the same weights on the same batches. Python starts from the
// weights Go wrote with nn.Save; Go loads the weights Python trained
// (torch.save(net.state_dict())) with nn.Load: they equal Go's own to
// cnnTol, as does every step's loss. Python also loads the weights Go
// trained and scores a test batch as Go does.
func TestCIFAR10CNNTrainsLikeTutorial(t *testing.T) {
	const steps = 20
	torch.ManualSeed(11)
	m := models.NewCIFAR10CNN()
	dir := t.TempDir()
	initial, batches, goTrained := filepath.Join(dir, "init.pt"), filepath.Join(dir, "batches.pt"), filepath.Join(dir, "go.pt")
	pyTrained, pyOut := filepath.Join(dir, "py.pt"), filepath.Join(dir, "out.pt")
	require.NoError(t, nn.Save(m, initial))

	data := map[string]*torch.Tensor{"test": torch.Randn([]int64{6, 3, 32, 32})}
	for i := range steps {
		// Inputs scaled up so that the steps of lr 0.001 move every weight
		// tensor by well over cnnTol (checked below).
		data[fmt.Sprintf("x%d", i)] = torch.Randn([]int64{4, 3, 32, 32}).MulScalar(torch.Float(3))
		data[fmt.Sprintf("y%d", i)] = torch.RandInt(0, 10, []int64{4})
	}
	require.NoError(t, torch.Save(data, batches))

	optimizer, err := optim.NewSGD(nn.Parameters(m), optim.SGDOptions{LR: 0.001, Momentum: 0.9})
	require.NoError(t, err)
	criterion := nn.NewCrossEntropyLoss()
	losses := make([]float64, steps)
	for i := range steps {
		optimizer.ZeroGrad()
		loss := criterion.Forward(m.Forward(data[fmt.Sprintf("x%d", i)]), data[fmt.Sprintf("y%d", i)])
		loss.Backward()
		optimizer.Step()
		losses[i] = loss.Item()
	}
	require.NoError(t, nn.Save(m, goTrained))

	stdout := pytorch.Run(t, `import json, sys
from tutorial import CIFAR10CNN
init, batches, go_trained, py_trained, out, steps = sys.argv[1:7]
net = CIFAR10CNN()
net.load_state_dict(torch.load(init))
d = torch.load(batches)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
losses = []
for i in range(int(steps)):
    optimizer.zero_grad()
    loss = criterion(net(d[f"x{i}"]), d[f"y{i}"])
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
torch.save(net.state_dict(), py_trained)
from_go = CIFAR10CNN()
from_go.load_state_dict(torch.load(go_trained))
with torch.no_grad():
    torch.save({"py": net(d["test"]), "go": from_go(d["test"])}, out)
print(json.dumps(losses))
`, initial, batches, goTrained, pyTrained, pyOut, fmt.Sprint(steps))
	var pyLosses []float64
	require.NoError(t, json.Unmarshal([]byte(stdout), &pyLosses), stdout)
	require.Len(t, pyLosses, steps)
	for i := range steps {
		assert.InDelta(t, pyLosses[i], losses[i], cnnTol, "loss of step %d", i+1)
	}

	fromPython := models.NewCIFAR10CNN()
	require.NoError(t, nn.Load(fromPython, pyTrained))
	start := models.NewCIFAR10CNN()
	require.NoError(t, nn.Load(start, initial))
	want, got, init := nn.StateDict(fromPython), nn.StateDict(m), nn.StateDict(start)
	for _, k := range cnnKeys {
		requireCloseTol(t, want[k], got[k], cnnTol, "trained "+k)
		moved := got[k].Sub(init[k]).Abs().Max().Item()
		assert.Greater(t, moved, 50*cnnTol, "%s moved by training", k)
	}

	outs, err := torch.Load(pyOut)
	require.NoError(t, err)
	var test *torch.Tensor
	torch.NoGrad(func() { test = m.Forward(data["test"]) })
	requireCloseTol(t, outs["go"], test, cnnTol, "Go's trained weights in Python")
	requireCloseTol(t, outs["py"], fromPython.Forward(data["test"]), cnnTol, "Python's trained weights in Go")
}

// TestCIFAR10CNNShapes checks the parameter counts per layer and the
// output shape for batches of several sizes, and that Forward leaves its
// input alone.
func TestCIFAR10CNNShapes(t *testing.T) {
	m := models.NewCIFAR10CNN()
	assert.Equal(t, []nn.ParameterCount{
		{Layer: "conv1", Count: 3*6*5*5 + 6}, {Layer: "conv2", Count: 6*16*5*5 + 16},
		{Layer: "fc1", Count: 400*120 + 120}, {Layer: "fc2", Count: 120*84 + 84}, {Layer: "fc3", Count: 84*10 + 10},
	}, nn.ParameterCounts(m))
	assert.Equal(t, int64(62006), nn.NumParameters(m))
	assert.Equal(t, cnnKeys, nn.StateDictKeys(m))
	for _, b := range []int64{1, 4, 33} {
		x := torch.Randn([]int64{b, 3, 32, 32})
		before := x.Clone()
		assert.Equal(t, torch.Size{b, 10}, m.Forward(x).Shape())
		assert.True(t, x.Equal(before), "input unchanged")
	}
	assert.True(t, strings.HasPrefix(nn.Describe(m), "CIFAR10CNN(\n  (conv1): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))\n"))
}

// requireBitEqual checks that two float32 tensors hold the same bits.
func requireBitEqual(t *testing.T, want, got *torch.Tensor, name string) {
	t.Helper()
	require.NotNil(t, want, "PyTorch has no %s", name)
	require.Equal(t, want.Shape(), got.Shape(), name)
	w, g := want.Float32s(), got.Float32s()
	for i := range w {
		if math.Float32bits(w[i]) != math.Float32bits(g[i]) {
			t.Fatalf("%s[%d]: PyTorch %v (%#x), Go %v (%#x)", name, i, w[i], math.Float32bits(w[i]), g[i], math.Float32bits(g[i]))
		}
	}
}

// requireCloseTol checks that two tensors agree to tol, absolutely.
func requireCloseTol(t *testing.T, want, got *torch.Tensor, tol float64, name string) {
	t.Helper()
	require.NotNil(t, want, "PyTorch has no %s", name)
	require.NotNil(t, got, "Go has no %s", name)
	require.Equal(t, want.Shape(), got.Shape(), name)
	w, g := want.Float64s(), got.Float64s()
	for i := range w {
		require.InDelta(t, w[i], g[i], tol, "%s[%d]", name, i)
	}
}

// TestCIFAR10CNNTutorialLoop runs the tutorial's training as it is written,
// in Python (torchvision's CIFAR10 and DataLoader) and in Go (datasets.
// NewCIFAR10 and data.Loader), from the same torch.manual_seed on the same
// small CIFAR-10 (written in the official pickled format by
// vision/datasets/testdata/make_cifar10.py, 100 training images): the same
// transform, net, criterion and optimizer, batches of 4 shuffled the same
// way, 2 epochs. Every step's loss and the final weights agree to cnnTol,
// and so do the test set's predictions.
func TestCIFAR10CNNTutorialLoop(t *testing.T) {
	const seed = 5
	root := t.TempDir()
	pyWeights, pyLossesPath := filepath.Join(root, "py.pth"), filepath.Join(root, "losses.pt")
	maker, err := filepath.Abs("../vision/datasets/testdata/make_cifar10.py")
	require.NoError(t, err)
	stdout := pytorch.Run(t, `import json, runpy, sys
maker, root, seed, weights, losses_path = sys.argv[1:6]
sys.argv = [maker, "--learnable", root, "20", "9"]
runpy.run_path(maker, run_name="__main__")

import torchvision
import torchvision.transforms as transforms
import torchvision.datasets.cifar
from tutorial import CIFAR10CNN as Net
# The small data set's files are not the official archive's: skip its md5s.
torchvision.datasets.cifar.check_integrity = lambda *args, **kwargs: True

torch.manual_seed(int(seed))
transform = transforms.Compose(
    [transforms.ToTensor(),
     transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
batch_size = 4
trainset = torchvision.datasets.CIFAR10(root=root, train=True, download=False, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True, num_workers=0)
testset = torchvision.datasets.CIFAR10(root=root, train=False, download=False, transform=transform)
testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=False, num_workers=0)

net = Net()
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
losses = []
for epoch in range(2):
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
torch.save(net.state_dict(), weights)
outs = []
with torch.no_grad():
    for images, labels in testloader:
        outs.append(net(images))
torch.save({"losses": torch.tensor(losses, dtype=torch.float64), "test": torch.cat(outs)}, losses_path)
print(json.dumps(len(losses)))
`, maker, root, fmt.Sprint(seed), pyWeights, pyLossesPath)
	var pySteps int
	require.NoError(t, json.Unmarshal([]byte(stdout), &pySteps), stdout)
	require.Equal(t, 50, pySteps, "2 epochs of 25 batches")

	torch.ManualSeed(seed)
	transform := transforms.Compose(transforms.ToTensor(),
		transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}))
	trainset, err := datasets.NewCIFAR10(root, datasets.Options{Train: true, Transform: transform})
	require.NoError(t, err)
	trainloader := data.NewLoader(trainset, data.Options{BatchSize: 4, Shuffle: true, NumWorkers: 2})
	testset, err := datasets.NewCIFAR10(root, datasets.Options{Train: false, Transform: transform})
	require.NoError(t, err)
	testloader := data.NewLoader(testset, data.Options{BatchSize: 4, NumWorkers: 2})

	net := models.NewCIFAR10CNN()
	criterion := nn.NewCrossEntropyLoss()
	optimizer, err := optim.NewSGD(nn.Parameters(net), optim.SGDOptions{LR: 0.001, Momentum: 0.9})
	require.NoError(t, err)
	var losses []float64
	for range 2 {
		for inputs, labels := range trainloader.All() {
			optimizer.ZeroGrad()
			loss := criterion.Forward(net.Forward(inputs), labels)
			loss.Backward()
			optimizer.Step()
			losses = append(losses, loss.Item())
		}
		require.NoError(t, trainloader.Err())
	}
	var outs []*torch.Tensor
	torch.NoGrad(func() {
		for images := range testloader.All() {
			outs = append(outs, net.Forward(images))
		}
	})
	require.NoError(t, testloader.Err())

	want, err := torch.Load(pyLossesPath)
	require.NoError(t, err)
	require.Len(t, losses, pySteps)
	for i, w := range want["losses"].Float64s() {
		assert.InDelta(t, w, losses[i], cnnTol, "loss of step %d", i+1)
	}
	fromPython := models.NewCIFAR10CNN()
	require.NoError(t, nn.Load(fromPython, pyWeights))
	pyState, goState := nn.StateDict(fromPython), nn.StateDict(net)
	for _, k := range cnnKeys {
		requireCloseTol(t, pyState[k], goState[k], cnnTol, "trained "+k)
	}
	requireCloseTol(t, want["test"], torch.Cat(outs), cnnTol, "test outputs")
}

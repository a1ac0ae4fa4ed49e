package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

func runCIFAR(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// classNames are batches.meta's label_names, in order.
var classNames = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// pythonCIFAR writes a small CIFAR-10 in the official Python version's
// format (pickled batches of 20 images each, written as Python 2 wrote
// them) with vision/datasets' fixture generator and returns its root. With
// --learnable image i is of class i % 10 and has that class's colour, so a
// few epochs learn it.
func pythonCIFAR(t *testing.T) string {
	t.Helper()
	py := pytorch.Python(t)
	root := t.TempDir()
	out, err := exec.Command(py, "../../vision/datasets/testdata/make_cifar10.py", "--learnable", root, "20", "3").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return root
}

// binaryCIFAR writes the same kind of data set in the official binary
// version's format (cifar-10-batches-bin: records of one label byte and
// 3072 pixel bytes; batches.meta.txt), which needs no Python.
func binaryCIFAR(t *testing.T, n int) string {
	t.Helper()
	colours := [10][3]int{{200, 40, 40}, {40, 200, 40}, {40, 40, 200}, {200, 200, 40}, {200, 40, 200},
		{40, 200, 200}, {120, 120, 120}, {230, 230, 230}, {20, 20, 20}, {120, 40, 200}}
	root := t.TempDir()
	dir := filepath.Join(root, "cifar-10-batches-bin")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	rng := rand.New(rand.NewPCG(3, 3))
	for _, name := range []string{"data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"} {
		var b []byte
		for i := range n {
			class := i % 10
			b = append(b, byte(class))
			for c := range 3 {
				for range 1024 {
					b = append(b, byte(min(255, max(0, colours[class][c]+rng.IntN(61)-30))))
				}
			}
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name+".bin"), b, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "batches.meta.txt"), []byte(strings.Join(classNames, "\n")+"\n\n"), 0o644))
	return root
}

// testAccuracy reads the summary's test accuracy in percent.
func testAccuracy(t *testing.T, stdout string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^summary: .* test accuracy ([0-9.]+)%`).FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	acc, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return acc
}

// TestEndToEnd trains on a small data set in the real (pickled) format and
// checks the walk-through, the training, and the files it writes: the
// state_dict that torch.load reads (and Python scores the same), the
// labelled sample grid and the curves.
func TestEndToEnd(t *testing.T) {
	root := pythonCIFAR(t)
	dir := t.TempDir()
	save, samples, plot := filepath.Join(dir, "cifar10.pt"), filepath.Join(dir, "s.png"), filepath.Join(dir, "p.png")
	code, stdout, stderr := runCIFAR(context.Background(), "--data", root, "--epochs", "3", "--batch-size", "10",
		"--test-batch-size", "7", "--device", "cpu", "--save", save, "--samples", samples, "--plot", plot)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	for _, want := range []string{
		"CIFAR-10: 100 training and 20 test images in " + filepath.Join(root, "cifar-10-batches-py"),
		"classes: " + strings.Join(classNames, ", "),
		"sample 0: image shape torch.Size([3, 32, 32]) (channels, height, width), label 0 (airplane)",
		"one image: 3072 bytes as uint8, 12288 bytes as float32 after ToTensor",
		"wrote training samples with their classes to " + samples,
		"Linear(in_features=3072, out_features=128, bias=True)",
		"Linear(in_features=128, out_features=10, bias=True)",
		"fc1        393,344 parameters",
		"fc2          1,290 parameters",
		"total      394,634 parameters",
		"parameters      1,578,536 bytes",
		"gradients       1,578,536 bytes",
		"optimizer state 3,157,072 bytes (adam)",
		"total           6,314,144 bytes = 4.0x the parameters",
		"epoch 1 100% [10/10]",
		"accuracy of each class on the test set:",
		"CPU tensor memory (counting allocator)",
		"saved the state_dict to " + save,
		"wrote loss and accuracy curves to " + plot,
	} {
		assert.Contains(t, stdout, want)
	}
	for epoch := 1; epoch <= 3; epoch++ {
		assert.Regexp(t, `(?m)^epoch `+strconv.Itoa(epoch)+`: train loss [0-9.]+, train acc [0-9.]+%, test loss [0-9.]+, test acc [0-9.]+% \(\d+/20\)`, stdout)
	}
	// Every class has 2 of the 20 test images.
	for _, name := range classNames {
		assert.Regexp(t, `(?m)^  `+name+` +[0-9.]+% \([0-2]/2\)$`, stdout)
	}
	assert.Regexp(t, `(?m)^summary: 3 epoch\(s\) in [0-9.]+s on cpu, test accuracy [0-9.]+%, test loss [0-9.]+$`, stdout)
	acc := testAccuracy(t, stdout)
	assert.GreaterOrEqual(t, acc, 80.0, "the classes differ by colour: three epochs learn most of them")

	// torch.load's format, with the tutorial's keys and shapes.
	state, err := torch.Load(save)
	require.NoError(t, err)
	shapes := map[string][]int64{}
	for k, v := range state {
		shapes[k] = v.Shape()
	}
	assert.Equal(t, map[string][]int64{
		"fc1.weight": {128, 3072}, "fc1.bias": {128}, "fc2.weight": {10, 128}, "fc2.bias": {10},
	}, shapes)

	// The grid shows the images as they are (the normalisation undone) in
	// the files' order: the first is an airplane, which this data set
	// paints red (200, 40, 40).
	img := decodePNG(t, samples)
	r, g, b, _ := img.At(img.Bounds().Dx()/16, img.Bounds().Dy()/10).RGBA()
	assert.Greater(t, r>>8, uint32(120), "red")
	assert.Less(t, g>>8, uint32(110), "not green")
	assert.Less(t, b>>8, uint32(110), "not blue")
	assert.Greater(t, decodePNG(t, plot).Bounds().Dx(), 100)

	// Python's tutorial class loads the weights and scores the same test
	// batch the same.
	out := pytorch.Run(t, `import pickle, sys
import numpy as np
from tutorial import CIFAR10Model
model = CIFAR10Model()
model.load_state_dict(torch.load(sys.argv[1]))
with open(sys.argv[2], "rb") as f:
    d = pickle.load(f, encoding="bytes")
x = torch.from_numpy(np.asarray(d[b"data"])).float().div(255).view(-1, 3, 32, 32)
x = (x - 0.5) / 0.5
y = torch.tensor(d[b"labels"])
with torch.no_grad():
    print(f"{(model(x).argmax(1) == y).float().mean().item() * 100:.2f}")`, save, filepath.Join(root, "cifar-10-batches-py", "test_batch"))
	pyAcc, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
	require.NoError(t, err, out)
	assert.InDelta(t, acc, pyAcc, 0.001, "Python scores Go's weights the same")
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err, path)
	return img
}

// TestBinaryFormatQuiet trains on the binary version (no Python needed)
// with --quiet, which prints the summary alone.
func TestBinaryFormatQuiet(t *testing.T) {
	root := binaryCIFAR(t, 20)
	code, stdout, stderr := runCIFAR(context.Background(), "--data", root, "--epochs", "2", "--batch-size", "10",
		"--device", "cpu", "--num-workers", "0", "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2, stdout)
	assert.True(t, strings.HasPrefix(lines[0], "summary: 2 epoch(s) in "), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "CPU tensor memory (counting allocator): "), lines[1])
	assert.GreaterOrEqual(t, testAccuracy(t, stdout), 80.0)
}

// TestInterruptStopsCleanly cancels the run as Ctrl-C does: it stops after
// the current batch, still evaluates, saves beside --save (FILE.interrupted,
// never over FILE), and exits 130.
func TestInterruptStopsCleanly(t *testing.T) {
	root := binaryCIFAR(t, 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	save := filepath.Join(t.TempDir(), "model.pt")
	code, stdout, stderr := runCIFAR(ctx, "--data", root, "--epochs", "3", "--batch-size", "10", "--device", "cpu",
		"--save", save, "--quiet")
	assert.Equal(t, 130, code, stderr)
	assert.Equal(t, "cifar10: interrupted: stopped after the current batch\n", stderr)
	assert.Contains(t, stdout, "summary: 1 epoch(s)")
	assert.NoFileExists(t, save)
	state, err := torch.Load(save + ".interrupted")
	require.NoError(t, err)
	assert.Len(t, state, 4)
}

func TestMissingDataWithoutNetworkExit1(t *testing.T) {
	// Every download goes through a proxy that refuses the connection: the
	// same answer as a machine without network, at once.
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("https_proxy", "http://127.0.0.1:1")
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	root := t.TempDir()
	code, stdout, stderr := runCIFAR(context.Background(), "--data", root, "--quiet")
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stdout)
	for _, want := range []string{
		"cifar10: CIFAR10: could not download https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
		"put cifar-10-python.tar.gz (md5 c58f30108f718f92721af3b95e74349a) into " + root,
		"or extract it there (cifar-10-batches-py/)",
	} {
		assert.Contains(t, stderr, want)
	}
	assert.NotContains(t, stderr, "goroutine ")
}

// TestCorruptDataExit1: a truncated batch is refused with the file's name.
func TestCorruptDataExit1(t *testing.T) {
	root := binaryCIFAR(t, 20)
	path := filepath.Join(root, "cifar-10-batches-bin", "data_batch_3.bin")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b[:len(b)-100], 0o644))
	code, _, stderr := runCIFAR(context.Background(), "--data", root, "--device", "cpu", "--quiet")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cifar10: "+path+": ")
	assert.Contains(t, stderr, "truncated?")
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
}

func TestBadFlagsExit2(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--epochs", "0"}, "--epochs must be at least 1, got 0"},
		{[]string{"--batch-size", "-1"}, "--batch-size must be at least 1, got -1"},
		{[]string{"--test-batch-size", "0"}, "--test-batch-size must be at least 1, got 0"},
		{[]string{"--optimizer", "rmsprop"}, `--optimizer must be adam or sgd, got "rmsprop"`},
		{[]string{"--device", "gpu"}, "--device: "},
		{[]string{"--lr", "-1"}, "--lr must not be negative, got -1"},
		{[]string{"--momentum", "-0.5"}, "--momentum must not be negative, got -0.5"},
		{[]string{"--num-workers", "-2"}, "--num-workers must not be negative, got -2"},
		{[]string{"--model", "resnet"}, `--model must be mlp or cnn, got "resnet"`},
		{[]string{"--model", "cnn", "--epochs", "0"}, "--epochs must be at least 1, got 0"},
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"--epochs", "x"}, `invalid argument "x" for "--epochs"`},
		{[]string{"extra-arg"}, `unexpected argument "extra-arg"`},
	} {
		code, stdout, stderr := runCIFAR(context.Background(), tt.args...)
		assert.Equal(t, 2, code, "%v: %s", tt.args, stderr)
		assert.Empty(t, stdout, "%v", tt.args)
		assert.Contains(t, stderr, "cifar10: ", "%v", tt.args)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
		assert.Contains(t, stderr, "run 'cifar10 --help' for the flags", "%v", tt.args)
		assert.NotContains(t, stderr, "goroutine ", "%v: no stack trace", tt.args)
	}
	code, stdout, stderr := runCIFAR(context.Background(), "--help")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
	for _, flag := range []string{"--data", "--batch-size", "--test-batch-size", "--epochs", "--lr", "--optimizer",
		"--momentum", "--device", "--num-workers", "--seed", "--save", "--samples", "--plot", "--quiet", "--model"} {
		assert.Contains(t, stderr, flag)
	}
}

func TestUnavailableDeviceExit1(t *testing.T) {
	if cuda.IsAvailable() {
		t.Skip("a GPU is present")
	}
	code, _, stderr := runCIFAR(context.Background(), "--device", "cuda", "--data", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cifar10: --device cuda: CUDA not available")
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one clear line: %q", stderr)
}

// TestModelFlagDefaults: --model cnn takes PyTorch's CIFAR-10 tutorial's
// settings (SGD, lr 0.001, momentum 0.9, batches of 4, 2 epochs) for each
// flag the command line leaves out, and keeps those it gives; mlp keeps the
// program's own defaults.
func TestModelFlagDefaults(t *testing.T) {
	for _, tt := range []struct {
		args      []string
		optimizer string
		lr, mom   float64
		batch     int
		epochs    int
	}{
		{nil, "adam", 0.001, 0, 64, 5},
		{[]string{"--model", "mlp", "--optimizer", "sgd"}, "sgd", 0.01, 0, 64, 5},
		{[]string{"--model", "cnn"}, "sgd", 0.001, 0.9, 4, 2},
		{[]string{"--model=cnn", "--lr", "0.01", "--batch-size", "16", "--epochs", "1"}, "sgd", 0.01, 0.9, 16, 1},
		{[]string{"--model", "cnn", "--momentum", "0"}, "sgd", 0.001, 0, 4, 2},
		{[]string{"--model", "cnn", "--optimizer", "adam"}, "adam", 0.001, 0, 4, 2},
		{[]string{"--model", "cnn", "--optimizer", "adam", "--epochs", "7"}, "adam", 0.001, 0, 4, 7},
	} {
		f, err := program.ParseFlags(tt.args, io.Discard)
		require.NoError(t, err, "%v", tt.args)
		assert.Equal(t, tt.optimizer, f.Optimizer, "%v", tt.args)
		assert.Equal(t, tt.lr, f.LR, "%v: --lr", tt.args)
		assert.Equal(t, tt.mom, f.Momentum, "%v: --momentum", tt.args)
		assert.Equal(t, tt.batch, f.BatchSize, "%v: --batch-size", tt.args)
		assert.Equal(t, tt.epochs, f.Epochs, "%v: --epochs", tt.args)
	}
}

// TestModelCNN trains PyTorch's CIFAR-10 tutorial's CNN (--model cnn) with
// that tutorial's defaults on a small data set in the real (pickled)
// format: the model and its parameter counts as print(net) shows them, SGD
// with momentum (its state is as large as the parameters), batches of 4
// over 2 epochs; the saved state_dict has the tutorial's keys, and the
// tutorial's class, loading it, scores the test batch as Go did.
func TestModelCNN(t *testing.T) {
	root := pythonCIFAR(t)
	save := filepath.Join(t.TempDir(), "cifar_net.pth")
	code, stdout, stderr := runCIFAR(context.Background(), "--model", "cnn", "--data", root, "--test-batch-size", "7",
		"--device", "cpu", "--save", save)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	for _, want := range []string{
		"training CIFAR10CNN: sgd with lr 0.001, momentum 0.9, batch size 4, 2 epoch(s)",
		"CIFAR10CNN(\n" +
			"  (conv1): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))\n" +
			"  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n" +
			"  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))\n" +
			"  (fc1): Linear(in_features=400, out_features=120, bias=True)\n" +
			"  (fc2): Linear(in_features=120, out_features=84, bias=True)\n" +
			"  (fc3): Linear(in_features=84, out_features=10, bias=True)\n)",
		"conv1          456 parameters",
		"conv2        2,416 parameters",
		"fc1         48,120 parameters",
		"fc2         10,164 parameters",
		"fc3            850 parameters",
		"total       62,006 parameters",
		"parameters        248,024 bytes",
		"optimizer state   248,024 bytes (sgd)",
		"epoch 1 100% [25/25]",
		"epoch 2 100% [25/25]",
		"accuracy of each class on the test set:",
		"saved the state_dict to " + save,
	} {
		assert.Contains(t, stdout, want)
	}
	assert.Regexp(t, `(?m)^summary: 2 epoch\(s\) in [0-9.]+s on cpu, test accuracy [0-9.]+%, test loss [0-9.]+$`, stdout)
	acc := testAccuracy(t, stdout)

	state, err := torch.Load(save)
	require.NoError(t, err)
	shapes := map[string][]int64{}
	for k, v := range state {
		shapes[k] = v.Shape()
	}
	assert.Equal(t, map[string][]int64{
		"conv1.weight": {6, 3, 5, 5}, "conv1.bias": {6}, "conv2.weight": {16, 6, 5, 5}, "conv2.bias": {16},
		"fc1.weight": {120, 400}, "fc1.bias": {120}, "fc2.weight": {84, 120}, "fc2.bias": {84},
		"fc3.weight": {10, 84}, "fc3.bias": {10},
	}, shapes)

	out := pytorch.Run(t, `import pickle, sys
import numpy as np
from tutorial import CIFAR10CNN
net = CIFAR10CNN()
net.load_state_dict(torch.load(sys.argv[1]))
with open(sys.argv[2], "rb") as f:
    d = pickle.load(f, encoding="bytes")
x = torch.from_numpy(np.asarray(d[b"data"])).float().div(255).view(-1, 3, 32, 32)
x = (x - 0.5) / 0.5
y = torch.tensor(d[b"labels"])
with torch.no_grad():
    print(f"{(net(x).argmax(1) == y).float().mean().item() * 100:.2f}")`, save, filepath.Join(root, "cifar-10-batches-py", "test_batch"))
	pyAcc, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
	require.NoError(t, err, out)
	assert.InDelta(t, acc, pyAcc, 0.001, "Python scores Go's weights the same")
}

// TestModelCNNQuiet trains the CNN on the binary format (no Python needed)
// with the tutorial's defaults overridden from the command line.
func TestModelCNNQuiet(t *testing.T) {
	root := binaryCIFAR(t, 20)
	code, stdout, stderr := runCIFAR(context.Background(), "--model", "cnn", "--data", root, "--epochs", "1",
		"--batch-size", "10", "--device", "cpu", "--num-workers", "0", "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	assert.Regexp(t, `(?m)^summary: 1 epoch\(s\) in [0-9.]+s on cpu, test accuracy [0-9.]+%, test loss [0-9.]+$`, stdout)
}

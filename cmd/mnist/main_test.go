package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

func runMNIST(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--epochs", "0"},
		{"--batch-size", "-1"},
		{"--optimizer", "rmsprop"},
		{"--device", "gpu"},
		{"--lr", "-1"},
		{"--no-such-flag"},
		{"extra-arg"},
		{"--num-workers", "-2"},
		{"--epochs", "x"},
	} {
		code, stdout, stderr := runMNIST(context.Background(), args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Empty(t, stdout, "%v", args)
		assert.Contains(t, stderr, "mnist:", "%v", args)
		assert.NotContains(t, stderr, "goroutine ", "%v: no stack trace", args)
	}
	code, _, stderr := runMNIST(context.Background(), "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "--batch-size")
}

func TestUnavailableDeviceExit1(t *testing.T) {
	if cuda.IsAvailable() {
		t.Skip("a GPU is present")
	}
	code, _, stderr := runMNIST(context.Background(), "--device", "cuda", "--data", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "CUDA not available")
	assert.Equal(t, 1, bytes.Count([]byte(stderr), []byte("\n")), "one clear line: %q", stderr)
}

func TestMissingDataWithoutNetworkExit1(t *testing.T) {
	// No mirror answers here, and with the module proxy off and an empty
	// module cache the Go-proxy fallback has nothing either.
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOFLAGS", "-modcacherw")
	root := t.TempDir()
	code, _, stderr := runMNIST(context.Background(), "--data", root, "--quiet")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, filepath.Join(root, "MNIST", "raw"), "says where to put the files")
	assert.Contains(t, stderr, "train-images-idx3-ubyte", "says which files")
	assert.NotContains(t, stderr, "goroutine ")
}

// TestShortRealRun trains one epoch on the full MNIST (skipped without it:
// its accuracy threshold and batch count are the full set's) and checks the
// tutorial's walk-through, the files it writes, and that Python loads the
// weights.
func TestShortRealRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains an epoch")
	}
	dir := t.TempDir()
	save, samples, plot := filepath.Join(dir, "mnist.pt"), filepath.Join(dir, "s.png"), filepath.Join(dir, "p.png")
	code, stdout, stderr := runMNIST(context.Background(), "--data", dataroot.RequireMNIST(t), "--epochs", "1",
		"--device", "cpu", "--save", save, "--samples", samples, "--plot", plot)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		"image shape torch.Size([1, 28, 28])",
		"784 bytes as uint8, 3136 bytes as float32",
		"(layer1): Linear(in_features=784, out_features=128, bias=True)",
		"(relu): ReLU()",
		"layer1     100,480 parameters",
		"layer2       1,290 parameters",
		"total      101,770 parameters",
		"parameters        407,080 bytes",
		"gradients         407,080 bytes",
		"optimizer state   814,160 bytes (adam)",
		"epoch 1 100% [938/938]",
		"CPU tensor memory (counting allocator)",
	} {
		assert.Contains(t, stdout, want)
	}
	m := regexp.MustCompile(`test accuracy ([0-9.]+)%`).FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	acc, _ := strconv.ParseFloat(m[1], 64)
	assert.Greater(t, acc, 94.0, "one epoch of the tutorial's model reaches ~95.5%%")

	for _, p := range []string{samples, plot} {
		f, err := os.Open(p)
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err, p)
		assert.Greater(t, img.Bounds().Dx(), 100, p)
	}

	// Python's tutorial class loads the weights and scores the same test set.
	out := pytorch.Run(t, `import sys
from torchvision import datasets, transforms
from tutorial import MNISTModel
model = MNISTModel()
model.load_state_dict(torch.load(sys.argv[1]))
t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
test = datasets.MNIST(sys.argv[2], train=False, transform=t)
x = torch.stack([test[i][0] for i in range(len(test))])
y = torch.tensor(test.targets)
with torch.no_grad():
    print(f"{(model(x).argmax(1) == y).float().mean().item() * 100:.2f}")`, save, dataroot.RequireMNIST(t))
	pyAcc, err := strconv.ParseFloat(string(bytes.TrimSpace([]byte(out))), 64)
	require.NoError(t, err, out)
	assert.InDelta(t, acc, pyAcc, 0.011, "Python scores Go's weights the same")
}

// TestInterruptStopsCleanly cancels the run as Ctrl-C does: it stops after
// the current batch, still evaluates, saves beside --save (never over the
// good checkpoint there), and exits 130. Any MNIST-format data does: the
// full set, or the committed subset (dataroot.MNIST).
func TestInterruptStopsCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	save := filepath.Join(t.TempDir(), "good.pt")
	require.NoError(t, os.WriteFile(save, []byte("a good checkpoint"), 0o644))
	code, stdout, stderr := runMNIST(ctx, "--data", dataroot.MNIST(t).Root, "--epochs", "3", "--device", "cpu",
		"--save", save, "--quiet")
	assert.Equal(t, 130, code, stderr)
	assert.Contains(t, stderr, "interrupted")
	assert.Contains(t, stdout, "summary: 1 epoch(s)")
	assert.FileExists(t, save+".interrupted")
	good, err := os.ReadFile(save)
	require.NoError(t, err)
	assert.Equal(t, "a good checkpoint", string(good))
}

// Outputs that cannot be written are refused before the training, not
// after it (the weights were lost).
func TestUnwritableOutputsExit2(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(notADir, nil, 0o644))
	for _, args := range [][]string{
		{"--save", filepath.Join(dir, "missing", "m.pt")},
		{"--save", filepath.Join(notADir, "m.pt")},
		{"--plot", filepath.Join(dir, "missing", "p.png")},
		{"--save", dir},
	} {
		code, stdout, stderr := runMNIST(context.Background(), append(args, "--data", dir)...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Empty(t, stdout, "%v: nothing trained", args)
		assert.Contains(t, stderr, args[0]+" "+args[1], "%v", args)
	}
}

// writeIDX writes an MNIST raw folder of n images of h×w under root.
func writeIDX(t *testing.T, root string, n, h, w int) {
	t.Helper()
	dir := filepath.Join(root, "MNIST", "raw")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, split := range []string{"train", "t10k"} {
		images := binary.BigEndian.AppendUint32(nil, 0x803)
		for _, d := range []int{n, h, w} {
			images = binary.BigEndian.AppendUint32(images, uint32(d))
		}
		images = append(images, make([]byte, n*h*w)...)
		labels := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 0x801), uint32(n))
		labels = append(labels, make([]byte, n)...)
		require.NoError(t, os.WriteFile(filepath.Join(dir, split+"-images-idx3-ubyte"), images, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, split+"-labels-idx1-ubyte"), labels, 0o644))
	}
}

// Well-formed MNIST files the model cannot take fail with a message, not a
// Go stack trace (issue 14: 2x2 images panicked).
func TestUnusableImagesExit1(t *testing.T) {
	for _, tc := range []struct {
		n, h, w int
		msg     string
	}{
		{10, 2, 2, "holds 1x2x2 images; the model takes 1x28x28"},
		{0, 28, 28, "has no images"},
	} {
		root := t.TempDir()
		writeIDX(t, root, tc.n, tc.h, tc.w)
		code, _, stderr := runMNIST(context.Background(), "--data", root, "--quiet")
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, tc.msg)
		assert.NotContains(t, stderr, "goroutine ")
	}
}

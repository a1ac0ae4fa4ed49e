package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
)

func runCNN(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// comparable drops the lines that differ by design: the banner (versions,
// threads) and each epoch's timing line.
func comparable(out string) []string {
	var keep []string
	timing := regexp.MustCompile(`^epoch \d+: train [\d.]+s, `)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "gotorch on") || strings.HasPrefix(l, "PyTorch ") || strings.HasPrefix(l, "saved the") {
			continue
		}
		keep = append(keep, timing.ReplaceAllString(l, "epoch: "))
	}
	return keep
}

// TestDryRunMatchesPyTorch runs the Go port and pytorch/examples' main.py
// (scripts/reference/mnist_cnn.py) with the same flags on the same folder:
// the real MNIST, or the committed subset of its first records where the
// dataset root lacks it (dataroot.MNIST): three epochs of one logged batch
// each, each followed by the whole test set. Every printed loss, test loss,
// accuracy and learning rate must be the same text: the same initial
// weights, dropout masks, Adadelta steps and StepLR decay. The saved
// state_dicts must agree too (Python loads Go's).
func TestDryRunMatchesPyTorch(t *testing.T) {
	set := dataroot.MNIST(t)
	root := set.Root
	py := pytorch.Python(t)
	goModel := filepath.Join(t.TempDir(), "go.pt")
	pyModel := filepath.Join(t.TempDir(), "py.pt")
	args := []string{"--dry-run", "--epochs", "3", "--threads", "1", "--data", root}

	code, stdout, stderr := runCNN(context.Background(), append(args, "--save-model="+goModel)...)
	require.Equal(t, 0, code, stderr)

	script := filepath.Join(pytorch.ReferenceDir(), "mnist_cnn.py")
	cmd := exec.Command(py, append([]string{script, "--save-model", pyModel}, args...)...)
	var pyErr bytes.Buffer
	cmd.Stderr = &pyErr
	pyOut, err := cmd.Output()
	require.NoError(t, err, pyErr.String())

	assert.Equal(t, comparable(string(pyOut)), comparable(stdout))
	assert.Contains(t, stdout, fmt.Sprintf("Train Epoch: 3 [0/%d (0%%)]", set.Train))
	tested := regexp.MustCompile(fmt.Sprintf(`Test set: Average loss: [\d.]+, Accuracy: \d+/%d \(`, set.Test))
	assert.Len(t, tested.FindAllString(stdout, -1), 3, "each epoch tests on the whole test set")

	var diff struct{ Max float64 }
	pytorch.JSON(t, `
import json, sys
a, b = torch.load(sys.argv[1]), torch.load(sys.argv[2])
assert list(a.keys()) == list(b.keys()), (list(a.keys()), list(b.keys()))
print(json.dumps({"Max": max((a[k] - b[k]).abs().max().item() for k in a)}))
`, &diff, goModel, pyModel)
	assert.Less(t, diff.Max, 1e-5)
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--epochs", "0"},
		{"--batch-size", "0"},
		{"--test-batch-size", "-1"},
		{"--lr", "0"},
		{"--gamma", "-1"},
		{"--log-interval", "0"},
		{"--threads", "-1"},
		{"--device", "gpu"},
		{"--no-such-flag"},
		{"extra"},
	} {
		code, stdout, stderr := runCNN(context.Background(), args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.Empty(t, stdout, "%v", args)
		assert.Contains(t, stderr, "mnist-cnn:", "%v", args)
	}
	code, _, stderr := runCNN(context.Background(), "--help")
	assert.Equal(t, 0, code)
	for _, f := range []string{"--batch-size", "--test-batch-size", "--epochs", "--lr", "--gamma", "--dry-run", "--seed", "--log-interval", "--save-model"} {
		assert.Contains(t, stderr, f, "main.py's flag")
	}
}

// TestUnwritableSaveFailsFirst: an unwritable --save-model is refused
// before any training, and missing data is named.
func TestUnwritableSaveFailsFirst(t *testing.T) {
	code, stdout, stderr := runCNN(context.Background(), "--save-model="+filepath.Join(t.TempDir(), "no", "such", "dir", "m.pt"))
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "--save-model")

	empty := t.TempDir()
	code, _, stderr = runCNN(context.Background(), "--data", empty)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, empty)
	_, err := os.Stat(filepath.Join(empty, "MNIST"))
	assert.True(t, os.IsNotExist(err) || err == nil)
}

// TestInterruptStopsAfterABatch: a cancelled context ends the run after
// its current batch with status 130.
func TestInterruptStopsAfterABatch(t *testing.T) {
	set := dataroot.MNIST(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, stdout, stderr := runCNN(ctx, "--data", set.Root, "--threads", "1")
	assert.Equal(t, 130, code, stderr)
	assert.Contains(t, stdout, fmt.Sprintf("Train Epoch: 1 [0/%d (0%%)]", set.Train))
	assert.NotContains(t, stdout, "Test set")
}

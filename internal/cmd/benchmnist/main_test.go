package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

func runBench(t *testing.T, args ...string) (code int, out map[string]any, stderr string) {
	t.Helper()
	var so, se bytes.Buffer
	code = run(args, strings.NewReader(""), &so, &se)
	if code == 0 && so.Len() > 0 {
		require.NoError(t, json.Unmarshal(so.Bytes(), &out), "stdout: %s", so.String())
	}
	return code, out, se.String()
}

func TestBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--what", "everything"},
		{"--threads", "0"},
		{"--num-workers", "-1"},
		{"--steps", "0"},
		{"--calls", "0"},
		{"--no-such-flag"},
		{"--device", "tpu"},
		{"--device", "cuda:x"},
		{"--what", "overhead", "--device", "cuda"},
		{"--what", "step", "--serve"},
		{"extra"},
	} {
		code, _, stderr := runBench(t, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, stderr, "benchmnist:", "%v", args)
	}
	code, _, stderr := runBench(t, "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "--what")
}

// --serve answers each round of scripts/bench_percall.py with one figure,
// and a line it cannot read is a usage error naming the line.
func TestServeOverhead(t *testing.T) {
	var so, se bytes.Buffer
	code := run([]string{"--what", "overhead", "--serve"}, strings.NewReader("free 1000\ngc 1000\nfree 10\n"), &so, &se)
	require.Equal(t, 0, code, se.String())
	lines := strings.Fields(so.String())
	require.Len(t, lines, 3, so.String())
	for _, l := range lines {
		ns, err := strconv.ParseFloat(l, 64)
		require.NoError(t, err)
		assert.Greater(t, ns, 10.0, "a call of a + b takes more than 10 ns")
	}

	so.Reset()
	se.Reset()
	code = run([]string{"--what", "overhead", "--serve"}, strings.NewReader("free 10\nfast 3\n"), &so, &se)
	assert.Equal(t, 2, code)
	assert.Len(t, strings.Fields(so.String()), 1, "the round before the bad line is answered")
	assert.Contains(t, se.String(), `"fast 3"`)
}

func TestMissingDataExit1(t *testing.T) {
	dir := t.TempDir()
	// A folder where a file is expected: the download cannot even start.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "MNIST"), nil, 0o644))
	code, _, stderr := runBench(t, "--what", "loader", "--data", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "benchmnist:")
	assert.Contains(t, stderr, dir)
}

// writeMNIST writes a small MNIST in torchvision's layout (decompressed IDX
// files in root/MNIST/raw), as torchvision's MNIST(download=False) and
// datasets.NewMNIST both read it.
func writeMNIST(t *testing.T, root string, train, test int) {
	t.Helper()
	raw := filepath.Join(root, "MNIST", "raw")
	require.NoError(t, os.MkdirAll(raw, 0o755))
	r := rand.New(rand.NewPCG(7, 8))
	write := func(name string, magic uint32, dims []uint32, body []byte) {
		var b bytes.Buffer
		require.NoError(t, binary.Write(&b, binary.BigEndian, magic))
		require.NoError(t, binary.Write(&b, binary.BigEndian, dims))
		b.Write(body)
		require.NoError(t, os.WriteFile(filepath.Join(raw, name), b.Bytes(), 0o644))
	}
	for _, split := range []struct {
		prefix string
		n      int
	}{{"train", train}, {"t10k", test}} {
		pix := make([]byte, split.n*784)
		labels := make([]byte, split.n)
		for i := range labels {
			labels[i] = byte(r.IntN(10))
			// A bright bar whose row is the label: learnable in a few steps.
			for x := range 28 {
				pix[i*784+(2+2*int(labels[i]))*28+x] = 255
			}
		}
		write(split.prefix+"-images-idx3-ubyte", 0x00000803, []uint32{uint32(split.n), 28, 28}, pix)
		write(split.prefix+"-labels-idx1-ubyte", 0x00000801, []uint32{uint32(split.n)}, labels)
	}
}

// The Go figures carry every key of pytorch_mnist.py's, measured on the same
// folder of data, so that the harness compares like with like.
func TestSameKeysAsPytorchMNIST(t *testing.T) {
	py := pytorch.Python(t)
	root := t.TempDir()
	writeMNIST(t, root, 320, 100)
	for _, what := range []string{"loader", "epoch"} {
		t.Run(what, func(t *testing.T) {
			code, goOut, stderr := runBench(t, "--data", root, "--what", what, "--threads", "1", "--num-workers", "1")
			require.Equal(t, 0, code, stderr)
			cmd := exec.Command(py, "../../../scripts/pytorch_mnist.py", "--data", root, "--what", what, "--threads", "1")
			var se bytes.Buffer
			cmd.Stderr = &se
			pyText, err := cmd.Output()
			require.NoError(t, err, se.String())
			var pyOut map[string]any
			require.NoError(t, json.Unmarshal(pyText, &pyOut))
			for k := range pyOut {
				assert.Contains(t, goOut, k, "pytorch_mnist.py reports %q", k)
			}
			assert.Equal(t, 1.0, goOut["threads"])
			assert.Equal(t, 1.0, goOut["num_workers"])
			assert.NotEmpty(t, goOut["libtorch"])
			if what == "loader" {
				assert.Equal(t, 320.0, goOut["samples"])
				assert.Equal(t, pyOut["samples"], goOut["samples"])
				assert.Greater(t, goOut["loader_seconds"], 0.0)
				return
			}
			// 5 steps of Adam on bars learn something on both sides.
			assert.Greater(t, goOut["accuracy"], 0.3)
			assert.Greater(t, pyOut["accuracy"], 0.3)
			assert.InDelta(t, goOut["epoch_seconds"], goOut["train_seconds"].(float64)+goOut["test_seconds"].(float64), 1e-3)
		})
	}
}

func TestStepAndOverhead(t *testing.T) {
	code, out, stderr := runBench(t, "--what", "step", "--steps", "3", "--repeats", "1", "--threads", "1")
	require.Equal(t, 0, code, stderr)
	assert.Greater(t, out["step_seconds"], 0.0)
	assert.Less(t, out["step_seconds"], 1.0)
	// The CPU output keeps the keys it had before --device existed.
	for _, k := range []string{"device", "device_name", "memory_after_setup", "memory_after_step"} {
		assert.NotContains(t, out, k)
	}
	code, out, stderr = runBench(t, "--what", "overhead", "--calls", "1000")
	require.Equal(t, 0, code, stderr)
	for _, k := range []string{"call_ns_free", "call_ns_gc"} {
		assert.Greater(t, out[k], 10.0, k)
		assert.Less(t, out[k], 1e6, k)
	}
}

func TestMappedLibraries(t *testing.T) {
	libs, err := mappedLibraries()
	require.NoError(t, err)
	require.NotEmpty(t, libs.libtorch, "libtorch_cpu is linked into every gotorch program")
	for _, p := range append(libs.blas, libs.libtorch...) {
		assert.True(t, filepath.IsAbs(p), p)
	}
}

// --device cuda: where there is no GPU it says why and exits 1 before any
// work; where there is one, the step carries the device's name and the two
// memory figures the harness compares with torch.cuda.memory_allocated().
func TestStepOnCUDA(t *testing.T) {
	code, out, stderr := runBench(t, "--what", "step", "--steps", "3", "--repeats", "1", "--device", "cuda")
	if !cuda.IsAvailable() {
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "benchmnist: --device cuda:0: CUDA not available")
		return
	}
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "cuda:0", out["device"])
	assert.NotEmpty(t, out["device_name"])
	setup, ok := out["memory_after_setup"].(float64)
	require.True(t, ok, "memory_after_setup: %v", out["memory_after_setup"])
	after, ok := out["memory_after_step"].(float64)
	require.True(t, ok, "memory_after_step: %v", out["memory_after_step"])
	// The model's 101,770 float32 parameters at least, then gradients, Adam's
	// two moments and the batch on top.
	assert.GreaterOrEqual(t, setup, 101770*4.0)
	assert.Greater(t, after, 3*setup)
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/internal/disttest"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
)

// TestMain lets the ranks of TestDataParallelMatchesOneProcess run this
// binary as the mnist program.
func TestMain(m *testing.M) {
	disttest.Serve(map[string]func([]string) int{
		"mnist": func(args []string) int { return run(context.Background(), args, os.Stdout, os.Stderr) },
	})
	os.Exit(m.Run())
}

// TestDataParallelMatchesOneProcess trains two epochs as 2 processes with
// batch 32 each (as cmd/torchrun --nproc-per-node 2 starts them) and as one
// process of the same launch with batch 64: the same global batches (a
// DistributedSampler shares out each epoch's permutation), the averaged
// gradient of two halves is the gradient of the whole, so the saved weights
// agree to float tolerance.
func TestDataParallelMatchesOneProcess(t *testing.T) {
	if !distributed.IsAvailable(distributed.Gloo) {
		t.Skip("this libcgotorch has no Gloo (scripts/install_libtorch.sh installs libgloo-dev and rebuilds it)")
	}
	set := dataroot.SubsetMNIST(t) // 32 steps: the test is about equality, not accuracy
	dir := t.TempDir()
	// SGD: its update is linear in the gradient, so the rounding of the two
	// sums stays at float precision; Adam divides by sqrt(v) and lets a
	// rounding flip the sign of a near-zero component's whole step.
	common := []string{"--data", set.Root, "--epochs", "2", "--num-workers", "0", "--device", "cpu", "--quiet", "--seed", "3",
		"--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9"}
	one, two := filepath.Join(dir, "one.pt"), filepath.Join(dir, "two.pt")
	disttest.Start(t, 1, "mnist", append(common, "--batch-size", "64", "--save", one)...).WaitAll(t, 5*time.Minute)
	job := disttest.Start(t, 2, "mnist", append(common, "--batch-size", "32", "--save", two)...)
	job.WaitAll(t, 5*time.Minute)
	assert.Contains(t, job.Ranks[0].Stdout.String(), "summary: 2 epoch(s)")
	assert.Empty(t, job.Ranks[1].Stdout.String(), "rank 1 prints nothing")

	a, err := torch.Load(one)
	require.NoError(t, err)
	b, err := torch.Load(two)
	require.NoError(t, err)
	require.Len(t, b, len(a))
	for name, want := range a {
		got := b[name]
		require.NotNil(t, got, name)
		w, g := want.Float32s(), got.Float32s()
		var maxDiff float64
		for i := range w {
			maxDiff = max(maxDiff, float64(abs(w[i]-g[i])))
		}
		t.Logf("%s: %d values, largest difference %.2g", name, len(w), maxDiff)
		assert.Less(t, maxDiff, 1e-5, name)
	}
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

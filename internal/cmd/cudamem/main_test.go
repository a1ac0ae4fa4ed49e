package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// stepBytes returns the bytes of the model's parameters, and of what is alive
// after the training step: the parameters, their gradients, Adam's two
// moments, the batch (float32 images, int64 labels) and the scalar loss.
// round gives the allocator's size for a tensor of n bytes.
func stepBytes(batch int64, round func(int64) int64) (params, afterStep int64) {
	for _, p := range nn.Parameters(models.NewMNISTModel()) {
		params += round(p.Nbytes())
	}
	afterStep = params + 3*params + // parameters, gradients, exp_avg, exp_avg_sq
		round(batch*28*28*4) + round(batch*8) + round(4)
	return params, afterStep
}

// On the CPU the counting allocator's figures are exactly the live tensors
// the sequence leaves: the model at (a) and (b), and after the step the
// gradients, Adam's state, the batch and the loss.
func TestRunOnCPU(t *testing.T) {
	torch.Collect(torch.CPU)
	base := torch.MemoryAllocated(torch.CPU)
	r, err := run(torch.CPU, 64, 0)
	require.NoError(t, err)
	assert.Equal(t, "go", r.Program)
	assert.Equal(t, "cpu", r.Device)
	require.Len(t, r.Stages, 4)
	params, afterStep := stepBytes(64, func(n int64) int64 { return n })
	for i, want := range []struct {
		stage     string
		allocated int64
	}{{"a", params}, {"b", params}, {"c", afterStep}, {"d", afterStep}} {
		s := r.Stages[i]
		assert.Equal(t, want.stage, s.Stage)
		assert.NotEmpty(t, s.What)
		assert.Equal(t, want.allocated, s.Allocated-base, "stage %s", s.Stage)
		assert.GreaterOrEqual(t, s.MaxAllocated, s.Allocated, "stage %s", s.Stage)
		assert.Nil(t, s.Reserved, "the CPU has no caching allocator")
	}
	assert.Greater(t, r.Stages[2].MaxAllocated-base, afterStep, "the step's temporaries raise the peak")
}

func TestRunOnCUDA(t *testing.T) {
	if !cuda.IsAvailable() {
		err := func() error { _, err := run(torch.CUDA(0), 64, 0); return err }()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "CUDA not available")
		if os.Getenv("GOTORCH_REQUIRE_CUDA") == "1" {
			t.Fatal("CUDA not available, and GOTORCH_REQUIRE_CUDA=1")
		}
		t.Skip("CUDA not available: checked that --device cuda says so")
	}
	r, err := run(torch.CUDA(0), 64, 0)
	require.NoError(t, err)
	assert.NotEmpty(t, r.DeviceName)
	require.Len(t, r.Stages, 4)
	// The caching allocator hands out multiples of 512 bytes. After the step
	// cuBLAS's workspaces (one per thread and stream) are allocated too, so
	// (c) is at least the tensors' bytes.
	params, afterStep := stepBytes(64, func(n int64) int64 { return max(512, (n+511)/512*512) })
	a, b, c, d := r.Stages[0], r.Stages[1], r.Stages[2], r.Stages[3]
	assert.Equal(t, params, a.Allocated, "(a) the model's parameters")
	assert.Equal(t, params, b.Allocated, "(b) creating Adam allocates nothing")
	assert.GreaterOrEqual(t, c.Allocated, afterStep, "(c)")
	assert.Equal(t, c.Allocated, d.Allocated, "(d) empty_cache frees no tensor")
	require.NotNil(t, c.Reserved)
	require.NotNil(t, d.Reserved)
	assert.LessOrEqual(t, *d.Reserved, *c.Reserved, "(d) empty_cache lowers reserved or leaves it")
	assert.GreaterOrEqual(t, *d.Reserved, d.Allocated)
}

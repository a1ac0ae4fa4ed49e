package torch_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// TestStepSizedTensorsAreNotMmapped checks, in a fresh process (glibc's
// mmap threshold only rises, so earlier tests would hide a regression),
// that a tensor of a training step's size comes from malloc's heap from
// the first one on, not from an mmap of its own that is page-faulted in
// and unmapped at every allocation: the cause of cmd/mnist's slow first
// epoch (about 200 page faults a step, against 1-2 after the fix; see
// mallocWarmBytes in lib.go).
func TestStepSizedTensorsAreNotMmapped(t *testing.T) {
	if os.Getenv("GOTORCH_MALLOC_TEST_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStepSizedTensorsAreNotMmapped$", "-test.v")
		cmd.Env = append(os.Environ(), "GOTORCH_MALLOC_TEST_CHILD=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "the fresh process:\n%s", out)
		require.Contains(t, string(out), "--- PASS: TestStepSizedTensorsAreNotMmapped", "the fresh process:\n%s", out)
		return
	}
	before := capi.MallocMmappedBlocks()
	if before < 0 {
		t.Skip("malloc is not glibc 2.33 or later (no mallinfo2)")
	}
	// 1 MiB and 4 MiB of float32: a weight's gradient and Adam's temporaries
	// (the MLP's are 392 KiB), a batch of 1000 MNIST images (3 MiB).
	small := torch.Empty([]int64{256 << 10})
	medium := torch.Empty([]int64{1 << 20})
	assert.Equal(t, before, capi.MallocMmappedBlocks(), "a 1 or 4 MiB tensor has an mmap of its own: glibc's threshold was not raised at start-up")
	// The control: a block above any threshold is mmap()ed, and counted.
	big := torch.Empty([]int64{16 << 20})
	assert.Equal(t, before+1, capi.MallocMmappedBlocks(), "a 64 MiB tensor is not counted as mmap()ed: the count cannot show a regression")
	torch.FreeAll(small, medium, big)
}

// Package cudatest is the gate of the tests in *_cuda_test.go files: they
// run where libcgotorch.so was built against a CUDA libtorch and a GPU is
// visible, and elsewhere skip, saying why. scripts/gpu_check.sh sets
// GOTORCH_REQUIRE_CUDA=1, which turns the skip into a failure, so that a GPU
// run cannot pass by skipping them.
package cudatest

import (
	"os"
	"testing"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// Require returns cuda:0, or skips the test (fails it under
// GOTORCH_REQUIRE_CUDA=1) where CUDA is not available.
func Require(t testing.TB) torch.Device {
	t.Helper()
	if cuda.IsAvailable() {
		return torch.CUDA(0)
	}
	why := "libtorch " + torch.Version() + " has CUDA but this process sees no CUDA device"
	if !torch.CUDACompiled() {
		why = "libcgotorch.so was built against a CPU-only libtorch " + torch.Version()
	}
	if os.Getenv("GOTORCH_REQUIRE_CUDA") == "1" {
		t.Fatalf("CUDA not available: %s, and GOTORCH_REQUIRE_CUDA=1", why)
	}
	t.Skip("CUDA not available: " + why)
	return torch.Device{}
}

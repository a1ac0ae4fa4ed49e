package jit_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/cudatest"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/jit"
)

// A TorchScript module loaded onto the GPU (map_location) or moved there
// with To answers as on the CPU: the traced CNN and resnet18, whose
// convolutions cuDNN computes in its own order, to 1e-4.
func TestCUDAForward(t *testing.T) {
	dev := cudatest.Require(t)
	dir, _, want := models(t)
	for _, tc := range []struct{ file, x, y string }{
		{"cnn.pt", "cnn.x", "cnn.y"},
		{"resnet18.pt", "resnet.x", "resnet.y"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m, err := jit.Load(filepath.Join(dir, tc.file), dev)
			require.NoError(t, err)
			defer m.Free()
			require.NoError(t, m.Eval())
			for _, p := range m.Parameters() {
				require.True(t, p.Device().IsCUDA(), "parameters loaded onto %v", dev)
			}
			y := forward(t, m, want[tc.x].To(dev))
			assert.True(t, y.Device().IsCUDA())
			requireClose(t, want[tc.y], y.To(torch.CPU), 1e-4, tc.file+" on CUDA")

			// Loaded on the CPU and moved: the same tensors, now on the GPU.
			m2 := load(t, dir, tc.file)
			before := m2.Parameters()
			require.NoError(t, m2.To(dev))
			assert.Same(t, before[0], m2.Parameters()[0])
			assert.True(t, before[0].Device().IsCUDA())
			requireClose(t, want[tc.y], forward(t, m2, want[tc.x].To(dev)).To(torch.CPU), 1e-4, tc.file+" moved to CUDA")
		})
	}
}

package nn_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
)

// tempPath is a file name in the test's temporary folder.
func tempPath(t *testing.T, name string) string { return filepath.Join(t.TempDir(), name) }

// savePT writes tensors for a Python script to read with torch.load.
func savePT(t *testing.T, tensors map[string]*torch.Tensor) string {
	t.Helper()
	path := tempPath(t, "in.pt")
	require.NoError(t, torch.Save(tensors, path))
	return path
}

// loadPT reads what a Python script wrote with torch.save(dict, path).
func loadPT(t *testing.T, path string) map[string]*torch.Tensor {
	t.Helper()
	m, err := torch.Load(path)
	require.NoError(t, err)
	return m
}

// requireBitEqual checks that two float32 tensors hold the same bits.
func requireBitEqual(t *testing.T, want, got *torch.Tensor, name string) {
	t.Helper()
	require.Equal(t, want.Shape(), got.Shape(), name)
	w, g := want.Float32s(), got.Float32s()
	for i := range w {
		if math.Float32bits(w[i]) != math.Float32bits(g[i]) {
			t.Fatalf("%s[%d]: PyTorch %v (%#x), Go %v (%#x)", name, i, w[i], math.Float32bits(w[i]), g[i], math.Float32bits(g[i]))
		}
	}
}

// requireClose checks that two tensors agree to tol: absolutely for values
// up to 1 in magnitude, relatively above (float32 sums of a few terms near
// 15 differ by 1e-5 between thread counts and libtorch releases).
func requireClose(t *testing.T, want, got *torch.Tensor, tol float64, name string) {
	t.Helper()
	require.Equal(t, want.Shape(), got.Shape(), name)
	w, g := want.Float64s(), got.Float64s()
	for i := range w {
		require.InDelta(t, w[i], g[i], tol*max(1, math.Abs(w[i])), "%s[%d]", name, i)
	}
}

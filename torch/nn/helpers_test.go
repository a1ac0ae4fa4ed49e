package nn_test

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
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

// pyCaseResults is what a script run by runCasesInPython reports besides
// its tensors: each case's parameter names and repr.
type pyCaseResults struct {
	Keys map[string][]string
	Repr map[string]string
}

// runCasesInPython runs body in one Python process with cases (as JSON),
// the tensors Go made (as d) and three dicts for it to fill: out (tensors by
// name), keys and reprs. It returns out, read back, and the other two.
func runCasesInPython(t *testing.T, cases any, tensors map[string]*torch.Tensor, body string) (map[string]*torch.Tensor, pyCaseResults) {
	t.Helper()
	spec, err := json.Marshal(cases)
	require.NoError(t, err)
	in, out := savePT(t, tensors), tempPath(t, "py.pt")
	var py pyCaseResults
	pytorch.JSON(t, `
import sys, json, warnings
warnings.simplefilter("ignore")
cases = json.loads(sys.argv[1]); d = torch.load(sys.argv[2]); out = {}; keys = {}; reprs = {}
`+body+`
torch.save(out, sys.argv[3])
print(json.dumps({"Keys": keys, "Repr": reprs}))
`, &py, string(spec), in, out)
	return loadPT(t, out), py
}

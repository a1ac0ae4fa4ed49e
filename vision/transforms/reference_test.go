package transforms_test

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/stretchr/testify/require"
)

// refScript applies torchvision pipelines to byte images, all jobs in one
// run so that torch is imported once. A job's pipeline is a Python
// expression for a function of (img, params): img is a PIL image built from
// the bytes ("L" for one channel, "RGB" for three), params the per-image
// values given by the test (crop offsets). PIL outputs are read back with
// pil_to_tensor, tensors as they are.
const refScript = `
import sys, json
import numpy as np
from PIL import Image
import torchvision.transforms as T
import torchvision.transforms.functional as F
spec = json.load(open(sys.argv[1]))
raw = np.fromfile(sys.argv[2], dtype=np.uint8)
off, res = 0, []
with open(sys.argv[3], "wb") as out:
    for job in spec:
        pipe = eval(job["pipeline"])
        for k, (c, h, w) in enumerate(job["shapes"]):
            a = raw[off:off + c*h*w].reshape(c, h, w)
            off += c*h*w
            img = Image.fromarray(a[0], mode="L") if c == 1 else Image.fromarray(np.ascontiguousarray(a.transpose(1, 2, 0)), mode="RGB")
            y = pipe(img, job["params"][k])
            if isinstance(y, Image.Image):
                y = F.pil_to_tensor(y)
            arr = y.contiguous().numpy()
            res.append({"shape": list(arr.shape), "dtype": str(arr.dtype)})
            out.write(arr.tobytes())
print(json.dumps(res))
`

// refJob is one pipeline run on some images.
type refJob struct {
	Pipeline string
	Images   []*transforms.Image
	Params   []any // per image, or nil
}

// refOut is one image as torchvision returned it.
type refOut struct {
	Shape []int
	DType string
	Bytes []uint8
	Pix   []float32
}

// torchvision runs the jobs in one Python process and returns, per job, its
// outputs.
func torchvision(t *testing.T, jobs []refJob) [][]refOut {
	t.Helper()
	dir := t.TempDir()
	var raw []byte
	type jobSpec struct {
		Pipeline string   `json:"pipeline"`
		Shapes   [][3]int `json:"shapes"`
		Params   []any    `json:"params"`
	}
	specs := make([]jobSpec, len(jobs))
	for j, job := range jobs {
		specs[j] = jobSpec{Pipeline: job.Pipeline, Params: job.Params}
		if specs[j].Params == nil {
			specs[j].Params = make([]any, len(job.Images))
		}
		for _, m := range job.Images {
			require.False(t, m.IsFloat())
			raw = append(raw, m.Bytes...)
			specs[j].Shapes = append(specs[j].Shapes, [3]int{m.C, m.H, m.W})
		}
	}
	spec, err := json.Marshal(specs)
	require.NoError(t, err)
	specPath, rawPath, outPath := filepath.Join(dir, "spec.json"), filepath.Join(dir, "in.raw"), filepath.Join(dir, "out.raw")
	require.NoError(t, os.WriteFile(specPath, spec, 0o644))
	require.NoError(t, os.WriteFile(rawPath, raw, 0o644))
	var outs []refOut
	pytorch.JSON(t, refScript, &outs, specPath, rawPath, outPath)
	data, err := os.ReadFile(outPath)
	require.NoError(t, err)
	for i := range outs {
		n := 1
		for _, d := range outs[i].Shape {
			n *= d
		}
		switch outs[i].DType {
		case "uint8":
			outs[i].Bytes, data = data[:n], data[n:]
		case "float32":
			outs[i].Pix = make([]float32, n)
			for j := range outs[i].Pix {
				outs[i].Pix[j] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*j:]))
			}
			data = data[4*n:]
		default:
			t.Fatalf("unexpected dtype %s", outs[i].DType)
		}
	}
	require.Empty(t, data, "torchvision wrote more values than its shapes say")
	perJob := make([][]refOut, len(jobs))
	for j, job := range jobs {
		perJob[j], outs = outs[:len(job.Images)], outs[len(job.Images):]
	}
	return perJob
}

// requireSame checks a Go output against torchvision's: same shape and kind,
// bytes equal, floats within tol (0 for bit-exact).
func requireSame(t *testing.T, want refOut, got *transforms.Image, tol float64, msg string) {
	t.Helper()
	require.Equal(t, want.Shape, []int{got.C, got.H, got.W}, "%s: shape", msg)
	if want.DType == "uint8" {
		require.False(t, got.IsFloat(), "%s: torchvision gives bytes, Go gives floats", msg)
		require.Equal(t, want.Bytes, got.Bytes, "%s", msg)
		return
	}
	require.True(t, got.IsFloat(), "%s: torchvision gives floats, Go gives bytes", msg)
	worst, at := 0.0, -1
	for i := range want.Pix {
		if d := math.Abs(float64(want.Pix[i]) - float64(got.Pix[i])); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if tol == 0 {
		require.Equal(t, want.Pix, got.Pix, "%s: not bit-exact (worst difference %g at %d)", msg, worst, at)
	}
	require.LessOrEqual(t, worst, tol, "%s: worst difference at %d", msg, at)
}

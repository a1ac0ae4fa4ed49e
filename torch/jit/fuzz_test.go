package jit_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/jit"
)

// FuzzLoad feeds jit.Load well-formed archives (right checksums) of the
// scripted MLP whose pickles or code were replaced by the fuzzer's bytes:
// every one must load or fail with an error, and a loaded one must run or
// fail with an error, never crash the process. The seeds are the MLP's own
// records, made by the reference torch.
func FuzzLoad(f *testing.F) {
	records := fuzzRecords(f)
	for i, name := range fuzzTargets {
		f.Add(uint8(i), records[name])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, which uint8, content []byte) {
		target := fuzzTargets[int(which)%len(fuzzTargets)]
		path := filepath.Join(dir, "m.pt")
		writeArchive(t, path, records, target, content)
		m, err := jit.Load(path, torch.CPU)
		if err != nil {
			require.Contains(t, err.Error(), path)
			return
		}
		defer m.Free()
		x := torch.Ones([]int64{5, 4})
		defer x.Free()
		if out, err := m.Forward(x); err == nil {
			if y, ok := out.(*torch.Tensor); ok {
				y.Free()
			}
		}
	})
}

// fuzzTargets are the records FuzzLoad replaces.
var fuzzTargets = []string{"mlp/data.pkl", "mlp/constants.pkl", "mlp/code/__torch__.py", "mlp/version"}

// fuzzRecords builds a scripted MLP in the reference torch (skipping
// without one) and returns its records by name, and their order under the
// key "".
func fuzzRecords(f *testing.F) map[string][]byte {
	dir := f.TempDir()
	cmd := exec.Command(pytorch.Python(f), "testdata/make_models.py", dir, "--mlp-only")
	if out, err := cmd.CombinedOutput(); err != nil {
		f.Fatalf("make_models.py --mlp-only: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "mlp.pt"))
	require.NoError(f, err)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(f, err)
	records := map[string][]byte{}
	var order []string
	for _, zf := range zr.File {
		r, err := zf.Open()
		require.NoError(f, err)
		data, err := io.ReadAll(r)
		require.NoError(f, err)
		records[zf.Name] = data
		order = append(order, zf.Name)
	}
	records[""] = []byte(strings.Join(order, "\n"))
	return records
}

func writeArchive(t *testing.T, path string, records map[string][]byte, target string, content []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range strings.Split(string(records[""]), "\n") {
		data := records[name]
		if name == target {
			data = content
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

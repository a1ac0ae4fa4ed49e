package torch_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// everyDType is one tensor per dtype, with values that tell elements apart,
// plus the shapes that trip writers up: 0-d, empty, a transposed view and a
// leaf that requires grad.
func everyDType() map[string]*torch.Tensor {
	base := torch.Arange(-3, 9, 1, torch.WithDType(torch.Float64)).Reshape(3, 4)
	m := map[string]*torch.Tensor{}
	for _, d := range []torch.DType{torch.Uint8, torch.Int8, torch.Int16, torch.Int32, torch.Int64,
		torch.Float16, torch.Float32, torch.Float64, torch.Bool, torch.BFloat16} {
		v := base
		if d == torch.Uint8 {
			v = base.AddScalar(torch.Int(3))
		}
		m[d.String()] = v.ToDType(d)
	}
	m["scalar"] = torch.Full(nil, torch.Float(2.5))
	m["empty"] = torch.Zeros([]int64{0, 3})
	m["transposed"] = base.ToDType(torch.Float32).T()
	m["big"] = torch.Arange(0, 70000, 1, torch.WithDType(torch.Int64)) // numel needs BININT
	m["param"] = torch.Ones([]int64{2}).SetRequiresGrad(true)
	return m
}

type pyTensor struct {
	DType        string    `json:"dtype"`
	Shape        []int64   `json:"shape"`
	RequiresGrad bool      `json:"requires_grad"`
	Values       []float64 `json:"values"`
}

// describePy prints, for a dict of tensors d, each one's dtype, shape,
// requires_grad and values as JSON.
const describePy = `
import json
def describe(d):
    return {k: {"dtype": str(v.dtype), "shape": list(v.shape), "requires_grad": v.requires_grad,
                "values": v.detach().double().flatten().tolist()} for k, v in d.items()}
`

// describe is describePy's view of Go tensors: what the parity scripts
// print of theirs.
func describe(m map[string]*torch.Tensor) map[string]pyTensor {
	out := map[string]pyTensor{}
	for k, v := range m {
		vals := v.Detach().ToDType(torch.Float64).Float64s()
		if len(vals) == 0 {
			vals = []float64{}
		}
		out[k] = pyTensor{DType: v.DType().String(), Shape: append([]int64{}, v.Shape()...),
			RequiresGrad: v.RequiresGrad(), Values: vals}
	}
	return out
}

// Python loads what Go saves with weights_only=True (the default since
// PyTorch 2.6, set for every torch by the parity prelude), as the
// OrderedDict torch.save(state_dict) gives, and Go reads back what Python
// saves of it, bit for bit.
func TestCheckpointEveryDTypeBothWays(t *testing.T) {
	dir := t.TempDir()
	goFile, pyFile := filepath.Join(dir, "go.pt"), filepath.Join(dir, "py.pt")
	in := everyDType()
	require.NoError(t, torch.Save(in, goFile))

	var got map[string]pyTensor
	pytorch.JSON(t, describePy+`
import sys
d = torch.load(sys.argv[1])
assert type(d).__name__ == "OrderedDict", type(d)
torch.save(d, sys.argv[2])
print(json.dumps(describe(d)))`, &got, goFile, pyFile)
	assert.Equal(t, describe(in), got)

	back, err := torch.Load(pyFile)
	require.NoError(t, err)
	assert.Equal(t, describe(in), describe(back))
	for k, w := range in { // bit for bit, NaN payloads and all
		assert.Equal(t, w.Bytes(), back[k].Bytes(), k)
	}
}

// Go reads what Python's torch.save writes: views sharing one storage at
// offsets and with strides, an nn.Parameter (_rebuild_parameter), and a
// module's state_dict with its _metadata.
func TestLoadPythonViewsAndParameters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "py.pt")
	var want map[string]pyTensor
	pytorch.JSON(t, describePy+`
import sys
base = torch.arange(12.).reshape(3, 4)
d = {"t": base.t(), "row": base[1], "cols": base[:, 1:3], "step": base[::2, ::3],
     "param": torch.nn.Parameter(torch.tensor([0.5, -1.5])), "half": base.half()[2]}
lin = torch.nn.Linear(3, 2)
d.update({"lin." + k: v for k, v in lin.state_dict().items()})
torch.save(d, sys.argv[1])
print(json.dumps(describe(d)))`, &want, path)

	got, err := torch.Load(path)
	require.NoError(t, err)
	assert.Equal(t, want, describe(got))

	// And a state_dict exactly as a module gives it (OrderedDict with _metadata).
	pytorch.Run(t, `import sys
torch.manual_seed(0)
torch.save(torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU()).state_dict(), sys.argv[1])`, path)
	sd, err := torch.Load(path)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"0.weight", "0.bias"}, keys(sd))
}

func keys(m map[string]*torch.Tensor) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// A pickle that names anything off the allow-list is refused before it
// could run: here os.system, which would create a file.
func TestLoadRefusesCodeInPickle(t *testing.T) {
	dir := t.TempDir()
	path, marker := filepath.Join(dir, "evil.pt"), filepath.Join(dir, "ran")
	pytorch.Run(t, `import os, sys
class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[2],))
torch.save({"w": torch.zeros(2), "x": Evil()}, sys.argv[1])`, path, marker)
	_, err := torch.Load(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "system, which is not on the weights-only allow-list")
	assert.NoFileExists(t, marker)
}

// Bad files give an error that names the file and says what was expected
// and what was found.
func TestLoadBadFiles(t *testing.T) {
	dir := t.TempDir()
	valid, err := torch.Marshal(map[string]*torch.Tensor{"w": torch.Arange(0, 8, 1), "b": torch.Ones([]int64{3})})
	require.NoError(t, err)

	// Python writes the files only it can: the legacy format, TorchScript,
	// one bare tensor, and a view reaching past its storage (made with the
	// very _rebuild_tensor_v2 that the allow-list permits).
	legacy, script, bare, past := filepath.Join(dir, "legacy.pt"), filepath.Join(dir, "script.pt"),
		filepath.Join(dir, "bare.pt"), filepath.Join(dir, "past.pt")
	pytorch.Run(t, `import collections, sys
torch.save({"w": torch.zeros(2)}, sys.argv[1], _use_new_zipfile_serialization=False)
torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), sys.argv[2])
torch.save(torch.zeros(2), sys.argv[3])
class Past:
    def __init__(self, s): self.s = s
    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, (self.s, 2, (5,), (1,), False, collections.OrderedDict()))
torch.save({"w": Past(torch.zeros(4).storage())}, sys.argv[4])`, legacy, script, bare, past)

	cases := []struct {
		name string
		data []byte
		file string
		want string
	}{
		{name: "empty", data: []byte{}, want: "found an empty file"},
		{name: "zeros", data: make([]byte, 4096), want: "found 4096 bytes that are not one"},
		{name: "text", data: []byte("not a zip"), want: "expected a torch.save zip archive"},
		{name: "truncated", data: valid[:len(valid)/2], want: "expected a torch.save zip archive"},
		{name: "short storage", data: replaceRecord(t, valid, "archive/data/0", []byte{1, 2, 3, 4}),
			want: "storage 0 declares 3 elements of torch.float32 (12 bytes), but its record holds 4 bytes"},
		{name: "missing storage", data: replaceRecord(t, valid, "archive/data/1", nil),
			want: "the archive has no record data/1"},
		{name: "bad pickle", data: replaceRecord(t, valid, "archive/data.pkl", []byte{0x80, 0x02, 'X', 0xff, 0xff, 0xff, 0x7f}),
			want: "data.pkl is not a valid pickle: truncated"},
		{name: "empty stack", data: replaceRecord(t, valid, "archive/data.pkl", []byte{0x80, 0x02, 'R', '.'}),
			want: "data.pkl"},
		{name: "legacy", file: legacy, want: "legacy format"},
		{name: "torchscript", file: script, want: "TorchScript archive"},
		{name: "bare tensor", file: bare, want: "found one tensor"},
		{name: "view past storage", file: past, want: "reaches past its storage of 4 elements"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.file
			if path == "" {
				path = filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".pt")
				require.NoError(t, os.WriteFile(path, c.data, 0o644))
			}
			_, err := torch.Load(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err = torch.Load(dir)
	assert.ErrorContains(t, err, "is a folder")
}

// replaceRecord rewrites a zip with one record's data replaced (nil:
// removed).
func replaceRecord(t *testing.T, archive []byte, name string, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		content := data
		if f.Name != name {
			rc, err := f.Open()
			require.NoError(t, err)
			content, err = io.ReadAll(rc)
			require.NoError(t, err)
		} else if data == nil {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(content)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// Save replaces a file only when the new one is complete.
func TestSaveKeepsOldFileOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.pt")
	require.NoError(t, torch.Save(map[string]*torch.Tensor{"a": torch.Ones([]int64{2})}, path))
	freed := torch.Ones([]int64{2})
	freed.Free()
	err := torch.Save(map[string]*torch.Tensor{"a": torch.Zeros([]int64{2}), "b": freed}, path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	m, err := torch.Load(path)
	require.NoError(t, err)
	assert.Equal(t, []float32{1, 1}, m["a"].Float32s())
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")
}

// Records start on 64-byte boundaries, as PyTorch's writer puts them (what
// torch.load(mmap=True) maps).
func TestSaveAlignsRecords(t *testing.T) {
	data, err := torch.Marshal(everyDType())
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		off, err := f.DataOffset()
		require.NoError(t, err)
		assert.Zero(t, off%64, f.Name)
	}
}

// FuzzUnmarshal: no input makes Unmarshal panic, hang or allocate more than
// the input holds; what it accepts are tensors that can be used.
func FuzzUnmarshal(f *testing.F) {
	valid, err := torch.Marshal(map[string]*torch.Tensor{
		"w": torch.Arange(0, 6, 1).Reshape(2, 3), "n": torch.FromSlice([]int64{7}), "s": torch.Full(nil, torch.Float(1)),
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	f.Add(valid[:100])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := torch.Unmarshal(data)
		if err != nil {
			return
		}
		for _, v := range m {
			v.Bytes()
			v.Free()
		}
	})
}

// Files that earlier gotorch versions saved through libtorch's pickler wrap
// the dict in torch.jit._pickle.restore_type_tag(dict, "Dict[str, Tensor]");
// they still load. Python writes one here with that very wrapper.
func TestLoadLibtorchTypeTaggedDict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tagged.pt")
	pytorch.Run(t, `import sys
import torch.jit._pickle
class Tagged:
    def __init__(self, d): self.d = d
    def __reduce__(self):
        return (torch.jit._pickle.restore_type_tag, (self.d, "Dict[str, Tensor]"))
torch.save(Tagged({"w": torch.tensor([[1., 2.], [3., 4.]]), "n": torch.tensor(7)}), sys.argv[1])`, path)
	m, err := torch.Load(path)
	require.NoError(t, err)
	assert.Equal(t, []float32{1, 2, 3, 4}, m["w"].Float32s())
	assert.Equal(t, torch.Size{2, 2}, m["w"].Shape())
	assert.Equal(t, int64(7), m["n"].ItemInt())
	assert.Equal(t, 0, m["n"].Dim())
}

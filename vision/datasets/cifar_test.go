package datasets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a committed CIFAR-10 of 2 images per batch in both formats,
// written by testdata/make_cifar10.py.
const fixture = "testdata/cifar10"

var cifarNames = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// makeCIFAR writes a CIFAR-10 of n images per batch with the generator
// script, in both formats, and returns its root.
func makeCIFAR(t *testing.T, n int) string {
	t.Helper()
	py := pytorch.Python(t)
	root := t.TempDir()
	out, err := exec.Command(py, "testdata/make_cifar10.py", root, strconv.Itoa(n), "7").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return root
}

// onlyFormat copies one format's folder of root into a new root.
func onlyFormat(t *testing.T, root, folder string) string {
	t.Helper()
	dst := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(dst, folder), os.DirFS(filepath.Join(root, folder))))
	return dst
}

// TestCIFAR10AgainstTorchvision loads files in the real formats with
// torchvision (its per-file md5 check turned off, as the files are not the
// official ones) and compares the images, labels, classes and the
// tutorial's transform with both of this package's readers.
func TestCIFAR10AgainstTorchvision(t *testing.T) {
	root := makeCIFAR(t, 5)
	script := `
import sys, json
import numpy as np
import torchvision, torchvision.datasets.cifar as cifar
import torchvision.transforms as T
cifar.check_integrity = lambda *a, **k: True
root, out = sys.argv[1], open(sys.argv[2], "wb")
res = {}
tf = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
for train in (True, False):
    ds = torchvision.datasets.CIFAR10(root=root, train=train, transform=tf)
    res[str(train)] = {"targets": [int(y) for y in ds.targets], "classes": ds.classes,
                       "chw": ds.data.transpose(0, 3, 1, 2).flatten().tolist()}
    for i in range(len(ds)):
        out.write(ds[i][0].numpy().tobytes())
out.close()
print(json.dumps(res))
`
	outPath := filepath.Join(t.TempDir(), "out.raw")
	var ref map[string]struct {
		Targets []int64
		Classes []string
		CHW     []uint8
	}
	pytorch.JSON(t, script, &ref, root, outPath)
	floats := readFloat32s(t, outPath)
	tf := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}))
	for _, train := range []bool{true, false} {
		want := ref[map[bool]string{true: "True", false: "False"}[train]]
		n := len(want.Targets)
		require.Equal(t, map[bool]int{true: 25, false: 5}[train], n)
		wantFloats := floats[:n*3072]
		for _, folder := range []string{cifarPyFolder, cifarBinFolder} {
			ds, err := NewCIFAR10(onlyFormat(t, root, folder), Options{Train: train, Transform: tf})
			require.NoError(t, err, folder)
			assert.Equal(t, want.Targets, ds.Targets(), folder)
			assert.Equal(t, want.Classes, ds.Classes(), folder)
			assert.Equal(t, want.CHW, ds.Data(), folder)
			assert.Equal(t, []int64{3, 32, 32}, ds.SampleShape())
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			batch, labels := make([]float32, n*3072), make([]int64, n)
			require.NoError(t, ds.GetBatch(idx, batch, labels))
			requireClose(t, wantFloats, batch, 0, folder+" GetBatch")
			assert.Equal(t, want.Targets, labels)
			img, label := ds.Get(n - 1)
			requireClose(t, wantFloats[(n-1)*3072:], img.Float32s(), 0, folder+" Get")
			assert.Equal(t, want.Targets[n-1], label)
		}
		floats = floats[n*3072:]
	}
}

func TestCIFAR10Fixture(t *testing.T) {
	for _, folder := range []string{cifarPyFolder, cifarBinFolder} {
		for _, train := range []bool{true, false} {
			ds, err := NewCIFAR10(onlyFormat(t, fixture, folder), Options{Train: train})
			require.NoError(t, err)
			assert.Equal(t, map[bool]int{true: 10, false: 2}[train], ds.Len())
			assert.Equal(t, cifarNames, ds.Classes())
			assert.Equal(t, train, ds.Train())
			img, _ := ds.Get(1)
			assert.Equal(t, "torch.Size([3, 32, 32])", img.Shape().String())
			assert.Equal(t, ds.Data()[3072:6144], img.Uint8s())
		}
	}
	// Both formats hold the same images.
	py, err := NewCIFAR10(onlyFormat(t, fixture, cifarPyFolder), Options{Train: true})
	require.NoError(t, err)
	bin, err := NewCIFAR10(onlyFormat(t, fixture, cifarBinFolder), Options{Train: true})
	require.NoError(t, err)
	assert.Equal(t, py.Data(), bin.Data())
	assert.Equal(t, py.Targets(), bin.Targets())
	assert.Equal(t, filepath.Join(fixture, cifarPyFolder), mustCIFAR(t, fixture).Folder(), "the Python version wins when both are there")
}

func mustCIFAR(t *testing.T, root string) *CIFAR10 {
	t.Helper()
	ds, err := NewCIFAR10(root, Options{Train: true})
	require.NoError(t, err)
	return ds
}

func TestCIFAR10BadFiles(t *testing.T) {
	batch, err := os.ReadFile(filepath.Join(fixture, cifarPyFolder, "data_batch_1"))
	require.NoError(t, err)
	binBatch, err := os.ReadFile(filepath.Join(fixture, cifarBinFolder, "data_batch_1.bin"))
	require.NoError(t, err)
	meta, err := os.ReadFile(filepath.Join(fixture, cifarPyFolder, "batches.meta"))
	require.NoError(t, err)
	// The pickle opcodes that the python generator writes, for surgery.
	replace := func(b []byte, old, new string) []byte {
		require.True(t, bytes.Contains(b, []byte(old)), "fixture lacks %q", old)
		return bytes.Replace(b, []byte(old), []byte(new), 1)
	}
	// firstLabel sets the first label of the list to v.
	firstLabel := func(b []byte, v byte) []byte {
		i := bytes.Index(b, []byte("]q\x04(K"))
		require.Positive(t, i)
		b = append([]byte{}, b...)
		b[i+5] = v
		return b
	}
	binLabel := append([]byte{}, binBatch...)
	binLabel[3073] = 10
	cases := []struct {
		name, folder, file string
		content            []byte
		want               string
	}{
		{"truncated pickle", cifarPyFolder, "data_batch_1", batch[:len(batch)-100], "not a valid pickle: truncated: the opcode 0x54 at offset 212 needs 6144 more bytes, 6104 remain"},
		{"garbage", cifarPyFolder, "data_batch_1", []byte("\x00\x01garbage"), "not a valid pickle: unknown opcode 0x00 at offset 0"},
		{"empty", cifarPyFolder, "data_batch_1", nil, "not a valid pickle: truncated: no STOP opcode in 0 bytes"},
		{"text", cifarPyFolder, "data_batch_1", []byte("hello"), "not a valid pickle"},
		{"not a dict", cifarPyFolder, "data_batch_1", []byte("\x80\x02K\x05."), "the pickle holds a int, want a dict with data and labels"},
		{"no data", cifarPyFolder, "data_batch_1", replace(batch, "U\x04data", "U\x04date"), "the dict has no \"data\" (keys [\"batch_label\" \"labels\" \"date\" \"filenames\"])"},
		{"no labels", cifarPyFolder, "data_batch_1", replace(batch, "U\x06labels", "U\x06lables"), "the dict has no \"labels\""},
		{"wrong dtype", cifarPyFolder, "data_batch_1", replace(batch, "U\x02u1", "U\x02i1"), "shape [2 3072] and dtype |i1"},
		{"wrong shape", cifarPyFolder, "data_batch_1", replace(batch, "K\x02M\x00\x0c\x86", "K\x03M\x00\x08\x86"), "shape [3 2048] and dtype |u1"},
		{"short data", cifarPyFolder, "data_batch_1", replace(batch, "K\x02M\x00\x0c\x86", "K\x03M\x00\x0c\x86"), "\"data\" of shape [3 3072] holds 6144 bytes, want 9216"},
		{"label out of range", cifarPyFolder, "data_batch_1", firstLabel(batch, 12), "label 12 at index 0"},
		{"unknown global", cifarPyFolder, "data_batch_1", replace(batch, "cnumpy\nndarray\n", "cos\nsystem\n"), "refers to os.system"},
		{"meta with 3 names", cifarPyFolder, "batches.meta", []byte("\x80\x02}U\x0blabel_names](U\x01aU\x01bU\x01ces."), "3 label names, want 10"},
		{"meta garbage", cifarPyFolder, "batches.meta", meta[:20], "not a valid pickle"},
		{"missing batch", cifarPyFolder, "data_batch_3", nil, "data_batch_3 is missing: use Options{Download: true}, or extract cifar-10-python.tar.gz"},
		{"binary truncated", cifarBinFolder, "data_batch_1.bin", binBatch[:len(binBatch)-1], "6145 bytes is not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes): 1 records and 3072 bytes over"},
		{"binary label", cifarBinFolder, "data_batch_1.bin", binLabel, "label 10 in record 1, want a class 0..9"},
		{"binary meta", cifarBinFolder, "batches.meta.txt", []byte("a\nb\n"), "2 class names, want 10"},
		{"binary missing meta", cifarBinFolder, "batches.meta.txt", nil, "batches.meta.txt is missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := onlyFormat(t, fixture, tc.folder)
			path := filepath.Join(root, tc.folder, tc.file)
			if tc.content == nil && tc.name != "empty" {
				require.NoError(t, os.Remove(path))
			} else {
				require.NoError(t, os.WriteFile(path, tc.content, 0o644))
			}
			_, err := NewCIFAR10(root, Options{Train: true})
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = NewCIFAR10(t.TempDir(), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "neither")
	assert.Contains(t, err.Error(), "use Options{Download: true}, or download https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz (md5 c58f30108f718f92721af3b95e74349a)")
}

// tarGz packs the files under dir, plus any extra entries, as an archive.
func tarGz(t *testing.T, dir string, extra ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, h := range extra {
		require.NoError(t, tw.WriteHeader(h))
		if h.Size > 0 {
			_, err := tw.Write(make([]byte, h.Size))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.AddFS(os.DirFS(dir)))
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func md5Hex(b []byte) string {
	h := md5.Sum(b)
	return hex.EncodeToString(h[:])
}

func TestCIFAR10Download(t *testing.T) {
	good := tarGz(t, onlyFormat(t, fixture, cifarPyFolder))
	evil := tarGz(t, onlyFormat(t, fixture, cifarPyFolder), &tar.Header{Name: "../escape", Mode: 0o644, Size: 3, Typeflag: tar.TypeReg})
	link := tarGz(t, onlyFormat(t, fixture, cifarPyFolder), &tar.Header{Name: "cifar-10-batches-py/x", Linkname: "/etc/passwd", Typeflag: tar.TypeSymlink})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good.tar.gz":
			w.Write(good)
		case "/evil.tar.gz":
			w.Write(evil)
		case "/link.tar.gz":
			w.Write(link)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cases := []struct {
		name, path, md5 string
		want            string // "" for success
	}{
		{"official layout", "/good.tar.gz", md5Hex(good), ""},
		{"wrong md5", "/good.tar.gz", "0123456789abcdef0123456789abcdef", "md5 " + md5Hex(good) + ", want 0123456789abcdef0123456789abcdef"},
		{"not found", "/missing.tar.gz", "0123456789abcdef0123456789abcdef", "HTTP 404 Not Found"},
		{"path traversal", "/evil.tar.gz", md5Hex(evil), "entry \"../escape\" would be written outside"},
		{"symlink", "/link.tar.gz", md5Hex(link), "is a 2 entry; only files and directories are extracted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oldURL, oldMD5, oldLog := cifarURL, cifarMD5, Log
			cifarURL, cifarMD5, Log = srv.URL+tc.path, tc.md5, &bytes.Buffer{}
			defer func() { cifarURL, cifarMD5, Log = oldURL, oldMD5, oldLog }()
			parent := t.TempDir()
			root := filepath.Join(parent, "data")
			ds, err := NewCIFAR10(root, Options{Train: true, Download: true})
			if tc.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.want)
				assert.NoFileExists(t, filepath.Join(parent, "escape"))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 10, ds.Len())
			assert.FileExists(t, filepath.Join(root, cifarArchive))
			// A second call reuses the folder without downloading.
			Log = &bytes.Buffer{}
			_, err = NewCIFAR10(root, Options{Download: true})
			require.NoError(t, err)
			assert.Empty(t, Log.(*bytes.Buffer).String())
		})
	}
}

func TestCIFAR10Unreachable(t *testing.T) {
	oldURL, oldLog := cifarURL, Log
	cifarURL, Log = "http://127.0.0.1:1/cifar-10-python.tar.gz", &bytes.Buffer{}
	defer func() { cifarURL, Log = oldURL, oldLog }()
	root := t.TempDir()
	_, err := NewCIFAR10(root, Options{Download: true})
	require.Error(t, err)
	for _, s := range []string{"could not download http://127.0.0.1:1/cifar-10-python.tar.gz", "put cifar-10-python.tar.gz (md5 c58f30108f718f92721af3b95e74349a) into " + root, "cifar-10-batches-bin/"} {
		assert.Contains(t, err.Error(), s)
	}
}

// TestFixtureIsGenerated checks that the committed fixture is what the
// generator script writes, so that the fixture and the script cannot drift.
// The binary files are compared byte for byte; the pickles by what Python
// unpickles from them, since numpy's pickles name numpy.core in 1.x and
// numpy._core in 2.x.
func TestFixtureIsGenerated(t *testing.T) {
	py := pytorch.Python(t)
	root := t.TempDir()
	out, err := exec.Command(py, "testdata/make_cifar10.py", root, "2", "1").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, folder := range []string{cifarPyFolder, cifarBinFolder} {
		entries, err := os.ReadDir(filepath.Join(fixture, folder))
		require.NoError(t, err)
		require.Len(t, entries, 7)
		for _, e := range entries {
			generated, committed := filepath.Join(root, folder, e.Name()), filepath.Join(fixture, folder, e.Name())
			if folder == cifarPyFolder {
				out, err := exec.Command(py, "-c", samePickle, generated, committed).CombinedOutput()
				require.NoError(t, err, "%s", out)
				assert.Equal(t, "same\n", string(out), "%s/%s", folder, e.Name())
				continue
			}
			want, err := os.ReadFile(generated)
			require.NoError(t, err)
			got, err := os.ReadFile(committed)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%s/%s", folder, e.Name())
		}
	}
}

// samePickle prints "same" when two pickles hold equal values (numpy arrays
// of the same dtype, shape and elements), else where they differ.
const samePickle = `import pickle, sys
import numpy as np
def load(p):
    with open(p, "rb") as f:
        return pickle.load(f, encoding="bytes")
def diff(a, b, at):
    if type(a) is not type(b):
        return "%s: %s vs %s" % (at, type(a).__name__, type(b).__name__)
    if isinstance(a, np.ndarray):
        ok = a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        return None if ok else "%s: arrays differ" % at
    if isinstance(a, dict):
        if list(a) != list(b):
            return "%s: keys %r vs %r" % (at, list(a), list(b))
        return next((d for d in (diff(a[k], b[k], "%s[%r]" % (at, k)) for k in a) if d), None)
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return "%s: lengths %d vs %d" % (at, len(a), len(b))
        return next((d for d in (diff(x, y, "%s[%d]" % (at, i)) for i, (x, y) in enumerate(zip(a, b))) if d), None)
    return None if a == b else "%s: %r vs %r" % (at, a, b)
print(diff(load(sys.argv[1]), load(sys.argv[2]), "") or "same")
`

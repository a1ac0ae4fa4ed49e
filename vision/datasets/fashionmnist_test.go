package datasets

import (
	"crypto/md5"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// smallIDX is a made-up dataset in MNIST's format: n images of h x w random
// bytes and labels 0..9, as the four files torchvision reads.
type smallIDX struct {
	files map[string][]byte // file name (without .gz) -> content
}

func newSmallIDX(nTrain, nTest, h, w int) smallIDX {
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{}
	for _, split := range []struct {
		prefix string
		n      int
	}{{"train", nTrain}, {"t10k", nTest}} {
		pix := make([]byte, split.n*h*w)
		for i := range pix {
			pix[i] = byte(rng.IntN(256))
		}
		labels := make([]byte, split.n)
		for i := range labels {
			labels[i] = byte(rng.IntN(10))
		}
		files[split.prefix+"-images-idx3-ubyte"] = idxBytes(idxImagesMagic, []uint32{uint32(split.n), uint32(h), uint32(w)}, pix)
		files[split.prefix+"-labels-idx1-ubyte"] = idxBytes(idxLabelsMagic, []uint32{uint32(split.n)}, labels)
	}
	return smallIDX{files: files}
}

// write puts the files into root/FashionMNIST/raw, gzip-compressed or not.
func (s smallIDX) write(t *testing.T, root string, gzipped bool) {
	t.Helper()
	raw := filepath.Join(root, "FashionMNIST", "raw")
	require.NoError(t, os.MkdirAll(raw, 0o755))
	for name, b := range s.files {
		if gzipped {
			name, b = name+".gz", gz(t, b)
		}
		require.NoError(t, os.WriteFile(filepath.Join(raw, name), b, 0o644))
	}
}

// TestFashionMNISTAgainstTorchvision reads small generated files in
// FashionMNIST's layout with torchvision.datasets.FashionMNIST and compares
// length, targets, raw bytes, classes, repr and the transformed samples
// (through Get, GetBatch and a Loader) of both splits; the files are read
// decompressed and gzip-compressed.
func TestFashionMNISTAgainstTorchvision(t *testing.T) {
	const h, w = 3, 4 // not square, to catch a transposition
	files := newSmallIDX(7, 5, h, w)
	pyRoot := t.TempDir()
	files.write(t, pyRoot, false)
	outPath := filepath.Join(t.TempDir(), "out.raw")
	var ref map[string]struct {
		Len     int
		Targets []int64
		Bytes   []uint8
		Classes []string
		Repr    string
	}
	pytorch.JSON(t, `
import sys, json
import numpy as np
import torchvision
import torchvision.transforms as T
root, out = sys.argv[1], open(sys.argv[2], "wb")
res = {}
for train in (True, False):
    ds = torchvision.datasets.FashionMNIST(root=root, train=train)
    res[str(train)] = {"Len": len(ds), "Targets": ds.targets.tolist(), "Bytes": ds.data.flatten().tolist(),
                       "Classes": ds.classes, "Repr": repr(ds)}
    ds = torchvision.datasets.FashionMNIST(root=root, train=train,
        transform=T.Compose([T.ToTensor(), T.Normalize((0.2860,), (0.3530,))]), target_transform=lambda y: y + 100)
    for i in range(len(ds)):
        x, y = ds[i]
        assert y == ds.targets[i] + 100
        out.write(x.numpy().astype(np.float32).tobytes())
out.close()
print(json.dumps(res))
`, &ref, pyRoot, outPath)
	floats := readFloat32s(t, outPath)
	per := h * w

	for _, gzipped := range []bool{false, true} {
		root := pyRoot
		if gzipped {
			root = t.TempDir()
			files.write(t, root, true)
		}
		want := floats
		for _, train := range []bool{true, false} {
			r := ref[map[bool]string{true: "True", false: "False"}[train]]
			ds, err := NewFashionMNIST(root, Options{Train: train})
			require.NoError(t, err)
			assert.Equal(t, r.Len, ds.Len())
			assert.Equal(t, r.Targets, ds.Targets())
			assert.Equal(t, r.Bytes, ds.Data())
			assert.Equal(t, r.Classes, ds.Classes())
			// torchvision prints the root it was given; ours was another
			// folder for the gzip-compressed copy.
			assert.Equal(t, strings.Replace(r.Repr, pyRoot, root, 1), ds.String())
			assert.Equal(t, train, ds.Train())
			assert.Equal(t, filepath.Join(root, "FashionMNIST", "raw"), ds.RawFolder())
			c, hh, ww := ds.Shape()
			assert.Equal(t, []int{1, h, w}, []int{c, hh, ww})

			tf := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.2860}, []float64{0.3530}))
			ds, err = NewFashionMNIST(root, Options{Train: train, Transform: tf, TargetTransform: func(y int64) int64 { return y + 100 }})
			require.NoError(t, err)
			split := want[:r.Len*per]
			want = want[r.Len*per:]
			for i := range r.Len {
				x, y := ds.Get(i)
				assert.Equal(t, r.Targets[i]+100, y)
				assert.Equal(t, split[i*per:(i+1)*per], x.Float32s(), "Get(%d)", i)
			}
			var got []float32
			var labels []int64
			l := data.NewLoader(ds, data.Options{BatchSize: 3, NumWorkers: 2})
			for x, y := range l.All() {
				got = append(got, x.Float32s()...)
				labels = append(labels, y.Int64s()...)
			}
			require.NoError(t, l.Err())
			assert.Equal(t, split, got, "Loader")
			for i := range labels {
				assert.Equal(t, r.Targets[i]+100, labels[i])
			}
		}
		require.Empty(t, want)
	}
}

// TestFashionMNISTMissingAndBad: without the files the error says which
// file is missing and where to put all four; a bad label is refused as for
// MNIST; MNIST files in root/MNIST are not taken for FashionMNIST's.
func TestFashionMNISTMissingAndBad(t *testing.T) {
	root := t.TempDir()
	writeMNIST(t, root, idxBytes(idxImagesMagic, []uint32{1, 1, 1}, []byte{1}), idxBytes(idxLabelsMagic, []uint32{1}, []byte{1}), false)
	_, err := NewFashionMNIST(root, Options{})
	require.Error(t, err)
	for _, s := range []string{
		"FashionMNIST: " + filepath.Join(root, "FashionMNIST", "raw", "t10k-images-idx3-ubyte") + " not found",
		"put the files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz from " + fashionMNISTMirrors[0],
		"(gzip-compressed or not) into " + filepath.Join(root, "FashionMNIST", "raw"),
	} {
		assert.Contains(t, err.Error(), s)
	}

	files := newSmallIDX(2, 2, 2, 2)
	files.files["t10k-labels-idx1-ubyte"] = idxBytes(idxLabelsMagic, []uint32{2}, []byte{3, 10})
	files.write(t, root, false)
	_, err = NewFashionMNIST(root, Options{})
	assert.ErrorContains(t, err, "label 10 at index 1, want a class 0..9")
	ds, err := NewFashionMNIST(root, Options{Train: true})
	require.NoError(t, err)
	assert.Equal(t, 2, ds.Len())
}

// withFashionDownload points FashionMNIST's download at mirrors and md5s
// for the test.
func withFashionDownload(t *testing.T, mirrors []string, resources []idxResource) *strings.Builder {
	t.Helper()
	oldMirrors, oldResources, oldLog := fashionMNISTMirrors, fashionMNISTResources, Log
	var log strings.Builder
	fashionMNISTMirrors, fashionMNISTResources, Log = mirrors, resources, &log
	t.Cleanup(func() { fashionMNISTMirrors, fashionMNISTResources, Log = oldMirrors, oldResources, oldLog })
	return &log
}

// TestFashionMNISTDownload: Download fetches the four .gz files from the
// mirror, checks their md5 and decompresses them in torchvision's layout
// (a local server stands in for the mirror, serving generated files whose
// md5s replace torchvision's); a second call downloads nothing. Where the
// mirror cannot be reached, or serves other files, the error says so, and
// that no Go module holds Fashion-MNIST.
func TestFashionMNISTDownload(t *testing.T) {
	files := newSmallIDX(6, 4, 5, 5)
	gzipped := map[string][]byte{}
	var resources []idxResource
	for _, r := range fashionMNISTResources {
		b := gz(t, files.files[strings.TrimSuffix(r.name, ".gz")])
		gzipped[r.name] = b
		sum := md5.Sum(b)
		resources = append(resources, idxResource{r.name, hex.EncodeToString(sum[:])})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := gzipped[filepath.Base(r.URL.Path)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)

	t.Run("mirror", func(t *testing.T) {
		log := withFashionDownload(t, []string{srv.URL + "/"}, resources)
		root := t.TempDir()
		ds, err := NewFashionMNIST(root, Options{Train: true, Download: true})
		require.NoError(t, err)
		assert.Equal(t, 6, ds.Len())
		assert.Contains(t, log.String(), "Downloading "+srv.URL+"/t10k-labels-idx1-ubyte.gz")
		for _, r := range resources {
			assert.NoError(t, checkMD5(filepath.Join(root, "FashionMNIST", "raw", r.name), r.md5))
			assert.FileExists(t, filepath.Join(root, "FashionMNIST", "raw", strings.TrimSuffix(r.name, ".gz")))
		}
		log.Reset()
		ds, err = NewFashionMNIST(root, Options{Download: true})
		require.NoError(t, err)
		assert.Equal(t, 4, ds.Len())
		assert.Empty(t, log.String(), "nothing is downloaded twice")
	})
	for _, tc := range []struct {
		name      string
		mirror    string
		resources []idxResource
		want      []string
	}{
		// Nothing listens on port 1: refused at once, like a closed network.
		{"unreachable", "http://127.0.0.1:1/", resources, []string{"127.0.0.1:1"}},
		// torchvision's own md5s against the generated files.
		{"md5 mismatch", srv.URL + "/", fashionMNISTResources, []string{"md5 ", "want 8d4fb7e6c68d591d4c3dfef9ec88bf0d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withFashionDownload(t, []string{tc.mirror}, tc.resources)
			root := t.TempDir()
			_, err := NewFashionMNIST(root, Options{Download: true})
			require.Error(t, err)
			for _, s := range append(tc.want,
				"FashionMNIST: could not download train-images-idx3-ubyte.gz",
				"no Go module holds FashionMNIST's files",
				"put the files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
				filepath.Join(root, "FashionMNIST", "raw")) {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

// TestFashionMNISTReal checks the real Fashion-MNIST when the dataset root
// holds it (`go run ./cmd/getdata --dataset fashionmnist` where
// torchvision's mirror can be reached): torchvision's sizes and the md5 of
// each file, and the first labels against torchvision's reading.
func TestFashionMNISTReal(t *testing.T) {
	root := dataroot.Dir()
	raw := filepath.Join(root, "FashionMNIST", "raw")
	for _, r := range fashionMNISTResources {
		if !exists(filepath.Join(raw, r.name)) && !exists(filepath.Join(raw, strings.TrimSuffix(r.name, ".gz"))) {
			t.Skipf("the real Fashion-MNIST is not in %s (no %s): `go run ./cmd/getdata --dataset fashionmnist` fetches it where torchvision's mirror can be reached", raw, r.name)
		}
	}
	var ref map[string][]int64
	pytorch.JSON(t, `
import sys, json, torchvision
print(json.dumps({str(tr): torchvision.datasets.FashionMNIST(sys.argv[1], train=tr).targets[:20].tolist() for tr in (True, False)}))
`, &ref, root)
	for _, train := range []bool{true, false} {
		ds, err := NewFashionMNIST(root, Options{Train: train})
		require.NoError(t, err)
		n := map[bool]int{true: 60000, false: 10000}[train]
		assert.Equal(t, n, ds.Len())
		assert.Equal(t, ref[map[bool]string{true: "True", false: "False"}[train]], ds.Targets()[:20])
		img, _ := ds.Get(0)
		assert.Equal(t, torch.Size{1, 28, 28}, img.Shape())
	}
	for _, r := range fashionMNISTResources {
		if exists(filepath.Join(raw, r.name)) {
			assert.NoError(t, checkMD5(filepath.Join(raw, r.name), r.md5))
		}
	}
}

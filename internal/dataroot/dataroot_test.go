package dataroot

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idxFile is a decompressed IDX file split into its header fields and
// values.
type idxFile struct {
	magic  uint32
	dims   []uint32
	values []byte
}

// parseIDXBytes splits an MNIST IDX file (0x803: 3 dimensions, 0x801: 1).
func parseIDXBytes(t *testing.T, name string, b []byte) idxFile {
	t.Helper()
	require.GreaterOrEqual(t, len(b), 8, name)
	f := idxFile{magic: binary.BigEndian.Uint32(b)}
	nd := map[uint32]int{0x801: 1, 0x803: 3}[f.magic]
	require.NotZero(t, nd, "%s: magic %#x", name, f.magic)
	require.GreaterOrEqual(t, len(b), 4+4*nd, name)
	for i := range nd {
		f.dims = append(f.dims, binary.BigEndian.Uint32(b[4+4*i:]))
	}
	f.values = b[4+4*nd:]
	return f
}

func gunzipFile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err, path)
	b, err := io.ReadAll(zr)
	require.NoError(t, err, path)
	return b
}

// subsetCount is the records of the committed subset's file name.
func subsetCount(name string) int {
	if strings.HasPrefix(name, "t10k") {
		return SubsetTest
	}
	return SubsetTrain
}

// TestSubsetFiles checks the committed subset on its own, with or without
// the full set: four well-formed IDX files with the subset's counts, 28x28
// images, labels 0..9 starting with MNIST's well-known first labels, and
// small enough to keep in the repository.
func TestSubsetFiles(t *testing.T) {
	dir := SubsetDir()
	require.True(t, filepath.IsAbs(dir), dir)
	first := map[string][]byte{
		"train-labels-idx1-ubyte": {5, 0, 4, 1, 9, 2, 1, 3, 1, 4},
		"t10k-labels-idx1-ubyte":  {7, 2, 1, 0, 4, 1, 4, 9, 5, 9},
	}
	var total int64
	for _, name := range MNISTFiles {
		path := filepath.Join(dir, name+".gz")
		st, err := os.Stat(path)
		require.NoError(t, err)
		total += st.Size()
		f := parseIDXBytes(t, name, gunzipFile(t, path))
		n := uint32(subsetCount(name))
		if strings.Contains(name, "-images-") {
			assert.Equal(t, uint32(0x803), f.magic, name)
			assert.Equal(t, []uint32{n, 28, 28}, f.dims, name)
			assert.Len(t, f.values, int(n)*784, name)
			assert.NotEqual(t, make([]byte, 784), f.values[len(f.values)-784:], "%s: the last image is not blank", name)
		} else {
			assert.Equal(t, uint32(0x801), f.magic, name)
			assert.Equal(t, []uint32{n}, f.dims, name)
			require.Len(t, f.values, int(n), name)
			assert.Equal(t, first[name], f.values[:10], name)
			for i, v := range f.values {
				require.Less(t, v, byte(10), "%s: label at %d", name, i)
			}
		}
	}
	assert.Less(t, total, int64(512<<10), "the committed subset stays under 512 KiB")
	t.Logf("committed subset: %d bytes in %s", total, dir)
}

// TestSubsetIsHeadOfFull checks the committed subset against the full
// official files: each decompressed file is the full one's header with the
// count reduced, then the full one's first records, byte for byte.
func TestSubsetIsHeadOfFull(t *testing.T) {
	full := filepath.Join(RequireMNIST(t), "MNIST", "raw")
	for _, name := range MNISTFiles {
		var whole []byte
		if b, err := os.ReadFile(filepath.Join(full, name)); err == nil {
			whole = b
		} else {
			whole = gunzipFile(t, filepath.Join(full, name+".gz"))
		}
		want := parseIDXBytes(t, name, whole)
		got := parseIDXBytes(t, name, gunzipFile(t, filepath.Join(SubsetDir(), name+".gz")))
		n := subsetCount(name)
		assert.Equal(t, want.magic, got.magic, name)
		wantDims := append([]uint32{uint32(n)}, want.dims[1:]...)
		assert.Equal(t, wantDims, got.dims, name)
		record := len(want.values) / int(want.dims[0])
		require.Len(t, got.values, n*record, name)
		assert.True(t, bytes.Equal(want.values[:n*record], got.values), "%s: the subset's values are not the full file's first %d records", name, n)
	}
}

// Without the full set, MNIST copies the subset into a root of the test's
// own, each file both .gz (the committed bytes) and extracted, and
// RequireMNIST skips.
func TestMNISTWithoutFullSet(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("GOTORCH_DATA", empty)
	t.Setenv("CI", "")
	set := MNIST(t)
	assert.Equal(t, MNISTSet{Root: set.Root, Full: false, Train: SubsetTrain, Test: SubsetTest}, set)
	assert.NotEqual(t, empty, set.Root)
	assert.True(t, HasMNIST(set.Root))
	assert.False(t, HasFullMNIST(set.Root))
	raw := filepath.Join(set.Root, "MNIST", "raw")
	for _, name := range MNISTFiles {
		committed, err := os.ReadFile(filepath.Join(SubsetDir(), name+".gz"))
		require.NoError(t, err)
		copied, err := os.ReadFile(filepath.Join(raw, name+".gz"))
		require.NoError(t, err)
		assert.Equal(t, committed, copied, name)
		plain, err := os.ReadFile(filepath.Join(raw, name))
		require.NoError(t, err)
		assert.Equal(t, gunzipFile(t, filepath.Join(raw, name+".gz")), plain, name)
	}
	other := MNIST(t)
	assert.NotEqual(t, set.Root, other.Root, "each call has a root of its own")

	var inner *testing.T
	t.Run("RequireMNIST skips", func(t *testing.T) {
		inner = t
		RequireMNIST(t)
		t.Error("not reached")
	})
	assert.True(t, inner.Skipped())
	_, err := os.Stat(filepath.Join(empty, "MNIST"))
	assert.True(t, os.IsNotExist(err), "nothing is written into the dataset root")
}

// With the full set in the dataset root, MNIST returns that root.
func TestMNISTWithFullSet(t *testing.T) {
	root := RequireMNIST(t)
	assert.Equal(t, MNISTSet{Root: root, Full: true, Train: FullTrain, Test: FullTest}, MNIST(t))
}

// writeHeader writes an IDX header counting n records into path and
// extends the file (sparsely) to size bytes.
func writeHeader(t *testing.T, path string, magic uint32, dims []uint32, size int64, gz bool) {
	t.Helper()
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write(b)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		require.NoError(t, os.WriteFile(path+".gz", buf.Bytes(), 0o644))
		return
	}
	require.NoError(t, os.WriteFile(path, b, 0o644))
	require.NoError(t, os.Truncate(path, size))
}

// HasFullMNIST reads the files' headers (and the sizes of decompressed
// files), not just their names.
func TestHasFullMNIST(t *testing.T) {
	type file struct {
		magic uint32
		dims  []uint32
		size  int64
		gz    bool
	}
	full := func() map[string]file {
		return map[string]file{
			"train-images-idx3-ubyte": {0x803, []uint32{60000, 28, 28}, 16 + 60000*784, false},
			"train-labels-idx1-ubyte": {0x801, []uint32{60000}, 8 + 60000, false},
			"t10k-images-idx3-ubyte":  {0x803, []uint32{10000, 28, 28}, 16 + 10000*784, false},
			"t10k-labels-idx1-ubyte":  {0x801, []uint32{10000}, 8 + 10000, true},
		}
	}
	cases := []struct {
		name   string
		change func(map[string]file)
		want   string // "" when full
	}{
		{"full", func(map[string]file) {}, ""},
		{"truncated", func(m map[string]file) {
			f := m["train-images-idx3-ubyte"]
			f.size -= 784
			m["train-images-idx3-ubyte"] = f
		}, "train-images-idx3-ubyte has 47039232 bytes, its header says 47040016"},
		{"the subset's counts", func(m map[string]file) {
			m["t10k-labels-idx1-ubyte"] = file{0x801, []uint32{1000}, 0, true}
		}, "t10k-labels-idx1-ubyte.gz holds 1000 records, not the full MNIST's 10000"},
		{"labels as images", func(m map[string]file) {
			m["t10k-images-idx3-ubyte"] = m["train-labels-idx1-ubyte"]
		}, "t10k-images-idx3-ubyte: magic number 0x00000801, want 0x00000803"},
		{"other image size", func(m map[string]file) {
			m["t10k-images-idx3-ubyte"] = file{0x803, []uint32{10000, 32, 32}, 16 + 10000*1024, false}
		}, "t10k-images-idx3-ubyte holds 32x32 images, not MNIST's 28x28"},
		{"missing", func(m map[string]file) { delete(m, "train-labels-idx1-ubyte") }, "nor train-labels-idx1-ubyte.gz exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			raw := filepath.Join(root, "MNIST", "raw")
			require.NoError(t, os.MkdirAll(raw, 0o755))
			files := full()
			tc.change(files)
			for name, f := range files {
				writeHeader(t, filepath.Join(raw, name), f.magic, f.dims, f.size, f.gz)
			}
			err := checkFull(root)
			assert.Equal(t, tc.want == "", HasFullMNIST(root))
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

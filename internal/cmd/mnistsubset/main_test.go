package main

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

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
)

func runSubset(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func idx(magic uint32, dims []uint32, values []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, values...)
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err, path)
	assert.Empty(t, zr.Name, "no name in the gzip header")
	assert.True(t, zr.ModTime.IsZero(), "no time in the gzip header")
	b, err := io.ReadAll(zr)
	require.NoError(t, err, path)
	return b
}

// counting is n bytes 0, 1, 2, ... (mod 256) starting at from.
func counting(from, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(from + i)
	}
	return b
}

// tinyMNIST writes a small MNIST-format folder (5 training and 4 test
// images of 2x3), training files decompressed, test files .gz.
func tinyMNIST(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte, compress bool) {
		if compress {
			name, b = name+".gz", gz(t, b)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	write("train-images-idx3-ubyte", idx(0x803, []uint32{5, 2, 3}, counting(0, 30)), false)
	write("train-labels-idx1-ubyte", idx(0x801, []uint32{5}, []byte{5, 0, 4, 1, 9}), false)
	write("t10k-images-idx3-ubyte", idx(0x803, []uint32{4, 2, 3}, counting(100, 24)), true)
	write("t10k-labels-idx1-ubyte", idx(0x801, []uint32{4}, []byte{7, 2, 1, 0}), true)
	return dir
}

func TestFirstRecords(t *testing.T) {
	from, out := tinyMNIST(t), filepath.Join(t.TempDir(), "new", "raw")
	code, stdout, stderr := runSubset("--from", from, "--out", out, "--train", "3", "--test", "1")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "the first 3 records of "+filepath.Join(from, "train-images-idx3-ubyte")+",")
	assert.Contains(t, stdout, "the first 1 records of "+filepath.Join(from, "t10k-labels-idx1-ubyte.gz")+",")
	want := map[string][]byte{
		"train-images-idx3-ubyte": idx(0x803, []uint32{3, 2, 3}, counting(0, 18)),
		"train-labels-idx1-ubyte": idx(0x801, []uint32{3}, []byte{5, 0, 4}),
		"t10k-images-idx3-ubyte":  idx(0x803, []uint32{1, 2, 3}, counting(100, 6)),
		"t10k-labels-idx1-ubyte":  idx(0x801, []uint32{1}, []byte{7}),
	}
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "the four .gz files, no temporary file left")
	first := map[string][]byte{}
	for name, b := range want {
		path := filepath.Join(out, name+".gz")
		assert.Equal(t, b, gunzip(t, path), name)
		first[name], err = os.ReadFile(path)
		require.NoError(t, err)
	}

	// The same input gives the same bytes; all records may be kept.
	code, _, stderr = runSubset("--from", from, "--out", out, "--train", "3", "--test", "1")
	require.Equal(t, 0, code, stderr)
	for name := range want {
		again, err := os.ReadFile(filepath.Join(out, name+".gz"))
		require.NoError(t, err)
		assert.Equal(t, first[name], again, name)
	}
	code, _, stderr = runSubset("--from", from, "--out", out, "--train", "5", "--test", "4")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, idx(0x803, []uint32{4, 2, 3}, counting(100, 24)), gunzip(t, filepath.Join(out, "t10k-images-idx3-ubyte.gz")))
}

func TestFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		// damage changes the tiny folder before the run.
		damage func(dir string)
		code   int
		want   string
	}{
		{"more than there are", []string{"--train", "6"}, nil, 1, "holds 5 records, fewer than the 6 asked for"},
		{"zero", []string{"--test", "0"}, nil, 2, "--train and --test must be at least 1"},
		{"argument", []string{"extra"}, nil, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"--count", "3"}, nil, 2, "unknown flag: --count"},
		{"missing", nil, func(dir string) {
			os.Remove(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
		}, 1, "nor t10k-labels-idx1-ubyte.gz exists"},
		{"labels as images", nil, func(dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, "train-labels-idx1-ubyte"))
			os.WriteFile(filepath.Join(dir, "train-images-idx3-ubyte"), b, 0o644)
		}, 1, "train-images-idx3-ubyte: magic number 0x00000801, want 0x00000803"},
		{"truncated", nil, func(dir string) {
			os.Truncate(filepath.Join(dir, "train-images-idx3-ubyte"), 40)
		}, 1, "train-images-idx3-ubyte: 40 bytes, its header says 46 (5 records of 6 bytes after 16)"},
		{"short header", nil, func(dir string) {
			os.Truncate(filepath.Join(dir, "train-images-idx3-ubyte"), 10)
		}, 1, "train-images-idx3-ubyte: 10 bytes, too short for the 16-byte IDX header"},
		{"not gzip", nil, func(dir string) {
			os.WriteFile(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), []byte("plain text"), 0o644)
		}, 1, "t10k-images-idx3-ubyte.gz: gzip: invalid header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, out := tinyMNIST(t), t.TempDir()
			if tc.damage != nil {
				tc.damage(from)
			}
			args := append([]string{"--from", from, "--out", out, "--train", "2", "--test", "2"}, tc.args...)
			code, _, stderr := runSubset(args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.True(t, strings.HasPrefix(stderr, "mnistsubset: "), stderr)
			assert.Contains(t, stderr, tc.want)
		})
	}
	code, _, stderr := runSubset("--help")
	assert.Equal(t, 0, code)
	for _, f := range []string{"--from", "--out", "--train", "--test"} {
		assert.Contains(t, stderr, f)
	}
}

// From the full official files, the program writes the committed subset
// again: the same decompressed content.
func TestReproducesCommittedSubset(t *testing.T) {
	from := filepath.Join(dataroot.RequireMNIST(t), "MNIST", "raw")
	out := t.TempDir()
	code, _, stderr := runSubset("--from", from, "--out", out)
	require.Equal(t, 0, code, stderr)
	for _, name := range dataroot.MNISTFiles {
		assert.Equal(t, gunzip(t, filepath.Join(dataroot.SubsetDir(), name+".gz")), gunzip(t, filepath.Join(out, name+".gz")), name)
	}
}

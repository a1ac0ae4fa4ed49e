package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	flag "github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
)

func TestRunExitStatuses(t *testing.T) {
	for _, c := range []struct {
		name string
		err  func() error
		code int
		out  string
	}{
		{"ok", func() error { return nil }, 0, ""},
		{"help", func() error { return UsageError{flag.ErrHelp} }, 0, ""},
		{"usage", func() error { return Usagef("--epochs must be at least 1, got %d", 0) }, 2,
			"prog: --epochs must be at least 1, got 0\nrun 'prog --help' for the flags\n"},
		{"runtime", func() error { return errors.New("no data") }, 1, "prog: no data\n"},
		{"interrupted", func() error { return ErrInterrupted }, 130, "prog: interrupted: stopped after the current batch\n"},
		{"libtorch panic", func() error { torch.Ones([]int64{2}).View(3); return nil }, 1, "prog: libtorch: torch: View: "},
	} {
		var stderr bytes.Buffer
		assert.Equal(t, c.code, Run("prog", &stderr, c.err), c.name)
		if c.out == "" {
			assert.Empty(t, stderr.String(), c.name)
		} else {
			assert.Contains(t, stderr.String(), c.out, c.name)
		}
	}
}

func TestCommas(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 101770: "101,770", 1628320: "1,628,320", -1290: "-1,290"} {
		assert.Equal(t, want, Commas(n))
	}
}

func TestPickDevice(t *testing.T) {
	d, err := PickDevice("cpu")
	assert.NoError(t, err)
	assert.Equal(t, torch.CPU, d)
	_, err = PickDevice("tpu")
	var ue UsageError
	assert.ErrorAs(t, err, &ue)
	if !torch.CUDACompiled() {
		_, err = PickDevice("cuda:0")
		assert.ErrorContains(t, err, "CUDA not available: libcgotorch.so was built against a CPU-only libtorch")
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	assert.NoError(t, CheckWritable("--save", filepath.Join(dir, "new.pt")))
	assert.NoError(t, CheckWritable("--save", file), "an existing file is replaced")
	for _, tc := range []struct{ path, msg string }{
		{filepath.Join(dir, "missing", "m.pt"), "cannot write there"},
		{filepath.Join(file, "m.pt"), "cannot write there"},
		{dir, "a folder, not a file"},
	} {
		err := CheckWritable("--save", tc.path)
		require.Error(t, err, tc.path)
		assert.Contains(t, err.Error(), "--save "+tc.path+": "+tc.msg)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no probe file left behind")
}

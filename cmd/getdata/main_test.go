package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
)

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run([]string{"--dataset", "imagenet"}, &out, &errb))
	assert.Contains(t, errb.String(), `unknown dataset "imagenet"`)
	errb.Reset()
	assert.Equal(t, 2, run([]string{"extra"}, &out, &errb))
	assert.Contains(t, errb.String(), `unexpected argument "extra"`)
}

// A root that already holds MNIST (the full set, or the committed subset
// in a root of the test's own) is read, not downloaded again.
func TestFindsExistingMNIST(t *testing.T) {
	set := dataroot.MNIST(t)
	want := 70000
	if !set.Full {
		want = set.Train + set.Test
	}
	var out, errb bytes.Buffer
	assert.Equal(t, 0, run([]string{"--root", set.Root}, &out, &errb), errb.String())
	assert.Equal(t, fmt.Sprintf("mnist: %d images in %s\n", want, set.Root), out.String())
	assert.Empty(t, errb.String(), "nothing is downloaded")
}

// Fashion-MNIST is fetched from torchvision's mirror; where it cannot be
// reached (no network here) getdata fails with status 1 and says which
// files to put where. A root that already holds the files is read.
func TestFashionMNIST(t *testing.T) {
	root := t.TempDir()
	var out, errb bytes.Buffer
	if run([]string{"--root", root, "--dataset", "fashionmnist"}, &out, &errb) == 0 {
		t.Skip("torchvision's Fashion-MNIST mirror answered: " + out.String())
	}
	raw := filepath.Join(root, "FashionMNIST", "raw")
	for _, s := range []string{"FashionMNIST: could not download train-images-idx3-ubyte.gz",
		"put the files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
		raw} {
		assert.Contains(t, errb.String(), s)
	}
	assert.Empty(t, out.String())

	// The files in place (tiny ones in the same format) are read, not
	// downloaded.
	idx := func(magic uint32, dims []uint32, n int) []byte {
		b := binary.BigEndian.AppendUint32(nil, magic)
		for _, d := range dims {
			b = binary.BigEndian.AppendUint32(b, d)
		}
		return append(b, make([]byte, n)...)
	}
	for _, split := range []struct {
		prefix string
		n      uint32
	}{{"train", 3}, {"t10k", 2}} {
		require.NoError(t, os.WriteFile(filepath.Join(raw, split.prefix+"-images-idx3-ubyte"), idx(0x803, []uint32{split.n, 28, 28}, int(split.n)*784), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(raw, split.prefix+"-labels-idx1-ubyte"), idx(0x801, []uint32{split.n}, int(split.n)), 0o644))
	}
	out.Reset()
	errb.Reset()
	assert.Equal(t, 0, run([]string{"--root", root, "--dataset", "fashionmnist"}, &out, &errb), errb.String())
	assert.Equal(t, "fashionmnist: 5 images in "+root+"\n", out.String())
	assert.Empty(t, errb.String(), "nothing is downloaded")
}

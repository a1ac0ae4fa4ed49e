package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fuzzers feed arbitrary bytes to the three parsers that read files
// from disk. Bad input must give an error naming the file, never a panic
// (a panic fails the fuzz run), and anything accepted must be consistent.
// Seeds: the committed fixture and testdata/fuzz/Fuzz*/ (run them all with
// plain `go test`; explore with `go test -fuzz FuzzIDX -fuzztime 20s`).

func FuzzIDX(f *testing.F) {
	f.Add(idxBytes(idxImagesMagic, []uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}))
	f.Add(idxBytes(idxLabelsMagic, []uint32{4}, []byte{1, 2, 3, 9}))
	f.Add(idxBytes(idxImagesMagic, []uint32{1, 28, 28}, make([]byte, 700)))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, magic := range []uint32{idxImagesMagic, idxLabelsMagic} {
			dims, values, err := parseIDX("fuzz.idx", b, magic)
			if err != nil {
				require.True(t, strings.HasPrefix(err.Error(), "fuzz.idx: "), err.Error())
				continue
			}
			n := 1
			for _, d := range dims {
				n *= d
			}
			require.Len(t, values, n)
			require.Len(t, dims, int(magic&0xff))
		}
	})
}

func FuzzCIFARBinary(f *testing.F) {
	for _, name := range []string{"data_batch_1.bin", "test_batch.bin"} {
		b, err := os.ReadFile(filepath.Join(fixture, cifarBinFolder, name))
		require.NoError(f, err)
		f.Add(b)
		f.Add(b[:3073])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pixels, labels, err := parseCIFARBinary("fuzz.bin", b)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "fuzz.bin: "), err.Error())
			return
		}
		require.Len(t, pixels, len(labels)*cifarRecord)
		for _, l := range labels {
			require.Less(t, l, int64(cifarClasses))
		}
		_, err = parseCIFARMetaText("fuzz.txt", b)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "fuzz.txt: "), err.Error())
		}
	})
}

func FuzzCIFARPickle(f *testing.F) {
	for _, path := range []string{
		filepath.Join(fixture, cifarPyFolder, "data_batch_1"),
		filepath.Join(fixture, cifarPyFolder, "batches.meta"),
		"testdata/pickles/py3_protocol2.pkl",
		"testdata/pickles/py3_protocol4_str_keys.pkl",
		"testdata/pickles/py3_protocol5_fine_labels.pkl",
	} {
		b, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pixels, labels, err := parseCIFARPickle("fuzz.pkl", b)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "fuzz.pkl: "), err.Error())
		} else {
			require.Len(t, pixels, len(labels)*cifarRecord)
			for _, l := range labels {
				require.True(t, l >= 0 && l < cifarClasses)
			}
		}
		names, err := parseCIFARMeta("fuzz.meta", b)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "fuzz.meta: "), err.Error())
		} else {
			require.Len(t, names, cifarClasses)
		}
	})
}

// TestPickleVariants reads the same batch pickled by Python 3 in the ways
// other tools write it: protocol 2 (bytes through _codecs.encode), protocol
// 4 with str keys and an int64 label array, protocol 5 (numpy's
// _frombuffer) with CIFAR-100's fine_labels.
func TestPickleVariants(t *testing.T) {
	want, err := os.ReadFile("testdata/pickles/data.raw")
	require.NoError(t, err)
	for _, name := range []string{"py3_protocol2.pkl", "py3_protocol4_str_keys.pkl", "py3_protocol5_fine_labels.pkl"} {
		b, err := os.ReadFile(filepath.Join("testdata/pickles", name))
		require.NoError(t, err)
		pixels, labels, err := parseCIFARPickle(name, b)
		require.NoError(t, err, name)
		assert.Equal(t, want, pixels, name)
		assert.Equal(t, []int64{3, 9}, labels, name)
	}
}

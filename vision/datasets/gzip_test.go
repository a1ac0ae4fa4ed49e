package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeGz gzips an IDX header for dims and then extra zero bytes.
func writeGz(t *testing.T, dims []uint32, extra int) string {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	head := binary.BigEndian.AppendUint32(nil, 0x800|uint32(len(dims)))
	for _, d := range dims {
		head = binary.BigEndian.AppendUint32(head, d)
	}
	_, err = zw.Write(head)
	require.NoError(t, err)
	zeros := make([]byte, 1<<20)
	for left := extra; left > 0; left -= len(zeros) {
		_, err = zw.Write(zeros[:min(left, len(zeros))])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	path := filepath.Join(t.TempDir(), "x-idx3-ubyte.gz")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	return path
}

// A gzip bomb stops after what its IDX header declares (plus one byte), in
// memory and on disk: it was inflated up to the 1 GiB limit first, 2.86 GB
// at peak (issue 14).
func TestGzipBombStopsAtItsHeader(t *testing.T) {
	bomb := writeGz(t, []uint32{10, 28, 28}, 64<<20) // 7,840 bytes declared, 64 MiB there
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b, err := readGzip(bomb)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Len(t, b, 16+7840+1, "the header, the declared values and one byte more")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "allocated while reading")
	_, _, err = parseIDX(bomb, b, 0x803)
	assert.ErrorContains(t, err, "too long")

	dst := filepath.Join(t.TempDir(), "x-idx3-ubyte")
	require.NoError(t, gunzipFile(bomb, dst))
	st, err := os.Stat(dst)
	require.NoError(t, err)
	assert.Equal(t, int64(16+7840+1), st.Size(), "extracted: no more on disk either")

	huge := writeGz(t, []uint32{1 << 20, 1 << 10, 1 << 10}, 0) // 2^40 values declared
	_, err = readGzip(huge)
	assert.ErrorContains(t, err, "more than the 1073741824 bytes")
	assert.ErrorContains(t, gunzipFile(huge, dst), "more than the 1073741824 bytes")

	short := writeGz(t, []uint32{10, 28, 28}, 100)
	b, err = readGzip(short)
	require.NoError(t, err)
	_, _, err = parseIDX(short, b, 0x803)
	assert.ErrorContains(t, err, "truncated")
}

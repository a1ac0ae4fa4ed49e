package torch

import (
	"unsafe"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Bytes returns t's elements in C order as raw little-endian bytes of its
// own dtype, from any device and layout: the inverse of FromBytes, what
// t.numpy().tobytes() gives in Python. It is how dtypes without a Go element
// type (Float16, BFloat16) are written to files.
func (t *Tensor) Bytes() []byte {
	out := make([]byte, t.Nbytes())
	var p unsafe.Pointer
	if len(out) > 0 {
		p = unsafe.Pointer(&out[0])
	}
	check("Bytes", capi.CopyTo(t.acquire(), p, int64(len(out))))
	t.release()
	return out
}

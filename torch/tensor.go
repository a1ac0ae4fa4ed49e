package torch

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Tensor is a handle to a libtorch tensor: PyTorch's torch.Tensor.
//
// Its native memory is released when the Tensor becomes unreachable, at
// once by Free, or when the Scope it was made in closes. A Tensor may be read
// from many goroutines at once; as in PyTorch, in-place changes need the
// caller's own synchronisation. Freeing a tensor while another goroutine is
// using it panics.
//
// A Tensor has no pointer fields (the handle is an integer, the scope an id),
// so the collector allocates it without a pointer bitmap and never scans it.
type Tensor struct {
	h     capi.Tensor  // set once, before the Tensor is shared
	word  atomic.Int64 // lifetime state and uses in flight (lifetime.go)
	slot  int          // index in the registry once registered, under registry.mu
	scope uint64       // the Scope.id of the Scope that will free it, 0 if none (scope.go)
}

// newTensor takes ownership of a handle from the C ABI.
func newTensor(h capi.Tensor) *Tensor {
	t := &Tensor{h: h}
	t.track()
	return t
}

// Size is a tensor's shape: torch.Size. It prints as PyTorch does,
// "torch.Size([1, 28, 28])".
type Size []int64

func (s Size) String() string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "torch.Size([" + strings.Join(parts, ", ") + "])"
}

// Numel is the product of the sizes: torch.Size.numel.
func (s Size) Numel() int64 {
	n := int64(1)
	for _, d := range s {
		n *= d
	}
	return n
}

// Shape returns the sizes: Tensor.shape / Tensor.size().
func (t *Tensor) Shape() Size {
	var buf [8]int64
	h := t.acquire()
	defer t.release()
	n := capi.Sizes(h, buf[:])
	if n > len(buf) {
		big := make(Size, n)
		capi.Sizes(h, big)
		return big
	}
	out := make(Size, n)
	copy(out, buf[:n])
	return out
}

// Size returns the size of dimension dim (negative counts from the end):
// Tensor.size(dim).
func (t *Tensor) Size(dim int) int64 {
	s := t.Shape()
	d := dim
	if d < 0 {
		d += len(s)
	}
	if d < 0 || d >= len(s) {
		panic(&Error{Op: "Size", Kind: KindIndex, Msg: fmt.Sprintf("Dimension out of range (expected to be in range of [%d, %d], but got %d)", -len(s), len(s)-1, dim)})
	}
	return s[d]
}

// Dim is the number of dimensions: Tensor.dim().
func (t *Tensor) Dim() int {
	n := capi.Dim(t.acquire())
	t.release()
	return n
}

// Numel is the number of elements: Tensor.numel().
func (t *Tensor) Numel() int64 {
	n := capi.Numel(t.acquire())
	t.release()
	return n
}

// DType is the element type: Tensor.dtype.
func (t *Tensor) DType() DType {
	d := DType(capi.DType(t.acquire()))
	t.release()
	return d
}

// Device is where the tensor lives: Tensor.device.
func (t *Tensor) Device() Device {
	typ, idx := capi.Device(t.acquire())
	t.release()
	return Device{Type: DeviceType(typ), Index: idx}
}

// ElementSize is the size of one element in bytes: Tensor.element_size().
func (t *Tensor) ElementSize() int { return t.DType().ElementSize() }

// Nbytes is numel times the element size: Tensor.nbytes.
func (t *Tensor) Nbytes() int64 { return t.Numel() * int64(t.ElementSize()) }

// IsContiguous reports C-contiguity: Tensor.is_contiguous().
func (t *Tensor) IsContiguous() bool {
	b := capi.IsContiguous(t.acquire())
	t.release()
	return b
}

// Item returns the value of a one-element tensor as a float64: Tensor.item().
func (t *Tensor) Item() float64 {
	v, err := capi.ItemDouble(t.acquire())
	t.release()
	check("Item", err)
	return v
}

// ItemInt returns the value of a one-element tensor as an int64, exact for
// every int64: Tensor.item() on an integer tensor.
func (t *Tensor) ItemInt() int64 {
	v, err := capi.ItemInt64(t.acquire())
	t.release()
	check("ItemInt", err)
	return v
}

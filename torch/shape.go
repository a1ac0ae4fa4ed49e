package torch

/*
#include <stdlib.h>
#include "cgotorch.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

func (t *Tensor) withDims(op string, dims []int64, f func(a C.gt_tensor, d *C.int64_t, n C.int, o *C.gt_tensor) C.gt_error) *Tensor {
	var out C.gt_tensor
	check(op, f(t.handle(), shapePtr(dims), C.int(len(dims)), &out))
	runtime.KeepAlive(t)
	runtime.KeepAlive(dims)
	return newTensor(out)
}

// Reshape is Tensor.reshape(*shape); one size may be -1.
func (t *Tensor) Reshape(shape ...int64) *Tensor {
	return t.withDims("Reshape", shape, func(a C.gt_tensor, d *C.int64_t, n C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_reshape(a, d, n, o)
	})
}

// View is Tensor.view(*shape): the same storage seen with another shape.
func (t *Tensor) View(shape ...int64) *Tensor {
	return t.withDims("View", shape, func(a C.gt_tensor, d *C.int64_t, n C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_view(a, d, n, o)
	})
}

// Permute is Tensor.permute(*dims), e.g. Permute(1, 2, 0) turns CHW into HWC.
func (t *Tensor) Permute(dims ...int64) *Tensor {
	return t.withDims("Permute", dims, func(a C.gt_tensor, d *C.int64_t, n C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_permute(a, d, n, o)
	})
}

// Flatten is torch.flatten(t, startDim, endDim); nn.Flatten uses (1, -1).
func (t *Tensor) Flatten(startDim, endDim int64) *Tensor {
	return t.unary("Flatten", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_flatten(a, C.int64_t(startDim), C.int64_t(endDim), o)
	})
}

// Transpose is torch.transpose(t, dim0, dim1).
func (t *Tensor) Transpose(dim0, dim1 int64) *Tensor {
	return t.unary("Transpose", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_transpose(a, C.int64_t(dim0), C.int64_t(dim1), o)
	})
}

// T is Tensor.T for a matrix: Transpose(0, 1).
func (t *Tensor) T() *Tensor { return t.Transpose(0, 1) }

// SqueezeDim is torch.squeeze(t, dim).
func (t *Tensor) SqueezeDim(dim int64) *Tensor {
	return t.unary("SqueezeDim", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_squeeze_dim(a, C.int64_t(dim), o) })
}

// Unsqueeze is torch.unsqueeze(t, dim).
func (t *Tensor) Unsqueeze(dim int64) *Tensor {
	return t.unary("Unsqueeze", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_unsqueeze(a, C.int64_t(dim), o) })
}

// Select is Tensor.select(dim, index): t[..., index, ...] with dim removed.
func (t *Tensor) Select(dim, index int64) *Tensor {
	return t.unary("Select", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_select(a, C.int64_t(dim), C.int64_t(index), o)
	})
}

// Index is t[i0, i1, ...] with integer indices (negative from the end): a
// view with the leading dimensions removed.
func (t *Tensor) Index(indices ...int64) *Tensor {
	r := t
	for _, i := range indices {
		r = r.Select(0, i)
	}
	return r
}

// Narrow is torch.narrow(t, dim, start, length): t[..., start:start+length, ...].
func (t *Tensor) Narrow(dim, start, length int64) *Tensor {
	return t.unary("Narrow", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_narrow(a, C.int64_t(dim), C.int64_t(start), C.int64_t(length), o)
	})
}

// IndexSelect is torch.index_select(t, dim, index) with an Int64 index tensor.
func (t *Tensor) IndexSelect(dim int64, index *Tensor) *Tensor {
	return t.binary("IndexSelect", index, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_index_select(a, C.int64_t(dim), b, o)
	})
}

func joinTensors(op string, ts []*Tensor, dim int64, f func(p *C.gt_tensor, n C.int, dim C.int64_t, o *C.gt_tensor) C.gt_error) *Tensor {
	// The handle array lives in C memory: a Go array of C pointers may not
	// be handed to C.
	n := len(ts)
	hs := (*C.gt_tensor)(C.malloc(C.size_t(max(n, 1)) * C.size_t(unsafe.Sizeof(C.gt_tensor(nil)))))
	defer C.free(unsafe.Pointer(hs))
	arr := unsafe.Slice(hs, max(n, 1))
	for i, t := range ts {
		arr[i] = t.handle()
	}
	var out C.gt_tensor
	check(op, f(hs, C.int(n), C.int64_t(dim), &out))
	runtime.KeepAlive(ts)
	return newTensor(out)
}

// Cat is torch.cat(tensors, dim).
func Cat(tensors []*Tensor, dim int64) *Tensor {
	return joinTensors("Cat", tensors, dim, func(p *C.gt_tensor, n C.int, d C.int64_t, o *C.gt_tensor) C.gt_error {
		return C.gt_cat(p, n, d, o)
	})
}

// Stack is torch.stack(tensors, dim).
func Stack(tensors []*Tensor, dim int64) *Tensor {
	return joinTensors("Stack", tensors, dim, func(p *C.gt_tensor, n C.int, d C.int64_t, o *C.gt_tensor) C.gt_error {
		return C.gt_stack(p, n, d, o)
	})
}

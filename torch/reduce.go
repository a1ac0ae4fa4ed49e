package torch

/*
#include "cgotorch.h"
*/
import "C"

import "runtime"

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// SumDim is torch.sum(t, dims, keepdim).
func (t *Tensor) SumDim(dims []int64, keepdim bool) *Tensor {
	return t.withDims("SumDim", dims, func(a C.gt_tensor, d *C.int64_t, n C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_sum_dims(a, d, n, cbool(keepdim), o)
	})
}

// MeanDim is torch.mean(t, dims, keepdim).
func (t *Tensor) MeanDim(dims []int64, keepdim bool) *Tensor {
	return t.withDims("MeanDim", dims, func(a C.gt_tensor, d *C.int64_t, n C.int, o *C.gt_tensor) C.gt_error {
		return C.gt_mean_dims(a, d, n, cbool(keepdim), o)
	})
}

type pairC func(a C.gt_tensor, dim C.int64_t, keep C.int, v, i *C.gt_tensor) C.gt_error

func (t *Tensor) pair(op string, dim int64, keepdim bool, f pairC) (values, indices *Tensor) {
	var v, i C.gt_tensor
	check(op, f(t.handle(), C.int64_t(dim), cbool(keepdim), &v, &i))
	runtime.KeepAlive(t)
	return newTensor(v), newTensor(i)
}

// MaxDim is torch.max(t, dim, keepdim): the maxima and their indices.
func (t *Tensor) MaxDim(dim int64, keepdim bool) (values, indices *Tensor) {
	return t.pair("MaxDim", dim, keepdim, func(a C.gt_tensor, d C.int64_t, k C.int, v, i *C.gt_tensor) C.gt_error {
		return C.gt_max_dim(a, d, k, v, i)
	})
}

// MinDim is torch.min(t, dim, keepdim): the minima and their indices.
func (t *Tensor) MinDim(dim int64, keepdim bool) (values, indices *Tensor) {
	return t.pair("MinDim", dim, keepdim, func(a C.gt_tensor, d C.int64_t, k C.int, v, i *C.gt_tensor) C.gt_error {
		return C.gt_min_dim(a, d, k, v, i)
	})
}

// Argmax is torch.argmax(t): the flat index of the largest element.
func (t *Tensor) Argmax() *Tensor {
	return t.unary("Argmax", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_argmax(a, 0, 0, 0, o) })
}

// ArgmaxDim is torch.argmax(t, dim, keepdim).
func (t *Tensor) ArgmaxDim(dim int64, keepdim bool) *Tensor {
	return t.unary("ArgmaxDim", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_argmax(a, C.int64_t(dim), 1, cbool(keepdim), o)
	})
}

// Argmin is torch.argmin(t): the flat index of the smallest element.
func (t *Tensor) Argmin() *Tensor {
	return t.unary("Argmin", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_argmin(a, 0, 0, 0, o) })
}

// ArgminDim is torch.argmin(t, dim, keepdim).
func (t *Tensor) ArgminDim(dim int64, keepdim bool) *Tensor {
	return t.unary("ArgminDim", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_argmin(a, C.int64_t(dim), 1, cbool(keepdim), o)
	})
}

// Softmax is torch.softmax(t, dim).
func (t *Tensor) Softmax(dim int64) *Tensor {
	return t.unary("Softmax", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_softmax(a, C.int64_t(dim), o) })
}

// LogSoftmax is torch.log_softmax(t, dim).
func (t *Tensor) LogSoftmax(dim int64) *Tensor {
	return t.unary("LogSoftmax", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error { return C.gt_log_softmax(a, C.int64_t(dim), o) })
}

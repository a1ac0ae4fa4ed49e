package torch

/*
#include "cgotorch.h"
*/
import "C"

import "runtime"

// Reduction says how a loss combines its per-element values: PyTorch's
// reduction= argument.
type Reduction int

// Reductions, with the C ABI's codes.
const (
	ReductionNone Reduction = 0 // reduction='none'
	ReductionMean Reduction = 1 // reduction='mean' (PyTorch's default)
	ReductionSum  Reduction = 2 // reduction='sum'
)

// Linear is torch.nn.functional.linear: input @ weight.T + bias; bias may be nil.
func Linear(input, weight, bias *Tensor) *Tensor {
	var b C.gt_tensor
	if bias != nil {
		b = bias.handle()
	}
	var out C.gt_tensor
	check("Linear", C.gt_linear(input.handle(), weight.handle(), b, &out))
	runtime.KeepAlive(input)
	runtime.KeepAlive(weight)
	runtime.KeepAlive(bias)
	return newTensor(out)
}

// Dropout is torch.nn.functional.dropout(input, p, training).
func Dropout(input *Tensor, p float64, training bool) *Tensor {
	return input.unary("Dropout", func(a C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_dropout(a, C.double(p), cbool(training), o)
	})
}

// CrossEntropy is torch.nn.functional.cross_entropy(input, target,
// reduction=..., ignore_index=..., label_smoothing=...) with class-index
// targets. PyTorch's defaults are ReductionMean, -100 and 0.
func CrossEntropy(input, target *Tensor, reduction Reduction, ignoreIndex int64, labelSmoothing float64) *Tensor {
	return input.binary("CrossEntropy", target, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_cross_entropy(a, b, C.int(reduction), C.int64_t(ignoreIndex), C.double(labelSmoothing), o)
	})
}

// NLLLoss is torch.nn.functional.nll_loss(input, target, reduction=...,
// ignore_index=...) over log-probabilities.
func NLLLoss(input, target *Tensor, reduction Reduction, ignoreIndex int64) *Tensor {
	return input.binary("NLLLoss", target, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_nll_loss(a, b, C.int(reduction), C.int64_t(ignoreIndex), o)
	})
}

// MSELoss is torch.nn.functional.mse_loss(input, target, reduction=...).
func MSELoss(input, target *Tensor, reduction Reduction) *Tensor {
	return input.binary("MSELoss", target, func(a, b C.gt_tensor, o *C.gt_tensor) C.gt_error {
		return C.gt_mse_loss(a, b, C.int(reduction), o)
	})
}

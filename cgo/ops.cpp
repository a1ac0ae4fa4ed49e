// ops.cpp: the few operations whose Go API is hand-written (gen/names.yaml says
// why): everything else is generated (ops_gen_N.cpp). No defaults or policy
// here: the Go side passes every argument.
#include <ATen/ATen.h>
#include "internal.h"

using gt::T;
using gt::wrap;

extern "C" {

// torch.nn.functional.linear with an optional bias (NULL).
gt_error gt_linear(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out) {
  GT_TRY({
    c10::optional<at::Tensor> bias;
    if (b) bias = T(b);
    *out = wrap(at::linear(T(x), T(w), bias));
  })
}

// Python's t.reshape(*shape), t.view(*shape), t.permute(*dims).
gt_error gt_reshape(gt_tensor a, const int64_t *shape, int n, gt_tensor *out) {
  GT_TRY(*out = wrap(at::reshape(T(a), gt::dims(shape, n))))
}
gt_error gt_view(gt_tensor a, const int64_t *shape, int n, gt_tensor *out) {
  GT_TRY(*out = wrap(T(a).view(gt::dims(shape, n))))
}
gt_error gt_permute(gt_tensor a, const int64_t *dims, int n, gt_tensor *out) {
  GT_TRY(*out = wrap(at::permute(T(a), gt::dims(dims, n))))
}

// Tensor.contiguous (manual_cpp_binding: no at::_ops entry point).
gt_error gt_contiguous(gt_tensor a, gt_tensor *out) { GT_TRY(*out = wrap(T(a).contiguous())) }

// t.to(device, dtype, non_blocking).
gt_error gt_to(gt_tensor a, int dtype, int dt, int di, int non_blocking, gt_tensor *out) {
  GT_TRY(*out = wrap(T(a).to(gt::device(dt, di), gt::dtype(dtype), non_blocking != 0)))
}

// torch.nn.functional.dropout (its p check is on the Go side, as in Python).
gt_error gt_dropout(gt_tensor a, double p, int train, gt_tensor *out) { GT_TRY(*out = wrap(at::dropout(T(a), p, train != 0))) }

}  // extern "C"

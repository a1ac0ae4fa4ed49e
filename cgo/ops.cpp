// ops.cpp: one C function per libtorch operation. No defaults or policy here:
// the Go side passes every argument.
#include <ATen/ScalarOps.h>

#include <cmath>

#include "internal.h"

using gt::T;
using gt::wrap;

#define GT_UNARY(name, expr) \
  gt_error gt_##name(gt_tensor a, gt_tensor *out) { GT_TRY(*out = wrap(expr)) }
#define GT_BINARY(name, expr) \
  gt_error gt_##name(gt_tensor a, gt_tensor b, gt_tensor *out) { GT_TRY(*out = wrap(expr)) }
#define GT_SCALAR(name, expr) \
  gt_error gt_##name(gt_tensor a, double s, gt_tensor *out) { GT_TRY(*out = wrap(expr)) }

namespace {
// number is the at::Scalar that Python makes of a number: whole values are
// integers (so int tensor * 2 stays an int tensor, as t * 2 does in Python).
at::Scalar number(double s) {
  if (std::nearbyint(s) == s && std::fabs(s) < 9.2e18) return at::Scalar(static_cast<int64_t>(s));
  return at::Scalar(s);
}

// wrapped is what Python's argument parser passes for a number to an op with
// a Tensor overload: a 0-dim "wrapped number" tensor, which takes part in
// type promotion as a scalar would. Using it gives the same kernel and the
// same autograd node (AddBackward0, MulBackward0) as Python's t + 2.
at::Tensor wrapped(double s) { return at::native::wrapped_scalar_tensor(number(s)); }

at::Reduction::Reduction reduction(int r) {
  switch (r) {
    case 0:
      return at::Reduction::None;
    case 2:
      return at::Reduction::Sum;
    default:
      return at::Reduction::Mean;
  }
}

at::Tensor compare(const at::Tensor &a, const at::Tensor &b, int op) {
  switch (op) {
    case 0: return at::eq(a, b);
    case 1: return at::ne(a, b);
    case 2: return at::gt(a, b);
    case 3: return at::lt(a, b);
    case 4: return at::ge(a, b);
    case 5: return at::le(a, b);
  }
  TORCH_CHECK(false, "unknown comparison ", op);
}

at::Tensor compare(const at::Tensor &a, const at::Scalar &b, int op) {
  switch (op) {
    case 0: return at::eq(a, b);
    case 1: return at::ne(a, b);
    case 2: return at::gt(a, b);
    case 3: return at::lt(a, b);
    case 4: return at::ge(a, b);
    case 5: return at::le(a, b);
  }
  TORCH_CHECK(false, "unknown comparison ", op);
}

std::vector<at::Tensor> list(const gt_tensor *ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) v.push_back(T(ts[i]));
  return v;
}
}  // namespace

extern "C" {

// ---- elementwise ----
gt_error gt_add(gt_tensor a, gt_tensor b, double alpha, gt_tensor *out) { GT_TRY(*out = wrap(at::add(T(a), T(b), alpha))) }
gt_error gt_sub(gt_tensor a, gt_tensor b, double alpha, gt_tensor *out) { GT_TRY(*out = wrap(at::sub(T(a), T(b), alpha))) }
GT_BINARY(mul, at::mul(T(a), T(b)))
GT_BINARY(div, at::div(T(a), T(b)))
GT_BINARY(maximum, at::maximum(T(a), T(b)))
GT_BINARY(minimum, at::minimum(T(a), T(b)))
GT_SCALAR(add_scalar, at::add(T(a), wrapped(s)))
GT_SCALAR(sub_scalar, at::sub(T(a), wrapped(s)))
GT_SCALAR(mul_scalar, at::mul(T(a), wrapped(s)))
GT_SCALAR(div_scalar, at::div(T(a), wrapped(s)))
GT_SCALAR(pow_scalar, at::pow(T(a), number(s)))
GT_UNARY(neg, at::neg(T(a)))
GT_UNARY(abs, at::abs(T(a)))
GT_UNARY(sqrt, at::sqrt(T(a)))
GT_UNARY(exp, at::exp(T(a)))
GT_UNARY(log, at::log(T(a)))
GT_UNARY(relu, at::relu(T(a)))
GT_UNARY(sigmoid, at::sigmoid(T(a)))
GT_UNARY(tanh, at::tanh(T(a)))

gt_error gt_clamp(gt_tensor a, double lo, double hi, int has_lo, int has_hi, gt_tensor *out) {
  GT_TRY({
    c10::optional<at::Scalar> l, h;
    if (has_lo) l = lo;
    if (has_hi) h = hi;
    *out = wrap(at::clamp(T(a), l, h));
  })
}
gt_error gt_compare(gt_tensor a, gt_tensor b, int op, gt_tensor *out) { GT_TRY(*out = wrap(compare(T(a), T(b), op))) }
gt_error gt_compare_scalar(gt_tensor a, double s, int op, gt_tensor *out) {
  GT_TRY(*out = wrap(compare(T(a), number(s), op)))
}

// ---- in place ----
gt_error gt_add_(gt_tensor a, gt_tensor b, double alpha) { GT_TRY(T(a).add_(T(b), alpha)) }
gt_error gt_sub_(gt_tensor a, gt_tensor b, double alpha) { GT_TRY(T(a).sub_(T(b), alpha)) }
gt_error gt_mul_(gt_tensor a, gt_tensor b) { GT_TRY(T(a).mul_(T(b))) }
gt_error gt_div_(gt_tensor a, gt_tensor b) { GT_TRY(T(a).div_(T(b))) }
gt_error gt_add_scalar_(gt_tensor a, double s) { GT_TRY(T(a).add_(wrapped(s))) }
gt_error gt_mul_scalar_(gt_tensor a, double s) { GT_TRY(T(a).mul_(wrapped(s))) }
gt_error gt_div_scalar_(gt_tensor a, double s) { GT_TRY(T(a).div_(wrapped(s))) }
gt_error gt_addcmul_(gt_tensor a, gt_tensor b, gt_tensor c, double v) { GT_TRY(T(a).addcmul_(T(b), T(c), v)) }
gt_error gt_addcdiv_(gt_tensor a, gt_tensor b, gt_tensor c, double v) { GT_TRY(T(a).addcdiv_(T(b), T(c), v)) }
gt_error gt_maximum_out(gt_tensor out, gt_tensor a, gt_tensor b) { GT_TRY(at::maximum_out(T(out), T(a), T(b))) }
gt_error gt_sqrt_(gt_tensor a) { GT_TRY(T(a).sqrt_()) }
gt_error gt_relu_(gt_tensor a) { GT_TRY(T(a).relu_()) }
gt_error gt_zero_(gt_tensor a) { GT_TRY(T(a).zero_()) }
gt_error gt_fill_(gt_tensor a, double v) { GT_TRY(T(a).fill_(number(v))) }
gt_error gt_uniform_(gt_tensor a, double from, double to) { GT_TRY(T(a).uniform_(from, to)) }
gt_error gt_normal_(gt_tensor a, double mean, double std) { GT_TRY(T(a).normal_(mean, std)) }
gt_error gt_copy_(gt_tensor dst, gt_tensor src) { GT_TRY(T(dst).copy_(T(src))) }

// ---- linear algebra ----
GT_BINARY(matmul, at::matmul(T(a), T(b)))
gt_error gt_linear(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out) {
  GT_TRY({
    c10::optional<at::Tensor> bias;
    if (b) bias = T(b);
    *out = wrap(at::linear(T(x), T(w), bias));
  })
}

// ---- reductions ----
GT_UNARY(sum, at::sum(T(a)))
GT_UNARY(mean, at::mean(T(a)))
GT_UNARY(max, at::max(T(a)))
GT_UNARY(min, at::min(T(a)))
gt_error gt_sum_dims(gt_tensor a, const int64_t *dims, int n, int keepdim, gt_tensor *out) {
  GT_TRY(*out = wrap(at::sum(T(a), gt::dims(dims, n), keepdim != 0)))
}
gt_error gt_mean_dims(gt_tensor a, const int64_t *dims, int n, int keepdim, gt_tensor *out) {
  GT_TRY(*out = wrap(at::mean(T(a), gt::dims(dims, n), keepdim != 0)))
}
gt_error gt_max_dim(gt_tensor a, int64_t dim, int keepdim, gt_tensor *values, gt_tensor *indices) {
  GT_TRY({
    auto r = at::max(T(a), dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
gt_error gt_min_dim(gt_tensor a, int64_t dim, int keepdim, gt_tensor *values, gt_tensor *indices) {
  GT_TRY({
    auto r = at::min(T(a), dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
gt_error gt_argmax(gt_tensor a, int64_t dim, int has_dim, int keepdim, gt_tensor *out) {
  GT_TRY(*out = wrap(at::argmax(T(a), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0)))
}
gt_error gt_argmin(gt_tensor a, int64_t dim, int has_dim, int keepdim, gt_tensor *out) {
  GT_TRY(*out = wrap(at::argmin(T(a), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0)))
}
gt_error gt_softmax(gt_tensor a, int64_t dim, gt_tensor *out) { GT_TRY(*out = wrap(at::softmax(T(a), dim))) }
gt_error gt_log_softmax(gt_tensor a, int64_t dim, gt_tensor *out) { GT_TRY(*out = wrap(at::log_softmax(T(a), dim))) }

// ---- shape and indexing ----
gt_error gt_reshape(gt_tensor a, const int64_t *shape, int n, gt_tensor *out) {
  GT_TRY(*out = wrap(at::reshape(T(a), gt::dims(shape, n))))
}
gt_error gt_view(gt_tensor a, const int64_t *shape, int n, gt_tensor *out) {
  GT_TRY(*out = wrap(T(a).view(gt::dims(shape, n))))
}
gt_error gt_flatten(gt_tensor a, int64_t start, int64_t end, gt_tensor *out) {
  GT_TRY(*out = wrap(at::flatten(T(a), start, end)))
}
gt_error gt_permute(gt_tensor a, const int64_t *dims, int n, gt_tensor *out) {
  GT_TRY(*out = wrap(at::permute(T(a), gt::dims(dims, n))))
}
gt_error gt_transpose(gt_tensor a, int64_t d0, int64_t d1, gt_tensor *out) {
  GT_TRY(*out = wrap(at::transpose(T(a), d0, d1)))
}
GT_UNARY(squeeze, at::squeeze(T(a)))
gt_error gt_squeeze_dim(gt_tensor a, int64_t dim, gt_tensor *out) { GT_TRY(*out = wrap(at::squeeze(T(a), dim))) }
gt_error gt_unsqueeze(gt_tensor a, int64_t dim, gt_tensor *out) { GT_TRY(*out = wrap(at::unsqueeze(T(a), dim))) }
gt_error gt_cat(const gt_tensor *ts, int n, int64_t dim, gt_tensor *out) { GT_TRY(*out = wrap(at::cat(list(ts, n), dim))) }
gt_error gt_stack(const gt_tensor *ts, int n, int64_t dim, gt_tensor *out) {
  GT_TRY(*out = wrap(at::stack(list(ts, n), dim)))
}
gt_error gt_index_select(gt_tensor a, int64_t dim, gt_tensor index, gt_tensor *out) {
  GT_TRY(*out = wrap(at::index_select(T(a), dim, T(index))))
}
gt_error gt_select(gt_tensor a, int64_t dim, int64_t index, gt_tensor *out) {
  GT_TRY(*out = wrap(at::select(T(a), dim, index)))
}
gt_error gt_narrow(gt_tensor a, int64_t dim, int64_t start, int64_t length, gt_tensor *out) {
  GT_TRY(*out = wrap(at::narrow(T(a), dim, start, length)))
}
GT_UNARY(contiguous, T(a).contiguous())
GT_UNARY(clone, at::clone(T(a)))
GT_UNARY(detach, at::detach(T(a)))
gt_error gt_to(gt_tensor a, int dtype, int dt, int di, int non_blocking, gt_tensor *out) {
  GT_TRY(*out = wrap(T(a).to(gt::device(dt, di), static_cast<at::ScalarType>(dtype), non_blocking != 0)))
}
GT_UNARY(pin_memory, T(a).pin_memory())

// ---- nn functions and losses ----
gt_error gt_dropout(gt_tensor a, double p, int train, gt_tensor *out) { GT_TRY(*out = wrap(at::dropout(T(a), p, train != 0))) }
gt_error gt_cross_entropy(gt_tensor input, gt_tensor target, int red, int64_t ignore_index, double label_smoothing,
                          gt_tensor *out) {
  GT_TRY(*out = wrap(at::cross_entropy_loss(T(input), T(target), c10::nullopt, reduction(red), ignore_index,
                                            label_smoothing)))
}
gt_error gt_nll_loss(gt_tensor input, gt_tensor target, int red, int64_t ignore_index, gt_tensor *out) {
  GT_TRY(*out = wrap(at::nll_loss_nd(T(input), T(target), c10::nullopt, reduction(red), ignore_index)))
}
gt_error gt_mse_loss(gt_tensor input, gt_tensor target, int red, gt_tensor *out) {
  GT_TRY(*out = wrap(at::mse_loss(T(input), T(target), reduction(red))))
}

}  // extern "C"

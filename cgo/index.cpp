// index.cpp: Python's indexing, t[...] and t[...] = v, through libtorch's own
// at::indexing (the code torch/csrc/autograd/python_variable_indexing.cpp
// shares), so that every rule (negative indices, slice clamping, masks,
// advanced indexing, views) is Python's.
#include <ATen/ATen.h>
#include <ATen/TensorIndexing.h>

#include <vector>

#include "internal.h"

using gt::T;
using gt::wrap;

namespace {

namespace idx = at::indexing;

std::vector<idx::TensorIndex> indices(const gt_index_item *p, int n) {
  TORCH_CHECK_VALUE(n >= 0 && (n == 0 || p != nullptr), "gt_index: bad index list");
  std::vector<idx::TensorIndex> v;
  v.reserve(static_cast<size_t>(n));
  for (int k = 0; k < n; k++) {
    const gt_index_item &x = p[k];
    switch (x.kind) {
      case GT_INDEX_INT:
        v.emplace_back(static_cast<int64_t>(x.i));
        break;
      case GT_INDEX_SLICE: {
        v.emplace_back(idx::Slice(
            (x.has & GT_SLICE_HAS_START) ? c10::optional<int64_t>(x.i) : c10::nullopt,
            (x.has & GT_SLICE_HAS_STOP) ? c10::optional<int64_t>(x.stop) : c10::nullopt,
            (x.has & GT_SLICE_HAS_STEP) ? c10::optional<int64_t>(x.step) : c10::nullopt));
        break;
      }
      case GT_INDEX_ELLIPSIS:
        v.emplace_back(idx::Ellipsis);
        break;
      case GT_INDEX_NONE:
        v.emplace_back(idx::None);
        break;
      case GT_INDEX_BOOL:
        v.emplace_back(x.i != 0);
        break;
      case GT_INDEX_TENSOR:
        TORCH_CHECK_TYPE(x.t != nullptr, "gt_index: NULL tensor index");
        v.emplace_back(T(x.t));
        break;
      default:
        TORCH_CHECK_TYPE(false, "gt_index: unknown index kind ", x.kind);
    }
  }
  // Python's t[()] is t[...] (an alias, or a copy into all of t); libtorch
  // refuses an empty list.
  if (v.empty()) v.emplace_back(idx::Ellipsis);
  return v;
}

}  // namespace

extern "C" {

gt_error gt_index(gt_tensor a, const gt_index_item *p, int n, gt_tensor *out) {
  GT_TRY({
    auto v = indices(p, n);
    *out = wrap(T(a).index(v));
  })
}

gt_error gt_index_put_(gt_tensor a, const gt_index_item *p, int n, gt_tensor value) {
  GT_TRY({
    auto v = indices(p, n);
    TORCH_CHECK_TYPE(value != nullptr, "index_put_: NULL value");
    T(a).index_put_(v, T(value));
  })
}

gt_error gt_index_put_scalar_(gt_tensor a, const gt_index_item *p, int n, gt_scalar value) {
  GT_TRY({
    auto v = indices(p, n);
    T(a).index_put_(v, gt::scalar(value));
  })
}

}  // extern "C"

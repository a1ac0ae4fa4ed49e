// ops_support.h: what the generated operator bodies (ops_gen_N.cpp) use. Not part of the ABI.
//
// Each generated body is a template over the operator's at::_ops struct:
//
//   template <class Op> gt_error impl_add_Tensor(...) {
//     if constexpr (gt::matches<Op>("add.Tensor(Tensor self, ...) -> Tensor")) { call Op::call }
//     else return gt::unavailable<Op>("aten::add.Tensor", "<the schema gotorch wants>");
//   }
//
// The struct is forward-declared (GT_DECLARE_OP), so an operator that this libtorch
// lacks is an incomplete type; one it declares with another schema fails the string
// comparison. Either way the discarded branch is never instantiated, the shim builds
// against any libtorch (1.13 to 2.14 checked), and the call returns an error naming
// the operator and the version. Schema strings come from at::_ops::X::schema_str,
// the same text as native_functions.yaml.
#pragma once

#include <ATen/core/Tensor.h>
#include <ATen/Operators.h>
#include <ATen/core/List.h>
#include <ATen/core/ivalue.h>
#include <c10/core/SymIntArrayRef.h>
#include <torch/csrc/api/include/torch/version.h>

#include <array>
#include <string>
#include <type_traits>
#include <vector>

#include "internal.h"
#include "ops_gen.h"

#define GT_DECLARE_OP(name) \
  namespace at {            \
  namespace _ops {          \
  struct name;              \
  }                         \
  }

namespace gt {

constexpr bool streq(const char *a, const char *b) {
  while (*a && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

template <class Op, class = void>
struct has_schema : std::false_type {};
template <class Op>
struct has_schema<Op, std::void_t<decltype(Op::schema_str)>> : std::true_type {};

// matches: this libtorch declares Op with exactly this schema.
template <class Op>
constexpr bool matches(const char *schema) {
  if constexpr (has_schema<Op>::value) {
    return streq(Op::schema_str, schema);
  } else {
    return false;
  }
}

template <class Op>
gt_error unavailable(const char *op, const char *want) {
  std::string msg(op);
  if constexpr (has_schema<Op>::value) {
    msg += std::string(" in libtorch ") + TORCH_VERSION + " has the schema \"" + Op::schema_str +
           "\", not the \"" + want + "\" gotorch was generated for";
  } else {
    msg += std::string(" is not in libtorch ") + TORCH_VERSION;
  }
  return error(GT_ERR_NOT_IMPLEMENTED, msg.c_str());
}

inline c10::optional<at::Tensor> opt_tensor(gt_tensor h) {
  if (h == nullptr) return c10::nullopt;
  return T(h);
}

inline std::vector<at::Tensor> tensor_list(const gt_tensor *p, int n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    TORCH_CHECK_VALUE(p[i] != nullptr, "tensor list: element ", i, " is None");
    v.push_back(T(p[i]));
  }
  return v;
}

inline c10::List<c10::optional<at::Tensor>> opt_tensor_list(const gt_tensor *p, int n) {
  c10::List<c10::optional<at::Tensor>> l;
  l.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    l.push_back(p[i] ? c10::optional<at::Tensor>(T(p[i])) : c10::nullopt);
  }
  return l;
}

inline c10::optional<int64_t> opt_int(int64_t v, uint8_t has) {
  if (!has) return c10::nullopt;
  return v;
}

inline c10::optional<c10::SymInt> opt_sym_int(int64_t v, uint8_t has) {
  if (!has) return c10::nullopt;
  return c10::SymInt(v);
}

inline at::IntArrayRef ints(const int64_t *p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

// A SymInt list over the same int64 values (what fromIntArrayRef does in 1.13 and
// fromIntArrayRefSlow in 2.x, whose names differ).
inline c10::SymIntArrayRef sym_ints(const int64_t *p, int n) {
  for (int i = 0; i < n; i++) {
    TORCH_CHECK_VALUE(c10::SymInt::check_range(p[i]), "size ", p[i], " is out of range for a SymInt");
  }
  return c10::fromIntArrayRefUnchecked(ints(p, n));
}

// n < 0 is None.
inline at::OptionalIntArrayRef opt_ints(const int64_t *p, int n) {
  if (n < 0) return c10::nullopt;
  return ints(p, n);
}

inline at::OptionalSymIntArrayRef opt_sym_ints(const int64_t *p, int n) {
  if (n < 0) return c10::nullopt;
  return sym_ints(p, n);
}

inline c10::optional<double> opt_float(double v, uint8_t has) {
  if (!has) return c10::nullopt;
  return v;
}

inline c10::optional<at::ArrayRef<double>> opt_floats(const double *p, int n) {
  if (n < 0) return c10::nullopt;
  return at::ArrayRef<double>(p, static_cast<size_t>(n));
}

// -1 is None.
inline c10::optional<bool> opt_bool(int8_t v) {
  if (v < 0) return c10::nullopt;
  return v != 0;
}

inline c10::optional<at::ScalarType> opt_dtype(int v) {
  if (v < 0) return c10::nullopt;
  return dtype(v);
}

inline c10::optional<at::Layout> opt_layout(int v) {
  if (v < 0) return c10::nullopt;
  return static_cast<at::Layout>(v);
}

inline c10::optional<at::MemoryFormat> opt_memory_format(int v) {
  if (v < 0) return c10::nullopt;
  return static_cast<at::MemoryFormat>(v);
}

inline c10::optional<at::Device> opt_device(int type, int index) {
  if (type < 0) return c10::nullopt;
  return device(type, index);
}

// n < 0 is None.
// opt_gen is a Generator? argument: NULL stands for None (the default generator).
inline c10::optional<at::Generator> opt_gen(gt_generator g) {
  if (g == nullptr) return c10::nullopt;
  return g->g;
}

inline c10::optional<c10::string_view> opt_str(const char *p, int64_t n) {
  if (n < 0) return c10::nullopt;
  return c10::string_view(p, static_cast<size_t>(n));
}

inline void wrap_list(std::vector<at::Tensor> v, gt_tensor **out, int *out_n) {
  auto *a = static_cast<gt_tensor *>(std::malloc(sizeof(gt_tensor) * (v.size() ? v.size() : 1)));
  if (a == nullptr) throw std::bad_alloc();
  for (size_t i = 0; i < v.size(); i++) a[i] = wrap(std::move(v[i]));
  *out = a;
  *out_n = static_cast<int>(v.size());
}

inline int64_t sym_int_value(const c10::SymInt &s) { return s.expect_int(); }

inline gt_scalar from_scalar(const at::Scalar &s) {
  gt_scalar r{};
  if (s.isBoolean()) {
    r.kind = GT_SCALAR_BOOL;
    r.i = s.toBool() ? 1 : 0;
  } else if (s.isIntegral(false)) {
    r.kind = GT_SCALAR_INT;
    r.i = s.toLong();
  } else if (s.isComplex()) {
    r.kind = GT_SCALAR_COMPLEX;
    auto c = s.toComplexDouble();
    r.f = c.real();
    r.im = c.imag();
  } else {
    r.kind = GT_SCALAR_FLOAT;
    r.f = s.toDouble();
  }
  return r;
}

}  // namespace gt

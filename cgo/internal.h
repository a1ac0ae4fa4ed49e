// internal.h: C++ helpers shared by the shim's translation units. Not part of the ABI.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "cgotorch.h"

struct gt_tensor_s {
  at::Tensor t;
};

namespace gt {

inline gt_tensor wrap(at::Tensor t) { return new gt_tensor_s{std::move(t)}; }
inline at::Tensor &T(gt_tensor h) { return h->t; }

inline char *dup(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

inline at::IntArrayRef dims(const int64_t *p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

inline at::TensorOptions opts(int dtype, int dev_type, int dev_index) {
  auto dev = dev_type == 1 ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(dev_index)) : at::Device(at::kCPU);
  return at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)).device(dev);
}

inline at::Device device(int dev_type, int dev_index) {
  return dev_type == 1 ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(dev_index)) : at::Device(at::kCPU);
}

}  // namespace gt

// GT_TRY wraps a body so that every C++ exception becomes the returned message.
// c10::Error gives its message without the C++ backtrace that libtorch appends.
#define GT_TRY(...)                                    \
  try {                                                \
    __VA_ARGS__;                                       \
    return nullptr;                                    \
  } catch (const c10::Error &e) {                      \
    return gt::dup(e.what_without_backtrace());        \
  } catch (const std::exception &e) {                  \
    return gt::dup(e.what());                          \
  } catch (...) {                                      \
    return gt::dup("unknown C++ exception in libtorch"); \
  }

// internal.h: C++ helpers shared by the shim's translation units. Not part of the ABI.
#pragma once

// Light on purpose: the generated ops_gen_N.cpp include this through
// ops_support.h, and ATen/ATen.h costs each of them a third of its build.
// The hand-written files that need more include <ATen/ATen.h> themselves.
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/core/TensorOptions.h>
#include <c10/util/Exception.h>

#include <c10/util/complex.h>
#include <c10/util/Optional.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "cgotorch.h"

// A gt_tensor is the c10::TensorImpl* of one strong reference: at::Tensor's
// one member, an intrusive_ptr. wrap moves a Tensor's reference into a
// handle, T borrows a handle in place as the Tensor it is (no count changes),
// release drops the reference (gt_free). struct gt_tensor_s is never defined.
static_assert(sizeof(at::Tensor) == sizeof(gt_tensor), "at::Tensor is one TensorImpl pointer");

struct gt_generator_s {
  at::Generator g;
};

namespace gt {

// The queue of gt_free_queue (tensor.cpp) and its emptying: release_queued
// is the fast check every GT_TRY makes before its body (two loads when the
// queue is empty), release_queued_slow frees what it finds.
extern gt_free_queue_t free_queue;
void release_queued_slow() noexcept;
inline void release_queued() noexcept {
  if (__atomic_load_n(&free_queue.tail, __ATOMIC_ACQUIRE) != __atomic_load_n(&free_queue.head, __ATOMIC_RELAXED)) {
    release_queued_slow();
  }
}

inline gt_tensor wrap(at::Tensor t) { return reinterpret_cast<gt_tensor>(t.unsafeReleaseTensorImpl()); }
inline at::Tensor &T(gt_tensor &h) { return *reinterpret_cast<at::Tensor *>(&h); }
inline const at::Tensor &T(const gt_tensor &h) { return *reinterpret_cast<const at::Tensor *>(&h); }
inline void release(gt_tensor h) noexcept {
  if (h == nullptr) return;  // None; an undefined tensor is UndefinedTensorImpl's singleton, never counted
  c10::intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>::reclaim(reinterpret_cast<c10::TensorImpl *>(h));
}

inline char *dup(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

// error makes a gt_error in one block: the struct, then the message.
inline gt_error error(int kind, const char *msg) {
  size_t n = std::strlen(msg);
  auto *e = static_cast<gt_error>(std::malloc(sizeof(gt_error_s) + n + 1));
  if (e == nullptr) {
    // Too little memory for the message: say so in as few bytes as possible.
    static const char oom[] = "out of memory";
    e = static_cast<gt_error>(std::malloc(sizeof(gt_error_s) + sizeof(oom)));
    if (e == nullptr) std::abort();  // NULL would read as success
    kind = GT_ERR_OUT_OF_MEMORY;
    msg = oom;
    n = sizeof(oom) - 1;
  }
  e->kind = kind;
  e->msg = reinterpret_cast<char *>(e + 1);
  std::memcpy(e->msg, msg, n + 1);
  return e;
}

// caught turns the exception being handled into a gt_error, the specific c10
// classes first (each one is a c10::Error), with c10's messages without the
// C++ backtrace. Call it only inside a catch block.
inline gt_error caught() noexcept {
  try {
    throw;
  } catch (const c10::IndexError &e) {
    return error(GT_ERR_INDEX, e.what_without_backtrace());
  } catch (const c10::ValueError &e) {
    return error(GT_ERR_VALUE, e.what_without_backtrace());
  } catch (const c10::TypeError &e) {
    return error(GT_ERR_TYPE, e.what_without_backtrace());
  } catch (const c10::NotImplementedError &e) {
    return error(GT_ERR_NOT_IMPLEMENTED, e.what_without_backtrace());
  } catch (const c10::OutOfMemoryError &e) {
    return error(GT_ERR_OUT_OF_MEMORY, e.what_without_backtrace());
  } catch (const c10::LinAlgError &e) {
    return error(GT_ERR_LINALG, e.what_without_backtrace());
  } catch (const c10::Error &e) {
    return error(GT_ERR_RUNTIME, e.what_without_backtrace());
  } catch (const std::bad_alloc &e) {
    return error(GT_ERR_OUT_OF_MEMORY, e.what());
  } catch (const std::exception &e) {
    return error(GT_ERR_RUNTIME, e.what());
  } catch (...) {
    return error(GT_ERR_RUNTIME, "unknown C++ exception in libtorch");
  }
}

// scalar is the at::Scalar a gt_scalar stands for: int64 kept exact, bool as
// a bool, complex as c10::complex<double>. NONE has no Scalar: opt_scalar.
inline at::Scalar scalar(gt_scalar s) {
  switch (s.kind) {
    case GT_SCALAR_INT:
      return at::Scalar(static_cast<int64_t>(s.i));
    case GT_SCALAR_BOOL:
      return at::Scalar(s.i != 0);
    case GT_SCALAR_COMPLEX:
      return at::Scalar(c10::complex<double>(s.f, s.im));
    case GT_SCALAR_FLOAT:
      return at::Scalar(s.f);
  }
  TORCH_CHECK_VALUE(false, "gt_scalar: unknown kind ", s.kind);
}

// opt_scalar is scalar for an optional argument: GT_SCALAR_NONE is None.
inline c10::optional<at::Scalar> opt_scalar(gt_scalar s) {
  if (s.kind == GT_SCALAR_NONE) return c10::nullopt;
  return scalar(s);
}

inline at::IntArrayRef dims(const int64_t *p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

// dtype is the at::ScalarType a dtype value names. A value outside c10's
// enum (libtorch indexes tables with it: a crash) is a ValueError.
inline at::ScalarType dtype(int v) {
  TORCH_CHECK_VALUE(v >= 0 && v < static_cast<int>(at::ScalarType::Undefined), "invalid dtype ", v,
                    ": a c10::ScalarType is 0 to ", static_cast<int>(at::ScalarType::Undefined) - 1,
                    " in this libtorch (torch.float32 is 6)");
  return static_cast<at::ScalarType>(v);
}

// device is the at::Device of a device type (0 CPU, 1 CUDA) and index; any
// other type is a ValueError.
inline at::Device device(int dev_type, int dev_index) {
  TORCH_CHECK_VALUE(dev_type == 0 || dev_type == 1, "invalid device type ", dev_type, ": 0 (CPU) or 1 (CUDA)");
  return dev_type == 1 ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(dev_index)) : at::Device(at::kCPU);
}

inline at::TensorOptions opts(int dtype_, int dev_type, int dev_index) {
  return at::TensorOptions().dtype(dtype(dtype_)).device(device(dev_type, dev_index));
}

}  // namespace gt

// GT_TRY wraps a body so that every C++ exception becomes the returned
// gt_error (gt::caught: the kind from the c10 class, the message without the
// C++ backtrace that libtorch appends). It first frees the handles queued by
// gt_free_queue's callers, so that a tensor freed that way is gone before the
// next operation allocates.
#define GT_TRY(...)          \
  try {                      \
    gt::release_queued();    \
    __VA_ARGS__;             \
    return nullptr;          \
  } catch (...) {            \
    return gt::caught();     \
  }

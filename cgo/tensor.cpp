// tensor.cpp: library set-up, the counting CPU allocator, creation, metadata,
// reading, autograd and RNG.
#include <ATen/ATen.h>
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/function.h>
#include <c10/core/GradMode.h>
#include <torch/version.h>

#include <atomic>
#include <mutex>

#include "internal.h"

using gt::T;
using gt::wrap;

// ---- counting CPU allocator ----
//
// Wraps libtorch's default CPU allocator and keeps [allocated, peak] bytes in
// two atomics that Go reads directly. Each block has a 64-byte header (the
// data keeps the inner allocator's 64-byte alignment) that holds the record
// of the inner DataPtr and its size, so frees subtract exactly; the record
// lives in the block itself, so a storage costs one allocation, as with
// libtorch's own allocator. The DataPtr's context is its data pointer, as
// Allocator::raw_allocate asserts (oneDNN kernels such as gelu allocate that
// way), and raw_deleter frees it.
namespace {

std::atomic<int64_t> g_counters[2];  // allocated, peak

constexpr size_t kHeader = 64;

struct CountedCtx {
  c10::DataPtr inner;
  int64_t n;
};

static_assert(sizeof(CountedCtx) <= kHeader && alignof(CountedCtx) <= kHeader, "the record fits the header");

void counted_delete(void *data) {
  if (data == nullptr) return;
  auto *ctx = reinterpret_cast<CountedCtx *>(static_cast<char *>(data) - kHeader);
  g_counters[0].fetch_sub(ctx->n, std::memory_order_relaxed);
  // The record is inside the block that its DataPtr owns: move the DataPtr
  // out, end the record, and let the DataPtr free the block on return.
  c10::DataPtr inner = std::move(ctx->inner);
  ctx->~CountedCtx();
}

void bump(int64_t n) {
  int64_t now = g_counters[0].fetch_add(n, std::memory_order_relaxed) + n;
  int64_t peak = g_counters[1].load(std::memory_order_relaxed);
  while (now > peak && !g_counters[1].compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

struct CountingAllocator final : public c10::Allocator {
  explicit CountingAllocator(c10::Allocator *inner) : inner_(inner) {}

#if TORCH_VERSION_MAJOR >= 2
  c10::DataPtr allocate(size_t n) override { return allocate_impl(n); }
  void copy_data(void *dest, const void *src, std::size_t count) const override { std::memcpy(dest, src, count); }
#else
  c10::DataPtr allocate(size_t n) const override { return allocate_impl(n); }
#endif
  c10::DeleterFnPtr raw_deleter() const override { return &counted_delete; }

 private:
  c10::DataPtr allocate_impl(size_t n) const {
    c10::DataPtr inner;
    try {
      inner = inner_->allocate(n + kHeader);
    } catch (const c10::OutOfMemoryError &) {
      throw;
    } catch (const c10::Error &e) {
      // libtorch's CPU allocator reports a failed allocation ("can't allocate
      // memory: you tried to allocate ...") as a plain c10::Error, which
      // Python shows as RuntimeError; CUDA's says OutOfMemoryError. Say the
      // same here, so that both devices give GT_ERR_OUT_OF_MEMORY.
      TORCH_CHECK_WITH(OutOfMemoryError, false, e.what_without_backtrace());
    }
    char *base = static_cast<char *>(inner.get());
    void *data = base + kHeader;
    c10::Device dev = inner.device();
    new (base) CountedCtx{std::move(inner), static_cast<int64_t>(n)};
    bump(static_cast<int64_t>(n));
    return c10::DataPtr(data, data, &counted_delete, dev);
  }
  c10::Allocator *inner_;
};

std::once_flag g_init_once;

}  // namespace

// ---- the free queue (cgotorch.h's gt_free_queue) ----

gt_free_queue_t gt::free_queue;

namespace {
// One thread empties the queue at a time; the others go on (a handle is
// freed by whoever exchanges it out of its slot, exactly once either way).
std::atomic<bool> releasing{false};

void release_slots(uint64_t from, uint64_t to) noexcept {
  for (uint64_t i = from; i < to; i++) {
    gt_tensor h = __atomic_exchange_n(&gt::free_queue.slots[i % GT_FREE_QUEUE_SLOTS], nullptr, __ATOMIC_ACQ_REL);
    gt::release(h);
  }
}
}  // namespace

// release_queued_slow frees the slots from head to tail. A caller that took
// an index but had not yet stored its handle leaves it in its slot, to be
// freed when the ring comes round to it, by gt_free_queued, or by the caller
// that next takes that slot.
void gt::release_queued_slow() noexcept {
  if (releasing.exchange(true, std::memory_order_acquire)) return;
  uint64_t tail = __atomic_load_n(&free_queue.tail, __ATOMIC_ACQUIRE);
  uint64_t head = __atomic_load_n(&free_queue.head, __ATOMIC_RELAXED);
  if (tail - head > GT_FREE_QUEUE_SLOTS) head = tail - GT_FREE_QUEUE_SLOTS;
  release_slots(head, tail);
  __atomic_store_n(&free_queue.head, tail, __ATOMIC_RELEASE);
  releasing.store(false, std::memory_order_release);
}

extern "C" {

int gt_abi_version(void) { return CGOTORCH_ABI_VERSION; }

gt_error gt_init(void) {
  GT_TRY({
    std::call_once(g_init_once, [] {
      static CountingAllocator counting(c10::GetCPUAllocator());
      // Priority above the default (0) so libtorch keeps ours.
      c10::SetCPUAllocator(&counting, /*priority=*/1);
    });
  })
}

char *gt_torch_version(void) { return gt::dup(TORCH_VERSION); }

int64_t *gt_cpu_memory_counters(void) { return reinterpret_cast<int64_t *>(g_counters); }

void gt_cpu_reset_peak(void) { g_counters[1].store(g_counters[0].load()); }

void gt_set_num_threads(int n) { at::set_num_threads(n); }
int gt_get_num_threads(void) { return at::get_num_threads(); }

gt_error gt_manual_seed(uint64_t seed) {
  GT_TRY({
    auto gen = at::detail::getDefaultCPUGenerator();
    {
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
    if (at::globalContext().hasCUDA()) {
      int n = static_cast<int>(at::detail::getCUDAHooks().getNumGPUs());
      for (int i = 0; i < n; i++) {
        auto cg = at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(i)));
        std::lock_guard<std::mutex> lock(cg.mutex());
        cg.set_current_seed(seed);
      }
    }
  })
}

// ---- lifetime and metadata ----

void gt_free(gt_tensor t) { gt::release(t); }

gt_free_queue_t *gt_free_queue(void) { return &gt::free_queue; }

void gt_free_queued(void) {
  uint64_t tail = __atomic_load_n(&gt::free_queue.tail, __ATOMIC_ACQUIRE);
  release_slots(0, GT_FREE_QUEUE_SLOTS);
  // head only says where the next emptying starts: any value is safe.
  __atomic_store_n(&gt::free_queue.head, tail, __ATOMIC_RELEASE);
}
int gt_dim(gt_tensor t) { return static_cast<int>(T(t).dim()); }
int gt_sizes(gt_tensor t, int64_t *out, int cap) {
  auto s = T(t).sizes();
  int n = static_cast<int>(s.size());
  for (int i = 0; i < n && i < cap; i++) out[i] = s[i];
  return n;
}
int64_t gt_numel(gt_tensor t) { return T(t).numel(); }
int gt_dtype(gt_tensor t) { return static_cast<int>(T(t).scalar_type()); }
void gt_device(gt_tensor t, int *type, int *index) {
  auto d = T(t).device();
  *type = d.is_cuda() ? 1 : 0;
  *index = d.is_cuda() ? d.index() : -1;
}
int gt_requires_grad(gt_tensor t) { return T(t).requires_grad() ? 1 : 0; }
int gt_is_contiguous(gt_tensor t) { return T(t).is_contiguous() ? 1 : 0; }
int gt_strides(gt_tensor t, int64_t *out, int cap) {
  auto s = T(t).strides();
  int n = static_cast<int>(s.size());
  for (int i = 0; i < n && i < cap; i++) out[i] = s[i];
  return n;
}
int64_t gt_storage_offset(gt_tensor t) { return T(t).storage_offset(); }
int gt_is_conj(gt_tensor t) { return T(t).is_conj() ? 1 : 0; }
int gt_is_neg(gt_tensor t) { return T(t).is_neg() ? 1 : 0; }
int gt_is_inference(gt_tensor t) { return T(t).is_inference() ? 1 : 0; }
gt_error gt_conj(gt_tensor a, gt_tensor *out) { GT_TRY(*out = wrap(T(a).conj())) }
char *gt_grad_fn_name(gt_tensor t) {
  try {
    const auto &fn = T(t).grad_fn();
    return fn ? gt::dup(fn->name()) : nullptr;
  } catch (...) {
    return nullptr;
  }
}

// ---- creation ----

gt_error gt_empty(const int64_t *shape, int ndim, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::empty(gt::dims(shape, ndim), gt::opts(dtype, dt, di))))
}
gt_error gt_zeros(const int64_t *shape, int ndim, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::zeros(gt::dims(shape, ndim), gt::opts(dtype, dt, di))))
}
gt_error gt_ones(const int64_t *shape, int ndim, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::ones(gt::dims(shape, ndim), gt::opts(dtype, dt, di))))
}
gt_error gt_rand(const int64_t *shape, int ndim, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::rand(gt::dims(shape, ndim), gt::opts(dtype, dt, di))))
}
gt_error gt_randn(const int64_t *shape, int ndim, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::randn(gt::dims(shape, ndim), gt::opts(dtype, dt, di))))
}
gt_error gt_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, int dtype, int dt, int di,
                    gt_tensor *out) {
  GT_TRY(*out = wrap(at::randint(low, high, gt::dims(shape, ndim), gt::opts(dtype, dt, di))))
}
gt_error gt_randperm(int64_t n, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::randperm(n, gt::opts(dtype, dt, di))))
}
gt_error gt_arange(double start, double end, double step, int dtype, int dt, int di, gt_tensor *out) {
  GT_TRY(*out = wrap(at::arange(start, end, step, gt::opts(dtype, dt, di))))
}
gt_error gt_zeros_like(gt_tensor a, gt_tensor *out) { GT_TRY(*out = wrap(at::zeros_like(T(a)))) }
gt_error gt_ones_like(gt_tensor a, gt_tensor *out) { GT_TRY(*out = wrap(at::ones_like(T(a)))) }

gt_error gt_from_data(const void *data, int64_t nbytes, const int64_t *shape, int ndim, int dtype, gt_tensor *out) {
  GT_TRY({
    at::Tensor t = at::empty(gt::dims(shape, ndim), gt::opts(dtype, 0, -1));
    int64_t want = static_cast<int64_t>(t.nbytes());
    TORCH_CHECK(want == nbytes, "from_data: shape ", t.sizes(), " of ", t.scalar_type(), " needs ", want,
                " bytes, got ", nbytes);
    if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
    *out = wrap(std::move(t));
  })
}

// ---- reading ----

gt_error gt_copy_to(gt_tensor h, void *dst, int64_t nbytes) {
  GT_TRY({
    // resolve_conj and resolve_neg materialize the lazy bits (a no-op
    // without them): the bytes are the values the tensor stands for.
    at::Tensor t = T(h).detach().resolve_conj().resolve_neg();
    if (!t.device().is_cpu()) t = t.to(at::kCPU);
    t = t.contiguous();
    int64_t have = static_cast<int64_t>(t.nbytes());
    TORCH_CHECK(have == nbytes, "copy_to: tensor holds ", have, " bytes, destination has ", nbytes);
    if (nbytes > 0) std::memcpy(dst, t.data_ptr(), static_cast<size_t>(nbytes));
  })
}
// Tensor.item(): PyTorch's Python binding raises ValueError, not libtorch's
// RuntimeError, for a tensor that has not exactly one element.
#define GT_CHECK_ONE(t) \
  TORCH_CHECK_VALUE(T(t).numel() == 1, "only one element tensors can be converted to Python scalars")
gt_error gt_item_double(gt_tensor t, double *out) { GT_TRY(GT_CHECK_ONE(t); *out = T(t).item<double>()) }
gt_error gt_item_int64(gt_tensor t, int64_t *out) { GT_TRY(GT_CHECK_ONE(t); *out = T(t).item<int64_t>()) }

// ---- autograd ----

gt_error gt_set_requires_grad(gt_tensor a, int rg) { GT_TRY(T(a).requires_grad_(rg != 0)) }
gt_error gt_backward(gt_tensor a, gt_tensor grad, int retain_graph) {
  GT_TRY({
    at::Tensor g = grad ? T(grad) : at::Tensor();
    T(a).backward(g, retain_graph ? c10::optional<bool>(true) : c10::nullopt);
  })
}
gt_error gt_grad(gt_tensor a, gt_tensor *out) {
  GT_TRY({
    const at::Tensor &g = T(a).grad();
    *out = g.defined() ? wrap(g) : nullptr;
  })
}
gt_error gt_grad_reset(gt_tensor a, int set_to_none) {
  GT_TRY({
    at::Tensor &g = T(a).mutable_grad();
    if (!g.defined()) return nullptr;
    if (set_to_none) {
      g.reset();
    } else {
      if (g.grad_fn()) {
        g = g.detach();
      } else {
        g.requires_grad_(false);
      }
      g.zero_();
    }
  })
}
gt_error gt_retain_grad(gt_tensor a) { GT_TRY(T(a).retain_grad()) }
gt_error gt_retains_grad(gt_tensor a, int *out) { GT_TRY(*out = T(a).retains_grad() ? 1 : 0) }
int gt_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }
void gt_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }

}  // extern "C"

// cuda.cpp: the CUDA half of the ABI, compiled instead of cuda_stub.cpp when the
// libtorch has CUDA (make WITH_CUDA=1: -DGT_WITH_CUDA=1, and libtorch_cuda linked
// with --no-as-needed). One function per libtorch call; each one does what the
// Python torch.cuda function named beside it does, so that the numbers match.
//
// Where each call comes from, checked against PyTorch's sources (v1.13.1 and
// main as of 2.10-2.12; "2.x" = every 2.x release unless a range is given):
//
//  gt_cuda_device_count / gt_cuda_is_available
//    torch::cuda::device_count() / is_available()            <torch/cuda.h>
//    (torch/csrc/api, libtorch_cpu; same declarations in 1.13.1 and 2.x:
//    getCUDAHooks().getNumGPUs() = c10::cuda::device_count(), the count behind
//    torch._C._cuda_getDeviceCount; is_available() is count > 0, as Python's.)
//
//  gt_cuda_synchronize = torch.cuda.synchronize(device)
//    torch::cuda::synchronize(int64_t)                         <torch/cuda.h>
//    (1.13.1 and 2.x: getCUDAHooks().deviceSynchronize(d) = DeviceGuard on d,
//    then c10::cuda::device_synchronize(): exactly Python's
//    `with torch.cuda.device(d): torch._C._cuda_synchronize()`.)
//
//  gt_cuda_device_name = torch.cuda.get_device_name(device)
//    at::cuda::getDeviceProperties(d)->name (cudaDeviceProp.name, what
//    _CudaDeviceProperties.name reads). Declared below by hand instead of
//    including ATen/cuda/CUDAContext(Light).h, which drags in cublas_v2.h,
//    cusparse.h and cusolverDn.h. The parameter type is part of the mangled
//    name, so it follows the version:
//      1.13.1: cudaDeviceProp* getDeviceProperties(int64_t)  ATen/cuda/CUDAContext.h
//      2.x:    cudaDeviceProp* getDeviceProperties(c10::DeviceIndex)
//                                                     ATen/cuda/CUDAContextLight.h
//      (DeviceIndex on main by March 2024, PR #122810, so from 2.3 at the
//      latest; 2.0-2.2 were not checked and may still take int64_t.)
//    cudaDeviceProp is only forward-declared: its first member is
//    `char name[256]` in every CUDA release, so a pointer to the struct is a
//    pointer to the name.
//
//  Caching allocator (memory_stats, reset_peak_memory_stats, empty_cache):
//    >= 2.10  c10::getDeviceAllocator(c10::kCUDA)       <c10/core/CachingDeviceAllocator.h>
//             -> c10::DeviceAllocator: initialized(), getDeviceStats(DeviceIndex),
//             resetPeakStats(DeviceIndex), emptyCache(MempoolId_t = {0, 0}).
//             CUDACachingAllocator.cpp's BackendStaticInitializer registers the
//             CUDA caching allocator (the same object as CUDACachingAllocator::get())
//             with at::SetAllocator(kCUDA, ...). Needs no CUDA toolkit header.
//             (DeviceAllocator arrived around 2.9, PR #138222, reverted and relanded;
//             2.9 is left on the older path to be safe.)
//    2.0-2.9  c10::cuda::CUDACachingAllocator::{get()->initialized(), getDeviceStats,
//             resetPeakStats, emptyCache}                <c10/cuda/CUDACachingAllocator.h>
//             (inline wrappers over CUDAAllocator; int device until ~2.3, then
//             c10::DeviceIndex). Needs cuda_runtime_api.h and cuda.h (CUDA_INCLUDE).
//    1.13.1   the same header's free functions getDeviceStats(int),
//             resetPeakStats(int), emptyCache(); there is no initialized() yet (see
//             allocator_initialized). Needs cuda_runtime_api.h and cuda.h.
//
//  memory_stats keys: torch/csrc/cuda/Module.cpp THCPModule_memoryStats builds a
//  nested dict from DeviceStats, and torch/cuda/memory.py memory_stats() flattens
//  it with "." and sorts it. Scalars: num_alloc_retries, num_ooms, max_split_size
//  (all versions), num_sync_all_streams, num_device_alloc, num_device_free
//  (added during 2.x, present in 2.10+), num_oom_rejections (main, April 2026,
//  after 2.11). StatArrays, each
//  .{all,small_pool,large_pool}.{current,peak,allocated,freed}: allocation,
//  segment, active, inactive_split, allocated_bytes, reserved_bytes, active_bytes,
//  inactive_split_bytes (all versions), requested_bytes (2.x, not 1.13). Stats, each
//  .{current,peak,allocated,freed}: oversize_allocations, oversize_segments.
//  Module.cpp emits exactly the fields DeviceStats has, so the optional ones are
//  emitted here when the struct has them (detected at compile time) rather than
//  by a guessed version range. Not emitted: reserved_bytes_by_private_pools
//  (main after 2.11; empty, hence absent from Python's flat dict, unless CUDA
//  graphs or MemPools are used).
//  Python's memory_stats() returns {} until CUDA is initialized in the process
//  (torch.cuda.is_initialized()); so does this one (n = 0) until the caching
//  allocator has been initialized, which the first CUDA tensor does. Unlike
//  Python, an index outside 0..device_count()-1 is an error even before that.
#ifndef GT_WITH_CUDA
#error "cuda.cpp is the CUDA build's half of the ABI (make WITH_CUDA=1); a CPU build compiles cuda_stub.cpp"
#endif

// internal.h (ATen) first: c10/util/BFloat16.h then compiles as in the other
// translation units, without the CUDA_VERSION-only cuda_bf16.h conversions.
#include <ATen/ATen.h>
#include "internal.h"

#include <torch/cuda.h>
#include <torch/version.h>

#define GT_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

#if GT_TORCH_AT_LEAST(2, 10)
#define GT_DEVICE_ALLOCATOR 1
#include <c10/core/CachingDeviceAllocator.h>
#else
#define GT_DEVICE_ALLOCATOR 0
#include <c10/cuda/CUDACachingAllocator.h>  // includes cuda_runtime_api.h: needs CUDA_INCLUDE
#endif

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// From CUDA's driver_types.h; complete on the pre-2.10 path, which includes it.
struct cudaDeviceProp;

namespace at {
namespace cuda {
// Exported by libtorch_cuda (TORCH_CUDA_CPP_API); see the note at the top.
#if TORCH_VERSION_MAJOR >= 2
cudaDeviceProp *getDeviceProperties(c10::DeviceIndex device);
#else
cudaDeviceProp *getDeviceProperties(int64_t device);
#endif
}  // namespace cuda
}  // namespace at

#if !GT_DEVICE_ALLOCATOR
// Where the CUDA headers are at hand, check the layout the name read relies on.
static_assert(offsetof(cudaDeviceProp, name) == 0, "cudaDeviceProp.name is not the first member");
#endif

namespace {

using Entries = std::vector<std::pair<std::string, int64_t>>;

// Python's torch.cuda calls pass any index on and fail deep inside libtorch
// ("Invalid device argument."); this says which indices exist instead.
void check_device(int device) {
  const auto count = static_cast<int64_t>(torch::cuda::device_count());
  TORCH_CHECK(count > 0, "CUDA device ", device, " requested, but no CUDA device is visible to this process");
  TORCH_CHECK(device >= 0 && device < count, "invalid CUDA device index ", device, ": this process sees ", count,
              " CUDA device(s), indices 0 to ", count - 1);
}

// ---- the caching allocator, per version (see the top of the file) ----

#if GT_DEVICE_ALLOCATOR

c10::DeviceAllocator *cuda_allocator() { return c10::getDeviceAllocator(c10::kCUDA); }
bool allocator_initialized() { return cuda_allocator()->initialized(); }
c10::CachingDeviceAllocator::DeviceStats device_stats(int device) {
  return cuda_allocator()->getDeviceStats(static_cast<c10::DeviceIndex>(device));
}
void reset_peak_stats(int device) { cuda_allocator()->resetPeakStats(static_cast<c10::DeviceIndex>(device)); }
void empty_cache() { cuda_allocator()->emptyCache(); }

#else

namespace cca = c10::cuda::CUDACachingAllocator;

#if TORCH_VERSION_MAJOR >= 2
bool allocator_initialized() { return cca::get()->initialized(); }
#else
// 1.13 has no initialized(). Its per-device tables are sized by init(), which
// Context::lazyInitCUDA() calls on the first CUDA use; until then
// getDeviceStats(d) fails its "Invalid device argument." check for every d.
// Only called once check_device() has seen at least one device, so 0 exists.
bool allocator_initialized() {
  try {
    (void)cca::getDeviceStats(0);
    return true;
  } catch (const c10::Error &) {
    return false;
  }
}
#endif
auto device_stats(int device) { return cca::getDeviceStats(static_cast<c10::DeviceIndex>(device)); }
void reset_peak_stats(int device) { cca::resetPeakStats(static_cast<c10::DeviceIndex>(device)); }
void empty_cache() { cca::emptyCache(); }

#endif

// ---- DeviceStats -> memory_stats()'s flat keys ----

// Fields that only some versions of DeviceStats have.
#define GT_HAS_FIELD(field)                                                                    \
  template <class T, class = void>                                                             \
  struct has_##field : std::false_type {};                                                     \
  template <class T>                                                                           \
  struct has_##field<T, std::void_t<decltype(std::declval<const T &>().field)>> : std::true_type {};
GT_HAS_FIELD(requested_bytes)       // 2.x
GT_HAS_FIELD(num_sync_all_streams)  // added during 2.x
GT_HAS_FIELD(num_device_alloc)      // added during 2.x
GT_HAS_FIELD(num_device_free)       // added during 2.x
GT_HAS_FIELD(num_oom_rejections)    // main, 2026
#undef GT_HAS_FIELD

// Module.cpp's statToDict.
template <class S>
void add_stat(Entries &out, const std::string &key, const S &s) {
  out.emplace_back(key + ".current", s.current);
  out.emplace_back(key + ".peak", s.peak);
  out.emplace_back(key + ".allocated", s.allocated);
  out.emplace_back(key + ".freed", s.freed);
}

// Module.cpp's statArrayToDict: indices are StatType AGGREGATE, SMALL_POOL, LARGE_POOL.
template <class A>
void add_stat_array(Entries &out, const std::string &key, const A &a) {
  static_assert(std::tuple_size<A>::value == 3, "StatType changed: update the pool names");
  static const char *const pools[] = {"all", "small_pool", "large_pool"};
  for (size_t i = 0; i < 3; ++i) add_stat(out, key + "." + pools[i], a[i]);
}

template <class Stats>
Entries flatten(const Stats &s) {
  Entries out;
  out.emplace_back("num_alloc_retries", s.num_alloc_retries);
  out.emplace_back("num_ooms", s.num_ooms);
  out.emplace_back("max_split_size", s.max_split_size);
  if constexpr (has_num_sync_all_streams<Stats>::value) out.emplace_back("num_sync_all_streams", s.num_sync_all_streams);
  if constexpr (has_num_device_alloc<Stats>::value) out.emplace_back("num_device_alloc", s.num_device_alloc);
  if constexpr (has_num_device_free<Stats>::value) out.emplace_back("num_device_free", s.num_device_free);
  if constexpr (has_num_oom_rejections<Stats>::value) out.emplace_back("num_oom_rejections", s.num_oom_rejections);
  add_stat_array(out, "allocation", s.allocation);
  add_stat_array(out, "segment", s.segment);
  add_stat_array(out, "active", s.active);
  add_stat_array(out, "inactive_split", s.inactive_split);
  add_stat_array(out, "allocated_bytes", s.allocated_bytes);
  add_stat_array(out, "reserved_bytes", s.reserved_bytes);
  add_stat_array(out, "active_bytes", s.active_bytes);
  add_stat_array(out, "inactive_split_bytes", s.inactive_split_bytes);
  if constexpr (has_requested_bytes<Stats>::value) add_stat_array(out, "requested_bytes", s.requested_bytes);
  add_stat(out, "oversize_allocations", s.oversize_allocations);
  add_stat(out, "oversize_segments", s.oversize_segments);
  // memory_stats() returns its flattened items sorted by key (plain code-point order).
  std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  return out;
}

// Hands the entries over as the header promises: malloc'd arrays of n entries,
// names[i] malloc'd. Nothing is handed over (or leaked) if an allocation fails.
void hand_over(const Entries &e, char ***names, int64_t **values, int *n) {
  if (e.empty()) return;
  auto **nm = static_cast<char **>(std::calloc(e.size(), sizeof(char *)));
  auto *vs = static_cast<int64_t *>(std::malloc(e.size() * sizeof(int64_t)));
  bool ok = nm != nullptr && vs != nullptr;
  for (size_t i = 0; ok && i < e.size(); ++i) {
    nm[i] = gt::dup(e[i].first);
    vs[i] = e[i].second;
    ok = nm[i] != nullptr;
  }
  if (!ok) {
    if (nm != nullptr) {
      for (size_t i = 0; i < e.size(); ++i) std::free(nm[i]);
    }
    std::free(nm);
    std::free(vs);
    throw std::bad_alloc();
  }
  *names = nm;
  *values = vs;
  *n = static_cast<int>(e.size());
}

}  // namespace

extern "C" {

int gt_cuda_compiled(void) { return 1; }

// torch.cuda.is_available()
int gt_cuda_is_available(void) {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

// torch.cuda.device_count()
int gt_cuda_device_count(void) {
  try {
    return static_cast<int>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

// torch.cuda.get_device_name(device)
gt_error gt_cuda_device_name(int device, char **out) {
  *out = nullptr;
  GT_TRY({
    check_device(device);
    const auto *name = reinterpret_cast<const char *>(at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(device)));
    *out = gt::dup(std::string(name, strnlen(name, 256)));
    if (*out == nullptr) throw std::bad_alloc();
  })
}

// torch.cuda.synchronize(device)
gt_error gt_cuda_synchronize(int device) {
  GT_TRY({
    check_device(device);
    torch::cuda::synchronize(device);
  })
}

// torch.cuda.empty_cache(): a no-op until CUDA is initialized, as in Python.
gt_error gt_cuda_empty_cache(void) {
  GT_TRY({
    if (torch::cuda::device_count() > 0 && allocator_initialized()) empty_cache();
  })
}

// torch.cuda.reset_peak_memory_stats(device). Before CUDA is initialized there is
// nothing to reset: a no-op (Python's call with an explicit index raises there).
gt_error gt_cuda_reset_peak(int device) {
  GT_TRY({
    check_device(device);
    if (allocator_initialized()) reset_peak_stats(device);
  })
}

// torch.cuda.memory_stats(device): the same keys and values, sorted; none
// (n = 0) before CUDA is initialized, where Python returns {}.
gt_error gt_cuda_memory_stats(int device, char ***names, int64_t **values, int *n) {
  *names = nullptr;
  *values = nullptr;
  *n = 0;
  GT_TRY({
    check_device(device);
    if (allocator_initialized()) hand_over(flatten(device_stats(device)), names, values, n);
  })
}

// allocated_bytes.all.current alone, for the Go side's memory pressure; it
// cannot fail: 0 before CUDA is initialized or for a bad index.
int64_t gt_cuda_allocated(int device) {
  try {
    if (device < 0 || device >= static_cast<int>(torch::cuda::device_count()) || !allocator_initialized()) return 0;
    return device_stats(device).allocated_bytes[0].current;
  } catch (...) {
    return 0;
  }
}

}  // extern "C"

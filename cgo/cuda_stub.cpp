// cuda_stub.cpp: the CUDA half of the ABI for a libtorch without CUDA. The same
// symbols as cuda.cpp, answering "not available" without touching libtorch.
#include <ATen/ATen.h>
#include "internal.h"

namespace {
gt_error not_available() {
  return gt::error(GT_ERR_RUNTIME, "CUDA not available: this libcgotorch was built against a CPU-only libtorch");
}
}  // namespace

extern "C" {
int gt_cuda_compiled(void) { return 0; }
int gt_cuda_is_available(void) { return 0; }
int gt_cuda_device_count(void) { return 0; }
gt_error gt_cuda_device_name(int, char **) { return not_available(); }
gt_error gt_cuda_synchronize(int) { return not_available(); }
gt_error gt_cuda_empty_cache(void) { return nullptr; }
gt_error gt_cuda_reset_peak(int) { return not_available(); }
gt_error gt_cuda_memory_stats(int, char ***, int64_t **, int *) { return not_available(); }
int64_t gt_cuda_allocated(int) { return 0; }
}

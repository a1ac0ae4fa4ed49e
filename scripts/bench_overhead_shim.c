// bench_overhead_shim.c: `a + b` on 1-element float32 tensors through
// gotorch's C ABI (libcgotorch) from C, the result freed through the free
// queue as Tensor.Free does: the shim's part of Go's per-call cost, without
// Go. Its time minus bench_overhead.cpp's is what the shim adds to libtorch
// (the counting allocator, the queue, the exception guard); the raw Go
// loop's (torch/internal/cmd/rawcall) minus this one is the cgo crossing.
//
//   overhead_shim N        times N calls and prints the nanoseconds per call
//   overhead_shim --serve  answers a count per line with the nanoseconds per
//                          call of that many calls (scripts/bench_percall.py)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgotorch.h"
#include "ops_gen.h"

static gt_tensor a, b;

static void check(gt_error err, const char *what) {
  if (err != NULL) {
    fprintf(stderr, "bench_overhead_shim: %s: %s\n", what, err->msg);
    exit(1);
  }
}

static double time_calls(long n) {
  gt_free_queue_t *q = gt_free_queue();
  gt_scalar one = {GT_SCALAR_INT, 1, 0, 0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; i++) {
    gt_tensor c;
    check(gt_aten_add_Tensor(&c, a, b, one), "add");
    // What capi.QueueFree does (cgotorch.h's rule for the queue).
    uint64_t k = __atomic_fetch_add(&q->tail, 1, __ATOMIC_ACQ_REL);
    gt_tensor old = __atomic_exchange_n(&q->slots[k % GT_FREE_QUEUE_SLOTS], c, __ATOMIC_ACQ_REL);
    if (old != NULL) gt_free(old);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
}

int main(int argc, char **argv) {
  int serve = argc > 1 && strcmp(argv[1], "--serve") == 0;
  long n = argc > 1 && !serve ? atol(argv[1]) : 2000000;
  if (gt_abi_version() != CGOTORCH_ABI_VERSION) {
    fprintf(stderr, "bench_overhead_shim: libcgotorch has ABI %d, this program was built for %d\n", gt_abi_version(),
            CGOTORCH_ABI_VERSION);
    return 1;
  }
  check(gt_init(), "init");
  gt_set_num_threads(1);
  int64_t shape[1] = {1};
  check(gt_ones(shape, 1, 6 /* float32 */, 0, -1, &a), "ones");
  check(gt_ones(shape, 1, 6, 0, -1, &b), "ones");
  time_calls(10000);
  if (!serve) {
    printf("%.1f\n", time_calls(n));
    return 0;
  }
  while (scanf("%ld", &n) == 1 && n > 0) {
    printf("%.1f\n", time_calls(n));
    fflush(stdout);
  }
  gt_free_queued();
  return 0;
}

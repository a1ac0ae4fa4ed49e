// bench_overhead.cpp: the C++ baseline for per-call overhead: `a + b` on
// 1-element float32 tensors through libtorch's ATen API, timed like Go's
// BenchmarkAddTiny and the Python loop of scripts/bench_percall.py.
//
//   overhead N        times N calls and prints the nanoseconds per call
//   overhead --serve  reads a count per line from stdin and answers each
//                     with the nanoseconds per call of that many calls
//                     (scripts/bench_percall.py interleaves its rounds with
//                     Python's and Go's this way)
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static double time_calls(const at::Tensor &a, const at::Tensor &b, long n) {
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; i++) {
    at::Tensor c = at::add(a, b);
  }
  auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
}

int main(int argc, char **argv) {
  bool serve = argc > 1 && std::strcmp(argv[1], "--serve") == 0;
  long n = argc > 1 && !serve ? std::atol(argv[1]) : 2000000;
  at::set_num_threads(1);
  at::Tensor a = at::ones({1});
  at::Tensor b = at::ones({1});
  time_calls(a, b, 10000);
  if (!serve) {
    std::printf("%.1f\n", time_calls(a, b, n));
    return 0;
  }
  while (std::scanf("%ld", &n) == 1 && n > 0) {
    std::printf("%.1f\n", time_calls(a, b, n));
    std::fflush(stdout);
  }
  return 0;
}

// bench_overhead.cpp: the C++ baseline for per-call overhead: `a + b` on
// 1-element float32 tensors through libtorch's ATen API, timed like Go's
// BenchmarkAddTiny and the Python loop in bench_overhead.sh.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 2000000;
  at::set_num_threads(1);
  at::Tensor a = at::ones({1});
  at::Tensor b = at::ones({1});
  for (int i = 0; i < 10000; i++) at::add(a, b);
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; i++) {
    at::Tensor c = at::add(a, b);
  }
  auto t1 = std::chrono::steady_clock::now();
  std::printf("%.1f\n", std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
  return 0;
}

// One training step of the tutorial's MNISTModel on a batch of 64 with Adam
// (zero_grad, forward, loss, backward, step) in libtorch's C++ API: the
// floor that models.BenchmarkTrainStep (Go) and bench_train_step.py (Python)
// are compared with. scripts/bench_train_step.sh builds and runs it:
//
//   g++ -O2 -std=c++17 bench_train_step.cpp -I/usr/include \
//       -I/usr/include/torch/csrc/api/include -ltorch -ltorch_cpu -lc10
//   ./a.out THREADS STEPS REPEATS
//
// Prints "ns_per_step N", the median over REPEATS runs of STEPS steps.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

struct MNISTModelImpl : torch::nn::Module {
  MNISTModelImpl()
      : flatten(register_module("flatten", torch::nn::Flatten())),
        layer1(register_module("layer1", torch::nn::Linear(784, 128))),
        relu(register_module("relu", torch::nn::ReLU())),
        layer2(register_module("layer2", torch::nn::Linear(128, 10))) {}

  torch::Tensor forward(torch::Tensor x) {
    x = flatten(x);
    x = layer1(x);
    x = relu(x);
    return layer2(x);
  }

  torch::nn::Flatten flatten;
  torch::nn::Linear layer1;
  torch::nn::ReLU relu;
  torch::nn::Linear layer2;
};
TORCH_MODULE(MNISTModel);

int main(int argc, char **argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  int steps = argc > 2 ? std::atoi(argv[2]) : 2000;
  int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  // What gotorch does at start-up (torch/lib.go, mallocWarmBytes): one 8 MiB
  // block allocated and freed raises glibc's mmap threshold above the step's
  // buffers of a few hundred KiB, which would otherwise be mmap()ed and
  // faulted in afresh at every step. bench_train_step.py does the same, so
  // the three sides start with the same allocator.
  {
    volatile char *p = static_cast<volatile char *>(std::malloc(8 << 20));
    if (p != nullptr) {
      p[0] = 1;
      std::free(const_cast<char *>(p));
    }
  }

  MNISTModel model;
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(0.001));
  torch::nn::CrossEntropyLoss loss_fn;
  torch::Tensor images = torch::randn({64, 1, 28, 28});
  torch::Tensor labels = torch::randint(0, 10, {64});

  auto step = [&] {
    // set_to_none, as Go's ZeroGrad and PyTorch 2's default (the C++
    // Optimizer::zero_grad of libtorch 1.13 only zero-fills).
    model->zero_grad(/*set_to_none=*/true);
    torch::Tensor loss = loss_fn(model->forward(images), labels);
    loss.backward();
    optimizer.step();
  };

  for (int i = 0; i < 50; i++) step();
  std::vector<double> times;
  for (int r = 0; r < repeats; r++) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; i++) step();
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    times.push_back(static_cast<double>(ns) / steps);
  }
  std::sort(times.begin(), times.end());
  std::printf("ns_per_step %.0f\n", times[times.size() / 2]);
  return 0;
}

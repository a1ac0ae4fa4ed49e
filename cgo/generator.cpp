// generator.cpp: torch.Generator objects, and set_data.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

#include "internal.h"

using gt::T;
using gt::wrap;

gt_error gt_generator_new(int dev_type, int dev_index, gt_generator *out) {
  GT_TRY({
    TORCH_CHECK(dev_type == 0, "gotorch: only CPU generators can be created (torch.Generator(device='cpu'))");
    *out = new gt_generator_s{at::detail::createCPUGenerator()};
  })
}

gt_error gt_generator_default(int dev_type, int dev_index, gt_generator *out) {
  GT_TRY(*out = new gt_generator_s{at::globalContext().defaultGenerator(gt::device(dev_type, dev_index))})
}

void gt_generator_free(gt_generator g) { delete g; }

gt_error gt_generator_manual_seed(gt_generator g, uint64_t seed) {
  GT_TRY({
    std::lock_guard<std::mutex> lock(g->g.mutex());
    g->g.set_current_seed(seed);
  })
}

gt_error gt_generator_initial_seed(gt_generator g, uint64_t *out) {
  GT_TRY({
    std::lock_guard<std::mutex> lock(g->g.mutex());
    *out = g->g.current_seed();
  })
}

gt_error gt_generator_seed(gt_generator g, uint64_t *out) {
  GT_TRY({
    std::lock_guard<std::mutex> lock(g->g.mutex());
    *out = g->g.seed();
  })
}

gt_error gt_generator_get_state(gt_generator g, gt_tensor *out) {
  GT_TRY({
    std::lock_guard<std::mutex> lock(g->g.mutex());
    *out = wrap(g->g.get_state());
  })
}

gt_error gt_generator_set_state(gt_generator g, gt_tensor state) {
  GT_TRY({
    std::lock_guard<std::mutex> lock(g->g.mutex());
    g->g.set_state(T(state));
  })
}

void gt_generator_device(gt_generator g, int *type, int *index) {
  auto d = g->g.device();
  *type = d.is_cuda() ? 1 : 0;
  *index = d.has_index() ? d.index() : -1;
}

gt_error gt_set_data(gt_tensor dst, gt_tensor src) { GT_TRY(T(dst).set_data(T(src))) }

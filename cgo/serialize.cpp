// serialize.cpp: a dict of named tensors in torch.save's zip format, so that
// Python's torch.load reads what Go saves and the other way round.
#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include "internal.h"

using gt::T;
using gt::wrap;

extern "C" {

gt_error gt_save_dict(const char *const *names, const gt_tensor *tensors, int n, char **data, int64_t *size) {
  GT_TRY({
    c10::Dict<std::string, at::Tensor> dict;
    for (int i = 0; i < n; i++) dict.insert(std::string(names[i]), T(tensors[i]));
    std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(dict));
    char *buf = static_cast<char *>(std::malloc(bytes.size() ? bytes.size() : 1));
    TORCH_CHECK(buf != nullptr, "out of memory for ", bytes.size(), " bytes");
    std::memcpy(buf, bytes.data(), bytes.size());
    *data = buf;
    *size = static_cast<int64_t>(bytes.size());
  })
}

gt_error gt_load_dict(const char *data, int64_t size, char ***names, gt_tensor **tensors, int *n) {
  GT_TRY({
    std::vector<char> bytes(data, data + size);
    c10::IValue v = torch::jit::pickle_load(bytes);
    TORCH_CHECK(v.isGenericDict(), "expected a dict of tensors, found ", v.tagKind());
    auto dict = v.toGenericDict();
    int count = static_cast<int>(dict.size());
    auto **ns = static_cast<char **>(std::calloc(static_cast<size_t>(count) + 1, sizeof(char *)));
    auto *ts = static_cast<gt_tensor *>(std::calloc(static_cast<size_t>(count) + 1, sizeof(gt_tensor)));
    int i = 0;
    try {
      for (const auto &kv : dict) {
        TORCH_CHECK(kv.key().isString(), "expected string keys, found ", kv.key().tagKind());
        TORCH_CHECK(kv.value().isTensor(), "entry '", kv.key().toStringRef(), "' is a ", kv.value().tagKind(),
                    ", not a tensor");
        ns[i] = gt::dup(kv.key().toStringRef());
        ts[i] = wrap(kv.value().toTensor());
        i++;
      }
    } catch (...) {
      for (int j = 0; j < i; j++) {
        std::free(ns[j]);
        delete ts[j];
      }
      std::free(ns);
      std::free(ts);
      throw;
    }
    *names = ns;
    *tensors = ts;
    *n = count;
  })
}

}  // extern "C"

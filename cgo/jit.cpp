// jit.cpp: TorchScript modules (torch.jit.load, calling their methods, their
// parameters and buffers, train/eval, to, save).
//
// Values cross the ABI as a flat array of gt_ivalue nodes in pre-order (a
// container node is followed by its children), with the bytes of every
// string in one separate blob; see cgotorch.h. Arguments are converted to the
// types the method's schema declares (Python's own rule: an int passed for a
// float argument becomes a float; a list takes the declared element type), so
// an empty list or a list of ints meets List[float] as it does in Python.
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include <sstream>
#include <string>
#include <vector>

#include "internal.h"

// The switch behind Python's torch._C._jit_override_can_fuse_on_cpu and
// _jit_can_fuse_on_cpu: in libtorch since 1.x (codegen/fuser/interface.h),
// whose header libtorch does not install.
namespace torch {
namespace jit {
TORCH_API void overrideCanFuseOnCPU(bool value);
TORCH_API bool canFuseOnCPU();
}  // namespace jit
}  // namespace torch

struct gt_jit_module_s {
  torch::jit::Module m;
};

using gt::T;
using gt::wrap;

namespace {

using c10::IValue;
using c10::TypeKind;
using c10::TypePtr;

// kind_of is the gt_ivalue kind a type's values cross as, GT_IV_ANY for the
// types with no node kind of their own.
int kind_of(const TypePtr &t) {
  switch (t->kind()) {
    case TypeKind::TensorType:
      return GT_IV_TENSOR;
    case TypeKind::IntType:
      return GT_IV_INT;
    case TypeKind::FloatType:
      return GT_IV_DOUBLE;
    case TypeKind::BoolType:
      return GT_IV_BOOL;
    case TypeKind::StringType:
      return GT_IV_STRING;
    default:
      return GT_IV_ANY;
  }
}

TypePtr type_of_kind(int kind) {
  switch (kind) {
    case GT_IV_TENSOR:
      return c10::TensorType::get();
    case GT_IV_INT:
      return c10::IntType::get();
    case GT_IV_DOUBLE:
      return c10::FloatType::get();
    case GT_IV_BOOL:
      return c10::BoolType::get();
    case GT_IV_STRING:
      return c10::StringType::get();
  }
  return nullptr;
}

// Reader walks the argument nodes Go built, checking every index it follows.
struct Reader {
  const gt_ivalue *nodes;
  int64_t n;
  int64_t pos;
  const char *blob;
  int64_t nblob;

  const gt_ivalue &next() {
    TORCH_CHECK_VALUE(pos < n, "gotorch jit: argument nodes end early (", n, " nodes)");
    return nodes[pos++];
  }
};

// unify is the type a container holding values of types a and b has:
// TorchScript's unifyTypes, Any where there is none.
TypePtr unify(const TypePtr &a, const TypePtr &b) {
  if (!a) return b;
  auto u = c10::unifyTypes(a, b);
  return u ? *u : c10::AnyType::get();
}

// build makes the IValue of the node at r.pos and its children. want is the
// type the schema declares there, or null where nothing is known.
IValue build(Reader &r, TypePtr want) {
  if (want) {
    if (auto o = want->cast<c10::OptionalType>()) want = o->getElementType();
    if (want->kind() == TypeKind::AnyType) want = nullptr;
  }
  const gt_ivalue &v = r.next();
  switch (v.kind) {
    case GT_IV_NONE:
      return IValue();
    case GT_IV_TENSOR:
      TORCH_CHECK_VALUE(v.t != nullptr, "gotorch jit: a nil tensor argument");
      return IValue(T(v.t));
    case GT_IV_INT:
      if (want && want->kind() == TypeKind::FloatType) return IValue(static_cast<double>(v.i));
      return IValue(static_cast<int64_t>(v.i));
    case GT_IV_DOUBLE:
      return IValue(v.f);
    case GT_IV_BOOL:
      return IValue(v.i != 0);
    case GT_IV_STRING:
      TORCH_CHECK_VALUE(v.i >= 0 && v.n >= 0 && v.i <= r.nblob && v.n <= r.nblob - v.i,
                        "gotorch jit: a string outside the blob");
      return IValue(std::string(r.blob + v.i, static_cast<size_t>(v.n)));
    case GT_IV_LIST: {
      TypePtr elem;
      if (want && want->kind() == TypeKind::ListType) elem = want->containedType(0);
      if (elem && elem->kind() == TypeKind::AnyType) elem = nullptr;
      if (!elem) elem = type_of_kind(v.elem);
      std::vector<IValue> items;
      items.reserve(static_cast<size_t>(std::min<int64_t>(v.n, r.n)));
      TypePtr seen;
      for (int64_t i = 0; i < v.n; i++) {
        items.push_back(build(r, elem));
        if (!elem) seen = unify(seen, items.back().type());
      }
      // An empty list of unknown type is List[Tensor], as TorchScript's [] is.
      TypePtr t = elem ? elem : seen ? seen : c10::TensorType::get();
      c10::impl::GenericList list(t);
      list.reserve(items.size());
      for (auto &it : items) list.push_back(std::move(it));
      return IValue(std::move(list));
    }
    case GT_IV_TUPLE: {
      std::vector<TypePtr> elems;
      if (want && want->kind() == TypeKind::TupleType) elems = want->containedTypes().vec();
      std::vector<IValue> items;
      for (int64_t i = 0; i < v.n; i++) {
        items.push_back(build(r, static_cast<size_t>(i) < elems.size() ? elems[i] : nullptr));
      }
      return c10::ivalue::Tuple::create(std::move(items));
    }
    case GT_IV_DICT: {
      TypePtr kt, vt;
      if (want && want->kind() == TypeKind::DictType) {
        kt = want->containedType(0);
        vt = want->containedType(1);
      }
      if (vt && vt->kind() == TypeKind::AnyType) vt = nullptr;
      if (!kt) kt = type_of_kind(v.elem);
      std::vector<std::pair<IValue, IValue>> items;
      TypePtr seenK, seenV;
      for (int64_t i = 0; i < v.n; i++) {
        IValue k = build(r, kt);
        IValue x = build(r, vt);
        if (!kt) seenK = unify(seenK, k.type());
        if (!vt) seenV = unify(seenV, x.type());
        items.emplace_back(std::move(k), std::move(x));
      }
      c10::impl::GenericDict dict(kt ? kt : seenK ? seenK : c10::StringType::get(),
                                  vt ? vt : seenV ? seenV : c10::TensorType::get());
      for (auto &it : items) dict.insert_or_assign(std::move(it.first), std::move(it.second));
      return IValue(std::move(dict));
    }
  }
  TORCH_CHECK_VALUE(false, "gotorch jit: unknown argument node kind ", v.kind);
}

// Writer collects the nodes of a result. On an exception the tensors it made
// are freed by its destructor, unless release() handed them over.
struct Writer {
  std::vector<gt_ivalue> nodes;
  std::string blob;
  bool released = false;

  ~Writer() {
    if (released) return;
    for (auto &n : nodes) {
      if (n.kind == GT_IV_TENSOR) gt::release(n.t);
    }
  }

  void add(int kind, int elem = GT_IV_ANY, int64_t n = 0, int64_t i = 0, double f = 0, gt_tensor t = nullptr) {
    nodes.push_back(gt_ivalue{kind, elem, n, i, f, t});
  }

  void emit(const IValue &v) {
    if (v.isNone()) {
      add(GT_IV_NONE);
    } else if (v.isTensor()) {
      nodes.push_back(gt_ivalue{GT_IV_TENSOR, GT_IV_ANY, 0, 0, 0, nullptr});
      nodes.back().t = wrap(v.toTensor());
    } else if (v.isInt()) {
      add(GT_IV_INT, GT_IV_ANY, 0, v.toInt());
    } else if (v.isDouble()) {
      add(GT_IV_DOUBLE, GT_IV_ANY, 0, 0, v.toDouble());
    } else if (v.isBool()) {
      add(GT_IV_BOOL, GT_IV_ANY, 0, v.toBool() ? 1 : 0);
    } else if (v.isString()) {
      const std::string &s = v.toStringRef();
      add(GT_IV_STRING, GT_IV_ANY, static_cast<int64_t>(s.size()), static_cast<int64_t>(blob.size()));
      blob += s;
    } else if (v.isList()) {
      auto list = v.toList();
      add(GT_IV_LIST, kind_of(list.elementType()), static_cast<int64_t>(list.size()));
      for (size_t i = 0; i < list.size(); i++) emit(list.get(i));
    } else if (v.isTuple()) {
      const auto &elems = v.toTupleRef().elements();
      add(GT_IV_TUPLE, GT_IV_ANY, static_cast<int64_t>(elems.size()));
      for (const auto &e : elems) emit(e);
    } else if (v.isGenericDict()) {
      auto dict = v.toGenericDict();
      add(GT_IV_DICT, kind_of(dict.keyType()), static_cast<int64_t>(dict.size()));
      for (const auto &e : dict) {
        emit(e.key());
        emit(e.value());
      }
    } else {
      TORCH_CHECK_TYPE(false, "gotorch jit: a value of type ", v.type()->repr_str(),
                       " cannot be returned to Go (tensors, int, float, bool, str, lists, tuples, dicts and None can)");
    }
  }
};

char **dup_names(const std::vector<std::string> &names) {
  auto **out = static_cast<char **>(std::malloc(sizeof(char *) * (names.size() ? names.size() : 1)));
  if (!out) throw std::bad_alloc();
  for (size_t i = 0; i < names.size(); i++) out[i] = gt::dup(names[i]);
  return out;
}

torch::jit::Method method_of(const torch::jit::Module &m, const char *name) {
  auto method = m.find_method(name);
  if (!method) {
    std::string have;
    for (const auto &x : m.get_methods()) have += (have.empty() ? "" : ", ") + x.name();
    TORCH_CHECK_VALUE(false, "the module (", m.type()->name() ? m.type()->name()->qualifiedName() : "?",
                      ") has no method '", name, "'; its methods: ", have.empty() ? "none" : have);
  }
  return *method;
}

}  // namespace

gt_error gt_jit_load(const char *path, int dev_type, int dev_index, gt_jit_module *out) {
  GT_TRY({
    c10::optional<at::Device> dev;
    if (dev_type >= 0) dev = gt::device(dev_type, dev_index);
    *out = new gt_jit_module_s{torch::jit::load(std::string(path), dev)};
  })
}

void gt_jit_free(gt_jit_module m) { delete m; }

gt_error gt_jit_save(gt_jit_module m, const char *path) { GT_TRY(m->m.save(std::string(path))) }

gt_error gt_jit_method_names(gt_jit_module m, char ***names, int *n) {
  GT_TRY({
    std::vector<std::string> v;
    for (const auto &x : m->m.get_methods()) v.push_back(x.name());
    *names = dup_names(v);
    *n = static_cast<int>(v.size());
  })
}

gt_error gt_jit_schema(gt_jit_module m, const char *method, char **out) {
  GT_TRY({
    std::ostringstream s;
    s << method_of(m->m, method).function().getSchema();
    *out = gt::dup(s.str());
  })
}

gt_error gt_jit_call(gt_jit_module m, const char *method, const gt_ivalue *args, int64_t nnodes, int64_t nargs,
                     const char *blob, int64_t nblob, gt_ivalue **out, int64_t *nout, char **outblob) {
  GT_TRY({
    auto meth = method_of(m->m, method);
    const auto &params = meth.function().getSchema().arguments();  // params[0] is self
    Reader r{args, nnodes, 0, blob, nblob};
    std::vector<IValue> stack;
    stack.reserve(static_cast<size_t>(nargs));
    for (int64_t i = 0; i < nargs; i++) {
      size_t p = static_cast<size_t>(i) + 1;
      stack.push_back(build(r, p < params.size() ? params[p].type() : nullptr));
    }
    TORCH_CHECK_VALUE(r.pos == nnodes, "gotorch jit: ", nnodes - r.pos, " argument nodes left over");
    IValue result = meth(std::move(stack));

    Writer w;
    w.emit(result);
    auto *nodes = static_cast<gt_ivalue *>(std::malloc(sizeof(gt_ivalue) * w.nodes.size()));
    auto *bytes = static_cast<char *>(std::malloc(w.blob.size() + 1));
    if (!nodes || !bytes) {
      std::free(nodes);
      std::free(bytes);
      throw std::bad_alloc();
    }
    std::memcpy(nodes, w.nodes.data(), sizeof(gt_ivalue) * w.nodes.size());
    std::memcpy(bytes, w.blob.data(), w.blob.size());
    w.released = true;
    *out = nodes;
    *nout = static_cast<int64_t>(w.nodes.size());
    *outblob = bytes;
  })
}

gt_error gt_jit_named_tensors(gt_jit_module m, char ***names, gt_tensor **tensors, int **buffers, int *n) {
  GT_TRY({
    // state_dict() order: each module's parameters, then its buffers, then
    // its submodules, depth first.
    std::vector<std::string> ns;
    std::vector<at::Tensor> ts;
    std::vector<int> bs;
    for (const auto &sub : m->m.named_modules()) {
      std::string prefix = sub.name.empty() ? "" : sub.name + ".";
      for (const auto &x : sub.value.named_parameters(false)) {
        ns.push_back(prefix + x.name);
        ts.push_back(x.value);
        bs.push_back(0);
      }
      for (const auto &x : sub.value.named_buffers(false)) {
        ns.push_back(prefix + x.name);
        ts.push_back(x.value);
        bs.push_back(1);
      }
    }
    size_t k = ts.size() ? ts.size() : 1;
    auto *hs = static_cast<gt_tensor *>(std::malloc(sizeof(gt_tensor) * k));
    auto *kinds = static_cast<int *>(std::malloc(sizeof(int) * k));
    char **names_out = nullptr;
    try {
      if (!hs || !kinds) throw std::bad_alloc();
      names_out = dup_names(ns);
    } catch (...) {
      std::free(hs);
      std::free(kinds);
      throw;
    }
    for (size_t i = 0; i < ts.size(); i++) {
      hs[i] = wrap(ts[i]);
      kinds[i] = bs[i];
    }
    *names = names_out;
    *tensors = hs;
    *buffers = kinds;
    *n = static_cast<int>(ts.size());
  })
}

gt_error gt_jit_train(gt_jit_module m, int on) { GT_TRY(m->m.train(on != 0)) }

int gt_jit_is_training(gt_jit_module m) { return m->m.is_training() ? 1 : 0; }

gt_error gt_jit_to(gt_jit_module m, int dtype, int dev_type, int dev_index, int non_blocking) {
  GT_TRY({
    bool nb = non_blocking != 0;
    if (dev_type >= 0 && dtype >= 0) {
      m->m.to(gt::device(dev_type, dev_index), gt::dtype(dtype), nb);
    } else if (dev_type >= 0) {
      m->m.to(gt::device(dev_type, dev_index), nb);
    } else if (dtype >= 0) {
      m->m.to(gt::dtype(dtype), nb);
    }
  })
}

void gt_jit_set_cpu_fusion(int on) { torch::jit::overrideCanFuseOnCPU(on != 0); }

int gt_jit_cpu_fusion(void) { return torch::jit::canFuseOnCPU() ? 1 : 0; }

// dist.cpp: torch.distributed on libtorch's c10d: stores (TCPStore,
// FileStore), process groups (Gloo), collectives and their Work handles, and
// DistributedDataParallel's gradient reducer. Built where the Gloo headers
// are (Debian's libgloo-dev); dist_stub.cpp stands in elsewhere.
//
// The reducer is this file's own, not c10d::Reducer: reducer.hpp includes
// torch/csrc/distributed/autograd headers that Debian's libtorch-dev does not
// install. It does what c10d::Reducer does for dense CPU gradients: a hook on
// each parameter's gradient accumulator marks the parameter ready; when all of
// a bucket's parameters are, their gradients are flattened into the bucket,
// divided by the group's size and all-reduced asynchronously, overlapping the
// rest of the backward pass; a callback at the end of the backward pass waits
// for every bucket and copies the averages back into the gradients.
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

#include "internal.h"

// The group is the Gloo process group itself: c10d::ProcessGroup in
// libtorch 1.x, a c10d::Backend (behind 2.x's ProcessGroup front, which
// nothing here needs) since 2.0; its collectives are the same calls in both.
using gloo_pg = c10::intrusive_ptr<c10d::ProcessGroupGloo>;

struct gt_store_s {
  c10::intrusive_ptr<c10d::Store> s;
};

struct gt_pg_s {
  gloo_pg pg;
  int backend;
  int rank, size;
};

struct gt_work_s {
  c10::intrusive_ptr<c10d::Work> w;
  // A finishing step run after a successful wait (Gloo's AVG: the sum
  // divided by the group's size; reduce_scatter on Gloo: the rank's part
  // copied out).
  std::function<void()> then;
};

namespace {

// ddp_state is the reducer's state; hooks hold it weakly, so that a freed
// reducer leaves hooks that do nothing.
struct ddp_state {
  std::mutex mu;
  gloo_pg pg;
  double size;
  std::vector<at::Tensor> params;
  // The gradient accumulators, kept alive: they hold the hooks (a
  // std::shared_ptr<Node> before libtorch 2.14, a c10::intrusive_ptr since).
  std::vector<decltype(torch::autograd::impl::grad_accumulator(std::declval<const at::Tensor &>()))> accumulators;
  std::vector<int> bucket_of;                                         // per parameter
  std::vector<std::vector<int>> buckets;                              // parameter indices, in launch order
  // Per backward pass:
  bool expect = false;  // prepare() armed this backward pass
  bool queued = false;  // the final callback is queued
  std::vector<bool> ready;
  std::vector<int> pending;  // per bucket: parameters not ready yet
  size_t next = 0;           // the next bucket to launch: they start in order on every rank
  std::vector<at::Tensor> flat;
  std::vector<decltype(gt_work_s::w)> works;
};

void launch(ddp_state &st, int b);
void finalize(const std::shared_ptr<ddp_state> &st);

struct grad_ready_hook : torch::autograd::FunctionPostHook {
  std::weak_ptr<ddp_state> st;
  int index;
  grad_ready_hook(std::weak_ptr<ddp_state> s, int i) : st(std::move(s)), index(i) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list &outputs,
                                            const torch::autograd::variable_list & /*inputs*/) override {
    auto s = st.lock();
    if (!s) return outputs;
    std::lock_guard<std::mutex> lock(s->mu);
    if (!s->expect || s->ready[index]) return outputs;
    if (!s->queued) {
      s->queued = true;
      std::weak_ptr<ddp_state> w = s;
      torch::autograd::Engine::get_default_engine().queue_callback([w] {
        if (auto s = w.lock()) finalize(s);
      });
    }
    s->ready[index] = true;
    s->pending[s->bucket_of[index]]--;
    // Buckets start in index order, as c10d::Reducer's do: Gloo matches
    // the ranks' collectives by the order they are issued in.
    while (s->next < s->buckets.size() && s->pending[s->next] == 0) launch(*s, static_cast<int>(s->next++));
    return outputs;
  }
};

// launch flattens bucket b's gradients (zeros for a parameter without one),
// divides them by the group's size and starts their all-reduce.
void launch(ddp_state &st, int b) {
  std::vector<at::Tensor> parts;
  for (int i : st.buckets[b]) {
    auto &p = st.params[i];
    auto g = p.grad();
    parts.push_back(g.defined() ? g.detach().reshape({-1}) : at::zeros({p.numel()}, p.options()));
  }
  at::NoGradGuard no_grad;
  auto flat = at::cat(parts).div_(st.size);
  st.flat[b] = flat;
  std::vector<at::Tensor> v{flat};
  st.works[b] = st.pg->allreduce(v);
}

// finalize runs at the end of the backward pass: buckets with parameters
// that got no gradient are launched with zeros for them, every all-reduce is
// waited for, and the averages go back into the gradients.
void finalize(const std::shared_ptr<ddp_state> &sp) {
  std::lock_guard<std::mutex> lock(sp->mu);
  auto &st = *sp;
  st.expect = false;
  st.queued = false;
  while (st.next < st.buckets.size()) launch(st, static_cast<int>(st.next++));
  at::NoGradGuard no_grad;
  for (size_t b = 0; b < st.buckets.size(); b++) {
    st.works[b]->wait();
    int64_t off = 0;
    for (int i : st.buckets[b]) {
      auto &p = st.params[i];
      auto avg = st.flat[b].narrow(0, off, p.numel()).view(p.sizes());
      off += p.numel();
      auto g = p.mutable_grad();
      if (g.defined()) {
        g.copy_(avg);
      } else {
        g = avg.clone();
      }
    }
    st.flat[b] = at::Tensor();
    st.works[b].reset();
  }
}

}  // namespace

struct gt_reducer_s {
  std::shared_ptr<ddp_state> st;
};

using gt::T;

namespace {

std::chrono::milliseconds ms(int64_t v) { return std::chrono::milliseconds(v); }

std::vector<at::Tensor> tensors(const gt_tensor *ts, int n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) v.push_back(T(ts[i]));
  return v;
}

c10d::ReduceOp reduce_op(int op) {
  switch (op) {
    case GT_REDUCE_SUM:
      return c10d::ReduceOp::SUM;
    case GT_REDUCE_AVG:
      return c10d::ReduceOp::AVG;
    case GT_REDUCE_PRODUCT:
      return c10d::ReduceOp::PRODUCT;
    case GT_REDUCE_MIN:
      return c10d::ReduceOp::MIN;
    case GT_REDUCE_MAX:
      return c10d::ReduceOp::MAX;
  }
  TORCH_CHECK_VALUE(false, "unknown reduce op ", op);
}

// classic_tcp_store turns off TCPStoreOptions::useLibUV where the field
// exists (libtorch 2.3 added it, 2.4 made it the default): Debian's libtorch
// is built without libuv and refuses it; the classic backend is in every
// build.
template <typename O>
auto classic_tcp_store(O &o, int) -> decltype(o.useLibUV = false, void()) {
  o.useLibUV = false;
}
template <typename O>
void classic_tcp_store(O &, long) {}

gt_work work(decltype(gt_work_s::w) w, std::function<void()> then = nullptr) {
  return new gt_work_s{std::move(w), std::move(then)};
}

// allreduce starts an all-reduce of v in place.
gt_work allreduce(gt_pg pg, std::vector<at::Tensor> v, int op) {
  c10d::AllreduceOptions o;
  o.reduceOp = reduce_op(op);
  std::function<void()> then;
  if (op == GT_REDUCE_AVG && pg->backend == GT_DIST_GLOO) {
    // Gloo has no AVG: the sum, divided by the group's size once it is in.
    o.reduceOp = c10d::ReduceOp::SUM;
    double size = pg->size;
    then = [v, size]() mutable {
      for (auto &t : v) t.div_(size);
    };
  }
  return work(pg->pg->allreduce(v, o), then);
}

}  // namespace

extern "C" {

int gt_dist_backend_available(int backend) { return backend == GT_DIST_GLOO; }

gt_error gt_store_tcp(const char *host, int port, int world_size, int is_master, int64_t timeout_ms, gt_store *out) {
  GT_TRY({
    TORCH_CHECK_VALUE(port > 0 && port < 65536, "port ", port, " is not a TCP port (1 to 65535)");
    c10d::TCPStoreOptions o;
    o.port = static_cast<std::uint16_t>(port);
    o.isServer = is_master != 0;
    o.numWorkers = static_cast<std::size_t>(world_size);
    o.waitWorkers = false;  // the process group's own rendezvous waits
    o.timeout = ms(timeout_ms);
    classic_tcp_store(o, 0);
    *out = new gt_store_s{c10::make_intrusive<c10d::TCPStore>(std::string(host), o)};
  })
}

gt_error gt_store_file(const char *path, int world_size, gt_store *out) {
  GT_TRY({ *out = new gt_store_s{c10::make_intrusive<c10d::FileStore>(std::string(path), world_size)}; })
}

void gt_store_free(gt_store s) { delete s; }

gt_error gt_pg_new(gt_store store, int backend, int rank, int size, int64_t timeout_ms, gt_pg *out) {
  GT_TRY({
    TORCH_CHECK_VALUE(backend == GT_DIST_GLOO, "this libcgotorch has no NCCL process group: ",
                      "it was built with Gloo only (backend \"gloo\")");
    TORCH_CHECK_VALUE(size >= 1 && rank >= 0 && rank < size, "rank ", rank, " is not in a world of size ", size);
    auto opts = c10d::ProcessGroupGloo::Options::create(ms(timeout_ms));
    const char *ifname = std::getenv("GLOO_SOCKET_IFNAME");
    if (ifname != nullptr && *ifname != '\0') {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
    } else {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    *out = new gt_pg_s{c10::make_intrusive<c10d::ProcessGroupGloo>(store->s, rank, size, opts), backend, rank, size};
  })
}

void gt_pg_free(gt_pg pg) { delete pg; }

gt_error gt_pg_allreduce(gt_pg pg, gt_tensor *ts, int n, int op, gt_work *out) {
  GT_TRY({ *out = allreduce(pg, tensors(ts, n), op); })
}

gt_error gt_pg_broadcast(gt_pg pg, gt_tensor *ts, int n, int root, gt_work *out) {
  GT_TRY({
    auto v = tensors(ts, n);
    c10d::BroadcastOptions o;
    o.rootRank = root;
    *out = work(pg->pg->broadcast(v, o));
  })
}

gt_error gt_pg_allgather(gt_pg pg, gt_tensor *outs, int n, gt_tensor in, gt_work *out) {
  GT_TRY({
    std::vector<std::vector<at::Tensor>> o{tensors(outs, n)};
    std::vector<at::Tensor> i{T(in)};
    *out = work(pg->pg->allgather(o, i));
  })
}

gt_error gt_pg_reduce_scatter(gt_pg pg, gt_tensor dst, gt_tensor *ins, int n, int op, gt_work *out) {
  GT_TRY({
    auto in = tensors(ins, n);
    TORCH_CHECK_VALUE(n == pg->size, "reduce_scatter: ", n, " input tensors for a group of ", pg->size);
    if (pg->backend == GT_DIST_GLOO) {
      // Gloo has no reduce_scatter: all-reduce the inputs stacked, keep this
      // rank's part (the same result, more traffic).
      auto stacked = at::stack(in);
      auto d = T(dst);
      int rank = pg->rank;
      gt_work w = allreduce(pg, {stacked}, op);
      auto avg = std::move(w->then);
      w->then = [avg, stacked, d, rank]() mutable {
        if (avg) avg();
        d.copy_(stacked[rank]);
      };
      *out = w;
      return nullptr;
    }
    std::vector<at::Tensor> o{T(dst)};
    std::vector<std::vector<at::Tensor>> i{in};
    c10d::ReduceScatterOptions opts;
    opts.reduceOp = reduce_op(op);
    *out = work(pg->pg->reduce_scatter(o, i, opts));
  })
}

gt_error gt_pg_barrier(gt_pg pg, gt_work *out) {
  GT_TRY({ *out = work(pg->pg->barrier()); })
}

gt_error gt_pg_send(gt_pg pg, gt_tensor t, int dst, int tag, gt_work *out) {
  GT_TRY({
    std::vector<at::Tensor> v{T(t)};
    *out = work(pg->pg->send(v, dst, tag));
  })
}

gt_error gt_pg_recv(gt_pg pg, gt_tensor t, int src, int tag, gt_work *out) {
  GT_TRY({
    std::vector<at::Tensor> v{T(t)};
    *out = work(pg->pg->recv(v, src, tag));
  })
}

gt_error gt_work_wait(gt_work w, int64_t timeout_ms) {
  GT_TRY({
    if (timeout_ms > 0) {
      w->w->wait(ms(timeout_ms));
    } else {
      w->w->wait();
    }
    if (w->then) {
      auto then = std::move(w->then);
      w->then = nullptr;
      then();
    }
  })
}

int gt_work_is_completed(gt_work w) {
  try {
    return w->w->isCompleted() ? 1 : 0;
  } catch (...) {
    return 1;  // failed: wait says how
  }
}

void gt_work_free(gt_work w) { delete w; }

gt_error gt_reducer_new(gt_pg pg, gt_tensor *params, int n, const int *bucket_of, int nbuckets, gt_reducer *out) {
  GT_TRY({
    auto st = std::make_shared<ddp_state>();
    st->pg = pg->pg;
    st->size = pg->size;
    st->params = tensors(params, n);
    st->buckets.resize(static_cast<size_t>(nbuckets));
    for (int i = 0; i < n; i++) {
      auto &p = st->params[i];
      TORCH_CHECK_VALUE(p.requires_grad() && p.is_leaf(), "DistributedDataParallel: parameter ", i,
                        " is not a leaf tensor that requires grad");
      TORCH_CHECK_VALUE(bucket_of[i] >= 0 && bucket_of[i] < nbuckets, "parameter ", i, ": bucket ", bucket_of[i],
                        " out of ", nbuckets);
      st->bucket_of.push_back(bucket_of[i]);
      st->buckets[bucket_of[i]].push_back(i);
    }
    for (auto &b : st->buckets) TORCH_CHECK_VALUE(!b.empty(), "DistributedDataParallel: an empty bucket");
    st->ready.assign(st->params.size(), false);
    st->pending.assign(st->buckets.size(), 0);
    st->flat.resize(st->buckets.size());
    st->works.resize(st->buckets.size());
    std::weak_ptr<ddp_state> w = st;
    for (int i = 0; i < n; i++) {
      auto acc = torch::autograd::impl::grad_accumulator(st->params[i]);
      acc->add_post_hook(std::make_unique<grad_ready_hook>(w, i));
      st->accumulators.push_back(std::move(acc));
    }
    *out = new gt_reducer_s{st};
  })
}

gt_error gt_reducer_prepare_for_backward(gt_reducer r) {
  GT_TRY({
    auto &st = *r->st;
    std::lock_guard<std::mutex> lock(st.mu);
    st.expect = true;
    st.queued = false;
    st.ready.assign(st.params.size(), false);
    st.next = 0;
    for (size_t b = 0; b < st.buckets.size(); b++) st.pending[b] = static_cast<int>(st.buckets[b].size());
  })
}

void gt_reducer_free(gt_reducer r) { delete r; }

}  // extern "C"

// dist_stub.cpp: torch.distributed where the shim was built without Gloo's
// headers (dist.cpp needs them): no backend is available and every call
// says how to get one.
#include "internal.h"

namespace {
gt_error missing() {
  return gt::error(GT_ERR_RUNTIME,
                   "this libcgotorch was built without torch.distributed (no Gloo headers were found): "
                   "install them (Debian: apt-get install libgloo-dev) and re-run scripts/install_libtorch.sh");
}
}  // namespace

extern "C" {
int gt_dist_backend_available(int) { return 0; }
gt_error gt_store_tcp(const char *, int, int, int, int64_t, gt_store *) { return missing(); }
gt_error gt_store_file(const char *, int, gt_store *) { return missing(); }
void gt_store_free(gt_store) {}
gt_error gt_pg_new(gt_store, int, int, int, int64_t, gt_pg *) { return missing(); }
void gt_pg_free(gt_pg) {}
gt_error gt_pg_allreduce(gt_pg, gt_tensor *, int, int, gt_work *) { return missing(); }
gt_error gt_pg_broadcast(gt_pg, gt_tensor *, int, int, gt_work *) { return missing(); }
gt_error gt_pg_allgather(gt_pg, gt_tensor *, int, gt_tensor, gt_work *) { return missing(); }
gt_error gt_pg_reduce_scatter(gt_pg, gt_tensor, gt_tensor *, int, int, gt_work *) { return missing(); }
gt_error gt_pg_barrier(gt_pg, gt_work *) { return missing(); }
gt_error gt_pg_send(gt_pg, gt_tensor, int, int, gt_work *) { return missing(); }
gt_error gt_pg_recv(gt_pg, gt_tensor, int, int, gt_work *) { return missing(); }
gt_error gt_work_wait(gt_work, int64_t) { return missing(); }
int gt_work_is_completed(gt_work) { return 1; }
void gt_work_free(gt_work) {}
gt_error gt_reducer_new(gt_pg, gt_tensor *, int, const int *, int, gt_reducer *) { return missing(); }
gt_error gt_reducer_prepare_for_backward(gt_reducer) { return missing(); }
void gt_reducer_free(gt_reducer) {}
}

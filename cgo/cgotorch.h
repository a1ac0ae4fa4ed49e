/*
 * cgotorch.h: the plain C ABI over libtorch that the Go packages call.
 *
 * Rules every function keeps:
 *  - no C++ type crosses this header: tensors are opaque gt_tensor handles;
 *  - every fallible function returns its own error: NULL on success, otherwise
 *    a gt_error made by one malloc (the struct and, right after it, the message
 *    msg points at: libtorch's, without its C++ backtrace) that the caller frees
 *    with one free(); its kind says which c10 exception class was thrown.
 *    Results come back through out parameters. There is no thread-local
 *    "last error": a goroutine may move between OS threads;
 *  - every C++ exception is caught; nothing aborts the process;
 *  - one function per libtorch operation, no policy: defaults live in Go.
 *
 * dtype values are c10::ScalarType's (stable across libtorch 1.x and 2.x);
 * device_type is 0 for CPU and 1 for CUDA.
 */
#ifndef CGOTORCH_H
#define CGOTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump on any change to this header, with capi.ABIVersion (torch/internal/capi/capi.go);
 * the Go side refuses a library that differs. */
#define CGOTORCH_ABI_VERSION 12

/* A tensor handle. A C or C++ caller sees a pointer to an opaque struct;
 * package capi defines GT_TENSOR_AS_UINTPTR and sees the same word as an
 * integer, so that cgo does not check every handle (and every array of them)
 * as a possible Go pointer on each call. Both spellings have one ABI. */
#ifdef GT_TENSOR_AS_UINTPTR
typedef uintptr_t gt_tensor;
#else
typedef struct gt_tensor_s *gt_tensor;
#endif
/* A random number generator (at::Generator, a reference to one shared state). */
typedef struct gt_generator_s *gt_generator;
/* A TorchScript module (torch::jit::Module, a reference to one shared object). */
typedef struct gt_jit_module_s *gt_jit_module;
/* torch.distributed: a c10d store, a process group, a collective in flight
 * (c10d Work) and DDP's gradient reducer (c10d::Reducer). */
typedef struct gt_store_s *gt_store;
typedef struct gt_pg_s *gt_pg;
typedef struct gt_work_s *gt_work;
typedef struct gt_reducer_s *gt_reducer;

/* The kinds of error, after the c10 exception classes (and the Python
 * exceptions PyTorch turns them into). Anything else is GT_ERR_RUNTIME. */
enum {
  GT_ERR_RUNTIME = 0,          /* c10::Error and others: RuntimeError */
  GT_ERR_INDEX = 1,            /* c10::IndexError: IndexError */
  GT_ERR_VALUE = 2,            /* c10::ValueError: ValueError */
  GT_ERR_TYPE = 3,             /* c10::TypeError: TypeError */
  GT_ERR_NOT_IMPLEMENTED = 4,  /* c10::NotImplementedError: NotImplementedError */
  GT_ERR_OUT_OF_MEMORY = 5,    /* c10::OutOfMemoryError, std::bad_alloc: torch.OutOfMemoryError */
  GT_ERR_LINALG = 6            /* c10::LinAlgError: torch.linalg.LinAlgError */
};

/* One malloc: msg points just past the struct, into the same block. */
typedef struct gt_error_s {
  int kind;
  char *msg;
} *gt_error;

/* A PyTorch number (at::Scalar) passed by value; kind says which field holds
 * it: int64 kept exact, a double, a bool (in i, 0 or 1), or a complex (f + im i).
 * GT_SCALAR_NONE stands for an absent optional scalar (Python's None). */
enum {
  GT_SCALAR_NONE = -1,
  GT_SCALAR_INT = 0,
  GT_SCALAR_FLOAT = 1,
  GT_SCALAR_BOOL = 2,
  GT_SCALAR_COMPLEX = 3
};
typedef struct {
  int kind;
  int64_t i;
  double f;
  double im;
} gt_scalar;

/* ---- library ---- */
int gt_abi_version(void);
/* Installs the counting CPU allocator; safe to call more than once. */
gt_error gt_init(void);
/* libtorch's version ("1.13.1"), malloc'd. */
char *gt_torch_version(void);
/* 1 when this shim was compiled against a libtorch with CUDA. */
int gt_cuda_compiled(void);

/* ---- CPU memory counters (the counting allocator) ----
 * Returns a pointer to two int64 counters, [allocated, peak], updated atomically
 * by the allocator; Go reads them with atomic loads, no cgo call per read. */
int64_t *gt_cpu_memory_counters(void);
void gt_cpu_reset_peak(void);

/* ---- threads and RNG ---- */
void gt_set_num_threads(int n);
int gt_get_num_threads(void);
gt_error gt_manual_seed(uint64_t seed);
/* Generators (generator.cpp): torch.Generator objects. gt_generator_new makes a
 * fresh CPU generator seeded with c10's default seed, as torch.Generator() does;
 * gt_generator_default refers to the default generator of a device
 * (torch.default_generator, torch.cuda.default_generators[i]). */
gt_error gt_generator_new(int dev_type, int dev_index, gt_generator *out);
gt_error gt_generator_default(int dev_type, int dev_index, gt_generator *out);
void gt_generator_free(gt_generator g);
gt_error gt_generator_manual_seed(gt_generator g, uint64_t seed);
gt_error gt_generator_initial_seed(gt_generator g, uint64_t *out);
/* Seeds g from a non-deterministic source and returns the seed: Generator.seed(). */
gt_error gt_generator_seed(gt_generator g, uint64_t *out);
gt_error gt_generator_get_state(gt_generator g, gt_tensor *out);
gt_error gt_generator_set_state(gt_generator g, gt_tensor state);
void gt_generator_device(gt_generator g, int *type, int *index);

/* ---- lifetime and metadata (these cannot fail on a valid handle) ---- */
void gt_free(gt_tensor t);

/* Frees without a call: the queue that gt_free_queue returns (one per
 * process) takes handles to release, and every function here that can
 * allocate (each one that returns a gt_error) first releases what it holds,
 * so a tensor put there is freed before the next operation starts, on
 * whatever thread makes it; gt_free_queued releases them at once. To put a
 * handle there: take an index with an atomic fetch-and-add of 1 on tail,
 * then atomically exchange slots[index % GT_FREE_QUEUE_SLOTS] with the
 * handle; a non-zero handle the exchange returns (the ring went round before
 * it was emptied) is the caller's to gt_free. head is the library's. */
#define GT_FREE_QUEUE_SLOTS 256
typedef struct {
  uint64_t tail;
  uint64_t head;
  gt_tensor slots[GT_FREE_QUEUE_SLOTS];
} gt_free_queue_t;
gt_free_queue_t *gt_free_queue(void);
void gt_free_queued(void);
int gt_dim(gt_tensor t);
/* Writes up to cap sizes into out; returns dim. */
int gt_sizes(gt_tensor t, int64_t *out, int cap);
int64_t gt_numel(gt_tensor t);
int gt_dtype(gt_tensor t);
void gt_device(gt_tensor t, int *type, int *index);
int gt_requires_grad(gt_tensor t);
int gt_is_contiguous(gt_tensor t);
/* The autograd function that made t ("MulBackward0"), malloc'd; NULL for a leaf. */
char *gt_grad_fn_name(gt_tensor t);
/* Writes up to cap strides (in elements) into out; returns dim. */
int gt_strides(gt_tensor t, int64_t *out, int cap);
int64_t gt_storage_offset(gt_tensor t);
/* The lazy conjugate and negative bits (Tensor.is_conj(), is_neg()), and
 * whether t was made in inference mode (Tensor.is_inference()). */
int gt_is_conj(gt_tensor t);
int gt_is_neg(gt_tensor t);
int gt_is_inference(gt_tensor t);

/* ---- creation ---- */
gt_error gt_empty(const int64_t *shape, int ndim, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_zeros(const int64_t *shape, int ndim, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_ones(const int64_t *shape, int ndim, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_rand(const int64_t *shape, int ndim, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_randn(const int64_t *shape, int ndim, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_randint(int64_t low, int64_t high, const int64_t *shape, int ndim, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_randperm(int64_t n, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_arange(double start, double end, double step, int dtype, int dev_type, int dev_index, gt_tensor *out);
gt_error gt_zeros_like(gt_tensor a, gt_tensor *out);
gt_error gt_ones_like(gt_tensor a, gt_tensor *out);
/* Copies nbytes from data (CPU, element type dtype, C-contiguous) into a new CPU tensor. */
gt_error gt_from_data(const void *data, int64_t nbytes, const int64_t *shape, int ndim, int dtype, gt_tensor *out);

/* ---- reading ---- */
/* Copies the tensor (any device, any layout) as C-contiguous dtype-typed bytes into dst. */
gt_error gt_copy_to(gt_tensor t, void *dst, int64_t nbytes);
gt_error gt_item_double(gt_tensor t, double *out);
gt_error gt_item_int64(gt_tensor t, int64_t *out);

/* ---- the few operations with a hand-written Go API (ops.cpp; the ATen
 * operators are generated: ops_gen.h, gt_aten_<name>_<overload>) ---- */
/* y = x w^T + b; b may be NULL. */
gt_error gt_linear(gt_tensor x, gt_tensor w, gt_tensor b, gt_tensor *out);
gt_error gt_reshape(gt_tensor a, const int64_t *shape, int ndim, gt_tensor *out);
gt_error gt_view(gt_tensor a, const int64_t *shape, int ndim, gt_tensor *out);
gt_error gt_permute(gt_tensor a, const int64_t *dims, int ndims, gt_tensor *out);
gt_error gt_contiguous(gt_tensor a, gt_tensor *out);
gt_error gt_to(gt_tensor a, int dtype, int dev_type, int dev_index, int non_blocking, gt_tensor *out);
/* Tensor.conj(): a view with the conjugate bit flipped (a plain alias for a
 * non-complex tensor). */
gt_error gt_conj(gt_tensor a, gt_tensor *out);

/* ---- Python indexing (index.cpp): t[...] and t[...] = v ----
 * One gt_index_item per item of Python's index tuple, with at::indexing's meaning
 * (the code Python's own t[...] runs): an integer (negative from the end), a
 * slice start:stop:step whose has bits say which parts were given (Python's
 * None for the others), ..., None (a new axis), a bool, or a tensor (int64
 * indices, or a bool/uint8 mask). A list is passed as the tensor Python
 * makes of it. */
enum {
  GT_INDEX_INT = 0,      /* i */
  GT_INDEX_SLICE = 1,    /* start i, stop, step; has: GT_SLICE_HAS_* bits */
  GT_INDEX_ELLIPSIS = 2,
  GT_INDEX_NONE = 3,
  GT_INDEX_BOOL = 4,     /* i: 0 or 1 */
  GT_INDEX_TENSOR = 5    /* t */
};
enum { GT_SLICE_HAS_START = 1, GT_SLICE_HAS_STOP = 2, GT_SLICE_HAS_STEP = 4 };
typedef struct {
  int kind;
  int has;
  int64_t i;
  int64_t stop;
  int64_t step;
  gt_tensor t;
} gt_index_item;
/* t[idx]: a view where Python's is one (no tensor among the indices). */
gt_error gt_index(gt_tensor a, const gt_index_item *idx, int n, gt_tensor *out);
/* t[idx] = value, in place; value broadcasts as in Python. */
gt_error gt_index_put_(gt_tensor a, const gt_index_item *idx, int n, gt_tensor value);
/* t[idx] = scalar, the number converted to t's dtype as Python does. */
gt_error gt_index_put_scalar_(gt_tensor a, const gt_index_item *idx, int n, gt_scalar value);

/* ---- autograd ---- */
gt_error gt_set_requires_grad(gt_tensor a, int requires_grad);
gt_error gt_backward(gt_tensor a, gt_tensor grad /* may be NULL */, int retain_graph);
/* *out is NULL when the tensor has no gradient. */
gt_error gt_grad(gt_tensor a, gt_tensor *out);
/* Drops the gradient (set_to_none); zero_ fills it with zeros instead. */
gt_error gt_grad_reset(gt_tensor a, int set_to_none);
/* Tensor.retain_grad(): a non-leaf keeps its .grad after backward. */
gt_error gt_retain_grad(gt_tensor a);
/* Tensor.retains_grad. */
gt_error gt_retains_grad(gt_tensor a, int *out);
/* dst.set_data(src): dst keeps its identity (and autograd metadata) and takes
 * src's storage, shape, dtype and device, as PyTorch's param.data = x. */
gt_error gt_set_data(gt_tensor dst, gt_tensor src);
/* Grad mode is thread-local in libtorch: the Go side locks its OS thread around these. */
int gt_grad_enabled(void);
void gt_set_grad_enabled(int enabled);

/* ---- nn functions ---- */
gt_error gt_dropout(gt_tensor a, double p, int train, gt_tensor *out);

/* torch.save's format is written and read in Go (torch/checkpoint_*.go). */

/* ---- TorchScript (jit.cpp) ----
 * A value (c10::IValue) crosses as a flat array of gt_ivalue nodes in
 * pre-order: a list or tuple node is followed by its n elements, a dict node
 * by its n pairs (key, then value), each with its own children. A string's
 * bytes lie in a separate blob: i is their offset, n their length. */
enum {
  GT_IV_NONE = 0,
  GT_IV_TENSOR = 1, /* t */
  GT_IV_INT = 2,    /* i */
  GT_IV_DOUBLE = 3, /* f */
  GT_IV_BOOL = 4,   /* i: 0 or 1 */
  GT_IV_STRING = 5, /* blob[i:i+n] */
  GT_IV_LIST = 6,   /* n elements; elem: their kind where the list's type says one (List[int]), else ANY */
  GT_IV_TUPLE = 7,  /* n elements */
  GT_IV_DICT = 8,   /* n pairs; elem: the key kind (Dict[str, ...]: STRING) */
  GT_IV_ANY = 9     /* only as elem: no single node kind */
};
typedef struct {
  int32_t kind;
  int32_t elem;
  int64_t n;
  int64_t i;
  double f;
  gt_tensor t;
} gt_ivalue;
/* torch.jit.load(path, map_location): dev_type -1 keeps the devices the file names. */
gt_error gt_jit_load(const char *path, int dev_type, int dev_index, gt_jit_module *out);
void gt_jit_free(gt_jit_module m);
gt_error gt_jit_save(gt_jit_module m, const char *path);
/* The names of the module's methods, each and the array malloc'd. */
gt_error gt_jit_method_names(gt_jit_module m, char ***names, int *n);
/* A method's schema as TorchScript prints it ("forward(__torch__.M self, Tensor x) -> Tensor"), malloc'd. */
gt_error gt_jit_schema(gt_jit_module m, const char *method, char **out);
/* Calls a method with nargs arguments, given as nnodes nodes (borrowed tensors)
 * and their strings' blob. The result comes back as *nout nodes and a blob,
 * both malloc'd; its tensors are new handles the caller owns. */
gt_error gt_jit_call(gt_jit_module m, const char *method, const gt_ivalue *args, int64_t nnodes, int64_t nargs,
                     const char *blob, int64_t nblob, gt_ivalue **out, int64_t *nout, char **outblob);
/* The module's parameters and buffers in state_dict() order (each module's
 * parameters, its buffers, then its submodules, depth first): *n names, new
 * handles to the module's own tensors (aliases, not copies), and buffers[i]
 * 1 for a buffer, 0 for a parameter; each name and the arrays malloc'd. */
gt_error gt_jit_named_tensors(gt_jit_module m, char ***names, gt_tensor **tensors, int **buffers, int *n);
gt_error gt_jit_train(gt_jit_module m, int on);
int gt_jit_is_training(gt_jit_module m);
/* module.to(device, dtype): dtype -1 keeps dtypes, dev_type -1 keeps devices. */
gt_error gt_jit_to(gt_jit_module m, int dtype, int dev_type, int dev_index, int non_blocking);
/* Whether TorchScript may fuse operations on the CPU (process-wide):
 * torch._C._jit_override_can_fuse_on_cpu(on), torch._C._jit_can_fuse_on_cpu(). */
void gt_jit_set_cpu_fusion(int on);
int gt_jit_cpu_fusion(void);

/* ---- torch.distributed (dist.cpp with Gloo; dist_stub.cpp where the shim was
 * built without it: every call but gt_dist_backend_available says so) ---- */
enum { GT_DIST_GLOO = 0, GT_DIST_NCCL = 1 };
enum { GT_REDUCE_SUM = 0, GT_REDUCE_AVG = 1, GT_REDUCE_PRODUCT = 2, GT_REDUCE_MIN = 3, GT_REDUCE_MAX = 4 };
/* 1 when this shim can make process groups of the backend. */
int gt_dist_backend_available(int backend);
/* c10d::TCPStore at host:port (is_master: this process serves it) and c10d::FileStore. */
gt_error gt_store_tcp(const char *host, int port, int world_size, int is_master, int64_t timeout_ms, gt_store *out);
gt_error gt_store_file(const char *path, int world_size, gt_store *out);
void gt_store_free(gt_store s);
/* A process group of size processes over store; timeout_ms bounds every
 * collective (a peer that died or hangs fails it after that long). */
gt_error gt_pg_new(gt_store store, int backend, int rank, int size, int64_t timeout_ms, gt_pg *out);
void gt_pg_free(gt_pg pg);
/* Collectives start and return their Work; the tensors are borrowed and must
 * stay alive until gt_work_wait returns. Gloo has no AVG and no
 * reduce_scatter: AVG is the sum divided by the size, and reduce_scatter an
 * all-reduce of the stacked inputs, finished in gt_work_wait. */
gt_error gt_pg_allreduce(gt_pg pg, gt_tensor *ts, int n, int op, gt_work *out);
gt_error gt_pg_broadcast(gt_pg pg, gt_tensor *ts, int n, int root, gt_work *out);
gt_error gt_pg_allgather(gt_pg pg, gt_tensor *outs, int n, gt_tensor in, gt_work *out);
gt_error gt_pg_reduce_scatter(gt_pg pg, gt_tensor dst, gt_tensor *ins, int n, int op, gt_work *out);
gt_error gt_pg_barrier(gt_pg pg, gt_work *out);
gt_error gt_pg_send(gt_pg pg, gt_tensor t, int dst, int tag, gt_work *out);
gt_error gt_pg_recv(gt_pg pg, gt_tensor t, int src, int tag, gt_work *out);
/* Work.wait(): timeout_ms > 0 bounds this wait, 0 leaves it to the group's timeout. */
gt_error gt_work_wait(gt_work w, int64_t timeout_ms);
int gt_work_is_completed(gt_work w);
void gt_work_free(gt_work w);
/* DistributedDataParallel's reducer over params, bucket_of[i] the bucket of
 * params[i] (buckets all-reduce in the order 0, 1, ...; the Go side assigns
 * them as Python's DDP does). After gt_reducer_prepare_for_backward, the next
 * backward pass all-reduces the gradients bucket by bucket as they are ready,
 * and ends with every gradient averaged over the group. */
gt_error gt_reducer_new(gt_pg pg, gt_tensor *params, int n, const int *bucket_of, int nbuckets, gt_reducer *out);
gt_error gt_reducer_prepare_for_backward(gt_reducer r);
void gt_reducer_free(gt_reducer r);

/* ---- CUDA (in a CPU build: 0 devices, and calls that need a device say so) ---- */
int gt_cuda_is_available(void);
int gt_cuda_device_count(void);
gt_error gt_cuda_device_name(int device, char **out);
gt_error gt_cuda_synchronize(int device);
gt_error gt_cuda_empty_cache(void);
gt_error gt_cuda_reset_peak(int device);
/* allocated_bytes.all.current of a device, cheaply (no map): the Go side's
 * memory-pressure signal for CUDA tensors. 0 without CUDA or a bad index. */
int64_t gt_cuda_allocated(int device);
/* Fills PyTorch's memory_stats() keys: names[i] malloc'd, values[i]; *n entries. */
gt_error gt_cuda_memory_stats(int device, char ***names, int64_t **values, int *n);

#ifdef __cplusplus
}
#endif
#endif

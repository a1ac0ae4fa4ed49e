// Package torch is the core of gotorch: Go bindings to libtorch, PyTorch's C++
// core. It holds Tensor, DType and Device, tensor creation and math, autograd,
// the random number generator, thread settings and CPU memory statistics.
//
// Names follow PyTorch: torch.zeros is Zeros, Tensor.add is (*Tensor).Add,
// and in-place variants keep PyTorch's trailing underscore (Add_). Every
// exported name's doc comment names its PyTorch twin.
//
// Errors: tensor math panics with a *Error carrying libtorch's message, as Go
// panics on an index out of range; Catch turns such a panic into an error.
// Calls that touch the outside world (files, devices) return an error.
//
// Lifetime: a tensor's native memory is released when the *Tensor becomes
// unreachable, and the package watches the native bytes it holds (through a
// counting CPU allocator installed at start-up) to run the Go garbage
// collector when they grow, so a loop that never calls Free still runs in flat
// memory. Free releases at once, for code that wants determinism.
//
// Threads: libtorch's intra-op parallelism is OpenMP, which keeps a team of
// worker threads per calling OS thread. A goroutine moves between OS threads
// after long cgo calls, so a training loop that runs on several threads in
// turn grows several teams, more threads than cores, and each step slows
// (1.5x here with 2 threads). A goroutine that runs a long loop of tensor
// work should call runtime.LockOSThread first, as Python's single
// interpreter thread is fixed; the training loop of the cmd/ programs does.
// The library itself locks nothing at start-up.
//
// The native side is libcgotorch.so, built and installed by
// scripts/install_libtorch.sh and found through pkg-config.
package torch

/*
#cgo pkg-config: cgotorch
#cgo CFLAGS: -I${SRCDIR}/../cgo
// No gt_ function keeps a Go pointer or calls back into Go: telling cgo so
// lets out-parameters live on the stack and makes each call cheaper.
#cgo noescape gt_abi_version
#cgo nocallback gt_abi_version
#cgo noescape gt_abs
#cgo nocallback gt_abs
#cgo noescape gt_add
#cgo nocallback gt_add
#cgo noescape gt_add_
#cgo nocallback gt_add_
#cgo noescape gt_add_scalar
#cgo nocallback gt_add_scalar
#cgo noescape gt_add_scalar_
#cgo nocallback gt_add_scalar_
#cgo noescape gt_addcdiv_
#cgo nocallback gt_addcdiv_
#cgo noescape gt_addcmul_
#cgo nocallback gt_addcmul_
#cgo noescape gt_arange
#cgo nocallback gt_arange
#cgo noescape gt_argmax
#cgo nocallback gt_argmax
#cgo noescape gt_argmin
#cgo nocallback gt_argmin
#cgo noescape gt_backward
#cgo nocallback gt_backward
#cgo noescape gt_cat
#cgo nocallback gt_cat
#cgo noescape gt_clamp
#cgo nocallback gt_clamp
#cgo noescape gt_clone
#cgo nocallback gt_clone
#cgo noescape gt_compare
#cgo nocallback gt_compare
#cgo noescape gt_compare_scalar
#cgo nocallback gt_compare_scalar
#cgo noescape gt_contiguous
#cgo nocallback gt_contiguous
#cgo noescape gt_copy_
#cgo nocallback gt_copy_
#cgo noescape gt_copy_to
#cgo nocallback gt_copy_to
#cgo noescape gt_cpu_memory_counters
#cgo nocallback gt_cpu_memory_counters
#cgo noescape gt_cpu_reset_peak
#cgo nocallback gt_cpu_reset_peak
#cgo noescape gt_cross_entropy
#cgo nocallback gt_cross_entropy
#cgo noescape gt_cuda_compiled
#cgo nocallback gt_cuda_compiled
#cgo noescape gt_cuda_memory_stats
#cgo nocallback gt_cuda_memory_stats
#cgo noescape gt_cuda_reset_peak
#cgo nocallback gt_cuda_reset_peak
#cgo noescape gt_detach
#cgo nocallback gt_detach
#cgo noescape gt_device
#cgo nocallback gt_device
#cgo noescape gt_dim
#cgo nocallback gt_dim
#cgo noescape gt_div
#cgo nocallback gt_div
#cgo noescape gt_div_
#cgo nocallback gt_div_
#cgo noescape gt_div_scalar
#cgo nocallback gt_div_scalar
#cgo noescape gt_div_scalar_
#cgo nocallback gt_div_scalar_
#cgo noescape gt_dropout
#cgo nocallback gt_dropout
#cgo noescape gt_dtype
#cgo nocallback gt_dtype
#cgo noescape gt_empty
#cgo nocallback gt_empty
#cgo noescape gt_exp
#cgo nocallback gt_exp
#cgo noescape gt_fill_
#cgo nocallback gt_fill_
#cgo noescape gt_flatten
#cgo nocallback gt_flatten
#cgo noescape gt_free
#cgo nocallback gt_free
#cgo noescape gt_from_data
#cgo nocallback gt_from_data
#cgo noescape gt_full
#cgo nocallback gt_full
#cgo noescape gt_get_num_threads
#cgo nocallback gt_get_num_threads
#cgo noescape gt_grad
#cgo nocallback gt_grad
#cgo noescape gt_grad_enabled
#cgo nocallback gt_grad_enabled
#cgo noescape gt_grad_reset
#cgo noescape gt_grad_fn_name
#cgo noescape gt_cuda_allocated
#cgo nocallback gt_cuda_allocated
#cgo noescape gt_cuda_compiled
#cgo nocallback gt_cuda_compiled
#cgo noescape gt_cuda_device_count
#cgo nocallback gt_cuda_device_count
#cgo nocallback gt_grad_fn_name
#cgo nocallback gt_grad_reset
#cgo noescape gt_index_select
#cgo nocallback gt_index_select
#cgo noescape gt_init
#cgo nocallback gt_init
#cgo noescape gt_is_contiguous
#cgo nocallback gt_is_contiguous
#cgo noescape gt_item_double
#cgo nocallback gt_item_double
#cgo noescape gt_item_int64
#cgo nocallback gt_item_int64
#cgo noescape gt_linear
#cgo nocallback gt_linear
#cgo noescape gt_log
#cgo nocallback gt_log
#cgo noescape gt_log_softmax
#cgo nocallback gt_log_softmax
#cgo noescape gt_manual_seed
#cgo nocallback gt_manual_seed
#cgo noescape gt_matmul
#cgo nocallback gt_matmul
#cgo noescape gt_max
#cgo nocallback gt_max
#cgo noescape gt_max_dim
#cgo nocallback gt_max_dim
#cgo noescape gt_maximum
#cgo nocallback gt_maximum
#cgo noescape gt_maximum_out
#cgo nocallback gt_maximum_out
#cgo noescape gt_mean
#cgo nocallback gt_mean
#cgo noescape gt_mean_dims
#cgo nocallback gt_mean_dims
#cgo noescape gt_min
#cgo nocallback gt_min
#cgo noescape gt_min_dim
#cgo nocallback gt_min_dim
#cgo noescape gt_minimum
#cgo nocallback gt_minimum
#cgo noescape gt_mse_loss
#cgo nocallback gt_mse_loss
#cgo noescape gt_mul
#cgo nocallback gt_mul
#cgo noescape gt_mul_
#cgo nocallback gt_mul_
#cgo noescape gt_mul_scalar
#cgo nocallback gt_mul_scalar
#cgo noescape gt_mul_scalar_
#cgo nocallback gt_mul_scalar_
#cgo noescape gt_narrow
#cgo nocallback gt_narrow
#cgo noescape gt_neg
#cgo nocallback gt_neg
#cgo noescape gt_nll_loss
#cgo nocallback gt_nll_loss
#cgo noescape gt_normal_
#cgo nocallback gt_normal_
#cgo noescape gt_numel
#cgo nocallback gt_numel
#cgo noescape gt_ones
#cgo nocallback gt_ones
#cgo noescape gt_ones_like
#cgo nocallback gt_ones_like
#cgo noescape gt_permute
#cgo nocallback gt_permute
#cgo noescape gt_pin_memory
#cgo nocallback gt_pin_memory
#cgo noescape gt_pow_scalar
#cgo nocallback gt_pow_scalar
#cgo noescape gt_rand
#cgo nocallback gt_rand
#cgo noescape gt_randint
#cgo nocallback gt_randint
#cgo noescape gt_randn
#cgo nocallback gt_randn
#cgo noescape gt_randperm
#cgo nocallback gt_randperm
#cgo noescape gt_relu
#cgo nocallback gt_relu
#cgo noescape gt_relu_
#cgo nocallback gt_relu_
#cgo noescape gt_requires_grad
#cgo nocallback gt_requires_grad
#cgo noescape gt_reshape
#cgo nocallback gt_reshape
#cgo noescape gt_select
#cgo nocallback gt_select
#cgo noescape gt_set_grad_enabled
#cgo nocallback gt_set_grad_enabled
#cgo noescape gt_set_num_threads
#cgo nocallback gt_set_num_threads
#cgo noescape gt_set_requires_grad
#cgo nocallback gt_set_requires_grad
#cgo noescape gt_sigmoid
#cgo nocallback gt_sigmoid
#cgo noescape gt_sizes
#cgo nocallback gt_sizes
#cgo noescape gt_softmax
#cgo nocallback gt_softmax
#cgo noescape gt_sqrt
#cgo nocallback gt_sqrt
#cgo noescape gt_sqrt_
#cgo nocallback gt_sqrt_
#cgo noescape gt_squeeze
#cgo nocallback gt_squeeze
#cgo noescape gt_squeeze_dim
#cgo nocallback gt_squeeze_dim
#cgo noescape gt_stack
#cgo nocallback gt_stack
#cgo noescape gt_sub
#cgo nocallback gt_sub
#cgo noescape gt_sub_
#cgo nocallback gt_sub_
#cgo noescape gt_sub_scalar
#cgo nocallback gt_sub_scalar
#cgo noescape gt_sum
#cgo nocallback gt_sum
#cgo noescape gt_sum_dims
#cgo nocallback gt_sum_dims
#cgo noescape gt_tanh
#cgo nocallback gt_tanh
#cgo noescape gt_to
#cgo nocallback gt_to
#cgo noescape gt_torch_version
#cgo nocallback gt_torch_version
#cgo noescape gt_transpose
#cgo nocallback gt_transpose
#cgo noescape gt_uniform_
#cgo nocallback gt_uniform_
#cgo noescape gt_unsqueeze
#cgo nocallback gt_unsqueeze
#cgo noescape gt_view
#cgo nocallback gt_view
#cgo noescape gt_zero_
#cgo nocallback gt_zero_
#cgo noescape gt_zeros
#cgo nocallback gt_zeros
#cgo noescape gt_zeros_like
#cgo nocallback gt_zeros_like
#include <stdlib.h>
#include "cgotorch.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

// libraryVersion is libtorch's version, read once at start-up.
var libraryVersion string

func init() {
	if got := int(C.gt_abi_version()); got != C.CGOTORCH_ABI_VERSION {
		fmt.Fprintf(os.Stderr, "gotorch: libcgotorch.so has ABI version %d but this package expects %d: "+
			"re-run scripts/install_libtorch.sh\n", got, int(C.CGOTORCH_ABI_VERSION))
		os.Exit(2)
	}
	if err := errorOf("init", C.gt_init()); err != nil {
		panic(err)
	}
	v := C.gt_torch_version()
	libraryVersion = C.GoString(v)
	C.free(unsafe.Pointer(v))
	counters = (*[2]int64)(unsafe.Pointer(C.gt_cpu_memory_counters()))
	// libtorch's own default here is one intra-op thread; PyTorch's users
	// expect one per core.
	if C.gt_get_num_threads() < C.int(runtime.NumCPU()) {
		C.gt_set_num_threads(C.int(runtime.NumCPU()))
	}
}

// Version is the version of the libtorch this binary runs on: torch.__version__.
func Version() string { return libraryVersion }

// CUDACompiled reports whether libcgotorch.so was built against a libtorch
// with CUDA (whether a GPU is present is cuda.IsAvailable's question).
func CUDACompiled() bool { return C.gt_cuda_compiled() != 0 }

// errorOf turns a message from the C ABI into an *Error, freeing it.
func errorOf(op string, e C.gt_error) error {
	if e == nil {
		return nil
	}
	msg := C.GoString(e)
	C.free(unsafe.Pointer(e))
	return &Error{Op: op, Msg: msg}
}

// check panics with the *Error for a failed call.
func check(op string, e C.gt_error) {
	if e != nil {
		panic(errorOf(op, e))
	}
}

// SetNumThreads sets the intra-op thread count: torch.set_num_threads.
//
// libtorch applies it to OpenMP on the calling OS thread only (other
// threads pick the count up at their first parallel operation, and BLAS
// calls made before that use OpenMP's default, one per core). Call it from
// the goroutine that does the work: the main goroutine, which stays on one
// thread (mainthread.go), or one that called runtime.LockOSThread.
func SetNumThreads(n int) {
	if n < 1 {
		panic(&Error{Op: "SetNumThreads", Msg: fmt.Sprintf("thread count must be positive, got %d", n)})
	}
	C.gt_set_num_threads(C.int(n))
}

// GetNumThreads returns the intra-op thread count: torch.get_num_threads.
func GetNumThreads() int { return int(C.gt_get_num_threads()) }

// ManualSeed seeds the default generators (CPU and every CUDA device):
// torch.manual_seed. The same seed gives the same numbers as Python on the CPU.
func ManualSeed(seed uint64) { check("ManualSeed", C.gt_manual_seed(C.uint64_t(seed))) }

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
// The native side is libcgotorch.so, built and installed by
// scripts/install_libtorch.sh and found through pkg-config.
package torch

/*
#cgo pkg-config: cgotorch
#cgo CFLAGS: -I${SRCDIR}/../cgo
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

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
// unreachable, and the package watches the native bytes live (through a
// counting CPU allocator installed at start-up): when a new tensor takes them
// to a target (1.5x what was live after the last reclaim, at least 64 MiB),
// the goroutine that made it runs the collector and frees the dropped
// tensors before it goes on, so a loop that never calls Free runs in bounded
// memory. Free releases one tensor at once; a Scope (WithScope, Scoped)
// releases everything a goroutine made inside it, for code that wants
// determinism without Free calls. Freeing a tensor while another goroutine
// uses it panics, as does any use after Free.
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
// scripts/install_libtorch.sh and found through pkg-config; package
// torch/internal/capi is the only one that calls it through cgo.
package torch

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// libraryVersion is libtorch's version, read once at start-up.
var libraryVersion string

func init() {
	if got := capi.LibraryABIVersion(); got != capi.ABIVersion {
		fmt.Fprintf(os.Stderr, "gotorch: libcgotorch.so has ABI version %d but this package expects %d: "+
			"re-run scripts/install_libtorch.sh\n", got, capi.ABIVersion)
		os.Exit(2)
	}
	if got := capi.LibraryOpsHash(); got != capi.OpsHash {
		fmt.Fprintf(os.Stderr, "gotorch: libcgotorch.so was built from generated operators %s but this package has %s: "+
			"re-run scripts/install_libtorch.sh\n", got, capi.OpsHash)
		os.Exit(2)
	}
	if err := errorOf("init", capi.Init()); err != nil {
		panic(err)
	}
	libraryVersion = capi.TorchVersion()
	counters = capi.CPUMemoryCounters()
	capi.SetNumThreads(defaultThreads())
	capi.WarmMalloc(mallocWarmBytes)
}

// mallocWarmBytes starts glibc malloc's dynamic mmap threshold where a
// PyTorch process has it after loading a dataset. glibc serves a request
// above the threshold (128 KiB at start) with an mmap of its own, which is
// page-faulted in and returned to the system at every allocation, and
// trims the top of the heap whenever more than twice the threshold is free
// there; the threshold rises only when such an mmap()ed block is freed,
// to that block's size (mallopt(3)). A training step allocates and frees
// buffers of a few hundred KiB (the MLP's 784x128 weight gradients and
// Adam's temporaries), so until something larger had been freed, every
// step faulted them in afresh: cmd/mnist's first epoch ran at half the
// speed of the next, which began after the test pass (batches of 1000)
// had raised the threshold. Python does not see this because loading
// MNIST frees buffers of several MiB first. Allocating and freeing one
// block of this size at start-up raises the threshold to it (and the trim
// threshold to twice it) while keeping glibc's own adjustment, which
// raises it further as larger blocks come and go, up to 32 MiB. A
// process that sets MALLOC_MMAP_THRESHOLD_ (or calls mallopt) keeps its
// own setting: glibc then no longer adjusts.
const mallocWarmBytes = 8 << 20

// defaultThreads is PyTorch's default intra-op thread count: OMP_NUM_THREADS
// when it is set to a positive count (torchrun sets 1 for each of several
// ranks, so that they do not fight over the cores), else one per core
// (libtorch's own default here is one thread in all).
func defaultThreads() int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv("OMP_NUM_THREADS"))); err == nil && n > 0 {
		return min(n, MaxThreads())
	}
	return runtime.NumCPU()
}

// Version is the version of the libtorch this binary runs on: torch.__version__.
func Version() string { return libraryVersion }

// VersionAtLeast reports whether the libtorch this binary runs on is
// major.minor or later, for the few behaviours (a repr, an update rule)
// that gotorch follows per PyTorch release.
func VersionAtLeast(major, minor int) bool {
	var v [2]int // "2.6.0+debian" -> {2, 6}; "1.13.0a0" -> {1, 13}
	parts := strings.SplitN(libraryVersion, ".", 3)
	for i := 0; i < len(v) && i < len(parts); i++ {
		for _, c := range parts[i] {
			if c < '0' || c > '9' {
				break
			}
			v[i] = v[i]*10 + int(c-'0')
		}
	}
	return v[0] > major || v[0] == major && v[1] >= minor
}

// CUDACompiled reports whether libcgotorch.so was built against a libtorch
// with CUDA (whether a GPU is present is cuda.IsAvailable's question).
func CUDACompiled() bool { return capi.CUDACompiled() }

// errorOf turns an error of the C ABI (a *capi.Error) into an *Error of op,
// keeping its kind; nil stays nil.
func errorOf(op string, err error) error {
	if err == nil {
		return nil
	}
	return wrapError(op, err)
}

// wrapError is errorOf for a non-nil error, kept out of line so that the
// checks on the hot path stay small.
//
//go:noinline
func wrapError(op string, err error) *Error {
	if ce, ok := err.(*capi.Error); ok {
		return &Error{Op: op, Kind: ErrorKind(ce.Kind), Msg: ce.Msg}
	}
	return &Error{Op: op, Msg: err.Error()}
}

// check panics with the *Error for a failed call.
func check(op string, err error) {
	if err != nil {
		panic(wrapError(op, err))
	}
}

// SetNumThreads sets the intra-op thread count: torch.set_num_threads.
//
// libtorch applies it to OpenMP on the calling OS thread only (other
// threads pick the count up at their first parallel operation, and BLAS
// calls made before that use OpenMP's default, one per core). A goroutine
// is not tied to one OS thread, not even the main goroutine: call it from
// a goroutine that called runtime.LockOSThread and does the work itself.
//
// n must be positive, as in PyTorch, and at most MaxThreads(): libtorch
// accepts any count, and 1<<20 made the next matmul stall starting
// hundreds of OpenMP threads.
func SetNumThreads(n int) {
	if n < 1 {
		panic(&Error{Op: "SetNumThreads", Msg: fmt.Sprintf("thread count must be positive, got %d", n)})
	}
	if n > MaxThreads() {
		panic(&Error{Op: "SetNumThreads", Kind: KindValue,
			Msg: fmt.Sprintf("thread count must be at most %d (4 per core, %d cores here), got %d", MaxThreads(), runtime.NumCPU(), n)})
	}
	capi.SetNumThreads(n)
}

// MaxThreads is the largest count SetNumThreads accepts: 4 threads per
// core, and at least 256.
func MaxThreads() int { return max(256, 4*runtime.NumCPU()) }

// GetNumThreads returns the intra-op thread count: torch.get_num_threads.
func GetNumThreads() int { return capi.GetNumThreads() }

// ManualSeed seeds the default generators (CPU and every CUDA device):
// torch.manual_seed. The same seed gives the same numbers as Python on the CPU.
func ManualSeed(seed uint64) { check("ManualSeed", capi.ManualSeed(seed)) }

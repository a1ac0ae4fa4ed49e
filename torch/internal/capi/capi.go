// Package capi is the one Go package that calls libcgotorch.so through cgo:
// plain Go functions over the C ABI of cgo/cgotorch.h, one per C function,
// with Go types in and out. A tensor is an opaque Tensor handle (C memory,
// which the Go collector ignores); a failed call returns a *Error with the
// C side's kind and message. Policy (defaults, panics, lifetimes) lives in
// package torch and its subpackages, never here.
//
// The wrappers are straight-line code on purpose: no closures or function
// values, and out-parameters on the caller's stack (every gt_ function is
// declared noescape and nocallback below), so that a call costs what the cgo
// transition costs and nothing more.
package capi

/*
#cgo pkg-config: cgotorch
#cgo CFLAGS: -I${SRCDIR}/../../../cgo -DGT_TENSOR_AS_UINTPTR
// No gt_ function keeps a Go pointer or calls back into Go: telling cgo so
// lets out-parameters live on the stack and makes each call cheaper.
#cgo noescape gt_abi_version
#cgo nocallback gt_abi_version
#cgo noescape gt_arange
#cgo nocallback gt_arange
#cgo noescape gt_backward
#cgo nocallback gt_backward
#cgo noescape gt_conj
#cgo nocallback gt_conj
#cgo noescape gt_contiguous
#cgo nocallback gt_contiguous
#cgo noescape gt_copy_to
#cgo nocallback gt_copy_to
#cgo noescape gt_cpu_memory_counters
#cgo nocallback gt_cpu_memory_counters
#cgo noescape gt_cpu_reset_peak
#cgo nocallback gt_cpu_reset_peak
#cgo noescape gt_cuda_allocated
#cgo nocallback gt_cuda_allocated
#cgo noescape gt_cuda_compiled
#cgo nocallback gt_cuda_compiled
#cgo noescape gt_cuda_device_count
#cgo nocallback gt_cuda_device_count
#cgo noescape gt_cuda_device_name
#cgo nocallback gt_cuda_device_name
#cgo noescape gt_cuda_empty_cache
#cgo nocallback gt_cuda_empty_cache
#cgo noescape gt_cuda_is_available
#cgo nocallback gt_cuda_is_available
#cgo noescape gt_cuda_memory_stats
#cgo nocallback gt_cuda_memory_stats
#cgo noescape gt_cuda_reset_peak
#cgo nocallback gt_cuda_reset_peak
#cgo noescape gt_cuda_synchronize
#cgo nocallback gt_cuda_synchronize
#cgo noescape gt_device
#cgo nocallback gt_device
#cgo noescape gt_dim
#cgo nocallback gt_dim
#cgo noescape gt_dropout
#cgo nocallback gt_dropout
#cgo noescape gt_dtype
#cgo nocallback gt_dtype
#cgo noescape gt_empty
#cgo nocallback gt_empty
#cgo noescape gt_free
#cgo nocallback gt_free
#cgo noescape gt_free_queue
#cgo nocallback gt_free_queue
#cgo noescape gt_free_queued
#cgo nocallback gt_free_queued
#cgo noescape gt_from_data
#cgo nocallback gt_from_data
#cgo noescape gt_generator_default
#cgo nocallback gt_generator_default
#cgo noescape gt_generator_device
#cgo nocallback gt_generator_device
#cgo noescape gt_generator_free
#cgo nocallback gt_generator_free
#cgo noescape gt_generator_get_state
#cgo nocallback gt_generator_get_state
#cgo noescape gt_generator_initial_seed
#cgo nocallback gt_generator_initial_seed
#cgo noescape gt_generator_manual_seed
#cgo nocallback gt_generator_manual_seed
#cgo noescape gt_generator_new
#cgo nocallback gt_generator_new
#cgo noescape gt_generator_seed
#cgo nocallback gt_generator_seed
#cgo noescape gt_generator_set_state
#cgo nocallback gt_generator_set_state
#cgo noescape gt_get_num_threads
#cgo nocallback gt_get_num_threads
#cgo noescape gt_grad
#cgo nocallback gt_grad
#cgo noescape gt_grad_enabled
#cgo nocallback gt_grad_enabled
#cgo noescape gt_grad_fn_name
#cgo nocallback gt_grad_fn_name
#cgo noescape gt_grad_reset
#cgo nocallback gt_grad_reset
#cgo noescape gt_index
#cgo nocallback gt_index
#cgo noescape gt_index_put_
#cgo nocallback gt_index_put_
#cgo noescape gt_index_put_scalar_
#cgo nocallback gt_index_put_scalar_
#cgo noescape gt_init
#cgo nocallback gt_init
#cgo noescape gt_is_conj
#cgo nocallback gt_is_conj
#cgo noescape gt_is_contiguous
#cgo nocallback gt_is_contiguous
#cgo noescape gt_is_inference
#cgo nocallback gt_is_inference
#cgo noescape gt_is_neg
#cgo nocallback gt_is_neg
#cgo noescape gt_item_double
#cgo nocallback gt_item_double
#cgo noescape gt_item_int64
#cgo nocallback gt_item_int64
#cgo noescape gt_linear
#cgo nocallback gt_linear
#cgo noescape gt_manual_seed
#cgo nocallback gt_manual_seed
#cgo noescape gt_numel
#cgo nocallback gt_numel
#cgo noescape gt_ones
#cgo nocallback gt_ones
#cgo noescape gt_ones_like
#cgo nocallback gt_ones_like
#cgo noescape gt_permute
#cgo nocallback gt_permute
#cgo noescape gt_rand
#cgo nocallback gt_rand
#cgo noescape gt_randint
#cgo nocallback gt_randint
#cgo noescape gt_randn
#cgo nocallback gt_randn
#cgo noescape gt_randperm
#cgo nocallback gt_randperm
#cgo noescape gt_requires_grad
#cgo nocallback gt_requires_grad
#cgo noescape gt_reshape
#cgo nocallback gt_reshape
#cgo noescape gt_retain_grad
#cgo nocallback gt_retain_grad
#cgo noescape gt_retains_grad
#cgo nocallback gt_retains_grad
#cgo noescape gt_set_data
#cgo nocallback gt_set_data
#cgo noescape gt_set_grad_enabled
#cgo nocallback gt_set_grad_enabled
#cgo noescape gt_set_num_threads
#cgo nocallback gt_set_num_threads
#cgo noescape gt_set_requires_grad
#cgo nocallback gt_set_requires_grad
#cgo noescape gt_sizes
#cgo nocallback gt_sizes
#cgo noescape gt_storage_offset
#cgo nocallback gt_storage_offset
#cgo noescape gt_strides
#cgo nocallback gt_strides
#cgo noescape gt_to
#cgo nocallback gt_to
#cgo noescape gt_torch_version
#cgo nocallback gt_torch_version
#cgo noescape gt_view
#cgo nocallback gt_view
#cgo noescape gt_zeros
#cgo nocallback gt_zeros
#cgo noescape gt_zeros_like
#cgo nocallback gt_zeros_like
#include <stddef.h>
#include <stdlib.h>
#include <malloc.h>
#include "cgotorch.h"

// gt_malloc_warm allocates n bytes with malloc, touches them and frees
// them (volatile: a malloc/free pair the compiler may not remove).
static void gt_malloc_warm(size_t n) {
	volatile char *p = malloc(n);
	if (p) {
		p[0] = 1;
		p[n - 1] = 1;
		free((void *)p);
	}
}

// gt_malloc_mmapped_blocks is glibc's count of blocks malloc holds in
// mmap()ed regions of their own (mallinfo2's hblks), -1 elsewhere.
static long gt_malloc_mmapped_blocks(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	return (long)mallinfo2().hblks;
#else
	return -1;
#endif
}

static size_t gt_scalar_layout(int i) {
	switch (i) {
	case 0: return sizeof(gt_scalar);
	case 1: return offsetof(gt_scalar, kind);
	case 2: return offsetof(gt_scalar, i);
	case 3: return offsetof(gt_scalar, f);
	case 4: return offsetof(gt_scalar, im);
	}
	return 0;
}
*/
import "C"

import (
	"sync/atomic"
	"unsafe"
)

// Tensor is an opaque handle to a libtorch tensor (gt_tensor), owned by the
// caller until Free; 0 is no tensor (None). It is an integer, not a pointer
// (cgotorch.h's GT_TENSOR_AS_UINTPTR): the address of C memory, which cgo
// need not check on each call and the collector need not scan.
type Tensor uintptr

// Generator is a gt_generator handle.
type Generator unsafe.Pointer

// ABIVersion is the CGOTORCH_ABI_VERSION (cgo/cgotorch.h) this package is
// written for, kept here as a Go constant: the go command does not track the
// header, which lives outside the package, and would reuse a build made
// against an older one. LibraryABIVersion is the loaded library's; the
// set-up checks the library against the header.
const ABIVersion = 12

// Error kinds, the gt_error kinds of cgotorch.h.
const (
	KindRuntime        = int32(C.GT_ERR_RUNTIME)
	KindIndex          = int32(C.GT_ERR_INDEX)
	KindValue          = int32(C.GT_ERR_VALUE)
	KindType           = int32(C.GT_ERR_TYPE)
	KindNotImplemented = int32(C.GT_ERR_NOT_IMPLEMENTED)
	KindOutOfMemory    = int32(C.GT_ERR_OUT_OF_MEMORY)
	KindLinAlg         = int32(C.GT_ERR_LINALG)
)

// Error is a failed call's gt_error: which kind of c10 exception libtorch
// threw, and its message without the C++ backtrace.
type Error struct {
	Kind int32
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// newError copies a gt_error into Go memory and frees it (one block).
func newError(e C.gt_error) error {
	err := &Error{Kind: int32(e.kind), Msg: C.GoString(e.msg)}
	C.free(unsafe.Pointer(e))
	return err
}

// Scalar kinds, the gt_scalar kinds of cgotorch.h.
const (
	ScalarNone    = int32(C.GT_SCALAR_NONE)
	ScalarInt     = int32(C.GT_SCALAR_INT)
	ScalarFloat   = int32(C.GT_SCALAR_FLOAT)
	ScalarBool    = int32(C.GT_SCALAR_BOOL)
	ScalarComplex = int32(C.GT_SCALAR_COMPLEX)
)

// Scalar is C's gt_scalar, field for field (checked below and in the
// tests), so that it passes by value with a plain conversion: a PyTorch
// number, the field that Kind names holding it (I for ScalarInt and, 0 or 1,
// ScalarBool; F for ScalarFloat; F + Im·i for ScalarComplex).
type Scalar struct {
	Kind int32
	I    int64
	F    float64
	Im   float64
}

// The layout must match C's exactly: these fail to compile otherwise.
var (
	_ [unsafe.Sizeof(Scalar{}) - unsafe.Sizeof(C.gt_scalar{})]struct{}
	_ [unsafe.Sizeof(C.gt_scalar{}) - unsafe.Sizeof(Scalar{})]struct{}
	_ [unsafe.Offsetof(Scalar{}.I) - unsafe.Offsetof(C.gt_scalar{}.i)]struct{}
	_ [unsafe.Offsetof(C.gt_scalar{}.i) - unsafe.Offsetof(Scalar{}.I)]struct{}
	_ [unsafe.Offsetof(Scalar{}.F) - unsafe.Offsetof(C.gt_scalar{}.f)]struct{}
	_ [unsafe.Offsetof(C.gt_scalar{}.f) - unsafe.Offsetof(Scalar{}.F)]struct{}
	_ [unsafe.Offsetof(Scalar{}.Im) - unsafe.Offsetof(C.gt_scalar{}.im)]struct{}
	_ [unsafe.Offsetof(C.gt_scalar{}.im) - unsafe.Offsetof(Scalar{}.Im)]struct{}
)

// Index item kinds and slice bits, the gt_index_item enums of cgotorch.h.
const (
	IndexInt      = int32(C.GT_INDEX_INT)
	IndexSlice    = int32(C.GT_INDEX_SLICE)
	IndexEllipsis = int32(C.GT_INDEX_ELLIPSIS)
	IndexNone     = int32(C.GT_INDEX_NONE)
	IndexBool     = int32(C.GT_INDEX_BOOL)
	IndexTensor   = int32(C.GT_INDEX_TENSOR)

	SliceHasStart = int32(C.GT_SLICE_HAS_START)
	SliceHasStop  = int32(C.GT_SLICE_HAS_STOP)
	SliceHasStep  = int32(C.GT_SLICE_HAS_STEP)
)

// IndexItem is C's gt_index_item, field for field (checked below): one item
// of Python's index tuple. I is the integer (IndexInt), 0 or 1 (IndexBool)
// or the slice's start; Stop and Step the slice's others, Has the
// SliceHas* bits of those given; T the tensor of IndexTensor.
type IndexItem struct {
	Kind int32
	Has  int32
	I    int64
	Stop int64
	Step int64
	T    Tensor
}

var (
	_ [unsafe.Sizeof(IndexItem{}) - unsafe.Sizeof(C.gt_index_item{})]struct{}
	_ [unsafe.Sizeof(C.gt_index_item{}) - unsafe.Sizeof(IndexItem{})]struct{}
	_ [unsafe.Offsetof(IndexItem{}.Has) - unsafe.Offsetof(C.gt_index_item{}.has)]struct{}
	_ [unsafe.Offsetof(C.gt_index_item{}.has) - unsafe.Offsetof(IndexItem{}.Has)]struct{}
	_ [unsafe.Offsetof(IndexItem{}.I) - unsafe.Offsetof(C.gt_index_item{}.i)]struct{}
	_ [unsafe.Offsetof(C.gt_index_item{}.i) - unsafe.Offsetof(IndexItem{}.I)]struct{}
	_ [unsafe.Offsetof(IndexItem{}.Stop) - unsafe.Offsetof(C.gt_index_item{}.stop)]struct{}
	_ [unsafe.Offsetof(C.gt_index_item{}.stop) - unsafe.Offsetof(IndexItem{}.Stop)]struct{}
	_ [unsafe.Offsetof(IndexItem{}.Step) - unsafe.Offsetof(C.gt_index_item{}.step)]struct{}
	_ [unsafe.Offsetof(C.gt_index_item{}.step) - unsafe.Offsetof(IndexItem{}.Step)]struct{}
	_ [unsafe.Offsetof(IndexItem{}.T) - unsafe.Offsetof(C.gt_index_item{}.t)]struct{}
	_ [unsafe.Offsetof(C.gt_index_item{}.t) - unsafe.Offsetof(IndexItem{}.T)]struct{}
)

// indexp passes a Go []IndexItem to C: it holds only C pointers.
func indexp(s []IndexItem) *C.gt_index_item {
	if len(s) == 0 {
		return nil
	}
	return (*C.gt_index_item)(unsafe.Pointer(&s[0]))
}

// c is s as C's gt_scalar, for passing by value.
func (s Scalar) c() C.gt_scalar { return *(*C.gt_scalar)(unsafe.Pointer(&s)) }

// scalarLayout is C's sizeof and offsetof of gt_scalar (size, kind, i, f, im),
// as the C compiler sees them, for the tests.
func scalarLayout() [5]uintptr {
	var r [5]uintptr
	for i := range r {
		r[i] = uintptr(C.gt_scalar_layout(C.int(i)))
	}
	return r
}

func outp(p *Tensor) *C.gt_tensor { return (*C.gt_tensor)(unsafe.Pointer(p)) }

// i64p passes a Go []int64 to C without copying (it holds no pointers).
func i64p(s []int64) *C.int64_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int64_t)(unsafe.Pointer(&s[0]))
}

// tensorp passes a Go []Tensor to C: its elements are C pointers, which Go
// memory may hold and hand over.
func tensorp(s []Tensor) *C.gt_tensor {
	if len(s) == 0 {
		return nil
	}
	return (*C.gt_tensor)(unsafe.Pointer(&s[0]))
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// WarmMalloc has malloc allocate and free n bytes. See torch's init.
func WarmMalloc(n int) { C.gt_malloc_warm(C.size_t(n)) }

// MallocMmappedBlocks is the number of blocks glibc's malloc holds in mmap()ed
// regions of their own right now (mallinfo2's hblks), -1 without glibc 2.33+.
func MallocMmappedBlocks() int { return int(C.gt_malloc_mmapped_blocks()) }

// LibraryABIVersion calls gt_abi_version: the loaded library's ABI version.
func LibraryABIVersion() int { return int(C.gt_abi_version()) }

// TorchVersion calls gt_torch_version: libtorch's version ("1.13.1").
func TorchVersion() string {
	v := C.gt_torch_version()
	defer C.free(unsafe.Pointer(v))
	return C.GoString(v)
}

// CPUMemoryCounters calls gt_cpu_memory_counters: the counting allocator's
// [allocated, peak] bytes, to be read with atomic loads.
func CPUMemoryCounters() *[2]int64 { return (*[2]int64)(unsafe.Pointer(C.gt_cpu_memory_counters())) }

// Sizes calls gt_sizes: it writes up to len(out) sizes and returns the dim.
func Sizes(t Tensor, out []int64) int {
	return int(C.gt_sizes(C.gt_tensor(t), i64p(out), C.int(len(out))))
}

// Device calls gt_device: device type (0 CPU, 1 CUDA) and index.
func Device(t Tensor) (typ, index int) {
	var ct, ci C.int
	C.gt_device(C.gt_tensor(t), &ct, &ci)
	return int(ct), int(ci)
}

// GradFnName calls gt_grad_fn_name: "" for a leaf.
func GradFnName(t Tensor) string {
	p := C.gt_grad_fn_name(C.gt_tensor(t))
	if p == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(p))
	return C.GoString(p)
}

// Grad calls gt_grad: out is nil where t has no gradient.
func Grad(a Tensor) (out Tensor, err error) {
	if e := C.gt_grad(C.gt_tensor(a), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// CUDADeviceName calls gt_cuda_device_name.
func CUDADeviceName(device int) (string, error) {
	var out *C.char
	if e := C.gt_cuda_device_name(C.int(device), &out); e != nil {
		return "", newError(e)
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out), nil
}

// CUDAMemoryStats calls gt_cuda_memory_stats: PyTorch's memory_stats() keys
// and values.
func CUDAMemoryStats(device int) (map[string]int64, error) {
	var names **C.char
	var values *C.int64_t
	var n C.int
	if e := C.gt_cuda_memory_stats(C.int(device), &names, &values, &n); e != nil {
		return nil, newError(e)
	}
	ns := unsafe.Slice(names, int(n))
	vs := unsafe.Slice(values, int(n))
	m := make(map[string]int64, int(n))
	for i := range ns {
		m[C.GoString(ns[i])] = int64(vs[i])
		C.free(unsafe.Pointer(ns[i]))
	}
	C.free(unsafe.Pointer(names))
	C.free(unsafe.Pointer(values))
	return m, nil
}

// Init calls gt_init.
func Init() (err error) {
	if e := C.gt_init(); e != nil {
		err = newError(e)
	}
	return
}

// CUDACompiled calls gt_cuda_compiled.
func CUDACompiled() bool { return C.gt_cuda_compiled() != 0 }

// CPUResetPeak calls gt_cpu_reset_peak.
func CPUResetPeak() { C.gt_cpu_reset_peak() }

// SetNumThreads calls gt_set_num_threads.
func SetNumThreads(n int) { C.gt_set_num_threads(C.int(n)) }

// GetNumThreads calls gt_get_num_threads.
func GetNumThreads() int { return int(C.gt_get_num_threads()) }

// ManualSeed calls gt_manual_seed.
func ManualSeed(seed uint64) (err error) {
	if e := C.gt_manual_seed(C.uint64_t(seed)); e != nil {
		err = newError(e)
	}
	return
}

// Free calls gt_free.
func Free(t Tensor) { C.gt_free(C.gt_tensor(t)) }

// freeQueue is the library's queue of handles to free (gt_free_queue).
var freeQueue = C.gt_free_queue()

// QueueFree hands t to the library to free before its next operation starts
// (cgotorch.h's protocol for gt_free_queue): a free without a cgo call. In the
// rare case of a full ring it frees the handle the slot held, with a call.
func QueueFree(t Tensor) {
	q := freeQueue
	i := atomic.AddUint64((*uint64)(unsafe.Pointer(&q.tail)), 1) - 1
	slot := (*uintptr)(unsafe.Pointer(&q.slots[i%C.GT_FREE_QUEUE_SLOTS]))
	if old := atomic.SwapUintptr(slot, uintptr(t)); old != 0 {
		C.gt_free(C.gt_tensor(old))
	}
}

// FreeQueued calls gt_free_queued: what QueueFree queued is freed now.
func FreeQueued() { C.gt_free_queued() }

// Dim calls gt_dim.
func Dim(t Tensor) int { return int(C.gt_dim(C.gt_tensor(t))) }

// Numel calls gt_numel.
func Numel(t Tensor) int64 { return int64(C.gt_numel(C.gt_tensor(t))) }

// DType calls gt_dtype.
func DType(t Tensor) int { return int(C.gt_dtype(C.gt_tensor(t))) }

// RequiresGrad calls gt_requires_grad.
func RequiresGrad(t Tensor) bool { return C.gt_requires_grad(C.gt_tensor(t)) != 0 }

// IsContiguous calls gt_is_contiguous.
func IsContiguous(t Tensor) bool { return C.gt_is_contiguous(C.gt_tensor(t)) != 0 }

// Empty calls gt_empty.
func Empty(shape []int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_empty(i64p(shape), C.int(len(shape)), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Zeros calls gt_zeros.
func Zeros(shape []int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_zeros(i64p(shape), C.int(len(shape)), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Ones calls gt_ones.
func Ones(shape []int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_ones(i64p(shape), C.int(len(shape)), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Rand calls gt_rand.
func Rand(shape []int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_rand(i64p(shape), C.int(len(shape)), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Randn calls gt_randn.
func Randn(shape []int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_randn(i64p(shape), C.int(len(shape)), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Randint calls gt_randint.
func Randint(low int64, high int64, shape []int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_randint(C.int64_t(low), C.int64_t(high), i64p(shape), C.int(len(shape)), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Randperm calls gt_randperm.
func Randperm(n int64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_randperm(C.int64_t(n), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Arange calls gt_arange.
func Arange(start float64, end float64, step float64, dtype int, devType int, devIndex int) (out Tensor, err error) {
	if e := C.gt_arange(C.double(start), C.double(end), C.double(step), C.int(dtype), C.int(devType), C.int(devIndex), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// ZerosLike calls gt_zeros_like.
func ZerosLike(a Tensor) (out Tensor, err error) {
	if e := C.gt_zeros_like(C.gt_tensor(a), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// OnesLike calls gt_ones_like.
func OnesLike(a Tensor) (out Tensor, err error) {
	if e := C.gt_ones_like(C.gt_tensor(a), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// FromData calls gt_from_data.
func FromData(data unsafe.Pointer, nbytes int64, shape []int64, dtype int) (out Tensor, err error) {
	if e := C.gt_from_data(data, C.int64_t(nbytes), i64p(shape), C.int(len(shape)), C.int(dtype), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// CopyTo calls gt_copy_to.
func CopyTo(t Tensor, dst unsafe.Pointer, nbytes int64) (err error) {
	if e := C.gt_copy_to(C.gt_tensor(t), dst, C.int64_t(nbytes)); e != nil {
		err = newError(e)
	}
	return
}

// ItemDouble calls gt_item_double.
func ItemDouble(t Tensor) (out float64, err error) {
	if e := C.gt_item_double(C.gt_tensor(t), (*C.double)(unsafe.Pointer(&out))); e != nil {
		err = newError(e)
	}
	return
}

// ItemInt64 calls gt_item_int64.
func ItemInt64(t Tensor) (out int64, err error) {
	if e := C.gt_item_int64(C.gt_tensor(t), (*C.int64_t)(unsafe.Pointer(&out))); e != nil {
		err = newError(e)
	}
	return
}

// Linear calls gt_linear.
func Linear(x Tensor, w Tensor, b Tensor) (out Tensor, err error) {
	if e := C.gt_linear(C.gt_tensor(x), C.gt_tensor(w), C.gt_tensor(b), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Reshape calls gt_reshape.
func Reshape(a Tensor, shape []int64) (out Tensor, err error) {
	if e := C.gt_reshape(C.gt_tensor(a), i64p(shape), C.int(len(shape)), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// View calls gt_view.
func View(a Tensor, shape []int64) (out Tensor, err error) {
	if e := C.gt_view(C.gt_tensor(a), i64p(shape), C.int(len(shape)), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Permute calls gt_permute.
func Permute(a Tensor, dims []int64) (out Tensor, err error) {
	if e := C.gt_permute(C.gt_tensor(a), i64p(dims), C.int(len(dims)), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Contiguous calls gt_contiguous.
func Contiguous(a Tensor) (out Tensor, err error) {
	if e := C.gt_contiguous(C.gt_tensor(a), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// To calls gt_to.
func To(a Tensor, dtype int, devType int, devIndex int, nonBlocking bool) (out Tensor, err error) {
	if e := C.gt_to(C.gt_tensor(a), C.int(dtype), C.int(devType), C.int(devIndex), cbool(nonBlocking), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// SetRequiresGrad calls gt_set_requires_grad.
func SetRequiresGrad(a Tensor, requiresGrad bool) (err error) {
	if e := C.gt_set_requires_grad(C.gt_tensor(a), cbool(requiresGrad)); e != nil {
		err = newError(e)
	}
	return
}

// Backward calls gt_backward.
func Backward(a Tensor, grad Tensor, retainGraph bool) (err error) {
	if e := C.gt_backward(C.gt_tensor(a), C.gt_tensor(grad), cbool(retainGraph)); e != nil {
		err = newError(e)
	}
	return
}

// GradReset calls gt_grad_reset.
func GradReset(a Tensor, setToNone bool) (err error) {
	if e := C.gt_grad_reset(C.gt_tensor(a), cbool(setToNone)); e != nil {
		err = newError(e)
	}
	return
}

// GradEnabled calls gt_grad_enabled.
func GradEnabled() bool { return C.gt_grad_enabled() != 0 }

// SetGradEnabled calls gt_set_grad_enabled.
func SetGradEnabled(enabled bool) { C.gt_set_grad_enabled(cbool(enabled)) }

// Dropout calls gt_dropout.
func Dropout(a Tensor, p float64, train bool) (out Tensor, err error) {
	if e := C.gt_dropout(C.gt_tensor(a), C.double(p), cbool(train), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// CUDAIsAvailable calls gt_cuda_is_available.
func CUDAIsAvailable() bool { return C.gt_cuda_is_available() != 0 }

// CUDADeviceCount calls gt_cuda_device_count.
func CUDADeviceCount() int { return int(C.gt_cuda_device_count()) }

// CUDASynchronize calls gt_cuda_synchronize.
func CUDASynchronize(device int) (err error) {
	if e := C.gt_cuda_synchronize(C.int(device)); e != nil {
		err = newError(e)
	}
	return
}

// CUDAEmptyCache calls gt_cuda_empty_cache.
func CUDAEmptyCache() (err error) {
	if e := C.gt_cuda_empty_cache(); e != nil {
		err = newError(e)
	}
	return
}

// CUDAResetPeak calls gt_cuda_reset_peak.
func CUDAResetPeak(device int) (err error) {
	if e := C.gt_cuda_reset_peak(C.int(device)); e != nil {
		err = newError(e)
	}
	return
}

// CUDAAllocated calls gt_cuda_allocated.
func CUDAAllocated(device int) int64 { return int64(C.gt_cuda_allocated(C.int(device))) }

// Strides calls gt_strides: it writes up to len(out) strides and returns the dim.
func Strides(t Tensor, out []int64) int {
	return int(C.gt_strides(C.gt_tensor(t), i64p(out), C.int(len(out))))
}

// StorageOffset calls gt_storage_offset.
func StorageOffset(t Tensor) int64 { return int64(C.gt_storage_offset(C.gt_tensor(t))) }

// IsConj calls gt_is_conj.
func IsConj(t Tensor) bool { return C.gt_is_conj(C.gt_tensor(t)) != 0 }

// IsNeg calls gt_is_neg.
func IsNeg(t Tensor) bool { return C.gt_is_neg(C.gt_tensor(t)) != 0 }

// IsInference calls gt_is_inference.
func IsInference(t Tensor) bool { return C.gt_is_inference(C.gt_tensor(t)) != 0 }

// Conj calls gt_conj.
func Conj(a Tensor) (out Tensor, err error) {
	if e := C.gt_conj(C.gt_tensor(a), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// Index calls gt_index.
func Index(a Tensor, idx []IndexItem) (out Tensor, err error) {
	if e := C.gt_index(C.gt_tensor(a), indexp(idx), C.int(len(idx)), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// IndexPut_ calls gt_index_put_.
func IndexPut_(a Tensor, idx []IndexItem, value Tensor) (err error) {
	if e := C.gt_index_put_(C.gt_tensor(a), indexp(idx), C.int(len(idx)), C.gt_tensor(value)); e != nil {
		err = newError(e)
	}
	return
}

// IndexPutScalar_ calls gt_index_put_scalar_.
func IndexPutScalar_(a Tensor, idx []IndexItem, value Scalar) (err error) {
	if e := C.gt_index_put_scalar_(C.gt_tensor(a), indexp(idx), C.int(len(idx)), value.c()); e != nil {
		err = newError(e)
	}
	return
}

// RetainGrad calls gt_retain_grad.
func RetainGrad(a Tensor) (err error) {
	if e := C.gt_retain_grad(C.gt_tensor(a)); e != nil {
		err = newError(e)
	}
	return
}

// RetainsGrad calls gt_retains_grad.
func RetainsGrad(a Tensor) (bool, error) {
	var out C.int
	if e := C.gt_retains_grad(C.gt_tensor(a), &out); e != nil {
		return false, newError(e)
	}
	return out != 0, nil
}

// GeneratorNew calls gt_generator_new.
func GeneratorNew(devType, devIndex int) (out Generator, err error) {
	var g C.gt_generator
	if e := C.gt_generator_new(C.int(devType), C.int(devIndex), &g); e != nil {
		err = newError(e)
	}
	return Generator(g), err
}

// GeneratorDefault calls gt_generator_default.
func GeneratorDefault(devType, devIndex int) (out Generator, err error) {
	var g C.gt_generator
	if e := C.gt_generator_default(C.int(devType), C.int(devIndex), &g); e != nil {
		err = newError(e)
	}
	return Generator(g), err
}

// GeneratorFree calls gt_generator_free.
func GeneratorFree(g Generator) { C.gt_generator_free(C.gt_generator(g)) }

// GeneratorManualSeed calls gt_generator_manual_seed.
func GeneratorManualSeed(g Generator, seed uint64) (err error) {
	if e := C.gt_generator_manual_seed(C.gt_generator(g), C.uint64_t(seed)); e != nil {
		err = newError(e)
	}
	return
}

// GeneratorInitialSeed calls gt_generator_initial_seed.
func GeneratorInitialSeed(g Generator) (uint64, error) {
	var out C.uint64_t
	if e := C.gt_generator_initial_seed(C.gt_generator(g), &out); e != nil {
		return 0, newError(e)
	}
	return uint64(out), nil
}

// GeneratorSeed calls gt_generator_seed.
func GeneratorSeed(g Generator) (uint64, error) {
	var out C.uint64_t
	if e := C.gt_generator_seed(C.gt_generator(g), &out); e != nil {
		return 0, newError(e)
	}
	return uint64(out), nil
}

// GeneratorGetState calls gt_generator_get_state.
func GeneratorGetState(g Generator) (out Tensor, err error) {
	if e := C.gt_generator_get_state(C.gt_generator(g), outp(&out)); e != nil {
		err = newError(e)
	}
	return
}

// GeneratorSetState calls gt_generator_set_state.
func GeneratorSetState(g Generator, state Tensor) (err error) {
	if e := C.gt_generator_set_state(C.gt_generator(g), C.gt_tensor(state)); e != nil {
		err = newError(e)
	}
	return
}

// GeneratorDevice calls gt_generator_device.
func GeneratorDevice(g Generator) (devType, devIndex int) {
	var t, i C.int
	C.gt_generator_device(C.gt_generator(g), &t, &i)
	return int(t), int(i)
}

// SetData calls gt_set_data.
func SetData(dst, src Tensor) (err error) {
	if e := C.gt_set_data(C.gt_tensor(dst), C.gt_tensor(src)); e != nil {
		err = newError(e)
	}
	return
}

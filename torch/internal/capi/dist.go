package capi

/*
#include <stdlib.h>
#include "cgotorch.h"
#cgo noescape gt_dist_backend_available
#cgo nocallback gt_dist_backend_available
#cgo noescape gt_store_tcp
#cgo nocallback gt_store_tcp
#cgo noescape gt_store_file
#cgo nocallback gt_store_file
#cgo noescape gt_store_free
#cgo nocallback gt_store_free
#cgo noescape gt_pg_new
#cgo nocallback gt_pg_new
#cgo noescape gt_pg_free
#cgo nocallback gt_pg_free
#cgo noescape gt_pg_allreduce
#cgo nocallback gt_pg_allreduce
#cgo noescape gt_pg_broadcast
#cgo nocallback gt_pg_broadcast
#cgo noescape gt_pg_allgather
#cgo nocallback gt_pg_allgather
#cgo noescape gt_pg_reduce_scatter
#cgo nocallback gt_pg_reduce_scatter
#cgo noescape gt_pg_barrier
#cgo nocallback gt_pg_barrier
#cgo noescape gt_pg_send
#cgo nocallback gt_pg_send
#cgo noescape gt_pg_recv
#cgo nocallback gt_pg_recv
#cgo noescape gt_work_wait
#cgo nocallback gt_work_wait
#cgo noescape gt_work_is_completed
#cgo nocallback gt_work_is_completed
#cgo noescape gt_work_free
#cgo nocallback gt_work_free
#cgo noescape gt_reducer_new
#cgo nocallback gt_reducer_new
#cgo noescape gt_reducer_prepare_for_backward
#cgo nocallback gt_reducer_prepare_for_backward
#cgo noescape gt_reducer_free
#cgo nocallback gt_reducer_free
*/
import "C"

import "unsafe"

// Store, ProcessGroup, Work and Reducer are the gt_store, gt_pg, gt_work
// and gt_reducer handles of cgotorch.h.
type (
	Store        unsafe.Pointer
	ProcessGroup unsafe.Pointer
	Work         unsafe.Pointer
	Reducer      unsafe.Pointer
)

// Backends and reduce operations: the GT_DIST_ and GT_REDUCE_ enums.
const (
	DistGloo   = int(C.GT_DIST_GLOO)
	DistNCCL   = int(C.GT_DIST_NCCL)
	ReduceSum  = int(C.GT_REDUCE_SUM)
	ReduceAvg  = int(C.GT_REDUCE_AVG)
	ReduceProd = int(C.GT_REDUCE_PRODUCT)
	ReduceMin  = int(C.GT_REDUCE_MIN)
	ReduceMax  = int(C.GT_REDUCE_MAX)
)

func tensorArray(ts []Tensor) (*C.gt_tensor, C.int) {
	if len(ts) == 0 {
		return nil, 0
	}
	return (*C.gt_tensor)(unsafe.Pointer(&ts[0])), C.int(len(ts))
}

// DistBackendAvailable calls gt_dist_backend_available.
func DistBackendAvailable(backend int) bool { return C.gt_dist_backend_available(C.int(backend)) != 0 }

// StoreTCP calls gt_store_tcp.
func StoreTCP(host string, port, worldSize int, isMaster bool, timeoutMs int64) (Store, error) {
	h := C.CString(host)
	defer C.free(unsafe.Pointer(h))
	var out C.gt_store
	if e := C.gt_store_tcp(h, C.int(port), C.int(worldSize), cbool(isMaster), C.int64_t(timeoutMs), &out); e != nil {
		return nil, newError(e)
	}
	return Store(out), nil
}

// StoreFile calls gt_store_file.
func StoreFile(path string, worldSize int) (Store, error) {
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	var out C.gt_store
	if e := C.gt_store_file(p, C.int(worldSize), &out); e != nil {
		return nil, newError(e)
	}
	return Store(out), nil
}

// StoreFree calls gt_store_free.
func StoreFree(s Store) { C.gt_store_free(C.gt_store(s)) }

// PGNew calls gt_pg_new.
func PGNew(s Store, backend, rank, size int, timeoutMs int64) (ProcessGroup, error) {
	var out C.gt_pg
	if e := C.gt_pg_new(C.gt_store(s), C.int(backend), C.int(rank), C.int(size), C.int64_t(timeoutMs), &out); e != nil {
		return nil, newError(e)
	}
	return ProcessGroup(out), nil
}

// PGFree calls gt_pg_free.
func PGFree(pg ProcessGroup) { C.gt_pg_free(C.gt_pg(pg)) }

func work(e C.gt_error, w C.gt_work) (Work, error) {
	if e != nil {
		return nil, newError(e)
	}
	return Work(w), nil
}

// AllReduce calls gt_pg_allreduce.
func AllReduce(pg ProcessGroup, ts []Tensor, op int) (Work, error) {
	p, n := tensorArray(ts)
	var w C.gt_work
	return work(C.gt_pg_allreduce(C.gt_pg(pg), p, n, C.int(op), &w), w)
}

// Broadcast calls gt_pg_broadcast.
func Broadcast(pg ProcessGroup, ts []Tensor, root int) (Work, error) {
	p, n := tensorArray(ts)
	var w C.gt_work
	return work(C.gt_pg_broadcast(C.gt_pg(pg), p, n, C.int(root), &w), w)
}

// AllGather calls gt_pg_allgather.
func AllGather(pg ProcessGroup, outs []Tensor, in Tensor) (Work, error) {
	p, n := tensorArray(outs)
	var w C.gt_work
	return work(C.gt_pg_allgather(C.gt_pg(pg), p, n, C.gt_tensor(in), &w), w)
}

// ReduceScatter calls gt_pg_reduce_scatter.
func ReduceScatter(pg ProcessGroup, out Tensor, ins []Tensor, op int) (Work, error) {
	p, n := tensorArray(ins)
	var w C.gt_work
	return work(C.gt_pg_reduce_scatter(C.gt_pg(pg), C.gt_tensor(out), p, n, C.int(op), &w), w)
}

// Barrier calls gt_pg_barrier.
func Barrier(pg ProcessGroup) (Work, error) {
	var w C.gt_work
	return work(C.gt_pg_barrier(C.gt_pg(pg), &w), w)
}

// Send calls gt_pg_send.
func Send(pg ProcessGroup, t Tensor, dst, tag int) (Work, error) {
	var w C.gt_work
	return work(C.gt_pg_send(C.gt_pg(pg), C.gt_tensor(t), C.int(dst), C.int(tag), &w), w)
}

// Recv calls gt_pg_recv.
func Recv(pg ProcessGroup, t Tensor, src, tag int) (Work, error) {
	var w C.gt_work
	return work(C.gt_pg_recv(C.gt_pg(pg), C.gt_tensor(t), C.int(src), C.int(tag), &w), w)
}

// WorkWait calls gt_work_wait.
func WorkWait(w Work, timeoutMs int64) error {
	if e := C.gt_work_wait(C.gt_work(w), C.int64_t(timeoutMs)); e != nil {
		return newError(e)
	}
	return nil
}

// WorkIsCompleted calls gt_work_is_completed.
func WorkIsCompleted(w Work) bool { return C.gt_work_is_completed(C.gt_work(w)) != 0 }

// WorkFree calls gt_work_free.
func WorkFree(w Work) { C.gt_work_free(C.gt_work(w)) }

// ReducerNew calls gt_reducer_new.
func ReducerNew(pg ProcessGroup, params []Tensor, bucketOf []int32, nbuckets int) (Reducer, error) {
	p, n := tensorArray(params)
	var b *C.int
	if len(bucketOf) > 0 {
		b = (*C.int)(unsafe.Pointer(&bucketOf[0]))
	}
	var out C.gt_reducer
	if e := C.gt_reducer_new(C.gt_pg(pg), p, n, b, C.int(nbuckets), &out); e != nil {
		return nil, newError(e)
	}
	return Reducer(out), nil
}

// ReducerPrepareForBackward calls gt_reducer_prepare_for_backward.
func ReducerPrepareForBackward(r Reducer) error {
	if e := C.gt_reducer_prepare_for_backward(C.gt_reducer(r)); e != nil {
		return newError(e)
	}
	return nil
}

// ReducerFree calls gt_reducer_free.
func ReducerFree(r Reducer) { C.gt_reducer_free(C.gt_reducer(r)) }

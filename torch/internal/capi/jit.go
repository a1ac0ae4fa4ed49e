package capi

/*
#include <stdlib.h>
#include "cgotorch.h"
#cgo noescape gt_jit_call
#cgo nocallback gt_jit_call
#cgo noescape gt_jit_cpu_fusion
#cgo nocallback gt_jit_cpu_fusion
#cgo noescape gt_jit_free
#cgo nocallback gt_jit_free
#cgo noescape gt_jit_is_training
#cgo nocallback gt_jit_is_training
#cgo noescape gt_jit_load
#cgo nocallback gt_jit_load
#cgo noescape gt_jit_method_names
#cgo nocallback gt_jit_method_names
#cgo noescape gt_jit_named_tensors
#cgo nocallback gt_jit_named_tensors
#cgo noescape gt_jit_save
#cgo nocallback gt_jit_save
#cgo noescape gt_jit_schema
#cgo nocallback gt_jit_schema
#cgo noescape gt_jit_set_cpu_fusion
#cgo nocallback gt_jit_set_cpu_fusion
#cgo noescape gt_jit_to
#cgo nocallback gt_jit_to
#cgo noescape gt_jit_train
#cgo nocallback gt_jit_train
*/
import "C"

import (
	"unsafe"
)

// JITModule is a gt_jit_module handle: a TorchScript module.
type JITModule unsafe.Pointer

// IValue node kinds, the GT_IV_ enum of cgotorch.h.
const (
	IVNone   = int32(C.GT_IV_NONE)
	IVTensor = int32(C.GT_IV_TENSOR)
	IVInt    = int32(C.GT_IV_INT)
	IVDouble = int32(C.GT_IV_DOUBLE)
	IVBool   = int32(C.GT_IV_BOOL)
	IVString = int32(C.GT_IV_STRING)
	IVList   = int32(C.GT_IV_LIST)
	IVTuple  = int32(C.GT_IV_TUPLE)
	IVDict   = int32(C.GT_IV_DICT)
	IVAny    = int32(C.GT_IV_ANY)
)

// IValue is C's gt_ivalue, field for field (checked below): one node of a
// TorchScript value in pre-order (see cgotorch.h).
type IValue struct {
	Kind int32
	Elem int32
	N    int64
	I    int64
	F    float64
	T    Tensor
}

var (
	_ [unsafe.Sizeof(IValue{}) - unsafe.Sizeof(C.gt_ivalue{})]struct{}
	_ [unsafe.Sizeof(C.gt_ivalue{}) - unsafe.Sizeof(IValue{})]struct{}
	_ [unsafe.Offsetof(IValue{}.Elem) - unsafe.Offsetof(C.gt_ivalue{}.elem)]struct{}
	_ [unsafe.Offsetof(C.gt_ivalue{}.elem) - unsafe.Offsetof(IValue{}.Elem)]struct{}
	_ [unsafe.Offsetof(IValue{}.N) - unsafe.Offsetof(C.gt_ivalue{}.n)]struct{}
	_ [unsafe.Offsetof(C.gt_ivalue{}.n) - unsafe.Offsetof(IValue{}.N)]struct{}
	_ [unsafe.Offsetof(IValue{}.I) - unsafe.Offsetof(C.gt_ivalue{}.i)]struct{}
	_ [unsafe.Offsetof(C.gt_ivalue{}.i) - unsafe.Offsetof(IValue{}.I)]struct{}
	_ [unsafe.Offsetof(IValue{}.F) - unsafe.Offsetof(C.gt_ivalue{}.f)]struct{}
	_ [unsafe.Offsetof(C.gt_ivalue{}.f) - unsafe.Offsetof(IValue{}.F)]struct{}
	_ [unsafe.Offsetof(IValue{}.T) - unsafe.Offsetof(C.gt_ivalue{}.t)]struct{}
	_ [unsafe.Offsetof(C.gt_ivalue{}.t) - unsafe.Offsetof(IValue{}.T)]struct{}
)

// JITLoad calls gt_jit_load; devType -1 keeps the devices the file names.
func JITLoad(path string, devType, devIndex int) (JITModule, error) {
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	var out C.gt_jit_module
	if e := C.gt_jit_load(p, C.int(devType), C.int(devIndex), &out); e != nil {
		return nil, newError(e)
	}
	return JITModule(out), nil
}

// JITFree calls gt_jit_free.
func JITFree(m JITModule) { C.gt_jit_free(C.gt_jit_module(m)) }

// JITSave calls gt_jit_save.
func JITSave(m JITModule, path string) error {
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	if e := C.gt_jit_save(C.gt_jit_module(m), p); e != nil {
		return newError(e)
	}
	return nil
}

// goStrings copies n malloc'd C strings and frees them and their array.
func goStrings(names **C.char, n C.int) []string {
	ns := unsafe.Slice(names, int(n))
	out := make([]string, len(ns))
	for i, p := range ns {
		out[i] = C.GoString(p)
		C.free(unsafe.Pointer(p))
	}
	C.free(unsafe.Pointer(names))
	return out
}

// JITMethodNames calls gt_jit_method_names.
func JITMethodNames(m JITModule) ([]string, error) {
	var names **C.char
	var n C.int
	if e := C.gt_jit_method_names(C.gt_jit_module(m), &names, &n); e != nil {
		return nil, newError(e)
	}
	return goStrings(names, n), nil
}

// JITSchema calls gt_jit_schema.
func JITSchema(m JITModule, method string) (string, error) {
	p := C.CString(method)
	defer C.free(unsafe.Pointer(p))
	var out *C.char
	if e := C.gt_jit_schema(C.gt_jit_module(m), p, &out); e != nil {
		return "", newError(e)
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out), nil
}

// JITCall calls gt_jit_call: method with nargs arguments given as nodes and
// blob (Go memory holding no Go pointers). The result's nodes and blob are
// copied into Go memory; its tensors are handles the caller owns.
func JITCall(m JITModule, method string, nodes []IValue, nargs int, blob []byte) ([]IValue, []byte, error) {
	p := C.CString(method)
	defer C.free(unsafe.Pointer(p))
	var np *C.gt_ivalue
	if len(nodes) > 0 {
		np = (*C.gt_ivalue)(unsafe.Pointer(&nodes[0]))
	}
	var bp *C.char
	if len(blob) > 0 {
		bp = (*C.char)(unsafe.Pointer(&blob[0]))
	}
	var out *C.gt_ivalue
	var nout C.int64_t
	var outBlob *C.char
	if e := C.gt_jit_call(C.gt_jit_module(m), p, np, C.int64_t(len(nodes)), C.int64_t(nargs), bp, C.int64_t(len(blob)),
		&out, &nout, &outBlob); e != nil {
		return nil, nil, newError(e)
	}
	res := make([]IValue, int(nout))
	copy(res, unsafe.Slice((*IValue)(unsafe.Pointer(out)), int(nout)))
	var size int64
	for _, v := range res {
		if v.Kind == IVString {
			size = max(size, v.I+v.N)
		}
	}
	b := C.GoBytes(unsafe.Pointer(outBlob), C.int(size))
	C.free(unsafe.Pointer(out))
	C.free(unsafe.Pointer(outBlob))
	return res, b, nil
}

// JITNamedTensors calls gt_jit_named_tensors: the names and new handles of
// the module's parameters and buffers in state_dict order, and which are
// buffers.
func JITNamedTensors(m JITModule) ([]string, []Tensor, []bool, error) {
	var names **C.char
	var ts *C.gt_tensor
	var kinds *C.int
	var n C.int
	if e := C.gt_jit_named_tensors(C.gt_jit_module(m), &names, &ts, &kinds, &n); e != nil {
		return nil, nil, nil, newError(e)
	}
	hs := make([]Tensor, int(n))
	copy(hs, unsafe.Slice((*Tensor)(unsafe.Pointer(ts)), int(n)))
	C.free(unsafe.Pointer(ts))
	buffers := make([]bool, int(n))
	for i, k := range unsafe.Slice(kinds, int(n)) {
		buffers[i] = k != 0
	}
	C.free(unsafe.Pointer(kinds))
	return goStrings(names, n), hs, buffers, nil
}

// JITTrain calls gt_jit_train.
func JITTrain(m JITModule, on bool) error {
	if e := C.gt_jit_train(C.gt_jit_module(m), cbool(on)); e != nil {
		return newError(e)
	}
	return nil
}

// JITIsTraining calls gt_jit_is_training.
func JITIsTraining(m JITModule) bool { return C.gt_jit_is_training(C.gt_jit_module(m)) != 0 }

// JITTo calls gt_jit_to: dtype or devType -1 keeps them.
func JITTo(m JITModule, dtype, devType, devIndex int, nonBlocking bool) error {
	if e := C.gt_jit_to(C.gt_jit_module(m), C.int(dtype), C.int(devType), C.int(devIndex), cbool(nonBlocking)); e != nil {
		return newError(e)
	}
	return nil
}

// JITSetCPUFusion calls gt_jit_set_cpu_fusion.
func JITSetCPUFusion(on bool) { C.gt_jit_set_cpu_fusion(cbool(on)) }

// JITCPUFusion calls gt_jit_cpu_fusion.
func JITCPUFusion() bool { return C.gt_jit_cpu_fusion() != 0 }

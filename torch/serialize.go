package torch

/*
#include <stdlib.h>
#include "cgotorch.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"unsafe"
)

// Save writes named tensors to path in torch.save's format, so that Python's
// torch.load(path) returns a dict of str to Tensor: torch.save(dict, path).
// Keys are written in sorted order.
func Save(tensors map[string]*Tensor, path string) error {
	data, err := Marshal(tensors)
	if err != nil {
		return fmt.Errorf("torch: save %s: %w", path, err)
	}
	return os.WriteFile(path, data, 0o644)
}

// Marshal is Save to memory.
func Marshal(tensors map[string]*Tensor) ([]byte, error) {
	keys := make([]string, 0, len(tensors))
	for k := range tensors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := len(keys)
	names := (**C.char)(C.malloc(C.size_t(max(n, 1)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	hs := (*C.gt_tensor)(C.malloc(C.size_t(max(n, 1)) * C.size_t(unsafe.Sizeof(C.gt_tensor(nil)))))
	ns, ts := unsafe.Slice(names, max(n, 1)), unsafe.Slice(hs, max(n, 1))
	for i, k := range keys {
		ns[i] = C.CString(k)
		ts[i] = tensors[k].handle()
	}
	defer func() {
		for i := range n {
			C.free(unsafe.Pointer(ns[i]))
		}
		C.free(unsafe.Pointer(names))
		C.free(unsafe.Pointer(hs))
	}()
	var data *C.char
	var size C.int64_t
	err := errorOf("Save", C.gt_save_dict(names, hs, C.int(n), &data, &size))
	runtime.KeepAlive(tensors)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(data))
	return C.GoBytes(unsafe.Pointer(data), C.int(size)), nil
}

// Load reads a file that torch.save(dict_of_tensors, path) wrote, in Python
// or by Save: torch.load(path), e.g. of model.state_dict(). Tensors come
// back on the CPU.
//
// libtorch's C++ unpickler reads Save's files, but Python's
// torch.save(model.state_dict()) pickles a collections.OrderedDict (with a
// _metadata attribute), which it reads as None, and it cannot read the opcode
// Python writes for a dict of one entry. Such files are read again with
// github.com/nlpodyssey/gopickle, a Go implementation of Python's unpickler
// that knows PyTorch's storages.
func Load(path string) (map[string]*Tensor, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("torch: load: %w", err)
	}
	m, libtorchErr := Unmarshal(data)
	if libtorchErr == nil {
		return m, nil
	}
	m, err = readPickled(path)
	if err != nil {
		return nil, fmt.Errorf("torch: load %s: expected a torch.save file of a dict of tensors: %w (libtorch's reader: %v)",
			path, err, libtorchErr)
	}
	return m, nil
}

// Unmarshal is Load from memory.
func Unmarshal(data []byte) (map[string]*Tensor, error) {
	if len(data) == 0 {
		return nil, &Error{Op: "Load", Msg: "empty input: expected a torch.save zip archive"}
	}
	var names **C.char
	var hs *C.gt_tensor
	var n C.int
	if err := errorOf("Load", C.gt_load_dict((*C.char)(unsafe.Pointer(&data[0])), C.int64_t(len(data)), &names, &hs, &n)); err != nil {
		return nil, err
	}
	ns, ts := unsafe.Slice(names, int(n)), unsafe.Slice(hs, int(n))
	m := make(map[string]*Tensor, int(n))
	for i := range ns {
		m[C.GoString(ns[i])] = newTensor(ts[i])
		C.free(unsafe.Pointer(ns[i]))
	}
	C.free(unsafe.Pointer(names))
	C.free(unsafe.Pointer(hs))
	return m, nil
}

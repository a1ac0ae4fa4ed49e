package torch

import (
	"errors"
	"fmt"
	"math"

	"github.com/nlpodyssey/gopickle/pytorch"
	"github.com/nlpodyssey/gopickle/types"
)

// readPickled reads a save file with gopickle.
func readPickled(path string) (sd map[string]*Tensor, err error) {
	defer func() {
		// gopickle is not hardened against every malformed input; a panic
		// in it is a bad file, not a bug of the caller.
		if r := recover(); r != nil {
			sd, err = nil, fmt.Errorf("malformed save file: %v", r)
		}
	}()
	v, err := pytorch.Load(path)
	if err != nil {
		return nil, err
	}
	sd = map[string]*Tensor{}
	add := func(k, v any) error {
		name, ok := k.(string)
		if !ok {
			return fmt.Errorf("expected a dict with string keys, found key %v (%T)", k, k)
		}
		pt, ok := v.(*pytorch.Tensor)
		if !ok {
			return fmt.Errorf("expected a dict of tensors, found %T for key %q", v, name)
		}
		t, err := fromPickled(pt)
		if err != nil {
			return fmt.Errorf("tensor %q: %w", name, err)
		}
		sd[name] = t
		return nil
	}
	switch d := v.(type) {
	case *types.OrderedDict:
		for e := d.List.Front(); e != nil; e = e.Next() {
			entry := e.Value.(*types.OrderedDictEntry)
			if err := add(entry.Key, entry.Value); err != nil {
				return nil, err
			}
		}
	case *types.Dict:
		for _, e := range *d {
			if err := add(e.Key, e.Value); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("expected a dict of tensors (a state_dict), found %T", v)
	}
	return sd, nil
}

// fromPickled copies a gopickle tensor (a storage with offset, sizes and
// strides) into a new contiguous CPU tensor of the same dtype.
func fromPickled(pt *pytorch.Tensor) (*Tensor, error) {
	shape := make([]int64, len(pt.Size))
	for i, s := range pt.Size {
		shape[i] = int64(s)
	}
	var t *Tensor
	var err error
	switch s := pt.Source.(type) {
	case *pytorch.FloatStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.DoubleStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.HalfStorage: // gopickle widens half floats to float32, exactly
		t, err = gather(s.Data, pt, shape)
		if err == nil {
			t = t.ToDType(Float16)
		}
	case *pytorch.BFloat16Storage:
		t, err = gather(s.Data, pt, shape)
		if err == nil {
			t = t.ToDType(BFloat16)
		}
	case *pytorch.CharStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.ShortStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.IntStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.LongStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.ByteStorage:
		t, err = gather(s.Data, pt, shape)
	case *pytorch.BoolStorage:
		t, err = gather(s.Data, pt, shape)
	default:
		return nil, fmt.Errorf("unsupported storage %T", pt.Source)
	}
	return t, err
}

// gather reads the elements a (size, stride, offset) view selects from a
// storage, in C order, checking every bound first.
func gather[T Element](data []T, pt *pytorch.Tensor, shape []int64) (*Tensor, error) {
	if len(pt.Stride) != len(pt.Size) {
		return nil, fmt.Errorf("%d sizes but %d strides", len(pt.Size), len(pt.Stride))
	}
	n, last := 1, pt.StorageOffset
	for i, s := range pt.Size {
		if s < 0 || pt.Stride[i] < 0 {
			return nil, fmt.Errorf("negative size or stride in %v / %v", pt.Size, pt.Stride)
		}
		if s > 0 && n > math.MaxInt/s {
			return nil, errors.New("size overflows")
		}
		n *= s
		if s > 0 {
			if pt.Stride[i] > 0 && s-1 > (math.MaxInt-last)/pt.Stride[i] {
				return nil, errors.New("strides overflow")
			}
			last += (s - 1) * pt.Stride[i]
		}
	}
	if n > 0 && (pt.StorageOffset < 0 || last >= len(data)) {
		return nil, fmt.Errorf("view (offset %d, sizes %v, strides %v) reaches past its storage of %d elements",
			pt.StorageOffset, pt.Size, pt.Stride, len(data))
	}
	out := make([]T, n)
	if n > 0 {
		index := make([]int, len(pt.Size))
		for k := range out {
			pos := pt.StorageOffset
			for d, i := range index {
				pos += i * pt.Stride[d]
			}
			out[k] = data[pos]
			for d := len(index) - 1; d >= 0; d-- { // advance the C-order counter
				index[d]++
				if index[d] < pt.Size[d] {
					break
				}
				index[d] = 0
			}
		}
	}
	if len(shape) == 0 {
		return FromSlice(out).Reshape(), nil
	}
	return FromSlice(out, shape...), nil
}

package torch

import (
	"fmt"
	"math"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Python's indexing, t[...] and t[...] = v. The items are turned into
// libtorch's at::indexing::TensorIndex values, and libtorch's own get_item
// and set_item (the code Python's Tensor.__getitem__ and __setitem__ run)
// do the rest, so that every rule is Python's: negative integers count from
// the end, slices clamp to the size, a step must be positive, integers,
// slices, ... and None give a view of t's storage, while tensors, bools and
// lists index by copy ("advanced indexing").

// SliceIndex is Python's slice start:stop:step in an index; make one with
// Slice.
type SliceIndex struct {
	start, stop, step int64
	has               int32 // capi.SliceHas* bits
}

// Slice is Python's start:stop:step inside t[...]. Each bound is nil
// (omitted in Python) or an integer of any Go integer type; the step is
// optional. For example, with Python's spelling on the right:
//
//	t.Index(torch.Slice(nil, nil))       // t[:]
//	t.Index(torch.Slice(1, nil))         // t[1:]
//	t.Index(torch.Slice(nil, -1))        // t[:-1]
//	t.Index(torch.Slice(nil, nil, 2))    // t[::2]
//	t.Index(0, torch.Slice(1, 5, 2))     // t[0, 1:5:2]
//
// A bound of another type panics with a *Error of KindType, as Python's
// TypeError for slice(1.5, None).
func Slice(start, stop any, step ...any) SliceIndex {
	if len(step) > 1 {
		panic(&Error{Op: "Slice", Kind: KindType, Msg: fmt.Sprintf("Slice takes start, stop and at most one step, got %d steps", len(step))})
	}
	var s SliceIndex
	var ok bool
	if start != nil {
		if s.start, ok = indexInt(start); !ok {
			panic(sliceTypeError(start))
		}
		s.has |= capi.SliceHasStart
	}
	if stop != nil {
		if s.stop, ok = indexInt(stop); !ok {
			panic(sliceTypeError(stop))
		}
		s.has |= capi.SliceHasStop
	}
	if len(step) == 1 && step[0] != nil {
		if s.step, ok = indexInt(step[0]); !ok {
			panic(sliceTypeError(step[0]))
		}
		s.has |= capi.SliceHasStep
	}
	return s
}

func sliceTypeError(v any) *Error {
	return &Error{Op: "Slice", Kind: KindType, Msg: fmt.Sprintf("slice indices must be integers or nil, got %T", v)}
}

// String is the slice as Python writes it, e.g. "1:", "::2".
func (s SliceIndex) String() string {
	part := func(bit int32, v int64) string {
		if s.has&bit == 0 {
			return ""
		}
		return fmt.Sprint(v)
	}
	out := part(capi.SliceHasStart, s.start) + ":" + part(capi.SliceHasStop, s.stop)
	if s.has&capi.SliceHasStep != 0 {
		out += ":" + fmt.Sprint(s.step)
	}
	return out
}

// IndexMarker is the type of Ellipsis and None.
type IndexMarker int8

const (
	// Ellipsis is Python's ... in an index: as many full slices as the
	// other items leave dimensions, t[..., 0] is the last dimension's first.
	Ellipsis IndexMarker = 1
	// None is Python's None in an index: a new dimension of size 1 there,
	// t[:, None] of a [3] tensor is [3, 1].
	None IndexMarker = 2
)

// String is Python's spelling: "..." or "None".
func (m IndexMarker) String() string {
	switch m {
	case Ellipsis:
		return "..."
	case None:
		return "None"
	}
	return fmt.Sprintf("IndexMarker(%d)", int8(m))
}

// indexInt reads a Go integer of any type as an int64.
func indexInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), uint64(x) <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	}
	return 0, false
}

// indexItems turns Go index items into the C ABI's. Lists become the
// tensors Python makes of them, returned in temps for the caller to free;
// keep holds every tensor an item points at, acquired for the call: the
// caller releases them (releaseAll) once it has returned.
func indexItems(op string, idx []any) (items []capi.IndexItem, temps, keep []*Tensor) {
	items = make([]capi.IndexItem, len(idx))
	defer func() {
		if r := recover(); r != nil {
			releaseAll(keep)
			FreeAll(temps...)
			panic(r)
		}
	}()
	tensor := func(i int, t *Tensor) {
		items[i] = capi.IndexItem{Kind: capi.IndexTensor, T: t.acquire()}
		keep = append(keep, t)
	}
	list := func(i int, t *Tensor) {
		temps = append(temps, t)
		tensor(i, t)
	}
	for i, v := range idx {
		switch x := v.(type) {
		case bool:
			items[i] = capi.IndexItem{Kind: capi.IndexBool}
			if x {
				items[i].I = 1
			}
		case SliceIndex:
			items[i] = capi.IndexItem{Kind: capi.IndexSlice, Has: x.has, I: x.start, Stop: x.stop, Step: x.step}
		case IndexMarker:
			switch x {
			case Ellipsis:
				items[i] = capi.IndexItem{Kind: capi.IndexEllipsis}
			case None:
				items[i] = capi.IndexItem{Kind: capi.IndexNone}
			default:
				panic(&Error{Op: op, Kind: KindIndex, Msg: fmt.Sprintf("index %d: unknown %v", i, x)})
			}
		case *Tensor:
			if x == nil {
				panic(&Error{Op: op, Kind: KindType, Msg: fmt.Sprintf("index %d is a nil *Tensor (Python's None is torch.None)", i)})
			}
			tensor(i, x)
		case []int:
			ints := make([]int64, len(x))
			for j, n := range x {
				ints[j] = int64(n)
			}
			list(i, FromSlice(ints))
		case []int64:
			list(i, FromSlice(x))
		case []int32:
			list(i, FromSlice(x).ToDType(Int64))
		case []bool:
			list(i, FromSlice(x))
		default:
			n, ok := indexInt(v)
			if !ok {
				if v == nil {
					panic(&Error{Op: op, Kind: KindType, Msg: fmt.Sprintf("index %d is nil: use torch.None for a new axis, torch.Slice(nil, nil) for all", i)})
				}
				if _, isInt := v.(uint64); isInt {
					panic(&Error{Op: op, Kind: KindIndex, Msg: fmt.Sprintf("index %d: %v overflows int64", i, v)})
				}
				if _, isInt := v.(uint); isInt {
					panic(&Error{Op: op, Kind: KindIndex, Msg: fmt.Sprintf("index %d: %v overflows int64", i, v)})
				}
				panic(&Error{Op: op, Kind: KindIndex, Msg: fmt.Sprintf("only integers, slices (torch.Slice), ellipsis (torch.Ellipsis), "+
					"torch.None, bools, *Tensor and []int, []int64, []int32 or []bool lists are valid indices (index %d is %T)", i, v)})
			}
			items[i] = capi.IndexItem{Kind: capi.IndexInt, I: n}
		}
	}
	return items, temps, keep
}

// Index is Python's t[idx0, idx1, ...] (Tensor.__getitem__). Each item is
//
//   - an integer of any Go integer type: selects that position, dropping
//     the dimension; negative counts from the end (t[-1]); out of range is
//     a *Error of KindIndex (IndexError);
//   - a Slice: start:stop:step, keeping the dimension; the step must be
//     positive (KindValue, as Python's ValueError);
//   - Ellipsis (...) and None (a new axis of size 1);
//   - a bool: Python's t[True] / t[False];
//   - a *Tensor: int64 indices, or a bool (or uint8) mask;
//   - a []int, []int64, []int32 or []bool list: the tensor Python makes of
//     a list, t[[0, 2]].
//
// As in Python, the result shares t's storage (writing through it changes
// t) when the items are only integers, slices, Ellipsis and None; tensors,
// lists and bools copy. Another item type panics with a *Error of KindIndex
// (Python's IndexError), a nil *Tensor with KindType.
func (t *Tensor) Index(idx ...any) *Tensor {
	h := t.acquire()
	defer t.release()
	items, temps, keep := indexItems("Index", idx)
	defer FreeAll(temps...)
	r, err := capi.Index(h, items)
	releaseAll(keep)
	if err != nil {
		panic(wrapError("Index", err))
	}
	return newTensor(r)
}

// IndexPut_ is Python's t[idx0, idx1, ...] = value (Tensor.__setitem__)
// with a tensor value, broadcast to the indexed part as in Python; the items
// are Index's. It writes into t and returns t.
func (t *Tensor) IndexPut_(value *Tensor, idx ...any) *Tensor {
	if value == nil {
		panic(&Error{Op: "IndexPut_", Kind: KindType, Msg: "value is a nil *Tensor"})
	}
	h := t.acquire()
	defer t.release()
	v := value.acquire()
	defer value.release()
	items, temps, keep := indexItems("IndexPut_", idx)
	defer FreeAll(temps...)
	err := capi.IndexPut_(h, items, v)
	releaseAll(keep)
	check("IndexPut_", err)
	return t
}

// IndexPutScalar_ is Python's t[idx0, idx1, ...] = number
// (Tensor.__setitem__ with a Python number), converted to t's dtype as
// Python does: t.IndexPutScalar_(torch.Float(0), torch.Ellipsis, -1) is
// t[..., -1] = 0. It writes into t and returns t.
func (t *Tensor) IndexPutScalar_(value Scalar, idx ...any) *Tensor {
	h := t.acquire()
	defer t.release()
	items, temps, keep := indexItems("IndexPutScalar_", idx)
	defer FreeAll(temps...)
	err := capi.IndexPutScalar_(h, items, value.c)
	releaseAll(keep)
	check("IndexPutScalar_", err)
	return t
}

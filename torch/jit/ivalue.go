package jit

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Tuple is a TorchScript tuple (Tuple[Tensor, int], Python's tuple): a
// method returning `x, y` gives a Tuple of two values, and a Tuple passed as
// an argument is a tuple. A plain []any is a list.
type Tuple []any

// encoder turns Go arguments into the nodes of cgotorch.h's gt_ivalue, in
// pre-order, with the strings' bytes in blob. Tensors are kept so that they
// stay alive until the call returns.
type encoder struct {
	nodes   []capi.IValue
	blob    []byte
	tensors []*torch.Tensor
}

var (
	tensorType = reflect.TypeFor[*torch.Tensor]()
	tupleType  = reflect.TypeFor[Tuple]()
)

// argError is an argument Go cannot pass: where it is inside its argument
// ("[3]", "[key]"; built as the error goes up, so that a call that succeeds
// formats nothing) and what is wrong.
type argError struct{ where, msg string }

func (e *argError) Error() string { return e.where + ": " + e.msg }

func argErrorf(format string, a ...any) error { return &argError{msg: fmt.Sprintf(format, a...)} }

// at prefixes where to an argError's place.
func at(where string, err error) error {
	if ae, ok := err.(*argError); ok {
		ae.where = where + ae.where
	}
	return err
}

// encode adds v and its elements.
func (e *encoder) encode(v any) error {
	switch x := v.(type) {
	case nil:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVNone})
		return nil
	case *torch.Tensor:
		if x == nil {
			return argErrorf("a nil *torch.Tensor")
		}
		h := bridge.Acquire(x) // released by the caller, after the call
		e.tensors = append(e.tensors, x)
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVTensor, T: h})
		return nil
	case int64:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVInt, I: x})
		return nil
	case int:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVInt, I: int64(x)})
		return nil
	case float64:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVDouble, F: x})
		return nil
	case bool:
		var i int64
		if x {
			i = 1
		}
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVBool, I: i})
		return nil
	case string:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVString, I: int64(len(e.blob)), N: int64(len(x))})
		e.blob = append(e.blob, x...)
		return nil
	}
	return e.reflected(reflect.ValueOf(v))
}

// reflected encodes the other numbers, and slices and maps of any element
// type.
func (e *encoder) reflected(rv reflect.Value) error {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVInt, I: rv.Int()})
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return argErrorf("%d does not fit TorchScript's int (int64)", u)
		}
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVInt, I: int64(u)})
		return nil
	case reflect.Float32, reflect.Float64:
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVDouble, F: rv.Float()})
		return nil
	case reflect.Bool, reflect.String:
		return e.encode(rv.Interface()) // a named bool or string type
	case reflect.Slice, reflect.Array:
		kind := capi.IVList
		if rv.Type() == tupleType {
			kind = capi.IVTuple
		}
		e.nodes = append(e.nodes, capi.IValue{Kind: kind, Elem: kindOfType(rv.Type().Elem()), N: int64(rv.Len())})
		for i := range rv.Len() {
			if err := e.encode(rv.Index(i).Interface()); err != nil {
				return at(fmt.Sprintf("[%d]", i), err)
			}
		}
		return nil
	case reflect.Map:
		key := kindOfType(rv.Type().Key())
		if key != capi.IVString && key != capi.IVInt && key != capi.IVDouble && key != capi.IVBool {
			return argErrorf("a %s cannot be a TorchScript dict (its keys must be strings, integers, floats or bools)", rv.Type())
		}
		keys := rv.MapKeys()
		// Go's maps have no order; TorchScript's dicts keep insertion
		// order, which is then the keys' sorted order.
		slices.SortFunc(keys, compareKeys)
		e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVDict, Elem: key, N: int64(len(keys))})
		for _, k := range keys {
			if err := e.encode(k.Interface()); err != nil {
				return at(fmt.Sprintf(" key %v", k), err)
			}
			if err := e.encode(rv.MapIndex(k).Interface()); err != nil {
				return at(fmt.Sprintf("[%v]", k), err)
			}
		}
		return nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			e.nodes = append(e.nodes, capi.IValue{Kind: capi.IVNone})
			return nil
		}
	}
	return argErrorf("a %s cannot be passed to TorchScript (pass *torch.Tensor, integers, floats, bool, string, nil, slices, jit.Tuple or maps)", rv.Type())
}

func compareKeys(a, b reflect.Value) int {
	switch a.Kind() {
	case reflect.String:
		return cmp.Compare(a.String(), b.String())
	case reflect.Float32, reflect.Float64:
		return cmp.Compare(a.Float(), b.Float())
	case reflect.Bool:
		return cmp.Compare(boolInt(a.Bool()), boolInt(b.Bool()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(a.Uint(), b.Uint())
	}
	return cmp.Compare(a.Int(), b.Int())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// kindOfType is the node kind of a Go element type, IVAny where values of
// it may differ in kind ([]any).
func kindOfType(t reflect.Type) int32 {
	if t == tensorType {
		return capi.IVTensor
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return capi.IVInt
	case reflect.Float32, reflect.Float64:
		return capi.IVDouble
	case reflect.Bool:
		return capi.IVBool
	case reflect.String:
		return capi.IVString
	}
	return capi.IVAny
}

// decoder turns result nodes back into Go values.
type decoder struct {
	nodes []capi.IValue
	blob  []byte
	pos   int
}

// decode takes every tensor handle of the nodes into a *torch.Tensor first,
// so that none leaks whatever happens after, then builds the value.
func decode(nodes []capi.IValue, blob []byte) (any, error) {
	tensors := make([]*torch.Tensor, len(nodes))
	for i, n := range nodes {
		if n.Kind == capi.IVTensor {
			tensors[i] = bridge.Wrap(n.T).(*torch.Tensor)
		}
	}
	d := decoder{nodes: nodes, blob: blob}
	v, err := d.value(tensors)
	if err == nil && d.pos != len(nodes) {
		err = fmt.Errorf("jit: %d result nodes left over", len(nodes)-d.pos)
	}
	return v, err
}

func (d *decoder) value(tensors []*torch.Tensor) (any, error) {
	if d.pos >= len(d.nodes) {
		return nil, fmt.Errorf("jit: result nodes end early")
	}
	at := d.pos
	n := d.nodes[at]
	d.pos++
	switch n.Kind {
	case capi.IVNone:
		return nil, nil
	case capi.IVTensor:
		return tensors[at], nil
	case capi.IVInt:
		return n.I, nil
	case capi.IVDouble:
		return n.F, nil
	case capi.IVBool:
		return n.I != 0, nil
	case capi.IVString:
		return string(d.blob[n.I : n.I+n.N]), nil
	case capi.IVList, capi.IVTuple:
		items := make([]any, n.N)
		for i := range items {
			v, err := d.value(tensors)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		if n.Kind == capi.IVTuple {
			return Tuple(items), nil
		}
		return typedList(n.Elem, items), nil
	case capi.IVDict:
		return d.dict(n, tensors)
	}
	return nil, fmt.Errorf("jit: unknown result node kind %d", n.Kind)
}

// typedList is a list whose elements all have one kind as a Go slice of
// that type ([]*torch.Tensor for List[Tensor], []int64 for List[int], ...).
func typedList(elem int32, items []any) any {
	switch elem {
	case capi.IVTensor:
		return convertAll[*torch.Tensor](items)
	case capi.IVInt:
		return convertAll[int64](items)
	case capi.IVDouble:
		return convertAll[float64](items)
	case capi.IVBool:
		return convertAll[bool](items)
	case capi.IVString:
		return convertAll[string](items)
	}
	return items
}

func convertAll[T any](items []any) []T {
	out := make([]T, len(items))
	for i, v := range items {
		out[i] = v.(T)
	}
	return out
}

// dict is a TorchScript dict as map[string]any, map[int64]any,
// map[float64]any or map[bool]any, after its key type.
func (d *decoder) dict(n capi.IValue, tensors []*torch.Tensor) (any, error) {
	var put func(k, v any)
	var out any
	switch n.Elem {
	case capi.IVString:
		put, out = mapOf[string](n.N)
	case capi.IVInt:
		put, out = mapOf[int64](n.N)
	case capi.IVDouble:
		put, out = mapOf[float64](n.N)
	case capi.IVBool:
		put, out = mapOf[bool](n.N)
	default:
		return nil, fmt.Errorf("jit: a dict whose keys are not str, int, float or bool cannot be returned to Go")
	}
	for range n.N {
		k, err := d.value(tensors)
		if err != nil {
			return nil, err
		}
		v, err := d.value(tensors)
		if err != nil {
			return nil, err
		}
		put(k, v)
	}
	return out, nil
}

// mapOf makes a map[K]any for n entries and the function that fills it.
func mapOf[K comparable](n int64) (put func(k, v any), m any) {
	mm := make(map[K]any, n)
	return func(k, v any) { mm[k.(K)] = v }, mm
}

package nn

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/seed0eaa3131/gotorch/torch"
)

// tensorType is the type of a parameter field.
var tensorType = reflect.TypeFor[*torch.Tensor]()

// slot is one parameter the walk found: its state_dict key, the tensor, and
// how to put another tensor in its place (nil where the field cannot be
// assigned, as in a model passed by value).
type slot struct {
	name   string
	tensor *torch.Tensor
	set    func(*torch.Tensor)
}

// visitKey identifies a pointer on the current path, to stop at cycles.
type visitKey struct {
	ptr uintptr
	typ reflect.Type
}

// walker walks a model's exported fields in declaration order, the order in
// which PyTorch registers a module's attributes.
type walker struct {
	param  func(slot)          // called for each non-nil tensor
	module func(reflect.Value) // called for each struct reached (a pointer to it where there is one); may be nil
	onPath map[visitKey]bool
}

// walk calls param for every parameter of model, in state_dict order, and
// module (when not nil) for every struct the walk reaches.
func walk(model any, param func(slot), module func(reflect.Value)) {
	w := &walker{param: param, module: module, onPath: map[visitKey]bool{}}
	w.value(reflect.ValueOf(model), "", nil)
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	if name == "" {
		return prefix
	}
	return prefix + "." + name
}

// settable returns the assignment for v, or nil where v cannot be assigned.
func settable(v reflect.Value) func(reflect.Value) {
	if !v.CanSet() {
		return nil
	}
	return v.Set
}

func (w *walker) value(v reflect.Value, name string, set func(reflect.Value)) {
	if !v.IsValid() {
		return
	}
	if v.Type() == tensorType {
		if v.IsNil() {
			return // an absent parameter, as Linear's bias=False
		}
		s := slot{name: name, tensor: v.Interface().(*torch.Tensor)}
		if set != nil {
			s.set = func(t *torch.Tensor) { set(reflect.ValueOf(t)) }
		}
		w.param(s)
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			// A tensor stored in an interface is replaced through the
			// interface itself.
			w.value(v.Elem(), name, set)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		key := visitKey{v.Pointer(), v.Type()}
		if w.onPath[key] {
			return // a cycle: the struct is already being walked above us
		}
		w.onPath[key] = true
		e := v.Elem()
		w.value(e, name, settable(e))
		delete(w.onPath, key)
	case reflect.Struct:
		w.structValue(v, name)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			e := v.Index(i)
			w.value(e, join(name, strconv.Itoa(i)), settable(e))
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			w.value(v.MapIndex(k), join(name, k.String()), func(nv reflect.Value) { v.SetMapIndex(k, nv) })
		}
	}
}

func (w *walker) structValue(v reflect.Value, prefix string) {
	if w.module != nil {
		if v.CanAddr() {
			w.module(v.Addr())
		} else {
			w.module(v)
		}
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, ok := fieldName(f)
		if !ok {
			continue
		}
		fv := v.Field(i)
		w.value(fv, join(prefix, name), settable(fv))
	}
}

// fieldName is a field's part of a state_dict key: the `nn:"name"` tag, or
// the Go name lower-cased as lowerName does, or "" for an untagged embedded
// field (whose fields Go promotes). ok is false for `nn:"-"`.
func fieldName(f reflect.StructField) (name string, ok bool) {
	tag, tagged := f.Tag.Lookup("nn")
	switch {
	case tag == "-":
		return "", false
	case tagged && tag != "":
		return tag, true
	case f.Anonymous:
		return "", true
	}
	return lowerName(f.Name), true
}

// lowerName turns an exported Go name into the attribute name a Python
// author would have written: the leading capital, or the leading run of
// capitals of an initialism, becomes lower case ("Layer1" -> "layer1",
// "FC1" -> "fc1", "MLPHead" -> "mlpHead").
func lowerName(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) && unicode.IsLower(r[n]) {
		n-- // the last capital starts the next word: "MLPHead" -> "mlp" + "Head"
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

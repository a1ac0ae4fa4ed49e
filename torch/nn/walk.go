package nn

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/seed0eaa3131/gotorch/torch"
)

// tensorType is the type of a parameter or buffer field.
var tensorType = reflect.TypeFor[*torch.Tensor]()

// tensorKind says what a tensor the walk finds is to its module.
type tensorKind uint8

const (
	kindParameter tensorKind = iota // nn.Parameter: in parameters() and state_dict()
	kindBuffer                      // register_buffer(name, t): in buffers() and state_dict()
	kindTransient                   // register_buffer(name, t, persistent=False): in buffers() only
)

// slot is one tensor the walk found: its state_dict key, the tensor and its
// kind.
type slot struct {
	name   string
	tensor *torch.Tensor
	kind   tensorKind
}

// TensorNamer is a module that names its own parameters, as PyTorch's LSTM
// does (weight_ih_l0, bias_hh_l1_reverse): the walk takes NamedTensors'
// list, in its order, as the module's own parameters instead of its
// parameter fields. Its buffer fields and its other fields (submodules) are
// walked as usual.
type TensorNamer interface {
	NamedTensors() []NamedTensor
}

// StateNamer is a module that lists all its tensors itself, parameters and
// buffers, under their state_dict names and in state_dict order: a
// TorchScript module (jit.Module), whose tensors live in libtorch rather
// than in Go fields. The walk takes the list as it is and looks at none of
// the module's fields, so Parameters, StateDict, Save, Load, To, Train and
// Eval work on it as on a Go model.
type StateNamer interface {
	NamedState() []StateTensor
}

// StateTensor is one tensor a StateNamer lists: its name, and whether it
// is a buffer rather than a parameter.
type StateTensor struct {
	NamedTensor
	Buffer bool
}

// moduleVisit is called for every struct the walk reaches: its state_dict
// prefix and the value (a pointer to it where there is one). leave is false
// before its tensors and submodules are walked, true after.
type moduleVisit func(name string, v reflect.Value, leave bool)

// visitKey identifies a pointer on the current path, to stop at cycles.
type visitKey struct {
	ptr uintptr
	typ reflect.Type
}

// walker walks a model in PyTorch's registration order: a module's own
// parameters, then its own buffers (as Module._parameters and _buffers),
// then its submodules, depth first, each in field order.
type walker struct {
	tensor func(slot)  // called for each non-nil tensor
	module moduleVisit // may be nil
	onPath map[visitKey]bool
}

// walk calls tensor for every parameter and buffer of model, in state_dict
// order, and module (when not nil) around every struct the walk reaches.
func walk(model any, tensor func(slot), module moduleVisit) {
	w := &walker{tensor: tensor, module: module, onPath: map[visitKey]bool{}}
	w.value(reflect.ValueOf(model), "", kindParameter)
}

// enter marks a slice or map as being walked, and reports false when it
// already is, above us: a cycle. Arrays are values and cannot hold
// themselves.
func (w *walker) enter(v reflect.Value) bool {
	if v.Kind() == reflect.Array || v.Len() == 0 {
		return true
	}
	key := visitKey{v.Pointer(), v.Type()}
	if w.onPath[key] {
		return false
	}
	w.onPath[key] = true
	return true
}

func (w *walker) leave(v reflect.Value) {
	if v.Kind() != reflect.Array && v.Len() > 0 {
		delete(w.onPath, visitKey{v.Pointer(), v.Type()})
	}
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

// value walks one value reached under name. kind is what a tensor found
// directly here (not inside a further struct) is: the kind of the field
// that holds it.
func (w *walker) value(v reflect.Value, name string, kind tensorKind) {
	if !v.IsValid() {
		return
	}
	if v.Type() == tensorType {
		if !v.IsNil() {
			w.tensor(slot{name: name, tensor: v.Interface().(*torch.Tensor), kind: kind})
		}
		return
	}
	if !mayHold(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			w.value(v.Elem(), name, kind)
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
		if v.Elem().Kind() == reflect.Struct {
			w.module1(v, name)
		} else {
			w.value(v.Elem(), name, kind)
		}
		delete(w.onPath, key)
	case reflect.Struct:
		w.module1(v, name)
	case reflect.Slice, reflect.Array:
		if !w.enter(v) {
			return // a slice holding itself (through an interface)
		}
		defer w.leave(v)
		_, container := v.Interface().(listModule)
		if container && w.module != nil {
			w.module(name, v, false)
		}
		for i := range v.Len() {
			w.value(v.Index(i), join(name, strconv.Itoa(i)), kind)
		}
		if container && w.module != nil {
			w.module(name, v, true)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || !w.enter(v) {
			return // not a module container, or a map holding itself
		}
		defer w.leave(v)
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			w.value(v.MapIndex(k), join(name, k.String()), kind)
		}
	}
}

// module1 walks a struct (v is the struct, or a pointer to it): own
// tensors first, then the other fields, as PyTorch lists a module's
// _parameters and _buffers before its children.
func (w *walker) module1(v reflect.Value, prefix string) {
	if w.module != nil {
		w.module(prefix, v, false)
	}
	s := v
	if s.Kind() == reflect.Pointer {
		s = s.Elem()
	}
	self := v.Interface()
	if v.Kind() != reflect.Pointer && s.CanAddr() {
		self = s.Addr().Interface() // for methods with pointer receivers
	}
	if sn, ok := self.(StateNamer); ok {
		for _, st := range sn.NamedState() {
			kind := kindParameter
			if st.Buffer {
				kind = kindBuffer
			}
			w.tensor(slot{name: join(prefix, st.Name), tensor: st.Tensor, kind: kind})
		}
		if w.module != nil {
			w.module(prefix, v, true)
		}
		return
	}
	p := planOf(s.Type())
	namer, isNamer := self.(TensorNamer)
	if isNamer {
		for _, nt := range namer.NamedTensors() {
			if nt.Tensor != nil {
				w.tensor(slot{name: join(prefix, nt.Name), tensor: nt.Tensor, kind: kindParameter})
			}
		}
	}
	for _, buffers := range []bool{false, true} {
		for _, f := range p.tensors {
			if (f.kind != kindParameter) != buffers || isNamer && !buffers {
				continue
			}
			if fv, ok := fieldByIndex(s, f.index); ok {
				w.value(fv, join(prefix, f.name), f.kind)
			}
		}
	}
	for _, f := range p.others {
		if fv, ok := fieldByIndex(s, f.index); ok {
			w.value(fv, join(prefix, f.name), f.kind)
		}
	}
	if c, ok := self.(childLister); ok {
		for _, ch := range c.namedChildren() {
			w.value(reflect.ValueOf(ch.module), join(prefix, ch.name), kindParameter)
		}
	}
	if w.module != nil {
		w.module(prefix, v, true)
	}
}

// listModule is a slice type that is a module of its own in PyTorch
// (Sequential, ModuleList): named_modules() and apply() list it.
type listModule interface {
	isListModule()
}

// childLister is a container that lists its submodules in its own order
// (ModuleDict: insertion order).
type childLister interface {
	namedChildren() []namedChild
}

type namedChild struct {
	name   string
	module any
}

// fieldByIndex is v.FieldByIndex without the panic on a nil embedded
// pointer (then ok is false).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 {
			if v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return reflect.Value{}, false
				}
				v = v.Elem()
			}
		}
		v = v.Field(x)
	}
	return v, true
}

// fieldPlan is one walked field of a struct type.
type fieldPlan struct {
	index []int // through embedded structs
	name  string
	kind  tensorKind
}

// structPlan is what the walk needs of a struct type, computed once per
// type: its tensor fields (own parameters and buffers) and the fields that
// may hold submodules or more tensors.
type structPlan struct {
	tensors []fieldPlan
	others  []fieldPlan
}

var plans sync.Map // reflect.Type -> *structPlan

func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{}
	addFields(p, t, nil)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

// addFields appends t's walked fields to p. An untagged embedded struct
// (not a pointer) adds its fields as if they were t's, as Go promotes them
// and as a Python subclass's __init__ registers into the same module.
func addFields(p *structPlan, t reflect.Type, index []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, ok := parseTag(f)
		if !ok {
			continue
		}
		idx := append(slices.Clone(index), i)
		if f.Anonymous && tag.name == "" && f.Type.Kind() == reflect.Struct {
			addFields(p, f.Type, idx)
			continue
		}
		fp := fieldPlan{index: idx, name: tag.name, kind: tag.kind}
		switch {
		case f.Type == tensorType:
			p.tensors = append(p.tensors, fp)
		case mayHold(f.Type):
			p.others = append(p.others, fp)
		}
	}
}

var holds sync.Map // reflect.Type -> bool

// mayHold reports whether a value of type t can hold a tensor or a module:
// false for numbers, strings, funcs, channels and containers of them.
func mayHold(t reflect.Type) bool {
	if v, ok := holds.Load(t); ok {
		return v.(bool)
	}
	var r bool
	switch t.Kind() {
	case reflect.Struct, reflect.Interface:
		r = true
	case reflect.Pointer:
		r = t == tensorType || t.Elem().Kind() == reflect.Struct || mayHold(t.Elem())
	case reflect.Slice, reflect.Array:
		r = mayHold(t.Elem())
	case reflect.Map:
		r = t.Key().Kind() == reflect.String && mayHold(t.Elem())
	}
	holds.Store(t, r)
	return r
}

// fieldTag is a field's `nn:"name,buffer,nonpersistent"` tag, read.
type fieldTag struct {
	name string
	kind tensorKind
}

// parseTag reads a field's nn tag: its part of a state_dict key (the tag's
// name, or the Go name lower-cased as lowerName does, or "" for an untagged
// embedded field, whose fields Go promotes) and, for a tensor, whether it
// is a buffer. ok is false for `nn:"-"`.
func parseTag(f reflect.StructField) (fieldTag, bool) {
	tag, tagged := f.Tag.Lookup("nn")
	if tag == "-" {
		return fieldTag{}, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	ft := fieldTag{name: name}
	for o := range strings.SplitSeq(opts, ",") {
		switch o {
		case "buffer":
			if ft.kind == kindParameter {
				ft.kind = kindBuffer
			}
		case "nonpersistent":
			ft.kind = kindTransient
		}
	}
	if ft.name == "" && !(f.Anonymous && (!tagged || name == "")) {
		ft.name = lowerName(f.Name)
	}
	return ft, true
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

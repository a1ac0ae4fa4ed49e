package nn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// ModuleList holds submodules in a list: torch.nn.ModuleList. Its
// parameters are named by index ("layers.0.weight" for a field Layers), and
// Train, Eval, To and the rest reach every element. Being a slice, it grows
// with append and is iterated with range; unlike Sequential, its elements
// may be any modules (an LSTM, a struct of layers), and it has no Forward.
type ModuleList []any

func (ModuleList) isListModule() {}

// NewModuleList is torch.nn.ModuleList(modules).
func NewModuleList(modules ...any) ModuleList { return ModuleList(modules) }

// String prints the list as PyTorch's repr does.
func (l ModuleList) String() string {
	return reprList("ModuleList", len(l), func(i int) (string, any) { return fmt.Sprint(i), l[i] })
}

// ModuleDict holds submodules by name, in insertion order:
// torch.nn.ModuleDict. Parameters are named "<field>.<key>.weight", in the
// order the keys were first set, as in PyTorch (a plain Go map of modules
// works too, in sorted key order).
type ModuleDict struct {
	keys    []string
	modules map[string]any
}

// NewModuleDict is torch.nn.ModuleDict(): an empty dict; Set adds to it.
func NewModuleDict() *ModuleDict { return &ModuleDict{modules: map[string]any{}} }

// Set is module_dict[key] = module; a new key goes last, an existing one
// keeps its place. It returns d for chaining. It panics on a key that is
// empty or holds a '.', which PyTorch refuses too.
func (d *ModuleDict) Set(key string, module any) *ModuleDict {
	if key == "" || strings.Contains(key, ".") {
		panic(fmt.Sprintf("nn: ModuleDict.Set: module name can't contain \".\" or be empty, got %q", key))
	}
	if d.modules == nil {
		d.modules = map[string]any{}
	}
	if _, ok := d.modules[key]; !ok {
		d.keys = append(d.keys, key)
	}
	d.modules[key] = module
	return d
}

// Get is module_dict[key]; ok is false for a key it does not hold.
func (d *ModuleDict) Get(key string) (module any, ok bool) {
	module, ok = d.modules[key]
	return
}

// Delete is del module_dict[key] (module_dict.pop(key)).
func (d *ModuleDict) Delete(key string) {
	if _, ok := d.modules[key]; ok {
		delete(d.modules, key)
		d.keys = slices.DeleteFunc(d.keys, func(k string) bool { return k == key })
	}
}

// Keys lists the keys in insertion order: module_dict.keys().
func (d *ModuleDict) Keys() []string { return slices.Clone(d.keys) }

// Len is len(module_dict).
func (d *ModuleDict) Len() int { return len(d.keys) }

func (d *ModuleDict) namedChildren() []namedChild {
	out := make([]namedChild, len(d.keys))
	for i, k := range d.keys {
		out[i] = namedChild{k, d.modules[k]}
	}
	return out
}

// String prints the dict as PyTorch's repr does.
func (d *ModuleDict) String() string {
	return reprList("ModuleDict", len(d.keys), func(i int) (string, any) { return d.keys[i], d.modules[d.keys[i]] })
}

// reprList is nn.Module.__repr__ for a module of n children: the name,
// then "(key): child" on its own line for each, indented; "Name()" for none.
func reprList(name string, n int, item func(int) (string, any)) string {
	if n == 0 {
		return name + "()"
	}
	var b strings.Builder
	b.WriteString(name + "(\n")
	for i := range n {
		k, m := item(i)
		fmt.Fprintf(&b, "  (%s): %s\n", k, strings.ReplaceAll(fmt.Sprint(m), "\n", "\n  "))
	}
	b.WriteString(")")
	return b.String()
}

// moduleListRepr is ModuleList.__repr__. From PyTorch 2.0 on, a run of
// elements that print the same is one line, "(0-2): 3 x Linear(...)", as
// the stacked layers of a Transformer print; 1.13 prints every element.
func moduleListRepr(items []any) string {
	if !torch.VersionAtLeast(2, 0) {
		return reprList("ModuleList", len(items), func(i int) (string, any) { return fmt.Sprint(i), items[i] })
	}
	type run struct {
		first, last int
		repr        string
	}
	var runs []run
	for i, m := range items {
		r := fmt.Sprint(m)
		if len(runs) > 0 && runs[len(runs)-1].repr == r {
			runs[len(runs)-1].last = i
			continue
		}
		runs = append(runs, run{i, i, r})
	}
	return reprList("ModuleList", len(runs), func(i int) (string, any) {
		r := runs[i]
		if r.first == r.last {
			return fmt.Sprint(r.first), r.repr
		}
		return fmt.Sprintf("%d-%d", r.first, r.last), fmt.Sprintf("%d x %s", r.last-r.first+1, r.repr)
	})
}

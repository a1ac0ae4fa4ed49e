package nn

import "reflect"

// TrainingSetter is a layer that behaves differently in training and in
// evaluation, as Dropout does. Train and Eval call SetTraining on every such
// layer of a model, as Module.train(mode) sets each submodule's training
// flag; a model's own struct may implement it too.
type TrainingSetter interface {
	SetTraining(training bool)
}

// Train puts every layer of model in training mode: model.train().
func Train(model any) { setTraining(model, true) }

// Eval puts every layer of model in evaluation mode: model.eval().
func Eval(model any) { setTraining(model, false) }

func setTraining(model any, training bool) {
	walk(model, func(slot) {}, func(_ string, v reflect.Value, leave bool) {
		if m, ok := v.Interface().(TrainingSetter); ok && !leave {
			m.SetTraining(training)
		}
	})
}

// NamedModule is a module with its name: one item of
// model.named_modules().
type NamedModule struct {
	Name   string // "" for the model itself, "layer1", "layers.0", ...
	Module any    // a pointer to the struct where the model holds one
}

// NamedModules lists model and every module inside it, parents before
// their submodules, in field order: model.named_modules(). A module is any
// struct the walk reaches (see the package documentation); one reachable
// under two names is listed once, under the first.
func NamedModules(model any) []NamedModule {
	var out []NamedModule
	seen := map[any]bool{}
	walk(model, func(slot) {}, func(name string, v reflect.Value, leave bool) {
		if leave {
			return
		}
		m := v.Interface()
		if v.Kind() == reflect.Pointer {
			if seen[m] {
				return
			}
			seen[m] = true
		}
		out = append(out, NamedModule{Name: name, Module: m})
	})
	return out
}

// Apply calls fn on every submodule of model and then on model itself,
// children first, as model.apply(fn) does; the usual use is custom
// initialisation:
//
//	nn.Apply(model, func(m any) {
//		if l, ok := m.(*nn.Linear); ok {
//			nn.XavierUniform_(l.Weight, 1)
//		}
//	})
func Apply(model any, fn func(module any)) {
	seen := map[any]bool{}
	walk(model, func(slot) {}, func(_ string, v reflect.Value, leave bool) {
		if !leave {
			return
		}
		m := v.Interface()
		if v.Kind() == reflect.Pointer {
			if seen[m] {
				return
			}
			seen[m] = true
		}
		fn(m)
	})
}

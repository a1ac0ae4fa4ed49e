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
	walk(model, func(slot) {}, func(v reflect.Value) {
		if m, ok := v.Interface().(TrainingSetter); ok {
			m.SetTraining(training)
		}
	})
}

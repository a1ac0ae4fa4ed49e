package nn

import (
	"fmt"
	"reflect"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Save writes model's state_dict to path in torch.save's format:
// torch.save(model.state_dict(), path). Python's torch.load(path) returns
// the OrderedDict (with weights_only=True too, PyTorch 2.6's default), which
// model.load_state_dict accepts for the same architecture, with the keys in
// PyTorch's order.
func Save(model any, path string) error {
	if isNil(model) {
		return fmt.Errorf("nn: save %s: the model is nil", path)
	}
	return torch.SaveOrdered(StateDict(model), StateDictKeys(model), path)
}

// isNil reports whether model is nil or a nil pointer, map or slice.
func isNil(model any) bool {
	if model == nil {
		return true
	}
	v := reflect.ValueOf(model)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// Load reads a state_dict that torch.save(model.state_dict(), path) wrote,
// in Python or by Save, and loads it strictly into model's existing
// parameters: model.load_state_dict(torch.load(path)). See torch.Load
// and LoadStateDict.
func Load(model any, path string) error {
	sd, err := torch.Load(path)
	if err != nil {
		return err
	}
	if err := LoadStateDict(model, sd, true); err != nil {
		return fmt.Errorf("nn: load %s: %w", path, err)
	}
	return nil
}

package nn

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// StateDict returns model's parameters and persistent buffers by
// state_dict key: model.state_dict(). The values are detached tensors that
// share the model's storage, as PyTorch's are, so the dict can be saved at
// once (torch.Save, WriteSafetensors) without copying. A tensor that the
// model holds under two names appears under both, as in PyTorch. Go maps
// have no order; StateDictKeys gives the keys in PyTorch's order.
func StateDict(model any) map[string]*torch.Tensor {
	sd := map[string]*torch.Tensor{}
	walk(model, func(s slot) {
		if s.kind != kindTransient {
			sd[s.name] = s.tensor.Detach()
		}
	}, nil)
	return sd
}

// StateDictKeys returns the keys of StateDict(model) in PyTorch's order:
// list(model.state_dict().keys()) (each module's parameters, then its
// persistent buffers, then its submodules').
func StateDictKeys(model any) []string {
	var keys []string
	walk(model, func(s slot) {
		if s.kind != kindTransient {
			keys = append(keys, s.name)
		}
	}, nil)
	return keys
}

// stateSlots lists what a state_dict holds: parameters and persistent
// buffers.
func stateSlots(model any) []slot {
	var slots []slot
	walk(model, func(s slot) {
		if s.kind != kindTransient {
			slots = append(slots, s)
		}
	}, nil)
	return slots
}

// ShapeMismatch is a state_dict entry whose shape differs from the model's
// parameter of that name.
type ShapeMismatch struct {
	Key        string
	Checkpoint torch.Size // the shape in the state_dict being loaded
	Model      torch.Size // the parameter's shape
}

// StateDictError lists what kept LoadStateDict from loading: the keys the
// model has and the dict lacks, the keys the dict has and the model lacks
// (both only when loading strictly), and the entries whose shape is wrong.
// Its message is PyTorch's.
type StateDictError struct {
	Model      string // the model's Go type, as "*models.MNISTModel"
	Missing    []string
	Unexpected []string
	Mismatched []ShapeMismatch
	Nil        []string // keys whose tensor is nil
}

func (e *StateDictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Error(s) in loading state_dict for %s:", e.Model)
	quoted := func(keys []string) string {
		q := make([]string, len(keys))
		for i, k := range keys {
			q[i] = fmt.Sprintf("%q", k)
		}
		return strings.Join(q, ", ")
	}
	if len(e.Missing) > 0 {
		fmt.Fprintf(&b, "\n\tMissing key(s) in state_dict: %s.", quoted(e.Missing))
	}
	if len(e.Unexpected) > 0 {
		fmt.Fprintf(&b, "\n\tUnexpected key(s) in state_dict: %s.", quoted(e.Unexpected))
	}
	for _, m := range e.Mismatched {
		fmt.Fprintf(&b, "\n\tsize mismatch for %s: copying a param with shape %v from checkpoint, the shape in current model is %v.",
			m.Key, m.Checkpoint, m.Model)
	}
	if len(e.Nil) > 0 {
		fmt.Fprintf(&b, "\n\tnil tensor(s) in state_dict: %s.", quoted(e.Nil))
	}
	return b.String()
}

// LoadStateDict copies the tensors of sd into model's parameters and
// persistent buffers, in place
// and without recording for autograd: model.load_state_dict(sd, strict).
// The parameters stay the same *torch.Tensor values, so an optimizer created
// before the load goes on updating them; values are converted to each
// parameter's dtype and device.
//
// With strict, the keys of sd must be exactly the model's state_dict keys.
// Either way every shape must match. Everything is checked before anything
// is copied: on error (a *StateDictError naming the missing, unexpected and
// mis-shaped keys) the model is unchanged.
func LoadStateDict(model any, sd map[string]*torch.Tensor, strict bool) error {
	slots := stateSlots(model)
	e := &StateDictError{Model: reflect.TypeOf(model).String()}
	known := map[string]bool{}
	for _, s := range slots {
		known[s.name] = true
		src, ok := sd[s.name]
		switch {
		case !ok:
			if strict {
				e.Missing = append(e.Missing, s.name)
			}
		case src == nil:
			e.Nil = append(e.Nil, s.name)
		default:
			if got, want := src.Shape(), s.tensor.Shape(); !slices.Equal(got, want) {
				e.Mismatched = append(e.Mismatched, ShapeMismatch{Key: s.name, Checkpoint: got, Model: want})
			}
		}
	}
	if strict {
		for k := range sd {
			if !known[k] {
				e.Unexpected = append(e.Unexpected, k)
			}
		}
		slices.Sort(e.Unexpected)
	}
	if len(e.Missing)+len(e.Unexpected)+len(e.Mismatched)+len(e.Nil) > 0 {
		return e
	}
	err := torch.Catch(func() {
		torch.NoGrad(func() {
			for _, s := range slots {
				if src, ok := sd[s.name]; ok {
					s.tensor.Copy_(src)
				}
			}
		})
	})
	if err != nil {
		return fmt.Errorf("nn: loading state_dict for %s: %w", e.Model, err)
	}
	return nil
}

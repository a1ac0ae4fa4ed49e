package optim

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
)

// StateDict is optimizer.state_dict(): what an optimizer needs to resume.
//
// State holds, per parameter index, the parameter's state tensors under
// PyTorch's names ("step", "exp_avg", "momentum_buffer", ...). The indices
// count the parameters of every group in order, as Python's do; a parameter
// that has not stepped yet has no entry. A "step" PyTorch 1.13 keeps as a
// tensor is a 0-d float32 tensor, one it keeps as a Python int (RMSprop,
// Adadelta) a 0-d int64 tensor. The other tensors are the optimizer's own,
// as in Python: Clone them to keep a snapshot while training goes on.
//
// ParamGroups holds each group's hyperparameters under PyTorch's names:
// float64 values ("lr", "eps"; PyTorch's ints become floats), bool values
// ("amsgrad", "nesterov"), [2]float64 for "betas", and "params", the []int
// indices of the group's parameters. "initial_lr" is there once a
// learning-rate scheduler has set it. Python's keys with no bearing on the
// single-tensor CPU update ("foreach", "capturable", "differentiable",
// "fused") are left out.
//
// # Files
//
// Save writes a StateDict as a torch.save file of a flat dict of tensors,
// which torch.load reads, with the keys
//
//	state.<index>.<name>        the state tensor
//	param_groups.<g>.params     int64 tensor of the parameter indices
//	param_groups.<g>.<key>      0-d float64 tensor (bool for a bool key),
//	                            a float64 tensor of 2 for "betas"
//
// (gotorch's writer writes flat dicts of tensors only). In Python, this turns
// the file into an optimizer.state_dict() and back:
//
//	def from_flat(flat, opt):  # -> opt.load_state_dict(from_flat(torch.load(f), opt))
//	    state, groups = {}, {}
//	    for k, v in flat.items():
//	        kind, i, name = k.split(".", 2)
//	        if kind == "state":
//	            state.setdefault(int(i), {})[name] = int(v) if v.dtype == torch.int64 else v
//	        elif name == "params":
//	            groups.setdefault(int(i), {})[name] = v.tolist()
//	        else:
//	            groups.setdefault(int(i), {})[name] = (tuple(v.tolist()) if name == "betas"
//	                else bool(v) if v.dtype == torch.bool else float(v))
//	    # keep the keys the file leaves out (foreach, capturable, ...)
//	    cur = opt.state_dict()["param_groups"]
//	    return {"state": state, "param_groups": [{**cur[i], **groups[i]} for i in sorted(groups)]}
//
//	def to_flat(sd):  # torch.save(to_flat(opt.state_dict()), f)
//	    flat = {}
//	    for i, s in sd["state"].items():
//	        for name, v in s.items():
//	            if v is not None:
//	                flat[f"state.{i}.{name}"] = v if torch.is_tensor(v) else torch.tensor(v)
//	    for g, group in enumerate(sd["param_groups"]):
//	        for key, v in group.items():
//	            if key == "params":
//	                flat[f"param_groups.{g}.params"] = torch.tensor(v, dtype=torch.int64)
//	            elif isinstance(v, bool):
//	                flat[f"param_groups.{g}.{key}"] = torch.tensor(v)
//	            elif isinstance(v, (int, float)) or key == "betas":
//	                flat[f"param_groups.{g}.{key}"] = torch.tensor(v, dtype=torch.float64)
//	    return flat
type StateDict struct {
	State       map[int]map[string]*torch.Tensor
	ParamGroups []map[string]any
}

// StateDict is optimizer.state_dict().
func (c *core[S]) StateDict() *StateDict {
	sd := &StateDict{State: map[int]map[string]*torch.Tensor{}}
	index := 0
	for _, g := range c.groups {
		m := map[string]any{}
		for _, k := range c.keys {
			if v := g.value(k); v != false || pytorch2() || !slices.Contains(c.newKeys, k) {
				m[k.String()] = v
			}
		}
		if g.InitialLR != 0 {
			m[kInitialLR.String()] = g.InitialLR
		}
		ids := make([]int, len(g.Params))
		for j, p := range g.Params {
			ids[j] = index
			if s := c.state[p]; s != nil {
				if ts := c.save(s); len(ts) > 0 {
					sd.State[index] = ts
				}
			}
			index++
		}
		m["params"] = ids
		sd.ParamGroups = append(sd.ParamGroups, m)
	}
	return sd
}

// LoadStateDict is optimizer.load_state_dict(sd): the groups take sd's
// hyperparameters and the parameters sd's state, matched by position. sd
// must have as many groups as the optimizer, of the same sizes; its state
// tensors are copied, converted to the dtype and device of their parameter
// ("step" excepted), as Python's are. On error the optimizer is unchanged.
func (c *core[S]) LoadStateDict(sd *StateDict) error {
	if sd == nil {
		return c.errorf("LoadStateDict: nil state dict")
	}
	if len(sd.ParamGroups) != len(c.groups) {
		return c.errorf("loaded state dict has a different number of parameter groups")
	}
	idMap := map[int]*torch.Tensor{}
	groupOf := map[*torch.Tensor]*ParamGroup{}
	newGroups := make([]ParamGroup, len(c.groups))
	for i, g := range c.groups {
		saved := sd.ParamGroups[i]
		ids, ok := saved["params"].([]int)
		if !ok {
			return c.errorf("LoadStateDict: param group %d: params is %T, expected []int", i, saved["params"])
		}
		if len(ids) != len(g.Params) {
			return c.errorf("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
		}
		ng := *g
		for name, v := range saved {
			if name == "params" {
				continue
			}
			if err := ng.setValue(name, v, c.keys); err != nil {
				return c.errorf("LoadStateDict: param group %d: %v", i, err)
			}
		}
		if err := c.validate(&ng); err != nil {
			return c.errorf("LoadStateDict: param group %d: %v", i, err)
		}
		newGroups[i] = ng
		for j, id := range ids {
			idMap[id] = g.Params[j]
			groupOf[g.Params[j]] = &newGroups[i]
		}
	}
	state := map[*torch.Tensor]*S{}
	ids := make([]int, 0, len(sd.State))
	for id := range sd.State {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		p, ok := idMap[id]
		if !ok {
			// Python keeps state of unknown keys as is; there is nothing
			// to attach it to here.
			return c.errorf("LoadStateDict: state for parameter %d, which no group holds", id)
		}
		s, err := c.load(p, groupOf[p], sd.State[id])
		if err != nil {
			return c.errorf("LoadStateDict: state of parameter %d: %v", id, err)
		}
		state[p] = s
	}
	for i, g := range c.groups {
		params := g.Params
		*g = newGroups[i]
		g.Params = params
	}
	c.state = state
	return nil
}

// value is the group's hyperparameter k as StateDict holds it.
func (g *ParamGroup) value(k key) any {
	if f := g.float(k); f != nil {
		return *f
	}
	if b := g.flag(k); b != nil {
		return *b
	}
	return g.Betas // kBetas
}

// setValue sets the hyperparameter named name from a StateDict value.
// Names the optimizer does not have are ignored, as keys PyTorch keeps for
// other code paths ("foreach", "capturable") are.
func (g *ParamGroup) setValue(name string, v any, keys []key) error {
	var k key = -1
	for _, x := range append(slices.Clone(keys), kInitialLR) {
		if x.String() == name {
			k = x
		}
	}
	if k < 0 {
		return nil
	}
	if f := g.float(k); f != nil {
		switch v := v.(type) {
		case float64:
			*f = v
		case int:
			*f = float64(v)
		default:
			return fmt.Errorf("%s is %T, expected a float64", name, v)
		}
		return nil
	}
	if b := g.flag(k); b != nil {
		bv, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%s is %T, expected a bool", name, v)
		}
		*b = bv
		return nil
	}
	bv, ok := v.([2]float64)
	if !ok {
		return fmt.Errorf("%s is %T, expected [2]float64", name, v)
	}
	g.Betas = bv
	return nil
}

// stateField is one tensor of an optimizer's per-parameter state, under
// PyTorch's name.
type stateField[S any] struct {
	name string
	at   func(s *S) **torch.Tensor // where the state keeps it
	// required says whether a loaded state must have it (nil: always).
	required func(g *ParamGroup) bool
	// load, where set, reads it from m[name] (maybe nil) in place of
	// stateTensor.
	load func(v *torch.Tensor) (*torch.Tensor, error)
}

// field is a state tensor every state has, the shape of its parameter.
func field[S any](name string, at func(s *S) **torch.Tensor) stateField[S] {
	return stateField[S]{name: name, at: at}
}

// save lists a state's tensors under PyTorch's names: "step" (a new
// tensor) where the optimizer counts steps, then the fields that are not
// nil (the state's own). The caller frees none of them.
func (c *core[S]) save(s *S) map[string]*torch.Tensor {
	m := map[string]*torch.Tensor{}
	if c.step != nil {
		if c.intStep {
			m["step"] = stepSaved(*c.step(s))
		} else {
			m["step"] = stepTensor(*c.step(s))
		}
	}
	for _, f := range c.fields {
		if t := *f.at(s); t != nil {
			m[f.name] = t
		}
	}
	return m
}

// load builds the state of parameter p, of group g, from m: "step" where
// the optimizer counts steps, then each field, copied to p's dtype and
// device. The error is the first of them, in that order.
func (c *core[S]) load(p *torch.Tensor, g *ParamGroup, m map[string]*torch.Tensor) (*S, error) {
	s := new(S)
	var errs []error
	if c.step != nil {
		var err error
		*c.step(s), err = stateStep(m)
		errs = append(errs, err)
	}
	for _, f := range c.fields {
		var t *torch.Tensor
		var err error
		if f.load != nil {
			t, err = f.load(m[f.name])
		} else {
			t, err = stateTensor(m, f.name, p, f.required == nil || f.required(g))
		}
		*f.at(s) = t
		errs = append(errs, err)
	}
	c.persist(s)
	return s, firstErr(errs...)
}

// persist takes the state's tensors out of any torch.Scope, since the state
// outlives the step (or the load) that made it.
func (c *core[S]) persist(s *S) {
	for _, f := range c.fields {
		torch.Persist(*f.at(s))
	}
}

// tensors are the state's fields, for StateBytes.
func (c *core[S]) tensors(s *S) []*torch.Tensor {
	ts := make([]*torch.Tensor, len(c.fields))
	for i, f := range c.fields {
		ts[i] = *f.at(s)
	}
	return ts
}

// stateTensor returns a copy of m[name] with p's dtype and device, or an
// error naming what is missing or mismatched. A missing optional tensor is
// nil.
func stateTensor(m map[string]*torch.Tensor, name string, p *torch.Tensor, required bool) (*torch.Tensor, error) {
	v := m[name]
	if v == nil {
		if required {
			return nil, fmt.Errorf("no %q", name)
		}
		return nil, nil
	}
	if !slices.Equal(v.Shape(), p.Shape()) {
		return nil, fmt.Errorf("%q has shape %v, its parameter %v", name, v.Shape(), p.Shape())
	}
	out := torch.Empty(p.Shape(), torch.WithDType(p.DType()), torch.WithDevice(p.Device()))
	out.Copy_(v)
	return out, nil
}

// stateStep reads m["step"] as a number.
func stateStep(m map[string]*torch.Tensor) (float64, error) {
	v := m["step"]
	if v == nil {
		return 0, errors.New(`no "step"`)
	}
	if v.Numel() != 1 {
		return 0, fmt.Errorf(`"step" has %d elements, expected 1`, v.Numel())
	}
	return v.Item(), nil
}

// stepTensor is the "step" PyTorch 1.13 keeps as torch.tensor(float(step)).
func stepTensor(step float64) *torch.Tensor {
	return torch.Full([]int64{}, torch.Float(step), torch.WithDType(torch.Float32))
}

// intStepTensor is the "step" PyTorch 1.13 keeps as a Python int.
func intStepTensor(step float64) *torch.Tensor {
	return torch.Full([]int64{}, torch.Int(int64(step)), torch.WithDType(torch.Int64))
}

// Tensors flattens sd into the keys of the file format (see StateDict).
func (sd *StateDict) Tensors() (map[string]*torch.Tensor, error) {
	out := map[string]*torch.Tensor{}
	for id, s := range sd.State {
		for name, t := range s {
			if t == nil {
				continue
			}
			out["state."+strconv.Itoa(id)+"."+name] = t
		}
	}
	for i, g := range sd.ParamGroups {
		prefix := "param_groups." + strconv.Itoa(i) + "."
		for name, v := range g {
			var t *torch.Tensor
			switch v := v.(type) {
			case []int:
				ids := make([]int64, len(v))
				for j, id := range v {
					ids[j] = int64(id)
				}
				t = torch.FromSlice(ids, int64(len(ids)))
			case float64:
				t = torch.Full([]int64{}, torch.Float(v), torch.WithDType(torch.Float64))
			case int:
				t = torch.Full([]int64{}, torch.Float(v), torch.WithDType(torch.Float64))
			case bool:
				t = torch.Full([]int64{}, torch.BoolScalar(v), torch.WithDType(torch.Bool))
			case [2]float64:
				t = torch.FromSlice(v[:], 2)
			default:
				return nil, fmt.Errorf("optim: param group %d: %s is %T, which the file format cannot hold", i, name, v)
			}
			out[prefix+name] = t
		}
	}
	return out, nil
}

// StateDictFromTensors is the inverse of Tensors: it reads the flat keys of
// a file (from Load's torch.Load, or Python's to_flat; see StateDict).
func StateDictFromTensors(m map[string]*torch.Tensor) (*StateDict, error) {
	sd := &StateDict{State: map[int]map[string]*torch.Tensor{}}
	groups := map[int]map[string]any{}
	for k, t := range m {
		parts := strings.SplitN(k, ".", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("optim: key %q: expected state.<index>.<name> or param_groups.<index>.<key>", k)
		}
		i, err := strconv.Atoi(parts[1])
		if err != nil || i < 0 {
			return nil, fmt.Errorf("optim: key %q: %q is not an index", k, parts[1])
		}
		name := parts[2]
		switch parts[0] {
		case "state":
			if sd.State[i] == nil {
				sd.State[i] = map[string]*torch.Tensor{}
			}
			sd.State[i][name] = t
		case "param_groups":
			if groups[i] == nil {
				groups[i] = map[string]any{}
			}
			v, err := groupValue(name, t)
			if err != nil {
				return nil, fmt.Errorf("optim: key %q: %v", k, err)
			}
			groups[i][name] = v
		default:
			return nil, fmt.Errorf("optim: key %q: expected state.<index>.<name> or param_groups.<index>.<key>", k)
		}
	}
	n := 0
	for i := range groups {
		n = max(n, i+1)
	}
	for i := range n {
		g, ok := groups[i]
		if !ok {
			return nil, fmt.Errorf("optim: no keys for param group %d of %d", i, n)
		}
		if _, ok := g["params"]; !ok {
			return nil, fmt.Errorf("optim: param group %d has no params", i)
		}
		sd.ParamGroups = append(sd.ParamGroups, g)
	}
	return sd, nil
}

// groupValue turns a param_groups tensor back into its value.
func groupValue(name string, t *torch.Tensor) (any, error) {
	switch {
	case name == "params":
		if t.Dim() != 1 || t.DType().IsFloatingPoint() || t.DType() == torch.Bool {
			return nil, fmt.Errorf("params: expected a 1-D integer tensor, found %v %v", t.DType(), t.Shape())
		}
		ids := torch.Values[int64](t)
		out := make([]int, len(ids))
		for j, id := range ids {
			out[j] = int(id)
		}
		return out, nil
	case name == "betas":
		if t.Numel() != 2 {
			return nil, fmt.Errorf("betas: expected 2 values, found %d", t.Numel())
		}
		v := torch.Values[float64](t)
		return [2]float64{v[0], v[1]}, nil
	case t.Numel() != 1:
		return nil, fmt.Errorf("expected one value, found %d", t.Numel())
	case t.DType() == torch.Bool:
		return t.Item() != 0, nil
	default:
		return t.Item(), nil
	}
}

// Save writes sd to path as a torch.save file (see StateDict for its keys).
func Save(sd *StateDict, path string) error {
	m, err := sd.Tensors()
	if err != nil {
		return err
	}
	return torch.Save(m, path)
}

// Load reads a file Save wrote, or one Python wrote from its
// optimizer.state_dict() with to_flat (see StateDict).
func Load(path string) (*StateDict, error) {
	m, err := torch.Load(path)
	if err != nil {
		return nil, err
	}
	return StateDictFromTensors(m)
}

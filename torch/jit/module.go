// Package jit loads and runs TorchScript modules: the files Python's
// torch.jit.save writes for a scripted (torch.jit.script) or traced
// (torch.jit.trace) model. It is PyTorch's torch.jit for serving and
// fine-tuning a model trained in Python:
//
//	# Python
//	torch.jit.script(model).save("model.pt")
//
//	// Go
//	m, err := jit.Load("model.pt", torch.CPU)
//	m.Eval()
//	out, err := m.Forward(x) // model(x)
//	y := out.(*torch.Tensor)
//
// # Values
//
// Arguments and results cross as Go values, TorchScript type for Go type:
//
//	Tensor                       *torch.Tensor
//	int                          int64 (any Go integer as an argument)
//	float                        float64 (float32 or an integer as an argument)
//	bool                         bool
//	str                          string
//	None, Optional[T] unset      nil
//	List[Tensor]                 []*torch.Tensor
//	List[int], List[float]       []int64, []float64 (any slice of numbers as an argument)
//	List[bool], List[str]        []bool, []string
//	other lists                  []any
//	Tuple[...]                   jit.Tuple ([]any)
//	Dict[str, V]                 map[string]any (any map with string keys as an argument)
//	Dict[int, V]                 map[int64]any; float and bool keys likewise
//
// An argument is converted to the type the method's schema declares, as
// Python does: an integer for a float parameter becomes a float, and a list
// or dict takes the declared element types (so an empty []any is a valid
// List[int]). A Go map has no order: a dict argument is built in its keys'
// sorted order, where Python's keeps the order it was written in. Other
// TorchScript values (objects, devices, futures) cannot be returned to Go
// and make the call fail.
//
// # Autograd and modes
//
// A loaded module's parameters require gradients, as in Python, so a
// forward pass records autograd history: fine-tuning works as in Python
// (Parameters into an optimizer, Train, Forward, Backward, Step). For
// inference, run Forward inside torch.NoGrad and put the module in
// evaluation mode with Eval.

// TorchScript optimizes a method at its second or third call, fusing
// operations on the CPU where libtorch allows it (SetCPUFusion): the first
// calls are slower, as in Python, and on Debian 13's libtorch 2.6 a
// backward pass through a fused graph hangs (see SetCPUFusion).
//
// # Goroutines
//
// Forward and Method may be called from several goroutines at once on one
// Module: TorchScript's interpreter runs concurrent calls of a method
// (each with its own stack), as PyTorch's inference servers do. Train,
// Eval, To and Free take the module exclusively: they wait for the
// calls in progress and block new ones until they are done.
package jit

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// Module is a loaded TorchScript module: torch.jit.ScriptModule.
//
// It is an nn model as far as package nn is concerned (it implements
// nn.StateNamer and nn.TrainingSetter): nn.Parameters, nn.StateDict,
// nn.Save, nn.Load, nn.To, nn.Train and nn.Eval work on it, so a module
// fine-tuned from Go can be saved as a state_dict Python's eager model loads.
type Module struct {
	mu      sync.RWMutex
	h       capi.JITModule
	cleanup runtime.Cleanup
	path    string // where it was loaded from, for errors

	// The parameters and buffers, listed at the first call that needs
	// them: handles aliasing the module's own tensors, so that a
	// *torch.Tensor keeps its identity across calls (an optimizer holds it).
	listed  sync.Once
	state   []nn.StateTensor
	listErr error
}

var (
	_ nn.StateNamer     = (*Module)(nil)
	_ nn.TrainingSetter = (*Module)(nil)
)

// Load reads a TorchScript file written by torch.jit.save (a scripted or a
// traced module) and puts its tensors on device: torch.jit.load(path,
// map_location=device).
//
// A missing file, a file that is not a TorchScript archive (a torch.save
// checkpoint, say, which nn.Load reads) or a damaged one is an error that
// names the file and what was wrong; the archive's structure and pickles
// are checked in Go before libtorch reads them.
func Load(path string, device torch.Device) (*Module, error) {
	if err := checkArchive(path); err != nil {
		return nil, err
	}
	h, err := capi.JITLoad(path, int(device.Type), device.Index)
	if err != nil {
		return nil, fmt.Errorf("jit.Load %s: %w", path, bridge.Error("jit.Load", err))
	}
	m := &Module{h: h, path: path}
	m.cleanup = runtime.AddCleanup(m, capi.JITFree, h)
	return m, nil
}

// handle is the live handle; the caller holds m.mu.
func (m *Module) handle(op string) (capi.JITModule, error) {
	if m == nil || m.h == nil {
		return nil, &torch.Error{Op: op, Msg: "the module was freed (or is a nil *jit.Module)"}
	}
	return m.h, nil
}

// Free releases the module's native memory now. It is idempotent; calls
// afterwards return an error. Tensors taken from it (Parameters, results)
// stay valid.
func (m *Module) Free() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h == nil {
		return
	}
	m.cleanup.Stop()
	capi.JITFree(m.h)
	m.h = nil
}

// Forward runs the module's forward method: module(*args). See the package
// documentation for the values args and the result may hold.
func (m *Module) Forward(args ...any) (any, error) { return m.call("forward", args) }

// Method runs the named method of the module (one exported with
// @torch.jit.export, or forward): module.name(*args).
func (m *Module) Method(name string, args ...any) (any, error) {
	return m.call(name, args)
}

// opName names a method's call in errors.
func opName(method string) string {
	if method == "forward" {
		return "Module.Forward"
	}
	return fmt.Sprintf("Module.Method(%q)", method)
}

func (m *Module) call(method string, args []any) (out any, err error) {
	var e encoder
	defer func() {
		for _, t := range e.tensors {
			bridge.Release(t)
		}
		// bridge.Acquire panics with torch's *Error for a freed tensor.
		if r := recover(); r != nil {
			te, ok := r.(*torch.Error)
			if !ok {
				panic(r)
			}
			out, err = nil, te
		}
	}()
	for i, a := range args {
		if err := e.encode(a); err != nil {
			err = at(fmt.Sprintf("argument %d", i+1), err)
			return nil, &torch.Error{Op: opName(method), Kind: torch.KindType, Msg: err.Error()}
		}
	}
	m.mu.RLock()
	if m == nil || m.h == nil {
		m.mu.RUnlock()
		_, err := m.handle(opName(method))
		return nil, err
	}
	h := m.h
	nodes, blob, err := capi.JITCall(h, method, e.nodes, len(args), e.blob)
	m.mu.RUnlock()
	if err != nil {
		return nil, bridge.Error(opName(method), err)
	}
	v, err := decode(nodes, blob)
	if err != nil {
		return nil, &torch.Error{Op: opName(method), Kind: torch.KindType, Msg: err.Error()}
	}
	return v, nil
}

// MethodNames lists the module's methods (forward and those exported with
// @torch.jit.export), in libtorch's order.
func (m *Module) MethodNames() (names []string, err error) {
	err = m.with("Module.MethodNames", false, func(h capi.JITModule) (err error) {
		names, err = capi.JITMethodNames(h)
		return err
	})
	return names, err
}

// Schema is a method's signature as TorchScript prints it, e.g.
// "forward(__torch__.MLP self, Tensor x) -> Tensor": what its arguments
// and result are. method.schema in Python.
func (m *Module) Schema(method string) (schema string, err error) {
	err = m.with("Module.Schema", false, func(h capi.JITModule) (err error) {
		schema, err = capi.JITSchema(h, method)
		return err
	})
	return schema, err
}

// NamedState lists the module's parameters and buffers in state_dict order,
// for package nn (nn.StateNamer). The tensors are the module's own, not
// copies, and the same *torch.Tensor comes back on every call. It panics
// with a *torch.Error on a freed module.
func (m *Module) NamedState() []nn.StateTensor {
	m.listed.Do(func() {
		m.mu.RLock()
		defer m.mu.RUnlock()
		h, err := m.handle("Module.NamedState")
		if err != nil {
			m.listErr = err
			return
		}
		names, hs, buffers, err := capi.JITNamedTensors(h)
		if err != nil {
			m.listErr = bridge.Error("Module.NamedState", err)
			return
		}
		m.state = make([]nn.StateTensor, len(names))
		for i := range names {
			t := bridge.Wrap(hs[i]).(*torch.Tensor)
			torch.Persist(t) // cached for the module's life, whatever scope asked first
			m.state[i] = nn.StateTensor{
				NamedTensor: nn.NamedTensor{Name: names[i], Tensor: t},
				Buffer:      buffers[i],
			}
		}
	})
	if m.listErr != nil {
		panic(m.listErr)
	}
	return slices.Clone(m.state)
}

func (m *Module) named(buffers bool) []nn.NamedTensor {
	var out []nn.NamedTensor
	for _, st := range m.NamedState() {
		if st.Buffer == buffers {
			out = append(out, st.NamedTensor)
		}
	}
	return out
}

// NamedParameters lists the module's parameters with their state_dict names
// ("conv1.weight"), in module.named_parameters() order. The tensors are the
// module's own, not copies: an optimizer stepping them changes the module,
// and the same *torch.Tensor comes back on every call.
func (m *Module) NamedParameters() []nn.NamedTensor { return m.named(false) }

// NamedBuffers lists the module's buffers (BatchNorm's running_mean, ...)
// as NamedParameters does its parameters: module.named_buffers().
func (m *Module) NamedBuffers() []nn.NamedTensor { return m.named(true) }

// Parameters is the tensors of NamedParameters: list(module.parameters()),
// what an optimizer takes.
func (m *Module) Parameters() []*torch.Tensor {
	named := m.NamedParameters()
	out := make([]*torch.Tensor, len(named))
	for i, nt := range named {
		out[i] = nt.Tensor
	}
	return out
}

// SetTraining sets the training flag of the module and all its submodules:
// module.train(training).
func (m *Module) SetTraining(training bool) {
	if err := m.setTraining(training); err != nil {
		panic(err)
	}
}

func (m *Module) setTraining(training bool) error {
	return m.with("Module.Train", true, func(h capi.JITModule) error { return capi.JITTrain(h, training) })
}

// Train puts the module in training mode: module.train().
func (m *Module) Train() error { return m.setTraining(true) }

// Eval puts the module in evaluation mode (dropout off, batch norm on its
// running statistics): module.eval().
func (m *Module) Eval() error { return m.setTraining(false) }

// IsTraining reports the module's training flag: module.training.
func (m *Module) IsTraining() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.h == nil {
		return false
	}
	return capi.JITIsTraining(m.h)
}

// To moves the module's parameters and buffers to device: module.to(device).
// The tensors keep their identity (libtorch sets their data), so
// Parameters taken before, and an optimizer holding them, stay valid.
func (m *Module) To(device torch.Device) error {
	return m.to("Module.To", -1, int(device.Type), device.Index)
}

// ToDType converts the module's floating-point parameters and buffers to
// dtype: module.to(dtype).
func (m *Module) ToDType(dtype torch.DType) error {
	return m.to("Module.ToDType", int(dtype), -1, -1)
}

func (m *Module) to(op string, dtype, devType, devIndex int) error {
	return m.with(op, true, func(h capi.JITModule) error { return capi.JITTo(h, dtype, devType, devIndex, false) })
}

// Save writes the module, with its current parameters, as a TorchScript
// file that torch.jit.load reads: module.save(path).
func (m *Module) Save(path string) error {
	if err := m.with("Module.Save", false, func(h capi.JITModule) error { return capi.JITSave(h, path) }); err != nil {
		return fmt.Errorf("jit: saving %s: %w", path, err)
	}
	return nil
}

// with runs f on the live handle, holding the module shared (calls that
// only read it) or exclusively (those that change it), and turns f's
// failure into torch's *Error for op.
func (m *Module) with(op string, exclusive bool, f func(capi.JITModule) error) error {
	if exclusive {
		m.mu.Lock()
		defer m.mu.Unlock()
	} else {
		m.mu.RLock()
		defer m.mu.RUnlock()
	}
	h, err := m.handle(op)
	if err != nil {
		return err
	}
	if err := f(h); err != nil {
		return bridge.Error(op, err)
	}
	return nil
}

// String names the module and the file it came from.
func (m *Module) String() string { return fmt.Sprintf("jit.Module(%s)", m.path) }

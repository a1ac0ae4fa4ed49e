package torch

import (
	"runtime"
	"sync"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Generator is a random number generator: torch.Generator. The random
// operations take one through the Generator field of their options (or
// argument, where PyTorch's has no default): nil stands for the default
// generator, which ManualSeed seeds, as generator=None does in Python.
//
// A Generator made by NewGenerator has its own state; DefaultGenerator
// refers to the default one (torch.default_generator), so seeding it is
// torch.manual_seed on the CPU. Like PyTorch's, a Generator may be used
// from several goroutines: libtorch locks its state for each draw.
type Generator struct {
	h capi.Generator
}

func newGenerator(h capi.Generator) *Generator {
	g := &Generator{h: h}
	runtime.AddCleanup(g, capi.GeneratorFree, h)
	return g
}

// NewGenerator is torch.Generator(): a CPU generator seeded with PyTorch's
// default seed (67280421310721), independent of the default generator.
func NewGenerator() *Generator {
	h, err := capi.GeneratorNew(int(DeviceCPU), -1)
	check("NewGenerator", err)
	return newGenerator(h)
}

var (
	defaultGen     *Generator
	defaultGenOnce sync.Once
)

// DefaultGenerator is torch.default_generator, the CPU generator that the
// random operations use when given none.
func DefaultGenerator() *Generator {
	defaultGenOnce.Do(func() {
		h, err := capi.GeneratorDefault(int(DeviceCPU), -1)
		check("DefaultGenerator", err)
		defaultGen = newGenerator(h)
	})
	return defaultGen
}

// ManualSeed seeds g and returns it: Generator.manual_seed(seed).
func (g *Generator) ManualSeed(seed uint64) *Generator {
	err := capi.GeneratorManualSeed(g.h, seed)
	runtime.KeepAlive(g)
	check("Generator.ManualSeed", err)
	return g
}

// InitialSeed is the seed g was last seeded with: Generator.initial_seed().
func (g *Generator) InitialSeed() uint64 {
	s, err := capi.GeneratorInitialSeed(g.h)
	runtime.KeepAlive(g)
	check("Generator.InitialSeed", err)
	return s
}

// Seed seeds g from a non-deterministic source and returns that seed:
// Generator.seed().
func (g *Generator) Seed() uint64 {
	s, err := capi.GeneratorSeed(g.h)
	runtime.KeepAlive(g)
	check("Generator.Seed", err)
	return s
}

// State is a copy of g's state as a Uint8 tensor: Generator.get_state().
func (g *Generator) State() *Tensor {
	h, err := capi.GeneratorGetState(g.h)
	runtime.KeepAlive(g)
	check("Generator.State", err)
	return newTensor(h)
}

// SetState restores a state that State returned: Generator.set_state(s).
func (g *Generator) SetState(state *Tensor) {
	err := capi.GeneratorSetState(g.h, state.acquire())
	state.release()
	runtime.KeepAlive(g)
	check("Generator.SetState", err)
}

// Device is the device whose numbers g draws: Generator.device.
func (g *Generator) Device() Device {
	typ, idx := capi.GeneratorDevice(g.h)
	runtime.KeepAlive(g)
	return Device{Type: DeviceType(typ), Index: idx}
}

// genHandle is the handle of g, or nil for the default generator.
func genHandle(g *Generator) capi.Generator {
	if g == nil {
		return nil
	}
	return g.h
}

// SetData_ makes t refer to src's data (storage, shape, dtype and device)
// while staying the same tensor: PyTorch's t.data = src. Autograd state
// (requires_grad, a gradient already held) stays with t, so a parameter
// moved this way is still the one an optimizer holds.
func (t *Tensor) SetData_(src *Tensor) {
	h := t.acquire()
	defer t.release()
	err := capi.SetData(h, src.acquire())
	src.release()
	check("SetData_", err)
}

package nn

import "fmt"

// StateBytesReporter is what MemoryReport needs of an optimizer: the bytes
// its state tensors hold. optim.SGD and optim.Adam implement it (nn does not
// import optim, which builds on torch alone).
type StateBytesReporter interface {
	StateBytes() int64
}

// MemoryUsage is where a training run's model memory goes, in bytes: the
// tutorial's parameters + gradients + optimizer state.
type MemoryUsage struct {
	Parameters     int64 // the parameters' own storage
	Gradients      int64 // the .grad tensors that exist now
	OptimizerState int64 // optimizer.StateBytes(): momentum buffers, Adam's exp_avg and exp_avg_sq
}

// Total is the sum of the three.
func (m MemoryUsage) Total() int64 { return m.Parameters + m.Gradients + m.OptimizerState }

// String prints the breakdown in bytes.
func (m MemoryUsage) String() string {
	return fmt.Sprintf("parameters %d B, gradients %d B, optimizer state %d B, total %d B",
		m.Parameters, m.Gradients, m.OptimizerState, m.Total())
}

// MemoryReport measures the memory of model's parameters, of their current
// gradients and of opt's state from the live tensors, not from formulas:
// sum(p.nbytes for p in model.parameters()), the same over p.grad where it
// is not None, and opt.StateBytes(). opt may be nil. PyTorch has no single
// call for this; torch.cuda.memory_allocated counts the same tensors, among
// others, on a GPU.
func MemoryReport(model any, opt StateBytesReporter) MemoryUsage {
	var m MemoryUsage
	for _, p := range Parameters(model) {
		m.Parameters += p.Nbytes()
		if g := p.Grad(); g != nil {
			m.Gradients += g.Nbytes()
			g.Free() // this handle only; the gradient stays with its parameter
		}
	}
	if opt != nil {
		m.OptimizerState = opt.StateBytes()
	}
	return m
}

package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// To moves every parameter of model to device: model.to(device). model must
// be a pointer (or hold its layers through pointers), since each parameter
// field is replaced by the moved tensor, which keeps the requires_grad flag
// of the one it replaces. Parameters already on device are left as they are.
//
// PyTorch's Module.to keeps each Parameter object and swaps its data; here
// the moved parameter is a new *torch.Tensor, so call To before creating an
// optimizer, as PyTorch's documentation also advises: an optimizer created
// earlier would keep updating the tensors left behind.
//
// The move is checked before anything changes: a model that cannot be
// updated in place returns an error and is left untouched, and so is one
// whose tensors cannot be moved (an unavailable device).
func To(model any, device torch.Device) error {
	if device.IsCUDA() && !torch.CUDACompiled() {
		return fmt.Errorf("nn: To(%v): this libtorch was built without CUDA (see scripts/install_libtorch.sh)", device)
	}
	var slots []slot
	walk(model, func(s slot) { slots = append(slots, s) }, nil)
	for _, s := range slots {
		if s.set == nil && !sameDevice(s.tensor.Device(), device) {
			return fmt.Errorf("nn: To(%v): parameter %q of %T cannot be replaced; pass a pointer to the model", device, s.name, model)
		}
	}
	moved := make(map[*torch.Tensor]*torch.Tensor)
	err := torch.Catch(func() {
		torch.NoGrad(func() {
			for _, s := range slots {
				if _, done := moved[s.tensor]; done || sameDevice(s.tensor.Device(), device) {
					continue
				}
				// Under NoGrad the copy is a new leaf rather than a node
				// of the graph, as Module.to's param.data swap gives.
				moved[s.tensor] = s.tensor.To(device).SetRequiresGrad(s.tensor.RequiresGrad())
			}
		})
	})
	if err != nil {
		return fmt.Errorf("nn: To(%v): %w", device, err)
	}
	// A tensor shared by two fields moves once and stays shared.
	for _, s := range slots {
		if m, ok := moved[s.tensor]; ok {
			s.set(m)
		}
	}
	return nil
}

// sameDevice compares devices as PyTorch places tensors: every CPU index is
// the one CPU.
func sameDevice(a, b torch.Device) bool {
	return a.Type == b.Type && (a.Type == torch.DeviceCPU || a.Index == b.Index)
}

package nn

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// To moves every parameter and buffer of model to device: model.to(device).
// As PyTorch's Module.to does, each tensor keeps its identity and takes the
// moved data (param.data = param.to(device)), so an optimizer created before
// To goes on updating the model; a gradient a parameter holds moves with
// it. Tensors already on device are left as they are, and a tensor shared
// by two fields moves once and stays shared.
//
// The copies are made before anything changes: when one fails (an
// unavailable device) the model is left untouched.
func To(model any, device torch.Device) error {
	if device.IsCUDA() && !torch.CUDACompiled() {
		return fmt.Errorf("nn: To(%v): this libtorch was built without CUDA (see scripts/install_libtorch.sh)", device)
	}
	return convert(model, fmt.Sprintf("To(%v)", device), func(t *torch.Tensor) *torch.Tensor {
		if sameDevice(t.Device(), device) {
			return nil
		}
		return t.To(device)
	})
}

// ToDType converts every floating-point parameter and buffer of model to
// dtype, in place as To does: model.to(dtype), model.double() for
// torch.Float64, model.half() for torch.Float16. Integer buffers (as
// BatchNorm's num_batches_tracked) keep their dtype, as in PyTorch.
func ToDType(model any, dtype torch.DType) error {
	if !dtype.IsFloatingPoint() {
		return fmt.Errorf("nn: ToDType(%v): nn.Module.to only accepts floating point dtypes", dtype)
	}
	return convert(model, fmt.Sprintf("ToDType(%v)", dtype), func(t *torch.Tensor) *torch.Tensor {
		if d := t.DType(); d == dtype || !d.IsFloatingPoint() {
			return nil
		}
		return t.ToDType(dtype)
	})
}

// convert applies fn (nil: leave the tensor) to every distinct parameter,
// buffer and gradient of model, then swaps the results in with SetData_.
func convert(model any, what string, fn func(*torch.Tensor) *torch.Tensor) error {
	var tensors []*torch.Tensor
	seen := map[*torch.Tensor]bool{}
	walk(model, func(s slot) {
		if !seen[s.tensor] {
			seen[s.tensor] = true
			tensors = append(tensors, s.tensor)
		}
	}, nil)
	type swap struct{ dst, src *torch.Tensor }
	var swaps []swap
	err := torch.Catch(func() {
		torch.NoGrad(func() {
			for _, t := range tensors {
				if m := fn(t); m != nil {
					swaps = append(swaps, swap{t, m})
				}
				if g := t.Grad(); g != nil {
					if m := fn(g); m != nil {
						swaps = append(swaps, swap{g, m})
					}
				}
			}
		})
	})
	if err != nil {
		return fmt.Errorf("nn: %s: %w", what, err)
	}
	for _, s := range swaps {
		s.dst.SetData_(s.src)
	}
	return nil
}

// sameDevice compares devices as PyTorch places tensors: every CPU index is
// the one CPU.
func sameDevice(a, b torch.Device) bool {
	return a.Type == b.Type && (a.Type == torch.DeviceCPU || a.Index == b.Index)
}

package main

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// cudaDevice checks that device can be used and returns its name:
// torch.cuda.get_device_name(device). The error says which half is missing,
// the CUDA build of libcgotorch.so or a visible GPU, since the harness shows
// it as the reason a --device cuda run cannot start.
func cudaDevice(device torch.Device) (string, error) {
	if !cuda.IsAvailable() {
		if !torch.CUDACompiled() {
			return "", fmt.Errorf("--device %v: CUDA not available: libcgotorch.so was built against a CPU-only libtorch %s (rebuild it with scripts/install_libtorch.sh against a CUDA torch, see docs/gpu.md)", device, torch.Version())
		}
		return "", fmt.Errorf("--device %v: CUDA not available: libtorch %s has CUDA but sees no device", device, torch.Version())
	}
	if device.Index >= cuda.DeviceCount() {
		return "", fmt.Errorf("--device %v: this process sees %d CUDA device(s)", device, cuda.DeviceCount())
	}
	return cuda.DeviceName(device.Index)
}

// to is x.to(device) for a batch: on a GPU the CPU tensor is freed at once,
// as CPython drops it when the name is rebound; on the CPU x is returned as
// it is, so that the CPU measurements do exactly what they did before.
func (c *config) to(x *torch.Tensor) *torch.Tensor {
	if !c.device.IsCUDA() {
		return x
	}
	y := x.To(c.device)
	x.Free()
	return y
}

// sync is torch.cuda.synchronize() before a timer is read: kernels run
// asynchronously, and a timer read without it measures only their launch.
// Nothing to wait for on the CPU.
func (c *config) sync() error {
	if !c.device.IsCUDA() {
		return nil
	}
	return cuda.Synchronize(c.device.Index)
}

// allocated is torch.cuda.memory_allocated(device) after the kernels are done
// and after the collector has released the tensors dropped without Free
// (the intermediates inside Forward), which CPython's reference counting
// would have released already: run until the figure stops changing, as
// internal/cmd/cudamem does.
func (c *config) allocated() (int64, error) {
	if err := c.sync(); err != nil {
		return 0, err
	}
	return torch.Collect(c.device), nil
}

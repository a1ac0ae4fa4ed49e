package cuda_test

// Examples for docs/porting.md.

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// The usual first line of a training script,
// device = torch.device("cuda" if torch.cuda.is_available() else "cpu"),
// then model.to(device) and batch.to(device). The same code runs on a GPU
// machine and on a CPU-only one; torch.MemoryAllocated reads CUDA's
// allocator on the one and gotorch's counting allocator on the other.
func ExampleDeviceOrCPU() {
	device := cuda.DeviceOrCPU()
	fmt.Println("cuda when available:", device.IsCUDA() == cuda.IsAvailable())

	model := nn.NewLinear(784, 128)
	if err := nn.To(model, device); err != nil { // model.to(device)
		fmt.Println(err)
		return
	}
	images := torch.Randn([]int64{64, 784}).To(device) // images.to(device)
	out := model.Forward(images)
	fmt.Println(out.Shape(), out.Device() == device)
	fmt.Println("allocated covers the output:", torch.MemoryAllocated(device) >= out.Nbytes())
	// Output:
	// cuda when available: true
	// torch.Size([64, 128]) true
	// allocated covers the output: true
}

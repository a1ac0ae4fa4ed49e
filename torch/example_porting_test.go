package torch_test

// Examples for docs/porting.md: the conventions a PyTorch user meets first.
// Each one is quoted in the guide, so a change in the API that breaks the
// guide breaks these.

import (
	"errors"
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// The tutorial's dtype table (uint8 1 byte, float32 4, float64 8) and what
// it means for one MNIST image: 28×28×1 = 784 bytes as uint8, 3,136 bytes as
// float32.
func ExampleDType_ElementSize() {
	for _, d := range []torch.DType{torch.Uint8, torch.Float32, torch.Float64} {
		fmt.Println(d, d.ElementSize(), "B")
	}
	raw := torch.Zeros([]int64{1, 28, 28}, torch.WithDType(torch.Uint8)) // pixel values 0-255
	image := raw.ToDType(torch.Float32)                                  // what ToTensor gives
	fmt.Printf("uint8: %d B ≈ %.2f KB\n", raw.Nbytes(), float64(raw.Nbytes())/1024)
	fmt.Printf("float32: %d B ≈ %.2f KB\n", image.Nbytes(), float64(image.Nbytes())/1024)
	// Output:
	// torch.uint8 1 B
	// torch.float32 4 B
	// torch.float64 8 B
	// uint8: 784 B ≈ 0.77 KB
	// float32: 3136 B ≈ 3.06 KB
}

// PyTorch's keyword arguments dtype=, device= and requires_grad=True are
// options: torch.zeros(1, 28, 28, dtype=torch.uint8, device="cpu").
func ExampleWithDType() {
	x := torch.Zeros([]int64{1, 28, 28}, torch.WithDType(torch.Uint8), torch.WithDevice(torch.CPU))
	fmt.Println(x.Shape(), x.DType(), x.Device())
	w := torch.Randn([]int64{128, 784}, torch.WithRequiresGrad())
	fmt.Println(w.DType(), w.RequiresGrad())
	// Output:
	// torch.Size([1, 28, 28]) torch.uint8 cpu
	// torch.float32 true
}

// Tensor math with impossible shapes is a programmer's bug: it panics with a
// *torch.Error that carries libtorch's message, as Python raises
// RuntimeError. Catch turns the panic into an error for code that wants one.
func ExampleCatch() {
	a, b := torch.Ones([]int64{2, 3}), torch.Ones([]int64{4})
	err := torch.Catch(func() {
		a.Add(b) // a + b
	})
	var terr *torch.Error
	fmt.Println(errors.As(err, &terr), terr.Op)
	fmt.Println(err)
	// Output:
	// true Add
	// torch: Add: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1
}

// In-place operations keep PyTorch's trailing underscore and return the
// tensor itself, so they chain: x.add_(1).mul_(2).
func ExampleTensor_inPlace() {
	x := torch.Zeros([]int64{3})
	y := x.AddScalar(torch.Int(1))                      // y = x + 1: a new tensor, x unchanged
	x.AddScalar_(torch.Int(1)).MulScalar_(torch.Int(2)) // x.add_(1).mul_(2)
	fmt.Println(y.Float32s(), x.Float32s())
	// Output: [1 1 1] [2 2 2]
}

// with torch.no_grad(): becomes a function literal. Inside it nothing is
// recorded for autograd, as in an evaluation loop.
func ExampleNoGrad() {
	w := torch.Ones([]int64{2}, torch.WithRequiresGrad())
	var y *torch.Tensor
	torch.NoGrad(func() {
		y = w.MulScalar(torch.Int(2))
		fmt.Println("inside:", torch.IsGradEnabled())
	})
	fmt.Println("outside:", torch.IsGradEnabled())
	fmt.Println(y.RequiresGrad(), w.MulScalar(torch.Int(2)).RequiresGrad())
	// Output:
	// inside: false
	// outside: true
	// false true
}

// A tensor's native memory goes back when the Go value is collected, so a
// loop that never frees still runs in flat memory. Free (PyTorch's del)
// releases it at once, for code that wants to know when; it is idempotent,
// and using the tensor afterwards panics with a *torch.Error.
func ExampleTensor_Free() {
	x := torch.Zeros([]int64{1024, 1024}) // 4 MiB of float32
	before := torch.MemoryAllocated(torch.CPU)
	x.Free()
	x.Free() // a second Free does nothing
	freed := before - torch.MemoryAllocated(torch.CPU)
	fmt.Println("released at once:", freed >= 4<<20)
	fmt.Println(torch.Catch(func() { x.Sum() }))
	// Output:
	// released at once: true
	// torch: Tensor: tensor used after Free
}

func ExampleWithScope() {
	w := torch.Ones([]int64{256, 256}).SetRequiresGrad(true) // made outside: not the scope's
	before := torch.MemoryAllocated(torch.CPU)
	var loss float64
	torch.WithScope(func(s *torch.Scope) {
		x := torch.Ones([]int64{64, 256})
		y := x.Matmul(w).Relu().Sum() // every temporary, and the gradient graph, is in s
		y.Backward()
		loss = y.Item()
	}) // freed here: no Free calls, no collector
	fmt.Println(loss, torch.MemoryAllocated(torch.CPU)-before == 256*256*4) // only w's gradient stays
	// Output:
	// 4.194304e+06 true
}

func ExampleScoped() {
	x := torch.Arange(0, 6, 1).Reshape(2, 3)
	probs := torch.Scoped(func(*torch.Scope) *torch.Tensor {
		return x.MulScalar(torch.Float(0.5)).Softmax(1) // the product is freed, the result kept
	})
	fmt.Printf("%.4f\n", probs.Float32s())
	// Output:
	// [0.1863 0.3072 0.5065 0.1863 0.3072 0.5065]
}

package torch_test

import (
	"errors"
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// The generated operators follow one naming rule (docs/porting.md, "Names"):
// PyTorch's name in Go case, an overload's name as a suffix, defaulted
// arguments in an options struct whose zero value is PyTorch's defaults.
func Example_operators() {
	x := torch.FromSlice([]float32{1, -2, 3, -4, 5, -6}, 2, 3)
	y := torch.FromSlice([]float32{1, 1, 1, 1, 1, 1}, 2, 3)

	fmt.Println(x.Add(y, torch.AddOpts{Alpha: new(torch.Float(0.5))})) // torch.add(x, y, alpha=0.5)
	fmt.Println(x.AddScalar(torch.Int(1)))                             // x + 1 (add.Scalar)
	fmt.Println(x.SumDim([]int64{1}, torch.SumDimOpts{KeepDim: true})) // x.sum(1, keepdim=True)
	fmt.Println(x.Clamp(torch.ClampOpts{Min: new(torch.Int(0))}))      // x.clamp(min=0)
	fmt.Println(x.Cumsum(1))                                           // x.cumsum(1)
	values, indices := x.MaxDim(1)                                     // x.max(dim=1)
	fmt.Println(values, indices)
	fmt.Println(torch.WhereSelf(x.GtScalar(torch.Int(0)), x, y)) // torch.where(x > 0, x, y)
	// Output:
	// tensor([[ 1.5000, -1.5000,  3.5000],
	//         [-3.5000,  5.5000, -5.5000]])
	// tensor([[ 2., -1.,  4.],
	//         [-3.,  6., -5.]])
	// tensor([[ 2.],
	//         [-5.]])
	// tensor([[1., 0., 3.],
	//         [0., 5., 0.]])
	// tensor([[ 1., -1.,  2.],
	//         [-4.,  1., -5.]])
	// tensor([3., 5.]) tensor([2, 1])
	// tensor([[1., 1., 3.],
	//         [1., 5., 1.]])
}

// A CNN's layers are functions of the generated surface: conv2d, max_pool2d,
// log_softmax.
func Example_conv2d() {
	torch.ManualSeed(0)
	images := torch.Randn([]int64{8, 1, 28, 28})
	weight := torch.Randn([]int64{32, 1, 3, 3})
	bias := torch.Zeros([]int64{32})
	h := torch.Conv2d(images, weight, torch.Conv2dOpts{Bias: bias, Padding: []int64{1}}).Relu() // F.conv2d(x, w, b, padding=1).relu()
	h = torch.MaxPool2d(h, []int64{2})                                                          // F.max_pool2d(h, 2)
	out := h.Flatten(torch.FlattenOpts{StartDim: 1}).LogSoftmax(1)                              // torch.flatten(h, 1).log_softmax(1)
	fmt.Println(h.Shape(), out.Shape())
	// Output:
	// torch.Size([8, 32, 14, 14]) torch.Size([8, 6272])
}

// Scalars keep their kind: an int64 above 2^53 survives, as in Python.
func ExampleInt() {
	big := int64(1)<<53 + 1
	t := torch.Zeros([]int64{2}, torch.WithDType(torch.Int64))
	t.FillScalar_(torch.Int(big))     // t.fill_(2**53 + 1)
	fmt.Println(t.Int64s()[0] == big) // a float64 would have rounded it to 2**53
	// Output:
	// true
}

// Errors keep libtorch's kind: errors.Is tells an IndexError from the rest.
func ExampleErrIndex() {
	x := torch.Zeros([]int64{2, 3})
	err := torch.Catch(func() { x.Select(0, 5) }) // x[5]
	fmt.Println(errors.Is(err, torch.ErrIndex), errors.Is(err, torch.ErrValue))
	// Output:
	// true false
}

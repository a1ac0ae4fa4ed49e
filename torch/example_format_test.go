package torch_test

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Printing a tensor shows what Python's print(t) shows.
func ExampleTensor_String() {
	torch.ManualSeed(0)
	x := torch.Rand([]int64{2, 3}) // x = torch.rand(2, 3)
	fmt.Println(x)                 // print(x)

	fmt.Println(torch.Arange(0, 6, 1).Reshape(2, 3))
	fmt.Println(torch.FromSlice([]float32{1, 2, 1000}))
	fmt.Println(torch.FromSlice([]float64{1e-5, 0.5}))
	fmt.Println(torch.Ones([]int64{3}, torch.WithRequiresGrad()))
	fmt.Println(torch.Arange(0, 2000, 1))
	fmt.Println(torch.Zeros([]int64{0, 3}))

	// torch.set_printoptions(precision=2); print(x)
	fmt.Printf("%.2v\n", x)
	// Output:
	// tensor([[0.4963, 0.7682, 0.0885],
	//         [0.1320, 0.3074, 0.6341]])
	// tensor([[0, 1, 2],
	//         [3, 4, 5]])
	// tensor([   1.,    2., 1000.])
	// tensor([1.0000e-05, 5.0000e-01], dtype=torch.float64)
	// tensor([1., 1., 1.], requires_grad=True)
	// tensor([   0,    1,    2,  ..., 1997, 1998, 1999])
	// tensor([], size=(0, 3))
	// tensor([[0.50, 0.77, 0.09],
	//         [0.13, 0.31, 0.63]])
}

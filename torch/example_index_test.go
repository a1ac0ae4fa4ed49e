package torch_test

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
)

// Index and IndexPut_ are Python's t[...] and t[...] = v, item for item.
func ExampleTensor_Index() {
	x := torch.Arange(0, 12, 1).Reshape(3, 4) // x = torch.arange(12).reshape(3, 4)

	fmt.Println(x.Index(1, -1))                                         // x[1, -1]
	fmt.Println(x.Index(torch.Slice(nil, nil), 1))                      // x[:, 1]
	fmt.Println(x.Index(torch.Slice(1, nil), torch.Slice(nil, nil, 2))) // x[1:, ::2]
	fmt.Println(x.Index(torch.Ellipsis, torch.None).Shape())            // x[..., None].shape
	fmt.Println(x.Index(x.GtScalar(torch.Int(8))))                      // x[x > 8]
	fmt.Println(x.Index([]int{0, 2}, []int{1, 3}))                      // x[[0, 2], [1, 3]]

	col := x.Index(torch.Slice(nil, nil), 0) // a view: writes go through to x
	col.IndexPutScalar_(torch.Int(-1), torch.Ellipsis)
	x.IndexPut_(torch.FromSlice([]int64{7, 8}), 2, torch.Slice(2, nil)) // x[2, 2:] = torch.tensor([7, 8])
	fmt.Println(x)
	// Output:
	// tensor(7)
	// tensor([1, 5, 9])
	// tensor([[ 4,  6],
	//         [ 8, 10]])
	// torch.Size([3, 4, 1])
	// tensor([ 9, 10, 11])
	// tensor([ 1, 11])
	// tensor([[-1,  1,  2,  3],
	//         [-1,  5,  6,  7],
	//         [-1,  9,  7,  8]])
}

// float16, bfloat16 and complex32 elements travel as bit patterns.
func ExampleHalfOf() {
	h := torch.HalfOf(0.1)
	fmt.Printf("%#04x %v\n", uint16(h), h.Float32())
	x := torch.FromSlice([]torch.Half{h, torch.HalfOf(-2)})
	fmt.Println(x)
	fmt.Println(torch.FromSlice([]complex64{1 + 2i, 3 - 1i}).Conj())
	// Output:
	// 0x2e66 0.099975586
	// tensor([ 0.1000, -2.0000], dtype=torch.float16)
	// tensor([1.-2.j, 3.+1.j])
}

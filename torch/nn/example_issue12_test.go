package nn_test

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Buffers, a ModuleList and model.double(): BatchNorm's running statistics
// are in the state_dict but not in the parameters, a non-persistent buffer
// is in neither the state_dict nor the parameters, and ToDType, as To,
// converts each tensor in place, so the optimizer built before it still
// holds the model's parameters.
func Example_buffers() {
	type ConvBlock struct {
		Conv  *nn.Conv2d
		BN    *nn.BatchNorm2d // its running_mean, running_var, num_batches_tracked are buffers
		Heads nn.ModuleList   // "heads.0.weight", ...
		Steps *torch.Tensor   `nn:"steps,buffer,nonpersistent"` // self.register_buffer("steps", t, persistent=False)
	}
	model := &ConvBlock{
		Conv:  nn.NewConv2d(1, 4, []int64{3}),
		BN:    nn.NewBatchNorm2d(4),
		Heads: nn.NewModuleList(nn.NewLinear(4, 2), nn.NewLinear(4, 3)),
		Steps: torch.Zeros(nil, torch.WithDType(torch.Int64)),
	}
	fmt.Println(len(nn.Parameters(model)), "parameters")
	for _, b := range nn.NamedBuffers(model) { // model.named_buffers()
		fmt.Println("buffer", b.Name, b.Tensor.Shape())
	}
	fmt.Println(nn.StateDictKeys(model)) // list(model.state_dict())

	optimizer, err := optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	weight := model.Conv.Weight
	if err := nn.ToDType(model, torch.Float64); err != nil { // model.double()
		fmt.Println(err)
		return
	}
	fmt.Println(model.Conv.Weight == weight, weight.DType(), optimizer.Parameters()[0] == weight)
	fmt.Println(model.BN.RunningMean.DType(), model.BN.NumBatchesTracked.DType())
	// Output:
	// 8 parameters
	// buffer steps torch.Size([])
	// buffer bn.running_mean torch.Size([4])
	// buffer bn.running_var torch.Size([4])
	// buffer bn.num_batches_tracked torch.Size([])
	// [conv.weight conv.bias bn.weight bn.bias bn.running_mean bn.running_var bn.num_batches_tracked heads.0.weight heads.0.bias heads.1.weight heads.1.bias]
	// true torch.float64 true
	// torch.float64 torch.int64
}

package optim_test

// Examples for docs/porting.md.

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Constructors check their arguments and return an error where PyTorch's
// raise ValueError: torch.optim.SGD has no default learning rate, and an
// optimizer needs parameters.
func ExampleNewSGD() {
	model := nn.NewLinear(784, 128)
	// optimizer_sgd = optim.SGD(model.parameters(), lr=0.01)
	optimizerSGD, err := optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: 0.01})
	fmt.Println(optimizerSGD.LR(), err)

	_, err = optim.NewSGD(nn.Parameters(model), optim.SGDOptions{})
	fmt.Println(err)
	_, err = optim.NewAdam(nil, optim.AdamOptions{LR: 0.001})
	fmt.Println(err)
	// Output:
	// 0.01 <nil>
	// optim: SGD: SGDOptions.LR is required (torch.optim.SGD has no default learning rate)
	// optim: Adam: optimizer got an empty parameter list
}

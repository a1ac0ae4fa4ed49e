package optim_test

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// The tutorial's two optimizers over the same parameters: SGD keeps no
// state, Adam two tensors the size of each parameter.
func ExampleNewAdam() {
	model := nn.NewLinear(784, 128) // 100,480 float32 parameters: 401,920 bytes
	optimizerSGD, err := optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	optimizerAdam, err := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 0.001})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, opt := range []optim.Optimizer{optimizerSGD, optimizerAdam} {
		opt.ZeroGrad()
		model.Forward(torch.Randn([]int64{64, 784})).PowTensorScalar(torch.Int(2)).Mean().Backward()
		opt.Step()
		fmt.Printf("%T: lr %g, state %d bytes\n", opt, opt.LR(), opt.StateBytes())
	}
	// Output:
	// *optim.SGD: lr 0.01, state 0 bytes
	// *optim.Adam: lr 0.001, state 803840 bytes
}

// A learning-rate schedule sets the rate between steps, as assigning
// optimizer.param_groups[0]["lr"] does.
func ExampleSGD_SetLR() {
	w := torch.Ones([]int64{1}, torch.WithRequiresGrad())
	opt, _ := optim.NewSGD([]*torch.Tensor{w}, optim.SGDOptions{LR: 0.5})
	for epoch := range 3 {
		opt.ZeroGrad()
		w.MulScalar(torch.Int(2)).Sum().Backward() // gradient 2
		opt.Step()
		fmt.Printf("epoch %d: lr %.3f, w %.3f\n", epoch, opt.LR(), w.Item())
		opt.SetLR(opt.LR() / 10) // StepLR(step_size=1, gamma=0.1)
	}
	// Output:
	// epoch 0: lr 0.500, w 0.000
	// epoch 1: lr 0.050, w -0.100
	// epoch 2: lr 0.005, w -0.110
}

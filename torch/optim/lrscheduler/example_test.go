package lrscheduler_test

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/torch/optim/lrscheduler"
)

// StepLR in a training loop, as pytorch/examples' MNIST does with
// StepLR(optimizer, step_size=1, gamma=0.7): the optimizer steps, then the
// scheduler, once per epoch.
func ExampleNewStepLR() {
	w := torch.Ones([]int64{1}, torch.WithRequiresGrad())
	opt, err := optim.NewSGD([]*torch.Tensor{w}, optim.SGDOptions{LR: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	scheduler, err := lrscheduler.NewStepLR(opt, 1, lrscheduler.StepLROpts{Gamma: new(0.7)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for epoch := range 4 {
		opt.ZeroGrad()
		w.MulScalar(torch.Int(2)).Sum().Backward() // gradient 2
		opt.Step()
		fmt.Printf("epoch %d: lr %.3f, w %.3f\n", epoch, scheduler.LastLR()[0], w.Item())
		scheduler.Step()
	}
	// Output:
	// epoch 0: lr 1.000, w -1.000
	// epoch 1: lr 0.700, w -2.400
	// epoch 2: lr 0.490, w -3.380
	// epoch 3: lr 0.343, w -4.066
}

// OneCycleLR steps once per batch; it cycles SGD's momentum inversely to
// the learning rate.
func ExampleNewOneCycleLR() {
	w := torch.Zeros([]int64{1}, torch.WithRequiresGrad())
	opt, _ := optim.NewSGD([]*torch.Tensor{w}, optim.SGDOptions{LR: 0.1, Momentum: 0.9})
	scheduler, err := lrscheduler.NewOneCycleLR(opt, []float64{1}, lrscheduler.OneCycleLROpts{Epochs: 2, StepsPerEpoch: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := range 10 {
		opt.Step()
		g := opt.ParamGroups()[0]
		fmt.Printf("step %d: lr %.4f, momentum %.4f\n", step, g.LR, g.Momentum)
		scheduler.Step()
	}
	// Output:
	// step 0: lr 0.0400, momentum 0.9500
	// step 1: lr 0.5200, momentum 0.9000
	// step 2: lr 1.0000, momentum 0.8500
	// step 3: lr 0.9505, momentum 0.8550
	// step 4: lr 0.8117, momentum 0.8688
	// step 5: lr 0.6113, momentum 0.8889
	// step 6: lr 0.3887, momentum 0.9111
	// step 7: lr 0.1883, momentum 0.9312
	// step 8: lr 0.0495, momentum 0.9450
	// step 9: lr 0.0000, momentum 0.9500
}

// ReduceLROnPlateau steps on a validation metric and cuts the rate when it
// stops improving.
func ExampleNewReduceLROnPlateau() {
	w := torch.Zeros([]int64{1}, torch.WithRequiresGrad())
	opt, _ := optim.NewSGD([]*torch.Tensor{w}, optim.SGDOptions{LR: 0.1})
	scheduler, _ := lrscheduler.NewReduceLROnPlateau(opt, lrscheduler.ReduceLROnPlateauOpts{Patience: new(1), Factor: new(0.5)})
	for epoch, valLoss := range []float64{1.0, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7} {
		scheduler.Step(valLoss)
		fmt.Printf("epoch %d: loss %.1f, lr %.3f\n", epoch, valLoss, scheduler.LastLR()[0])
	}
	// Output:
	// epoch 0: loss 1.0, lr 0.100
	// epoch 1: loss 0.8, lr 0.100
	// epoch 2: loss 0.8, lr 0.100
	// epoch 3: loss 0.8, lr 0.050
	// epoch 4: loss 0.7, lr 0.050
	// epoch 5: loss 0.7, lr 0.050
	// epoch 6: loss 0.7, lr 0.025
	// epoch 7: loss 0.7, lr 0.025
}

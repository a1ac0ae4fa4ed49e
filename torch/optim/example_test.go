package optim_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

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

// Parameter groups: the bias without weight decay and with its own learning
// rate, as torch.optim.SGD([{'params': [w]}, {'params': [b], 'lr': 0.01,
// 'weight_decay': 0.0}], lr=0.1, momentum=0.9, weight_decay=1e-4). The live
// groups take changes between steps, as a scheduler makes them.
func ExampleNewSGDGroups() {
	model := nn.NewLinear(4, 2)
	opt, err := optim.NewSGDGroups([]optim.Group{
		{Params: []*torch.Tensor{model.Weight}},
		{Params: []*torch.Tensor{model.Bias}, LR: new(0.01), WeightDecay: new(0.0)},
	}, optim.SGDOptions{LR: 0.1, Momentum: 0.9, WeightDecay: 1e-4})
	if err != nil {
		fmt.Println(err)
		return
	}
	opt.ParamGroups()[1].LR /= 10
	for i, g := range opt.ParamGroups() {
		fmt.Printf("group %d: %d tensor, lr %g, momentum %g, weight_decay %g\n", i, len(g.Params), g.LR, g.Momentum, g.WeightDecay)
	}
	// Output:
	// group 0: 1 tensor, lr 0.1, momentum 0.9, weight_decay 0.0001
	// group 1: 1 tensor, lr 0.001, momentum 0.9, weight_decay 0
}

// An optimizer's state saved and loaded into another: the keys of the file,
// which Python reads with torch.load (see StateDict for the conversion to
// and from optimizer.state_dict()).
func ExampleLoad() {
	w := torch.Ones([]int64{3}, torch.WithRequiresGrad())
	opt, _ := optim.NewAdam([]*torch.Tensor{w}, optim.AdamOptions{LR: 0.1})
	w.Sum().Backward()
	opt.Step()

	dir, _ := os.MkdirTemp("", "optim")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "adam.pt")
	if err := optim.Save(opt.StateDict(), path); err != nil {
		fmt.Println(err)
		return
	}
	sd, err := optim.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	flat, _ := sd.Tensors()
	fmt.Println(slices.Sorted(maps.Keys(flat)))

	w2 := torch.Ones([]int64{3}, torch.WithRequiresGrad())
	opt2, _ := optim.NewAdam([]*torch.Tensor{w2}, optim.AdamOptions{})
	fmt.Println(opt2.LoadStateDict(sd), opt2.LR())
	// Output:
	// [param_groups.0.amsgrad param_groups.0.betas param_groups.0.eps param_groups.0.lr param_groups.0.maximize param_groups.0.params param_groups.0.weight_decay state.0.exp_avg state.0.exp_avg_sq state.0.step]
	// <nil> 0.1
}

package models_test

import (
	"fmt"
	"strconv"

	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// commas writes n with thousands separators, as the tutorial prints counts.
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// The tutorial's parameter count for the MNIST model: 784×128 + 128 and
// 128×10 + 10.
func ExampleMNISTModel() {
	model := models.NewMNISTModel()
	for _, p := range nn.NamedParameters(model) { // model.named_parameters()
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	for _, layer := range nn.ParameterCounts(model) {
		fmt.Printf("%s: %s\n", layer.Layer, commas(layer.Count))
	}
	fmt.Println("total:", commas(nn.NumParameters(model))) // sum(p.numel() for p in model.parameters())

	x := torch.Randn([]int64{64, 1, 28, 28}) // a batch of images
	fmt.Println(model.Forward(x).Shape())
	// Output:
	// layer1.weight torch.Size([128, 784])
	// layer1.bias torch.Size([128])
	// layer2.weight torch.Size([10, 128])
	// layer2.bias torch.Size([10])
	// layer1: 100,480
	// layer2: 1,290
	// total: 101,770
	// torch.Size([64, 10])
}

// The colour model: 3×32×32 = 3072 inputs make the first layer much larger.
func ExampleCIFAR10Model() {
	model := models.NewCIFAR10Model(models.CIFAR10InputSize, models.CIFAR10HiddenSize, models.CIFAR10NumClasses)
	for _, layer := range nn.ParameterCounts(model) {
		fmt.Printf("%s: %s\n", layer.Layer, commas(layer.Count))
	}
	fmt.Println("total:", commas(nn.NumParameters(model)))
	fmt.Println(model.FC1)
	// Output:
	// fc1: 393,344
	// fc2: 1,290
	// total: 394,634
	// Linear(in_features=3072, out_features=128, bias=True)
}

// Where the memory of training goes: parameters, their gradients, and the
// optimizer's state, measured from the tensors after one step. SGD keeps no
// state; Adam keeps two moments per parameter, so parameters plus Adam's
// state are the tutorial's "about 3x the parameters".
func ExampleMNISTModel_memory() {
	model := models.NewMNISTModel()
	lossFn := nn.NewCrossEntropyLoss()
	images, labels := torch.Randn([]int64{64, 1, 28, 28}), torch.RandInt(0, 10, []int64{64})

	optimizerSGD, _ := optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: 0.01})
	optimizerAdam, _ := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 0.001})
	for _, opt := range []optim.Optimizer{optimizerSGD, optimizerAdam} {
		opt.ZeroGrad()
		lossFn.Forward(model.Forward(images), labels).Backward()
		opt.Step()
	}
	sgd, adam := nn.MemoryReport(model, optimizerSGD), nn.MemoryReport(model, optimizerAdam)
	fmt.Println("parameters:", commas(adam.Parameters), "bytes")
	fmt.Println("gradients:", commas(adam.Gradients), "bytes")
	fmt.Println("SGD state:", commas(sgd.OptimizerState), "bytes")
	fmt.Println("Adam state:", commas(adam.OptimizerState), "bytes")
	fmt.Printf("parameters + Adam state: %.0fx the parameters\n",
		float64(adam.Parameters+adam.OptimizerState)/float64(adam.Parameters))
	// Output:
	// parameters: 407,080 bytes
	// gradients: 407,080 bytes
	// SGD state: 0 bytes
	// Adam state: 814,160 bytes
	// parameters + Adam state: 3x the parameters
}

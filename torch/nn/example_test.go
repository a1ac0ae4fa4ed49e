package nn_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// A model is a plain struct of layers; its parameters and their names come
// from its fields, as a Python module's come from its attributes.
func ExampleNamedParameters() {
	type Classifier struct {
		Features nn.Sequential // "features.0.weight", ...
		Head     *nn.Linear    `nn:"fc"` // a tag renames: "fc.weight"
		Dropout  *nn.Dropout   // no parameters
		Note     string        // configuration, not walked
		Cache    *torch.Tensor `nn:"-"` // not a parameter
	}
	model := &Classifier{
		Features: nn.NewSequential(nn.NewFlatten(), nn.NewLinear(784, 64), nn.NewReLU()),
		Head:     nn.NewLinear(64, 10),
		Dropout:  nn.NewDropout(0.2),
	}
	for _, p := range nn.NamedParameters(model) {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	fmt.Println(nn.NumParameters(model))
	// Output:
	// features.1.weight torch.Size([64, 784])
	// features.1.bias torch.Size([64])
	// fc.weight torch.Size([10, 64])
	// fc.bias torch.Size([10])
	// 50890
}

// nn.Linear's weights: the same seed gives the same numbers as Python's
// torch.manual_seed(0); torch.nn.Linear(2, 1).
func ExampleNewLinear() {
	torch.ManualSeed(0)
	layer := nn.NewLinear(2, 1)
	fmt.Println(layer)
	fmt.Printf("%.4f %.4f\n", layer.Weight.Float32s(), layer.Bias.Float32s())
	// Output:
	// Linear(in_features=2, out_features=1, bias=True)
	// [-0.0053 0.3793] [-0.5820]
}

// Uniform scores over three classes cost ln 3 each.
func ExampleCrossEntropyLoss() {
	logits := torch.Zeros([]int64{2, 3})
	labels := torch.FromSlice([]int64{0, 2})
	fmt.Printf("%.4f\n", nn.NewCrossEntropyLoss().Forward(logits, labels).Item())
	sum := nn.NewCrossEntropyLoss(nn.WithReduction(torch.ReductionSum))
	fmt.Printf("%.4f\n", sum.Forward(logits, labels).Item())
	// Output:
	// 1.0986
	// 2.1972
}

// Save writes what Python's torch.load reads; Load checks the keys and
// shapes before it copies anything.
func ExampleLoad() {
	type MLP struct {
		Layer1 *nn.Linear
		Layer2 *nn.Linear
	}
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "mlp.pt")

	trained := &MLP{nn.NewLinear(4, 8), nn.NewLinear(8, 2)}
	if err := nn.Save(trained, path); err != nil {
		fmt.Println(err)
	}
	fresh := &MLP{nn.NewLinear(4, 8), nn.NewLinear(8, 2)}
	fmt.Println(nn.Load(fresh, path))

	wrong := &struct{ Layer1 *nn.Linear }{nn.NewLinear(4, 16)}
	err := nn.LoadStateDict(wrong, nn.StateDict(trained), true)
	fmt.Println(err)
	// Output:
	// <nil>
	// Error(s) in loading state_dict for *struct { Layer1 *nn.Linear }:
	// 	Unexpected key(s) in state_dict: "layer2.bias", "layer2.weight".
	// 	size mismatch for layer1.weight: copying a param with shape torch.Size([8, 4]) from checkpoint, the shape in current model is torch.Size([16, 4]).
	// 	size mismatch for layer1.bias: copying a param with shape torch.Size([8]) from checkpoint, the shape in current model is torch.Size([16]).
}

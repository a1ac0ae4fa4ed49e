package models_test

// Examples for docs/porting.md: the tutorial's two classes written out as a
// user porting them would write them, checked against package models, the
// batch-size arithmetic from real tensors, and a training loop.

import (
	"fmt"
	"slices"

	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// MNISTModel is the tutorial's class MNISTModel(nn.Module), ported. The
// fields are the attributes __init__ sets: nn finds the parameters by
// walking them, and their names, lower-cased (or given by an nn tag), are
// the state_dict keys: layer1.weight, layer1.bias, ...
type MNISTModel struct {
	Flatten *nn.Flatten
	Layer1  *nn.Linear
	ReLU    *nn.ReLU `nn:"relu"`
	Layer2  *nn.Linear
}

// NewMNISTModel is __init__: the layers are made in the same order, so they
// draw the same initial weights as Python's after the same manual_seed.
func NewMNISTModel() *MNISTModel {
	return &MNISTModel{
		Flatten: nn.NewFlatten(),        // 28×28 image -> 784 vector
		Layer1:  nn.NewLinear(784, 128), // input: 784 (28×28)
		ReLU:    nn.NewReLU(),
		Layer2:  nn.NewLinear(128, 10), // 10 classes
	}
}

// Forward is forward(self, x).
func (m *MNISTModel) Forward(x *torch.Tensor) *torch.Tensor {
	x = m.Flatten.Forward(x) // [batch, 1, 28, 28] -> [batch, 784]
	x = m.Layer1.Forward(x)  // [batch, 784] -> [batch, 128]
	x = m.ReLU.Forward(x)
	x = m.Layer2.Forward(x) // [batch, 128] -> [batch, 10]
	return x
}

// CIFAR10Model is the tutorial's class CIFAR10Model(nn.Module), ported;
// Go has no default arguments, so the defaults are passed at the call.
type CIFAR10Model struct {
	Flatten *nn.Flatten
	FC1     *nn.Linear
	ReLU    *nn.ReLU `nn:"relu"`
	FC2     *nn.Linear
}

// NewCIFAR10Model is __init__(self, input_size=3072, hidden_size=128,
// num_classes=10).
func NewCIFAR10Model(inputSize, hiddenSize, numClasses int64) *CIFAR10Model {
	return &CIFAR10Model{
		Flatten: nn.NewFlatten(), // CIFAR-10 images: 3×32×32 = 3072 inputs
		FC1:     nn.NewLinear(inputSize, hiddenSize),
		ReLU:    nn.NewReLU(),
		FC2:     nn.NewLinear(hiddenSize, numClasses),
	}
}

// Forward is forward(self, x).
func (m *CIFAR10Model) Forward(x *torch.Tensor) *torch.Tensor {
	x = m.Flatten.Forward(x) // [batch, 3, 32, 32] -> [batch, 3072]
	x = m.FC1.Forward(x)
	x = m.ReLU.Forward(x)
	x = m.FC2.Forward(x)
	return x
}

// sameStateDict reports whether two models have the same state_dict keys
// and values.
func sameStateDict(a, b any) bool {
	sa, sb := nn.StateDict(a), nn.StateDict(b)
	if len(sa) != len(sb) {
		return false
	}
	for k, ta := range sa {
		tb, ok := sb[k]
		if !ok || !slices.Equal(ta.Shape(), tb.Shape()) || !ta.Eq(tb).Min().Bools()[0] {
			return false
		}
	}
	return true
}

// The tutorial's MNISTModel written out by hand: the same parameters, names
// and initial weights as models.MNISTModel.
func Example_mnistModel() {
	torch.ManualSeed(0)
	model := NewMNISTModel()        // model = MNISTModel()
	fmt.Println(nn.Describe(model)) // print(model)
	for _, p := range nn.NamedParameters(model) {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	fmt.Println("total:", commas(nn.NumParameters(model)))

	x := torch.Randn([]int64{64, 1, 28, 28})
	fmt.Println(model.Forward(x).Shape())

	torch.ManualSeed(0)
	fmt.Println("same as models.NewMNISTModel:", sameStateDict(model, models.NewMNISTModel()))
	// Output:
	// MNISTModel(
	//   (flatten): Flatten(start_dim=1, end_dim=-1)
	//   (layer1): Linear(in_features=784, out_features=128, bias=True)
	//   (relu): ReLU()
	//   (layer2): Linear(in_features=128, out_features=10, bias=True)
	// )
	// layer1.weight torch.Size([128, 784])
	// layer1.bias torch.Size([128])
	// layer2.weight torch.Size([10, 128])
	// layer2.bias torch.Size([10])
	// total: 101,770
	// torch.Size([64, 10])
	// same as models.NewMNISTModel: true
}

// The tutorial's CIFAR10Model written out by hand, on one random colour
// image: 3072×128 + 128 = 393,344 and 128×10 + 10 = 1,290 parameters.
func Example_cifar10Model() {
	torch.ManualSeed(0)
	model := NewCIFAR10Model(3072, 128, 10) // model = CIFAR10Model()
	for _, layer := range nn.ParameterCounts(model) {
		fmt.Printf("%s: %s\n", layer.Layer, commas(layer.Count))
	}
	fmt.Println("total:", commas(nn.NumParameters(model)))

	x := torch.Randn([]int64{1, 3, 32, 32})
	fmt.Println(model.Flatten.Forward(x).Shape(), model.Forward(x).Shape())

	torch.ManualSeed(0)
	ref := models.NewCIFAR10Model(models.CIFAR10InputSize, models.CIFAR10HiddenSize, models.CIFAR10NumClasses)
	fmt.Println("same as models.NewCIFAR10Model:", sameStateDict(model, ref))
	// Output:
	// fc1: 393,344
	// fc2: 1,290
	// total: 394,634
	// torch.Size([1, 3072]) torch.Size([1, 10])
	// same as models.NewCIFAR10Model: true
}

// The tutorial's table of batch size against memory, from real tensors:
// the data is the batch of float32 images, the intermediates the hidden
// layer's activations [batch, 128], and the total adds the parameters and
// their gradients (the table counts no optimizer state). The tutorial rounds
// an image to 3 KB; it is 3,136 bytes. cmd/memtable measures the same step
// with the allocator's counters instead.
func Example_batchSize() {
	model := models.NewMNISTModel()
	fixed := 2 * nn.MemoryReport(model, nil).Parameters // parameters + gradients
	kb := func(n int64) float64 { return float64(n) / 1024 }
	fmt.Println("batch_size  data  intermediates  total")
	torch.NoGrad(func() {
		for _, b := range []int64{64, 256, 1024, 4096} {
			images := torch.Zeros([]int64{b, 1, 28, 28})
			hidden := model.ReLU.Forward(model.Layer1.Forward(model.Flatten.Forward(images)))
			data, inter := images.Nbytes(), hidden.Nbytes()
			fmt.Printf("%4d %8.0f KB %6.0f KB %7.1f MB\n", b, kb(data), kb(inter), kb(fixed+data+inter)/1024)
			images.Free()
			hidden.Free()
		}
	})
	// Output:
	// batch_size  data  intermediates  total
	//   64      196 KB     32 KB     1.0 MB
	//  256      784 KB    128 KB     1.7 MB
	// 1024     3136 KB    512 KB     4.3 MB
	// 4096    12544 KB   2048 KB    15.0 MB
}

// A training loop over the tutorial's DataLoader, the part the tutorial
// leaves to the reader: 300 steps of Adam reach about 90% on the test set.
func Example_training() {
	transform := transforms.Compose(
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.1307}, []float64{0.3081}),
	)
	trainDataset, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	testDataset, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	torch.ManualSeed(1)
	trainLoader := data.NewLoader(trainDataset, data.Options{BatchSize: 64, Shuffle: true})
	testLoader := data.NewLoader(testDataset, data.Options{BatchSize: 1000})

	model := models.NewMNISTModel()
	optimizer, err := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 0.001})
	if err != nil {
		fmt.Println(err)
		return
	}
	lossFn := nn.NewCrossEntropyLoss()

	nn.Train(model) // model.train()
	steps := 0
	for images, labels := range trainLoader.All() { // for images, labels in train_loader:
		optimizer.ZeroGrad()
		loss := lossFn.Forward(model.Forward(images), labels)
		loss.Backward()
		optimizer.Step()
		if steps++; steps == 300 {
			break
		}
	}
	if err := trainLoader.Err(); err != nil {
		fmt.Println(err)
		return
	}

	nn.Eval(model) // model.eval()
	var correct int64
	torch.NoGrad(func() { // with torch.no_grad():
		for images, labels := range testLoader.All() {
			predicted := model.Forward(images).Argmax(torch.ArgmaxOpts{Dim: new(int64(1))})
			correct += predicted.Eq(labels).Sum().ItemInt()
		}
	})
	if err := testLoader.Err(); err != nil {
		fmt.Println(err)
		return
	}
	accuracy := float64(correct) / float64(testDataset.Len())
	fmt.Println("steps:", steps)
	fmt.Println("test accuracy above 85%:", accuracy > 0.85)
	// Output:
	// steps: 300
	// test accuracy above 85%: true
}

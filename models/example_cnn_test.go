package models_test

// Examples for docs/porting.md's section on PyTorch's CIFAR-10 tutorial
// ("Training a classifier"): its class Net written out as a user porting it
// would write it, checked against models.CIFAR10CNN, and its training and
// test loops.

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// Net is the CIFAR-10 tutorial's class Net(nn.Module), ported: the layers
// __init__ assigns become fields, in the same order, so the state_dict keys
// (conv1.weight, ..., fc3.bias) and the initial weights are Python's.
type Net struct {
	Conv1 *nn.Conv2d
	Pool  *nn.MaxPool2d
	Conv2 *nn.Conv2d
	FC1   *nn.Linear
	FC2   *nn.Linear
	FC3   *nn.Linear
}

// NewNet is Net.__init__.
func NewNet() *Net {
	return &Net{
		Conv1: nn.NewConv2d(3, 6, []int64{5}),
		Pool:  nn.NewMaxPool2d([]int64{2}, nn.MaxPool2dOpts{Stride: []int64{2}}),
		Conv2: nn.NewConv2d(6, 16, []int64{5}),
		FC1:   nn.NewLinear(16*5*5, 120),
		FC2:   nn.NewLinear(120, 84),
		FC3:   nn.NewLinear(84, 10),
	}
}

// Forward is Net.forward.
func (n *Net) Forward(x *torch.Tensor) *torch.Tensor {
	x = n.Pool.Forward(F.Relu(n.Conv1.Forward(x)))
	x = n.Pool.Forward(F.Relu(n.Conv2.Forward(x)))
	x = x.Flatten(torch.FlattenOpts{StartDim: 1}) // flatten all dimensions except batch
	x = F.Relu(n.FC1.Forward(x))
	x = F.Relu(n.FC2.Forward(x))
	x = n.FC3.Forward(x)
	return x
}

// The CIFAR-10 tutorial's Net written out by hand: print(net), its
// parameters, and the same weights as models.NewCIFAR10CNN after the same
// seed.
func Example_cifar10CNN() {
	torch.ManualSeed(0)
	net := NewNet()               // net = Net()
	fmt.Println(nn.Describe(net)) // print(net)
	for _, layer := range nn.ParameterCounts(net) {
		fmt.Printf("%s: %s\n", layer.Layer, commas(layer.Count))
	}
	fmt.Println("total:", commas(nn.NumParameters(net)))
	images := torch.Randn([]int64{4, 3, 32, 32}) // a batch of 4, as the tutorial's loader gives
	fmt.Println(net.Forward(images).Shape())

	torch.ManualSeed(0)
	fmt.Println("same as models.NewCIFAR10CNN:", sameStateDict(net, models.NewCIFAR10CNN()))
	// Output:
	// Net(
	//   (conv1): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))
	//   (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
	//   (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
	//   (fc1): Linear(in_features=400, out_features=120, bias=True)
	//   (fc2): Linear(in_features=120, out_features=84, bias=True)
	//   (fc3): Linear(in_features=84, out_features=10, bias=True)
	// )
	// conv1: 456
	// conv2: 2,416
	// fc1: 48,120
	// fc2: 10,164
	// fc3: 850
	// total: 62,006
	// torch.Size([4, 10])
	// same as models.NewCIFAR10CNN: true
}

// The CIFAR-10 tutorial's training loop (CrossEntropyLoss, SGD with
// momentum, batches of 4, 2 epochs), saving and reloading the weights, and
// its test loop. It reads the small CIFAR-10 in vision/datasets/testdata
// (10 training and 2 test images in the official format); with
// datasets.CacheDir() or "./data" it downloads the real one, and the loss
// is printed every 2000 mini-batches as in the tutorial. The tutorial's
// Python, run on the same files after torch.manual_seed(0), draws the same
// weights and batches and prints the same accuracy.
func Example_cifar10CNNTraining() {
	root := filepath.Join("..", "vision", "datasets", "testdata", "cifar10")
	torch.ManualSeed(0)
	transform := transforms.Compose(
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}),
	)
	batchSize := 4
	trainset, err := datasets.NewCIFAR10(root, datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	trainloader := data.NewLoader(trainset, data.Options{BatchSize: batchSize, Shuffle: true, NumWorkers: 2})
	testset, err := datasets.NewCIFAR10(root, datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	testloader := data.NewLoader(testset, data.Options{BatchSize: batchSize, NumWorkers: 2})

	net := NewNet()
	criterion := nn.NewCrossEntropyLoss()
	optimizer, err := optim.NewSGD(nn.Parameters(net), optim.SGDOptions{LR: 0.001, Momentum: 0.9})
	if err != nil {
		fmt.Println(err)
		return
	}

	steps := 0
	for epoch := range 2 { // loop over the dataset multiple times
		runningLoss := 0.0
		i := 0
		for inputs, labels := range trainloader.All() {
			optimizer.ZeroGrad() // zero the parameter gradients
			// forward + backward + optimize
			outputs := net.Forward(inputs)
			loss := criterion.Forward(outputs, labels)
			loss.Backward()
			optimizer.Step()
			// print statistics
			runningLoss += loss.Item()
			if i%2000 == 1999 { // print every 2000 mini-batches
				fmt.Printf("[%d, %5d] loss: %.3f\n", epoch+1, i+1, runningLoss/2000)
				runningLoss = 0.0
			}
			i++
			steps++
		}
		if err := trainloader.Err(); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("Finished Training")
	fmt.Println("steps:", steps)

	dir, err := os.MkdirTemp("", "cifar")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cifar_net.pth")
	if err := nn.Save(net, path); err != nil { // torch.save(net.state_dict(), PATH)
		fmt.Println(err)
		return
	}

	net = NewNet()
	if err := nn.Load(net, path); err != nil { // net.load_state_dict(torch.load(PATH))
		fmt.Println(err)
		return
	}
	correct, total := 0, 0
	torch.NoGrad(func() { // since we're not training, we don't need gradients
		for images, labels := range testloader.All() {
			outputs := net.Forward(images)    // calculate outputs by running images through the network
			_, predicted := outputs.MaxDim(1) // the class with the highest energy is the prediction
			total += int(labels.Size(0))
			correct += int(predicted.Eq(labels).Sum().ItemInt())
		}
	})
	if err := testloader.Err(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Accuracy of the network on the %d test images: %d %%\n", total, 100*correct/total)
	// Output:
	// Finished Training
	// steps: 6
	// Accuracy of the network on the 2 test images: 50 %
}

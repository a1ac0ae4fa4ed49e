package models

// Examples for docs/porting.md's section on pytorch/examples' MNIST example
// (mnist/main.py), ported as a user would port it: class Net, train(),
// test() and main()'s set-up and epoch loop, checked against MNISTCNN.
// This file is in package models (the other Examples are in models_test,
// which has its own Net: the CIFAR-10 tutorial's).

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/torch/optim/lrscheduler"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// Net is main.py's class Net(nn.Module), ported: the attributes __init__
// assigns become fields, in the same order, so the state_dict keys
// (conv1.weight, ..., fc2.bias) and the initial weights are Python's.
type Net struct {
	Conv1    *nn.Conv2d
	Conv2    *nn.Conv2d
	Dropout1 *nn.Dropout
	Dropout2 *nn.Dropout
	FC1      *nn.Linear
	FC2      *nn.Linear
}

// NewNet is Net.__init__.
func NewNet() *Net {
	return &Net{
		Conv1:    nn.NewConv2d(1, 32, []int64{3}, nn.Conv2dOpts{Stride: []int64{1}}),
		Conv2:    nn.NewConv2d(32, 64, []int64{3}, nn.Conv2dOpts{Stride: []int64{1}}),
		Dropout1: nn.NewDropout(0.25),
		Dropout2: nn.NewDropout(0.5),
		FC1:      nn.NewLinear(9216, 128),
		FC2:      nn.NewLinear(128, 10),
	}
}

// Forward is Net.forward.
func (m *Net) Forward(x *torch.Tensor) *torch.Tensor {
	x = m.Conv1.Forward(x)
	x = F.Relu(x)
	x = m.Conv2.Forward(x)
	x = F.Relu(x)
	x = F.MaxPool2d(x, []int64{2})
	x = m.Dropout1.Forward(x)
	x = x.Flatten(torch.FlattenOpts{StartDim: 1})
	x = m.FC1.Forward(x)
	x = F.Relu(x)
	x = m.Dropout2.Forward(x)
	x = m.FC2.Forward(x)
	output := F.LogSoftmax(x, 1)
	return output
}

// mainArgs are the flags of main.py that train and test read (cmd/mnist-cnn
// parses all of them).
type mainArgs struct {
	BatchSize, TestBatchSize, Epochs, LogInterval int
	LR, Gamma                                     float64
	Seed                                          uint64
	DryRun                                        bool
}

// train is main.py's train(args, model, device, train_loader, optimizer,
// epoch), printing to out.
func train(args mainArgs, model *Net, device torch.Device, trainLoader *data.Loader, optimizer optim.Optimizer, epoch int, out io.Writer) error {
	nn.Train(model)
	batchIdx := 0
	for images, target := range trainLoader.All() {
		images, target = images.To(device), target.To(device)
		optimizer.ZeroGrad()
		output := model.Forward(images)
		loss := F.NllLoss(output, target)
		loss.Backward()
		optimizer.Step()
		if batchIdx%args.LogInterval == 0 {
			fmt.Fprintf(out, "Train Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f\n",
				epoch, batchIdx*int(images.Size(0)), trainLoader.Dataset().Len(),
				100*float64(batchIdx)/float64(trainLoader.Len()), loss.Item())
			if args.DryRun {
				break
			}
		}
		batchIdx++
	}
	return trainLoader.Err()
}

// test is main.py's test(model, device, test_loader), printing to out.
func test(model *Net, device torch.Device, testLoader *data.Loader, out io.Writer) error {
	nn.Eval(model)
	testLoss := 0.0
	var correct int64
	torch.NoGrad(func() {
		for images, target := range testLoader.All() {
			images, target = images.To(device), target.To(device)
			output := model.Forward(images)
			// sum up batch loss
			testLoss += F.NllLoss(output, target, F.NllLossOpts{Reduction: new(torch.ReductionSum)}).Item()
			// get the index of the max log-probability
			pred := output.Argmax(torch.ArgmaxOpts{Dim: new(int64(1)), KeepDim: true})
			correct += pred.Eq(target.ViewAs(pred)).Sum().ItemInt()
		}
	})
	if err := testLoader.Err(); err != nil {
		return err
	}
	n := testLoader.Dataset().Len()
	testLoss /= float64(n)

	fmt.Fprintf(out, "\nTest set: Average loss: %.4f, Accuracy: %d/%d (%.0f%%)\n\n",
		testLoss, correct, n, 100*float64(correct)/float64(n))
	return nil
}

// sameWeights reports whether two models have the same state_dict keys, in
// the same order, and the same values.
func sameWeights(a, b any) bool {
	if !slices.Equal(nn.StateDictKeys(a), nn.StateDictKeys(b)) {
		return false
	}
	sb := nn.StateDict(b)
	for k, t := range nn.StateDict(a) {
		if !t.Equal(sb[k]) {
			return false
		}
	}
	return true
}

// main.py's Net written out by hand: print(model), its parameters, and the
// same weights and log-probabilities as NewMNISTCNN after the same seed.
func Example_mnistNet() {
	torch.ManualSeed(1)             // torch.manual_seed(args.seed)
	model := NewNet()               // model = Net()
	fmt.Println(nn.Describe(model)) // print(model)
	for _, layer := range nn.ParameterCounts(model) {
		fmt.Printf("%s: %d\n", layer.Layer, layer.Count)
	}
	fmt.Println("total:", nn.NumParameters(model))
	images := torch.Randn([]int64{64, 1, 28, 28})
	fmt.Println(model.Forward(images).Shape())

	torch.ManualSeed(1)
	ref := NewMNISTCNN()
	fmt.Println("same weights as models.NewMNISTCNN:", sameWeights(model, ref))
	nn.Eval(model) // model.eval(): the dropouts pass their input through
	nn.Eval(ref)
	fmt.Println("same output:", model.Forward(images).Equal(ref.Forward(images)))
	// Output:
	// Net(
	//   (conv1): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))
	//   (conv2): Conv2d(32, 64, kernel_size=(3, 3), stride=(1, 1))
	//   (dropout1): Dropout(p=0.25, inplace=False)
	//   (dropout2): Dropout(p=0.5, inplace=False)
	//   (fc1): Linear(in_features=9216, out_features=128, bias=True)
	//   (fc2): Linear(in_features=128, out_features=10, bias=True)
	// )
	// conv1: 320
	// conv2: 18496
	// fc1: 1179776
	// fc2: 1290
	// total: 1199882
	// torch.Size([64, 10])
	// same weights as models.NewMNISTCNN: true
	// same output: true
}

// firstN is the first n samples of a dataset, so that the Example's test
// pass is short.
type firstN struct {
	data.Dataset
	n int
}

func (f firstN) Len() int { return f.n }

// main.py's main() after parsing its flags: the data, Net, Adadelta with
// lr 1.0, StepLR with gamma 0.7 and the epoch loop, in a dry run (one batch
// per epoch, as --dry-run) on the real MNIST (datasets.CacheDir(), which
// go run ./cmd/getdata fills), testing on the first 100 test images. The
// losses and accuracies that train and test print are left out here: their
// last digits may differ between libtorch builds (cmd/mnist-cnn's
// TestDryRunMatchesPyTorch compares them with main.py's on one machine).
func Example_mnistMain() {
	args := mainArgs{BatchSize: 64, TestBatchSize: 1000, Epochs: 3, LR: 1.0, Gamma: 0.7, Seed: 1, LogInterval: 10, DryRun: true}
	device, out := torch.CPU, new(strings.Builder)
	torch.ManualSeed(args.Seed) // torch.manual_seed(args.seed)

	useCUDA := device.IsCUDA()
	trainOpts := data.Options{BatchSize: args.BatchSize}
	testOpts := data.Options{BatchSize: args.TestBatchSize}
	if useCUDA {
		trainOpts.NumWorkers, trainOpts.PinMemory, trainOpts.Shuffle = 1, true, true
		testOpts.NumWorkers, testOpts.PinMemory, testOpts.Shuffle = 1, true, true
	}
	transform := transforms.Compose(
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.1307}, []float64{0.3081}),
	)
	dataset1, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	dataset2, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: false, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	trainLoader := data.NewLoader(dataset1, trainOpts)
	testLoader := data.NewLoader(dataset2, testOpts)
	testLoader = data.NewLoader(firstN{dataset2, 100}, testOpts) // here only: 100 test images keep the Example short

	model := NewNet() // model = Net().to(device)
	if err := nn.To(model, device); err != nil {
		fmt.Println(err)
		return
	}
	optimizer, err := optim.NewAdadelta(nn.Parameters(model), optim.AdadeltaOptions{LR: args.LR})
	if err != nil {
		fmt.Println(err)
		return
	}

	scheduler, err := lrscheduler.NewStepLR(optimizer, 1, lrscheduler.StepLROpts{Gamma: new(args.Gamma)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for epoch := 1; epoch <= args.Epochs; epoch++ {
		if err := train(args, model, device, trainLoader, optimizer, epoch, out); err != nil {
			fmt.Println(err)
			return
		}
		if err := test(model, device, testLoader, out); err != nil {
			fmt.Println(err)
			return
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if before, _, ok := strings.Cut(line, "\tLoss:"); ok {
				fmt.Println(before) // Train Epoch: 1 [0/60000 (0%)]
			}
		}
		out.Reset()
		fmt.Printf("epoch %d: lr %.6g\n", epoch, scheduler.LastLR()[0])
		scheduler.Step()
	}
	// Output:
	// Train Epoch: 1 [0/60000 (0%)]
	// epoch 1: lr 1
	// Train Epoch: 2 [0/60000 (0%)]
	// epoch 2: lr 0.7
	// Train Epoch: 3 [0/60000 (0%)]
	// epoch 3: lr 0.49
}

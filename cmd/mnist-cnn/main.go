// Command mnist-cnn is pytorch/examples' MNIST example (mnist/main.py)
// ported line by line: the convolutional Net (models.MNISTCNN), Adadelta
// with lr 1.0, StepLR with gamma 0.7 after each epoch, nll_loss, and the
// same flags, defaults and printed lines as the Python script.
//
//	go run ./cmd/mnist-cnn                        # 14 epochs, as main.py
//	go run ./cmd/mnist-cnn --epochs 1 --save-model   # writes mnist_cnn.pt (or --save-model=FILE)
//	go run ./cmd/mnist-cnn --dry-run              # one batch per epoch
//
// As in main.py, the training set is shuffled only on CUDA (main.py passes
// shuffle=True only with its cuda_kwargs). MNIST is read from --data
// (default $GOTORCH_DATA or ~/.cache/gotorch/data; fetch it once with
// go run ./cmd/getdata). Exit status: 0 on success, 1 on a runtime failure,
// 2 on bad usage, 130 after Ctrl-C (which stops after the current batch; a
// second Ctrl-C exits at once).
package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/internal/dataroot"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/torch/optim/lrscheduler"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// args are main.py's arguments, with the same names and defaults; --device
// replaces --no-cuda/--no-mps, --data is the dataset root ('../data' there).
type args struct {
	BatchSize     int
	TestBatchSize int
	Epochs        int
	LR            float64
	Gamma         float64
	Device        string
	DryRun        bool
	Seed          uint64
	LogInterval   int
	SaveModel     string
	Data          string
	Threads       int
}

func parse(argv []string, stderr io.Writer) (*args, error) {
	a := &args{}
	fs := flag.NewFlagSet("mnist-cnn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&a.BatchSize, "batch-size", 64, "input batch size for training")
	fs.IntVar(&a.TestBatchSize, "test-batch-size", 1000, "input batch size for testing")
	fs.IntVar(&a.Epochs, "epochs", 14, "number of epochs to train")
	fs.Float64Var(&a.LR, "lr", 1.0, "learning rate")
	fs.Float64Var(&a.Gamma, "gamma", 0.7, "learning rate step gamma")
	fs.StringVar(&a.Device, "device", "cpu", "cpu, cuda or cuda:N")
	fs.BoolVar(&a.DryRun, "dry-run", false, "quickly check a single pass")
	fs.Uint64Var(&a.Seed, "seed", 1, "random seed")
	fs.IntVar(&a.LogInterval, "log-interval", 10, "how many batches to wait before logging training status")
	fs.StringVar(&a.SaveModel, "save-model", "", "save the model's state_dict: alone to mnist_cnn.pt as main.py, or --save-model=`FILE`")
	fs.Lookup("save-model").NoOptDefVal = "mnist_cnn.pt"
	fs.StringVar(&a.Data, "data", dataroot.Dir(), "dataset root (torchvision layout: DATA/MNIST/raw)")
	fs.IntVar(&a.Threads, "threads", 0, "libtorch intra-op threads (0: libtorch's default)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: mnist-cnn [flags]\n\npytorch/examples' MNIST CNN, ported.\n\n")
		fs.PrintDefaults()
	}
	if err := cli.ParseFlags(fs, argv); err != nil {
		return nil, err
	}
	switch {
	case a.BatchSize <= 0 || a.TestBatchSize <= 0:
		return nil, cli.Usagef("--batch-size and --test-batch-size must be positive, got %d and %d", a.BatchSize, a.TestBatchSize)
	case a.Epochs < 1:
		return nil, cli.Usagef("--epochs must be at least 1, got %d", a.Epochs)
	case !(a.LR > 0):
		return nil, cli.Usagef("--lr must be positive, got %v", a.LR)
	case !(a.Gamma > 0):
		return nil, cli.Usagef("--gamma must be positive, got %v", a.Gamma)
	case a.LogInterval < 1:
		return nil, cli.Usagef("--log-interval must be at least 1, got %d", a.LogInterval)
	case a.Threads < 0:
		return nil, cli.Usagef("--threads must not be negative, got %d", a.Threads)
	}
	return a, nil
}

func main() { cli.Main(run) }

func run(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
	return cli.Run("mnist-cnn", stderr, func() error {
		a, err := parse(argv, stderr)
		if err != nil {
			return err
		}
		return mainPy(ctx, a, stdout)
	})
}

// train is main.py's train(args, model, device, train_loader, optimizer,
// epoch).
func train(ctx context.Context, a *args, model *models.MNISTCNN, device torch.Device, loader *data.Loader, optimizer optim.Optimizer, epoch int, out io.Writer) error {
	nn.Train(model)
	n := loader.Dataset().Len()
	batchIdx := 0
	for images, target := range loader.All() {
		x, y := images.To(device), target.To(device)
		optimizer.ZeroGrad()
		output := model.Forward(x)
		loss := F.NllLoss(output, y)
		loss.Backward()
		optimizer.Step()
		if batchIdx%a.LogInterval == 0 {
			fmt.Fprintf(out, "Train Epoch: %d [%d/%d (%.0f%%)]\tLoss: %.6f\n",
				epoch, batchIdx*int(images.Size(0)), n, 100*float64(batchIdx)/float64(loader.Len()), loss.Item())
		}
		torch.FreeAll(images, target, x, y, output, loss)
		batchIdx++
		if ctx.Err() != nil {
			return cli.ErrInterrupted
		}
		if a.DryRun && (batchIdx-1)%a.LogInterval == 0 {
			break
		}
	}
	return loader.Err()
}

// test is main.py's test(model, device, test_loader): it returns the
// accuracy, which main.py only prints.
func test(model *models.MNISTCNN, device torch.Device, loader *data.Loader, out io.Writer) (float64, error) {
	nn.Eval(model)
	var testLoss float64
	var correct int64
	n := loader.Dataset().Len()
	torch.NoGrad(func() {
		for images, target := range loader.All() {
			x, y := images.To(device), target.To(device)
			output := model.Forward(x)
			l := F.NllLoss(output, y, F.NllLossOpts{Reduction: new(torch.ReductionSum)})
			testLoss += l.Item()
			pred := output.Argmax(torch.ArgmaxOpts{Dim: new(int64(1)), KeepDim: true})
			c := pred.Eq(y.ViewAs(pred)).Sum()
			correct += c.ItemInt()
			torch.FreeAll(images, target, x, y, output, l, pred, c)
		}
	})
	if err := loader.Err(); err != nil {
		return 0, err
	}
	testLoss /= float64(n)
	acc := float64(correct) / float64(n)
	fmt.Fprintf(out, "\nTest set: Average loss: %.4f, Accuracy: %d/%d (%.0f%%)\n\n", testLoss, correct, n, 100*acc)
	return acc, nil
}

// mainPy is main.py's main() after argument parsing.
func mainPy(ctx context.Context, a *args, out io.Writer) error {
	device, err := cli.PickDevice(a.Device)
	if err != nil {
		return err
	}
	if a.SaveModel != "" {
		// Refuse an unwritable --save-model now, not after the training.
		if err := cli.CheckWritable("--save-model", a.SaveModel); err != nil {
			return err
		}
	}
	if a.Threads > 0 {
		torch.SetNumThreads(a.Threads)
	}
	// A training loop on one OS thread keeps libtorch's OpenMP team warm.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	torch.ManualSeed(a.Seed)

	cuda := device.IsCUDA()
	trainOpts := data.Options{BatchSize: a.BatchSize, Shuffle: cuda, PinMemory: cuda}
	testOpts := data.Options{BatchSize: a.TestBatchSize, Shuffle: cuda, PinMemory: cuda}
	transform := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
	dataset1, err := datasets.NewMNIST(a.Data, datasets.Options{Train: true, Transform: transform})
	if err != nil {
		return err
	}
	dataset2, err := datasets.NewMNIST(a.Data, datasets.Options{Train: false, Transform: transform})
	if err != nil {
		return err
	}
	trainLoader := data.NewLoader(dataset1, trainOpts)
	testLoader := data.NewLoader(dataset2, testOpts)

	model := models.NewMNISTCNN()
	if err := nn.To(model, device); err != nil {
		return err
	}
	optimizer, err := optim.NewAdadelta(nn.Parameters(model), optim.AdadeltaOptions{LR: a.LR})
	if err != nil {
		return err
	}
	scheduler, err := lrscheduler.NewStepLR(optimizer, 1, lrscheduler.StepLROpts{Gamma: new(a.Gamma)})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "gotorch on libtorch %s, device %s, %d threads\n", torch.Version(), device, torch.GetNumThreads())
	for epoch := 1; epoch <= a.Epochs; epoch++ {
		start := time.Now()
		if err := train(ctx, a, model, device, trainLoader, optimizer, epoch, out); err != nil {
			return err
		}
		trainTime := time.Since(start)
		acc, err := test(model, device, testLoader, out)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "epoch %d: train %.1fs, test accuracy %.2f%%, lr %.6g\n", epoch, trainTime.Seconds(), 100*acc, scheduler.LastLR()[0])
		scheduler.Step()
	}
	if a.SaveModel != "" {
		if err := nn.Save(model, a.SaveModel); err != nil {
			return err
		}
		fmt.Fprintf(out, "saved the state_dict to %s\n", a.SaveModel)
	}
	return nil
}

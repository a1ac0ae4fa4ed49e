// Command cifar10 trains the tutorial's CIFAR10Model (Flatten,
// Linear(3072,128), ReLU, Linear(128,10)) on CIFAR-10 and walks through the
// tutorial's colour-image part as it goes: a sample's shape
// (torch.Size([3, 32, 32]), channels first) and class, the model and its
// parameter counts, the bytes of an image as uint8 and float32, where the
// memory of training goes, then training with progress, a test evaluation
// each epoch and the accuracy of each class at the end.
//
//	go run ./cmd/cifar10                    # downloads CIFAR-10 into ./data, 5 epochs
//	go run ./cmd/cifar10 --epochs 1 --samples samples.png --save cifar10.pt
//
// Without network, put cifar-10-python.tar.gz (or its extracted
// cifar-10-batches-py/ folder) into the --data folder.
//
// Exit status: 0 on success, 1 on a runtime failure, 2 on bad usage, 130
// when Ctrl-C stopped it after the current batch (saving when --save is
// given).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/internal/gpumon"
	"github.com/seed0eaa3131/gotorch/internal/trainer"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	data          string
	batchSize     int
	testBatchSize int
	epochs        int
	lr            float64
	optimizer     string
	momentum      float64
	device        string
	numWorkers    int
	seed          uint64
	save          string
	samples       string
	plot          string
	quiet         bool
	monitor       bool
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("cifar10", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.data, "data", "./data", "dataset root (torchvision layout: DATA/cifar-10-batches-py)")
	fs.IntVar(&c.batchSize, "batch-size", 64, "training batch size")
	fs.IntVar(&c.testBatchSize, "test-batch-size", 1000, "test batch size")
	fs.IntVar(&c.epochs, "epochs", 5, "number of epochs")
	fs.Float64Var(&c.lr, "lr", 0, "learning rate (default 0.001 for adam, 0.01 for sgd)")
	fs.StringVar(&c.optimizer, "optimizer", "adam", "optimizer: adam or sgd")
	fs.Float64Var(&c.momentum, "momentum", 0, "SGD momentum")
	fs.StringVar(&c.device, "device", "auto", "device: auto, cpu, cuda or cuda:N")
	fs.IntVar(&c.numWorkers, "num-workers", 2, "loader worker goroutines (0 builds batches in the training loop)")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed (torch.manual_seed)")
	fs.StringVar(&c.save, "save", "", "write the trained state_dict to FILE (torch.load reads it)")
	fs.StringVar(&c.samples, "samples", "", "write a PNG grid of training images with their class names to FILE")
	fs.StringVar(&c.plot, "plot", "", "write a PNG of loss and accuracy per epoch to FILE")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print only the summary")
	fs.BoolVar(&c.monitor, "monitor", false, "show GPU memory and utilisation (NVML) each epoch")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: cifar10 [flags]\n\nTrains the tutorial's CIFAR10Model on CIFAR-10.\n\n")
		fs.PrintDefaults()
	}
	if err := cli.ParseFlags(fs, args); err != nil {
		return nil, err
	}
	switch {
	case c.batchSize < 1:
		return nil, cli.Usagef("--batch-size must be at least 1, got %d", c.batchSize)
	case c.testBatchSize < 1:
		return nil, cli.Usagef("--test-batch-size must be at least 1, got %d", c.testBatchSize)
	case c.epochs < 1:
		return nil, cli.Usagef("--epochs must be at least 1, got %d", c.epochs)
	case c.lr < 0:
		return nil, cli.Usagef("--lr must not be negative, got %g", c.lr)
	case c.momentum < 0:
		return nil, cli.Usagef("--momentum must not be negative, got %g", c.momentum)
	case c.numWorkers < 0:
		return nil, cli.Usagef("--num-workers must not be negative, got %d", c.numWorkers)
	case c.optimizer != "adam" && c.optimizer != "sgd":
		return nil, cli.Usagef("--optimizer must be adam or sgd, got %q", c.optimizer)
	}
	if c.lr == 0 {
		c.lr = map[string]float64{"adam": 1e-3, "sgd": 1e-2}[c.optimizer]
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Run("cifar10", stderr, func() error {
		c, err := parseFlags(args, stderr)
		if err != nil {
			return err
		}
		return train(ctx, c, stdout)
	})
}

// The tutorial's CIFAR-10 normalisation: Normalize((0.5, 0.5, 0.5), (0.5,
// 0.5, 0.5)) maps [0, 1] to [-1, 1]; imshow undoes it with img / 2 + 0.5.
var (
	mean = []float64{0.5, 0.5, 0.5}
	std  = []float64{0.5, 0.5, 0.5}
)

func train(ctx context.Context, c *config, stdout io.Writer) error {
	device, err := cli.PickDevice(c.device)
	if err != nil {
		return err
	}
	say := func(format string, a ...any) {
		if !c.quiet {
			fmt.Fprintf(stdout, format, a...)
		}
	}
	torch.ManualSeed(c.seed)
	say("gotorch on libtorch %s, device %s, %d threads, %d loader workers\n\n",
		torch.Version(), device, torch.GetNumThreads(), c.numWorkers)

	// transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
	transform := transforms.Compose(transforms.ToTensor(), transforms.Normalize(mean, std))
	if c.quiet {
		datasets.Log = io.Discard
	} else {
		datasets.Log = stdout
	}
	trainSet, err := datasets.NewCIFAR10(c.data, datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	testSet, err := datasets.NewCIFAR10(c.data, datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	classes := trainSet.Classes()
	say("CIFAR-10: %d training and %d test images in %s\n", trainSet.Len(), testSet.Len(), trainSet.Folder())
	say("classes: %s\n", strings.Join(classes, ", "))

	// sample_image, sample_label = trainset[0]
	image, label := trainSet.Get(0)
	say("sample 0: image shape %v (channels, height, width), label %d (%s)\n", image.Shape(), label, className(classes, label))
	ch, h, w := trainSet.Shape()
	raw := torch.FromBytes(trainSet.Data()[:ch*h*w], torch.Uint8, int64(ch), int64(h), int64(w))
	say("one image: %d bytes as uint8, %d bytes as float32 after ToTensor\n\n", raw.Nbytes(), image.Nbytes())
	raw.Free()
	image.Free()

	if c.samples != "" {
		if err := saveSamples(trainSet, c.samples); err != nil {
			return err
		}
		say("wrote training samples with their classes to %s\n\n", c.samples)
	}

	model := models.NewCIFAR10Model(models.CIFAR10InputSize, models.CIFAR10HiddenSize, models.CIFAR10NumClasses)
	if err := nn.To(model, device); err != nil {
		return err
	}
	say("%s\n", nn.Describe(model))
	for _, pc := range nn.ParameterCounts(model) {
		say("  %-8s %9s parameters\n", pc.Layer, cli.Commas(pc.Count))
	}
	say("  %-8s %9s parameters\n\n", "total", cli.Commas(nn.NumParameters(model)))

	var opt optim.Optimizer
	switch c.optimizer {
	case "adam":
		opt, err = optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: c.lr})
	default:
		opt, err = optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: c.lr, Momentum: c.momentum})
	}
	if err != nil {
		return err
	}

	trainLoader := data.NewLoader(trainSet, data.Options{BatchSize: c.batchSize, Shuffle: true, NumWorkers: c.numWorkers,
		PinMemory: device.IsCUDA()})
	testLoader := data.NewLoader(testSet, data.Options{BatchSize: c.testBatchSize, NumWorkers: c.numWorkers,
		PinMemory: device.IsCUDA()})

	var monitor *gpumon.Monitor
	if c.monitor {
		if m, err := gpumon.Open(); err == nil {
			monitor = m
			defer m.Close()
		} else {
			say("monitor: %v\n", err)
		}
	}

	loop := &trainer.Loop{Model: model, Optimizer: opt, Loss: nn.NewCrossEntropyLoss(), Device: device,
		Out: stdout, Quiet: c.quiet}
	loop.AfterStep = func(step int) {
		if step != 1 {
			return
		}
		m := nn.MemoryReport(model, opt)
		say("memory after the first step (measured from the live tensors):\n")
		say("  parameters      %9s bytes\n", cli.Commas(m.Parameters))
		say("  gradients       %9s bytes\n", cli.Commas(m.Gradients))
		say("  optimizer state %9s bytes (%s)\n", cli.Commas(m.OptimizerState), c.optimizer)
		say("  total           %9s bytes = %.1fx the parameters\n\n", cli.Commas(m.Total()),
			float64(m.Total())/float64(m.Parameters))
	}

	var history []trainer.Epoch
	start := time.Now()
	interrupted := false
	for epoch := 1; epoch <= c.epochs && !interrupted; epoch++ {
		res, err := loop.TrainEpoch(ctx, epoch, trainLoader)
		if err != nil {
			return err
		}
		interrupted = res.Interrupted
		t0 := time.Now()
		res.TestLoss, res.TestAcc, err = loop.Evaluate(testLoader)
		if err != nil {
			return err
		}
		res.TestTime = time.Since(t0)
		history = append(history, res)
		note := ""
		if interrupted {
			note = " (interrupted)"
		}
		say("epoch %d%s: train loss %.4f, train acc %.2f%%, test loss %.4f, test acc %.2f%% (%d/%d), %.1fs train + %.1fs test, %.0f samples/s\n",
			epoch, note, res.TrainLoss, 100*res.TrainAcc, res.TestLoss, 100*res.TestAcc,
			int(res.TestAcc*float64(testSet.Len())+0.5), testSet.Len(), res.TrainTime.Seconds(), res.TestTime.Seconds(),
			float64(res.Samples)/res.TrainTime.Seconds())
		if monitor != nil {
			if devs, err := monitor.Devices(); err == nil {
				say("  %s\n", gpumon.Line(devs))
			}
		}
	}

	if !c.quiet {
		perClass, err := classAccuracy(model, testLoader, device, len(classes))
		if err != nil {
			return err
		}
		say("\naccuracy of each class on the test set:\n")
		for k, a := range perClass {
			if a.total == 0 {
				say("  %-10s no test images\n", classes[k])
				continue
			}
			say("  %-10s %6.2f%% (%d/%d)\n", classes[k], 100*float64(a.correct)/float64(a.total), a.correct, a.total)
		}
	}

	last := history[len(history)-1]
	fmt.Fprintf(stdout, "\nsummary: %d epoch(s) in %.1fs on %s, test accuracy %.2f%%, test loss %.4f\n",
		len(history), time.Since(start).Seconds(), device, 100*last.TestAcc, last.TestLoss)
	cli.PrintMemory(stdout, device)

	if c.save != "" {
		if err := nn.Save(model, c.save); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "saved the state_dict to %s (Python: model.load_state_dict(torch.load(%q)))\n", c.save, c.save)
	}
	if c.plot != "" {
		if err := trainer.PlotHistory(history, "CIFAR10Model", c.plot); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote loss and accuracy curves to %s\n", c.plot)
	}
	if interrupted {
		return cli.ErrInterrupted
	}
	return nil
}

// className is classes[label], or the number where the metadata has no
// name for it.
func className(classes []string, label int64) string {
	if label >= 0 && int(label) < len(classes) {
		return classes[label]
	}
	return fmt.Sprint(label)
}

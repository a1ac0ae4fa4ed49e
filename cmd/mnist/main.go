// Command mnist trains the tutorial's MNISTModel (Flatten, Linear(784,128),
// ReLU, Linear(128,10)) on real MNIST and walks through the tutorial as it
// goes: a sample's shape and label, the model and its parameter counts, the
// bytes of an image as uint8 and float32, where the memory of training goes,
// then training with progress and a test evaluation each epoch.
//
//	go run ./cmd/mnist                      # downloads MNIST into ./data, 3 epochs
//	go run ./cmd/mnist --epochs 1 --device cuda --save mnist.pt --plot curves.png
//
// Exit status: 0 on success, 1 on a runtime failure, 2 on bad usage, 130
// after Ctrl-C, which stops after the current batch, evaluates, and saves
// when --save is given.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/internal/trainer"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func parseFlags(args []string, stderr io.Writer) (*trainer.Flags, error) {
	f := &trainer.Flags{}
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.Register(fs, "dataset root (torchvision layout: DATA/MNIST/raw)",
		"write a PNG grid of training images with their labels to FILE", 3)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: mnist [flags]\n\nTrains the tutorial's MNISTModel on MNIST.\n\n")
		fs.PrintDefaults()
	}
	if err := cli.ParseFlags(fs, args); err != nil {
		return nil, err
	}
	return f, f.Check()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Run("mnist", stderr, func() error {
		c, err := parseFlags(args, stderr)
		if err != nil {
			return err
		}
		return train(ctx, c, stdout)
	})
}

func train(ctx context.Context, f *trainer.Flags, stdout io.Writer) error {
	device, err := cli.PickDevice(f.Device)
	if err != nil {
		return err
	}
	s := &trainer.Session{Flags: f, Device: device, Out: stdout}
	torch.ManualSeed(f.Seed)
	s.Say("gotorch on libtorch %s, device %s, %d threads, %d loader workers\n\n",
		torch.Version(), device, torch.GetNumThreads(), f.NumWorkers)

	// transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
	transform := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
	datasets.Log = stdout
	if f.Quiet {
		datasets.Log = io.Discard
	}
	trainSet, err := datasets.NewMNIST(f.Data, datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	testSet, err := datasets.NewMNIST(f.Data, datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	s.Say("MNIST: %d training and %d test images in %s\n", trainSet.Len(), testSet.Len(), trainSet.RawFolder())

	// sample_idx = torch.randint(0, len(train_dataset), size=(1,)).item()
	sampleIdx := torch.RandInt(0, int64(trainSet.Len()), []int64{1}).Item()
	image, label := trainSet.Get(int(sampleIdx))
	s.Say("sample %d: image shape %v, label %d\n", int(sampleIdx), image.Shape(), label)
	raw := torch.FromBytes(trainSet.Data()[:784], torch.Uint8, 1, 28, 28)
	s.Say("one image: %d bytes as uint8, %d bytes as float32 after ToTensor\n\n", raw.Nbytes(), image.Nbytes())
	raw.Free()
	image.Free()

	if f.Samples != "" {
		if err := saveSamples(trainSet, f.Samples); err != nil {
			return err
		}
		s.Say("wrote training samples to %s\n\n", f.Samples)
	}

	model := models.NewMNISTModel()
	if err := nn.To(model, device); err != nil {
		return err
	}
	s.ShowModel(model)
	opt, err := s.NewOptimizer(model)
	if err != nil {
		return err
	}
	trainLoader, testLoader := s.Loaders(trainSet, testSet)
	start := time.Now()
	history, interrupted, err := s.Train(ctx, model, opt, trainLoader, testLoader)
	if err != nil {
		return err
	}
	return s.Finish(model, "MNISTModel", history, start, interrupted)
}

// Command cifar10 trains the tutorial's CIFAR10Model (Flatten,
// Linear(3072,128), ReLU, Linear(128,10)) on CIFAR-10 and walks through the
// tutorial's colour-image part as it goes: a sample's shape
// (torch.Size([3, 32, 32]), channels first) and class, the model and its
// parameter counts, the bytes of an image as uint8 and float32, where the
// memory of training goes, then training with progress, a test evaluation
// each epoch and the accuracy of each class at the end.
//
// With --model cnn it trains instead the convolutional Net of PyTorch's own
// CIFAR-10 tutorial ("Training a classifier"), models.CIFAR10CNN, with that
// tutorial's settings unless the command line gives them: SGD with lr 0.001
// and momentum 0.9, batches of 4, 2 epochs.
//
//	go run ./cmd/cifar10                    # downloads CIFAR-10 into ./data, 5 epochs
//	go run ./cmd/cifar10 --epochs 1 --samples samples.png --save cifar10.pt
//	go run ./cmd/cifar10 --model cnn --save cifar_net.pth
//
// Without network, put cifar-10-python.tar.gz (or its extracted
// cifar-10-batches-py/ folder) into the --data folder.
//
// Exit status: 0 on success, 1 on a runtime failure, 2 on bad usage (an
// unwritable --save or --plot included, refused before training), 130 when
// Ctrl-C stopped it after the current batch (saving to FILE.interrupted
// when --save FILE is given, never over FILE); a second Ctrl-C exits at
// once.
package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/internal/trainer"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

var program = trainer.Program{
	Name:        "cifar10",
	Summary:     "Trains the tutorial's CIFAR10Model, or PyTorch's CIFAR-10 tutorial's CNN (--model cnn), on CIFAR-10.",
	DataHelp:    "dataset root (torchvision layout: DATA/cifar-10-batches-py)",
	SamplesHelp: "write a PNG grid of training images with their class names to FILE",
	Epochs:      5,
	Flags: func(fs *flag.FlagSet) {
		fs.String("model", "mlp", "model: mlp (the tutorial's CIFAR10Model) or cnn (PyTorch's CIFAR-10 tutorial's Net;\n"+
			"its defaults: --optimizer sgd --lr 0.001 --momentum 0.9 --batch-size 4 --epochs 2)")
	},
	Defaults: modelDefaults,
	Train:    train,
}

// modelDefaults checks --model and, for cnn, puts in the settings of
// PyTorch's CIFAR-10 tutorial where the command line gives none:
//
//	optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
//	trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=2)
//	for epoch in range(2):
//
// lr and momentum are SGD's: with --optimizer adam the defaults are Adam's.
func modelDefaults(f *trainer.Flags) error {
	switch m := f.Value("model"); m {
	case "mlp":
		return nil
	case "cnn":
	default:
		return cli.Usagef("--model must be mlp or cnn, got %q", m)
	}
	if !f.Changed("optimizer") {
		f.Optimizer = "sgd"
	}
	if f.Optimizer == "sgd" {
		if !f.Changed("lr") {
			f.LR = 0.001
		}
		if !f.Changed("momentum") {
			f.Momentum = 0.9
		}
	}
	if !f.Changed("batch-size") {
		f.BatchSize = 4
	}
	if !f.Changed("epochs") {
		f.Epochs = 2
	}
	return nil
}

func main() { program.Main() }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return program.Run(ctx, args, stdout, stderr)
}

// The tutorial's CIFAR-10 normalisation: Normalize((0.5, 0.5, 0.5), (0.5,
// 0.5, 0.5)) maps [0, 1] to [-1, 1]; imshow undoes it with img / 2 + 0.5.
var (
	mean = []float64{0.5, 0.5, 0.5}
	std  = []float64{0.5, 0.5, 0.5}
)

func train(ctx context.Context, sess *trainer.Session) error {
	say := sess.Say
	// transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
	transform := transforms.Compose(transforms.ToTensor(), transforms.Normalize(mean, std))
	datasets.Log = sess.Log()
	trainSet, err := datasets.NewCIFAR10(sess.Data, datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	testSet, err := datasets.NewCIFAR10(sess.Data, datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	if err := trainer.CheckImages(trainSet.Folder(), 3, 32, 32, trainSet, testSet); err != nil {
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

	if sess.Samples != "" {
		if err := saveSamples(trainSet, sess.Samples); err != nil {
			return err
		}
		say("wrote training samples with their classes to %s\n\n", sess.Samples)
	}

	var model trainer.Model
	title := "CIFAR10Model"
	if sess.Value("model") == "cnn" {
		// net = Net()
		model, title = models.NewCIFAR10CNN(), "CIFAR10CNN"
	} else {
		model = models.NewCIFAR10Model(models.CIFAR10InputSize, models.CIFAR10HiddenSize, models.CIFAR10NumClasses)
	}
	momentum := ""
	if sess.Optimizer == "sgd" {
		momentum = fmt.Sprintf(", momentum %g", sess.Momentum)
	}
	say("training %s: %s with lr %g%s, batch size %d, %d epoch(s)\n\n", title, sess.Optimizer, sess.LR, momentum,
		sess.BatchSize, sess.Epochs)
	return sess.Fit(ctx, model, title, trainSet, testSet, func(test *data.Loader) error {
		if sess.Quiet {
			return nil
		}
		perClass, err := classAccuracy(model, test, sess.Device, len(classes))
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
		return nil
	})
}

// className is classes[label], or the number where the metadata has no
// name for it.
func className(classes []string, label int64) string {
	if label >= 0 && int(label) < len(classes) {
		return classes[label]
	}
	return fmt.Sprint(label)
}

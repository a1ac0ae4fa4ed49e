// Command mnist trains the tutorial's MNISTModel (Flatten, Linear(784,128),
// ReLU, Linear(128,10)) on real MNIST and walks through the tutorial as it
// goes: a sample's shape and label, the model and its parameter counts, the
// bytes of an image as uint8 and float32, where the memory of training goes,
// then training with progress and a test evaluation each epoch.
//
//	go run ./cmd/mnist                      # downloads MNIST into ./data, 3 epochs
//	go run ./cmd/mnist --epochs 1 --device cuda --save mnist.pt --plot curves.png
//
// Exit status: 0 on success, 1 on a runtime failure, 2 on bad usage (an
// unwritable --save or --plot included, refused before training), 130
// after Ctrl-C, which stops after the current batch, evaluates, and saves
// to FILE.interrupted when --save FILE is given (never over FILE, which may
// hold a good checkpoint); a second Ctrl-C exits at once.
package main

import (
	"context"
	"io"

	"github.com/seed0eaa3131/gotorch/internal/trainer"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

var program = trainer.Program{
	Name:        "mnist",
	Summary:     "Trains the tutorial's MNISTModel on MNIST.",
	DataHelp:    "dataset root (torchvision layout: DATA/MNIST/raw)",
	SamplesHelp: "write a PNG grid of training images with their labels to FILE",
	Epochs:      3,
	Train:       train,
}

func main() { program.Main() }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return program.Run(ctx, args, stdout, stderr)
}

func train(ctx context.Context, s *trainer.Session) error {
	// transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
	transform := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
	datasets.Log = s.Log()
	trainSet, err := datasets.NewMNIST(s.Data, datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	testSet, err := datasets.NewMNIST(s.Data, datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	if err := trainer.CheckImages(trainSet.RawFolder(), 1, 28, 28, trainSet, testSet); err != nil {
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

	if s.Samples != "" {
		if err := saveSamples(trainSet, s.Samples); err != nil {
			return err
		}
		s.Say("wrote training samples to %s\n\n", s.Samples)
	}

	return s.Fit(ctx, models.NewMNISTModel(), "MNISTModel", trainSet, testSet, nil)
}

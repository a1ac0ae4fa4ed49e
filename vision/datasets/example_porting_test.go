package datasets_test

// Examples for docs/porting.md.

import (
	"fmt"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// The tutorial's storage arithmetic on a real MNIST image: without a
// transform a sample is the raw uint8 pixels, 28×28×1 = 784 bytes; after
// ToTensor it is float32, 28×28×4 = 3,136 bytes.
func ExampleMNIST_Get() {
	raw, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: true, Download: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	tensors, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: true, Download: true, Transform: transforms.ToTensor()})
	if err != nil {
		fmt.Println(err)
		return
	}
	pixels, label := raw.Get(0)
	image, _ := tensors.Get(0)
	fmt.Println("label:", label)
	fmt.Println(pixels.DType(), pixels.Shape(), pixels.Nbytes(), "B")
	fmt.Println(image.DType(), image.Shape(), image.Nbytes(), "B")
	fmt.Printf("max: %d -> %.1f\n", pixels.Max().ItemInt(), image.Max().Item())
	// Output:
	// label: 5
	// torch.uint8 torch.Size([1, 28, 28]) 784 B
	// torch.float32 torch.Size([1, 28, 28]) 3136 B
	// max: 255 -> 1.0
}

// The tutorial's DataLoader configuration: batches of 64, shuffled, for
// training, and of 1000 in order for testing, each with 4 workers
// (goroutines, not processes). len(loader) is the number of batches.
func ExampleMNIST_dataLoader() {
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
	torch.ManualSeed(0) // the shuffle order, as torch.manual_seed fixes DataLoader's
	// train_loader = DataLoader(dataset=train_dataset, batch_size=64, shuffle=True, num_workers=4)
	trainLoader := data.NewLoader(trainDataset, data.Options{BatchSize: 64, Shuffle: true, NumWorkers: 4})
	// test_loader = DataLoader(dataset=test_dataset, batch_size=1000, shuffle=False, num_workers=4)
	testLoader := data.NewLoader(testDataset, data.Options{BatchSize: 1000, Shuffle: false, NumWorkers: 4})
	fmt.Println("len(train_loader):", trainLoader.Len())
	fmt.Println("len(test_loader):", testLoader.Len())

	for images, labels := range trainLoader.All() {
		fmt.Println(images.Shape(), images.DType(), labels.Shape(), labels.DType())
		break // one batch is enough here
	}
	seen := 0
	for images := range testLoader.All() {
		seen += int(images.Size(0))
	}
	// A failure while loading (a worker's error) ends the loop early; Err
	// says why, as the exception would in Python.
	if err := testLoader.Err(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("test images:", seen)
	// Output:
	// len(train_loader): 938
	// len(test_loader): 10
	// torch.Size([64, 1, 28, 28]) torch.float32 torch.Size([64]) torch.int64
	// test images: 10000
}

// Calls that touch files or the network return an error instead of
// raising: it names the file and says what to do.
func ExampleNewCIFAR10_missing() {
	_, err := datasets.NewCIFAR10("testdata/nowhere", datasets.Options{Train: true})
	fmt.Println(err)
	// Output:
	// CIFAR10: neither testdata/nowhere/cifar-10-batches-py nor testdata/nowhere/cifar-10-batches-bin exists: use Options{Download: true}, or download https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz (md5 c58f30108f718f92721af3b95e74349a) and extract it into testdata/nowhere
}

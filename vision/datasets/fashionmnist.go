package datasets

import (
	"fmt"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/torch/data"
)

// FashionMNIST is torchvision.datasets.FashionMNIST: Zalando's 60000
// training or 10000 test images of clothing, 1x28x28 bytes each, in
// MNIST's file format and layout, labels 0..9 naming the classes below.
type FashionMNIST struct {
	*imageSet
	root  string
	train bool
}

var _ data.BatchDataset = (*FashionMNIST)(nil)

// fashionMNISTMirrors is torchvision 0.14's FashionMNIST.mirrors.
var fashionMNISTMirrors = []string{"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"}

// fashionMNISTResources is torchvision's FashionMNIST.resources.
var fashionMNISTResources = []idxResource{
	{"train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"},
	{"train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"},
	{"t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"},
	{"t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"},
}

// fashionMNISTClasses are torchvision's FashionMNIST.classes, in label
// order.
var fashionMNISTClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// fashionMNISTSpec has no Go module fallback: the Go module proxy holds no
// copy of Fashion-MNIST, so without its mirror the files must be put in
// place by hand.
func fashionMNISTSpec() mnistSpec {
	return mnistSpec{class: "FashionMNIST", mirrors: fashionMNISTMirrors, resources: fashionMNISTResources, classes: fashionMNISTClasses}
}

// NewFashionMNIST loads Fashion-MNIST from root as
// torchvision.datasets.FashionMNIST(root, train, transform,
// target_transform, download) does: from
// root/FashionMNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte, each
// decompressed or still gzip-compressed (.gz), read exactly as NewMNIST
// reads MNIST's. With Download, missing files are fetched from
// torchvision's mirror and md5-checked; where it cannot be reached, the
// error names the four files and the folder to put them in.
func NewFashionMNIST(root string, opts Options) (*FashionMNIST, error) {
	set, err := loadIDXSet(fashionMNISTSpec(), root, opts)
	if err != nil {
		return nil, err
	}
	return &FashionMNIST{imageSet: set, root: root, train: opts.Train}, nil
}

// Train reports whether this is the training split.
func (m *FashionMNIST) Train() bool { return m.train }

// RawFolder is where the files are read from: root/FashionMNIST/raw,
// torchvision's FashionMNIST.raw_folder.
func (m *FashionMNIST) RawFolder() string { return filepath.Join(m.root, "FashionMNIST", "raw") }

// String is torchvision's repr header.
func (m *FashionMNIST) String() string {
	split := "Test"
	if m.train {
		split = "Train"
	}
	return fmt.Sprintf("Dataset FashionMNIST\n    Number of datapoints: %d\n    Root location: %s\n    Split: %s", m.Len(), m.root, split)
}

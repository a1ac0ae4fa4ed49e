package datasets

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/torch/data"
)

// MNIST is torchvision.datasets.MNIST: 60000 training or 10000 test
// handwritten digits, 1x28x28 bytes each, labels 0..9.
type MNIST struct {
	*imageSet
	root  string
	train bool
}

var _ data.BatchDataset = (*MNIST)(nil)

// mnistClasses are torchvision's MNIST.classes.
var mnistClasses = []string{"0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
	"5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"}

// mnistFiles are the split's files, without .gz.
func mnistFiles(train bool) (images, labels string) {
	prefix := "t10k"
	if train {
		prefix = "train"
	}
	return prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"
}

// NewMNIST loads MNIST from root as torchvision.datasets.MNIST(root, train,
// transform, target_transform, download) does: from
// root/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte, each either
// as torchvision leaves it (decompressed) or still gzip-compressed (.gz).
// With Download, missing files are fetched first (see the package's
// download notes at downloadMNIST).
func NewMNIST(root string, opts Options) (*MNIST, error) {
	raw := filepath.Join(root, "MNIST", "raw")
	if opts.Download {
		if err := downloadMNIST(raw); err != nil {
			return nil, err
		}
	}
	imgName, lblName := mnistFiles(opts.Train)
	imgBytes, imgPath, err := readRaw(raw, imgName)
	if err != nil {
		return nil, err
	}
	dims, pixels, err := parseIDX(imgPath, imgBytes, idxImagesMagic)
	if err != nil {
		return nil, err
	}
	lblBytes, lblPath, err := readRaw(raw, lblName)
	if err != nil {
		return nil, err
	}
	ldims, labels, err := parseIDX(lblPath, lblBytes, idxLabelsMagic)
	if err != nil {
		return nil, err
	}
	if ldims[0] != dims[0] {
		return nil, fmt.Errorf("%s has %d labels but %s has %d images", lblPath, ldims[0], imgPath, dims[0])
	}
	targets := make([]int64, len(labels))
	for i, l := range labels {
		if int(l) >= len(mnistClasses) {
			return nil, fmt.Errorf("%s: label %d at index %d, want a class 0..%d", lblPath, l, i, len(mnistClasses)-1)
		}
		targets[i] = int64(l)
	}
	set, err := newImageSet("MNIST", 1, dims[1], dims[2], pixels, targets, mnistClasses, opts)
	if err != nil {
		return nil, err
	}
	return &MNIST{imageSet: set, root: root, train: opts.Train}, nil
}

// readRaw reads raw/name, or else raw/name.gz decompressed, returning the
// bytes and the path they came from. When neither exists the error says
// where to put which file.
func readRaw(raw, name string) ([]byte, string, error) {
	path := filepath.Join(raw, name)
	b, err := os.ReadFile(path)
	if err == nil {
		return b, path, nil
	}
	if !notFound(err) {
		return nil, path, err
	}
	gz := path + ".gz"
	b, err = readGzip(gz)
	if err == nil {
		return b, gz, nil
	}
	if !notFound(err) {
		return nil, gz, err
	}
	return nil, path, fmt.Errorf("MNIST: %s not found (nor %s.gz): use Options{Download: true}, or put the files %s (gzip-compressed or not) into %s",
		path, name, mnistFileList(), raw)
}

func mnistFileList() string {
	s := ""
	for i, r := range mnistResources {
		if i > 0 {
			s += ", "
		}
		s += r.name
	}
	return s + " from " + mnistMirrors[len(mnistMirrors)-1]
}

// Train reports whether this is the training split.
func (m *MNIST) Train() bool { return m.train }

// RawFolder is where the files are read from: root/MNIST/raw, torchvision's
// MNIST.raw_folder.
func (m *MNIST) RawFolder() string { return filepath.Join(m.root, "MNIST", "raw") }

// String is torchvision's repr header.
func (m *MNIST) String() string {
	split := "Test"
	if m.train {
		split = "Train"
	}
	return fmt.Sprintf("Dataset MNIST\n    Number of datapoints: %d\n    Root location: %s\n    Split: %s", m.Len(), m.root, split)
}

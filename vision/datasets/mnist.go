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

// idxResource is one entry of torchvision's resources: a file and its md5.
type idxResource struct{ name, md5 string }

// mnistSpec is what MNIST and the datasets torchvision derives from it
// (FashionMNIST) differ in: torchvision's class attributes.
type mnistSpec struct {
	class     string // the class name: the folder under root, and messages
	mirrors   []string
	resources []idxResource
	classes   []string
	// module is a Go module whose data/ folder holds the .gz files, the
	// fallback when no mirror answers; "" when there is none.
	module string
}

// mnistSpecMNIST is MNIST's, read when called (tests swap the download
// settings).
func mnistSpecMNIST() mnistSpec {
	return mnistSpec{class: "MNIST", mirrors: mnistMirrors, resources: mnistResources, classes: mnistClasses, module: goMNISTModule}
}

// NewMNIST loads MNIST from root as torchvision.datasets.MNIST(root, train,
// transform, target_transform, download) does: from
// root/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte, each either
// as torchvision leaves it (decompressed) or still gzip-compressed (.gz).
// With Download, missing files are fetched first (see downloadIDX for
// where from).
func NewMNIST(root string, opts Options) (*MNIST, error) {
	set, err := loadIDXSet(mnistSpecMNIST(), root, opts)
	if err != nil {
		return nil, err
	}
	return &MNIST{imageSet: set, root: root, train: opts.Train}, nil
}

// loadIDXSet reads one split of an MNIST-format dataset from
// root/<class>/raw, downloading it first if asked.
func loadIDXSet(spec mnistSpec, root string, opts Options) (*imageSet, error) {
	raw := filepath.Join(root, spec.class, "raw")
	if opts.Download {
		if err := downloadIDX(spec, raw); err != nil {
			return nil, err
		}
	}
	imgName, lblName := mnistFiles(opts.Train)
	imgBytes, imgPath, err := readRaw(spec, raw, imgName)
	if err != nil {
		return nil, err
	}
	dims, pixels, err := parseIDX(imgPath, imgBytes, idxImagesMagic)
	if err != nil {
		return nil, err
	}
	lblBytes, lblPath, err := readRaw(spec, raw, lblName)
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
		if int(l) >= len(spec.classes) {
			return nil, fmt.Errorf("%s: label %d at index %d, want a class 0..%d", lblPath, l, i, len(spec.classes)-1)
		}
		targets[i] = int64(l)
	}
	return newImageSet(spec.class, 1, dims[1], dims[2], pixels, targets, spec.classes, opts)
}

// readRaw reads raw/name, or else raw/name.gz decompressed, returning the
// bytes and the path they came from. When neither exists the error says
// where to put which file.
func readRaw(spec mnistSpec, raw, name string) ([]byte, string, error) {
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
	return nil, path, fmt.Errorf("%s: %s not found (nor %s.gz): use Options{Download: true}, or put the files %s (gzip-compressed or not) into %s",
		spec.class, path, name, spec.fileList(), raw)
}

// fileList names the files and where torchvision gets them.
func (spec mnistSpec) fileList() string {
	s := ""
	for i, r := range spec.resources {
		if i > 0 {
			s += ", "
		}
		s += r.name
	}
	return s + " from " + spec.mirrors[len(spec.mirrors)-1]
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

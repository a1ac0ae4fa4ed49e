package datasets

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/nlpodyssey/gopickle/types"
	"github.com/seed0eaa3131/gotorch/torch/data"
)

// CIFAR10 is torchvision.datasets.CIFAR10: 50000 training or 10000 test
// colour images, 3x32x32 bytes each, in 10 classes.
type CIFAR10 struct {
	*imageSet
	root   string
	train  bool
	folder string
}

var _ data.BatchDataset = (*CIFAR10)(nil)

// The official archive, as torchvision's CIFAR10.url and tgz_md5.
var (
	cifarURL     = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
	cifarMD5     = "c58f30108f718f92721af3b95e74349a"
	cifarArchive = "cifar-10-python.tar.gz"
)

const (
	cifarPyFolder  = "cifar-10-batches-py"
	cifarBinFolder = "cifar-10-batches-bin"
	cifarRecord    = 3 * 32 * 32
	cifarClasses   = 10
)

// cifarBatches are the split's batch files (the binary version adds .bin).
func cifarBatches(train bool) []string {
	if train {
		return []string{"data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"}
	}
	return []string{"test_batch"}
}

// NewCIFAR10 loads CIFAR-10 from root as torchvision.datasets.CIFAR10(root,
// train, transform, target_transform, download) does, from the pickled
// batches of the Python version in root/cifar-10-batches-py
// (data_batch_1..5, test_batch, batches.meta), or, when that folder is
// absent, from the binary version in root/cifar-10-batches-bin
// (data_batch_1..5.bin, test_batch.bin, batches.meta.txt). With Download,
// when neither folder is complete, the Python version's archive is fetched
// from torchvision's URL into root, md5-checked and extracted.
//
// torchvision also checks each batch file's md5 on every load; here the
// archive's md5 is checked when downloading, and on every load each file's
// structure is (array shape and type, sizes, label count and range), so a
// truncated or foreign file is refused while small files in the same
// formats (tests, subsets) load.
func NewCIFAR10(root string, opts Options) (*CIFAR10, error) {
	py, bin := filepath.Join(root, cifarPyFolder), filepath.Join(root, cifarBinFolder)
	if opts.Download && !cifarComplete(py, "", "batches.meta") && !cifarComplete(bin, ".bin", "batches.meta.txt") {
		if err := downloadCIFAR10(root); err != nil {
			return nil, err
		}
	}
	var (
		pixels  []uint8
		targets []int64
		classes []string
		folder  string
		err     error
	)
	switch {
	case exists(py):
		folder = py
		pixels, targets, classes, err = loadCIFARPython(py, opts.Train)
	case exists(bin):
		folder = bin
		pixels, targets, classes, err = loadCIFARBinary(bin, opts.Train)
	default:
		err = fmt.Errorf("CIFAR10: neither %s nor %s exists: use Options{Download: true}, or download %s (md5 %s) and extract it into %s",
			py, bin, cifarURL, cifarMD5, root)
	}
	if err != nil {
		return nil, err
	}
	set, err := newImageSet("CIFAR10", 3, 32, 32, pixels, targets, classes, opts)
	if err != nil {
		return nil, err
	}
	return &CIFAR10{imageSet: set, root: root, train: opts.Train, folder: folder}, nil
}

func cifarComplete(dir, ext, meta string) bool {
	for _, f := range append(cifarBatches(true), cifarBatches(false)...) {
		if !exists(filepath.Join(dir, f+ext)) {
			return false
		}
	}
	return exists(filepath.Join(dir, meta))
}

// downloadCIFAR10 is torchvision's download_and_extract_archive for the
// Python version; an archive already in root with the right md5 is reused.
func downloadCIFAR10(root string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	archive := filepath.Join(root, cifarArchive)
	if err := checkMD5(archive, cifarMD5); err != nil {
		if !notFound(err) {
			logf("%v; downloading it again", err)
		}
		logf("Downloading %s to %s", cifarURL, archive)
		if err := fetch(cifarURL, archive, cifarMD5); err != nil {
			return fmt.Errorf("CIFAR10: could not download %s: %w\nput %s (md5 %s) into %s, or extract it there (%s/), or put the binary version's %s/ there",
				cifarURL, err, cifarArchive, cifarMD5, root, cifarPyFolder, cifarBinFolder)
		}
	}
	logf("Extracting %s to %s", archive, root)
	if err := extractTarGz(archive, root); err != nil {
		return fmt.Errorf("CIFAR10: %w", err)
	}
	return nil
}

// loadCIFARPython reads the split's pickled batches and batches.meta.
func loadCIFARPython(dir string, train bool) (pixels []uint8, targets []int64, classes []string, err error) {
	metaPath := filepath.Join(dir, "batches.meta")
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return nil, nil, nil, cifarMissing(err, metaPath)
	}
	if classes, err = parseCIFARMeta(metaPath, b); err != nil {
		return nil, nil, nil, err
	}
	pixels, targets, err = loadCIFARBatches(dir, cifarBatches(train), "", parseCIFARPickle)
	return pixels, targets, classes, err
}

// loadCIFARBatches reads and parses the batch files dir/name+ext in turn and
// joins them. The joined arrays are allocated once, at the first batch's size
// times the number of files (all batches of a split have the same size), and
// each file's bytes and decoded arrays (~100 MB for a pickled batch) are
// collected before the next file is read, so that the heap holds the joined
// arrays and one file's transients at a time. Growing the arrays by append
// and leaving the transients to the pacer had the training split (150 MB of
// pixels) peak at 745 MiB of Go heap and 894 MB of RSS; now 284 MiB and 432
// MB (the process's libtorch is 163 MB of it).
func loadCIFARBatches(dir string, names []string, ext string, parse func(name string, b []byte) ([]uint8, []int64, error)) (pixels []uint8, targets []int64, err error) {
	for i, name := range names {
		path := filepath.Join(dir, name+ext)
		pix, labels, err := readCIFARBatch(path, parse)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			pixels = make([]uint8, 0, len(pix)*len(names))
			targets = make([]int64, 0, len(labels)*len(names))
		}
		pixels, targets = append(pixels, pix...), append(targets, labels...)
		runtime.GC()
	}
	return pixels, targets, nil
}

// readCIFARBatch reads one batch file and parses it.
func readCIFARBatch(path string, parse func(name string, b []byte) ([]uint8, []int64, error)) ([]uint8, []int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, cifarMissing(err, path)
	}
	return parse(path, b)
}

func cifarMissing(err error, path string) error {
	if notFound(err) {
		return fmt.Errorf("CIFAR10: %s is missing: use Options{Download: true}, or extract %s (from %s) into %s",
			path, cifarArchive, cifarURL, filepath.Dir(filepath.Dir(path)))
	}
	return err
}

// parseCIFARPickle decodes one batch: a dict with b"data", a uint8 numpy
// array of shape (N, 3072) whose rows are the red, green and blue planes
// of a 32x32 image (channel-first already), and b"labels", N ints in 0..9
// (b"fine_labels" in CIFAR-100's files, which torchvision also accepts).
// The pixels may share the memory of the pickle's decoded string: read only.
func parseCIFARPickle(name string, b []byte) (pixels []uint8, labels []int64, err error) {
	v, err := unpickle(name, b)
	if err != nil {
		return nil, nil, err
	}
	d, ok := v.(*types.Dict)
	if !ok {
		return nil, nil, fmt.Errorf("%s: the pickle holds a %T, want a dict with data and labels", name, v)
	}
	raw, ok := dictItem(d, "data")
	if !ok {
		return nil, nil, fmt.Errorf("%s: the dict has no \"data\" (keys %q)", name, dictKeys(d))
	}
	arr, ok := raw.(*ndarray)
	if !ok {
		return nil, nil, fmt.Errorf("%s: \"data\" is a %T, want a numpy array", name, raw)
	}
	if arr.dtype == nil {
		return nil, nil, fmt.Errorf("%s: \"data\" is a numpy array whose contents never came (no BUILD after _reconstruct)", name)
	}
	if arr.dtype.kind != "u1" || len(arr.shape) != 2 || arr.shape[1] != cifarRecord || arr.fortran {
		return nil, nil, fmt.Errorf("%s: \"data\" is a numpy array of shape %v and dtype %v (fortran order %v), want (N, %d) uint8 in C order",
			name, arr.shape, arr.dtype, arr.fortran, cifarRecord)
	}
	n := arr.shape[0]
	if len(arr.data) != n*cifarRecord {
		return nil, nil, fmt.Errorf("%s: \"data\" of shape %v holds %d bytes, want %d", name, arr.shape, len(arr.data), n*cifarRecord)
	}
	rawLabels, ok := dictItem(d, "labels")
	if !ok {
		if rawLabels, ok = dictItem(d, "fine_labels"); !ok {
			return nil, nil, fmt.Errorf("%s: the dict has no \"labels\" (keys %q)", name, dictKeys(d))
		}
	}
	if labels, err = intList(rawLabels); err != nil {
		return nil, nil, fmt.Errorf("%s: \"labels\": %w", name, err)
	}
	if len(labels) != n {
		return nil, nil, fmt.Errorf("%s: %d labels for %d images", name, len(labels), n)
	}
	for i, l := range labels {
		if l < 0 || l >= cifarClasses {
			return nil, nil, fmt.Errorf("%s: label %d at index %d, want a class 0..%d", name, l, i, cifarClasses-1)
		}
	}
	return arr.data, labels, nil
}

// intList accepts a list of Python ints or an integer numpy array.
func intList(v any) ([]int64, error) {
	switch l := v.(type) {
	case *types.List:
		out := make([]int64, len(*l))
		for i, x := range *l {
			n, ok := x.(int)
			if !ok {
				return nil, fmt.Errorf("item %d is a %T, want an int", i, x)
			}
			out[i] = int64(n)
		}
		return out, nil
	case *ndarray:
		if l.dtype == nil {
			return nil, fmt.Errorf("a numpy array that was never filled in")
		}
		if len(l.shape) != 1 {
			return nil, fmt.Errorf("numpy array of shape %v, want one dimension", l.shape)
		}
		return l.ints()
	}
	return nil, fmt.Errorf("a %T, want a list of ints", v)
}

// parseCIFARMeta reads batches.meta's label_names.
func parseCIFARMeta(name string, b []byte) ([]string, error) {
	v, err := unpickle(name, b)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*types.Dict)
	if !ok {
		return nil, fmt.Errorf("%s: the pickle holds a %T, want a dict with label_names", name, v)
	}
	raw, ok := dictItem(d, "label_names")
	if !ok {
		return nil, fmt.Errorf("%s: the dict has no \"label_names\" (keys %q)", name, dictKeys(d))
	}
	l, ok := raw.(*types.List)
	if !ok {
		return nil, fmt.Errorf("%s: \"label_names\" is a %T, want a list of strings", name, raw)
	}
	names := make([]string, len(*l))
	for i, x := range *l {
		if names[i], ok = asString(x); !ok {
			return nil, fmt.Errorf("%s: label name %d is a %T, want a string", name, i, x)
		}
	}
	if len(names) != cifarClasses {
		return nil, fmt.Errorf("%s: %d label names, want %d", name, len(names), cifarClasses)
	}
	return names, nil
}

// loadCIFARBinary reads the binary version: each batch is records of one
// label byte followed by 3072 pixel bytes (red, green, blue planes).
func loadCIFARBinary(dir string, train bool) (pixels []uint8, targets []int64, classes []string, err error) {
	metaPath := filepath.Join(dir, "batches.meta.txt")
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return nil, nil, nil, cifarMissing(err, metaPath)
	}
	if classes, err = parseCIFARMetaText(metaPath, b); err != nil {
		return nil, nil, nil, err
	}
	pixels, targets, err = loadCIFARBatches(dir, cifarBatches(train), ".bin", parseCIFARBinary)
	return pixels, targets, classes, err
}

// parseCIFARBinary splits one binary batch into pixels and labels.
func parseCIFARBinary(name string, b []byte) (pixels []uint8, labels []int64, err error) {
	const rec = 1 + cifarRecord
	if len(b)%rec != 0 {
		return nil, nil, fmt.Errorf("%s: %d bytes is not a whole number of %d-byte records (1 label byte + %d pixel bytes): %d records and %d bytes over (truncated?)",
			name, len(b), rec, cifarRecord, len(b)/rec, len(b)%rec)
	}
	n := len(b) / rec
	pixels, labels = make([]uint8, n*cifarRecord), make([]int64, n)
	for i := 0; i < n; i++ {
		r := b[i*rec : (i+1)*rec]
		if r[0] >= cifarClasses {
			return nil, nil, fmt.Errorf("%s: label %d in record %d, want a class 0..%d", name, r[0], i, cifarClasses-1)
		}
		labels[i] = int64(r[0])
		copy(pixels[i*cifarRecord:], r[1:])
	}
	return pixels, labels, nil
}

// parseCIFARMetaText reads batches.meta.txt: one class name a line.
func parseCIFARMetaText(name string, b []byte) ([]string, error) {
	var names []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, l)
		}
	}
	if len(names) != cifarClasses {
		return nil, fmt.Errorf("%s: %d class names, want %d, one a line", name, len(names), cifarClasses)
	}
	return names, nil
}

// Train reports whether this is the training split.
func (c *CIFAR10) Train() bool { return c.train }

// Folder is the folder the batches were read from.
func (c *CIFAR10) Folder() string { return c.folder }

// String is torchvision's repr header.
func (c *CIFAR10) String() string {
	split := "Test"
	if c.train {
		split = "Train"
	}
	return fmt.Sprintf("Dataset CIFAR10\n    Number of datapoints: %d\n    Root location: %s\n    Split: %s", c.Len(), c.root, split)
}

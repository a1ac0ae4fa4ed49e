// Package dataroot is where datasets live on this machine, shared by
// programs and tests: $GOTORCH_DATA when set, else gotorch/data in the
// user's cache directory (~/.cache on Linux), else in the temporary
// directory. vision/datasets.CacheDir exports it.
//
// Tests that take MNIST from here never download it, so they need no
// network. They get it in one of two ways:
//
//   - MNIST returns the dataset root when it holds the full official MNIST
//     (60000 training and 10000 test images), and otherwise a temporary root
//     holding a subset committed to the repository: the first 2,000
//     training and 1,000 test images and labels of the official files, in
//     the same IDX format, gzip-compressed and extracted (testdata/MNIST/raw,
//     written by internal/cmd/mnistsubset). Tests whose assertions hold on
//     any MNIST-format data (Go read against torchvision reading the same
//     folder, say) call it, and so run everywhere.
//   - RequireMNIST returns the dataset root when it holds the full MNIST and
//     otherwise skips the test (or fails it under CI=true), saying how to
//     fetch it. Tests whose assertions need the full set call it: accuracy
//     thresholds, the 60000/10000 counts, the md5s of the official files,
//     benchmarks.
//
// The set-up (README.md) fetches the full MNIST once with
// `go run ./cmd/getdata`.
package dataroot

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Dir is the dataset root.
func Dir() string {
	if d := os.Getenv("GOTORCH_DATA"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "gotorch", "data")
	}
	return filepath.Join(os.TempDir(), "gotorch", "data")
}

// MNISTFiles are the four files of MNIST/raw, each present gzip-compressed
// or not.
var MNISTFiles = []string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}

// The number of images (and labels) in each split: of the official MNIST,
// and of the committed subset (the first records of the official files).
const (
	FullTrain   = 60000
	FullTest    = 10000
	SubsetTrain = 2000
	SubsetTest  = 1000
)

// HasMNIST reports whether root/MNIST/raw holds the four files.
func HasMNIST(root string) bool {
	for _, f := range MNISTFiles {
		p := filepath.Join(root, "MNIST", "raw", f)
		if _, err := os.Stat(p); err != nil {
			if _, err := os.Stat(p + ".gz"); err != nil {
				return false
			}
		}
	}
	return true
}

// HasFullMNIST reports whether root/MNIST/raw holds the full MNIST: the four
// files, each an IDX file of the right kind whose header counts 60000
// (training) or 10000 (test) records, and, where the file is decompressed,
// whose size is what the header says. Of a .gz file only the header is
// read.
func HasFullMNIST(root string) bool { return checkFull(root) == nil }

// checkFull is HasFullMNIST, saying why not.
func checkFull(root string) error {
	raw := filepath.Join(root, "MNIST", "raw")
	for _, f := range MNISTFiles {
		want := FullTrain
		if strings.HasPrefix(f, "t10k") {
			want = FullTest
		}
		if err := checkIDXCount(filepath.Join(raw, f), want); err != nil {
			return err
		}
	}
	return nil
}

// checkIDXCount checks that the IDX file path (or else path.gz) holds
// want records: a 3-dimensional uint8 file of 28x28 images for
// *-images-*, a 1-dimensional one for *-labels-*.
func checkIDXCount(path string, want int) error {
	images := strings.Contains(filepath.Base(path), "-images-")
	magic, dims := uint32(0x801), 1
	if images {
		magic, dims = 0x803, 3
	}
	var r io.Reader
	size := int64(-1)
	name := path
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		r, size = f, st.Size()
	} else if errors.Is(err, os.ErrNotExist) {
		name = path + ".gz"
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("neither %s nor %s.gz exists", path, filepath.Base(path))
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r = zr
	} else {
		return err
	}
	hdr := make([]byte, 4+4*dims)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return fmt.Errorf("%s: reading the IDX header: %w", name, err)
	}
	if got := binary.BigEndian.Uint32(hdr); got != magic {
		return fmt.Errorf("%s: magic number 0x%08x, want 0x%08x", name, got, magic)
	}
	n := int(binary.BigEndian.Uint32(hdr[4:]))
	if n != want {
		return fmt.Errorf("%s holds %d records, not the full MNIST's %d", name, n, want)
	}
	record := int64(1)
	if images {
		h, w := binary.BigEndian.Uint32(hdr[8:]), binary.BigEndian.Uint32(hdr[12:])
		if h != 28 || w != 28 {
			return fmt.Errorf("%s holds %dx%d images, not MNIST's 28x28", name, h, w)
		}
		record = 28 * 28
	}
	if wantSize := int64(len(hdr)) + int64(n)*record; size >= 0 && size != wantSize {
		return fmt.Errorf("%s has %d bytes, its header says %d", name, size, wantSize)
	}
	return nil
}

// MNISTSet is the MNIST a test reads: Root/MNIST/raw holds the four files
// (torchvision's layout, so that torchvision.datasets.MNIST(Root) reads the
// same data), and Train and Test are the number of images in each split.
type MNISTSet struct {
	Root string
	// Full is true for the full official MNIST in the dataset root, false
	// for the committed subset in a temporary root.
	Full        bool
	Train, Test int
}

// MNIST returns the full MNIST when the dataset root holds it (see
// HasFullMNIST); otherwise the committed subset (the first SubsetTrain
// training and SubsetTest test records of the official files), copied
// into a temporary root of the test's own (t.TempDir(), removed after the
// test) both gzip-compressed and extracted, as torchvision leaves a
// download: torchvision 0.14's MNIST(download=False) reads only the
// extracted files, gotorch reads either. It never downloads, skips or
// fails for want of the full set; it logs which set the test got.
//
// Tests that call it must assert only what holds on either set: sizes from
// Train and Test (or the dataset's Len), not 60000 and 10000.
func MNIST(t testing.TB) MNISTSet {
	t.Helper()
	root := Dir()
	err := checkFull(root)
	if err == nil {
		return MNISTSet{Root: root, Full: true, Train: FullTrain, Test: FullTest}
	}
	t.Logf("the full MNIST is not in the dataset root (%v): using the committed subset", err)
	return SubsetMNIST(t)
}

// SubsetMNIST is the committed subset in a temporary root of the test's
// own, whether or not the full set is there: for tests whose cost grows
// with the data and whose checks hold on any MNIST-format data.
func SubsetMNIST(t testing.TB) MNISTSet {
	t.Helper()
	tmp := t.TempDir()
	if err := writeSubset(filepath.Join(tmp, "MNIST", "raw")); err != nil {
		t.Fatalf("copying the committed MNIST subset: %v", err)
	}
	t.Logf("MNIST: the committed subset (%d training, %d test images) in %s", SubsetTrain, SubsetTest, tmp)
	return MNISTSet{Root: tmp, Full: false, Train: SubsetTrain, Test: SubsetTest}
}

// RequireMNIST returns Dir() when it holds the full MNIST (see
// HasFullMNIST); otherwise the test is skipped, or fails under CI
// (CI=true), saying why and how to fetch it. Tests whose assertions hold on
// the committed subset call MNIST instead.
func RequireMNIST(t testing.TB) string {
	t.Helper()
	root := Dir()
	err := checkFull(root)
	if err == nil {
		return root
	}
	why := "the full MNIST is not in " + filepath.Join(root, "MNIST", "raw") + " (" + err.Error() + ")" +
		": fetch it once with `go run ./cmd/getdata` (README's set-up), or point GOTORCH_DATA at a folder holding MNIST/raw"
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

// SubsetDir is the folder of the committed subset's four .gz files:
// internal/dataroot/testdata/MNIST/raw in the source tree (found from this
// file's compiled-in path, or, where that was trimmed, by walking up from
// the working directory, which go test sets to a package of the module).
func SubsetDir() string {
	rel := filepath.Join("testdata", "MNIST", "raw")
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if d := filepath.Join(filepath.Dir(file), rel); isDir(d) {
			return d
		}
	}
	rel = filepath.Join("internal", "dataroot", rel)
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if isDir(filepath.Join(d, rel)) {
				return filepath.Join(d, rel)
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return rel
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// writeSubset copies the committed subset's .gz files into raw and
// extracts each beside its .gz.
func writeSubset(raw string) error {
	src := SubsetDir()
	if err := os.MkdirAll(raw, 0o755); err != nil {
		return err
	}
	for _, f := range MNISTFiles {
		gz, err := os.ReadFile(filepath.Join(src, f+".gz"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(raw, f+".gz"), gz, 0o644); err != nil {
			return err
		}
		plain, err := gunzip(gz)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(src, f+".gz"), err)
		}
		if err := os.WriteFile(filepath.Join(raw, f), plain, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// gunzip decompresses b.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return out, zr.Close()
}

// RunTests is a package's TestMain body for packages with such Examples:
// flag.Parse, SkipExamplesWithoutFullMNIST(examples...), m.Run; it returns
// the status for os.Exit.
func RunTests(m *testing.M, examples ...string) int {
	flag.Parse()
	SkipExamplesWithoutFullMNIST(examples...)
	return m.Run()
}

// SkipExamplesWithoutFullMNIST is for a package's TestMain, after
// flag.Parse: the Examples named (regular expressions of their names) read
// the full MNIST from Dir(), with Download set as a user's code would, and
// their Output lines are the full set's figures. Without the full set they
// would download it, so they are added to -test.skip and a line says so;
// under CI (CI=true) the test binary fails instead, as RequireMNIST does.
// `go test ./...` thus needs no network.
func SkipExamplesWithoutFullMNIST(examples ...string) {
	err := checkFull(Dir())
	if err == nil || len(examples) == 0 {
		return
	}
	why := "the full MNIST is not in " + filepath.Join(Dir(), "MNIST", "raw") + " (" + err.Error() + ")"
	if os.Getenv("CI") != "" {
		fmt.Fprintln(os.Stderr, why+": the examples that read it cannot run under CI; `go run ./cmd/getdata` fetches it")
		os.Exit(1)
	}
	pattern := "^(" + strings.Join(examples, "|") + ")$"
	if old := flag.Lookup("test.skip"); old != nil && old.Value.String() != "" {
		pattern = old.Value.String() + "|" + pattern
	}
	if err := flag.Set("test.skip", pattern); err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "%s: skipping %s (`go run ./cmd/getdata` fetches it)\n", why, strings.Join(examples, ", "))
}

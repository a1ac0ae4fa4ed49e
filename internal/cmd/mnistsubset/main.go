// Command mnistsubset writes the subset of MNIST that tests use where the
// full set is absent (internal/dataroot.MNIST): the first --train training
// and --test test images and labels of the official files, in the same IDX
// format with the headers' counts reduced, each gzip-compressed under the
// name torchvision uses.
//
//	go run ./internal/cmd/mnistsubset      # from the dataset root into internal/dataroot/testdata/MNIST/raw
//	go run ./internal/cmd/mnistsubset --from ~/mnist/raw --out /tmp/sub --train 100 --test 50
//
// --from holds the four official files, each decompressed or .gz (the
// decompressed one is read when both are there). The output is the same
// bytes for the same input and Go version: no name or time in the gzip
// header. Exit status: 0 on success, 1 on a failure (a file missing,
// malformed or shorter than asked), 2 on bad usage.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/dataroot"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// usageError marks a bad command line (exit status 2).
type usageError struct{ error }

func run(args []string, stdout, stderr io.Writer) int {
	err := subset(args, stdout, stderr)
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "mnistsubset: %v\nrun 'mnistsubset --help' for the flags\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "mnistsubset: %v\n", err)
		return 1
	}
}

func subset(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mnistsubset", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", filepath.Join(dataroot.Dir(), "MNIST", "raw"), "the folder of the official MNIST files (train-images-idx3-ubyte[.gz], ...)")
	out := fs.String("out", dataroot.SubsetDir(), "the folder to write the four .gz files into (created if missing)")
	train := fs.Int("train", dataroot.SubsetTrain, "training images (and labels) to keep, the first ones")
	test := fs.Int("test", dataroot.SubsetTest, "test images (and labels) to keep, the first ones")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: mnistsubset [flags]\n\nWrites the first records of the official MNIST files, gzip-compressed.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if *train < 1 || *test < 1 {
		return usageError{fmt.Errorf("--train and --test must be at least 1 (got %d and %d)", *train, *test)}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, name := range dataroot.MNISTFiles {
		n := *train
		if strings.HasPrefix(name, "t10k") {
			n = *test
		}
		b, src, err := readIDX(*from, name)
		if err != nil {
			return err
		}
		head, err := idxHead(b, n, strings.Contains(name, "-images-"))
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		dst := filepath.Join(*out, name+".gz")
		size, err := writeGz(dst, head)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: the first %d records of %s, %d bytes (%d decompressed)\n", dst, n, src, size, len(head))
	}
	return nil
}

// readIDX reads dir/name, or else dir/name.gz decompressed.
func readIDX(dir, name string) ([]byte, string, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err == nil {
		return b, path, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, path, err
	}
	path += ".gz"
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, path, fmt.Errorf("neither %s nor %s exists", strings.TrimSuffix(path, ".gz"), filepath.Base(path))
		}
		return nil, path, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, path, fmt.Errorf("%s: %w", path, err)
	}
	b, err = io.ReadAll(zr)
	if err != nil {
		return nil, path, fmt.Errorf("%s: %w", path, err)
	}
	return b, path, nil
}

// idxHead is the IDX file b cut to its first n records: an images file
// (magic 0x803, n x rows x cols bytes) or a labels file (magic 0x801, n
// bytes), its header's count set to n. b must be exactly as long as its
// header says and hold at least n records.
func idxHead(b []byte, n int, images bool) ([]byte, error) {
	magic, dims := uint32(0x801), 1
	if images {
		magic, dims = 0x803, 3
	}
	hdr := 4 + 4*dims
	if len(b) < 4 {
		return nil, fmt.Errorf("%d bytes, too short for an IDX header", len(b))
	}
	if got := binary.BigEndian.Uint32(b); got != magic {
		return nil, fmt.Errorf("magic number 0x%08x, want 0x%08x", got, magic)
	}
	if len(b) < hdr {
		return nil, fmt.Errorf("%d bytes, too short for the %d-byte IDX header", len(b), hdr)
	}
	count := int64(binary.BigEndian.Uint32(b[4:]))
	record := int64(1)
	for i := 1; i < dims; i++ {
		record *= int64(binary.BigEndian.Uint32(b[4+4*i:]))
	}
	if want := int64(hdr) + count*record; int64(len(b)) != want {
		return nil, fmt.Errorf("%d bytes, its header says %d (%d records of %d bytes after %d)", len(b), want, count, record, hdr)
	}
	if int64(n) > count {
		return nil, fmt.Errorf("holds %d records, fewer than the %d asked for", count, n)
	}
	out := append([]byte{}, b[:hdr+int(int64(n)*record)]...)
	binary.BigEndian.PutUint32(out[4:], uint32(n))
	return out, nil
}

// writeGz writes b gzip-compressed (best compression, no name or time in
// the header) to path, through a temporary file renamed into place, and
// returns the compressed size.
func writeGz(path string, b []byte) (int, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return buf.Len(), nil
}

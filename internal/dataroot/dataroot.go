// Package dataroot is where datasets live on this machine, shared by
// programs and tests: $GOTORCH_DATA when set, else gotorch/data in the
// user's cache directory (~/.cache on Linux), else in the temporary
// directory. vision/datasets.CacheDir exports it.
//
// Tests that need the real MNIST call RequireMNIST, which never downloads:
// `go test ./...` needs no network. The set-up (README.md) fetches it once
// with `go run ./cmd/getdata`.
package dataroot

import (
	"os"
	"path/filepath"
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

// RequireMNIST returns Dir() when it holds the real MNIST; otherwise the
// test is skipped, or fails under CI (CI=true), saying how to fetch it.
func RequireMNIST(t testing.TB) string {
	t.Helper()
	root := Dir()
	if HasMNIST(root) {
		return root
	}
	why := "the real MNIST is not in " + filepath.Join(root, "MNIST", "raw") +
		": fetch it once with `go run ./cmd/getdata` (README's set-up), or point GOTORCH_DATA at a folder holding MNIST/raw"
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

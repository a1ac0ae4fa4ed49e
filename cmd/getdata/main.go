// Command getdata downloads the datasets that programs and tests share into
// the dataset root ($GOTORCH_DATA, default ~/.cache/gotorch/data), the way
// torchvision's download=True does, so that `go test ./...` and later runs
// need no network. It is part of README's set-up.
//
//	go run ./cmd/getdata                     # MNIST into the dataset root
//	go run ./cmd/getdata --root ./data       # elsewhere (cmd/mnist --data ./data)
//	go run ./cmd/getdata --dataset cifar10   # CIFAR-10 (needs www.cs.toronto.edu)
//
// MNIST comes from torchvision's mirrors, or, where they cannot be reached,
// from the Go module proxy's copy of the official files (md5-checked the
// same way). A second run finds the files and downloads nothing.
//
// Exit status: 0 on success, 1 when a download failed, 2 on bad usage.
package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	return cli.Run("getdata", stderr, func() error {
		fs := flag.NewFlagSet("getdata", flag.ContinueOnError)
		fs.SetOutput(stderr)
		root := fs.String("root", datasets.CacheDir(), "dataset root (torchvision's layout: ROOT/MNIST/raw, ROOT/cifar-10-batches-py)")
		names := fs.StringSlice("dataset", []string{"mnist"}, "datasets to fetch, comma-separated: mnist, cifar10")
		fs.Usage = func() {
			fmt.Fprintf(stderr, "usage: getdata [flags]\n\nDownloads datasets into the shared dataset root ($GOTORCH_DATA).\n\n")
			fs.PrintDefaults()
		}
		if err := cli.ParseFlags(fs, args); err != nil {
			return err
		}
		for _, n := range *names {
			if !slices.Contains([]string{"mnist", "cifar10"}, n) {
				return cli.Usagef("--dataset: unknown dataset %q (mnist, cifar10)", n)
			}
		}
		datasets.Log = stderr
		for _, n := range *names {
			var size int
			for _, train := range []bool{true, false} {
				opts := datasets.Options{Train: train, Download: true}
				var ds interface{ Len() int }
				var err error
				if n == "mnist" {
					ds, err = datasets.NewMNIST(*root, opts)
				} else {
					ds, err = datasets.NewCIFAR10(*root, opts)
				}
				if err != nil {
					return err
				}
				size += ds.Len()
			}
			fmt.Fprintf(stdout, "%s: %d images in %s\n", n, size, *root)
		}
		return nil
	})
}

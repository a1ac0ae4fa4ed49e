// Command getdata downloads the datasets that programs and tests share into
// the dataset root ($GOTORCH_DATA, default ~/.cache/gotorch/data), the way
// torchvision's download=True does, so that `go test ./...` and later runs
// need no network. It is part of README's set-up.
//
//	go run ./cmd/getdata                     # MNIST into the dataset root
//	go run ./cmd/getdata --root ./data       # elsewhere (cmd/mnist --data ./data)
//	go run ./cmd/getdata --dataset cifar10   # CIFAR-10 (needs www.cs.toronto.edu)
//	go run ./cmd/getdata --dataset fashionmnist # Fashion-MNIST (needs torchvision's mirror)
//
// MNIST comes from torchvision's mirrors, or, where they cannot be reached,
// from the Go module proxy's copy of the official files (md5-checked the
// same way). CIFAR-10 and Fashion-MNIST have no such copy: where their
// mirror cannot be reached, getdata fails and says which files to put into
// which folder (files torchvision downloaded elsewhere can be copied in as
// they are). A second run finds the files and downloads nothing.
//
// Exit status: 0 on success, 1 when a download failed, 2 on bad usage.
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
)

// known are the --dataset names: torchvision's class names in lower case.
var known = []string{"mnist", "fashionmnist", "cifar10"}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	return cli.Run("getdata", stderr, func() error {
		fs := flag.NewFlagSet("getdata", flag.ContinueOnError)
		fs.SetOutput(stderr)
		root := fs.String("root", datasets.CacheDir(), "dataset root (torchvision's layout: ROOT/MNIST/raw, ROOT/FashionMNIST/raw, ROOT/cifar-10-batches-py)")
		names := fs.StringSlice("dataset", []string{"mnist"}, "datasets to fetch, comma-separated: "+strings.Join(known, ", "))
		fs.Usage = func() {
			fmt.Fprintf(stderr, "usage: getdata [flags]\n\nDownloads datasets into the shared dataset root ($GOTORCH_DATA).\n\n")
			fs.PrintDefaults()
		}
		if err := cli.ParseFlags(fs, args); err != nil {
			return err
		}
		for _, n := range *names {
			if !slices.Contains(known, n) {
				return cli.Usagef("--dataset: unknown dataset %q (%s)", n, strings.Join(known, ", "))
			}
		}
		datasets.Log = stderr
		for _, n := range *names {
			var size int
			for _, train := range []bool{true, false} {
				opts := datasets.Options{Train: train, Download: true}
				var ds interface{ Len() int }
				var err error
				switch n {
				case "mnist":
					ds, err = datasets.NewMNIST(*root, opts)
				case "fashionmnist":
					ds, err = datasets.NewFashionMNIST(*root, opts)
				default:
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

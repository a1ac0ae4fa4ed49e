// Command memtable reproduces the tutorial's table of batch size against
// memory ("批次大小对显存的影响": batch 64: data 192 KB, intermediates 32 KB,
// total ~1 MB; ...; 4096: 12 MB, 2 MB, ~15 MB), measured rather than
// estimated: for each batch size it builds a fresh model and optimizer on the
// device, takes one warm-up step so that the gradients and the optimizer's
// state exist (as in steady-state training), then reads the allocator's
// counters around one more training step (CUDA's caching allocator on a
// GPU, gotorch's counting CPU allocator otherwise) and prints the input
// data, the intermediate (activation) memory and the peak total beside the
// tutorial's analytic estimate, with the fixed parameter, gradient and
// optimizer-state memory.
//
//	go run ./cmd/memtable                            # MNISTModel + Adam, 64,256,1024,4096
//	go run ./cmd/memtable --optimizer sgd            # the tutorial's table assumes no optimizer state
//	go run ./cmd/memtable --model cifar10 --device cuda --csv
//	go run ./cmd/memtable --batch-sizes 32,128 --plot memory.png
//
// Exit status: 0 on success, 1 on a runtime failure, 2 on bad usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
)

func main() { cli.Main(run) }

type config struct {
	model      string
	optimizer  string
	momentum   float64
	batchSizes []int
	device     string
	csv        bool
	plot       string
	seed       uint64
}

// maxBatch keeps a typo (--batch-sizes 40960000) from asking the allocator
// for hundreds of gigabytes.
const maxBatch = 1 << 20

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("memtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.model, "model", "mnist", "model: mnist (MNISTModel, 1x28x28 images) or cifar10 (CIFAR10Model, 3x32x32)")
	fs.StringVar(&c.optimizer, "optimizer", "adam", "optimizer: adam or sgd")
	fs.Float64Var(&c.momentum, "momentum", 0, "SGD momentum (a non-zero value adds a momentum buffer to the optimizer state)")
	fs.IntSliceVar(&c.batchSizes, "batch-sizes", []int{64, 256, 1024, 4096}, "batch sizes to measure, comma-separated")
	fs.StringVar(&c.device, "device", "auto", "device: auto, cpu, cuda or cuda:N")
	fs.BoolVar(&c.csv, "csv", false, "print the table as CSV (bytes) instead of text")
	fs.StringVar(&c.plot, "plot", "", "write a PNG chart of measured against estimated memory to FILE")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed (torch.manual_seed)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: memtable [flags]\n\nMeasures one training step's memory for each batch size, beside the tutorial's estimate.\n\n")
		fs.PrintDefaults()
	}
	if err := cli.ParseFlags(fs, args); err != nil {
		return nil, err
	}
	if _, ok := specs[c.model]; !ok {
		return nil, cli.Usagef("--model must be mnist or cifar10, got %q", c.model)
	}
	switch {
	case c.optimizer != "adam" && c.optimizer != "sgd":
		return nil, cli.Usagef("--optimizer must be adam or sgd, got %q", c.optimizer)
	case c.momentum < 0:
		return nil, cli.Usagef("--momentum must not be negative, got %g", c.momentum)
	case c.momentum != 0 && c.optimizer != "sgd":
		return nil, cli.Usagef("--momentum applies to --optimizer sgd only")
	}
	for _, b := range c.batchSizes {
		if b < 1 || b > maxBatch {
			return nil, cli.Usagef("--batch-sizes: %d is not a batch size in 1..%d", b, maxBatch)
		}
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Run("memtable", stderr, func() error {
		c, err := parseFlags(args, stderr)
		if err != nil {
			return err
		}
		return measureAll(ctx, c, stdout)
	})
}

func measureAll(ctx context.Context, c *config, stdout io.Writer) error {
	device, err := cli.PickDevice(c.device)
	if err != nil {
		return err
	}
	spec := specs[c.model]
	t := &table{spec: spec, optimizer: c.optimizer, momentum: c.momentum, device: device}
	for _, b := range c.batchSizes {
		if ctx.Err() != nil {
			return cli.ErrInterrupted
		}
		var r row
		if err := catch(func() { r, err = measure(spec, c, device, b) }); err != nil {
			return fmt.Errorf("batch size %d: %w", b, err)
		}
		if err != nil {
			return fmt.Errorf("batch size %d: %w", b, err)
		}
		t.rows = append(t.rows, r)
	}
	if c.csv {
		if err := t.writeCSV(stdout); err != nil {
			return err
		}
	} else {
		t.writeText(stdout)
	}
	if c.plot != "" {
		if err := t.plot(c.plot); err != nil {
			return err
		}
		if !c.csv {
			fmt.Fprintf(stdout, "\nwrote the chart to %s\n", c.plot)
		}
	}
	return nil
}

// catch turns a libtorch panic (*torch.Error: out of memory on the device,
// say) into an error, so that it ends the program with one line.
func catch(f func()) error {
	err := torch.Catch(f)
	var te *torch.Error
	if errors.As(err, &te) {
		return fmt.Errorf("libtorch: %w", err)
	}
	return err
}

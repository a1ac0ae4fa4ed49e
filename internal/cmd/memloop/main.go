// Command memloop is the Go half of scripts/bench_memory.sh: the loop with
// big temporaries that scripts/reference/memloop.py runs in Python. Under
// NoGrad it makes x (--mib MiB of float32) and then, --iters times,
// y = relu(x*2 + 1) and s = y.sum(): two temporaries the size of x per
// iteration, dropped without Free (with --free, y is freed; the unnamed
// x*2 never is). It prints the tensor bytes allocated at the peak; the
// script reads the process's peak RSS.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
)

func main() {
	mib := pflag.Int("mib", 64, "size of x and of each temporary, MiB")
	iters := pflag.Int("iters", 100, "iterations")
	free := pflag.Bool("free", false, "Free the named temporary y each iteration")
	pflag.Parse()
	os.Exit(cli.Run("memloop", os.Stderr, func() error {
		if *mib <= 0 || *iters <= 0 {
			return fmt.Errorf("--mib and --iters must be positive (got %d, %d)", *mib, *iters)
		}
		torch.ManualSeed(0)
		x := torch.Randn([]int64{int64(*mib) << 18}) // mib MiB of float32
		var sum float64
		torch.NoGrad(func() {
			for range *iters {
				y := x.MulScalar(torch.Int(2)).AddScalar(torch.Int(1)).Relu()
				sum += y.Sum().Item()
				if *free {
					y.Free()
				}
			}
		})
		fmt.Printf("sum %.6g, peak allocated %d MiB\n", sum, torch.MaxMemoryAllocated(torch.CPU)>>20)
		return nil
	}))
}

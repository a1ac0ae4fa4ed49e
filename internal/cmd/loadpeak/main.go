// Command loadpeak is the Go half of scripts/bench_load.sh and
// scripts/mutation_campaign.sh: it loads each checkpoint named on the
// command line with torch.Load (with --jit, each TorchScript file with
// jit.Load) and prints how many tensors and bytes it holds. The scripts
// measure its peak memory beside Python's, and its exit status on damaged
// files: 0 loaded, 1 a clean error, anything else a crash.
package main

import (
	"fmt"
	"os"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/jit"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

func main() {
	os.Exit(cli.Run("loadpeak", os.Stderr, func() error {
		args := os.Args[1:]
		useJIT := len(args) > 0 && args[0] == "--jit"
		if useJIT {
			args = args[1:]
		}
		for _, path := range args {
			sd, err := load(path, useJIT)
			if err != nil {
				return err
			}
			var bytes int64
			for _, t := range sd {
				bytes += t.Nbytes()
			}
			fmt.Printf("%s: %d tensors, %d bytes\n", path, len(sd), bytes)
		}
		return nil
	}))
}

func load(path string, useJIT bool) (map[string]*torch.Tensor, error) {
	if !useJIT {
		return torch.Load(path)
	}
	m, err := jit.Load(path, torch.CPU)
	if err != nil {
		return nil, err
	}
	return nn.StateDict(m), nil
}

// Command loadpeak is the Go half of scripts/bench_load.sh: it loads each
// checkpoint named on the command line with torch.Load and prints how many
// tensors and bytes it holds; the script measures its peak memory beside
// Python's torch.load of the same files.
package main

import (
	"fmt"
	"os"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
)

func main() {
	os.Exit(cli.Run("loadpeak", os.Stderr, func() error {
		for _, path := range os.Args[1:] {
			sd, err := torch.Load(path)
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

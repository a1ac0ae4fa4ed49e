// Command ddpstep is the Go half of the step comparison in
// scripts/bench_ddp.sh (scripts/reference/ddp_step.py is Python's): run
// under cmd/torchrun, each rank times --steps training steps of the
// tutorial's MNISTModel (Adam, a fixed random batch of --batch images) with
// DistributedDataParallel (or without, --no-ddp), after 20 warm-up steps,
// and rank 0 prints the mean step time in milliseconds.
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

func main() {
	batch := pflag.Int64("batch", 32, "images per rank and step")
	steps := pflag.Int("steps", 200, "timed steps")
	noDDP := pflag.Bool("no-ddp", false, "train each rank's model alone (no gradient averaging)")
	pflag.Parse()
	os.Exit(cli.Run("ddpstep", os.Stderr, func() error {
		runtime.LockOSThread() // as the training loop does
		pg, err := distributed.InitProcessGroup(distributed.Options{})
		if err != nil {
			return err
		}
		defer distributed.DestroyProcessGroup()
		model := models.NewMNISTModel()
		var fwd nn.Module = model
		if !*noDDP {
			ddp, err := distributed.NewDistributedDataParallel(model)
			if err != nil {
				return err
			}
			defer ddp.Close()
			fwd = ddp
		}
		opt, err := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 1e-3})
		if err != nil {
			return err
		}
		x, y := torch.Randn([]int64{*batch, 1, 28, 28}), torch.RandInt(0, 10, []int64{*batch})
		lossFn := nn.NewCrossEntropyLoss()
		step := func() {
			torch.WithScope(func(*torch.Scope) {
				opt.ZeroGrad()
				lossFn.Forward(fwd.Forward(x), y).Backward()
				opt.Step()
			})
		}
		for range 20 {
			step()
		}
		if err := pg.Barrier(); err != nil {
			return err
		}
		start := time.Now()
		for range *steps {
			step()
		}
		if pg.Rank() == 0 {
			fmt.Printf("step_ms %.3f world %d threads %d ddp %t\n", float64(time.Since(start).Microseconds())/1000/float64(*steps),
				pg.Size(), torch.GetNumThreads(), !*noDDP)
		}
		return nil
	}))
}

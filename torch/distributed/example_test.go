package distributed_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// A data-parallel training step. Under cmd/torchrun each process calls
// InitProcessGroup with the zero Options (env://); here one process makes a
// group of one over a FileStore, so that the example runs on its own.
func ExampleDistributedDataParallel() {
	dir, _ := os.MkdirTemp("", "ddp")
	defer os.RemoveAll(dir)
	pg, err := distributed.InitProcessGroup(distributed.Options{
		InitMethod: "file://" + filepath.Join(dir, "store"), Rank: 0, WorldSize: 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer distributed.DestroyProcessGroup()

	torch.ManualSeed(0)
	model := nn.NewLinear(4, 1)
	ddp, err := distributed.NewDistributedDataParallel(model) // model = DDP(model)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ddp.Close()
	opt, _ := optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: 0.1})
	x, y := torch.Ones([]int64{8, 4}), torch.Zeros([]int64{8, 1})
	loss := nn.NewMSELoss().Forward(ddp.Forward(x), y)
	loss.Backward() // gradients averaged over the ranks here
	opt.Step()

	t := torch.FromSlice([]float32{float32(pg.Rank() + 1)})
	_ = distributed.AllReduce(t, distributed.Sum) // dist.all_reduce(t)
	fmt.Println("world", distributed.GetWorldSize(), "rank", distributed.GetRank(), "sum of ranks+1:", t.Float32s())
	fmt.Println(nn.NamedParameters(ddp)[0].Name)
	// Output:
	// world 1 rank 0 sum of ranks+1: [1]
	// module.weight
}

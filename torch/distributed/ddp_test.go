package distributed_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// mlp is a small model whose first layer is big enough (64x300 floats,
// 75 KiB) that a bucket cap of 0.02 MB splits the parameters into several
// buckets.
func mlp(seed uint64) nn.Sequential {
	torch.ManualSeed(seed)
	return nn.NewSequential(nn.NewLinear(300, 64), nn.NewReLU(), nn.NewLinear(64, 3))
}

// batch is a fixed regression batch of n samples.
func batch(n int64) (x, y *torch.Tensor) {
	g := torch.NewGenerator()
	g.ManualSeed(7)
	return torch.RandnGenerator([]int64{n, 300}, g), torch.RandnGenerator([]int64{n, 3}, g)
}

// train runs steps of SGD on the model; each step's gradient comes from
// grads (which runs forward and backward).
func train(t *testing.T, params []*torch.Tensor, steps int, grads func()) {
	opt, err := optim.NewSGD(params, optim.SGDOptions{LR: 0.1, Momentum: 0.9})
	require.NoError(t, err)
	for range steps {
		opt.ZeroGrad()
		grads()
		opt.Step()
	}
}

// weights are a model's parameters, flattened.
func weights(model any) [][]float32 {
	var out [][]float32
	for _, p := range nn.Parameters(model) {
		out = append(out, p.Float32s())
	}
	return out
}

// TestDDPMatchesOneProcess trains the same model on a global batch of 8:
// once in one process, and on 2 ranks with 4 samples each (models made with
// different seeds: DDP copies rank 0's weights), also with small buckets,
// and with gradient accumulation (NoSync over half-batches). The final
// weights agree to float tolerance: the averaged gradient of two halves is
// the gradient of the whole.
func TestDDPMatchesOneProcess(t *testing.T) {
	const steps = 5
	x, y := batch(8)
	mse := nn.NewMSELoss()
	ref := mlp(1)
	train(t, nn.Parameters(ref), steps, func() { mse.Forward(ref.Forward(x), y).Backward() })
	want := weights(ref)

	for _, tt := range []struct {
		name       string
		capMB      float64
		accumulate bool
	}{
		{"one bucket", 0, false},
		{"buckets of 0.02 MB", 0.02, false},
		{"NoSync accumulation", 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Made here, not on the ranks' goroutines: torch.ManualSeed is
			// process-wide. Rank 1 starts from other weights.
			models := []nn.Sequential{mlp(1), mlp(2)}
			onRanks(t, 2, func(t *testing.T, pg *distributed.ProcessGroup) {
				r := int64(pg.Rank())
				model := models[r]
				ddp, err := distributed.NewDistributedDataParallel(model, distributed.DDPOptions{Group: pg, BucketCapMB: tt.capMB})
				require.NoError(t, err)
				defer ddp.Close()
				xs, ys := x.Narrow(0, 4*r, 4), y.Narrow(0, 4*r, 4)
				train(t, nn.Parameters(model), steps, func() {
					if !tt.accumulate {
						mse.Forward(ddp.Forward(xs), ys).Backward()
						return
					}
					// Two half-batches; each loss halved, so that the sum is the mean.
					ddp.NoSync(func() {
						mse.Forward(ddp.Forward(xs.Narrow(0, 0, 2)), ys.Narrow(0, 0, 2)).MulScalar(torch.Float(0.5)).Backward()
					})
					mse.Forward(ddp.Forward(xs.Narrow(0, 2, 2)), ys.Narrow(0, 2, 2)).MulScalar(torch.Float(0.5)).Backward()
				})
			})
			for r, m := range models {
				got := weights(m)
				for i := range want {
					assert.InDeltaSlice(t, want[i], got[i], 1e-5, "rank %d, parameter %d", r, i)
				}
			}
		})
	}
}

// The state_dict of a DDP model is the model's under "module.", as
// PyTorch's; without NoSync the gradients of rank 1 are rank 0's.
func TestDDPNamesAndErrors(t *testing.T) {
	requireGloo(t)
	var names []string
	onRanks(t, 1, func(t *testing.T, pg *distributed.ProcessGroup) {
		ddp, err := distributed.NewDistributedDataParallel(nn.NewSequential(nn.NewLinear(2, 2)), distributed.DDPOptions{Group: pg})
		require.NoError(t, err)
		for _, nt := range nn.NamedParameters(ddp) {
			names = append(names, nt.Name)
		}
		ddp.Close()
		assert.PanicsWithError(t, "torch: DistributedDataParallel.Forward: used after Close", func() { ddp.Forward(torch.Ones([]int64{1, 2})) })

		frozen := nn.NewLinear(2, 2)
		frozen.Weight.SetRequiresGrad(false)
		frozen.Bias.SetRequiresGrad(false)
		_, err = distributed.NewDistributedDataParallel(frozen, distributed.DDPOptions{Group: pg})
		assert.EqualError(t, err, "distributed.NewDistributedDataParallel: the module has no parameter that requires a gradient")
	})
	assert.Equal(t, []string{"module.0.weight", "module.0.bias"}, names)

	_, err := distributed.NewDistributedDataParallel(nn.NewLinear(2, 2))
	assert.EqualError(t, err, "distributed.NewDistributedDataParallel: distributed: the default process group has not been initialized (call InitProcessGroup)")

	// Ranks with different models fail at construction, on every rank.
	models := []nn.Module{nn.NewLinear(2, 2), nn.NewLinear(2, 3)}
	onRanks(t, 2, func(t *testing.T, pg *distributed.ProcessGroup) {
		_, err := distributed.NewDistributedDataParallel(models[pg.Rank()], distributed.DDPOptions{Group: pg})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the ranks' models differ")
	})
}

// TestDDPBroadcastsBuffers: BatchNorm's running statistics of rank 0 reach
// rank 1 before each forward pass.
func TestDDPBroadcastsBuffers(t *testing.T) {
	requireGloo(t)
	bns := []*nn.BatchNorm1d{nn.NewBatchNorm1d(2), nn.NewBatchNorm1d(2)}
	var mu sync.Mutex
	means := map[int][]float32{}
	onRanks(t, 2, func(t *testing.T, pg *distributed.ProcessGroup) {
		bn := bns[pg.Rank()]
		ddp, err := distributed.NewDistributedDataParallel(bn, distributed.DDPOptions{Group: pg})
		require.NoError(t, err)
		defer ddp.Close()
		// Each rank sees other data: only rank 0's statistics survive the next broadcast.
		x := torch.FullLike(torch.Zeros([]int64{4, 2}), torch.Float(float64(10*pg.Rank()+1)))
		ddp.Forward(x).Sum().Backward()
		ddp.Forward(x).Sum().Backward() // broadcasts rank 0's running_mean first
		mu.Lock()
		means[pg.Rank()] = bn.RunningMean.Float32s()
		mu.Unlock()
	})
	// rank 0's: two updates toward 1 with momentum 0.1: 0.1, then 0.19;
	// rank 1 started its second pass from rank 0's 0.1 and moved toward 11.
	assert.InDeltaSlice(t, []float32{0.19, 0.19}, means[0], 1e-6)
	assert.InDeltaSlice(t, []float32{0.1*0.9 + 1.1, 0.1*0.9 + 1.1}, means[1], 1e-6)
}

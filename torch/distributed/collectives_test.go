package distributed_test

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/disttest"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
)

// requireGloo skips a test where libcgotorch was built without Gloo.
func requireGloo(t *testing.T) {
	t.Helper()
	if !distributed.IsAvailable(distributed.Gloo) {
		t.Skip("this libcgotorch has no Gloo (scripts/install_libtorch.sh installs libgloo-dev and rebuilds it)")
	}
}

// onRanks runs fn once per rank of a new group of size world, each rank on
// its own goroutine (locked to an OS thread, as a process's main thread
// is), in this process, over a TCP store on 127.0.0.1.
func onRanks(t *testing.T, world int, fn func(t *testing.T, pg *distributed.ProcessGroup)) {
	t.Helper()
	requireGloo(t)
	method := fmt.Sprintf("tcp://127.0.0.1:%d", disttest.FreePort(t))
	var wg sync.WaitGroup
	for r := range world {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			pg, err := distributed.NewGroup(distributed.Options{InitMethod: method, Rank: r, WorldSize: world, Timeout: time.Minute})
			if !assert.NoError(t, err, "rank %d", r) {
				return
			}
			defer pg.Destroy()
			fn(t, pg)
		}()
	}
	wg.Wait()
}

func TestAllReduce(t *testing.T) {
	const world = 3
	for _, tt := range []struct {
		op   distributed.ReduceOp
		want []float32 // ranks hold {r+1, 2(r+1)}
	}{
		{distributed.Sum, []float32{6, 12}},
		{distributed.Avg, []float32{2, 4}},
		{distributed.Product, []float32{6, 48}},
		{distributed.Min, []float32{1, 2}},
		{distributed.Max, []float32{3, 6}},
	} {
		t.Run(tt.op.String(), func(t *testing.T) {
			onRanks(t, world, func(t *testing.T, pg *distributed.ProcessGroup) {
				r := float32(pg.Rank() + 1)
				x := torch.FromSlice([]float32{r, 2 * r})
				require.NoError(t, pg.AllReduce(x, tt.op))
				assert.Equal(t, tt.want, x.Float32s(), "rank %d", pg.Rank())
			})
		})
	}
}

func TestCollectives(t *testing.T) {
	const world = 2
	onRanks(t, world, func(t *testing.T, pg *distributed.ProcessGroup) {
		r := pg.Rank()
		assert.Equal(t, world, pg.Size())

		// broadcast from rank 1
		b := torch.FromSlice([]int64{int64(10 * r), int64(10*r + 1)})
		require.NoError(t, pg.Broadcast(b, 1))
		assert.Equal(t, []int64{10, 11}, b.Int64s())

		// all_gather
		outs := []*torch.Tensor{torch.Zeros([]int64{2}), torch.Zeros([]int64{2})}
		require.NoError(t, pg.AllGather(outs, torch.FromSlice([]float32{float32(r), float32(r) + 0.5})))
		assert.Equal(t, []float32{0, 0.5}, outs[0].Float32s())
		assert.Equal(t, []float32{1, 1.5}, outs[1].Float32s())

		// reduce_scatter: rank i gets the sum of every rank's ins[i]
		ins := []*torch.Tensor{torch.FromSlice([]float32{float32(r), 1}), torch.FromSlice([]float32{float32(10 * r), 2})}
		out := torch.Zeros([]int64{2})
		require.NoError(t, pg.ReduceScatter(out, ins, distributed.Sum))
		assert.Equal(t, [][]float32{{1, 2}, {10, 4}}[r], out.Float32s())
		require.NoError(t, pg.ReduceScatter(out, ins, distributed.Avg))
		assert.Equal(t, [][]float32{{0.5, 1}, {5, 2}}[r], out.Float32s())

		// send/recv, and an async all_reduce waited for later
		if r == 0 {
			require.NoError(t, pg.Send(torch.FromSlice([]float64{3.25, -1}), 1))
		} else {
			got := torch.Zeros([]int64{2}, torch.WithDType(torch.Float64))
			require.NoError(t, pg.Recv(got, 0))
			assert.Equal(t, []float64{3.25, -1}, got.Float64s())
		}
		x := torch.Ones([]int64{4})
		w, err := pg.AllReduceAsync(x, distributed.Sum)
		require.NoError(t, err)
		require.NoError(t, w.Wait())
		assert.True(t, w.IsCompleted())
		assert.Equal(t, []float32{2, 2, 2, 2}, x.Float32s())
		require.NoError(t, w.Wait(), "a second Wait returns the first's result")
		require.NoError(t, pg.Barrier())
	})
}

func TestCollectiveErrors(t *testing.T) {
	onRanks(t, 2, func(t *testing.T, pg *distributed.ProcessGroup) {
		x := torch.Ones([]int64{2})
		assert.EqualError(t, pg.Broadcast(x, 2), "distributed.Broadcast: rank 2 is not in the group (0 to 1)")
		assert.EqualError(t, pg.Send(x, pg.Rank()), fmt.Sprintf("distributed.Send: rank %d cannot Send itself", pg.Rank()))
		assert.EqualError(t, pg.AllGather([]*torch.Tensor{x}, x), "distributed.AllGather: 1 output tensors for a group of 2")
		assert.EqualError(t, pg.AllReduce(nil, distributed.Sum), "distributed.AllReduce: tensor 0 is nil")
		assert.EqualError(t, pg.AllReduce(x, distributed.ReduceOp(9)), "distributed.AllReduce: unknown ReduceOp(9)")
		freed := torch.Ones([]int64{1})
		freed.Free()
		assert.ErrorContains(t, pg.AllReduce(freed, distributed.Sum), "tensor used after Free")
		require.NoError(t, pg.Barrier(), "the group still works")
	})
	onRanks(t, 1, func(t *testing.T, pg *distributed.ProcessGroup) {
		pg.Destroy()
		assert.EqualError(t, pg.Barrier(), "distributed.Barrier: the process group was destroyed")
	})
}

func TestInitProcessGroupErrors(t *testing.T) {
	requireGloo(t)
	for _, tt := range []struct {
		name string
		opts distributed.Options
		env  map[string]string
		want string
	}{
		{"no env", distributed.Options{}, map[string]string{"WORLD_SIZE": "2"}, "environment variable RANK expected, but not set"},
		{"bad env", distributed.Options{}, map[string]string{"RANK": "zero", "WORLD_SIZE": "2"}, `environment variable RANK="zero" is not an integer`},
		{"rank out of world", distributed.Options{Rank: 2, WorldSize: 2, InitMethod: "tcp://127.0.0.1:1"}, nil, "rank 2 is not in a world of size 2"},
		{"no master", distributed.Options{Rank: 0, WorldSize: 1}, nil, "MASTER_ADDR expected, but not set"},
		{"bad method", distributed.Options{Rank: 0, WorldSize: 1, InitMethod: "udp://x"}, nil, `init method "udp://x": want env://, tcp://HOST:PORT or file:///PATH`},
		{"bad backend", distributed.Options{Backend: "mpi"}, nil, `unknown backend "mpi"`},
		{"nccl", distributed.Options{Backend: distributed.NCCL}, nil, `backend "nccl" is not available`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			unsetEnv(t, "RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := distributed.InitProcessGroup(tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.False(t, distributed.IsInitialized())
		})
	}
}

// unsetEnv removes variables for the test (t.Setenv restores them after).
func unsetEnv(t *testing.T, keys ...string) {
	for _, k := range keys {
		t.Setenv(k, "")
		require.NoError(t, os.Unsetenv(k))
	}
}

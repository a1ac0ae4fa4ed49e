package distributed

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Work is a collective in flight (async_op=True): torch.distributed.Work.
// Wait for it before reading its tensors; a Work left without Wait is
// released by the garbage collector.
type Work struct {
	mu      sync.Mutex
	op      string
	h       capi.Work
	err     error
	tensors []*torch.Tensor // kept reachable until the collective is done
}

func newWork(op string, h capi.Work, ts []*torch.Tensor) *Work {
	w := &Work{op: op, h: h, tensors: ts}
	runtime.AddCleanup(w, func(h capi.Work) { capi.WorkFree(h) }, h)
	return w
}

// Wait blocks until the collective is done on this rank: Work.wait(). It
// returns the collective's error (a peer that died or timed out); a second
// Wait returns the same.
func (w *Work) Wait() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tensors == nil {
		return w.err
	}
	if err := capi.WorkWait(w.h, 0); err != nil {
		w.err = bridge.Error(w.op, err)
	}
	runtime.KeepAlive(w.tensors)
	w.tensors = nil
	return w.err
}

// IsCompleted reports whether the collective has finished (successfully or
// not) without waiting: Work.is_completed().
func (w *Work) IsCompleted() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tensors == nil || capi.WorkIsCompleted(w.h)
}

// start runs one collective's call with the handles of ts acquired.
func (pg *ProcessGroup) start(op string, ts []*torch.Tensor, call func(pg capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error)) (*Work, error) {
	hs := make([]capi.Tensor, 0, len(ts))
	defer func() {
		for _, t := range ts[:len(hs)] {
			bridge.Release(t)
		}
	}()
	for i, t := range ts {
		if t == nil {
			return nil, fmt.Errorf("distributed.%s: tensor %d is nil", op, i)
		}
		h, err := acquire(t)
		if err != nil {
			return nil, fmt.Errorf("distributed.%s: tensor %d: %w", op, i, err)
		}
		hs = append(hs, h)
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.h == nil {
		return nil, fmt.Errorf("distributed.%s: the process group was destroyed", op)
	}
	// libtorch's errors (a peer gone, a timeout) name the op and this rank.
	where := fmt.Sprintf("distributed.%s (rank %d of %d)", op, pg.rank, pg.size)
	h, err := call(pg.h, hs)
	if err != nil {
		return nil, bridge.Error(where, err)
	}
	return newWork(where, h, ts), nil
}

// acquire is bridge.Acquire with its panic (a freed tensor) as an error.
func acquire(t *torch.Tensor) (h capi.Tensor, err error) {
	err = torch.Catch(func() { h = bridge.Acquire(t) })
	return h, err
}

func wait(w *Work, err error) error {
	if err != nil {
		return err
	}
	return w.Wait()
}

// AllReduceAsync starts reducing t across the group, in place on every
// rank: all_reduce(t, op, async_op=True).
func (pg *ProcessGroup) AllReduceAsync(t *torch.Tensor, op ReduceOp) (*Work, error) {
	if op < Sum || op > Max {
		return nil, fmt.Errorf("distributed.AllReduce: unknown %v", op)
	}
	return pg.start("AllReduce", []*torch.Tensor{t}, func(g capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error) {
		return capi.AllReduce(g, hs, int(op))
	})
}

// AllReduce reduces t across the group, in place on every rank:
// torch.distributed.all_reduce(t, op).
func (pg *ProcessGroup) AllReduce(t *torch.Tensor, op ReduceOp) error {
	return wait(pg.AllReduceAsync(t, op))
}

// BroadcastAsync starts copying rank src's t into t on every rank.
func (pg *ProcessGroup) BroadcastAsync(t *torch.Tensor, src int) (*Work, error) {
	if err := pg.checkRank("Broadcast", src); err != nil {
		return nil, err
	}
	return pg.start("Broadcast", []*torch.Tensor{t}, func(g capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error) {
		return capi.Broadcast(g, hs, src)
	})
}

// Broadcast copies rank src's t into t on every rank:
// torch.distributed.broadcast(t, src).
func (pg *ProcessGroup) Broadcast(t *torch.Tensor, src int) error {
	return wait(pg.BroadcastAsync(t, src))
}

// AllGatherAsync starts gathering every rank's t into outs (one tensor per
// rank, each t's shape).
func (pg *ProcessGroup) AllGatherAsync(outs []*torch.Tensor, t *torch.Tensor) (*Work, error) {
	if len(outs) != pg.size {
		return nil, fmt.Errorf("distributed.AllGather: %d output tensors for a group of %d", len(outs), pg.size)
	}
	ts := append([]*torch.Tensor{t}, outs...)
	return pg.start("AllGather", ts, func(g capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error) {
		return capi.AllGather(g, hs[1:], hs[0])
	})
}

// AllGather gathers every rank's t into outs[rank] on every rank:
// torch.distributed.all_gather(outs, t).
func (pg *ProcessGroup) AllGather(outs []*torch.Tensor, t *torch.Tensor) error {
	return wait(pg.AllGatherAsync(outs, t))
}

// ReduceScatterAsync starts reducing ins across the group and leaving part
// rank of the result in out.
func (pg *ProcessGroup) ReduceScatterAsync(out *torch.Tensor, ins []*torch.Tensor, op ReduceOp) (*Work, error) {
	if len(ins) != pg.size {
		return nil, fmt.Errorf("distributed.ReduceScatter: %d input tensors for a group of %d", len(ins), pg.size)
	}
	if op < Sum || op > Max {
		return nil, fmt.Errorf("distributed.ReduceScatter: unknown %v", op)
	}
	ts := append([]*torch.Tensor{out}, ins...)
	return pg.start("ReduceScatter", ts, func(g capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error) {
		return capi.ReduceScatter(g, hs[0], hs[1:], int(op))
	})
}

// ReduceScatter reduces ins[i] across the group into out on rank i:
// torch.distributed.reduce_scatter(out, ins, op). Gloo has no
// reduce_scatter of its own (PyTorch's raises there): it is an all-reduce of
// the stacked inputs, the same result for more traffic.
func (pg *ProcessGroup) ReduceScatter(out *torch.Tensor, ins []*torch.Tensor, op ReduceOp) error {
	return wait(pg.ReduceScatterAsync(out, ins, op))
}

// Barrier returns once every rank has called it: torch.distributed.barrier().
func (pg *ProcessGroup) Barrier() error {
	return wait(pg.start("Barrier", nil, func(g capi.ProcessGroup, _ []capi.Tensor) (capi.Work, error) {
		return capi.Barrier(g)
	}))
}

// ISend starts sending t to rank dst: torch.distributed.isend(t, dst).
func (pg *ProcessGroup) ISend(t *torch.Tensor, dst int) (*Work, error) {
	if err := pg.checkPeer("Send", dst); err != nil {
		return nil, err
	}
	return pg.start("Send", []*torch.Tensor{t}, func(g capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error) {
		return capi.Send(g, hs[0], dst, 0)
	})
}

// Send sends t to rank dst, which receives it with Recv:
// torch.distributed.send(t, dst).
func (pg *ProcessGroup) Send(t *torch.Tensor, dst int) error { return wait(pg.ISend(t, dst)) }

// IRecv starts receiving into t from rank src: torch.distributed.irecv(t, src).
func (pg *ProcessGroup) IRecv(t *torch.Tensor, src int) (*Work, error) {
	if err := pg.checkPeer("Recv", src); err != nil {
		return nil, err
	}
	return pg.start("Recv", []*torch.Tensor{t}, func(g capi.ProcessGroup, hs []capi.Tensor) (capi.Work, error) {
		return capi.Recv(g, hs[0], src, 0)
	})
}

// Recv receives into t what rank src sends: torch.distributed.recv(t, src).
func (pg *ProcessGroup) Recv(t *torch.Tensor, src int) error { return wait(pg.IRecv(t, src)) }

func (pg *ProcessGroup) checkRank(op string, r int) error {
	if r < 0 || r >= pg.size {
		return fmt.Errorf("distributed.%s: rank %d is not in the group (0 to %d)", op, r, pg.size-1)
	}
	return nil
}

func (pg *ProcessGroup) checkPeer(op string, r int) error {
	if err := pg.checkRank(op, r); err != nil {
		return err
	}
	if r == pg.rank {
		return fmt.Errorf("distributed.%s: rank %d cannot %s itself", op, r, op)
	}
	return nil
}

// The package-level collectives use the default group (InitProcessGroup),
// as PyTorch's do without group=.

// AllReduce is ProcessGroup.AllReduce on the default group.
func AllReduce(t *torch.Tensor, op ReduceOp) error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.AllReduce(t, op)
}

// Broadcast is ProcessGroup.Broadcast on the default group.
func Broadcast(t *torch.Tensor, src int) error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.Broadcast(t, src)
}

// AllGather is ProcessGroup.AllGather on the default group.
func AllGather(outs []*torch.Tensor, t *torch.Tensor) error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.AllGather(outs, t)
}

// ReduceScatter is ProcessGroup.ReduceScatter on the default group.
func ReduceScatter(out *torch.Tensor, ins []*torch.Tensor, op ReduceOp) error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.ReduceScatter(out, ins, op)
}

// Barrier is ProcessGroup.Barrier on the default group.
func Barrier() error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.Barrier()
}

// Send is ProcessGroup.Send on the default group.
func Send(t *torch.Tensor, dst int) error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.Send(t, dst)
}

// Recv is ProcessGroup.Recv on the default group.
func Recv(t *torch.Tensor, src int) error {
	pg, err := Default()
	if err != nil {
		return err
	}
	return pg.Recv(t, src)
}

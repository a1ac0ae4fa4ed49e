package distributed

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// DDPOptions are DistributedDataParallel's arguments; the zero value is
// PyTorch's defaults.
type DDPOptions struct {
	// Group is the process group; nil means the default one.
	Group *ProcessGroup
	// BucketCapMB is bucket_cap_mb: gradients are all-reduced in buckets
	// of about this size (after a first bucket of 1 MiB), each as soon as
	// its gradients are ready. Zero means 25.
	BucketCapMB float64
	// NoBroadcastBuffers turns off broadcast_buffers: by default rank 0's
	// buffers (BatchNorm's running statistics) are copied to every rank
	// before each forward pass.
	NoBroadcastBuffers bool
}

// DistributedDataParallel trains a model on several processes at once:
// torch.nn.parallel.DistributedDataParallel. At construction rank 0's
// parameters and buffers are copied to every rank; each Forward arms the
// next backward pass to average the gradients over the ranks, bucket by
// bucket as they are ready, overlapping the all-reduces with the rest of
// the backward pass, so that after loss.Backward() every rank holds the
// same gradients and its optimizer takes the same step.
//
// Its state_dict names are the model's with "module." in front, as
// PyTorch's.
type DistributedDataParallel struct {
	Module nn.Module `nn:"module"`

	pg        *ProcessGroup
	buffers   []*torch.Tensor
	broadcast bool

	mu      sync.Mutex
	reducer capi.Reducer
	noSync  bool
	params  []*torch.Tensor
}

// NewDistributedDataParallel wraps module: DistributedDataParallel(module).
// Every rank must call it, with the same model architecture.
func NewDistributedDataParallel(module nn.Module, opts ...DDPOptions) (*DistributedDataParallel, error) {
	var o DDPOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	fail := func(format string, a ...any) (*DistributedDataParallel, error) {
		return nil, fmt.Errorf("distributed.NewDistributedDataParallel: "+format, a...)
	}
	pg := o.Group
	if pg == nil {
		var err error
		if pg, err = Default(); err != nil {
			return fail("%v", err)
		}
	}
	capMB := o.BucketCapMB
	if capMB == 0 {
		capMB = 25
	}
	if capMB < 0 {
		return fail("BucketCapMB %v is negative", capMB)
	}
	var params []*torch.Tensor
	for _, p := range nn.Parameters(module) {
		if p.RequiresGrad() {
			params = append(params, p)
		}
	}
	if len(params) == 0 {
		return fail("the module has no parameter that requires a gradient")
	}
	d := &DistributedDataParallel{Module: module, pg: pg, params: params, buffers: nn.Buffers(module), broadcast: !o.NoBroadcastBuffers}
	if err := d.checkSameModel(); err != nil {
		return fail("%v", err)
	}
	if err := d.broadcastFrom0(append(append([]*torch.Tensor{}, params...), d.buffers...)); err != nil {
		return fail("copying rank 0's parameters and buffers: %v", err)
	}
	bucketOf, n := bucketAssignment(params, int64(capMB*(1<<20)))
	hs := make([]capi.Tensor, 0, len(params))
	defer func() {
		for _, p := range params[:len(hs)] {
			bridge.Release(p)
		}
	}()
	for _, p := range params {
		h, err := acquire(p)
		if err != nil {
			return fail("%v", err)
		}
		hs = append(hs, h)
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.h == nil {
		return fail("the process group was destroyed")
	}
	r, err := capi.ReducerNew(pg.h, hs, bucketOf, n)
	if err != nil {
		return fail("%v", bridge.Error("DistributedDataParallel", err))
	}
	d.reducer = r
	return d, nil
}

// checkSameModel compares the number of parameters and of their elements
// across the ranks (PyTorch verifies the shapes likewise), so that a rank
// with another model fails here with a clear error rather than in a
// collective of mismatched sizes.
func (d *DistributedDataParallel) checkSameModel() error {
	var numel int64
	for _, p := range d.params {
		numel += p.Numel()
	}
	mine := []float64{float64(len(d.params)), float64(numel)}
	lo := torch.FromSlice(mine)
	hi := torch.FromSlice(mine)
	defer torch.FreeAll(lo, hi)
	if err := d.pg.AllReduce(lo, Min); err != nil {
		return err
	}
	if err := d.pg.AllReduce(hi, Max); err != nil {
		return err
	}
	l, h := lo.Float64s(), hi.Float64s()
	if l[0] != h[0] || l[1] != h[1] {
		return fmt.Errorf("the ranks' models differ: this rank (%d) has %d parameters of %d elements; across the ranks the counts run from %v to %v parameters and %v to %v elements",
			d.pg.rank, len(d.params), numel, l[0], h[0], l[1], h[1])
	}
	return nil
}

// broadcastFrom0 copies rank 0's tensors to every rank, all started before
// any is waited for.
func (d *DistributedDataParallel) broadcastFrom0(ts []*torch.Tensor) error {
	var errs []error
	var works []*Work
	torch.NoGrad(func() {
		for _, t := range ts {
			w, err := d.pg.BroadcastAsync(t, 0)
			if err != nil {
				errs = append(errs, err)
				break
			}
			works = append(works, w)
		}
	})
	for _, w := range works {
		errs = append(errs, w.Wait())
	}
	return errors.Join(errs...)
}

// bucketAssignment is c10d's compute_bucket_assignment_by_size as Python's
// DDP calls it: the parameters in order, one running bucket per dtype and
// device, closed when it reaches its limit (1 MiB for the first, then
// capBytes); the buckets sorted by their first parameter, then reversed, as
// gradients are ready from the last layer back. It returns each parameter's
// bucket and the number of buckets.
func bucketAssignment(params []*torch.Tensor, capBytes int64) ([]int32, int) {
	type key struct {
		dtype  torch.DType
		device torch.Device
	}
	type acc struct {
		indices []int
		size    int64
		limit   int64
	}
	const firstBucket = 1 << 20
	var buckets [][]int
	open := map[key]*acc{}
	var order []key
	for i, p := range params {
		k := key{p.DType(), p.Device()}
		a := open[k]
		if a == nil {
			a = &acc{limit: firstBucket}
			open[k] = a
			order = append(order, k)
		}
		a.indices = append(a.indices, i)
		a.size += p.Nbytes()
		if a.size >= a.limit {
			buckets = append(buckets, a.indices)
			a.indices, a.size, a.limit = nil, 0, capBytes
		}
	}
	for _, k := range order {
		if a := open[k]; len(a.indices) > 0 {
			buckets = append(buckets, a.indices)
		}
	}
	// Sorted by first index; each bucket's indices are increasing.
	slices.SortFunc(buckets, func(a, b []int) int { return a[0] - b[0] })
	bucketOf := make([]int32, len(params))
	for b, idx := range buckets {
		for _, i := range idx {
			bucketOf[i] = int32(len(buckets) - 1 - b)
		}
	}
	return bucketOf, len(buckets)
}

// Forward runs the model on x (DDP's forward): first, unless turned off,
// rank 0's buffers are copied to every rank; then, with gradients enabled
// and outside NoSync, the next backward pass is armed to average the
// gradients. A failed buffer broadcast panics with a *torch.Error, as a
// failed operation does.
func (d *DistributedDataParallel) Forward(x *torch.Tensor) *torch.Tensor {
	d.mu.Lock()
	if d.reducer == nil {
		d.mu.Unlock()
		panic(&torch.Error{Op: "DistributedDataParallel.Forward", Msg: "used after Close"})
	}
	sync := !d.noSync && torch.IsGradEnabled()
	if sync && d.broadcast && len(d.buffers) > 0 && d.pg.size > 1 {
		if err := d.broadcastFrom0(d.buffers); err != nil {
			d.mu.Unlock()
			panic(&torch.Error{Op: "DistributedDataParallel.Forward", Msg: err.Error()})
		}
	}
	if sync {
		if err := capi.ReducerPrepareForBackward(d.reducer); err != nil {
			d.mu.Unlock()
			panic(bridge.Error("DistributedDataParallel.Forward", err))
		}
	}
	d.mu.Unlock()
	return d.Module.Forward(x)
}

// NoSync runs fn with gradient averaging off: the backward passes inside
// accumulate gradients locally, and the first synchronised backward pass
// after it averages what they accumulated: DDP's no_sync() context.
func (d *DistributedDataParallel) NoSync(fn func()) {
	d.mu.Lock()
	prev := d.noSync
	d.noSync = true
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.noSync = prev
		d.mu.Unlock()
	}()
	fn()
}

// Close stops averaging gradients: backward passes afterwards leave them
// local. The model itself is untouched.
func (d *DistributedDataParallel) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.reducer != nil {
		capi.ReducerFree(d.reducer)
		d.reducer = nil
	}
}

// Package trainer is the training and evaluation loop the programs in cmd/
// share: the tutorial's loop (zero_grad, forward, loss, backward, step) with
// progress, per-epoch evaluation, and a clean stop when the context ends;
// and their scaffolding (Program: flags, exit statuses, device and seed;
// Session.Fit: optimizer, loaders, epochs and summary).
package trainer

import (
	"context"
	"io"
	"runtime"
	"strconv"
	"time"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Model is what the loop needs of a model: nn.Module's forward.
type Model interface {
	Forward(x *torch.Tensor) *torch.Tensor
}

// Epoch is one epoch's figures.
type Epoch struct {
	Epoch       int
	TrainLoss   float64 // mean over the batches
	TrainAcc    float64 // fraction correct on the training batches, as they were seen
	TestLoss    float64
	TestAcc     float64
	TestSamples int
	Samples     int // training samples seen
	TrainTime   time.Duration
	TestTime    time.Duration
	Interrupted bool // the context ended during the epoch
}

// Loop trains a model with one optimizer and loss on one device.
type Loop struct {
	Model     Model
	Optimizer optim.Optimizer
	Loss      *nn.CrossEntropyLoss
	Device    torch.Device
	Out       io.Writer
	Quiet     bool
	// AfterStep, when set, runs after each optimizer step (with the step
	// number from 1); the programs use it to report memory after the first.
	AfterStep func(step int)
	steps     int
}

// TrainEpoch runs one pass over train. It stops after the current batch when
// ctx ends and says so in the result.
func (l *Loop) TrainEpoch(ctx context.Context, epoch int, train *data.Loader) (Epoch, error) {
	defer l.lockThread()()
	nn.Train(l.Model)
	res := Epoch{Epoch: epoch}
	progress := NewProgress(l.Out, "epoch "+strconv.Itoa(epoch), train.Len(), l.Quiet)
	start := time.Now()
	var lossSum float64
	var correct, batches int
	for images, labels := range train.All() {
		x, y := images.To(l.Device), labels.To(l.Device)
		l.Optimizer.ZeroGrad()
		out := l.Model.Forward(x)
		loss := l.Loss.Forward(out, y)
		loss.Backward()
		l.Optimizer.Step()
		l.steps++
		if l.AfterStep != nil {
			l.AfterStep(l.steps)
		}
		lv := loss.Item()
		lossSum += lv
		batches++
		correct += countCorrect(out, y)
		res.Samples += int(labels.Size(0))
		progress.Step(lossSum/float64(batches), res.Samples)
		// Free the step's tensors now rather than at the next collection:
		// it keeps memory flat and the allocator's caches warm.
		torch.FreeAll(images, labels, x, y, out, loss)
		if ctx.Err() != nil {
			res.Interrupted = true
			break
		}
	}
	progress.Finish()
	if err := train.Err(); err != nil {
		return res, err
	}
	res.TrainTime = time.Since(start)
	if batches > 0 {
		res.TrainLoss = lossSum / float64(batches)
		res.TrainAcc = float64(correct) / float64(res.Samples)
	}
	return res, nil
}

// Evaluate returns the mean loss, the accuracy and the number of samples
// over test, without autograd: model.eval() and torch.no_grad().
func (l *Loop) Evaluate(test *data.Loader) (loss, acc float64, n int, err error) {
	defer l.lockThread()()
	nn.Eval(l.Model)
	defer nn.Train(l.Model)
	sumLoss := nn.NewCrossEntropyLoss(nn.WithReduction(torch.ReductionSum))
	var total float64
	var correct int
	torch.NoGrad(func() {
		for images, labels := range test.All() {
			x, y := images.To(l.Device), labels.To(l.Device)
			out := l.Model.Forward(x)
			lt := sumLoss.Forward(out, y)
			total += lt.Item()
			correct += countCorrect(out, y)
			n += int(labels.Size(0))
			torch.FreeAll(images, labels, x, y, out, lt)
		}
	})
	if err := test.Err(); err != nil {
		return 0, 0, 0, err
	}
	if n == 0 {
		return 0, 0, 0, nil
	}
	return total / float64(n), float64(correct) / float64(n), n, nil
}

// lockThread keeps the loop on one OS thread, as Python's interpreter
// thread is. libtorch's intra-op parallelism (OpenMP) keeps a team of worker
// threads per calling thread, so a goroutine that wandered between threads
// would grow several teams, more threads than cores, and slow each step; on
// a GPU, cuBLAS keeps a workspace per thread, counted in
// torch.cuda.memory_allocated, so it would also hold more memory than
// Python. It returns the unlock.
func (l *Loop) lockThread() func() {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}

// countCorrect is (out.argmax(1) == y).sum().item().
func countCorrect(out, y *torch.Tensor) int {
	pred := out.Argmax(torch.ArgmaxOpts{Dim: new(int64(1))})
	eq := pred.Eq(y)
	s := eq.Sum()
	n := int(s.ItemInt())
	torch.FreeAll(pred, eq, s)
	return n
}

// Command benchmnist is the Go half of scripts/bench_vs_pytorch.sh: it times
// the same work as scripts/pytorch_mnist.py (the tutorial's MNIST training
// in Python) and prints one JSON object with the same keys, so that the
// harness compares like with like.
//
//	benchmnist --what epoch    # train one epoch (batch 64, Adam 1e-3), then test (batch 1000)
//	benchmnist --what epoch --epochs 3 --batch-size 256   # each epoch timed: the cold first against the warm
//	benchmnist --what loader   # one pass over the training loader (ToTensor+Normalize, batch 64, shuffle)
//	benchmnist --what step     # one training step on a fixed random batch, as scripts/bench_train_step.py
//	benchmnist --what overhead # per-call cost of a + b on 1-element tensors, as scripts/bench_overhead.cpp
//	benchmnist --what overhead --serve  # answer scripts/bench_percall.py's rounds: "free N" or "gc N" per line
//
// With --device cuda (a libcgotorch.so built against a CUDA libtorch, see
// docs/gpu.md) the model goes to the GPU with nn.To before the optimizer is
// created and every batch follows it, as pytorch_mnist.py --device cuda does;
// the timers are read after cuda.Synchronize. --what step then also reports
// cuda.MemoryAllocated after model and optimizer creation and after the
// first training step (memory_after_setup, memory_after_step), for the
// harness to compare with torch.cuda.memory_allocated() to the byte, and the
// device's name. --what loader is CPU work on either device, and --what
// overhead (a launch-latency measurement on a GPU, not a binding cost) is
// refused with cuda.
//
// Beside the figures it reports the libtorch version, the intra-op thread
// count and the BLAS and libtorch libraries mapped into the process (read
// from /proc/self/maps), so that both sides of a comparison can be seen to
// run on the same ones. Exit status: 0, 1 on a runtime failure, 2 on bad
// usage.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

func main() {
	// One OS thread for all the work, as Python's interpreter thread and the
	// cmd/ programs' training loop (see the torch package doc, Threads).
	runtime.LockOSThread()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

type config struct {
	data       string
	threads    int
	numWorkers int
	seed       uint64
	what       string
	steps      int
	repeats    int
	calls      int
	batchSize  int
	epochs     int
	device     torch.Device
	serve      bool
}

// usageError marks errors that exit with status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("benchmnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.data, "data", datasets.CacheDir(), "dataset root (torchvision layout: DATA/MNIST/raw), shared with pytorch_mnist.py")
	fs.IntVar(&c.threads, "threads", 1, "intra-op threads (torch.set_num_threads)")
	fs.IntVar(&c.numWorkers, "num-workers", 0, "loader worker goroutines (DataLoader's num_workers)")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed (torch.manual_seed)")
	fs.StringVar(&c.what, "what", "epoch", "what to time: epoch, loader, step or overhead")
	fs.IntVar(&c.steps, "steps", 1000, "training steps per timed run (--what step)")
	fs.IntVar(&c.repeats, "repeats", 3, "timed runs whose median is reported (--what step)")
	fs.IntVar(&c.calls, "calls", 1000000, "calls per timed run (--what overhead)")
	fs.IntVar(&c.batchSize, "batch-size", 64, "training batch size (--what epoch and loader)")
	fs.IntVar(&c.epochs, "epochs", 1, "epochs to train (--what epoch), each timed, then the test set once")
	fs.BoolVar(&c.serve, "serve", false, "with --what overhead: read lines \"free N\" or \"gc N\" from stdin and answer each with the nanoseconds per call of N calls (scripts/bench_percall.py)")
	device := fs.String("device", "cpu", "where the model and batches live: cpu or cuda (cuda:N), as pytorch_mnist.py --device")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: benchmnist [flags]\n\nTimes the tutorial's MNIST work as scripts/pytorch_mnist.py does; prints JSON.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err}
	}
	dev, err := torch.ParseDevice(*device)
	if err != nil {
		return nil, usageError{fmt.Errorf("--device: %w", err)}
	}
	c.device = dev
	switch {
	case fs.NArg() > 0:
		return nil, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case c.threads < 1:
		return nil, usageError{fmt.Errorf("--threads must be at least 1, got %d", c.threads)}
	case c.numWorkers < 0:
		return nil, usageError{fmt.Errorf("--num-workers must not be negative, got %d", c.numWorkers)}
	case !slices.Contains([]string{"epoch", "loader", "step", "overhead"}, c.what):
		return nil, usageError{fmt.Errorf("--what must be epoch, loader, step or overhead, got %q", c.what)}
	case c.steps < 1 || c.repeats < 1 || c.calls < 1 || c.batchSize < 1 || c.epochs < 1:
		return nil, usageError{fmt.Errorf("--steps, --repeats, --calls, --batch-size and --epochs must be at least 1, got %d, %d, %d, %d, %d",
			c.steps, c.repeats, c.calls, c.batchSize, c.epochs)}
	case c.serve && c.what != "overhead":
		return nil, usageError{fmt.Errorf("--serve is for --what overhead, got --what %s", c.what)}
	case c.device.IsCUDA() && c.what == "overhead":
		return nil, usageError{errors.New("--what overhead measures the CPU binding cost; it takes no --device cuda")}
	}
	return c, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var out map[string]any
	switch {
	case err == nil && c.serve:
		torch.SetNumThreads(c.threads)
		err = serveOverhead(stdin, stdout)
		if err == nil {
			return 0
		}
	case err == nil:
		out, err = measure(c)
	}
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "benchmnist:", err)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "benchmnist:", err)
		return 1
	}
	b, err := json.Marshal(out)
	if err != nil {
		fmt.Fprintln(stderr, "benchmnist:", err)
		return 1
	}
	fmt.Fprintln(stdout, string(b))
	return 0
}

// measure runs the chosen work and returns the JSON fields: those of
// pytorch_mnist.py (torch, threads, num_workers, then the figures) and the
// mapped libraries.
func measure(c *config) (map[string]any, error) {
	torch.SetNumThreads(c.threads)
	torch.ManualSeed(c.seed)
	out := map[string]any{"torch": torch.Version(), "threads": torch.GetNumThreads(), "num_workers": c.numWorkers}
	if c.device.IsCUDA() {
		// Only with cuda, so that the CPU output keeps its keys.
		name, err := cudaDevice(c.device)
		if err != nil {
			return nil, err
		}
		out["device"], out["device_name"] = c.device.String(), name
	}
	var err error
	switch c.what {
	case "step":
		err = timeStep(c, out)
	case "overhead":
		timeOverhead(c, out)
	default:
		err = timeMNIST(c, out)
	}
	if err != nil {
		return nil, err
	}
	// Read after the work, when every library the work needed is mapped.
	libs, err := mappedLibraries()
	if err != nil {
		return nil, err
	}
	out["blas"], out["libtorch"] = libs.blas, libs.libtorch
	out["max_rss_bytes"] = maxRSS()
	return out, nil
}

// timeMNIST is pytorch_mnist.py's loader and epoch measurements.
func timeMNIST(c *config, out map[string]any) error {
	// transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
	transform := transforms.Compose(transforms.ToTensor(), transforms.Normalize([]float64{0.1307}, []float64{0.3081}))
	datasets.Log = io.Discard
	train, err := datasets.NewMNIST(c.data, datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	loader := data.NewLoader(train, data.Options{BatchSize: c.batchSize, Shuffle: true, NumWorkers: c.numWorkers})

	if c.what == "loader" {
		start := time.Now()
		n := 0
		for images, labels := range loader.All() {
			n += int(images.Size(0))
			images.Free()
			labels.Free()
		}
		if err := loader.Err(); err != nil {
			return err
		}
		out["loader_seconds"] = time.Since(start).Seconds()
		out["samples"] = n
		return nil
	}

	test, err := datasets.NewMNIST(c.data, datasets.Options{Train: false, Download: true, Transform: transform})
	if err != nil {
		return err
	}
	testLoader := data.NewLoader(test, data.Options{BatchSize: 1000, NumWorkers: c.numWorkers})
	model := models.NewMNISTModel()
	// model.to(device), before the optimizer takes the parameters.
	if err := nn.To(model, c.device); err != nil {
		return err
	}
	opt, err := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 1e-3})
	if err != nil {
		return err
	}
	lossFn := nn.NewCrossEntropyLoss()

	if err := c.sync(); err != nil {
		return err
	}
	// Each epoch is timed on its own: the first, cold one (fresh allocator,
	// thread pools, page cache of the batches) against the warm ones.
	var finalLoss float64
	var loss *torch.Tensor
	var trainSeconds []float64
	var faults []int64 // minor page faults of each epoch
	for range c.epochs {
		e0, f0 := time.Now(), minorFaults()
		nn.Train(model)
		for images, labels := range loader.All() {
			loss.Free() // the previous step's, kept for final_loss as Python keeps `loss`
			images, labels = c.to(images), c.to(labels)
			opt.ZeroGrad()
			logits := model.Forward(images)
			loss = lossFn.Forward(logits, labels)
			loss.Backward()
			opt.Step()
			// Freed here as CPython's reference counting frees them when the
			// names are rebound; what Forward made inside goes to the GC.
			logits.Free()
			images.Free()
			labels.Free()
		}
		if err := loader.Err(); err != nil {
			return err
		}
		if err := c.sync(); err != nil {
			return err
		}
		trainSeconds = append(trainSeconds, time.Since(e0).Seconds())
		faults = append(faults, minorFaults()-f0)
	}
	t1 := time.Now()
	nn.Eval(model)
	correct := 0
	torch.NoGrad(func() {
		for images, labels := range testLoader.All() {
			// (model(images).argmax(1) == labels).sum().item()
			images, labels = c.to(images), c.to(labels)
			logits := model.Forward(images)
			pred := logits.Argmax(torch.ArgmaxOpts{Dim: new(int64(1))})
			eq := pred.Eq(labels)
			sum := eq.Sum()
			correct += int(sum.ItemInt())
			torch.FreeAll(logits, pred, eq, sum, images, labels)
		}
	})
	if err := testLoader.Err(); err != nil {
		return err
	}
	if err := c.sync(); err != nil {
		return err
	}
	t2 := time.Now()
	if loss != nil {
		finalLoss = loss.Item()
	}
	// epoch_seconds: the first epoch and the test, as with --epochs 1.
	out["train_seconds"] = trainSeconds[0]
	out["train_seconds_each"] = trainSeconds
	out["minor_faults_each"] = faults
	out["samples"] = train.Len()
	out["test_seconds"] = t2.Sub(t1).Seconds()
	out["epoch_seconds"] = trainSeconds[0] + t2.Sub(t1).Seconds()
	out["accuracy"] = float64(correct) / float64(test.Len())
	out["final_loss"] = finalLoss
	return nil
}

// timeStep is scripts/bench_train_step.py: zero_grad (set_to_none), forward,
// loss, backward, step on one random batch of 64; 50 warm-up steps, then
// the median over repeats of the mean step time.
func timeStep(c *config, out map[string]any) error {
	model := models.NewMNISTModel()
	if err := nn.To(model, c.device); err != nil {
		return err
	}
	opt, err := optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 1e-3})
	if err != nil {
		return err
	}
	if c.device.IsCUDA() {
		if out["memory_after_setup"], err = c.allocated(); err != nil {
			return err
		}
	}
	lossFn := nn.NewCrossEntropyLoss()
	images := c.to(torch.Randn([]int64{64, 1, 28, 28}))
	labels := c.to(torch.RandInt(0, 10, []int64{64}))
	step := func() {
		opt.ZeroGrad()
		logits := model.Forward(images)
		loss := lossFn.Forward(logits, labels)
		loss.Backward()
		opt.Step()
		logits.Free()
		loss.Free()
	}
	step()
	if c.device.IsCUDA() {
		if out["memory_after_step"], err = c.allocated(); err != nil {
			return err
		}
	}
	for range 49 {
		step()
	}
	times := make([]float64, c.repeats)
	for r := range times {
		if err := c.sync(); err != nil {
			return err
		}
		start := time.Now()
		for range c.steps {
			step()
		}
		if err := c.sync(); err != nil {
			return err
		}
		times[r] = time.Since(start).Seconds() / float64(c.steps)
	}
	out["step_seconds"] = median(times)
	return nil
}

// timeOverhead is scripts/bench_overhead.cpp's loop, `c = a + b` on
// 1-element float32 tensors: once with Free (the deterministic path, what
// C++'s destructor and CPython's reference count do) and once leaving the
// results to the garbage collector.
func timeOverhead(c *config, out map[string]any) {
	a, b := overheadOperands()
	out["call_ns_free"] = timeCalls(a, b, c.calls, true)
	out["call_ns_gc"] = timeCalls(a, b, c.calls, false)
}

// serveOverhead answers scripts/bench_percall.py, which interleaves short
// rounds of the C++, Python and Go loops so that all three see the same
// moments of the machine: each line "free N" or "gc N" is answered with the
// nanoseconds per call of N calls of timeOverhead's loop, until EOF.
func serveOverhead(in io.Reader, out io.Writer) error {
	a, b := overheadOperands()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		var mode string
		var n int
		if _, err := fmt.Sscanf(sc.Text(), "%s %d", &mode, &n); err != nil || n < 1 || (mode != "free" && mode != "gc") {
			return usageError{fmt.Errorf("--serve: want a line \"free N\" or \"gc N\" with N >= 1, got %q", sc.Text())}
		}
		if _, err := fmt.Fprintf(out, "%.1f\n", timeCalls(a, b, n, mode == "free")); err != nil {
			return err
		}
	}
	return sc.Err()
}

// overheadOperands makes the two 1-element tensors and warms the loop up.
func overheadOperands() (a, b *torch.Tensor) {
	a, b = torch.Ones([]int64{1}), torch.Ones([]int64{1})
	timeCalls(a, b, 10000, true)
	return a, b
}

// timeCalls times n calls of c := a + b, each result freed or left to the
// collector (then collected, within the time), and returns the nanoseconds
// per call.
func timeCalls(a, b *torch.Tensor, n int, free bool) float64 {
	start := time.Now()
	if free {
		for range n {
			a.Add(b).Free()
		}
	} else {
		for range n {
			_ = a.Add(b)
		}
		// The collection that frees them is part of their cost; finishing it
		// before answering also keeps this process from collecting during
		// the other sides' rounds of scripts/bench_percall.py.
		torch.Collect(torch.CPU)
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

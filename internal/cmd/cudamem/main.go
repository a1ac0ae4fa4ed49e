// Command cudamem prints the memory figures of the tutorial's first training
// step as JSON, for scripts/gpu_check.sh to compare with what Python's torch
// reports for the same sequence (scripts/gpu_memory.py):
//
//	(a) MNISTModel (Flatten, Linear(784,128), ReLU, Linear(128,10)) on the device
//	(b) Adam(lr=1e-3) created
//	(c) one training step on a batch of 64 random images
//	(d) after torch.cuda.empty_cache()
//
// After each stage it reads torch.cuda.memory_allocated(), max_memory_allocated()
// and memory_reserved() through the cuda package. On the CPU it reads the
// counting allocator's figures instead (PyTorch has no such counters, so
// there is nothing to compare them with; gpu_check.sh --cpu-dry-run uses this
// to check the plumbing).
//
//	go run ./internal/cmd/cudamem [--device cuda|cuda:N|cpu] [--batch-size 64] [--seed 0]
//
// The training step frees every intermediate tensor at the point where
// Python's reference counting drops it (the forward pass rebinds x, so each
// activation dies when the next one exists): that is what makes the peak
// comparable to the byte. Each reading is taken after the Go collector has
// run, so that tensors dropped without Free inside the library are counted
// as Python would (gone); the reading before that is printed too, as
// allocated_before_gc, for diagnosis. Adam is compared with Python's
// single-tensor Adam (foreach=False), the algorithm optim.Adam implements.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/models"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Stage is one reading. Reserved is nil on the CPU, which has no caching
// allocator.
type Stage struct {
	Stage             string `json:"stage"`
	What              string `json:"what"`
	Allocated         int64  `json:"allocated"`
	MaxAllocated      int64  `json:"max_allocated"`
	Reserved          *int64 `json:"reserved"`
	AllocatedBeforeGC int64  `json:"allocated_before_gc"`
}

// The main goroutine stays on the main OS thread, as Python's interpreter
// does: cuBLAS keeps a workspace per (thread, stream), allocated through the
// caching allocator and counted in memory_allocated, so a goroutine that
// moved between threads would hold more workspaces than Python.
func init() { runtime.LockOSThread() }

// Report is the program's output.
type Report struct {
	Program    string  `json:"program"`
	Torch      string  `json:"torch"`
	Device     string  `json:"device"`
	DeviceName string  `json:"device_name"`
	BatchSize  int64   `json:"batch_size"`
	Stages     []Stage `json:"stages"`
}

func main() {
	deviceFlag := flag.String("device", "cuda", "cuda, cuda:N or cpu")
	batch := flag.Int64("batch-size", 64, "images in the training batch")
	seed := flag.Uint64("seed", 0, "torch.manual_seed before the model is built")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: cudamem [--device cuda|cuda:N|cpu] [--batch-size N] [--seed N]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 || *batch <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	device, err := torch.ParseDevice(*deviceFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cudamem:", err)
		os.Exit(2)
	}
	report, err := run(device, *batch, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cudamem:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(report); err != nil {
		fmt.Fprintln(os.Stderr, "cudamem:", err)
		os.Exit(1)
	}
}

func run(device torch.Device, batch int64, seed uint64) (*Report, error) {
	r := &Report{Program: "go", Torch: torch.Version(), Device: device.String(), BatchSize: batch}
	if device.IsCUDA() {
		if !cuda.IsAvailable() {
			if !torch.CUDACompiled() {
				return nil, fmt.Errorf("--device %v: CUDA not available: libcgotorch.so was built against a CPU-only libtorch %s (rebuild it with scripts/install_libtorch.sh against a CUDA libtorch)", device, torch.Version())
			}
			return nil, fmt.Errorf("--device %v: CUDA not available: libtorch %s has CUDA but sees no device", device, torch.Version())
		}
		if device.Index >= cuda.DeviceCount() {
			return nil, fmt.Errorf("--device %v: this process sees %d CUDA device(s)", device, cuda.DeviceCount())
		}
		name, err := cuda.DeviceName(device.Index)
		if err != nil {
			return nil, err
		}
		r.DeviceName = name
	}
	var err error // the first failure; later stages are skipped once it is set
	read := func(stage, what string) {
		if err != nil {
			return
		}
		s := Stage{Stage: stage, What: what}
		if device.IsCUDA() {
			if err = cuda.Synchronize(device.Index); err != nil {
				return
			}
		}
		s.AllocatedBeforeGC = torch.MemoryAllocated(device)
		torch.Collect(device)
		s.Allocated = torch.MemoryAllocated(device)
		if device.IsCUDA() {
			s.MaxAllocated = cuda.MaxMemoryAllocated(device.Index)
			v := cuda.MemoryReserved(device.Index)
			s.Reserved = &v
		} else {
			s.MaxAllocated = torch.MaxMemoryAllocated(device)
		}
		r.Stages = append(r.Stages, s)
	}

	// Tensor math panics with *torch.Error; this program reports it as an error.
	var model *models.MNISTModel
	var opt *optim.Adam
	var x, y, loss *torch.Tensor
	panicked := catch(func() {
		torch.ManualSeed(seed)
		// (a) model = MNISTModel().to(device)
		model = models.NewMNISTModel()
		if err = nn.To(model, device); err != nil {
			return
		}
		read("a", "model = MNISTModel().to(device)")

		// (b) optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
		if opt, err = optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: 1e-3}); err != nil {
			return
		}
		read("b", "optimizer = Adam(model.parameters(), lr=1e-3)")

		// (c) one training step
		xCPU := torch.Randn([]int64{batch, 1, 28, 28})
		yCPU := torch.RandInt(0, 10, []int64{batch})
		x, y = xCPU.To(device), yCPU.To(device)
		xCPU.Free()
		yCPU.Free()
		lossFn := nn.NewCrossEntropyLoss()
		opt.ZeroGrad()
		flat := model.Flatten.Forward(x)
		h := model.Layer1.Forward(flat)
		flat.Free()
		a := model.ReLU.Forward(h)
		h.Free()
		logits := model.Layer2.Forward(a)
		a.Free()
		loss = lossFn.Forward(logits, y)
		logits.Free()
		loss.Backward()
		opt.Step()
		read("c", "one step: zero_grad, loss = loss_fn(model(x), y), backward, step")

		// (d) torch.cuda.empty_cache()
		if device.IsCUDA() {
			if err = cuda.EmptyCache(); err != nil {
				return
			}
		}
		read("d", "torch.cuda.empty_cache()")
	})
	// What Python still holds at (d) stays alive until every reading is taken.
	runtime.KeepAlive(model)
	runtime.KeepAlive(opt)
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
	runtime.KeepAlive(loss)
	if err == nil {
		err = panicked
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// catch turns a *torch.Error panic into an error.
func catch(f func()) error {
	err := torch.Catch(f)
	var te *torch.Error
	if errors.As(err, &te) {
		return fmt.Errorf("libtorch: %w", err)
	}
	return err
}

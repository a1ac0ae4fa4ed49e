package trainer

import (
	"context"
	"fmt"
	"io"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/internal/gpumon"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// Flags is the command line the training programs share, with the names of
// PyTorch's examples.
type Flags struct {
	Data          string
	BatchSize     int
	TestBatchSize int
	Epochs        int
	LR            float64
	Optimizer     string
	Momentum      float64
	Device        string
	NumWorkers    int
	Seed          uint64
	Save          string
	Samples       string
	Plot          string
	Quiet         bool
	Monitor       bool

	fs *flag.FlagSet // the parsed command line, for Changed and Value
}

// Changed reports whether the command line gave the flag name ("lr").
func (f *Flags) Changed(name string) bool { return f.fs != nil && f.fs.Changed(name) }

// Value is the flag name's value as text, "" for a flag that is not
// defined: how a program reads the flags it added with Program.Flags.
func (f *Flags) Value(name string) string {
	if f.fs == nil {
		return ""
	}
	if fl := f.fs.Lookup(name); fl != nil {
		return fl.Value.String()
	}
	return ""
}

// Register defines the flags on fs; dataHelp and samplesHelp describe the
// program's dataset and sample grid.
func (f *Flags) Register(fs *flag.FlagSet, dataHelp, samplesHelp string, epochs int) {
	fs.StringVar(&f.Data, "data", "./data", dataHelp)
	fs.IntVar(&f.BatchSize, "batch-size", 64, "training batch size")
	fs.IntVar(&f.TestBatchSize, "test-batch-size", 1000, "test batch size")
	fs.IntVar(&f.Epochs, "epochs", epochs, "number of epochs")
	fs.Float64Var(&f.LR, "lr", 0, "learning rate (default 0.001 for adam, 0.01 for sgd)")
	fs.StringVar(&f.Optimizer, "optimizer", "adam", "optimizer: adam or sgd")
	fs.Float64Var(&f.Momentum, "momentum", 0, "SGD momentum")
	fs.StringVar(&f.Device, "device", "auto", "device: auto, cpu, cuda or cuda:N")
	fs.IntVar(&f.NumWorkers, "num-workers", 2, "loader worker goroutines (0 builds batches in the training loop)")
	fs.Uint64Var(&f.Seed, "seed", 1, "random seed (torch.manual_seed)")
	fs.StringVar(&f.Save, "save", "", "write the trained state_dict to FILE (torch.load reads it)")
	fs.StringVar(&f.Samples, "samples", "", samplesHelp)
	fs.StringVar(&f.Plot, "plot", "", "write a PNG of loss and accuracy per epoch to FILE")
	fs.BoolVarP(&f.Quiet, "quiet", "q", false, "print only the summary")
	fs.BoolVar(&f.Monitor, "monitor", false, "show GPU memory and utilisation (NVML) each epoch")
}

// Check validates the parsed flags (usage errors) and fills the learning
// rate's default for the optimizer.
func (f *Flags) Check() error {
	switch {
	case f.BatchSize < 1:
		return cli.Usagef("--batch-size must be at least 1, got %d", f.BatchSize)
	case f.TestBatchSize < 1:
		return cli.Usagef("--test-batch-size must be at least 1, got %d", f.TestBatchSize)
	case f.Epochs < 1:
		return cli.Usagef("--epochs must be at least 1, got %d", f.Epochs)
	case f.LR < 0:
		return cli.Usagef("--lr must not be negative, got %g", f.LR)
	case f.Momentum < 0:
		return cli.Usagef("--momentum must not be negative, got %g", f.Momentum)
	case f.NumWorkers < 0:
		return cli.Usagef("--num-workers must not be negative, got %d", f.NumWorkers)
	case f.Optimizer != "adam" && f.Optimizer != "sgd":
		return cli.Usagef("--optimizer must be adam or sgd, got %q", f.Optimizer)
	}
	// The outputs are written after the training: refuse now what could
	// not be written then.
	for _, out := range []struct{ flag, path string }{{"--save", f.Save}, {"--plot", f.Plot}} {
		if out.path != "" {
			if err := cli.CheckWritable(out.flag, out.path); err != nil {
				return cli.UsageError{Err: err}
			}
		}
	}
	if f.LR == 0 {
		f.LR = map[string]float64{"adam": 1e-3, "sgd": 1e-2}[f.Optimizer]
	}
	return nil
}

// Session is one training program's run: its flags, device and output.
type Session struct {
	*Flags
	Device torch.Device
	Out    io.Writer
	// Group is the process group of data-parallel training (the program
	// was started by cmd/torchrun), nil in a single process. Each rank
	// trains on its DistributedSampler share with --batch-size per rank, as
	// PyTorch's examples do; rank 0 prints and writes the outputs.
	Group *distributed.ProcessGroup
}

// ranks describes the process group for the banner, "" without one.
func (s *Session) ranks() string {
	if s.Group == nil {
		return ""
	}
	return fmt.Sprintf(", data-parallel: rank %d of %d (Gloo)", s.Group.Rank(), s.Group.Size())
}

// Say prints unless --quiet.
func (s *Session) Say(format string, a ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.Out, format, a...)
	}
}

// ShowModel prints the model as print(model) does and its parameter counts,
// per layer and in all.
func (s *Session) ShowModel(model any) {
	s.Say("%s\n", nn.Describe(model))
	for _, pc := range nn.ParameterCounts(model) {
		s.Say("  %-8s %9s parameters\n", pc.Layer, cli.Commas(pc.Count))
	}
	s.Say("  %-8s %9s parameters\n\n", "total", cli.Commas(nn.NumParameters(model)))
}

// NewOptimizer makes --optimizer over the model's parameters.
func (s *Session) NewOptimizer(model any) (optim.Optimizer, error) {
	if s.Optimizer == "adam" {
		return optim.NewAdam(nn.Parameters(model), optim.AdamOptions{LR: s.LR})
	}
	return optim.NewSGD(nn.Parameters(model), optim.SGDOptions{LR: s.LR, Momentum: s.Momentum})
}

// Loaders makes the tutorial's training loader (shuffled) and test loader.
func (s *Session) Loaders(train, test data.Dataset) (*data.Loader, *data.Loader) {
	pin := s.Device.IsCUDA()
	o := data.Options{BatchSize: s.BatchSize, Shuffle: true, NumWorkers: s.NumWorkers, PinMemory: pin}
	if s.Group != nil {
		// This rank's share, shuffled alike on every rank by the seed and
		// the epoch (Train calls SetEpoch).
		o.Shuffle = false
		o.Sampler = data.NewDistributedSampler(train, s.Group.Size(), s.Group.Rank(), data.DistributedSamplerOpts{Seed: int64(s.Seed)})
	}
	return data.NewLoader(train, o),
		data.NewLoader(test, data.Options{BatchSize: s.TestBatchSize, NumWorkers: s.NumWorkers, PinMemory: pin})
}

// Train runs the epochs, evaluating after each, and reports the memory of
// the first step measured from the live tensors. It stops after the current
// batch when ctx ends (interrupted is then true).
func (s *Session) Train(ctx context.Context, model Model, opt optim.Optimizer, train, test *data.Loader) (history []Epoch, interrupted bool, err error) {
	var monitor *gpumon.Monitor
	if s.Monitor {
		if m, err := gpumon.Open(); err == nil {
			monitor = m
			defer m.Close()
		} else {
			s.Say("monitor: %v\n", err)
		}
	}
	loop := &Loop{Model: model, Optimizer: opt, Loss: nn.NewCrossEntropyLoss(), Device: s.Device, Out: s.Out, Quiet: s.Quiet}
	loop.AfterStep = func(step int) {
		if step != 1 {
			return
		}
		m := nn.MemoryReport(model, opt)
		s.Say("memory after the first step (measured from the live tensors):\n")
		s.Say("  parameters      %9s bytes\n", cli.Commas(m.Parameters))
		s.Say("  gradients       %9s bytes\n", cli.Commas(m.Gradients))
		s.Say("  optimizer state %9s bytes (%s)\n", cli.Commas(m.OptimizerState), s.Optimizer)
		s.Say("  total           %9s bytes = %.1fx the parameters\n\n", cli.Commas(m.Total()),
			float64(m.Total())/float64(m.Parameters))
	}
	for epoch := 1; epoch <= s.Epochs && !interrupted; epoch++ {
		if ds, ok := train.Sampler().(*data.DistributedSampler); ok {
			ds.SetEpoch(epoch - 1) // sampler.set_epoch(epoch), epochs from 0
		}
		res, err := loop.TrainEpoch(ctx, epoch, train)
		if err != nil {
			return history, interrupted, err
		}
		interrupted = res.Interrupted
		t0 := time.Now()
		if res.TestLoss, res.TestAcc, res.TestSamples, err = loop.Evaluate(test); err != nil {
			return history, interrupted, err
		}
		res.TestTime = time.Since(t0)
		history = append(history, res)
		note := ""
		if interrupted {
			note = " (interrupted)"
		}
		// In data-parallel training the figures are rank 0's (its share of
		// the training set, the whole test set) and samples/s all ranks'.
		ranks := 1
		if s.Group != nil {
			ranks = s.Group.Size()
		}
		s.Say("epoch %d%s: train loss %.4f, train acc %.2f%%, test loss %.4f, test acc %.2f%% (%d/%d), %.1fs train + %.1fs test, %.0f samples/s\n",
			epoch, note, res.TrainLoss, 100*res.TrainAcc, res.TestLoss, 100*res.TestAcc,
			int(res.TestAcc*float64(res.TestSamples)+0.5), res.TestSamples, res.TrainTime.Seconds(), res.TestTime.Seconds(),
			float64(ranks*res.Samples)/res.TrainTime.Seconds())
		if monitor != nil {
			if devs, err := monitor.Devices(); err == nil {
				s.Say("  %s\n", gpumon.Line(devs))
			}
		}
	}
	return history, interrupted, nil
}

// Finish prints the summary and the allocator's figures, then writes --save
// and --plot; title names the model in the plot.
func (s *Session) Finish(model any, title string, history []Epoch, start time.Time, interrupted bool) error {
	last := history[len(history)-1]
	fmt.Fprintf(s.Out, "\nsummary: %d epoch(s) in %.1fs on %s, test accuracy %.2f%%, test loss %.4f\n",
		len(history), time.Since(start).Seconds(), s.Device, 100*last.TestAcc, last.TestLoss)
	cli.PrintMemory(s.Out, s.Device)
	if s.Save != "" {
		// An interrupted run's model goes beside --save, never over it: the
		// file there may be a good checkpoint of an earlier run.
		path := s.Save
		if interrupted {
			path += ".interrupted"
		}
		if err := nn.Save(model, path); err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "saved the state_dict to %s (Python: model.load_state_dict(torch.load(%q)))\n", path, path)
	}
	if s.Plot != "" {
		if err := PlotHistory(history, title, s.Plot); err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "wrote loss and accuracy curves to %s\n", s.Plot)
	}
	if interrupted {
		return cli.ErrInterrupted
	}
	return nil
}

package trainer

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// Program is a training command's scaffolding: its name, help text and
// default epoch count, and its body. The programs in cmd/ (mnist, cifar10)
// differ only in these; the flags, the exit statuses, the device, the seed
// and the first line they print are the same.
type Program struct {
	Name        string // the command's name, the prefix of its error lines
	Summary     string // one sentence under the usage line of --help
	DataHelp    string // what --data holds
	SamplesHelp string // what --samples writes
	Epochs      int    // the default of --epochs
	// Flags, when set, defines the program's own flags on fs beside the
	// shared ones (cifar10's --model); Train reads them with Flags.Value.
	Flags func(fs *flag.FlagSet)
	// Defaults, when set, runs once the command line is parsed, before the
	// shared checks: it checks the program's own flags (a cli.Usagef error
	// for a bad value) and may change the shared ones the user did not give
	// (Flags.Changed), as cifar10 --model cnn does.
	Defaults func(f *Flags) error
	// Train runs after the flags are checked, the device is picked, the seed
	// is set and the banner is printed.
	Train func(ctx context.Context, s *Session) error
}

// Main runs the program on the command line and exits with its status;
// Ctrl-C (or SIGTERM) ends ctx, which stops training after the current
// batch; a second Ctrl-C exits at once (cli.Main).
func (p Program) Main() { cli.Main(p.Run) }

// Run runs the program on args and returns its exit status (see cli.Run).
func (p Program) Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Run(p.Name, stderr, func() error {
		f, err := p.ParseFlags(args, stderr)
		if err != nil {
			return err
		}
		device, err := cli.PickDevice(f.Device)
		if err != nil {
			return err
		}
		s := &Session{Flags: f, Device: device, Out: stdout}
		if _, launched := os.LookupEnv("WORLD_SIZE"); launched {
			// Started by a launcher (cmd/torchrun): data-parallel training.
			if device.IsCUDA() {
				return cli.Usagef("data-parallel training runs on the CPU (Gloo); NCCL for --device %s is not built into libcgotorch yet", f.Device)
			}
			pg, err := distributed.InitProcessGroup(distributed.Options{Backend: distributed.Gloo})
			if err != nil {
				return err
			}
			defer distributed.DestroyProcessGroup()
			s.Group = pg
			if pg.Rank() != 0 {
				// Rank 0 speaks for all and writes --save and --plot.
				s.Out, s.Quiet, s.Save, s.Plot, s.Samples = io.Discard, true, "", "", ""
			}
		}
		torch.ManualSeed(f.Seed)
		s.Say("gotorch on libtorch %s, device %s, %d threads, %d loader workers%s\n\n",
			torch.Version(), device, torch.GetNumThreads(), f.NumWorkers, s.ranks())
		return p.Train(ctx, s)
	})
}

// ParseFlags parses and checks the command line; --help prints the usage
// to stderr.
func (p Program) ParseFlags(args []string, stderr io.Writer) (*Flags, error) {
	f := &Flags{}
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.Register(fs, p.DataHelp, p.SamplesHelp, p.Epochs)
	if p.Flags != nil {
		p.Flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [flags]\n\n%s\n\n", p.Name, p.Summary)
		fs.PrintDefaults()
	}
	if err := cli.ParseFlags(fs, args); err != nil {
		return nil, err
	}
	f.fs = fs
	if p.Defaults != nil {
		if err := p.Defaults(f); err != nil {
			return nil, err
		}
	}
	return f, f.Check()
}

// Log is where a program's dataset progress goes: Out, or nowhere under
// --quiet.
func (s *Session) Log() io.Writer {
	if s.Quiet {
		return io.Discard
	}
	return s.Out
}

// Fit is the tutorial's training on the session's device: the model moves
// there and is shown, --optimizer is made over its parameters, the loaders
// over train and test, and the epochs run. report, when not nil, runs after
// the last epoch with the test loader (cifar10's accuracy per class); then
// Finish prints the summary and writes --save and --plot, title naming the
// model in the plot.
func (s *Session) Fit(ctx context.Context, model Model, title string, train, test data.Dataset, report func(test *data.Loader) error) error {
	if err := nn.To(model, s.Device); err != nil {
		return err
	}
	s.ShowModel(model)
	opt, err := s.NewOptimizer(model)
	if err != nil {
		return err
	}
	trainLoader, testLoader := s.Loaders(train, test)
	// The loop runs the model, or in data-parallel training its
	// DistributedDataParallel; --save writes the model itself
	// (model.module.state_dict() in PyTorch's examples).
	var run Model = model
	if s.Group != nil {
		ddp, err := distributed.NewDistributedDataParallel(model, distributed.DDPOptions{Group: s.Group})
		if err != nil {
			return err
		}
		defer ddp.Close()
		run = ddp
	}
	start := time.Now()
	history, interrupted, err := s.Train(ctx, run, opt, trainLoader, testLoader)
	if err != nil {
		return err
	}
	if report != nil {
		if err := report(testLoader); err != nil {
			return err
		}
	}
	return s.Finish(model, title, history, start, interrupted)
}

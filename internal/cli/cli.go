// Package cli holds what the programs in cmd/ share: usage errors and exit
// statuses, the --device flag's meaning, and the figures they print.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
)

// UsageError marks a bad command line: the program exits 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }

// Unwrap lets errors.Is see flag.ErrHelp through it (--help exits 0).
func (e UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a formatted message.
func Usagef(format string, a ...any) error { return UsageError{fmt.Errorf(format, a...)} }

// ErrInterrupted ends a run stopped by Ctrl-C.
var ErrInterrupted = errors.New("interrupted")

// Run runs a program's body and turns its outcome into an exit status: 0 on
// success (and --help), 2 on a usage error, 130 after Ctrl-C (128 + SIGINT,
// as a shell reports it), 1 on any other failure. Failures print one line
// to stderr, prefixed with the program's name. A libtorch failure inside the
// tensor math (out of memory on a GPU, say) panics with *torch.Error; it
// ends with its message, not a stack trace.
func Run(name string, stderr io.Writer, body func() error) int {
	var err error
	if perr := torch.Catch(func() { err = body() }); perr != nil {
		err = fmt.Errorf("libtorch: %w", perr)
	}
	var ue UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrInterrupted):
		fmt.Fprintf(stderr, "%s: interrupted: stopped after the current batch\n", name)
		return 130
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %v\nrun '%s --help' for the flags\n", name, err, name)
		return 2
	default:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
}

// ParseFlags parses args, wrapping failures as usage errors and refusing
// positional arguments.
func ParseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return UsageError{err}
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// PickDevice resolves --device: "auto" is cuda:0 where there is a GPU and
// the CPU otherwise; asking for a GPU that is not there is an error that
// says why.
func PickDevice(s string) (torch.Device, error) {
	if s == "auto" {
		return cuda.DeviceOrCPU(), nil
	}
	d, err := torch.ParseDevice(s)
	if err != nil {
		return torch.Device{}, Usagef("--device: %w", err)
	}
	if d.IsCUDA() {
		if !cuda.IsAvailable() {
			why := "no CUDA device is visible"
			if !torch.CUDACompiled() {
				why = "libcgotorch.so was built against a CPU-only libtorch " + torch.Version() +
					" (re-run scripts/install_libtorch.sh with a CUDA libtorch)"
			}
			return torch.Device{}, fmt.Errorf("--device %s: CUDA not available: %s", s, why)
		}
		if d.Index >= cuda.DeviceCount() {
			return torch.Device{}, fmt.Errorf("--device %s: only %d CUDA device(s)", s, cuda.DeviceCount())
		}
	}
	return d, nil
}

// PrintMemory prints the allocator's counters: CUDA's on a GPU, the
// counting CPU allocator's otherwise.
func PrintMemory(w io.Writer, device torch.Device) {
	if device.IsCUDA() {
		i := device.Index
		fmt.Fprintf(w, "CUDA memory: allocated %s, peak %s, reserved %s, peak reserved %s\n",
			MiB(cuda.MemoryAllocated(i)), MiB(cuda.MaxMemoryAllocated(i)), MiB(cuda.MemoryReserved(i)), MiB(cuda.MaxMemoryReserved(i)))
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(w, "CPU tensor memory (counting allocator): allocated %s, peak %s; Go heap %s\n",
		MiB(torch.MemoryAllocated(torch.CPU)), MiB(torch.MaxMemoryAllocated(torch.CPU)), MiB(int64(ms.HeapAlloc)))
}

// MiB formats bytes in mebibytes.
func MiB(b int64) string { return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20)) }

// Commas writes 101770 as 101,770, as the tutorial does.
func Commas(n int64) string {
	if n < 0 {
		return "-" + Commas(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CheckWritable refuses an output path the program could not write at the
// end of a run, before the run: a folder that is missing or read-only, or
// a path that is a folder. flag names the option in the error ("--save").
func CheckWritable(flag, path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s %s: a folder, not a file", flag, path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".gotorch-check-*")
	if err != nil {
		return fmt.Errorf("%s %s: cannot write there: %w", flag, path, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// Main runs a program's run function with a context that Ctrl-C (or
// SIGTERM) cancels, and exits with the status it returns. The first Ctrl-C
// asks the program to stop cleanly (after the current batch, say); a second
// one ends the process at once, as the default handling does.
func Main(run func(ctx context.Context, argv []string, stdout, stderr io.Writer) int) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		// The default handling first, so that a second signal finds it
		// however soon the program reacts to the first.
		signal.Stop(sig)
		cancel()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(sig)
	cancel()
	os.Exit(code)
}

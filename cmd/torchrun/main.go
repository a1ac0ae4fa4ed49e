// Command torchrun starts a data-parallel job on this machine the way
// PyTorch's torchrun (torch.distributed.run) does: --nproc-per-node copies
// of PROGRAM, each with PyTorch's distributed environment, and it stops all
// of them when one fails.
//
//	go run ./cmd/torchrun --nproc-per-node 2 ./cmd/mnist --epochs 1   # builds ./cmd/mnist once, 2 ranks
//	go run ./cmd/torchrun --nproc-per-node 4 ./bin/train --lr 0.1      # an executable
//	go run ./cmd/torchrun --master-port 29500 -- ./cmd/mnist --help   # flags after PROGRAM are its own
//
// PROGRAM is an executable (a path, or a name found on PATH), or a Go
// package folder: a path that starts with ./ or ../, or contains a /, and
// names a folder with Go files. torchrun builds a package once, with
// `go build -o TMP/NAME` run in that folder (it says so on stderr), starts
// the ranks from the binary, and removes TMP at the end.
//
// Each rank gets torchrun's environment plus PyTorch's: MASTER_ADDR,
// MASTER_PORT, RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, GROUP_RANK=0,
// GROUP_WORLD_SIZE=1, ROLE_RANK, ROLE_WORLD_SIZE, ROLE_NAME=default,
// TORCHELASTIC_RUN_ID (a random id, the same for all ranks),
// TORCHELASTIC_RESTART_COUNT=0 and TORCHELASTIC_MAX_RESTARTS=0. With more
// than one rank and OMP_NUM_THREADS unset, OMP_NUM_THREADS=1, as torchrun
// sets it (with a note on stderr). MASTER_PORT is --master-port, or a free
// port torchrun finds at start (--master-port 0); torchrun does not listen
// on it: rank 0's process group (its TCPStore) does. Only one node is
// supported (--nnodes 1, --node-rank 0).
//
// Every line a rank writes to stdout or stderr goes to torchrun's stdout or
// stderr prefixed with "[rank N] ", rank 0's included, so that each line of
// a log says who wrote it; lines are written whole, never interleaved with
// another rank's. A last line without a newline gets one; a line over 64
// KiB is cut into lines of 64 KiB. The ranks' stdin is empty (/dev/null).
//
// torchrun waits for all ranks. When one exits with a non-zero status or is
// killed by a signal, it sends SIGTERM to the others, SIGKILL to those still
// running after --grace, waits for them, and ends with a line naming the
// first failure, e.g.
//
//	torchrun: rank 1 (pid 1234) exited with status 3; stopped the other 1 process
//
// Ctrl-C or SIGTERM (or SIGHUP) to torchrun does the same to all ranks (a
// second one ends torchrun at once, and the ranks with it). Each rank runs
// in a process group of its own, so that a Ctrl-C at the terminal reaches
// torchrun alone and the ranks get one SIGTERM from it; signals go to the
// whole group, and when a rank exits the rest of its group (processes it
// left behind) is killed. A rank also gets Linux's parent-death signal
// (SIGKILL), so that none outlives torchrun even after kill -9. Linux only.
//
// Exit status: 0 when every rank exited 0; the first failing rank's exit
// status (128+N for signal N) when one failed; 1 when torchrun itself failed
// (go build, a port in use, a rank that could not start); 2 on bad usage;
// 130 after Ctrl-C (143 after SIGTERM, 129 after SIGHUP). (go run turns
// any non-zero status into 1: go build torchrun where the status matters.)
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	flag "github.com/spf13/pflag"
)

// usageError marks a bad command line: torchrun exits 2. internal/cli has
// the same type, but it imports the torch packages (libtorch through cgo),
// which a launcher has no use for.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// Unwrap lets errors.Is see flag.ErrHelp through it (--help exits 0).
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitError ends torchrun with its own status: a rank's failure, or an
// interruption.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// options are the flags, named as torchrun's.
type options struct {
	nproc      int
	nnodes     int
	nodeRank   int
	addr       string
	port       int
	grace      time.Duration
	standalone bool
	program    string
	args       []string
}

const usageHead = `usage: torchrun [flags] PROGRAM [ARGS...]

Starts --nproc-per-node copies (ranks) of PROGRAM on this machine with
PyTorch's distributed environment (MASTER_ADDR, MASTER_PORT, RANK,
LOCAL_RANK, WORLD_SIZE, ...), prefixes each line they write with
"[rank N] ", and stops all of them when one fails. PROGRAM is an executable,
or a Go package folder (./cmd/mnist), which torchrun builds once. Arguments
after PROGRAM are PROGRAM's.

flags (torchrun's names; --nproc_per_node and the like work too):
`

func parse(argv []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("torchrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SetInterspersed(false) // PROGRAM's flags are PROGRAM's
	fs.SetNormalizeFunc(func(_ *flag.FlagSet, name string) flag.NormalizedName {
		return flag.NormalizedName(strings.ReplaceAll(name, "_", "-"))
	})
	fs.IntVar(&o.nproc, "nproc-per-node", 1, "number of ranks (processes) to start")
	fs.IntVar(&o.nnodes, "nnodes", 1, "number of nodes (machines); only 1 is supported")
	fs.IntVar(&o.nodeRank, "node-rank", 0, "this node's rank; only 0 is supported")
	fs.StringVar(&o.addr, "master-addr", "127.0.0.1", "MASTER_ADDR: the address rank 0 listens on (an address of this machine)")
	fs.IntVar(&o.port, "master-port", 0, "MASTER_PORT: the port rank 0 listens on (0: a free port)")
	fs.DurationVar(&o.grace, "grace", 5*time.Second, "after a failure or Ctrl-C, how long the ranks have to stop after SIGTERM before SIGKILL")
	fs.BoolVar(&o.standalone, "standalone", false, "accepted for torchrun's command lines; a single node is always standalone")
	fs.Usage = func() {
		fmt.Fprint(stderr, usageHead)
		fs.PrintDefaults()
	}
	if err := fs.Parse(argv); err != nil {
		return nil, usageError{err}
	}
	switch {
	case fs.NArg() == 0:
		return nil, usagef("missing PROGRAM (an executable or a Go package folder such as ./cmd/mnist)")
	case o.nproc < 1:
		return nil, usagef("--nproc-per-node must be at least 1, got %d", o.nproc)
	case o.nnodes != 1:
		return nil, usagef("--nnodes %d: only one node (--nnodes 1) is supported for now", o.nnodes)
	case o.nodeRank != 0:
		return nil, usagef("--node-rank %d: with one node the only rank is 0", o.nodeRank)
	case o.port < 0 || o.port > 65535:
		return nil, usagef("--master-port must be in 0..65535, got %d", o.port)
	case o.grace < 0:
		return nil, usagef("--grace must not be negative, got %v", o.grace)
	case o.addr == "":
		return nil, usagef("--master-addr must not be empty")
	}
	o.program, o.args = fs.Arg(0), fs.Args()[1:]
	return o, nil
}

// signalCause is why main cancels run's context.
type signalCause struct{ sig syscall.Signal }

func (c signalCause) Error() string { return "received " + sigName(c.sig) }

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sig := make(chan os.Signal, 1)
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		// Not one torchrun was started with ignored (nohup, a shell's
		// background job): Notify would stop ignoring it.
		if !signal.Ignored(s) {
			signal.Notify(sig, s)
		}
	}
	go func() {
		s := <-sig
		// The default handling again, so that a second signal ends
		// torchrun at once (and the ranks with it: their parent-death
		// signal).
		signal.Stop(sig)
		cancel(signalCause{s.(syscall.Signal)})
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(sig)
	cancel(nil)
	os.Exit(code)
}

// run is torchrun with its command line and output given: it returns the
// exit status. Cancelling ctx is Ctrl-C (exit 130), or the signal given as
// the cause (a signalCause: 128+N).
func run(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
	var mu sync.Mutex // one line at a time, to stdout or stderr
	errw := &lockedWriter{mu: &mu, w: stderr}
	err := launch(ctx, argv, stdout, stderr, errw, &mu)
	var ue usageError
	var ee *exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(errw, "torchrun: %v\nrun 'torchrun --help' for the flags\n", err)
		return 2
	case errors.As(err, &ee):
		fmt.Fprintf(errw, "torchrun: %s\n", ee.msg)
		return ee.code
	default:
		fmt.Fprintf(errw, "torchrun: %v\n", err)
		return 1
	}
}

// launch is run's body. The ranks write to stdout and stderr under mu;
// torchrun's own lines go to errw, stderr under mu.
func launch(ctx context.Context, argv []string, stdout, stderr, errw io.Writer, mu *sync.Mutex) error {
	o, err := parse(argv, errw)
	if err != nil {
		return err
	}
	if !supported {
		return errors.New("only Linux is supported (the ranks need its parent-death signal)")
	}
	exe, pkg, err := resolve(o.program)
	if err != nil {
		return err
	}
	// Before a build that may take a while, so that a port in use fails
	// at once; a free port is picked after it, to be as fresh as can be.
	port, err := masterPort(o.addr, o.port)
	if err != nil {
		return err
	}
	if pkg != "" {
		tmp, err := os.MkdirTemp("", "torchrun-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if exe, err = build(ctx, pkg, tmp, errw); err != nil {
			return err
		}
		if o.port == 0 {
			if port, err = masterPort(o.addr, 0); err != nil {
				return err
			}
		}
	}
	env := os.Environ()
	if _, set := os.LookupEnv("OMP_NUM_THREADS"); !set && o.nproc > 1 {
		fmt.Fprintf(errw, "torchrun: OMP_NUM_THREADS=1 for each rank, as torchrun sets it not to overload the machine; set OMP_NUM_THREADS to tune it\n")
		env = append(env, "OMP_NUM_THREADS=1")
	}
	j := &job{
		exe: exe, args: o.args, grace: o.grace,
		stdout: stdout, stderr: stderr, mu: mu,
	}
	runID := newRunID()
	for rank := range o.nproc {
		j.envs = append(j.envs, append(env[:len(env):len(env)],
			"MASTER_ADDR="+o.addr,
			"MASTER_PORT="+strconv.Itoa(port),
			"RANK="+strconv.Itoa(rank),
			"LOCAL_RANK="+strconv.Itoa(rank),
			"WORLD_SIZE="+strconv.Itoa(o.nproc),
			"LOCAL_WORLD_SIZE="+strconv.Itoa(o.nproc),
			"GROUP_RANK=0",
			"GROUP_WORLD_SIZE=1",
			"ROLE_RANK="+strconv.Itoa(rank),
			"ROLE_WORLD_SIZE="+strconv.Itoa(o.nproc),
			"ROLE_NAME=default",
			"TORCHELASTIC_RUN_ID="+runID,
			"TORCHELASTIC_RESTART_COUNT=0",
			"TORCHELASTIC_MAX_RESTARTS=0",
		))
	}
	return j.run(ctx)
}

// resolve finds PROGRAM: an executable (exe), or a Go package folder to
// build (pkg).
func resolve(prog string) (exe, pkg string, err error) {
	if !strings.Contains(prog, "/") && prog != "." && prog != ".." {
		p, err := exec.LookPath(prog)
		if err != nil {
			return "", "", usagef("PROGRAM %s: not found on PATH (a path or a Go package folder has a /: ./%s)", prog, prog)
		}
		return p, "", nil
	}
	st, err := os.Stat(prog)
	if err != nil {
		return "", "", usagef("PROGRAM %s: %v", prog, errors.Unwrap(err))
	}
	if st.IsDir() {
		files, _ := filepath.Glob(filepath.Join(prog, "*.go"))
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				return "", prog, nil
			}
		}
		return "", "", usagef("PROGRAM %s is a folder without Go files (give an executable or a Go package folder)", prog)
	}
	if st.Mode()&0o111 == 0 {
		return "", "", usagef("PROGRAM %s is not executable", prog)
	}
	abs, err := filepath.Abs(prog)
	if err != nil {
		return "", "", err
	}
	return abs, "", nil
}

// build compiles the Go package in folder pkg into folder tmp, once for all
// the ranks.
func build(ctx context.Context, pkg, tmp string, stderr io.Writer) (string, error) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("cannot build %s: the go command is not on PATH", pkg)
	}
	dir, err := filepath.Abs(pkg)
	if err != nil {
		return "", err
	}
	exe := filepath.Join(tmp, filepath.Base(dir))
	fmt.Fprintf(stderr, "torchrun: building %s (go build -o %s, in %s)\n", pkg, exe, dir)
	cmd := exec.CommandContext(ctx, gocmd, "build", "-o", exe, ".")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", interrupted(ctx, "while building "+pkg)
		}
		return "", fmt.Errorf("go build %s failed: %v", pkg, err)
	}
	return exe, nil
}

// masterPort checks that this machine can listen on addr:port, and picks a
// free port for port 0. It closes the port again: rank 0 listens on it.
func masterPort(addr string, port int) (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
	if err != nil {
		if port != 0 && errors.Is(err, syscall.EADDRINUSE) {
			return 0, fmt.Errorf("--master-port %d: the port is in use on %s (give another, or 0 for a free one)", port, addr)
		}
		return 0, fmt.Errorf("--master-addr %s, --master-port %d: cannot listen there (with one node the master is this machine): %v", addr, port, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// newRunID is TORCHELASTIC_RUN_ID: a random UUID, as standalone torchrun's.
func newRunID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// interrupted is the error of a run stopped through ctx: 130 for Ctrl-C,
// 128+N for the signal N that cancelled it. what says what was stopped.
func interrupted(ctx context.Context, what string) *exitError {
	sig := syscall.SIGINT
	name := "interrupted"
	var sc signalCause
	if errors.As(context.Cause(ctx), &sc) {
		sig, name = sc.sig, "interrupted by "+sigName(sc.sig)
	}
	if what != "" {
		name += " " + what
	}
	return &exitError{code: 128 + int(sig), msg: name}
}

// sigName is a signal's name ("SIGTERM").
func sigName(s syscall.Signal) string {
	names := map[syscall.Signal]string{
		syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
		syscall.SIGILL: "SIGILL", syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT",
		syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGKILL: "SIGKILL",
		syscall.SIGUSR1: "SIGUSR1", syscall.SIGSEGV: "SIGSEGV", syscall.SIGUSR2: "SIGUSR2",
		syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM", syscall.SIGTERM: "SIGTERM",
	}
	if n, ok := names[s]; ok {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}

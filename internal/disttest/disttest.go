// Package disttest runs a test binary as the ranks of a data-parallel job,
// as cmd/torchrun starts a program: each rank a process of its own with
// PyTorch's environment (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE,
// LOCAL_RANK, LOCAL_WORLD_SIZE). A test package's TestMain calls Serve
// first; a test calls Start to launch the ranks, which run the function
// registered under a name with the arguments given.
package disttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

const envFunc, envArgs = "GOTORCH_DISTTEST_FUNC", "GOTORCH_DISTTEST_ARGS"

// Serve runs, in a rank's process, the function registered under the name
// Start passed, with its arguments, and exits with the status it returns;
// in the test process itself it returns at once.
func Serve(funcs map[string]func(args []string) int) {
	name, ok := os.LookupEnv(envFunc)
	if !ok {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv(envArgs)), &args); err != nil {
		fmt.Fprintf(os.Stderr, "disttest: bad %s: %v\n", envArgs, err)
		os.Exit(2)
	}
	fn, ok := funcs[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "disttest: no function %q\n", name)
		os.Exit(2)
	}
	os.Exit(fn(args))
}

// Rank is one rank's process.
type Rank struct {
	Cmd            *exec.Cmd
	Stdout, Stderr bytes.Buffer
	done           chan struct{}
	err            error
}

// Job is the ranks of one launch.
type Job struct {
	Ranks []*Rank
	Port  int
}

// Start launches world ranks of this test binary running the function
// registered under name with args (each with its rank in RANK), over a
// free port of 127.0.0.1.
func Start(t *testing.T, world int, name string, args ...string) *Job {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	enc, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	j := &Job{Port: FreePort(t)}
	for r := range world {
		rk := &Rank{Cmd: exec.Command(exe), done: make(chan struct{})}
		rk.Cmd.Env = append(os.Environ(), envFunc+"="+name, envArgs+"="+string(enc),
			"MASTER_ADDR=127.0.0.1", "MASTER_PORT="+strconv.Itoa(j.Port),
			"RANK="+strconv.Itoa(r), "LOCAL_RANK="+strconv.Itoa(r),
			"WORLD_SIZE="+strconv.Itoa(world), "LOCAL_WORLD_SIZE="+strconv.Itoa(world))
		rk.Cmd.Stdout, rk.Cmd.Stderr = &rk.Stdout, &rk.Stderr
		rk.Cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := rk.Cmd.Start(); err != nil {
			j.Kill()
			t.Fatalf("starting rank %d: %v", r, err)
		}
		go func() { rk.err = rk.Cmd.Wait(); close(rk.done) }()
		j.Ranks = append(j.Ranks, rk)
	}
	t.Cleanup(j.Kill)
	return j
}

// Wait waits for rank r to exit, at most timeout, and returns its exit code
// (-1 when killed by a signal, and the test fails after timeout).
func (j *Job) Wait(t *testing.T, r int, timeout time.Duration) int {
	t.Helper()
	rk := j.Ranks[r]
	select {
	case <-rk.done:
	case <-time.After(timeout):
		j.Kill()
		t.Fatalf("rank %d still running after %v\nstdout:\n%s\nstderr:\n%s", r, timeout, rk.Stdout.String(), rk.Stderr.String())
	}
	return rk.Cmd.ProcessState.ExitCode()
}

// WaitAll waits for every rank and fails the test unless all exit 0.
func (j *Job) WaitAll(t *testing.T, timeout time.Duration) {
	t.Helper()
	for r, rk := range j.Ranks {
		if code := j.Wait(t, r, timeout); code != 0 {
			t.Fatalf("rank %d exited %d\nstdout:\n%s\nstderr:\n%s", r, code, rk.Stdout.String(), rk.Stderr.String())
		}
	}
}

// Kill kills the ranks still running.
func (j *Job) Kill() {
	for _, rk := range j.Ranks {
		select {
		case <-rk.done:
		default:
			_ = rk.Cmd.Process.Kill()
			<-rk.done
		}
	}
}

// FreePort is a TCP port of 127.0.0.1 that nobody listens on right now.
func FreePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

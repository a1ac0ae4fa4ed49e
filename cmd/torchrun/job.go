package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// job is the ranks of one run: one executable, one environment per rank.
type job struct {
	exe    string
	args   []string
	envs   [][]string
	grace  time.Duration
	stdout io.Writer   // torchrun's stdout, written under mu
	stderr io.Writer   // torchrun's stderr, written under mu
	mu     *sync.Mutex // one line at a time
}

// proc is one rank's process.
type proc struct {
	rank     int
	cmd      *exec.Cmd
	out, err *lineWriter
	done     bool // its exit has reached job.run (job.run's own)

	mu sync.Mutex
	// exited: the process has ended and may be reaped at any moment, after
	// which its pid (the id of its process group) may be reused: signal
	// nothing any more.
	exited bool
	// direct: waitid failed, so that exited is known only once the
	// process is reaped: signal the process itself, through its pidfd,
	// not its group.
	direct bool
}

type exit struct {
	p     *proc
	state *os.ProcessState
}

// run starts the ranks and waits for them, stopping them all when one
// fails or ctx ends. It returns nil when every rank exited 0.
func (j *job) run(ctx context.Context) error {
	procs, release, startErr := j.start()
	defer release()
	exits := make(chan exit, len(procs))
	for _, p := range procs {
		go p.wait(exits)
	}

	var (
		first    *exit // the first rank that failed
		intr     *exitError
		stopping bool
		others   int // ranks still running when stopping began
		killed   int // ranks still running after the grace
		kill     <-chan time.Time
		timer    *time.Timer
		done     = ctx.Done()
	)
	stop := func() {
		stopping = true
		for _, p := range procs {
			if !p.done && p.signal(syscall.SIGTERM) {
				others++
			}
		}
		timer = time.NewTimer(j.grace)
		kill = timer.C
	}
	if startErr != nil {
		stop()
	}
	for running := len(procs); running > 0; {
		select {
		case e := <-exits:
			running--
			e.p.done = true
			if !stopping && !e.state.Success() {
				first = &e
				stop()
			}
		case <-done:
			done = nil
			if !stopping {
				intr = interrupted(ctx, "")
				stop()
			}
		case <-kill:
			kill = nil
			for _, p := range procs {
				if !p.done && p.signal(syscall.SIGKILL) {
					killed++
				}
			}
		}
	}
	if timer != nil {
		timer.Stop()
	}

	stopped := ""
	if others > 0 {
		stopped = plural(others, "process", "processes")
		if killed > 0 {
			stopped += fmt.Sprintf(" (%d with SIGKILL, still running after the %v grace)", killed, j.grace)
		}
	}
	switch {
	case startErr != nil:
		if stopped != "" {
			return fmt.Errorf("%w; stopped the other %s", startErr, stopped)
		}
		return startErr
	case first != nil:
		code, what := describe(first.state)
		msg := fmt.Sprintf("rank %d (pid %d) %s", first.p.rank, first.state.Pid(), what)
		if stopped != "" {
			msg += "; stopped the other " + stopped
		}
		return &exitError{code: code, msg: msg}
	case intr != nil:
		if stopped != "" {
			intr.msg += ": stopped " + stopped
		}
		return intr
	}
	return nil
}

// start starts the ranks in order, stopping at the first that cannot start.
// They are started from one locked OS thread that lives until release is
// called, once they have all been waited for: Linux sends the
// parent-death signal when the thread that started a process ends, not
// the process, and Go ends a thread when a goroutine locked to it returns.
func (j *job) start() (procs []*proc, release func(), err error) {
	type started struct {
		procs []*proc
		err   error
	}
	ch := make(chan started)
	wait := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		var s started
		for rank, env := range j.envs {
			p, err := j.startRank(rank, env)
			if err != nil {
				s.err = fmt.Errorf("starting rank %d: %w", rank, err)
				break
			}
			s.procs = append(s.procs, p)
		}
		ch <- s
		<-wait
		runtime.UnlockOSThread()
	}()
	s := <-ch
	return s.procs, func() { close(wait) }, s.err
}

func (j *job) startRank(rank int, env []string) (*proc, error) {
	prefix := fmt.Sprintf("[rank %d] ", rank)
	p := &proc{
		rank: rank,
		cmd:  exec.Command(j.exe, j.args...),
		out:  &lineWriter{dst: j.stdout, mu: j.mu, prefix: []byte(prefix)},
		err:  &lineWriter{dst: j.stderr, mu: j.mu, prefix: []byte(prefix)},
	}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.err
	p.cmd.SysProcAttr = sysProcAttr()
	// A process the rank left behind that holds its output open cannot
	// hold up Wait: its group is killed when the rank exits, and this is
	// the limit should it have left the group.
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	return p, nil
}

// wait waits for the rank's process and sends its exit to exits, after
// its last line of output.
func (p *proc) wait(exits chan<- exit) {
	pid := p.cmd.Process.Pid
	err := waitExited(pid)
	p.mu.Lock()
	if err == nil {
		// The rank has ended but is not reaped: its group's id cannot
		// have been reused. Kill what it left behind in its group, so
		// that nothing outlives it, and signal its group no more.
		signalGroup(pid, syscall.SIGKILL)
		p.exited = true
	} else {
		p.direct = true
	}
	p.mu.Unlock()
	p.cmd.Wait()
	p.mu.Lock()
	p.exited = true
	p.mu.Unlock()
	p.out.flush()
	p.err.flush()
	exits <- exit{p, p.cmd.ProcessState}
}

// signal sends sig to the rank's process group, and reports whether the
// rank was still there to get it.
func (p *proc) signal(sig syscall.Signal) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exited || zombie(p.cmd.Process.Pid) {
		// A zombie has ended on its own, and waitExited is about to
		// return: it is not one of the ranks stopped.
		return false
	}
	if !p.direct && signalGroup(p.cmd.Process.Pid, sig) == nil {
		return true
	}
	return p.cmd.Process.Signal(sig) == nil
}

// describe is a failed rank's exit status for torchrun's (128+N for signal
// N), and its words.
func describe(s *os.ProcessState) (int, string) {
	ws, ok := s.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return s.ExitCode(), fmt.Sprintf("exited with status %d", s.ExitCode())
	}
	sig := ws.Signal()
	what := fmt.Sprintf("was killed by signal %d", int(sig))
	if name := sigName(sig); name != what[len("was killed by "):] {
		what = fmt.Sprintf("was killed by %s (signal %d)", name, int(sig))
	}
	if ws.CoreDump() {
		what += ", core dumped"
	}
	return 128 + int(sig), what
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// maxLine is the longest line a lineWriter writes: a longer one is cut.
const maxLine = 64 << 10

// lineWriter writes a rank's output to dst line by line, each line whole
// and prefixed, holding mu (shared by all the ranks' writers) for each
// write. It keeps a partial line until its end comes, flush writes it.
type lineWriter struct {
	dst    io.Writer
	mu     *sync.Mutex
	prefix []byte

	bufMu sync.Mutex
	buf   []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.bufMu.Lock()
	defer w.bufMu.Unlock()
	w.buf = append(w.buf, p...)
	var out []byte
	used := 0
	for {
		rest := w.buf[used:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 && len(rest) < maxLine {
			break
		}
		end := i + 1
		if i < 0 || i >= maxLine {
			end = maxLine
		}
		out = w.appendLine(out, rest[:end])
		used += end
	}
	w.buf = w.buf[:copy(w.buf, w.buf[used:])]
	w.write(out)
	// Never an error: a rank's output that cannot be written is lost,
	// but the rank goes on.
	return len(p), nil
}

// flush writes the partial line left, with a newline.
func (w *lineWriter) flush() {
	w.bufMu.Lock()
	defer w.bufMu.Unlock()
	if len(w.buf) > 0 {
		w.write(w.appendLine(nil, w.buf))
		w.buf = w.buf[:0]
	}
}

func (w *lineWriter) appendLine(out, line []byte) []byte {
	out = append(out, w.prefix...)
	out = append(out, line...)
	if line[len(line)-1] != '\n' {
		out = append(out, '\n')
	}
	return out
}

func (w *lineWriter) write(b []byte) {
	if len(b) == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.dst.Write(b)
}

// lockedWriter is torchrun's own stderr: written under the ranks' mutex.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

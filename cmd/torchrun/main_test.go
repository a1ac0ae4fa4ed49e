package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the tests run this test binary as a rank ("torchrun-test-
// child DIR SPEC") or as torchrun itself ("torchrun-test-launcher FLAGS...").
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "torchrun-test-child":
			child(os.Args[2], os.Args[3])
		case "torchrun-test-launcher":
			os.Args = append([]string{"torchrun"}, os.Args[2:]...)
			main()
		}
	}
	os.Exit(m.Run())
}

// waitLong bounds every wait of these tests: long enough for a loaded
// machine, short enough that a bug ends the test rather than hangs it.
const waitLong = 2 * time.Minute

// child is a rank. It prints the environment torchrun gave it ("env K=V
// ...") on stdout and a line on stderr, writes its pid to DIR/pidRANK, and
// then does what SPEC ("0=hang,1=exit3") says for its rank: ok (exit 0,
// the default), exitN (exit N), kill (SIGKILL itself), hang (sleep for
// ever), hangterm (sleep for ever, ignoring SIGTERM), spam (write many
// lines in pieces, then a line without its newline). exitN and kill wait
// for all the ranks' pid files first, and for the ranks whose action is ok
// to have exited: the others are running by then, those are not.
func child(dir, spec string) {
	rank := os.Getenv("RANK")
	n, _ := strconv.Atoi(os.Getenv("WORLD_SIZE"))
	actions := map[string]string{}
	for _, s := range strings.Split(spec, ",") {
		if r, a, ok := strings.Cut(s, "="); ok {
			actions[r] = a
		}
	}
	action := cmp.Or(actions[rank], "ok")
	var env []string
	for _, k := range []string{"RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
		"GROUP_RANK", "GROUP_WORLD_SIZE", "TORCHELASTIC_RUN_ID", "OMP_NUM_THREADS", "TORCHRUN_TEST_PARENT"} {
		env = append(env, k+"="+os.Getenv(k))
	}
	fmt.Println("env " + strings.Join(env, " "))
	fmt.Fprintf(os.Stderr, "stderr of rank %s\n", rank)
	if action == "hangterm" {
		signal.Ignore(syscall.SIGTERM)
	}
	pidFile := filepath.Join(dir, "pid"+rank)
	if err := os.WriteFile(pidFile+".tmp", []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		panic(err)
	}
	if err := os.Rename(pidFile+".tmp", pidFile); err != nil {
		panic(err)
	}
	waitAll := func() {
		deadline := time.Now().Add(waitLong)
		for pidFiles(dir) < n {
			if time.Now().After(deadline) {
				os.Exit(99)
			}
			time.Sleep(10 * time.Millisecond)
		}
		for r := range n {
			if cmp.Or(actions[strconv.Itoa(r)], "ok") != "ok" {
				continue
			}
			b, _ := os.ReadFile(filepath.Join(dir, fmt.Sprint("pid", r)))
			pid, _ := strconv.Atoi(string(b))
			for alive(pid) {
				if time.Now().After(deadline) {
					os.Exit(99)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
	switch {
	case action == "ok":
		os.Exit(0)
	case strings.HasPrefix(action, "exit"):
		code, err := strconv.Atoi(strings.TrimPrefix(action, "exit"))
		if err != nil {
			panic(err)
		}
		waitAll()
		os.Exit(code)
	case action == "kill":
		waitAll()
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	case action == "hang", action == "hangterm":
		for {
			time.Sleep(time.Hour)
		}
	case action == "spam":
		for i := range spamLines {
			for _, w := range []*os.File{os.Stdout, os.Stderr} {
				line := fmt.Sprintf("spam %s %d %s\n", rank, i, strings.Repeat("x", 100))
				w.WriteString(line[:20])
				w.WriteString(line[20:])
			}
		}
		os.Stdout.WriteString("tail without newline")
		os.Exit(0)
	}
	panic("unknown action " + action)
}

const spamLines = 300

// pidFiles counts the ranks' pid files in dir.
func pidFiles(dir string) int {
	files, _ := filepath.Glob(filepath.Join(dir, "pid*"))
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f, ".tmp") {
			n++
		}
	}
	return n
}

// exe is this test binary, which runs as the ranks.
func exe(t *testing.T) string {
	p, err := os.Executable()
	require.NoError(t, err)
	return p
}

// childArgs is PROGRAM ARGS for ranks that follow spec.
func childArgs(t *testing.T, dir, spec string) []string {
	return []string{exe(t), "torchrun-test-child", dir, spec}
}

// torchrun runs run with argv, returning its exit status and output. It
// fails the test if run does not return within waitLong.
func torchrun(t *testing.T, ctx context.Context, argv ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, argv, &stdout, &stderr) }()
	select {
	case code := <-done:
		return code, stdout.String(), stderr.String()
	case <-time.After(waitLong):
		t.Fatalf("torchrun %q did not return", argv)
		return 0, "", ""
	}
}

// rankEnvs parses the children's "[rank N] env K=V ..." lines: the
// environment each rank saw, by the rank of its prefix.
func rankEnvs(t *testing.T, stdout string) map[int]map[string]string {
	envs := map[int]map[string]string{}
	re := regexp.MustCompile(`^\[rank (\d+)\] env (.*)$`)
	for _, line := range strings.Split(stdout, "\n") {
		m := re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rank, _ := strconv.Atoi(m[1])
		require.NotContains(t, envs, rank, "rank %d printed its env twice", rank)
		env := map[string]string{}
		for _, kv := range strings.Fields(m[2]) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		envs[rank] = env
	}
	return envs
}

// pidOf reads the pid file rank wrote.
func pidOf(t *testing.T, dir string, rank int) int {
	b, err := os.ReadFile(filepath.Join(dir, fmt.Sprint("pid", rank)))
	require.NoError(t, err)
	pid, err := strconv.Atoi(string(b))
	require.NoError(t, err)
	return pid
}

// waitPidFiles waits for ranks 0..n-1 to write their pid files.
func waitPidFiles(t *testing.T, dir string, n int) []int {
	deadline := time.Now().Add(waitLong)
	for {
		if pidFiles(dir) == n {
			break
		}
		require.True(t, time.Now().Before(deadline), "the ranks did not start")
		time.Sleep(20 * time.Millisecond)
	}
	var pids []int
	for r := range n {
		pids = append(pids, pidOf(t, dir, r))
	}
	// Should a test fail with ranks left running: end them (only them).
	t.Cleanup(func() {
		for _, pid := range pids {
			if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); alive(pid) && bytes.Contains(b, []byte("torchrun-test-child\x00"+dir)) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	return pids
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

// unsetEnv unsets k for the test.
func unsetEnv(t *testing.T, k string) {
	t.Setenv(k, "") // restores it afterwards
	os.Unsetenv(k)
}

func TestEnvironmentAndPrefixes(t *testing.T) {
	unsetEnv(t, "OMP_NUM_THREADS")
	t.Setenv("TORCHRUN_TEST_PARENT", "inherited")
	dir := t.TempDir()
	code, stdout, stderr := torchrun(t, context.Background(), append([]string{"--nproc_per_node", "3"}, childArgs(t, dir, "")...)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "torchrun: OMP_NUM_THREADS=1 for each rank")

	envs := rankEnvs(t, stdout)
	require.Len(t, envs, 3, stdout)
	port := envs[0]["MASTER_PORT"]
	p, err := strconv.Atoi(port)
	require.NoError(t, err, "MASTER_PORT %q", port)
	assert.True(t, p > 0 && p < 65536, "a free port was chosen: %d", p)
	runID := envs[0]["TORCHELASTIC_RUN_ID"]
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, runID)
	for rank := range 3 {
		require.Contains(t, envs, rank)
		assert.Equal(t, map[string]string{
			"RANK": fmt.Sprint(rank), "LOCAL_RANK": fmt.Sprint(rank), "WORLD_SIZE": "3", "LOCAL_WORLD_SIZE": "3",
			"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": port, "GROUP_RANK": "0", "GROUP_WORLD_SIZE": "1",
			"TORCHELASTIC_RUN_ID": runID, "OMP_NUM_THREADS": "1", "TORCHRUN_TEST_PARENT": "inherited",
		}, envs[rank], "rank %d", rank)
		assert.Contains(t, stderr, fmt.Sprintf("[rank %d] stderr of rank %d\n", rank, rank))
	}
	assert.NotContains(t, stderr, "torchrun: rank", "no failure reported")
}

func TestOneRankKeepsOMPThreads(t *testing.T) {
	t.Setenv("OMP_NUM_THREADS", "7")
	dir := t.TempDir()
	code, stdout, stderr := torchrun(t, context.Background(), childArgs(t, dir, "")...)
	require.Equal(t, 0, code, stderr)
	envs := rankEnvs(t, stdout)
	require.Len(t, envs, 1)
	assert.Equal(t, "7", envs[0]["OMP_NUM_THREADS"], "a value set is kept")
	assert.Equal(t, "1", envs[0]["WORLD_SIZE"])
	assert.NotContains(t, stderr, "OMP_NUM_THREADS")
}

func TestGivenMasterPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port

	// In use: refused before any rank starts.
	dir := t.TempDir()
	code, stdout, stderr := torchrun(t, context.Background(), append([]string{"--nproc-per-node", "2", "--master-port", fmt.Sprint(port)}, childArgs(t, dir, "")...)...)
	assert.Equal(t, 1, code)
	assert.Equal(t, fmt.Sprintf("torchrun: --master-port %d: the port is in use on 127.0.0.1 (give another, or 0 for a free one)\n", port), stderr)
	assert.Empty(t, stdout)
	files, _ := os.ReadDir(dir)
	assert.Empty(t, files, "no rank started")

	// Free: the ranks get it.
	require.NoError(t, ln.Close())
	code, stdout, stderr = torchrun(t, context.Background(), append([]string{"--nproc-per-node", "2", "--master-port", fmt.Sprint(port), "--master-addr", "localhost"}, childArgs(t, dir, "")...)...)
	require.Equal(t, 0, code, stderr)
	envs := rankEnvs(t, stdout)
	require.Len(t, envs, 2)
	for rank := range 2 {
		assert.Equal(t, fmt.Sprint(port), envs[rank]["MASTER_PORT"])
		assert.Equal(t, "localhost", envs[rank]["MASTER_ADDR"])
	}
}

func TestRankFailureStopsTheOthers(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		n          int
		code       int
		what       string // the failure, after "rank 1 (pid P) "
	}{
		{"exit", "0=hang,1=exit3", 2, 3, "exited with status 3; stopped the other 1 process"},
		{"exit 1 of 3", "0=hang,1=exit1,2=hang", 3, 1, "exited with status 1; stopped the other 2 processes"},
		{"signal", "0=hang,1=kill", 2, 137, "was killed by SIGKILL (signal 9); stopped the other 1 process"},
		{"others done", "0=ok,1=exit5", 2, 5, "exited with status 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// A long grace: the hanging ranks stop on SIGTERM.
			argv := append([]string{"--nproc-per-node", fmt.Sprint(tc.n), "--grace", "10m"}, childArgs(t, dir, tc.spec)...)
			code, stdout, stderr := torchrun(t, context.Background(), argv...)
			assert.Equal(t, tc.code, code, stderr)
			msg := fmt.Sprintf("torchrun: rank 1 (pid %d) %s\n", pidOf(t, dir, 1), tc.what)
			assert.True(t, strings.HasSuffix(stderr, msg), "stderr ends with %q:\n%s", msg, stderr)
			assert.Len(t, rankEnvs(t, stdout), tc.n, "every rank ran")
			for rank := range tc.n {
				assert.False(t, alive(pidOf(t, dir, rank)), "rank %d is gone", rank)
			}
		})
	}
}

func TestSIGKILLAfterGrace(t *testing.T) {
	dir := t.TempDir()
	argv := append([]string{"--nproc-per-node", "3", "--grace", "100ms"}, childArgs(t, dir, "0=hangterm,1=exit3,2=hang")...)
	code, _, stderr := torchrun(t, context.Background(), argv...)
	assert.Equal(t, 3, code, stderr)
	msg := fmt.Sprintf("torchrun: rank 1 (pid %d) exited with status 3; stopped the other 2 processes (1 with SIGKILL, still running after the 100ms grace)\n", pidOf(t, dir, 1))
	assert.True(t, strings.HasSuffix(stderr, msg), "stderr ends with %q:\n%s", msg, stderr)
	assert.False(t, alive(pidOf(t, dir, 0)), "the rank that ignores SIGTERM is gone")
	assert.False(t, alive(pidOf(t, dir, 2)))
}

func TestCancelStopsAll(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cause error
		code  int
		msg   string
	}{
		{"Ctrl-C", nil, 130, "torchrun: interrupted: stopped 2 processes\n"},
		{"SIGTERM", signalCause{syscall.SIGTERM}, 143, "torchrun: interrupted by SIGTERM: stopped 2 processes\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			type result struct {
				code           int
				stdout, stderr string
			}
			var stdout, stderr bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, append([]string{"--nproc-per-node", "2", "--grace", "10m"}, childArgs(t, dir, "0=hang,1=hang")...), &stdout, &stderr)
			}()
			pids := waitPidFiles(t, dir, 2)
			cancel(tc.cause)
			var r result
			select {
			case code := <-done:
				r = result{code, stdout.String(), stderr.String()}
			case <-time.After(waitLong):
				t.Fatal("torchrun did not stop")
			}
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.True(t, strings.HasSuffix(r.stderr, tc.msg), "stderr ends with %q:\n%s", tc.msg, r.stderr)
			assert.Len(t, rankEnvs(t, r.stdout), 2)
			for rank, pid := range pids {
				assert.False(t, alive(pid), "rank %d is gone", rank)
			}
		})
	}
}

// TestLauncherSignals runs torchrun as a process of its own (this test
// binary), to signal it.
func TestLauncherSignals(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int // -1: killed
	}{
		{syscall.SIGTERM, 143},
		{syscall.SIGINT, 130},
		{syscall.SIGKILL, -1},
	} {
		t.Run(sigName(tc.sig), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(exe(t), append([]string{"torchrun-test-launcher", "--nproc-per-node", "2", "--grace", "10m"}, childArgs(t, dir, "0=hang,1=hang")...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.WaitDelay = waitLong
			require.NoError(t, cmd.Start())
			defer cmd.Process.Kill()
			pids := waitPidFiles(t, dir, 2)
			require.NoError(t, cmd.Process.Signal(tc.sig))
			err := cmd.Wait()
			if tc.code < 0 {
				assert.Equal(t, -1, cmd.ProcessState.ExitCode(), "killed: %v", err)
				// Nothing waits for them: Linux kills them (the
				// parent-death signal) and init reaps them.
				deadline := time.Now().Add(waitLong)
				for rank, pid := range pids {
					for alive(pid) && time.Now().Before(deadline) {
						time.Sleep(20 * time.Millisecond)
					}
					assert.False(t, alive(pid), "rank %d (pid %d) outlived torchrun", rank, pid)
				}
				return
			}
			assert.Equal(t, tc.code, cmd.ProcessState.ExitCode(), stderr.String())
			assert.Contains(t, stderr.String(), "torchrun: interrupted by "+sigName(tc.sig)+": stopped 2 processes\n")
			for rank, pid := range pids {
				assert.False(t, alive(pid), "rank %d is gone", rank)
			}
		})
	}
}

func TestOutputLines(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := torchrun(t, context.Background(), append([]string{"--nproc-per-node", "2"}, childArgs(t, dir, "0=spam,1=spam")...)...)
	require.Equal(t, 0, code, stderr)
	re := regexp.MustCompile(`^\[rank (\d)\] spam (\d) (\d+) x{100}$`)
	for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
		next := map[string]int{}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if strings.Contains(line, " env ") || strings.Contains(line, " stderr of rank ") || strings.HasPrefix(line, "torchrun: ") {
				continue
			}
			if strings.HasSuffix(line, "] tail without newline") {
				assert.Regexp(t, `^\[rank [01]\] tail`, line)
				next[line]++
				continue
			}
			m := re.FindStringSubmatch(line)
			require.NotNil(t, m, "%s: a whole line with its rank's prefix: %q", name, line)
			require.Equal(t, m[1], m[2], "%s: %q", name, line)
			assert.Equal(t, strconv.Itoa(next[m[1]]), m[3], "%s: rank %s's lines in order", name, m[1])
			next[m[1]]++
		}
		assert.Equal(t, spamLines, next["0"], name)
		assert.Equal(t, spamLines, next["1"], name)
		if name == "stdout" {
			assert.Equal(t, 1, next["[rank 0] tail without newline"], "the last line gets its newline")
			assert.Equal(t, 1, next["[rank 1] tail without newline"])
		}
	}
}

func TestLineWriter(t *testing.T) {
	var out bytes.Buffer
	w := &lineWriter{dst: &out, mu: new(sync.Mutex), prefix: []byte("[rank 7] ")}
	for _, s := range []string{"a", "b\nc\n", "", "d\ne"} {
		n, err := w.Write([]byte(s))
		require.NoError(t, err)
		require.Equal(t, len(s), n)
	}
	assert.Equal(t, "[rank 7] ab\n[rank 7] c\n[rank 7] d\n", out.String(), "whole lines only")
	w.flush()
	assert.Equal(t, "[rank 7] ab\n[rank 7] c\n[rank 7] d\n[rank 7] e\n", out.String())
	w.flush()
	assert.Equal(t, "[rank 7] ab\n[rank 7] c\n[rank 7] d\n[rank 7] e\n", out.String(), "nothing left")

	out.Reset()
	long := strings.Repeat("y", 2*maxLine+10)
	w.Write([]byte(long[:100]))
	w.Write([]byte(long[100:] + "\nz\n"))
	want := "[rank 7] " + long[:maxLine] + "\n[rank 7] " + long[maxLine:2*maxLine] + "\n[rank 7] " + long[2*maxLine:] + "\n[rank 7] z\n"
	assert.Equal(t, want, out.String(), "a line over maxLine is cut")
}

func TestBuildsGoPackage(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	code, stdout, stderr := torchrun(t, context.Background(), "--nproc-per-node", "2", "./testdata/hello")
	require.Equal(t, 0, code, stderr)
	m := regexp.MustCompile(`(?m)^torchrun: building \./testdata/hello \(go build -o (\S+), in (\S+)\)$`).FindStringSubmatch(stderr)
	require.NotNil(t, m, stderr)
	abs, err := filepath.Abs("testdata/hello")
	require.NoError(t, err)
	assert.Equal(t, abs, m[2])
	assert.Equal(t, "hello", filepath.Base(m[1]))
	assert.Contains(t, stdout, "[rank 0] hello from rank 0 of 2\n")
	assert.Contains(t, stdout, "[rank 1] hello from rank 1 of 2\n")
	_, err = os.Stat(filepath.Dir(m[1]))
	assert.True(t, os.IsNotExist(err), "the build folder is removed: %v", err)
}

func TestBuildFailure(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	dir := filepath.Join(t.TempDir(), "broken")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module broken\n\ngo 1.21\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { undefinedThing() }\n"), 0o644))
	code, stdout, stderr := torchrun(t, context.Background(), "--nproc-per-node", "2", dir)
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "torchrun: building "+dir)
	assert.Contains(t, stderr, "undefined: undefinedThing", "the compiler's message")
	assert.True(t, strings.HasSuffix(stderr, "torchrun: go build "+dir+" failed: exit status 1\n"), stderr)
}

func TestStartFailure(t *testing.T) {
	unsetEnv(t, "OMP_NUM_THREADS")
	prog := filepath.Join(t.TempDir(), "not-a-program")
	require.NoError(t, os.WriteFile(prog, []byte("neither ELF nor #!\n"), 0o755))
	code, stdout, stderr := torchrun(t, context.Background(), "--nproc-per-node", "2", prog)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "torchrun: OMP_NUM_THREADS=1 for each rank, as torchrun sets it not to overload the machine; set OMP_NUM_THREADS to tune it\n"+
		"torchrun: starting rank 0: fork/exec "+prog+": exec format error\n", stderr)
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "data.txt")
	require.NoError(t, os.WriteFile(notExec, []byte("x"), 0o644))
	noGo := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(noGo, 0o755))
	for _, tc := range []struct {
		argv []string
		msg  string
	}{
		{nil, "missing PROGRAM (an executable or a Go package folder such as ./cmd/mnist)"},
		{[]string{"--nproc-per-node", "0", "/bin/true"}, "--nproc-per-node must be at least 1, got 0"},
		{[]string{"--nproc-per-node", "two", "/bin/true"}, `invalid argument "two" for "--nproc-per-node" flag: must be an integer`},
		{[]string{"--nnodes", "2", "/bin/true"}, "--nnodes 2: only one node (--nnodes 1) is supported for now"},
		{[]string{"--node-rank", "1", "/bin/true"}, "--node-rank 1: with one node the only rank is 0"},
		{[]string{"--master-port", "70000", "/bin/true"}, "--master-port must be in 0..65535, got 70000"},
		{[]string{"--grace", "-1s", "/bin/true"}, "--grace must not be negative, got -1s"},
		{[]string{"--tee", "3", "/bin/true"}, "unknown flag: --tee"},
		{[]string{filepath.Join(dir, "missing")}, "PROGRAM " + filepath.Join(dir, "missing") + ": no such file or directory"},
		{[]string{notExec}, "PROGRAM " + notExec + " is not executable"},
		{[]string{noGo}, "PROGRAM " + noGo + " is a folder without Go files (give an executable or a Go package folder)"},
		{[]string{"no-such-program-torchrun-test"}, "PROGRAM no-such-program-torchrun-test: not found on PATH (a path or a Go package folder has a /: ./no-such-program-torchrun-test)"},
	} {
		code, stdout, stderr := torchrun(t, context.Background(), tc.argv...)
		assert.Equal(t, 2, code, "%q: %s", tc.argv, stderr)
		assert.Empty(t, stdout)
		assert.Equal(t, "torchrun: "+tc.msg+"\nrun 'torchrun --help' for the flags\n", stderr, "%q", tc.argv)
	}

	code, stdout, stderr := torchrun(t, context.Background(), "--help")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
	assert.True(t, strings.HasPrefix(stderr, usageHead), stderr)
	for _, f := range []string{"--nproc-per-node int", "--master-addr string", "--master-port int", "--nnodes int", "--node-rank int", "--grace duration", "--standalone"} {
		assert.Contains(t, stderr, f)
	}

	// PROGRAM's flags are PROGRAM's, and torchrun's --standalone is
	// accepted.
	code, stdout, stderr = torchrun(t, context.Background(), "--standalone", "--nproc-per-node=1", "/bin/sh", "-c", `echo "$0 $1"`, "--nproc-per-node", "--help")
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "[rank 0] --nproc-per-node --help\n", stdout)
}

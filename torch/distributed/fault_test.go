package distributed_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/disttest"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/distributed"
)

func TestMain(m *testing.M) {
	disttest.Serve(map[string]func([]string) int{"allreduce-loop": allReduceLoop})
	os.Exit(m.Run())
}

// allReduceLoop is a rank of the fault tests: args are a folder, the group
// timeout, and what rank 1 does after its first all-reduce ("run" on, or
// "hang": stop taking part without exiting). Each rank writes
// FOLDER/ready-RANK after the first all-reduce, then all-reduces until one
// fails, which it reports on stderr, exiting 1.
func allReduceLoop(args []string) int {
	dir, mode := args[0], args[2]
	timeout, err := time.ParseDuration(args[1])
	if err != nil {
		panic(err)
	}
	pg, err := distributed.InitProcessGroup(distributed.Options{Timeout: timeout})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	x := torch.Ones([]int64{1024})
	for i := 0; ; i++ {
		if i == 1 {
			if err := os.WriteFile(filepath.Join(dir, "ready-"+strconv.Itoa(pg.Rank())), nil, 0o644); err != nil {
				panic(err)
			}
			if pg.Rank() == 1 && mode == "hang" {
				select {}
			}
		}
		if err := pg.AllReduce(x, distributed.Avg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
}

// A rank that dies (killed) or hangs makes the other fail with a clear
// error, at once for a death (the connection closes), within the group's
// timeout for a hang, instead of waiting forever.
func TestPeerFailureIsAnError(t *testing.T) {
	requireGloo(t)
	for _, tt := range []struct {
		mode    string
		timeout time.Duration
		want    string
	}{
		{"run", time.Minute, "distributed.AllReduce"}, // rank 1 is killed
		{"hang", 3 * time.Second, "distributed.AllReduce"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			dir := t.TempDir()
			job := disttest.Start(t, 2, "allreduce-loop", dir, tt.timeout.String(), tt.mode)
			require.Eventually(t, func() bool {
				_, err0 := os.Stat(filepath.Join(dir, "ready-0"))
				_, err1 := os.Stat(filepath.Join(dir, "ready-1"))
				return err0 == nil && err1 == nil
			}, 2*time.Minute, 10*time.Millisecond, "the ranks did not start")
			start := time.Now()
			if tt.mode == "run" {
				require.NoError(t, job.Ranks[1].Cmd.Process.Kill())
			}
			code := job.Wait(t, 0, 2*time.Minute)
			took := time.Since(start)
			stderr := job.Ranks[0].Stderr.String()
			t.Logf("rank 0 exited %d after %v: %s", code, took.Round(time.Millisecond), stderr)
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, tt.want)
			if tt.mode == "hang" {
				assert.GreaterOrEqual(t, took, tt.timeout/2, "the hang is found by the timeout")
			}
		})
	}
}

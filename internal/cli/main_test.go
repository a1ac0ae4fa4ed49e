package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets TestSecondInterruptExits run this test binary as a program
// built on Main.
func TestMain(m *testing.M) {
	if os.Getenv("GOTORCH_CLI_MAIN") == "stubborn" {
		// A program that sees the first Ctrl-C and then takes forever to
		// stop: only a second Ctrl-C can end it.
		Main(func(ctx context.Context, _ []string, stdout, _ io.Writer) int {
			fmt.Fprintln(stdout, "started")
			<-ctx.Done()
			fmt.Fprintln(stdout, "stopping")
			time.Sleep(time.Hour)
			return 0
		})
	}
	os.Exit(m.Run())
}

func TestSecondInterruptExits(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "GOTORCH_CLI_MAIN=stubborn")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(out)
	require.True(t, lines.Scan())
	require.Equal(t, "started", lines.Text())

	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	require.True(t, lines.Scan())
	require.Equal(t, "stopping", lines.Text(), "the first Ctrl-C reaches the program")
	require.NoError(t, cmd.Process.Signal(os.Interrupt))

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		ws := ee.Sys().(syscall.WaitStatus)
		assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGINT, "ended by the second SIGINT: %v", err)
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("a second Ctrl-C did not end the program")
	}
}

// Command rawcall times `a + b` on 1-element float32 tensors through
// torch/internal/capi alone: the generated cgo call into the shim and the
// free queue, without package torch's *Tensor, its lifetime bookkeeping or
// its error values. It is the floor of Go's per-call cost with one cgo call
// per operation: scripts/bench_percall.py times it beside the C++ baseline,
// the same loop in C (scripts/bench_overhead_shim.c) and the torch package,
// so that each layer's share is a paired difference of one run.
//
//	rawcall [N]      times N calls (default 2,000,000) and prints ns per call
//	rawcall --serve  answers each line "N" with the ns per call of N calls
//	rawcall --probe KIB [N]  times N calls (default 300,000) of a C memset of
//	                 KIB KiB through cgo against the same calls from a C loop,
//	                 4 rounds: what the crossing costs with work inside the call
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rawcall:", err)
		os.Exit(1)
	}
}

func run(args []string, in io.Reader, out io.Writer) error {
	fs := pflag.NewFlagSet("rawcall", pflag.ContinueOnError)
	serve := fs.Bool("serve", false, "answer each line \"N\" on stdin with the nanoseconds per call of N calls")
	probeKiB := fs.Int("probe", -1, "time a C memset of this many KiB called through cgo against a C loop of the same calls")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n := 2_000_000
	if fs.Changed("probe") {
		n = 300_000
	}
	switch {
	case fs.NArg() > 1, fs.NArg() == 1 && *serve, *serve && fs.Changed("probe"):
		return fmt.Errorf("want one count, --serve or --probe KIB [N], got %q", args)
	case fs.NArg() == 1:
		v, err := strconv.Atoi(fs.Arg(0))
		if err != nil || v < 1 {
			return fmt.Errorf("want a count of calls >= 1, got %q", fs.Arg(0))
		}
		n = v
	}
	if fs.Changed("probe") {
		return probe(out, *probeKiB, n, 4)
	}
	if got := capi.LibraryABIVersion(); got != capi.ABIVersion {
		return fmt.Errorf("libcgotorch has ABI version %d, this program was built for %d", got, capi.ABIVersion)
	}
	if err := capi.Init(); err != nil {
		return err
	}
	capi.SetNumThreads(1)
	var l loop
	if err := l.setUp(); err != nil {
		return err
	}
	defer l.tearDown()
	if _, err := l.time(10_000); err != nil {
		return err
	}
	if !*serve {
		ns, err := l.time(n)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%.1f\n", ns)
		return err
	}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		v, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
		if err != nil || v < 1 {
			return fmt.Errorf("--serve: want a line with a count of calls >= 1, got %q", sc.Text())
		}
		ns, err := l.time(v)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(out, "%.1f\n", ns); err != nil {
			return err
		}
	}
	return sc.Err()
}

// loop holds the two operands.
type loop struct{ a, b capi.Tensor }

func (l *loop) setUp() (err error) {
	if l.a, err = capi.Ones([]int64{1}, 6, 0, -1); err != nil { // float32 on the CPU
		return err
	}
	l.b, err = capi.Ones([]int64{1}, 6, 0, -1)
	return err
}

func (l *loop) tearDown() {
	capi.Free(l.a)
	capi.Free(l.b)
	capi.FreeQueued()
}

// time makes n calls of the generated add, each result freed through the
// queue as Tensor.Free does, and returns the nanoseconds per call.
func (l *loop) time(n int) (float64, error) {
	one := capi.Scalar{Kind: capi.ScalarInt, I: 1}
	start := time.Now()
	for range n {
		var c capi.Tensor
		if err := capi.Aten_add_Tensor(&c, l.a, l.b, one); err != nil {
			return 0, err
		}
		capi.QueueFree(c)
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n), nil
}

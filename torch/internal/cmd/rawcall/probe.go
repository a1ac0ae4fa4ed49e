package main

/*
#include <string.h>

static char probe_buf[1 << 20];
static volatile char probe_sink;

// probe_work stands in for a libtorch call that does kib KiB of work; the
// call through cgo is timed against the same calls from a C loop.
__attribute__((noinline)) static void probe_work(int kib) {
	memset(probe_buf, kib, (size_t)kib * 1024);
	probe_sink = probe_buf[5];
}

static void probe_loop(long n, int kib) {
	for (long i = 0; i < n; i++) probe_work(kib);
}
*/
import "C"

import (
	"fmt"
	"io"
	"time"
)

// probe times n calls of a C function that clears kib KiB, called from Go
// one cgo call at a time and from a loop in C (one cgo call for all), in
// alternating order over rounds, and prints the nanoseconds per call of
// both and their difference: the crossing's cost with that much work inside
// the call (kib 0: an empty call).
func probe(out io.Writer, kib, n, rounds int) error {
	if kib < 0 || kib > 1024 {
		return fmt.Errorf("--probe: want KiB in [0, 1024], got %d", kib)
	}
	k := C.int(kib)
	C.probe_loop(C.long(n/10+1), k) // warm up
	for r := range rounds {
		var fromGo, fromC float64
		for i := range 2 {
			start := time.Now()
			if (i+r)%2 == 0 {
				for range n {
					C.probe_work(k)
				}
				fromGo = float64(time.Since(start).Nanoseconds()) / float64(n)
			} else {
				C.probe_loop(C.long(n), k)
				fromC = float64(time.Since(start).Nanoseconds()) / float64(n)
			}
		}
		if _, err := fmt.Fprintf(out, "memset %d KiB: from Go %.1f ns, from C %.1f ns, crossing %.1f ns a call\n", kib, fromGo, fromC, fromGo-fromC); err != nil {
			return err
		}
	}
	return nil
}

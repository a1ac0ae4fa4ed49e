// Command gpustat prints what nvidia-smi shows (device, memory used/total,
// utilisation) read through NVML, beside libtorch's allocated and reserved
// memory. Without an NVIDIA GPU it prints one line and exits 0.
//
//	go run ./cmd/gpustat [--watch 1s]
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/gpumon"
)

func main() {
	watch := flag.Duration("watch", 0, "repeat every interval (e.g. 1s) until interrupted")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: gpustat [--watch INTERVAL]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	m, err := gpumon.Open()
	if errors.Is(err, gpumon.ErrNoGPU) {
		fmt.Println("no NVIDIA GPU")
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gpustat:", err)
		os.Exit(1)
	}
	defer m.Close()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	for {
		devs, err := m.Devices()
		if err != nil {
			fmt.Fprintln(os.Stderr, "gpustat:", err)
			os.Exit(1)
		}
		gpumon.WriteTable(os.Stdout, m.Driver(), devs)
		if *watch <= 0 {
			return
		}
		select {
		case <-stop:
			return
		case <-time.After(*watch):
		}
	}
}

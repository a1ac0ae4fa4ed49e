package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// rusage is getrusage(RUSAGE_SELF), zero where it fails.
func rusage() syscall.Rusage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru
}

// maxRSS is the process's peak resident set in bytes (getrusage's
// ru_maxrss, KiB on Linux), as Python's resource.getrusage reports it.
func maxRSS() int64 { return rusage().Maxrss * 1024 }

// minorFaults is the process's count of minor page faults so far: pages
// the kernel had to map (and zero) on first touch.
func minorFaults() int64 { return rusage().Minflt }

// libraries are the shared objects a comparison must hold equal on both
// sides: the BLAS that libtorch's matmuls run on (Debian's libtorch takes
// the system's libblas.so.3, whichever alternative it points at) and
// libtorch itself.
type libraries struct {
	blas     []string
	libtorch []string
}

// mappedLibraries reads /proc/self/maps, as the Python side reads its own,
// for the files behind libblas/libopenblas/libmkl and libtorch_cpu/libtorch.
func mappedLibraries() (libraries, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return libraries{}, fmt.Errorf("reading the mapped libraries: %w", err)
	}
	defer f.Close()
	var libs libraries
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 {
			continue
		}
		path := fields[len(fields)-1]
		base := strings.ToLower(filepath.Base(path))
		switch {
		case strings.Contains(base, "blas") || strings.Contains(base, "mkl_rt") || strings.HasPrefix(base, "libmkl"):
			libs.blas = appendNew(libs.blas, path)
		case strings.HasPrefix(base, "libtorch_cpu") || strings.HasPrefix(base, "libtorch.so"):
			libs.libtorch = appendNew(libs.libtorch, path)
		}
	}
	return libs, sc.Err()
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

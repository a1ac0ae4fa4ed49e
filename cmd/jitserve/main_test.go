package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// reference is what makeModels' Python prints: two inputs of shape 1x4x4
// and the classifier's softmax probabilities for them.
type reference struct {
	Flat   []float64     `json:"flat"`   // inputs[0], flat
	Nested [][][]float64 `json:"nested"` // inputs[1], nested as 1x4x4
	Probs  [][]float64   `json:"probs"`  // softmax(model(x), 1)
	Schema string        `json:"schema"`
}

// makeModels writes, into a fresh temporary folder, a scripted classifier
// of 1x4x4 inputs into 5 classes (tiny.pt; 85 parameters) and a scripted
// module that returns its input (same.pt), and returns Python's
// probabilities for two random inputs.
func makeModels(t *testing.T) (dir string, ref reference) {
	t.Helper()
	dir = t.TempDir()
	// torch.jit.script reads the classes' source: the script must be a file.
	script := filepath.Join(dir, "make_models.py")
	require.NoError(t, os.WriteFile(script, []byte(pytorch.Prelude+`
import json, sys
class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(16, 5)
    def forward(self, x):
        return 3 * self.fc(torch.flatten(x, 1))
class Same(torch.nn.Module):
    def forward(self, x):
        return 2 * x
torch.manual_seed(0)
tiny = torch.jit.script(Tiny().eval())
tiny.save(sys.argv[1] + "/tiny.pt")
torch.jit.script(Same()).save(sys.argv[1] + "/same.pt")
x = torch.randn(2, 1, 4, 4)
with torch.no_grad():
    p = torch.softmax(tiny(x), 1)
print(json.dumps({"flat": x[0].flatten().tolist(), "nested": x[1].tolist(),
                  "probs": p.tolist(), "schema": str(tiny.forward.schema)}))
`), 0o644))
	out, err := exec.Command(pytorch.Python(t), script, dir).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("%s: %v\n%s", script, err, ee.Stderr)
	}
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &ref), "%s", out)
	require.Len(t, ref.Flat, 16)
	require.Len(t, ref.Nested, 1)
	require.Len(t, ref.Probs, 2)
	return dir, ref
}

// syncBuffer is a bytes.Buffer that a running server writes while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var boundAddr = regexp.MustCompile(`jitserve: serving .* on http://(\S+) `)

// running is a jitserve running in the test.
type running struct {
	url    string
	cancel context.CancelFunc
	code   chan int
	stderr *syncBuffer
}

// start runs jitserve on a free port and waits for its start line.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &running{cancel: cancel, code: make(chan int, 1), stderr: &syncBuffer{}}
	go func() {
		s.code <- run(ctx, append([]string{"--addr", "127.0.0.1:0", "--device", "cpu", "--threads", "1"}, args...), io.Discard, s.stderr)
	}()
	t.Cleanup(cancel)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := boundAddr.FindStringSubmatch(s.stderr.String()); m != nil {
			s.url = "http://" + m[1]
			return s
		}
		select {
		case code := <-s.code:
			t.Fatalf("jitserve exited %d before serving:\n%s", code, s.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no start line from jitserve in 30s:\n%s", s.stderr.String())
	return nil
}

// stop cancels the server's context (Ctrl-C) and returns its exit status.
func (s *running) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.code:
		return code
	case <-time.After(30 * time.Second):
		t.Fatal("jitserve did not stop within 30s of its context's cancellation")
		return -1
	}
}

func post(t *testing.T, url, body string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, b
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestServe serves the classifier: a batch of a flat and a nested input
// gets Python's top classes and probabilities, with the labels file's
// labels, also from concurrent requests; bad requests get 400/405/413 with
// a JSON error saying what was expected and found; /info and /healthz
// answer; cancelling the context shuts the server down with status 0.
func TestServe(t *testing.T) {
	dir, ref := makeModels(t)
	labels := filepath.Join(dir, "labels.txt")
	require.NoError(t, os.WriteFile(labels, []byte("zero\none\ntwo\nthree\nfour\n"), 0o644))
	model := filepath.Join(dir, "tiny.pt")
	s := start(t, "--model", model, "--input-shape", "1,4,4", "--labels", labels, "--top-k", "3", "--max-batch", "4")

	body := mustJSON(t, map[string]any{"inputs": []any{ref.Flat, ref.Nested}})
	status, _, b := post(t, s.url+"/predict", body)
	require.Equal(t, http.StatusOK, status, "%s", b)
	var resp Response
	require.NoError(t, json.Unmarshal(b, &resp))
	require.Len(t, resp.Predictions, 2)
	names := []string{"zero", "one", "two", "three", "four"}
	for i, probs := range ref.Probs {
		order := []int{0, 1, 2, 3, 4}
		slices.SortFunc(order, func(a, b int) int {
			if probs[a] > probs[b] {
				return -1
			}
			return 1
		})
		top := resp.Predictions[i].Top
		require.Len(t, top, 3, "input %d", i)
		for k, c := range top {
			assert.Equal(t, order[k], c.Class, "input %d, rank %d", i, k)
			assert.Equal(t, names[order[k]], c.Label, "input %d, rank %d", i, k)
			assert.InDelta(t, probs[order[k]], float64(c.Probability), 1e-5, "input %d, rank %d", i, k)
		}
	}
	// The two inputs differ: a server answering one for both would fail.
	assert.NotEqual(t, resp.Predictions[0], resp.Predictions[1])

	// Concurrent requests (one input each, the other order) give the same answers.
	var wg sync.WaitGroup
	answers := make([][]byte, 8)
	one := mustJSON(t, map[string]any{"inputs": []any{ref.Nested}})
	for g := range answers {
		wg.Go(func() {
			resp, err := http.Post(s.url+"/predict", "application/json", strings.NewReader(one))
			if assert.NoError(t, err) {
				defer resp.Body.Close()
				answers[g], _ = io.ReadAll(resp.Body)
				assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", answers[g])
			}
		})
	}
	wg.Wait()
	for _, a := range answers {
		var r Response
		if assert.NoError(t, json.Unmarshal(a, &r), "%s", a) && assert.Len(t, r.Predictions, 1) {
			assert.Equal(t, resp.Predictions[1], r.Predictions[0])
		}
	}

	flat := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = "0.5"
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	for _, c := range []struct {
		name, body string
		status     int
		want       []string
	}{
		{"wrong length", `{"inputs": [` + flat(15) + `]}`, 400, []string{"inputs[0]: expected 16 numbers, flat or nested as [1,4,4], found a flat array of 15 numbers"}},
		{"wrong nesting", `{"inputs": [` + flat(16) + `, [[[1, 2, 3, 4]]]]}`, 400, []string{"inputs[1][0]: expected an array of 4 (dimension 1 of the input shape [1,4,4]", "found an array of 1 arrays"}},
		{"string", `{"inputs": [[1, 2, "x"` + strings.Repeat(", 1", 13) + `]]}`, 400, []string{`inputs[0][2]: expected a finite float32 number, found the string "x"`}},
		{"overflow", `{"inputs": [[1e39` + strings.Repeat(", 1", 15) + `]]}`, 400, []string{"inputs[0][0]", "overflows float32"}},
		{"NaN", `{"inputs": [[NaN` + strings.Repeat(", 1", 15) + `]]}`, 400, []string{"bad JSON", "JSON has no NaN"}},
		{"bad JSON", `{"inputs": [`, 400, []string{"bad JSON", `expected {"inputs": [input, ...]}`}},
		{"unknown field", `{"input": [` + flat(16) + `]}`, 400, []string{"bad JSON", `unknown field "input"`}},
		{"empty", `{"inputs": []}`, 400, []string{"no inputs", "1 to 4 inputs of shape [1,4,4]"}},
		{"no inputs", `{}`, 400, []string{"no inputs"}},
		{"null input", `{"inputs": [null]}`, 400, []string{"inputs[0]: expected 16 numbers", "found null"}},
		{"too many", `{"inputs": [` + strings.Repeat(flat(16)+",", 4) + flat(16) + `]}`, 413, []string{"5 inputs: at most --max-batch 4 per request"}},
		{"too large", `{"inputs": [` + strings.Repeat(" ", 2<<20) + `]}`, 413, []string{"request body larger than", "--max-batch 4"}},
	} {
		status, header, b := post(t, s.url+"/predict", c.body)
		assert.Equal(t, c.status, status, "%s: %s", c.name, b)
		assert.Equal(t, "application/json", header.Get("Content-Type"), c.name)
		var e errorBody
		if assert.NoError(t, json.Unmarshal(b, &e), "%s: %s", c.name, b) {
			for _, w := range c.want {
				assert.Contains(t, e.Error, w, c.name)
			}
		}
	}

	status, b = get(t, s.url+"/predict")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	assert.Contains(t, string(b), `"error":"method GET not allowed: use POST /predict`)

	status, b = get(t, s.url+"/healthz")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok\n", string(b))

	status, b = get(t, s.url+"/info")
	require.Equal(t, http.StatusOK, status)
	var info Info
	require.NoError(t, json.Unmarshal(b, &info))
	assert.Equal(t, Info{
		Model: model, Schema: info.Schema, InputShape: []int64{1, 4, 4}, Parameters: 16*5 + 5, Classes: 5,
		Labels: names, Device: "cpu", TopK: 3, MaxBatch: 4, Threads: 1, LibtorchVersion: info.LibtorchVersion,
	}, info)
	assert.Regexp(t, `^forward\(.* x\) -> Tensor$`, info.Schema, "Python's schema: %s", ref.Schema)
	assert.Regexp(t, `^\d+\.\d+`, info.LibtorchVersion)

	assert.Equal(t, 0, s.stop(t), s.stderr.String())
	assert.Contains(t, s.stderr.String(), "jitserve: shut down")
	_, err := http.Get(s.url + "/healthz")
	assert.Error(t, err, "the server still answers after its shutdown")
}

// TestBench: --bench prints a header and one parseable line per batch size.
func TestBench(t *testing.T) {
	dir, _ := makeModels(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--model", filepath.Join(dir, "tiny.pt"), "--input-shape", "1,4,4",
		"--device", "cpu", "--threads", "1", "--bench", "5", "--batch-sizes", "1,3"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 3, stdout.String())
	assert.Regexp(t, `^# jitserve bench: .*tiny\.pt, input \[1,4,4\], device cpu, 1 threads, libtorch \S+, 20 warm-up calls$`, lines[0])
	re := regexp.MustCompile(`^bench batch=(\d+) n=(\d+) median_ms=([\d.]+) p90_ms=([\d.]+) mean_ms=([\d.]+) inputs_per_s=([\d.]+)$`)
	for i, batch := range []int{1, 3} {
		m := re.FindStringSubmatch(lines[i+1])
		require.NotNil(t, m, lines[i+1])
		f := make([]float64, 6)
		for j := range f {
			var err error
			f[j], err = strconv.ParseFloat(m[j+1], 64)
			require.NoError(t, err)
		}
		assert.Equal(t, float64(batch), f[0])
		assert.Equal(t, 5.0, f[1])
		median, p90, mean, rate := f[2], f[3], f[4], f[5]
		assert.Greater(t, median, 0.0)
		assert.LessOrEqual(t, median, p90)
		// inputs_per_s is batch over the mean, printed to 0.001 ms.
		assert.GreaterOrEqual(t, rate, float64(batch)/((mean+0.0005)/1000)*0.999)
		if mean > 0.0005 {
			assert.LessOrEqual(t, rate, float64(batch)/((mean-0.0005)/1000)*1.001)
		}
	}
}

func TestSummarize(t *testing.T) {
	ms := func(v ...float64) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x*1e6))
		}
		return out
	}
	// 10 values, shuffled: median between the 5th and 6th, p90 the 9th.
	assert.Equal(t, stats{median: 5.5, p90: 9, mean: 5.5}, summarize(ms(3, 10, 1, 7, 5, 2, 9, 4, 8, 6)))
	assert.Equal(t, stats{median: 2, p90: 3, mean: 2}, summarize(ms(3, 1, 2)))
	assert.Equal(t, stats{median: 4, p90: 4, mean: 4}, summarize(ms(4)))
}

// TestNotAClassifierExits1: a model that does not return [batch, classes],
// a missing file and a labels file of the wrong length end with status 1
// and a message naming what was wrong.
func TestNotAClassifierExits1(t *testing.T) {
	dir, _ := makeModels(t)
	runArgs := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"--device", "cpu", "--addr", "127.0.0.1:0"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	same := filepath.Join(dir, "same.pt")
	code, stdout, stderr := runArgs("--model", same, "--input-shape", "1,4,4")
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stdout)
	for _, want := range []string{"jitserve: " + same, "forward(", "--input-shape [1,4,4]", "a batch of zeros [2,1,4,4]",
		"returned a tensor of shape [2,1,4,4], not [batch, classes] = [2, classes]", "a classifier must return a 2-D tensor [batch, classes]"} {
		assert.Contains(t, stderr, want)
	}
	assert.NotContains(t, stderr, "serving")

	// The classifier given inputs of the wrong shape: libtorch's error.
	tiny := filepath.Join(dir, "tiny.pt")
	code, _, stderr = runArgs("--model", tiny, "--input-shape", "3,4,4")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "--input-shape [3,4,4]")
	assert.Contains(t, stderr, "given a batch of zeros [2,3,4,4]: forward failed: ")

	missing := filepath.Join(dir, "no-such-model.pt")
	code, _, stderr = runArgs("--model", missing, "--input-shape", "1,4,4")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, missing)

	labels := filepath.Join(dir, "labels.txt")
	require.NoError(t, os.WriteFile(labels, []byte("a\nb\nc\n"), 0o644))
	code, _, stderr = runArgs("--model", tiny, "--input-shape", "1,4,4", "--labels", labels)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, fmt.Sprintf("--labels %s has 3 labels, but the model has 5 classes", labels))

	// More top classes than the model has is a bad flag.
	code, _, stderr = runArgs("--model", tiny, "--input-shape", "1,4,4", "--top-k", "6")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "--top-k 6 is more than the 5 classes of "+tiny)
}

func TestBadFlagsExit2(t *testing.T) {
	m := []string{"--model", "m.pt", "--input-shape", "1,4,4"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--input-shape", "1,4,4"}, "--model is required"},
		{[]string{"--model", "m.pt"}, "--input-shape is required"},
		{[]string{"--model", "m.pt", "--input-shape", "1,0,4"}, `--input-shape "1,0,4": want positive integers`},
		{[]string{"--model", "m.pt", "--input-shape", "1,x"}, `--input-shape "1,x"`},
		{append(m, "--top-k", "0"), "--top-k must be at least 1"},
		{append(m, "--max-batch", "0"), "--max-batch must be at least 1"},
		{append(m, "--threads", "-1"), "--threads must not be negative"},
		{append(m, "--bench", "-1"), "--bench must not be negative"},
		{append(m, "--batch-sizes", "1,0"), "--batch-sizes must be positive"},
		{append(m, "--device", "gpu"), "--device"},
		{append(m, "--no-such-flag"), "unknown flag"},
		{append(m, "extra"), `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &stdout, &stderr)
		assert.Equal(t, 2, code, "%v: %s", c.args, stderr.String())
		assert.Empty(t, stdout.String(), "%v", c.args)
		assert.Contains(t, stderr.String(), "jitserve: ", "%v", c.args)
		assert.Contains(t, stderr.String(), c.want, "%v", c.args)
	}
	var stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"--help"}, io.Discard, &stderr))
	for _, f := range []string{"--model", "--addr", "--device", "--input-shape", "--labels", "--top-k", "--threads", "--max-batch", "--bench", "--batch-sizes"} {
		assert.Contains(t, stderr.String(), f)
	}
}

// TestRequestsFreeTheirTensors: each request's tensors are made in one
// torch.Scope, so once warm the server's native memory is the same after
// 30 more requests, with no collection in between.
func TestRequestsFreeTheirTensors(t *testing.T) {
	dir, ref := makeModels(t)
	s := start(t, "--model", filepath.Join(dir, "tiny.pt"), "--input-shape", "1,4,4", "--max-batch", "4")
	body := mustJSON(t, map[string]any{"inputs": []any{ref.Flat, ref.Nested}})
	torch.Collect(torch.CPU) // what earlier tests dropped
	for range 10 {           // warm: the graph executor's profiling runs
		status, _, b := post(t, s.url+"/predict", body)
		require.Equal(t, http.StatusOK, status, "%s", b)
	}
	before := torch.MemoryAllocated(torch.CPU)
	for range 30 {
		status, _, b := post(t, s.url+"/predict", body)
		require.Equal(t, http.StatusOK, status, "%s", b)
	}
	assert.Equal(t, before, torch.MemoryAllocated(torch.CPU))
	assert.Equal(t, 0, s.stop(t))
}

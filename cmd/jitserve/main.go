// Command jitserve loads a TorchScript classifier (a file Python's
// torch.jit.save wrote, scripted or traced) and answers predictions over
// HTTP with JSON, a batch of inputs per request:
//
//	go run ./cmd/jitserve --model mnist_cnn.pt --input-shape 1,28,28
//	go run ./cmd/jitserve --model resnet18.pt --input-shape 3,224,224 --labels classes.txt --top-k 5
//	go run ./cmd/jitserve --model mnist_cnn.pt --input-shape 1,28,28 --bench 200 --batch-sizes 1,32
//
// # Start-up
//
// The module is loaded with jit.Load onto --device (cpu, cuda, cuda:N, or
// auto: the first GPU if there is one), put in evaluation mode, and checked
// with one forward pass of a batch of zeros of --input-shape (the shape of
// ONE input, without the batch dimension): it must return a 2-D tensor
// [batch, classes] of floating-point numbers, or jitserve exits 1 naming
// the file, the input shape, the method's schema and what came back.
// --labels names the classes (one per line, class index = line number,
// as many lines as classes); without it a class's label is its index.
// The server then logs one line to stderr with the address it bound
// ("jitserve: serving M on http://127.0.0.1:8080 ..."; --addr
// 127.0.0.1:0 binds a free port and prints it).
//
// # Endpoints
//
// POST /predict takes {"inputs": [x1, x2, ...]}, at most --max-batch
// inputs, each an array of numbers: flat (prod(input-shape) numbers, in C
// order) or nested to the input shape ([[[...]]] for 1,28,28). All inputs
// of a request run as one batch of one forward pass. The answer is
//
//	{"predictions": [{"top": [{"class": 7, "label": "7", "probability": 0.98}, ...]}, ...]}
//
// one prediction per input, in order, each with the --top-k classes by
// probability (highest first). The probabilities are the softmax of the
// model's output row, computed in float32: for a model that returns
// logits they are its probabilities, and for one that already returns
// log-probabilities (log_softmax, as pytorch/examples' MNIST Net) the
// softmax gives the same probabilities back, since softmax(log_softmax(x))
// = softmax(x). A model returning probabilities already would get them
// softmaxed once more: serve the logits instead.
//
// A request that is not JSON, lacks "inputs", has no inputs, an input of
// the wrong length or nesting, a non-number or a number that is not a
// finite float32 (JSON has no NaN or Infinity) is answered 400 with
// {"error": "..."} saying what was expected and what was found. More
// inputs than --max-batch, or a body larger than such a batch can be, is
// answered 413 the same way; another method than POST 405. A failure
// inside the model is a 500 with libtorch's message. Requests run
// concurrently: TorchScript's interpreter runs concurrent forward calls
// of one module, each with its own tensors, freed at the end of the request.
//
// GET /healthz answers "ok". GET /info describes the model as JSON: file,
// forward's schema, input shape, number of parameters, classes, labels,
// device, top-k, max batch, threads and the libtorch version.
//
// Ctrl-C or SIGTERM shuts the server down gracefully (requests in flight
// finish) and jitserve exits 0.
//
// # Benchmark
//
// --bench N does not serve: for each batch size of --batch-sizes it makes
// one random (standard normal) batch, runs 20 warm-up forward passes, then
// times N forward passes (each freeing its result, in-process, no HTTP),
// and prints one line per batch size:
//
//	bench batch=32 n=100 median_ms=12.3456 p90_ms=13.4567 mean_ms=12.5000 inputs_per_s=2560.0
//
// median_ms and p90_ms are the median and 90th percentile (nearest rank:
// the ceil(0.9 n)-th fastest) of the N latencies, mean_ms their mean, and
// inputs_per_s is batch*N over their sum. A first line starting with '#'
// names the model, device, threads and libtorch. scripts/reference/
// bench_jit.py bench prints the same lines for Python's torch.jit.load,
// and scripts/bench_jit.sh compares the two.
//
// Exit status: 0 on success and after Ctrl-C while serving, 1 on a runtime
// failure (a model that cannot be loaded or is no classifier, an address
// in use), 2 on bad usage, 130 after Ctrl-C during --bench.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/cuda"
	"github.com/seed0eaa3131/gotorch/torch/jit"
)

// warmup is the number of untimed forward passes before --bench times
// any (bench_jit.py does as many).
const warmup = 20

type args struct {
	Model      string
	Addr       string
	Device     string
	InputShape []int64
	Labels     string
	TopK       int
	Threads    int
	MaxBatch   int
	Bench      int
	BatchSizes []int
}

func parse(argv []string, stderr io.Writer) (*args, error) {
	a := &args{}
	var shape string
	fs := flag.NewFlagSet("jitserve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&a.Model, "model", "", "TorchScript `FILE` (torch.jit.save) of a classifier (required)")
	fs.StringVar(&a.Addr, "addr", "127.0.0.1:8080", "address to listen on (port 0: a free port, printed at start)")
	fs.StringVar(&a.Device, "device", "auto", "cpu, cuda, cuda:N, or auto (a GPU if there is one)")
	fs.StringVar(&shape, "input-shape", "", "shape of ONE input, without the batch dimension, e.g. 1,28,28 (required)")
	fs.StringVar(&a.Labels, "labels", "", "`FILE` of class labels, one per line (class index = line number)")
	fs.IntVar(&a.TopK, "top-k", 1, "classes returned per input, most probable first")
	fs.IntVar(&a.Threads, "threads", 0, "libtorch intra-op threads (0: libtorch's default)")
	fs.IntVar(&a.MaxBatch, "max-batch", 256, "most inputs in one request (more: 413)")
	fs.IntVar(&a.Bench, "bench", 0, "do not serve: time `N` forward passes per batch size of --batch-sizes and print the latencies")
	fs.IntSliceVar(&a.BatchSizes, "batch-sizes", []int{1, 32}, "batch sizes for --bench")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: jitserve --model FILE --input-shape D1,D2,... [flags]\n\n"+
			"Serves a TorchScript classifier over HTTP: POST /predict {\"inputs\": [...]},\nGET /info, GET /healthz.\n\n")
		fs.PrintDefaults()
	}
	if err := cli.ParseFlags(fs, argv); err != nil {
		return nil, err
	}
	if a.Model == "" {
		return nil, cli.Usagef("--model is required (a file written by torch.jit.save)")
	}
	if shape == "" {
		return nil, cli.Usagef("--input-shape is required (the shape of one input, e.g. 1,28,28)")
	}
	var err error
	if a.InputShape, err = parseShape(shape); err != nil {
		return nil, cli.Usagef("--input-shape %q: %v", shape, err)
	}
	switch {
	case a.TopK < 1:
		return nil, cli.Usagef("--top-k must be at least 1, got %d", a.TopK)
	case a.Threads < 0:
		return nil, cli.Usagef("--threads must not be negative, got %d", a.Threads)
	case a.MaxBatch < 1:
		return nil, cli.Usagef("--max-batch must be at least 1, got %d", a.MaxBatch)
	case a.Bench < 0:
		return nil, cli.Usagef("--bench must not be negative, got %d", a.Bench)
	case len(a.BatchSizes) == 0:
		return nil, cli.Usagef("--batch-sizes must list at least one batch size")
	}
	for _, b := range a.BatchSizes {
		if b < 1 {
			return nil, cli.Usagef("--batch-sizes must be positive, got %d", b)
		}
	}
	return a, nil
}

// parseShape reads "1,28,28".
func parseShape(s string) ([]int64, error) {
	var shape []int64
	for _, part := range strings.Split(s, ",") {
		d, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || d < 1 {
			return nil, fmt.Errorf("want positive integers separated by commas, got %q", part)
		}
		shape = append(shape, d)
	}
	if n := torch.Size(shape).Numel(); n > 1<<28 {
		return nil, fmt.Errorf("%d numbers per input is too many", n)
	}
	return shape, nil
}

// shapeString writes a shape as JSON does: [1,28,28].
func shapeString(shape []int64) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func main() { cli.Main(run) }

func run(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
	return cli.Run("jitserve", stderr, func() error {
		a, err := parse(argv, stderr)
		if err != nil {
			return err
		}
		device, err := cli.PickDevice(a.Device)
		if err != nil {
			return err
		}
		// libtorch keeps the thread count per OS thread; the others (the
		// HTTP handlers') take it up at their first parallel operation.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if a.Threads > 0 {
			torch.SetNumThreads(a.Threads)
		}
		s, err := load(a, device)
		if err != nil {
			return err
		}
		defer s.model.Free()
		if a.Bench > 0 {
			return bench(ctx, s, a, stdout)
		}
		return serve(ctx, s, a, stderr)
	})
}

// server is a loaded, checked model and what /predict needs to answer.
type server struct {
	model      *jit.Module
	path       string
	schema     string
	device     torch.Device
	shape      []int64 // of one input
	numel      int     // numbers per input
	classes    int
	labels     []string
	topK       int
	maxBatch   int
	maxBody    int64
	parameters int64
	threads    int // libtorch's intra-op threads at start-up
}

// load reads the module and checks it is a classifier of inputs of the
// given shape.
func load(a *args, device torch.Device) (*server, error) {
	m, err := jit.Load(a.Model, device)
	if err != nil {
		return nil, err
	}
	s := &server{model: m, path: a.Model, device: device, shape: a.InputShape, numel: int(torch.Size(a.InputShape).Numel()),
		topK: a.TopK, maxBatch: a.MaxBatch, threads: torch.GetNumThreads()}
	fail := func(err error) (*server, error) {
		m.Free()
		return nil, err
	}
	if err := m.Eval(); err != nil {
		return fail(err)
	}
	if s.schema, err = m.Schema("forward"); err != nil {
		return fail(fmt.Errorf("%s: no forward method: %w", a.Model, err))
	}
	for _, p := range m.Parameters() {
		s.parameters += p.Numel()
	}
	if s.classes, err = s.check(min(2, a.MaxBatch)); err != nil {
		return fail(err)
	}
	if s.topK > s.classes {
		return fail(cli.Usagef("--top-k %d is more than the %d classes of %s", s.topK, s.classes, a.Model))
	}
	if a.Labels != "" {
		if s.labels, err = readLabels(a.Labels, s.classes); err != nil {
			return fail(err)
		}
	}
	// A number in JSON takes at most ~25 bytes ("-1.2345678901234567e-308"
	// plus a comma and spaces); brackets are few next to the numbers.
	s.maxBody = int64(s.maxBatch)*int64(s.numel)*32 + 1<<20
	return s, nil
}

// forward runs the model on x without autograd and returns its result,
// which must be a tensor.
func (s *server) forward(x *torch.Tensor) (*torch.Tensor, error) {
	var out any
	var err error
	torch.NoGrad(func() { out, err = s.model.Forward(x) })
	if err != nil {
		return nil, err
	}
	y, ok := out.(*torch.Tensor)
	if !ok {
		return nil, notTensorError{out}
	}
	return y, nil
}

// notTensorError is a forward pass that returned something else than a
// tensor.
type notTensorError struct{ out any }

func (e notTensorError) Error() string { return fmt.Sprintf("returned a %T, not a tensor", e.out) }

// check runs one forward pass of a batch of zeros and returns the number
// of classes, or an error naming the file, the input shape, the schema
// and what came back.
func (s *server) check(batch int) (int, error) {
	bshape := append([]int64{int64(batch)}, s.shape...)
	what := fmt.Sprintf("%s (forward: %s) with --input-shape %s, given a batch of zeros %s", s.path, s.schema, shapeString(s.shape), shapeString(bshape))
	var got string
	var classes int
	var ferr error
	err := torch.Catch(func() {
		x := torch.Zeros(bshape, torch.WithDevice(s.device))
		defer x.Free()
		y, err := s.forward(x)
		var nt notTensorError
		if errors.As(err, &nt) {
			got = nt.Error()
			return
		}
		if ferr = err; err != nil {
			return
		}
		defer y.Free()
		shape := []int64(y.Shape())
		switch {
		case len(shape) != 2 || shape[0] != int64(batch) || shape[1] < 1:
			got = fmt.Sprintf("returned a tensor of shape %s, not [batch, classes] = [%d, classes]", shapeString(shape), batch)
		case !y.DType().IsFloatingPoint():
			got = fmt.Sprintf("returned a tensor of %s, not of floating-point scores", y.DType())
		default:
			classes = int(shape[1])
		}
	})
	if err == nil {
		err = ferr
	}
	if err != nil {
		return 0, fmt.Errorf("%s: forward failed: %w", what, err)
	}
	if got != "" {
		return 0, fmt.Errorf("%s: %s; a classifier must return a 2-D tensor [batch, classes]", what, got)
	}
	return classes, nil
}

func readLabels(path string, classes int) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--labels: %w", err)
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) != classes {
		return nil, fmt.Errorf("--labels %s has %d labels, but the model has %d classes (one label per line, class index = line number)", path, len(lines), classes)
	}
	return lines, nil
}

func (s *server) label(class int) string {
	if s.labels != nil {
		return s.labels[class]
	}
	return strconv.Itoa(class)
}

// serve answers HTTP requests until ctx is cancelled, then shuts down
// gracefully.
func serve(ctx context.Context, s *server, a *args, stderr io.Writer) error {
	ln, err := net.Listen("tcp", a.Addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/predict", s.predict)
	mux.HandleFunc("/info", s.info)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: use GET", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stderr, "jitserve: serving %s on http://%s (input %s, %d classes, device %s, libtorch %s)\n",
		s.path, ln.Addr(), shapeString(s.shape), s.classes, s.device, torch.Version())

	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		stopped <- srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if err := <-stopped; err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	fmt.Fprintf(stderr, "jitserve: shut down\n")
	return nil
}

type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // the schema's "->"
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, a ...any) {
	writeJSON(w, status, errorBody{Error: fmt.Sprintf(format, a...)})
}

// Info is GET /info's answer.
type Info struct {
	Model           string   `json:"model"`
	Schema          string   `json:"schema"`
	InputShape      []int64  `json:"input_shape"`
	Parameters      int64    `json:"parameters"`
	Classes         int      `json:"classes"`
	Labels          []string `json:"labels,omitempty"`
	Device          string   `json:"device"`
	TopK            int      `json:"top_k"`
	MaxBatch        int      `json:"max_batch"`
	Threads         int      `json:"threads"`
	LibtorchVersion string   `json:"libtorch_version"`
}

func (s *server) info(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method %s not allowed: use GET /info", r.Method)
		return
	}
	writeJSON(w, http.StatusOK, Info{
		Model: s.path, Schema: s.schema, InputShape: s.shape, Parameters: s.parameters, Classes: s.classes,
		Labels: s.labels, Device: s.device.String(), TopK: s.topK, MaxBatch: s.maxBatch,
		Threads: s.threads, LibtorchVersion: torch.Version(),
	})
}

// Request is POST /predict's body.
type Request struct {
	Inputs []json.RawMessage `json:"inputs"`
}

// Class is one of an input's top classes.
type Class struct {
	Class       int     `json:"class"`
	Label       string  `json:"label"`
	Probability float32 `json:"probability"`
}

// Prediction is the answer for one input.
type Prediction struct {
	Top []Class `json:"top"`
}

// Response is POST /predict's answer.
type Response struct {
	Predictions []Prediction `json:"predictions"`
}

// httpError is a request's failure with its status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, a ...any) *httpError {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

func (s *server) predict(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "method %s not allowed: use POST /predict with {\"inputs\": [...]}", r.Method)
		return
	}
	batch, err := s.decode(w, r)
	if err == nil {
		var resp *Response
		if resp, err = s.run(batch); err == nil {
			writeJSON(w, http.StatusOK, resp)
			return
		}
	}
	var he *httpError
	if errors.As(err, &he) {
		writeError(w, he.status, "%s", he.msg)
		return
	}
	writeError(w, http.StatusInternalServerError, "%v", err)
}

// decode reads the request's inputs into one flat batch.
func (s *server) decode(w http.ResponseWriter, r *http.Request) ([]float32, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf(
				"request body larger than %d bytes: at most --max-batch %d inputs of %d numbers each", s.maxBody, s.maxBatch, s.numel)}
		}
		return nil, badRequest("reading the request: %v", err)
	}
	var req Request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		hint := ""
		if bytes.Contains(body, []byte("NaN")) || bytes.Contains(body, []byte("Infinity")) {
			hint = " (JSON has no NaN or Infinity: inputs must be finite numbers)"
		}
		return nil, badRequest("bad JSON: %v%s; expected {\"inputs\": [input, ...]}", err, hint)
	}
	if dec.More() {
		return nil, badRequest("bad JSON: more after the request object; expected one {\"inputs\": [input, ...]}")
	}
	switch n := len(req.Inputs); {
	case n == 0:
		return nil, badRequest("no inputs: expected {\"inputs\": [input, ...]} with 1 to %d inputs of shape %s", s.maxBatch, shapeString(s.shape))
	case n > s.maxBatch:
		return nil, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"%d inputs: at most --max-batch %d per request", n, s.maxBatch)}
	}
	batch := make([]float32, 0, len(req.Inputs)*s.numel)
	for i, raw := range req.Inputs {
		if batch, err = s.appendInput(batch, raw, fmt.Sprintf("inputs[%d]", i)); err != nil {
			return nil, err
		}
	}
	return batch, nil
}

// appendInput appends one input, flat or nested to the input shape.
func (s *server) appendInput(dst []float32, raw json.RawMessage, path string) ([]float32, error) {
	want := fmt.Sprintf("expected %d numbers, flat or nested as %s", s.numel, shapeString(s.shape))
	// The common case, a flat array of numbers, without boxing each.
	var flat []float32
	if err := json.Unmarshal(raw, &flat); err == nil && flat != nil {
		if len(flat) != s.numel {
			return nil, badRequest("%s: %s, found a flat array of %d numbers", path, want, len(flat))
		}
		return append(dst, flat...), nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, badRequest("%s: %v", path, err)
	}
	items, ok := v.([]any)
	if !ok {
		return nil, badRequest("%s: %s, found %s", path, want, describe(v))
	}
	if len(items) > 0 {
		if _, isNumber := items[0].(float64); isNumber || len(s.shape) == 1 {
			// Flat, with a number float32 cannot hold or a non-number.
			if len(items) != s.numel {
				return nil, badRequest("%s: %s, found a flat array of %d values", path, want, len(items))
			}
			for j, x := range items {
				if dst, ok = appendNumber(dst, x); !ok {
					return nil, badRequest("%s[%d]: expected a finite float32 number, found %s", path, j, describe(x))
				}
			}
			return dst, nil
		}
	}
	return s.appendNested(dst, v, 0, path)
}

// appendNested appends v, which is nested to s.shape[depth:].
func (s *server) appendNested(dst []float32, v any, depth int, path string) ([]float32, error) {
	if depth == len(s.shape) {
		var ok bool
		if dst, ok = appendNumber(dst, v); !ok {
			return nil, badRequest("%s: expected a finite float32 number, found %s", path, describe(v))
		}
		return dst, nil
	}
	items, ok := v.([]any)
	if !ok || int64(len(items)) != s.shape[depth] {
		return nil, badRequest("%s: expected an array of %d (dimension %d of the input shape %s; or %d numbers flat), found %s",
			path, s.shape[depth], depth, shapeString(s.shape), s.numel, describe(v))
	}
	var err error
	for i, x := range items {
		if dst, err = s.appendNested(dst, x, depth+1, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// appendNumber appends x if it is a number that is a finite float32.
func appendNumber(dst []float32, x any) ([]float32, bool) {
	f, ok := x.(float64)
	if !ok || math.IsInf(float64(float32(f)), 0) || math.IsNaN(f) {
		return dst, false
	}
	return append(dst, float32(f)), true
}

// describe names a decoded JSON value in an error.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case float64:
		if math.IsInf(float64(float32(x)), 0) {
			return fmt.Sprintf("%g, which overflows float32", x)
		}
		return fmt.Sprintf("the number %g", x)
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("%t", x)
	case map[string]any:
		return "an object"
	case []any:
		if len(x) > 0 {
			if _, ok := x[0].([]any); ok {
				return fmt.Sprintf("an array of %d arrays", len(x))
			}
			if _, ok := x[0].(float64); ok {
				return fmt.Sprintf("an array of %d numbers", len(x))
			}
		}
		return fmt.Sprintf("an array of %d", len(x))
	}
	return fmt.Sprintf("%v", v)
}

// run computes the predictions of a flat batch. Every tensor of the
// request is made in one torch.Scope, which frees them all when it ends.
func (s *server) run(batch []float32) (*Response, error) {
	n := len(batch) / s.numel
	var probs []float32
	var ferr error
	err := torch.Catch(func() {
		scope := torch.NewScope()
		defer scope.Close()
		x := torch.FromSlice(batch, append([]int64{int64(n)}, s.shape...)...)
		if s.device != torch.CPU {
			x = x.To(s.device)
		}
		var y *torch.Tensor
		if y, ferr = s.forward(x); ferr != nil {
			return
		}
		if shape := []int64(y.Shape()); len(shape) != 2 || shape[0] != int64(n) || shape[1] != int64(s.classes) {
			ferr = fmt.Errorf("the model returned a tensor of shape %s for a batch of %d, not [%d, %d]", shapeString(shape), n, n, s.classes)
			return
		}
		p := y.Softmax(1, torch.SoftmaxOpts{DType: new(torch.Float32)})
		if s.device != torch.CPU {
			p = p.To(torch.CPU)
		}
		probs = p.Float32s()
	})
	if err != nil {
		return nil, fmt.Errorf("the model failed: %w", err)
	}
	if ferr != nil {
		return nil, fmt.Errorf("the model failed: %w", ferr)
	}
	resp := &Response{Predictions: make([]Prediction, n)}
	order := make([]int, s.classes)
	for i := range n {
		row := probs[i*s.classes : (i+1)*s.classes]
		for c := range order {
			order[c] = c
			if math.IsNaN(float64(row[c])) {
				return nil, fmt.Errorf("the model's output for inputs[%d] has NaN", i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(row[b], row[a]) })
		top := make([]Class, s.topK)
		for k := range top {
			c := order[k]
			top[k] = Class{Class: c, Label: s.label(c), Probability: row[c]}
		}
		resp.Predictions[i].Top = top
	}
	return resp, nil
}

// bench times the forward passes of random batches (see the package doc
// for what it prints).
func bench(ctx context.Context, s *server, a *args, out io.Writer) error {
	fmt.Fprintf(out, "# jitserve bench: %s, input %s, device %s, %d threads, libtorch %s, %d warm-up calls\n",
		s.path, shapeString(s.shape), s.device, torch.GetNumThreads(), torch.Version(), warmup)
	torch.ManualSeed(0)
	for _, b := range a.BatchSizes {
		var times []time.Duration
		var ferr error
		err := torch.Catch(func() {
			x := torch.Randn(append([]int64{int64(b)}, s.shape...), torch.WithDevice(s.device))
			defer x.Free()
			torch.NoGrad(func() { times, ferr = timeForward(ctx, s, x, a.Bench) })
		})
		if err == nil {
			err = ferr
		}
		if errors.Is(err, cli.ErrInterrupted) {
			return err
		}
		if err != nil {
			return fmt.Errorf("--bench at batch size %d: %w", b, err)
		}
		st := summarize(times)
		fmt.Fprintf(out, "bench batch=%d n=%d median_ms=%.4f p90_ms=%.4f mean_ms=%.4f inputs_per_s=%.1f\n",
			b, len(times), st.median, st.p90, st.mean, float64(b)/(st.mean/1000))
	}
	return nil
}

// timeForward runs warmup forward passes of x, then n timed ones, each
// freeing its result (and on a GPU waiting for it) inside the timing.
func timeForward(ctx context.Context, s *server, x *torch.Tensor, n int) ([]time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for i := range warmup + n {
		if ctx.Err() != nil {
			return nil, cli.ErrInterrupted
		}
		start := time.Now()
		y, err := s.model.Forward(x)
		if err != nil {
			return nil, err
		}
		if t, ok := y.(*torch.Tensor); ok {
			if s.device.IsCUDA() {
				if err := cuda.Synchronize(s.device.Index); err != nil {
					return nil, err
				}
			}
			t.Free()
		}
		if i >= warmup {
			times = append(times, time.Since(start))
		}
	}
	return times, nil
}

type stats struct{ median, p90, mean float64 } // in ms

// summarize is the median, the nearest-rank 90th percentile and the mean
// of the times, as bench_jit.py computes them.
func summarize(times []time.Duration) stats {
	ms := make([]float64, len(times))
	var sum float64
	for i, t := range times {
		ms[i] = float64(t.Nanoseconds()) / 1e6
		sum += ms[i]
	}
	slices.Sort(ms)
	n := len(ms)
	median := ms[n/2]
	if n%2 == 0 {
		median = (ms[n/2-1] + ms[n/2]) / 2
	}
	rank := int(math.Ceil(0.9 * float64(n)))
	return stats{median: median, p90: ms[max(rank, 1)-1], mean: sum / float64(n)}
}

package jit_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/jit"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
	"github.com/seed0eaa3131/gotorch/torch/optim"
)

// facts is what testdata/make_models.py prints about the models it makes.
type facts struct {
	MLPSchema      string    `json:"mlp_schema"`
	MLPParams      []string  `json:"mlp_params"`
	CNNState       []string  `json:"cnn_state"`
	CNNBuffers     []string  `json:"cnn_buffers"`
	ResnetParams   int       `json:"resnet_params"`
	ControlMethods []string  `json:"control_methods"`
	FTLosses       []float64 `json:"ft_losses"`
	CPUFusion      bool      `json:"cpu_fusion"`
}

// fixture holds the models testdata/make_models.py builds in the reference
// torch, once per test binary, in a folder removed by TestMain.
var fixture struct {
	once     sync.Once
	dir      string
	facts    facts
	expected map[string]*torch.Tensor
}

var tmpRoot string

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "gotorch-jit-test")
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// models returns the folder with the models, and their facts and expected
// values; it skips (fails under CI) without a reference torch.
func models(t testing.TB) (string, facts, map[string]*torch.Tensor) {
	t.Helper()
	py := pytorch.Python(t)
	fixture.once.Do(func() {
		dir := filepath.Join(tmpRoot, "models")
		require.NoError(t, os.MkdirAll(dir, 0o755))
		cmd := exec.Command(py, "testdata/make_models.py", dir)
		cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1")
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("make_models.py: %v\n%s", err, ee.Stderr)
			}
			t.Fatalf("make_models.py: %v", err)
		}
		require.NoError(t, json.Unmarshal(out, &fixture.facts))
		fixture.expected, err = torch.Load(filepath.Join(dir, "expected.pt"))
		require.NoError(t, err)
		fixture.dir = dir
	})
	if fixture.dir == "" {
		t.Fatal("building the models in Python failed (see the first test that needed them)")
	}
	return fixture.dir, fixture.facts, fixture.expected
}

func load(t *testing.T, dir, name string) *jit.Module {
	t.Helper()
	m, err := jit.Load(filepath.Join(dir, name), torch.CPU)
	require.NoError(t, err)
	t.Cleanup(m.Free)
	return m
}

// requireClose checks shapes and that every element is within tol of
// Python's (relatively, for magnitudes above 1).
func requireClose(t *testing.T, want, got *torch.Tensor, tol float64, name string) {
	t.Helper()
	require.NotNil(t, got, name)
	require.Equal(t, want.Shape(), got.Shape(), name)
	w := want.ToDType(torch.Float64).Float64s()
	g := got.Detach().ToDType(torch.Float64).Float64s()
	worst := 0.0
	for i := range w {
		worst = max(worst, math.Abs(w[i]-g[i])/max(1, math.Abs(w[i])))
	}
	t.Logf("%s: largest difference from PyTorch %.3g (tolerance %g)", name, worst, tol)
	require.LessOrEqual(t, worst, tol, "%s: largest difference from PyTorch", name)
}

func forward(t *testing.T, m *jit.Module, args ...any) *torch.Tensor {
	t.Helper()
	var out any
	var err error
	torch.NoGrad(func() { out, err = m.Forward(args...) })
	require.NoError(t, err)
	y, ok := out.(*torch.Tensor)
	require.True(t, ok, "forward returned %T", out)
	return y
}

func TestScriptedMLP(t *testing.T) {
	dir, f, want := models(t)
	m := load(t, dir, "mlp.pt")
	requireClose(t, want["mlp.y"], forward(t, m, want["mlp.x"]), 1e-5, "mlp")

	schema, err := m.Schema("forward")
	require.NoError(t, err)
	assert.Equal(t, f.MLPSchema, schema)
	var names []string
	for _, p := range m.NamedParameters() {
		names = append(names, p.Name)
		assert.True(t, p.Tensor.RequiresGrad(), p.Name)
	}
	assert.Equal(t, f.MLPParams, names)
	assert.Empty(t, m.NamedBuffers())
	// The same tensors on every call, so that an optimizer's hold on them lasts.
	assert.Same(t, m.Parameters()[0], m.Parameters()[0])
}

func TestTracedCNN(t *testing.T) {
	dir, f, want := models(t)
	m := load(t, dir, "cnn.pt")
	requireClose(t, want["cnn.y"], forward(t, m, want["cnn.x"]), 1e-5, "cnn")

	var buffers []string
	for _, b := range m.NamedBuffers() {
		buffers = append(buffers, b.Name)
	}
	assert.Equal(t, f.CNNBuffers, buffers)
	// nn sees a jit.Module as a model: its state_dict in Python's order.
	assert.Equal(t, f.CNNState, nn.StateDictKeys(m))
	assert.Len(t, nn.Parameters(m), 8)
}

func TestResnet18(t *testing.T) {
	dir, f, want := models(t)
	m := load(t, dir, "resnet18.pt")
	require.NoError(t, m.Eval())
	requireClose(t, want["resnet.y"], forward(t, m, want["resnet.x"]), 1e-5, "resnet18")
	assert.Len(t, m.Parameters(), f.ResnetParams)
}

func TestControlFlowAndValues(t *testing.T) {
	dir, f, want := models(t)
	m := load(t, dir, "control.pt")
	x := want["control.x"]

	for _, tc := range []struct {
		n    int
		mode string
	}{{0, "sum"}, {3, "sum"}, {2, "max"}, {1, "mean"}} {
		prefix := "control." + itoa(tc.n) + "." + tc.mode
		var out any
		var err error
		if tc.mode == "sum" {
			out, err = m.Forward(x, tc.n) // mode left to its default
		} else {
			out, err = m.Forward(x, int64(tc.n), tc.mode)
		}
		require.NoError(t, err, prefix)
		d, ok := out.(map[string]any)
		require.True(t, ok, "%s: %T", prefix, out)
		requireClose(t, want[prefix+".h"], d["h"].(*torch.Tensor), 1e-5, prefix+".h")
		requireClose(t, want[prefix+".reduced"], d["reduced"].(*torch.Tensor), 1e-5, prefix+".reduced")
	}

	names, err := m.MethodNames()
	require.NoError(t, err)
	assert.ElementsMatch(t, f.ControlMethods, names)

	// Every kind of value in and out: List[Tensor], List[int] from []int,
	// an integer for a float, None for Optional[Tensor]; a tuple back.
	a, b := torch.Ones([]int64{2}), torch.FromSlice([]float32{1, 2})
	out, err := m.Method("stats", []*torch.Tensor{a, b}, []int{1, 2, 3}, 2, nil)
	require.NoError(t, err)
	tup, ok := out.(jit.Tuple)
	require.True(t, ok, "%T", out)
	require.Len(t, tup, 6)
	assert.Equal(t, []float32{4, 6}, tup[0].(*torch.Tensor).Float32s())
	assert.Equal(t, []float64{2, 4, 6}, tup[1])
	assert.Equal(t, int64(2), tup[2])
	assert.Equal(t, "ok", tup[3])
	assert.Equal(t, true, tup[4])
	assert.Nil(t, tup[5])
	// The same with a bias, a float weight, []any and a two-element list.
	out, err = m.Method("stats", []any{a, b}, []int64{5, 7}, 0.5, b)
	require.NoError(t, err)
	tup = out.(jit.Tuple)
	assert.Equal(t, []float32{2, 3.5}, tup[0].(*torch.Tensor).Float32s())
	assert.Equal(t, []float64{2.5, 3.5}, tup[1])
	assert.Equal(t, false, tup[4])

	// Dict[str, int] and Tuple[int, float] in, Dict[int, str] out; an empty list.
	out, err = m.Method("lookup", map[string]int{"a": 1, "b": 2}, jit.Tuple{10, 1.5})
	require.NoError(t, err)
	assert.Equal(t, map[int64]any{11: "a", 12: "b"}, out)
	out, err = m.Method("stats", []any{a}, []any{}, 1.0, nil)
	require.NoError(t, err)
	assert.Equal(t, []float64{}, out.(jit.Tuple)[1])
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestErrors(t *testing.T) {
	dir, _, want := models(t)
	m := load(t, dir, "control.pt")
	x := want["control.x"]
	for _, tc := range []struct {
		name string
		call func() (any, error)
		msg  string
		kind torch.ErrorKind
	}{
		{"wrong type", func() (any, error) { return m.Forward(x, "three") }, "Expected a value of type 'int' for argument 'n'", torch.KindRuntime},
		{"too many arguments", func() (any, error) { return m.Forward(x, 1, "sum", 4) }, "Expected at most 4 argument(s)", torch.KindRuntime},
		{"missing argument", func() (any, error) { return m.Forward(x) }, "missing value for argument 'n'", torch.KindRuntime},
		{"no such method", func() (any, error) { return m.Method("predict", x) }, "has no method 'predict'; its methods:", torch.KindValue},
		{"exception in TorchScript", func() (any, error) { return m.Method("fails", torch.Ones([]int64{2})) }, "positive input", torch.KindRuntime},
		{"an unsupported Go value", func() (any, error) { return m.Forward(x, struct{}{}) }, "argument 2: a struct {} cannot be passed", torch.KindType},
		{"a nil tensor", func() (any, error) { return m.Forward((*torch.Tensor)(nil), 1) }, "argument 1: a nil *torch.Tensor", torch.KindType},
		{"a map with struct keys", func() (any, error) { return m.Forward(x, map[struct{}]int{}) }, "argument 2: a map[struct {}]int cannot be a TorchScript dict", torch.KindType},
		{"a bad element in a list", func() (any, error) { return m.Method("stats", []any{x, x, struct{}{}}, []int{1}, 1, nil) }, "argument 1[2]: a struct {} cannot be passed", torch.KindType},
		{"a bad value in a dict", func() (any, error) {
			return m.Method("lookup", map[string]any{"a": 1, "b": []any{nil, 2.5, uint64(1 << 63)}}, jit.Tuple{1, 2.0})
		}, "argument 1[b][2]: 9223372036854775808 does not fit", torch.KindType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.call()
			assert.Nil(t, out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.msg)
			var te *torch.Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.kind, te.Kind, te.Msg)
		})
	}

	freed := torch.Ones([]int64{4, 3})
	freed.Free()
	_, err := m.Forward(freed, 1)
	require.ErrorContains(t, err, "tensor used after Free")

	m2 := load(t, dir, "mlp.pt")
	m2.Free()
	m2.Free()
	_, err = m2.Forward(x)
	require.ErrorContains(t, err, "the module was freed")
	assert.Panics(t, func() { m2.Parameters() })
}

// Files that are not TorchScript fail with an error naming the file and
// what is wrong, and never reach libtorch's loader.
func TestLoadBadFiles(t *testing.T) {
	dir, _, _ := models(t)
	tmp := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(tmp, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		return p
	}
	good, err := os.ReadFile(filepath.Join(dir, "mlp.pt"))
	require.NoError(t, err)
	checkpoint := filepath.Join(tmp, "state.pt")
	// And the other way round: torch.Load names jit.Load for TorchScript.
	_, err = torch.Load(filepath.Join(dir, "mlp.pt"))
	require.ErrorContains(t, err, "jit.Load")
	require.NoError(t, torch.Save(map[string]*torch.Tensor{"w": torch.Ones([]int64{2})}, checkpoint))

	for _, tc := range []struct {
		name, path, msg string
	}{
		{"missing", filepath.Join(tmp, "none.pt"), "no such file"},
		{"directory", tmp, "a directory, not a TorchScript file"},
		{"empty", write("empty.pt", nil), "not a TorchScript file"},
		{"zeros", write("zeros.pt", make([]byte, 4096)), "not a TorchScript file"},
		{"text", write("text.pt", []byte("def forward(self, x):\n  return x\n")), "not a TorchScript file"},
		{"truncated", write("truncated.pt", good[:len(good)/2]), "not a TorchScript file"},
		{"a torch.save checkpoint", checkpoint, "a checkpoint written by torch.save, not TorchScript"},
		// Well-formed zips (right checksums) with hostile records.
		{"a storage shorter than declared", rewrite(t, good, tmp, "short.pt", "mlp/data/0", func(b []byte) []byte { return b[:16] }),
			`mlp/data.pkl: storage "0" declares 32 elements of 4 bytes, but its record holds 16 bytes`},
		{"a pickle popping an empty stack", rewrite(t, good, tmp, "pop.pt", "mlp/data.pkl", func([]byte) []byte { return []byte("\x80\x020.") }),
			"mlp/data.pkl: a damaged pickle"},
		{"a pickle with a string longer than itself", rewrite(t, good, tmp, "long.pt", "mlp/constants.pkl", func([]byte) []byte { return []byte("\x80\x02X\xff\xff\xff\x7f.") }),
			"mlp/constants.pkl: a damaged pickle: truncated"},
		{"a pickle without STOP", rewrite(t, good, tmp, "nostop.pt", "mlp/data.pkl", func(b []byte) []byte { return b[:len(b)-1] }),
			"mlp/data.pkl: a damaged pickle: truncated: no STOP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := jit.Load(tc.path, torch.CPU)
			assert.Nil(t, m)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.path)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
	_, err = jit.Load(filepath.Join(tmp, "none.pt"), torch.CPU)
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

// rewrite writes a copy of the zip archive src as dir/name with the record
// called record changed by edit, and returns its path.
func rewrite(t *testing.T, src []byte, dir, name, record string, edit func([]byte) []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	zw := zip.NewWriter(f)
	found := false
	for _, zf := range zr.File {
		r, err := zf.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		if zf.Name == record {
			b, found = edit(b), true
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.True(t, found, "no record %s", record)
	require.NoError(t, zw.Close())
	return path
}

// Train and Eval reach the module's dropout; nn.Train and nn.Eval do too.
func TestTrainEval(t *testing.T) {
	dir, _, _ := models(t)
	m := load(t, dir, "control.pt")
	x := torch.Ones([]int64{1000})
	dropped := func() *torch.Tensor {
		out, err := m.Method("dropped", x)
		require.NoError(t, err)
		return out.(*torch.Tensor)
	}
	assert.True(t, m.IsTraining(), "a scripted module is saved in training mode")
	y := dropped()
	zeros := y.EqScalar(torch.Int(0)).Sum().Item()
	assert.InDelta(t, 500, zeros, 100, "about half dropped in training")
	assert.Equal(t, float64(2000-2*zeros), y.Sum().Item(), "the rest scaled by 2")

	require.NoError(t, m.Eval())
	assert.False(t, m.IsTraining())
	assert.True(t, dropped().Equal(x))
	nn.Train(m)
	assert.True(t, m.IsTraining())
	nn.Eval(m)
	assert.False(t, m.IsTraining())
}

// Fine-tuning from Go: 5 steps of SGD with momentum through the loaded
// module give Python's losses and weights.
func TestFineTune(t *testing.T) {
	dir, f, want := models(t)
	// As make_models.py does: CPU fusion hangs the third backward on
	// Debian 13's libtorch 2.6 (see SetCPUFusion).
	prev := jit.CPUFusion()
	jit.SetCPUFusion(false)
	defer jit.SetCPUFusion(prev)
	require.False(t, jit.CPUFusion())
	m := load(t, dir, "finetune.pt")
	require.NoError(t, m.Train())
	opt, err := optim.NewSGD(m.Parameters(), optim.SGDOptions{LR: 0.1, Momentum: 0.9})
	require.NoError(t, err)
	var losses []float64
	for range 5 {
		opt.ZeroGrad()
		out, err := m.Forward(want["ft.x"])
		require.NoError(t, err)
		loss := F.CrossEntropy(out.(*torch.Tensor), want["ft.y"])
		loss.Backward()
		opt.Step()
		losses = append(losses, loss.Item())
	}
	assert.InDeltaSlice(t, f.FTLosses, losses, 1e-5)
	assert.Equal(t, f.CPUFusion, prev, "libtorch's default CPU fusion, as Python's")
	for _, p := range m.NamedParameters() {
		requireClose(t, want["ft.after."+p.Name], p.Tensor, 1e-5, p.Name)
	}
}

// What Go saves, Python reads: the TorchScript file (Module.Save) and the
// state_dict (nn.Save) that the eager model loads, after the weights were
// changed from Go.
func TestSaveReadByPython(t *testing.T) {
	dir, _, want := models(t)
	m := load(t, dir, "cnn.pt")
	torch.NoGrad(func() {
		for _, p := range m.Parameters() {
			p.MulScalar_(torch.Float(0.5))
		}
	})
	y := forward(t, m, want["cnn.x"])
	tmp := t.TempDir()
	require.NoError(t, m.Save(filepath.Join(tmp, "cnn_go.pt")))
	require.NoError(t, nn.Save(m, filepath.Join(tmp, "cnn_state.pt")))
	require.NoError(t, torch.Save(map[string]*torch.Tensor{"x": want["cnn.x"], "y": y}, filepath.Join(tmp, "io.pt")))

	// The Go-saved module loads back in Go, too.
	back := load(t, tmp, "cnn_go.pt")
	requireClose(t, y, forward(t, back, want["cnn.x"]), 0, "reloaded")

	var got struct{ Script, State float64 }
	pytorch.JSON(t, `
import json, sys
sys.path.insert(0, "testdata")
d = sys.argv[1]
io = torch.load(d + "/io.pt")
script = torch.jit.load(d + "/cnn_go.pt")
with torch.no_grad():
    a = (script(io["x"]) - io["y"]).abs().max().item()
import importlib.util
src = open("testdata/make_models.py").read()
ns = {}
exec(src[src.index("class CNN"):src.index("# A traced CNN")], {"torch": torch, "nn": torch.nn, "F": torch.nn.functional}, ns)
cnn = ns["CNN"]()
cnn.load_state_dict(torch.load(d + "/cnn_state.pt"))
cnn.eval()
with torch.no_grad():
    b = (cnn(io["x"]) - io["y"]).abs().max().item()
print(json.dumps({"Script": a, "State": b}))
`, &got, tmp)
	assert.LessOrEqual(t, got.Script, 1e-6, "torch.jit.load of Module.Save's file")
	assert.LessOrEqual(t, got.State, 1e-5, "the eager CNN with nn.Save's state_dict")
}

// nn.To and Module.To keep the parameters' identity; ToDType converts them.
func TestToKeepsIdentity(t *testing.T) {
	dir, _, want := models(t)
	m := load(t, dir, "mlp.pt")
	before := m.Parameters()
	require.NoError(t, m.ToDType(torch.Float64))
	after := m.Parameters()
	assert.Same(t, before[0], after[0])
	assert.Equal(t, torch.Float64, after[0].DType())
	requireClose(t, want["mlp.y"], forward(t, m, want["mlp.x"].ToDType(torch.Float64)), 1e-5, "float64")
	require.NoError(t, m.To(torch.CPU))
	require.NoError(t, nn.To(m, torch.CPU))
	assert.Same(t, before[0], m.Parameters()[0])
}

// Concurrent Forward calls on one module give each caller its own answer;
// run with -race (CI does), together with Eval and Parameters.
func TestConcurrentForward(t *testing.T) {
	dir, _, want := models(t)
	m := load(t, dir, "cnn.pt")
	x := want["cnn.x"]
	wantY := want["cnn.y"]
	atol := 1e-5
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 8 {
				if g == 0 && i == 4 {
					if err := m.Eval(); err != nil {
						errs <- err
					}
					_ = m.Parameters()
				}
				var out any
				var err error
				torch.NoGrad(func() { out, err = m.Forward(x) })
				if err != nil {
					errs <- err
					return
				}
				if y := out.(*torch.Tensor); !y.Allclose(wantY, torch.AllcloseOpts{Atol: &atol}) {
					errs <- errors.New("a concurrent forward differs from PyTorch's")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

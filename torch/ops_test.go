package torch_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
)

// The inputs every op case starts from, built identically on both sides.
const pyInputs = `
a = torch.tensor([[-1.5, 0.5, 2.0], [3.0, -0.25, 1.0]])
b = torch.tensor([[0.5, 1.5, -2.0], [1.0, 2.0, 4.0]])
c = torch.tensor([1.0, 2.0, 3.0])
m = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]])
p = torch.tensor([[0.5, 1.0, 2.0], [4.0, 9.0, 0.125]])
x = torch.arange(24.0).reshape(2, 3, 4)
idx = torch.tensor([2, 0])
`

type inputs struct{ a, b, c, m, p, x, idx *torch.Tensor }

func newInputs() inputs {
	return inputs{
		a:   torch.FromSlice([]float32{-1.5, 0.5, 2.0, 3.0, -0.25, 1.0}, 2, 3),
		b:   torch.FromSlice([]float32{0.5, 1.5, -2.0, 1.0, 2.0, 4.0}, 2, 3),
		c:   torch.FromSlice([]float32{1, 2, 3}),
		m:   torch.FromSlice([]float32{1, 2, 0.5, -1, 3, 0.25}, 3, 2),
		p:   torch.FromSlice([]float32{0.5, 1, 2, 4, 9, 0.125}, 2, 3),
		x:   torch.Arange(0, 24, 1, torch.WithDType(torch.Float32)).Reshape(2, 3, 4),
		idx: torch.FromSlice([]int64{2, 0}),
	}
}

type opCase struct {
	py  string                        // a Python expression over the inputs
	go_ func(in inputs) *torch.Tensor // the same in Go
}

var opCases = []opCase{
	{"a + b", func(in inputs) *torch.Tensor { return in.a.Add(in.b) }},
	{"a + c", func(in inputs) *torch.Tensor { return in.a.Add(in.c) }},
	{"torch.add(a, b, alpha=2.5)", func(in inputs) *torch.Tensor { return in.a.Add(in.b, torch.AddOpts{Alpha: new(torch.Float(2.5))}) }},
	{"a - b", func(in inputs) *torch.Tensor { return in.a.Sub(in.b) }},
	{"torch.sub(a, c, alpha=0.5)", func(in inputs) *torch.Tensor { return in.a.Sub(in.c, torch.SubOpts{Alpha: new(torch.Float(0.5))}) }},
	{"a * b", func(in inputs) *torch.Tensor { return in.a.Mul(in.b) }},
	{"a / b", func(in inputs) *torch.Tensor { return in.a.Div(in.b) }},
	{"a / c", func(in inputs) *torch.Tensor { return in.a.Div(in.c) }},
	{"a + 2", func(in inputs) *torch.Tensor { return in.a.AddScalar(torch.Int(2)) }},
	{"a - 0.5", func(in inputs) *torch.Tensor { return in.a.SubScalar(torch.Float(0.5)) }},
	{"a * 3", func(in inputs) *torch.Tensor { return in.a.MulScalar(torch.Int(3)) }},
	{"a / 2 + 0.5", func(in inputs) *torch.Tensor { return in.a.DivScalar(torch.Int(2)).AddScalar(torch.Float(0.5)) }},
	{"idx * 2", func(in inputs) *torch.Tensor { return in.idx.MulScalar(torch.Int(2)) }},
	{"idx + 1", func(in inputs) *torch.Tensor { return in.idx.AddScalar(torch.Int(1)) }},
	{"idx * 1.5", func(in inputs) *torch.Tensor { return in.idx.MulScalar(torch.Float(1.5)) }},
	{"idx / 2", func(in inputs) *torch.Tensor { return in.idx.DivScalar(torch.Int(2)) }},
	{"idx > 1", func(in inputs) *torch.Tensor { return in.idx.GtScalar(torch.Int(1)) }},
	{"a ** 2", func(in inputs) *torch.Tensor { return in.a.PowTensorScalar(torch.Int(2)) }},
	{"-a", func(in inputs) *torch.Tensor { return in.a.Neg() }},
	{"a.abs()", func(in inputs) *torch.Tensor { return in.a.Abs() }},
	{"p.sqrt()", func(in inputs) *torch.Tensor { return in.p.Sqrt() }},
	{"a.exp()", func(in inputs) *torch.Tensor { return in.a.Exp() }},
	{"p.log()", func(in inputs) *torch.Tensor { return in.p.Log() }},
	{"torch.relu(a)", func(in inputs) *torch.Tensor { return in.a.Relu() }},
	{"torch.sigmoid(a)", func(in inputs) *torch.Tensor { return in.a.Sigmoid() }},
	{"torch.tanh(a)", func(in inputs) *torch.Tensor { return in.a.Tanh() }},
	{"a.clamp(-1, 1)", func(in inputs) *torch.Tensor {
		return in.a.Clamp(torch.ClampOpts{Min: new(torch.Int(-1)), Max: new(torch.Int(1))})
	}},
	{"a.clamp(min=0.4)", func(in inputs) *torch.Tensor { return in.a.ClampMin(torch.Float(0.4)) }},
	{"a.clamp(max=0.4)", func(in inputs) *torch.Tensor { return in.a.ClampMax(torch.Float(0.4)) }},
	{"torch.maximum(a, b)", func(in inputs) *torch.Tensor { return in.a.Maximum(in.b) }},
	{"torch.minimum(a, b)", func(in inputs) *torch.Tensor { return in.a.Minimum(in.b) }},
	{"a == b", func(in inputs) *torch.Tensor { return in.a.Eq(in.b) }},
	{"a != a", func(in inputs) *torch.Tensor { return in.a.Ne(in.a) }},
	{"a > b", func(in inputs) *torch.Tensor { return in.a.Gt(in.b) }},
	{"a < b", func(in inputs) *torch.Tensor { return in.a.Lt(in.b) }},
	{"a >= c", func(in inputs) *torch.Tensor { return in.a.Ge(in.c) }},
	{"a <= b", func(in inputs) *torch.Tensor { return in.a.Le(in.b) }},
	{"a == 0.5", func(in inputs) *torch.Tensor { return in.a.EqScalar(torch.Float(0.5)) }},
	{"a > 0", func(in inputs) *torch.Tensor { return in.a.GtScalar(torch.Int(0)) }},
	{"a < 1", func(in inputs) *torch.Tensor { return in.a.LtScalar(torch.Int(1)) }},
	{"a @ m", func(in inputs) *torch.Tensor { return in.a.Matmul(in.m) }},
	{"x @ x.transpose(1, 2)", func(in inputs) *torch.Tensor { return in.x.Matmul(in.x.Transpose(1, 2)) }},
	{"a.sum()", func(in inputs) *torch.Tensor { return in.a.Sum() }},
	{"a.mean()", func(in inputs) *torch.Tensor { return in.a.Mean() }},
	{"x.sum(dim=1)", func(in inputs) *torch.Tensor { return in.x.SumDim([]int64{1}) }},
	{"x.sum(dim=(0, -1), keepdim=True)", func(in inputs) *torch.Tensor { return in.x.SumDim([]int64{0, -1}, torch.SumDimOpts{KeepDim: true}) }},
	{"x.mean(dim=-1)", func(in inputs) *torch.Tensor { return in.x.MeanDim([]int64{-1}) }},
	{"a.max()", func(in inputs) *torch.Tensor { return in.a.Max() }},
	{"a.min()", func(in inputs) *torch.Tensor { return in.a.Min() }},
	{"a.max(dim=1).values", func(in inputs) *torch.Tensor { v, _ := in.a.MaxDim(1); return v }},
	{"a.max(dim=1).indices", func(in inputs) *torch.Tensor { _, i := in.a.MaxDim(1); return i }},
	{"a.min(dim=0, keepdim=True).values", func(in inputs) *torch.Tensor { v, _ := in.a.MinDim(0, torch.MinDimOpts{KeepDim: true}); return v }},
	{"a.argmax()", func(in inputs) *torch.Tensor { return in.a.Argmax() }},
	{"a.argmax(dim=1)", func(in inputs) *torch.Tensor { return in.a.Argmax(torch.ArgmaxOpts{Dim: new(int64(1))}) }},
	{"a.argmax(dim=-1, keepdim=True)", func(in inputs) *torch.Tensor {
		return in.a.Argmax(torch.ArgmaxOpts{Dim: new(int64(-1)), KeepDim: true})
	}},
	{"a.argmin(dim=0)", func(in inputs) *torch.Tensor { return in.a.Argmin(torch.ArgminOpts{Dim: new(int64(0))}) }},
	{"torch.softmax(a, dim=1)", func(in inputs) *torch.Tensor { return in.a.Softmax(1) }},
	{"torch.log_softmax(a, dim=-1)", func(in inputs) *torch.Tensor { return in.a.LogSoftmax(-1) }},
	{"x.reshape(4, -1)", func(in inputs) *torch.Tensor { return in.x.Reshape(4, -1) }},
	{"x.view(6, 4)", func(in inputs) *torch.Tensor { return in.x.View(6, 4) }},
	{"torch.flatten(x, 1)", func(in inputs) *torch.Tensor { return in.x.Flatten(torch.FlattenOpts{StartDim: 1}) }},
	{"x.permute(1, 2, 0)", func(in inputs) *torch.Tensor { return in.x.Permute(1, 2, 0) }},
	{"x.permute(1, 2, 0).contiguous()", func(in inputs) *torch.Tensor { return in.x.Permute(1, 2, 0).Contiguous() }},
	{"x.transpose(0, 2)", func(in inputs) *torch.Tensor { return in.x.Transpose(0, 2) }},
	{"m.T", func(in inputs) *torch.Tensor { return in.m.T() }},
	{"x.unsqueeze(0).squeeze()", func(in inputs) *torch.Tensor { return in.x.Unsqueeze(0).Squeeze() }},
	{"x[:1].squeeze(0)", func(in inputs) *torch.Tensor { return in.x.Narrow(0, 0, 1).SqueezeDim(0) }},
	{"x.unsqueeze(-1)", func(in inputs) *torch.Tensor { return in.x.Unsqueeze(-1) }},
	{"torch.cat([a, b], dim=0)", func(in inputs) *torch.Tensor { return torch.Cat([]*torch.Tensor{in.a, in.b}) }},
	{"torch.cat([a, b], dim=1)", func(in inputs) *torch.Tensor { return torch.Cat([]*torch.Tensor{in.a, in.b}, torch.CatOpts{Dim: 1}) }},
	{"torch.stack([a, b])", func(in inputs) *torch.Tensor { return torch.Stack([]*torch.Tensor{in.a, in.b}) }},
	{"torch.stack([a, b], dim=2)", func(in inputs) *torch.Tensor {
		return torch.Stack([]*torch.Tensor{in.a, in.b}, torch.StackOpts{Dim: 2})
	}},
	{"x.index_select(2, idx)", func(in inputs) *torch.Tensor { return in.x.IndexSelect(2, in.idx) }},
	{"x.select(1, -1)", func(in inputs) *torch.Tensor { return in.x.Select(1, -1) }},
	{"x[1, 2]", func(in inputs) *torch.Tensor { return in.x.Index(1, 2) }},
	{"x.narrow(2, 1, 2)", func(in inputs) *torch.Tensor { return in.x.Narrow(2, 1, 2) }},
	{"a.clone()", func(in inputs) *torch.Tensor { return in.a.Clone() }},
	{"a.detach()", func(in inputs) *torch.Tensor { return in.a.Detach() }},
	{"a.to(torch.float64)", func(in inputs) *torch.Tensor { return in.a.ToDType(torch.Float64) }},
	{"a.to(torch.int64)", func(in inputs) *torch.Tensor { return in.a.ToDType(torch.Int64) }},
	{"(a.abs() * 10).to(torch.uint8)", func(in inputs) *torch.Tensor { return in.a.Abs().MulScalar(torch.Int(10)).ToDType(torch.Uint8) }},
	{"torch.zeros_like(a)", func(in inputs) *torch.Tensor { return torch.ZerosLike(in.a) }},
	{"torch.ones_like(idx)", func(in inputs) *torch.Tensor { return torch.OnesLike(in.idx) }},
	{"torch.zeros(2, 3)", func(in inputs) *torch.Tensor { return torch.Zeros([]int64{2, 3}) }},
	{"torch.ones(4, dtype=torch.float64)", func(in inputs) *torch.Tensor { return torch.Ones([]int64{4}, torch.WithDType(torch.Float64)) }},
	{"torch.full((2, 2), 7.5)", func(in inputs) *torch.Tensor { return torch.Full([]int64{2, 2}, torch.Float(7.5)) }},
	{"torch.arange(5)", func(in inputs) *torch.Tensor { return torch.Arange(0, 5, 1) }},
	{"torch.arange(0, 1, 0.25)", func(in inputs) *torch.Tensor { return torch.Arange(0, 1, 0.25) }},
	{"torch.nn.functional.linear(a, m.T, c[:2])", func(in inputs) *torch.Tensor { return torch.Linear(in.a, in.m.T(), in.c.Narrow(0, 0, 2)) }},
	{"torch.nn.functional.cross_entropy(a, torch.tensor([2, 0]))", func(in inputs) *torch.Tensor {
		return torch.CrossEntropyLoss(in.a, in.idx)
	}},
	{"torch.nn.functional.cross_entropy(a, torch.tensor([2, 0]), reduction='none', label_smoothing=0.1)", func(in inputs) *torch.Tensor {
		return torch.CrossEntropyLoss(in.a, in.idx, torch.CrossEntropyLossOpts{Reduction: new(torch.ReductionNone), LabelSmoothing: 0.1})
	}},
	{"torch.nn.functional.nll_loss(a.log_softmax(1), torch.tensor([2, 0]), reduction='sum')", func(in inputs) *torch.Tensor {
		return torch.NllLoss(in.a.LogSoftmax(1), in.idx, torch.NllLossOpts{Reduction: new(torch.ReductionSum)})
	}},
	{"torch.nn.functional.mse_loss(a, b)", func(in inputs) *torch.Tensor { return torch.MseLoss(in.a, in.b) }},
	// in place: the expression's value is the mutated tensor
	{"a.clone().add_(b)", func(in inputs) *torch.Tensor { return in.a.Clone().Add_(in.b) }},
	{"a.clone().add_(b, alpha=-0.5)", func(in inputs) *torch.Tensor {
		return in.a.Clone().Add_(in.b, torch.AddOpts{Alpha: new(torch.Float(-0.5))})
	}},
	{"a.clone().sub_(c)", func(in inputs) *torch.Tensor { return in.a.Clone().Sub_(in.c) }},
	{"a.clone().mul_(b)", func(in inputs) *torch.Tensor { return in.a.Clone().Mul_(in.b) }},
	{"a.clone().div_(b)", func(in inputs) *torch.Tensor { return in.a.Clone().Div_(in.b) }},
	{"a.clone().add_(1.5)", func(in inputs) *torch.Tensor { return in.a.Clone().AddScalar_(torch.Float(1.5)) }},
	{"a.clone().mul_(0.9)", func(in inputs) *torch.Tensor { return in.a.Clone().MulScalar_(torch.Float(0.9)) }},
	{"a.clone().div_(4)", func(in inputs) *torch.Tensor { return in.a.Clone().DivScalar_(torch.Int(4)) }},
	{"a.clone().addcmul_(b, c, value=0.1)", func(in inputs) *torch.Tensor {
		return in.a.Clone().Addcmul_(in.b, in.c, torch.AddcmulOpts{Value: new(torch.Float(0.1))})
	}},
	{"a.clone().addcdiv_(b, p, value=-0.01)", func(in inputs) *torch.Tensor {
		return in.a.Clone().Addcdiv_(in.b, in.p, torch.AddcdivOpts{Value: new(torch.Float(-0.01))})
	}},
	{"torch.maximum(a, b, out=a.clone())", func(in inputs) *torch.Tensor { return torch.MaximumOut(in.a.Clone(), in.a, in.b) }},
	{"p.clone().sqrt_()", func(in inputs) *torch.Tensor { return in.p.Clone().Sqrt_() }},
	{"a.clone().relu_()", func(in inputs) *torch.Tensor { return in.a.Clone().Relu_() }},
	{"a.clone().zero_()", func(in inputs) *torch.Tensor { return in.a.Clone().Zero_() }},
	{"a.clone().fill_(3)", func(in inputs) *torch.Tensor { return in.a.Clone().FillScalar_(torch.Int(3)) }},
	{"a.clone().copy_(idx.double().reshape(2, 1))", func(in inputs) *torch.Tensor {
		return in.a.Clone().Copy_(in.idx.ToDType(torch.Float64).Reshape(2, 1))
	}},
}

type pyResult struct {
	Shape  []int64   `json:"shape"`
	DType  string    `json:"dtype"`
	Values []float64 `json:"values"`
}

// TestOpsMatchPyTorch runs every case in Go and in Python's torch on the same
// inputs and compares shape, dtype and values.
func TestOpsMatchPyTorch(t *testing.T) {
	var exprs []string
	for _, c := range opCases {
		exprs = append(exprs, fmt.Sprintf("    %s,", c.py))
	}
	script := "import json\n" + pyInputs + "outs = [\n" + strings.Join(exprs, "\n") + "\n]\n" +
		"print(json.dumps([{'shape': list(o.shape), 'dtype': str(o.dtype), 'values': o.detach().double().flatten().tolist()} for o in outs]))\n"
	var want []pyResult
	pytorch.JSON(t, script, &want)
	require.Len(t, want, len(opCases))

	in := newInputs()
	for i, c := range opCases {
		t.Run(c.py, func(t *testing.T) {
			got := c.go_(in)
			assert.Equal(t, torch.Size(want[i].Shape), got.Shape())
			assert.Equal(t, want[i].DType, got.DType().String())
			assert.InDeltaSlice(t, want[i].Values, got.Float64s(), 1e-6)
		})
	}
}

func TestErrorsAreValuesNotCrashes(t *testing.T) {
	a := torch.Ones([]int64{2, 3})
	err := torch.Catch(func() { a.Matmul(a) })
	require.Error(t, err)
	var te *torch.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "Matmul", te.Op)
	assert.Contains(t, te.Msg, "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)")
	assert.NotContains(t, te.Msg, "frame #", "libtorch's C++ backtrace must be stripped")

	// the process goes on and the tensor still works
	assert.Equal(t, 6.0, a.Sum().Item())

	cases := map[string]func(){
		"broadcast":     func() { a.Add(torch.Ones([]int64{4})) },
		"view":          func() { a.View(5) },
		"bad dim":       func() { a.Softmax(3) },
		"index":         func() { a.Select(0, 7) },
		"dtype":         func() { torch.CopyTo(a, make([]int64, 6)) },
		"item":          func() { a.Item() },
		"backward":      func() { a.Sum().Backward() },
		"from slice":    func() { torch.FromSlice([]float32{1, 2, 3}, 2, 2) },
		"bytes":         func() { torch.FromBytes([]byte{1, 2, 3}, torch.Float32, 1) },
		"after free":    func() { b := torch.Ones([]int64{1}); b.Free(); b.Free(); b.Sum() },
		"cat empty":     func() { torch.Cat(nil) },
		"randint range": func() { torch.RandInt(5, 1, []int64{2}) },
	}
	for name, f := range cases {
		err := torch.Catch(f)
		require.Error(t, err, name)
		t.Logf("%s: %v", name, err)
	}
	// Panics that are not libtorch's pass through Catch.
	assert.PanicsWithValue(t, "other", func() { _ = torch.Catch(func() { panic("other") }) })
}

func TestCreationAndReading(t *testing.T) {
	img := torch.FromBytes(make([]byte, 784), torch.Uint8, 1, 28, 28)
	assert.Equal(t, "torch.Size([1, 28, 28])", img.Shape().String())
	assert.Equal(t, int64(784), img.Nbytes())
	assert.Equal(t, int64(3136), img.ToDType(torch.Float32).Nbytes())
	assert.Equal(t, 3, img.Dim())
	assert.Equal(t, int64(28), img.Size(-1))
	assert.Equal(t, torch.CPU, img.Device())

	data := []byte{1, 0, 0, 0, 2, 0, 0, 0}
	assert.Equal(t, []int64{1, 2}, torch.FromBytes(data, torch.Int32).Int64s())
	assert.Equal(t, []bool{true, false}, torch.FromSlice([]bool{true, false}).Bools())
	assert.Equal(t, []uint8{7, 8}, torch.FromSlice([]uint8{7, 8}).Uint8s())
	assert.Equal(t, torch.Int16, torch.FromSlice([]int16{1}).DType())
	assert.Equal(t, torch.Int8, torch.FromSlice([]int8{1}).DType())
	assert.Equal(t, []int64{3}, []int64(torch.Empty([]int64{3}).Shape()))
	assert.Equal(t, 2.5, torch.Full(nil, torch.Float(2.5)).Item())
	assert.Equal(t, int64(1)<<60, torch.FromSlice([]int64{1 << 60}).ItemInt())
	assert.True(t, torch.Zeros([]int64{2, 3}).IsContiguous())
	assert.False(t, torch.Zeros([]int64{2, 3}).T().IsContiguous())
	// reading a non-contiguous view gives C order of the view
	assert.Equal(t, []float32{0, 3, 1, 4, 2, 5}, torch.Arange(0, 6, 1, torch.WithDType(torch.Float32)).Reshape(2, 3).T().Float32s())
	assert.Equal(t, torch.Float32, torch.Arange(0, 1, 0.5).DType())
	assert.Equal(t, torch.Int64, torch.Arange(0, 3, 1).DType())
	assert.True(t, torch.Zeros([]int64{1}, torch.WithRequiresGrad()).RequiresGrad())
}

func TestDType(t *testing.T) {
	for _, c := range []struct {
		d    torch.DType
		size int
		name string
	}{
		{torch.Uint8, 1, "torch.uint8"}, {torch.Int8, 1, "torch.int8"}, {torch.Int16, 2, "torch.int16"},
		{torch.Int32, 4, "torch.int32"}, {torch.Int64, 8, "torch.int64"}, {torch.Float16, 2, "torch.float16"},
		{torch.BFloat16, 2, "torch.bfloat16"}, {torch.Float32, 4, "torch.float32"}, {torch.Float64, 8, "torch.float64"},
		{torch.Bool, 1, "torch.bool"},
	} {
		assert.Equal(t, c.size, c.d.ElementSize(), c.name)
		assert.Equal(t, c.name, c.d.String())
		// libtorch agrees on the code and the size
		z := torch.Zeros([]int64{3}, torch.WithDType(c.d))
		assert.Equal(t, c.d, z.DType(), c.name)
		assert.Equal(t, int64(3*c.size), z.Nbytes(), c.name)
	}
}

func TestDevice(t *testing.T) {
	for in, want := range map[string]torch.Device{"cpu": torch.CPU, "cuda": torch.CUDA(0), "cuda:1": torch.CUDA(1), " CUDA:0 ": torch.CUDA(0)} {
		d, err := torch.ParseDevice(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, d, in)
	}
	for _, bad := range []string{"", "gpu", "cuda:", "cuda:-1", "cuda:x"} {
		_, err := torch.ParseDevice(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "cuda:2", torch.CUDA(2).String())
	assert.Equal(t, "cpu", torch.CPU.String())
}

func TestAutograd(t *testing.T) {
	w := torch.FromSlice([]float32{1, 2, 3}).SetRequiresGrad(true)
	x := torch.FromSlice([]float32{4, 5, 6})
	assert.Nil(t, w.Grad(), "no gradient before backward")
	loss := w.Mul(x).Sum() // d/dw = x
	loss.Backward()
	require.NotNil(t, w.Grad())
	assert.Equal(t, []float32{4, 5, 6}, w.Grad().Float32s())
	w.Mul(x).Sum().Backward() // accumulates
	assert.Equal(t, []float32{8, 10, 12}, w.Grad().Float32s())
	w.Grad().Zero_()
	assert.Equal(t, []float32{0, 0, 0}, w.Grad().Float32s())
	w.ClearGrad()
	assert.Nil(t, w.Grad())

	torch.NoGrad(func() {
		assert.False(t, torch.IsGradEnabled())
		assert.False(t, w.MulScalar(torch.Int(2)).RequiresGrad())
	})
	assert.True(t, torch.IsGradEnabled())
	assert.True(t, w.MulScalar(torch.Int(2)).RequiresGrad())

	y := w.PowTensorScalar(torch.Int(2))
	y.BackwardWith(torch.Ones([]int64{3}), true)
	y.BackwardWith(torch.Ones([]int64{3}), false)
	assert.Equal(t, []float32{4, 8, 12}, w.Grad().Float32s()) // 2 * 2w
}

func TestManualSeedMatchesPython(t *testing.T) {
	var want struct {
		Rand    []float64 `json:"rand"`
		Randn   []float64 `json:"randn"`
		RandInt []int64   `json:"randint"`
		Perm    []int64   `json:"perm"`
		Uniform []float64 `json:"uniform"`
	}
	pytorch.JSON(t, `import json
torch.manual_seed(42)
r = torch.rand(5).tolist()
n = torch.randn(2, 3).flatten().tolist()
i = torch.randint(0, 60000, size=(4,)).tolist()
p = torch.randperm(10).tolist()
u = torch.empty(3).uniform_(-0.5, 0.5).tolist()
print(json.dumps({'rand': r, 'randn': n, 'randint': i, 'perm': p, 'uniform': u}))`, &want)
	torch.ManualSeed(42)
	assert.Equal(t, want.Rand, torch.Rand([]int64{5}).Float64s())
	assert.Equal(t, want.Randn, torch.Randn([]int64{2, 3}).Float64s())
	assert.Equal(t, want.RandInt, torch.RandInt(0, 60000, []int64{4}).Int64s())
	assert.Equal(t, want.Perm, torch.RandPerm(10).Int64s())
	assert.Equal(t, want.Uniform, torch.Empty([]int64{3}).Uniform_(torch.UniformOpts{From: -0.5, To: new(float64(0.5))}).Float64s())
}

func TestThreads(t *testing.T) {
	// The count is OpenMP's on the calling OS thread (see SetNumThreads):
	// without the lock, Get may run on another thread than Set did.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	prev := torch.GetNumThreads()
	defer torch.SetNumThreads(prev)
	torch.SetNumThreads(1)
	assert.Equal(t, 1, torch.GetNumThreads())
	assert.Error(t, torch.Catch(func() { torch.SetNumThreads(0) }))
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := t.TempDir() + "/w.pt"
	in := map[string]*torch.Tensor{
		"layer1.weight": torch.Arange(0, 6, 1, torch.WithDType(torch.Float32)).Reshape(2, 3),
		"steps":         torch.FromSlice([]int64{3}),
	}
	require.NoError(t, torch.Save(in, path))
	out, err := torch.Load(path)
	require.NoError(t, err)
	require.Len(t, out, 2)
	assert.Equal(t, in["layer1.weight"].Float32s(), out["layer1.weight"].Float32s())
	assert.Equal(t, torch.Size{2, 3}, out["layer1.weight"].Shape())
	assert.Equal(t, []int64{3}, out["steps"].Int64s())

	// Python reads it as a dict of tensors, and Go reads what Python writes.
	py := pytorch.Run(t, `import sys
d = torch.load(sys.argv[1])
print(type(d).__name__, sorted(d.keys()), d['layer1.weight'].sum().item())
torch.save({'x': torch.tensor([[1.5, 2.5]]), 'n': torch.tensor([7])}, sys.argv[2])`, path, path+".py")
	assert.Equal(t, "OrderedDict ['layer1.weight', 'steps'] 15.0\n", py)
	back, err := torch.Load(path + ".py")
	require.NoError(t, err)
	assert.Equal(t, []float32{1.5, 2.5}, back["x"].Float32s())
	assert.Equal(t, []int64{7}, back["n"].Int64s())

	// Bad files are errors that name the file.
	bad := t.TempDir() + "/bad.pt"
	require.NoError(t, writeFile(bad, []byte("not a zip")))
	_, err = torch.Load(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad)
	_, err = torch.Load(t.TempDir() + "/missing.pt")
	assert.Error(t, err)
}

package nn_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
	F "github.com/seed0eaa3131/gotorch/torch/nn/functional"
)

// TestConvInitMatchesPyTorch checks that, after the same seed, convolution
// layers created in the same order draw bit-identical weights and biases to
// PyTorch's: plain, grouped, without bias, transposed (whose fan_in comes
// from the [in, out/groups, k...] weight), 1-D to 3-D. The layer with no
// input channels draws no bias (fan_in is 0), so the later layers check
// that Go skips that draw as PyTorch does; its bias is uninitialised memory
// in both and is not compared.
func TestConvInitMatchesPyTorch(t *testing.T) {
	seeds := []uint64{0, 2024}
	build := func(seed uint64) nn.Sequential {
		torch.ManualSeed(seed)
		return nn.NewSequential(
			nn.NewConv2d(3, 8, []int64{3}),
			nn.NewConv1d(4, 6, []int64{5}, nn.Conv1dOpts{Groups: new(int64(2)), Bias: new(false)}),
			nn.NewConv3d(2, 4, []int64{2, 3, 1}, nn.Conv3dOpts{Stride: []int64{2}, Padding: []int64{1}}),
			nn.NewConvTranspose2d(4, 6, []int64{3}, nn.ConvTranspose2dOpts{Groups: new(int64(2))}),
			nn.NewConvTranspose1d(3, 5, []int64{4}, nn.ConvTranspose1dOpts{Bias: new(false)}),
			nn.NewConv2d(0, 4, []int64{3}),
			nn.NewConvTranspose3d(2, 3, []int64{2}),
			nn.NewConv2d(6, 6, []int64{3, 5}, nn.Conv2dOpts{Groups: new(int64(6)), PaddingString: F.PaddingSame,
				PaddingMode: new(nn.PaddingReflect)}),
			nn.NewConv2d(32, 64, []int64{3}),
		)
	}
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys, warnings
warnings.simplefilter("ignore")
nn = torch.nn
res = {}
for seed in sys.argv[2:]:
    torch.manual_seed(int(seed))
    layers = nn.Sequential(
        nn.Conv2d(3, 8, 3),
        nn.Conv1d(4, 6, 5, groups=2, bias=False),
        nn.Conv3d(2, 4, (2, 3, 1), stride=2, padding=1),
        nn.ConvTranspose2d(4, 6, 3, groups=2),
        nn.ConvTranspose1d(3, 5, 4, bias=False),
        nn.Conv2d(0, 4, 3),
        nn.ConvTranspose3d(2, 3, 2),
        nn.Conv2d(6, 6, (3, 5), groups=6, padding='same', padding_mode='reflect'),
        nn.Conv2d(32, 64, 3),
    )
    for k, v in layers.state_dict().items():
        if k != "5.bias":
            res[seed + "/" + k] = v
torch.save(res, sys.argv[1])
`, append([]string{out}, fmt.Sprint(seeds[0]), fmt.Sprint(seeds[1]))...)
	all := loadPT(t, out)
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			got := nn.StateDict(build(seed))
			prefix := fmt.Sprint(seed) + "/"
			n := 0
			for k, w := range all {
				name, ok := strings.CutPrefix(k, prefix)
				if !ok {
					continue
				}
				n++
				require.Contains(t, got, name)
				requireBitEqual(t, w, got[name], name)
			}
			require.Len(t, got, n+1, "every tensor but 5.bias compared")
		})
	}
}

// convCase is one layer of the forward parity table: the Python expression
// that builds the same layer (with nn = torch.nn) and the input's shape.
type convCase struct {
	py         string
	build      func() nn.Module
	in         []int64
	outputSize []int64 // for ConvTranspose: forward(x, output_size)
}

type convOutputSizer interface {
	ForwardWithOutputSize(x *torch.Tensor, outputSize []int64) *torch.Tensor
}

// convParams returns a layer's weight and bias (nil without bias).
func convParams(m nn.Module) (w, b *torch.Tensor) {
	ps := nn.NamedParameters(m)
	w = ps[0].Tensor
	if len(ps) > 1 {
		b = ps[1].Tensor
	}
	return w, b
}

// TestConvForwardMatchesPyTorch runs each layer of the table in Go and in
// PyTorch (with Go's weights loaded) and compares the output, the
// gradients of the input, weight and bias for the loss sum(y * g), and
// String with Python's repr, all from one Python run.
func TestConvForwardMatchesPyTorch(t *testing.T) {
	cases := []convCase{
		{py: "nn.Conv2d(3, 4, 3)", in: []int64{2, 3, 7, 6},
			build: func() nn.Module { return nn.NewConv2d(3, 4, []int64{3}) }},
		{py: "nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), bias=False)", in: []int64{2, 4, 9, 8},
			build: func() nn.Module {
				return nn.NewConv2d(4, 6, []int64{3, 2}, nn.Conv2dOpts{Stride: []int64{2, 1}, Padding: []int64{1, 2}, Bias: new(false)})
			}},
		{py: "nn.Conv2d(4, 6, 3, dilation=2, groups=2)", in: []int64{1, 4, 10, 9},
			build: func() nn.Module {
				return nn.NewConv2d(4, 6, []int64{3}, nn.Conv2dOpts{Dilation: []int64{2}, Groups: new(int64(2))})
			}},
		{py: "nn.Conv2d(3, 5, (4, 3), padding='same', dilation=(1, 2))", in: []int64{2, 3, 7, 8},
			build: func() nn.Module {
				return nn.NewConv2d(3, 5, []int64{4, 3}, nn.Conv2dOpts{PaddingString: nn.PaddingSame, Dilation: []int64{1, 2}})
			}},
		{py: "nn.Conv2d(3, 5, 3, stride=2, padding='valid')", in: []int64{2, 3, 7, 8},
			build: func() nn.Module {
				return nn.NewConv2d(3, 5, []int64{3}, nn.Conv2dOpts{Stride: []int64{2}, PaddingString: F.PaddingValid})
			}},
		{py: "nn.Conv2d(3, 4, 3, padding=2, padding_mode='reflect')", in: []int64{2, 3, 6, 7},
			build: func() nn.Module {
				return nn.NewConv2d(3, 4, []int64{3}, nn.Conv2dOpts{Padding: []int64{2}, PaddingMode: new(nn.PaddingReflect)})
			}},
		{py: "nn.Conv2d(3, 4, 3, padding=(1, 2), padding_mode='replicate', stride=2)", in: []int64{2, 3, 6, 7},
			build: func() nn.Module {
				return nn.NewConv2d(3, 4, []int64{3}, nn.Conv2dOpts{Padding: []int64{1, 2}, PaddingMode: new(nn.PaddingReplicate), Stride: []int64{2}})
			}},
		{py: "nn.Conv2d(2, 4, (2, 5), padding='same', padding_mode='circular', groups=2)", in: []int64{2, 2, 6, 7},
			build: func() nn.Module {
				return nn.NewConv2d(2, 4, []int64{2, 5}, nn.Conv2dOpts{PaddingString: F.PaddingSame, PaddingMode: new(nn.PaddingCircular), Groups: new(int64(2))})
			}},
		{py: "nn.Conv2d(3, 4, 3, padding=1)", in: []int64{3, 5, 5}, // unbatched
			build: func() nn.Module { return nn.NewConv2d(3, 4, []int64{3}, nn.Conv2dOpts{Padding: []int64{1}}) }},
		{py: "nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2)", in: []int64{3, 4, 11},
			build: func() nn.Module {
				return nn.NewConv1d(4, 6, []int64{3}, nn.Conv1dOpts{Stride: []int64{2}, Padding: []int64{1}, Groups: new(int64(2))})
			}},
		{py: "nn.Conv1d(3, 2, 4, padding='same', dilation=3, padding_mode='circular')", in: []int64{2, 3, 12},
			build: func() nn.Module {
				return nn.NewConv1d(3, 2, []int64{4}, nn.Conv1dOpts{PaddingString: F.PaddingSame, Dilation: []int64{3}, PaddingMode: new(nn.PaddingCircular)})
			}},
		{py: "nn.Conv1d(3, 2, 3, padding=2, padding_mode='reflect', bias=False)", in: []int64{2, 3, 6},
			build: func() nn.Module {
				return nn.NewConv1d(3, 2, []int64{3}, nn.Conv1dOpts{Padding: []int64{2}, PaddingMode: new(nn.PaddingReflect), Bias: new(false)})
			}},
		{py: "nn.Conv3d(2, 4, (2, 3, 3), stride=(1, 2, 1), padding=1)", in: []int64{2, 2, 4, 6, 5},
			build: func() nn.Module {
				return nn.NewConv3d(2, 4, []int64{2, 3, 3}, nn.Conv3dOpts{Stride: []int64{1, 2, 1}, Padding: []int64{1}})
			}},
		{py: "nn.Conv3d(2, 2, 3, padding='same', padding_mode='replicate', groups=2)", in: []int64{1, 2, 4, 5, 4},
			build: func() nn.Module {
				return nn.NewConv3d(2, 2, []int64{3}, nn.Conv3dOpts{PaddingString: F.PaddingSame, PaddingMode: new(nn.PaddingReplicate), Groups: new(int64(2))})
			}},
		{py: "nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)", in: []int64{2, 4, 5, 4},
			build: func() nn.Module {
				return nn.NewConvTranspose2d(4, 6, []int64{3}, nn.ConvTranspose2dOpts{Stride: []int64{2}, Padding: []int64{1}, OutputPadding: []int64{1}, Groups: new(int64(2))})
			}},
		{py: "nn.ConvTranspose2d(3, 2, (3, 2), stride=(2, 3), dilation=2, bias=False)", in: []int64{2, 3, 4, 4},
			build: func() nn.Module {
				return nn.NewConvTranspose2d(3, 2, []int64{3, 2}, nn.ConvTranspose2dOpts{Stride: []int64{2, 3}, Dilation: []int64{2}, Bias: new(false)})
			}},
		{py: "nn.ConvTranspose2d(2, 3, 3, stride=2)", in: []int64{1, 2, 5, 5}, outputSize: []int64{12, 11},
			build: func() nn.Module {
				return nn.NewConvTranspose2d(2, 3, []int64{3}, nn.ConvTranspose2dOpts{Stride: []int64{2}})
			}},
		{py: "nn.ConvTranspose1d(4, 2, 5, stride=3, padding=2, output_padding=2)", in: []int64{2, 4, 7},
			build: func() nn.Module {
				return nn.NewConvTranspose1d(4, 2, []int64{5}, nn.ConvTranspose1dOpts{Stride: []int64{3}, Padding: []int64{2}, OutputPadding: []int64{2}})
			}},
		{py: "nn.ConvTranspose1d(2, 3, 3, stride=2)", in: []int64{2, 2, 6}, outputSize: []int64{2, 3, 14},
			build: func() nn.Module {
				return nn.NewConvTranspose1d(2, 3, []int64{3}, nn.ConvTranspose1dOpts{Stride: []int64{2}})
			}},
		{py: "nn.ConvTranspose3d(2, 2, 2, stride=2, groups=2)", in: []int64{1, 2, 3, 2, 3},
			build: func() nn.Module {
				return nn.NewConvTranspose3d(2, 2, []int64{2}, nn.ConvTranspose3dOpts{Stride: []int64{2}, Groups: new(int64(2))})
			}},
	}
	torch.ManualSeed(11)
	tensors := map[string]*torch.Tensor{}
	type pyCase struct {
		Py         string  `json:"py"`
		OutputSize []int64 `json:"os"`
	}
	var pyCases []pyCase
	type goResult struct {
		name          string
		y, xg, wg, bg *torch.Tensor
		str           string
	}
	var results []goResult
	for i, c := range cases {
		m := c.build()
		w, b := convParams(m)
		x := torch.Randn(c.in).SetRequiresGrad(true)
		var y *torch.Tensor
		if c.outputSize != nil {
			y = m.(convOutputSizer).ForwardWithOutputSize(x, c.outputSize)
		} else {
			y = m.Forward(x)
		}
		g := torch.Randn(y.Shape())
		y.Mul(g).Sum().Backward()
		p := fmt.Sprintf("%d.", i)
		tensors[p+"x"], tensors[p+"g"], tensors[p+"weight"] = x.Detach(), g, w.Detach()
		r := goResult{name: c.py, y: y.Detach(), xg: x.Grad(), wg: w.Grad(), str: fmt.Sprint(m)}
		if b != nil {
			tensors[p+"bias"] = b.Detach()
			r.bg = b.Grad()
		}
		results = append(results, r)
		pyCases = append(pyCases, pyCase{c.py, c.outputSize})
	}
	in := savePT(t, tensors)
	out := tempPath(t, "py.pt")
	spec, err := json.Marshal(pyCases)
	require.NoError(t, err)
	var reprs []string
	pytorch.JSON(t, `
import sys, json
nn = torch.nn
d = torch.load(sys.argv[1])
res, reprs = {}, []
for i, c in enumerate(json.loads(sys.argv[2])):
    p = "%d." % i
    m = eval(c["py"])
    sd = {"weight": d[p + "weight"]}
    if p + "bias" in d:
        sd["bias"] = d[p + "bias"]
    m.load_state_dict(sd)
    x = d[p + "x"].clone().requires_grad_()
    y = m(x, output_size=c["os"]) if c["os"] else m(x)
    (y * d[p + "g"]).sum().backward()
    res[p + "y"], res[p + "xg"], res[p + "wg"] = y.detach(), x.grad, m.weight.grad
    if m.bias is not None:
        res[p + "bg"] = m.bias.grad
    reprs.append(repr(m))
torch.save(res, sys.argv[3])
print(json.dumps(reprs))
`, &reprs, in, string(spec), out)
	want := loadPT(t, out)
	require.Len(t, reprs, len(cases))
	for i, r := range results {
		p := fmt.Sprintf("%d.", i)
		t.Run(r.name, func(t *testing.T) {
			assert.Equal(t, reprs[i], r.str, "String")
			requireClose(t, want[p+"y"], r.y, 1e-5, "y")
			requireClose(t, want[p+"xg"], r.xg, 1e-5, "x.grad")
			requireClose(t, want[p+"wg"], r.wg, 1e-4, "weight.grad")
			if r.bg != nil {
				requireClose(t, want[p+"bg"], r.bg, 1e-4, "bias.grad")
			} else {
				assert.NotContains(t, want, p+"bg")
			}
		})
	}
}

// TestConvFunctionalMatchesPyTorch calls the functional twins directly:
// F.Conv1d/2d/3d with sizes and with padding strings, F.ConvTranspose1d/2d
// and F.Pad in its four modes.
func TestConvFunctionalMatchesPyTorch(t *testing.T) {
	torch.ManualSeed(5)
	r := torch.Randn
	x1, x2, x3 := r([]int64{2, 4, 9}), r([]int64{2, 4, 7, 8}), r([]int64{1, 2, 5, 4, 6})
	w1, w2, w3 := r([]int64{6, 2, 3}), r([]int64{5, 4, 2, 3}), r([]int64{3, 2, 2, 3, 2})
	wt1, wt2 := r([]int64{4, 3, 4}), r([]int64{4, 2, 3, 3})
	b5, b6, b3 := r([]int64{5}), r([]int64{6}), r([]int64{3})
	got := map[string]*torch.Tensor{
		"c1":    F.Conv1d(x1, w1, b6, F.Conv1dOpts{Stride: []int64{2}, Padding: []int64{1}, Groups: new(int64(2))}),
		"c1s":   F.Conv1d(x1, w1, nil, F.Conv1dOpts{PaddingString: F.PaddingSame, Dilation: []int64{2}, Groups: new(int64(2))}),
		"c2":    F.Conv2d(x2, w2, b5),
		"c2s":   F.Conv2d(x2, w2, b5, F.Conv2dOpts{PaddingString: F.PaddingSame}),
		"c2v":   F.Conv2d(x2, w2, nil, F.Conv2dOpts{PaddingString: F.PaddingValid, Stride: []int64{2, 1}}),
		"c2d":   F.Conv2d(x2, w2, nil, F.Conv2dOpts{Padding: []int64{2, 1}, Dilation: []int64{2, 1}, Stride: []int64{1, 2}}),
		"c3":    F.Conv3d(x3, w3, b3, F.Conv3dOpts{Padding: []int64{1}}),
		"c3s":   F.Conv3d(x3, w3, nil, F.Conv3dOpts{PaddingString: F.PaddingSame}),
		"t1":    F.ConvTranspose1d(x1, wt1, b3, F.ConvTranspose1dOpts{Stride: []int64{2}, OutputPadding: []int64{1}}),
		"t2":    F.ConvTranspose2d(x2, wt2, nil, F.ConvTranspose2dOpts{Stride: []int64{2}, Padding: []int64{1}, Groups: new(int64(2)), Dilation: []int64{2}}),
		"pc":    F.Pad(x2, []int64{1, 2, 0, 3}),
		"pcv":   F.Pad(x2, []int64{1, -2}, F.PadOpts{Value: new(2.5)}),
		"pr":    F.Pad(x2, []int64{2, 1, 3, 0}, F.PadOpts{Mode: new(F.PadReflect)}),
		"pp":    F.Pad(x1, []int64{3, 2}, F.PadOpts{Mode: new(F.PadReplicate)}),
		"pcirc": F.Pad(x3, []int64{1, 2, 0, 1, 2, 2}, F.PadOpts{Mode: new(F.PadCircular)}),
	}
	in := savePT(t, map[string]*torch.Tensor{"x1": x1, "x2": x2, "x3": x3, "w1": w1, "w2": w2, "w3": w3,
		"wt1": wt1, "wt2": wt2, "b5": b5, "b6": b6, "b3": b3})
	out := tempPath(t, "py.pt")
	pytorch.Run(t, `
import sys
F = torch.nn.functional
d = torch.load(sys.argv[1])
globals().update(d)
torch.save({
    "c1": F.conv1d(x1, w1, b6, stride=2, padding=1, groups=2),
    "c1s": F.conv1d(x1, w1, None, padding="same", dilation=2, groups=2),
    "c2": F.conv2d(x2, w2, b5),
    "c2s": F.conv2d(x2, w2, b5, padding="same"),
    "c2v": F.conv2d(x2, w2, padding="valid", stride=(2, 1)),
    "c2d": F.conv2d(x2, w2, padding=(2, 1), dilation=(2, 1), stride=(1, 2)),
    "c3": F.conv3d(x3, w3, b3, padding=1),
    "c3s": F.conv3d(x3, w3, padding="same"),
    "t1": F.conv_transpose1d(x1, wt1, b3, stride=2, output_padding=1),
    "t2": F.conv_transpose2d(x2, wt2, stride=2, padding=1, groups=2, dilation=2),
    "pc": F.pad(x2, (1, 2, 0, 3)),
    "pcv": F.pad(x2, (1, -2), value=2.5),
    "pr": F.pad(x2, (2, 1, 3, 0), mode="reflect"),
    "pp": F.pad(x1, (3, 2), mode="replicate"),
    "pcirc": F.pad(x3, (1, 2, 0, 1, 2, 2), mode="circular"),
}, sys.argv[2])
`, in, out)
	want := loadPT(t, out)
	require.Len(t, want, len(got))
	for k, g := range got {
		requireClose(t, want[k], g, 1e-5, k)
	}
}

// convErrorNorm hides the contents of Python's sets in messages ({'zeros',
// 'reflect', ...}), whose order Python's string hashing varies per run.
var convErrorNorm = regexp.MustCompile(`\{[^}]*\}`)

// TestConvErrors checks that bad arguments panic with PyTorch's own
// messages (compared with the exception Python raises for the same call),
// and that Go-only mistakes name what was expected and found.
func TestConvErrors(t *testing.T) {
	x := torch.Randn([]int64{1, 2, 5, 5})
	cases := []struct {
		py string
		f  func()
	}{
		{"nn.Conv2d(3, 6, 3, groups=2)", func() { nn.NewConv2d(3, 6, []int64{3}, nn.Conv2dOpts{Groups: new(int64(2))}) }},
		{"nn.Conv1d(4, 6, 3, groups=4)", func() { nn.NewConv1d(4, 6, []int64{3}, nn.Conv1dOpts{Groups: new(int64(4))}) }},
		{"nn.Conv2d(3, 6, 3, groups=0)", func() { nn.NewConv2d(3, 6, []int64{3}, nn.Conv2dOpts{Groups: new(int64(0))}) }},
		{"nn.ConvTranspose2d(3, 6, 3, groups=-1)", func() {
			nn.NewConvTranspose2d(3, 6, []int64{3}, nn.ConvTranspose2dOpts{Groups: new(int64(-1))})
		}},
		{"nn.Conv2d(3, 6, 3, padding='full')", func() { nn.NewConv2d(3, 6, []int64{3}, nn.Conv2dOpts{PaddingString: "full"}) }},
		{"nn.Conv2d(3, 6, 3, padding='same', stride=(1, 2))", func() {
			nn.NewConv2d(3, 6, []int64{3}, nn.Conv2dOpts{PaddingString: F.PaddingSame, Stride: []int64{1, 2}})
		}},
		{"nn.Conv3d(3, 6, 3, padding_mode='mirror')", func() { nn.NewConv3d(3, 6, []int64{3}, nn.Conv3dOpts{PaddingMode: new("mirror")}) }},
		{"torch.nn.functional.conv2d(x, torch.ones(4, 2, 3, 3), padding='same', stride=2)", func() {
			F.Conv2d(x, torch.Ones([]int64{4, 2, 3, 3}), nil, F.Conv2dOpts{PaddingString: F.PaddingSame, Stride: []int64{2}})
		}},
		{"nn.ConvTranspose2d(2, 3, 3, stride=2)(x, output_size=[20, 20])", func() {
			nn.NewConvTranspose2d(2, 3, []int64{3}, nn.ConvTranspose2dOpts{Stride: []int64{2}}).ForwardWithOutputSize(x, []int64{20, 20})
		}},
		{"nn.ConvTranspose2d(2, 3, 3, stride=2)(x, output_size=[20])", func() {
			nn.NewConvTranspose2d(2, 3, []int64{3}, nn.ConvTranspose2dOpts{Stride: []int64{2}}).ForwardWithOutputSize(x, []int64{20})
		}},
	}
	var pys []string
	for _, c := range cases {
		pys = append(pys, c.py)
	}
	spec, err := json.Marshal(pys)
	require.NoError(t, err)
	var msgs []string
	pytorch.JSON(t, `
import sys, json
nn = torch.nn
x = torch.randn(1, 2, 5, 5)
msgs = []
for c in json.loads(sys.argv[1]):
    try:
        eval(c)
        msgs.append("no error")
    except Exception as e:
        msgs.append(str(e).split("\n")[0])
print(json.dumps(msgs))
`, &msgs, string(spec))
	require.Len(t, msgs, len(cases))
	for i, c := range cases {
		err := torch.Catch(c.f)
		require.Error(t, err, c.py)
		assert.Contains(t, convErrorNorm.ReplaceAllString(err.Error(), "{}"), convErrorNorm.ReplaceAllString(msgs[i], "{}"), c.py)
	}

	// Mistakes Python cannot make, or reports only at forward time.
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { nn.NewConv2d(3, 6, []int64{3, 3, 3}) }, "kernel_size must have 2 elements (or 1 for all), got 3"},
		{func() { nn.NewConv2d(3, 6, nil) }, "kernel_size must have 2 elements (or 1 for all), got 0"},
		{func() { nn.NewConv1d(3, 6, []int64{3}, nn.Conv1dOpts{Stride: []int64{1, 2}}) }, "stride must have 1 elements (or 1 for all), got 2"},
		{func() {
			nn.NewConv2d(3, 6, []int64{3}, nn.Conv2dOpts{PaddingString: F.PaddingSame, Padding: []int64{1}})
		}, `padding is given both as sizes and as the string "same"`},
		{func() {
			F.Conv2d(x, torch.Ones([]int64{4, 2, 3, 3}), nil, F.Conv2dOpts{PaddingString: F.PaddingSame, Padding: []int64{1}})
		}, "padding is given both as sizes and as the string same"},
	} {
		err := torch.Catch(c.f)
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestConvAccessors(t *testing.T) {
	c := nn.NewConv2d(4, 8, []int64{3, 5}, nn.Conv2dOpts{Stride: []int64{2}, PaddingString: F.PaddingValid,
		Groups: new(int64(2)), Bias: new(false), PaddingMode: new(nn.PaddingCircular)})
	assert.Equal(t, int64(4), c.InChannels())
	assert.Equal(t, int64(8), c.OutChannels())
	assert.Equal(t, []int64{3, 5}, c.KernelSize())
	assert.Equal(t, []int64{2, 2}, c.Stride())
	assert.Equal(t, []int64{0, 0}, c.Padding())
	assert.Equal(t, "valid", c.PaddingString())
	assert.Equal(t, []int64{1, 1}, c.Dilation())
	assert.Equal(t, int64(2), c.Groups())
	assert.Equal(t, "circular", c.PaddingMode())
	assert.False(t, c.Transposed())
	assert.Nil(t, c.Bias)
	assert.Equal(t, torch.Size{8, 2, 3, 5}, c.Weight.Shape())
	assert.True(t, c.Weight.RequiresGrad())
	assert.Len(t, nn.Parameters(c), 1)

	ct := nn.NewConvTranspose2d(4, 6, []int64{3}, nn.ConvTranspose2dOpts{Groups: new(int64(2)), OutputPadding: []int64{1, 0}, Stride: []int64{2}})
	assert.True(t, ct.Transposed())
	assert.Equal(t, []int64{1, 0}, ct.OutputPadding())
	assert.Equal(t, torch.Size{4, 3, 3, 3}, ct.Weight.Shape())
	assert.Equal(t, torch.Size{6}, ct.Bias.Shape())
	var names []string
	for _, p := range nn.NamedParameters(ct) {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"weight", "bias"}, names)

	// ResetParameters redraws both tensors in place.
	before := c.Weight.Detach().Clone()
	c.ResetParameters()
	assert.False(t, before.Equal(c.Weight.Detach()))
}

// Conv2d and MaxPool2d as in the CIFAR-10 tutorial's first layer; the
// layers print as PyTorch prints them.
func ExampleNewConv2d() {
	torch.ManualSeed(0)
	conv := nn.NewConv2d(3, 6, []int64{5})
	pool := nn.NewMaxPool2d([]int64{2})
	model := nn.NewSequential(conv, pool)
	x := torch.Randn([]int64{4, 3, 32, 32})
	fmt.Println(conv)
	fmt.Println(pool)
	fmt.Println(model.Forward(x).Shape())
	fmt.Println(nn.NewConv1d(16, 33, []int64{3}, nn.Conv1dOpts{Stride: []int64{2}, PaddingString: nn.PaddingValid, Bias: new(false)}))
	fmt.Println(nn.NewConv2d(4, 4, []int64{3}, nn.Conv2dOpts{PaddingString: nn.PaddingSame, Groups: new(int64(4)), PaddingMode: new(nn.PaddingReflect)}))
	// Output:
	// Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))
	// MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
	// torch.Size([4, 6, 14, 14])
	// Conv1d(16, 33, kernel_size=(3,), stride=(2,), padding=valid, bias=False)
	// Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=4, padding_mode=reflect)
}

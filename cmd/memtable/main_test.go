package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runMemtable runs the program as main does and returns its exit code and
// output.
func runMemtable(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// readCSV runs memtable --csv and returns its rows as maps keyed by the
// header's names, the numeric fields parsed.
func readCSV(t *testing.T, args ...string) (header []string, rows []map[string]string) {
	t.Helper()
	code, out, errOut := runMemtable(t, append(args, "--csv")...)
	require.Equal(t, 0, code, "stderr: %s", errOut)
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, "output:\n%s", out)
	require.NotEmpty(t, records)
	header = records[0]
	for _, rec := range records[1:] {
		m := map[string]string{}
		for i, name := range header {
			m[name] = rec[i]
		}
		rows = append(rows, m)
	}
	return header, rows
}

func num(t *testing.T, m map[string]string, key string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(m[key], 10, 64)
	require.NoError(t, err, "column %s", key)
	return v
}

// The tutorial's models as the table must see them, in bytes of float32.
const (
	mnistParams   = 101_770 // 784*128 + 128 + 128*10 + 10
	cifarParams   = 394_634 // 3072*128 + 128 + 128*10 + 10
	mnistWeight   = 784 * 128 * 4
	cifarWeight   = 3072 * 128 * 4
	labelBytes    = 8 // int64
	float32Bytes  = 4
	hiddenWidth   = 128
	mnistPixels   = 28 * 28
	cifar10Pixels = 3 * 32 * 32
)

func TestCSVFiguresAreConsistent(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		model, opt  string
		params      int64
		pixels      int64
		state       int64 // optimizer state floats per parameter
		firstWeight int64
	}{
		{"mnist adam", []string{"--model", "mnist", "--optimizer", "adam"}, "MNISTModel", "Adam", mnistParams, mnistPixels, 2, mnistWeight},
		{"mnist sgd", []string{"--optimizer", "sgd"}, "MNISTModel", "SGD", mnistParams, mnistPixels, 0, mnistWeight},
		{"mnist sgd momentum", []string{"--optimizer", "sgd", "--momentum", "0.9"}, "MNISTModel", "SGD(momentum=0.9)", mnistParams, mnistPixels, 1, mnistWeight},
		{"cifar10 adam", []string{"--model", "cifar10"}, "CIFAR10Model", "Adam", cifarParams, cifar10Pixels, 2, cifarWeight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, rows := readCSV(t, append(tt.args, "--device", "cpu", "--batch-sizes", "2,16")...)
			assert.Equal(t, []string{"model", "optimizer", "device", "batch_size",
				"input_bytes", "input_estimate", "intermediate_bytes", "forward_backward_bytes", "intermediate_estimate",
				"peak_bytes", "peak_estimate", "peak_in",
				"baseline_bytes", "backward_peak_bytes", "step_peak_bytes",
				"parameter_bytes", "gradient_bytes", "optimizer_state_bytes"}, header)
			require.Len(t, rows, 2)
			for i, b := range []int64{2, 16} {
				r := rows[i]
				assert.Equal(t, tt.model, r["model"])
				assert.Equal(t, tt.opt, r["optimizer"])
				assert.Equal(t, "cpu", r["device"])
				assert.Equal(t, b, num(t, r, "batch_size"))

				// The fixed memory is the tutorial's arithmetic to the byte,
				// and it is all the allocator holds between steps.
				p := tt.params * float32Bytes
				assert.Equal(t, p, num(t, r, "parameter_bytes"))
				assert.Equal(t, p, num(t, r, "gradient_bytes"))
				assert.Equal(t, tt.state*p, num(t, r, "optimizer_state_bytes"))
				assert.Equal(t, (2+tt.state)*p, num(t, r, "baseline_bytes"))

				// The batch: images as float32 and labels as int64, exactly.
				assert.Equal(t, b*tt.pixels*float32Bytes+b*labelBytes, num(t, r, "input_bytes"))
				assert.Equal(t, b*tt.pixels*float32Bytes, num(t, r, "input_estimate"))
				assert.Equal(t, b*hiddenWidth*float32Bytes, num(t, r, "intermediate_estimate"))
				assert.Equal(t, (2+tt.state)*p+b*tt.pixels*float32Bytes+b*hiddenWidth*float32Bytes, num(t, r, "peak_estimate"))

				base, in := num(t, r, "baseline_bytes"), num(t, r, "input_bytes")
				bwd, step := num(t, r, "backward_peak_bytes"), num(t, r, "step_peak_bytes")
				peak := num(t, r, "peak_bytes")
				assert.Equal(t, max(bwd, step), peak)
				assert.Equal(t, peak-base-in, num(t, r, "intermediate_bytes"))
				assert.Equal(t, bwd-base-in, num(t, r, "forward_backward_bytes"))
				want := "forward/backward"
				if step > bwd {
					want = "optimizer.step"
				}
				assert.Equal(t, want, r["peak_in"])

				// Forward and backward hold the hidden layer's output
				// (before and after ReLU, which autograd saves) and the
				// logits, less the gradients zero_grad(set_to_none) freed.
				assert.GreaterOrEqual(t, bwd-base-in, 2*b*hiddenWidth*float32Bytes+b*10*float32Bytes-2*p)
				// During the step the graph is gone, as in PyTorch, but the
				// logits the loop still holds are alive.
				assert.GreaterOrEqual(t, step-base-in, b*10*float32Bytes)
				if tt.state == 2 {
					// Adam's sqrt(exp_avg_sq) and denominator for the
					// first layer's weight exist together: at these batch
					// sizes they are the peak.
					assert.GreaterOrEqual(t, step-base-in, 2*tt.firstWeight)
					assert.Equal(t, "optimizer.step", r["peak_in"])
				}
			}
		})
	}
}

func TestTextTable(t *testing.T) {
	code, out, errOut := runMemtable(t, "--device", "cpu", "--batch-sizes", "4,32")
	require.Equal(t, 0, code, "stderr: %s", errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "MNISTModel + Adam on cpu")
	assert.Regexp(t, `(?m)^  parameters +407,080 B +397\.5 KB +\(101,770 float32s\)$`, out)
	assert.Regexp(t, `(?m)^  gradients +407,080 B +397\.5 KB`, out)
	assert.Regexp(t, `(?m)^  optimizer state +814,160 B +795\.1 KB +\(Adam: exp_avg and exp_avg_sq`, out)
	assert.Regexp(t, `(?m)^  total +1,628,320 B +1\.55 MB +\(4\.0x the parameters\)$`, out)
	assert.Regexp(t, `(?m)^  allocated +1,628,320 B +1\.55 MB`, out)
	assert.Regexp(t, `(?m)^batch +input data +estimate +intermediates +fwd\+bwd +estimate +peak total +estimate +peak in$`, out)
	// Input: 4 x 3,144 B = 12.3 KB measured, 4 x 3,136 B = 12.2 KB estimated;
	// intermediates estimated 4 x 128 x 4 B = 2.0 KB.
	assert.Regexp(t, `(?m)^    4 +12\.3 KB +12\.2 KB +\S+ KB +\S+ KB +2\.0 KB +\S+ MB +\S+ MB +optimizer\.step$`, out)
	assert.Regexp(t, `(?m)^   32 +98\.2 KB +98\.0 KB +\S+ KB +\S+ KB +16\.0 KB +\S+ MB +\S+ MB +optimizer\.step$`, out)
	assert.Contains(t, out, "3,144 bytes an image where the tutorial counts 3,136")
	assert.Contains(t, out, "compare with --optimizer sgd")
}

func TestPlotWritesPNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "memory.png")
	code, out, errOut := runMemtable(t, "--device", "cpu", "--batch-sizes", "1,8,64", "--plot", path)
	require.Equal(t, 0, code, "stderr: %s", errOut)
	assert.Contains(t, out, "wrote the chart to "+path)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, 864, img.Bounds().Dx(), "9 inches at 96 dpi")
	assert.Equal(t, 576, img.Bounds().Dy())
	// Something was drawn: not every pixel is the background's.
	bg := img.At(0, 0)
	drawn := 0
	for y := 0; y < img.Bounds().Dy(); y += 4 {
		for x := 0; x < img.Bounds().Dx(); x += 4 {
			if img.At(x, y) != bg {
				drawn++
			}
		}
	}
	assert.Greater(t, drawn, 500)

	// A single batch size still plots (the axes get a range around it).
	code, _, errOut = runMemtable(t, "--device", "cpu", "--batch-sizes", "8", "--plot", path, "--csv")
	assert.Equal(t, 0, code, "stderr: %s", errOut)

	code, _, errOut = runMemtable(t, "--device", "cpu", "--batch-sizes", "8", "--plot", filepath.Join(t.TempDir(), "no", "such", "dir.png"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "memtable: plot: open ")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "unknown flag: --bogus"},
		{"unknown model", []string{"--model", "resnet"}, `--model must be mnist or cifar10, got "resnet"`},
		{"unknown optimizer", []string{"--optimizer", "rmsprop"}, `--optimizer must be adam or sgd, got "rmsprop"`},
		{"momentum with adam", []string{"--momentum", "0.9"}, "--momentum applies to --optimizer sgd only"},
		{"negative momentum", []string{"--optimizer", "sgd", "--momentum", "-1"}, "--momentum must not be negative"},
		{"zero batch", []string{"--batch-sizes", "64,0"}, "--batch-sizes: 0 is not a batch size"},
		{"huge batch", []string{"--batch-sizes", "4000000"}, "--batch-sizes: 4000000 is not a batch size"},
		{"not a number", []string{"--batch-sizes", "64,big"}, `invalid argument "64,big" for "--batch-sizes"`},
		{"empty list", []string{"--batch-sizes", ""}, `invalid argument "" for "--batch-sizes"`},
		{"bad device", []string{"--device", "tpu"}, "--device: "},
		{"argument", []string{"64"}, `unexpected argument "64"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMemtable(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
			assert.Contains(t, errOut, "run 'memtable --help' for the flags")
			assert.NotContains(t, errOut, "goroutine", "no stack trace")
		})
	}
}

func TestHelp(t *testing.T) {
	code, out, errOut := runMemtable(t, "--help")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	for _, flag := range []string{"--model", "--optimizer", "--batch-sizes", "--device", "--csv", "--plot", "--seed"} {
		assert.Contains(t, errOut, flag)
	}
}

func TestUnavailableDevice(t *testing.T) {
	if _, err := cli.PickDevice("cuda:7"); err == nil {
		t.Skip("this machine has a cuda:7")
	}
	code, out, errOut := runMemtable(t, "--device", "cuda:7", "--batch-sizes", "8")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "memtable: --device cuda:7: ")
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
}

package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/seed0eaa3131/gotorch/internal/cli"
	"github.com/seed0eaa3131/gotorch/torch"
)

// table is the measurements of all batch sizes with what is needed to
// print them beside the tutorial's estimates.
type table struct {
	spec      modelSpec
	optimizer string
	momentum  float64
	device    torch.Device
	rows      []row
}

// The tutorial's arithmetic, in bytes: float32 is 4 bytes.

// dataEstimate is B x C x H x W float32s: the images of one batch (the
// tutorial's "数据占用"; it leaves out the labels).
func (t *table) dataEstimate(b int) int64 { return int64(b) * t.spec.c * t.spec.h * t.spec.w * 4 }

// intermediateEstimate is B x hidden float32s: the hidden layer's
// activations (the tutorial's "中间变量").
func (t *table) intermediateEstimate(b int) int64 { return int64(b) * t.spec.hidden * 4 }

// statePerParameter is how many float32s of optimizer state each parameter
// carries: Adam's exp_avg and exp_avg_sq, SGD's momentum buffer when it has
// momentum, nothing for plain SGD.
func (t *table) statePerParameter() int64 {
	switch {
	case t.optimizer == "adam":
		return 2
	case t.momentum != 0:
		return 1
	}
	return 0
}

// fixedEstimate is the memory that does not depend on the batch size:
// parameters, one gradient per parameter and the optimizer's state.
func (t *table) fixedEstimate() int64 {
	return t.rows[0].Memory.Parameters * (2 + t.statePerParameter())
}

// peakEstimate is the tutorial's total ("总显存占用(近似)"): fixed memory plus
// the data and the intermediates. The tutorial's own totals (~1 MB for 64,
// ...) have no optimizer state in them, as for plain SGD.
func (t *table) peakEstimate(b int) int64 {
	return t.fixedEstimate() + t.dataEstimate(b) + t.intermediateEstimate(b)
}

func (t *table) optimizerName() string {
	switch {
	case t.optimizer == "adam":
		return "Adam"
	case t.momentum != 0:
		return fmt.Sprintf("SGD(momentum=%g)", t.momentum)
	}
	return "SGD"
}

func (t *table) counterName() string {
	if t.device.IsCUDA() {
		return "CUDA's caching allocator (torch.cuda.memory_allocated, max_memory_allocated)"
	}
	return "gotorch's counting CPU allocator (torch.MemoryAllocated, MaxMemoryAllocated)"
}

func (t *table) stateWhat() string {
	switch t.statePerParameter() {
	case 2:
		return "exp_avg and exp_avg_sq, 2 per parameter"
	case 1:
		return "momentum_buffer, 1 per parameter"
	}
	return "plain SGD keeps none"
}

// writeText prints the table for a person.
func (t *table) writeText(w io.Writer) {
	m := t.rows[0].Memory
	params := m.Parameters / 4
	fmt.Fprintf(w, "%s + %s on %s: the memory of one training step for each batch size\n", t.spec.name, t.optimizerName(), t.device)
	fmt.Fprintf(w, "measured with %s;\nestimates are the tutorial's arithmetic; 1 KB = 1024 bytes, 1 MB = 1024 KB\n\n", t.counterName())

	fmt.Fprintf(w, "fixed memory, measured from the live tensors after a warm-up step (estimate equal unless shown):\n")
	line := func(name string, got, want int64, what string) {
		est := ""
		if got != want {
			est = fmt.Sprintf(", estimate %s", human(want))
		}
		fmt.Fprintf(w, "  %-16s %12s B %10s  (%s%s)\n", name, cli.Commas(got), human(got), what, est)
	}
	line("parameters", m.Parameters, params*4, cli.Commas(params)+" float32s")
	line("gradients", m.Gradients, params*4, "one per parameter")
	line("optimizer state", m.OptimizerState, params*4*t.statePerParameter(), t.optimizerName()+": "+t.stateWhat())
	line("total", m.Total(), t.fixedEstimate(), fmt.Sprintf("%.1fx the parameters", float64(m.Total())/float64(m.Parameters)))
	fmt.Fprintf(w, "  %-16s %12s B %10s  (the allocator's figure between steps)\n\n", "allocated", cli.Commas(t.rows[0].Baseline), human(t.rows[0].Baseline))

	header := []string{"batch", "input data", "estimate", "intermediates", "fwd+bwd", "estimate", "peak total", "estimate", "peak in"}
	cells := [][]string{header}
	for _, r := range t.rows {
		cells = append(cells, []string{
			strconv.Itoa(r.Batch),
			human(r.Input), human(t.dataEstimate(r.Batch)),
			human(r.Intermediates()), human(r.ForwardBackward()), human(t.intermediateEstimate(r.Batch)),
			human(r.Peak()), human(t.peakEstimate(r.Batch)),
			r.PeakIn(),
		})
	}
	writeColumns(w, cells)

	fmt.Fprintf(w, "\n%s", t.notes())
}

// notes explain where the measured figures differ from the estimates.
func (t *table) notes() string {
	var b strings.Builder
	pixels := t.spec.c * t.spec.h * t.spec.w
	fmt.Fprintf(&b, "input data: the images, B x %d x %d x %d float32s (the estimate), and the labels, B int64s:\n", t.spec.c, t.spec.h, t.spec.w)
	fmt.Fprintf(&b, "  %s bytes an image where the tutorial counts %s.", cli.Commas(pixels*4+8), cli.Commas(pixels*4))
	if t.device.IsCUDA() {
		fmt.Fprintf(&b, " CUDA's allocator rounds each tensor up to 512 bytes.")
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "intermediates: the step's peak less the fixed memory and the input; fwd+bwd: the same for\n")
	fmt.Fprintf(&b, "  the forward and backward passes alone. The tutorial counts one B x %d float32 activation;\n", t.spec.hidden)
	fmt.Fprintf(&b, "  a step also holds the hidden layer's output before ReLU and after it (saved for backward),\n")
	fmt.Fprintf(&b, "  the logits and cross entropy's log_softmax (B x 10 each), and backward's gradients of\n")
	fmt.Fprintf(&b, "  these. zero_grad() sets the parameters' gradients to None and backward makes them again,\n")
	fmt.Fprintf(&b, "  in the memory the old ones had: they count in the fixed memory, not here.\n")
	inStep := false
	for _, r := range t.rows {
		inStep = inStep || r.StepPeak > r.BackwardPeak
	}
	if inStep && t.optimizer == "adam" {
		fmt.Fprintf(&b, "peak in optimizer.step: Adam's update makes sqrt(exp_avg_sq) and the denominator, each as\n")
		fmt.Fprintf(&b, "  large as the parameter (the first layer's weight: %s), after backward has freed the\n", human(pixels*t.spec.hidden*4))
		fmt.Fprintf(&b, "  graph's saved activations (as in PyTorch): with small batches these temporaries, not\n")
		fmt.Fprintf(&b, "  the activations, set the peak.\n")
	}
	if extra := t.rows[0].Baseline - t.rows[0].Memory.Total(); extra != 0 {
		fmt.Fprintf(&b, "allocated between steps is %s more than the model's tensors: ", human(extra))
		if t.device.IsCUDA() {
			fmt.Fprintf(&b, "the caching allocator rounds\n  each tensor up to 512 bytes, and cuBLAS keeps a workspace from the first matrix product.\n")
		} else {
			fmt.Fprintf(&b, "tensors the step left\n  behind.\n")
		}
	}
	fmt.Fprintf(&b, "peak total estimate: parameters + gradients + optimizer state + input data + intermediates.\n")
	if t.statePerParameter() > 0 {
		fmt.Fprintf(&b, "  The tutorial's totals (MNIST 64: ~1 MB, 256: ~1.7 MB, 1024: ~4.5 MB, 4096: ~15 MB) have\n")
		fmt.Fprintf(&b, "  no optimizer state in them: compare with --optimizer sgd.\n")
	} else {
		fmt.Fprintf(&b, "  The tutorial's totals (MNIST 64: ~1 MB, 256: ~1.7 MB, 1024: ~4.5 MB, 4096: ~15 MB) are\n")
		fmt.Fprintf(&b, "  this sum for plain SGD, which keeps no optimizer state.\n")
	}
	return b.String()
}

// writeCSV prints the table in bytes, one row a batch size, for a
// spreadsheet or a script.
func (t *table) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"model", "optimizer", "device", "batch_size",
		"input_bytes", "input_estimate", "intermediate_bytes", "forward_backward_bytes", "intermediate_estimate",
		"peak_bytes", "peak_estimate", "peak_in",
		"baseline_bytes", "backward_peak_bytes", "step_peak_bytes",
		"parameter_bytes", "gradient_bytes", "optimizer_state_bytes"})
	for _, r := range t.rows {
		i := func(v int64) string { return strconv.FormatInt(v, 10) }
		_ = cw.Write([]string{t.spec.name, t.optimizerName(), t.device.String(), strconv.Itoa(r.Batch),
			i(r.Input), i(t.dataEstimate(r.Batch)), i(r.Intermediates()), i(r.ForwardBackward()), i(t.intermediateEstimate(r.Batch)),
			i(r.Peak()), i(t.peakEstimate(r.Batch)), r.PeakIn(),
			i(r.Baseline), i(r.BackwardPeak), i(r.StepPeak),
			i(r.Memory.Parameters), i(r.Memory.Gradients), i(r.Memory.OptimizerState)})
	}
	cw.Flush()
	return cw.Error()
}

// writeColumns prints cells right-aligned in columns, the last one
// left-aligned.
func writeColumns(w io.Writer, cells [][]string) {
	widths := make([]int, len(cells[0]))
	for _, r := range cells {
		for j, c := range r {
			widths[j] = max(widths[j], len(c))
		}
	}
	for _, r := range cells {
		var b strings.Builder
		for j, c := range r {
			if j == len(r)-1 {
				b.WriteString(c)
			} else {
				fmt.Fprintf(&b, "%*s  ", widths[j], c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// human writes a byte count as the tutorial does: B, KB or MB with
// 1 KB = 1024 B.
func human(n int64) string {
	switch a := max(n, -n); {
	case a < 1<<10:
		return fmt.Sprintf("%d B", n)
	case a < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	case a < 1<<30:
		return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
}

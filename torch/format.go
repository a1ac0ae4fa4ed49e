package torch

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// This file is a port of PyTorch 1.13's torch/_tensor_str.py: the layout of
// str(tensor), down to the column widths, line wrapping, summarization and
// suffixes, so that a Go program prints what the Python it was ported from
// printed. The elements are copied to Go once and formatted here; libtorch
// is only asked to cut a summarized tensor down to its edges first.

// printOptions are the fields of torch.set_printoptions that matter here.
type printOptions struct {
	precision int // digits after the point (or the mantissa's point, in sci mode)
	threshold int // more elements than this are summarized with "..."
	edgeitems int // elements kept at each end of a summarized dimension
	linewidth int // characters per line before a row wraps
}

// defaultPrintOptions is set_printoptions(profile="default").
var defaultPrintOptions = printOptions{precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80}

// String prints t as PyTorch's str(t) / print(t) does, for example
//
//	tensor([[0.4963, 0.7682, 0.0885],
//	        [0.1320, 0.3074, 0.6341]])
//
// with PyTorch's default print options (precision 4, threshold 1000, edge
// items 3, line width 80) and suffixes: the dtype when it is not float32,
// int64 or bool, the device when it is not the CPU, and requires_grad=True
// for a leaf or grad_fn=<MulBackward0> for what autograd made.
func (t *Tensor) String() string { return t.format(defaultPrintOptions) }

// Format implements fmt.Formatter so that a precision sets the digits, as
// torch.set_printoptions(precision=p) does: fmt.Sprintf("%.2v", t) prints
// 0.4963 as 0.50. The verbs %v and %s print String's layout; widths and flags
// are ignored, since the text spans lines.
func (t *Tensor) Format(f fmt.State, verb rune) {
	o := defaultPrintOptions
	if p, ok := f.Precision(); ok {
		o.precision = p
	}
	switch verb {
	case 'v', 's':
		io.WriteString(f, t.format(o))
	default:
		fmt.Fprintf(f, "%%!%c(*torch.Tensor=%s)", verb, t.format(o))
	}
}

// format is torch._tensor_str._str_intern for a plain strided tensor.
func (t *Tensor) format(o printOptions) string {
	if t == nil {
		return "<nil>"
	}
	const prefix = "tensor("
	indent := len(prefix)
	shape, dtype, device := t.Shape(), t.DType(), t.Device()

	var suffixes []string
	if device.Type != DeviceCPU {
		suffixes = append(suffixes, "device='"+device.String()+"'")
	}
	var body string
	if shape.Numel() == 0 {
		// As NumPy does, the shape is shown unless it is (0,), and the dtype
		// unless it is the default float32, since no element hints at it.
		if len(shape) != 1 {
			suffixes = append(suffixes, "size="+pyTuple(shape))
		}
		if dtype != Float32 {
			suffixes = append(suffixes, "dtype="+dtype.String())
		}
		body = "[]"
	} else {
		// PyTorch's defaults: float32, its complex twin complex64, int64, bool.
		if dtype != Float32 && dtype != Complex64 && dtype != Int64 && dtype != Bool {
			suffixes = append(suffixes, "dtype="+dtype.String())
		}
		body = t.body(shape, dtype, indent, o)
	}
	if fn := t.GradFn(); fn != "" {
		suffixes = append(suffixes, "grad_fn=<"+fn+">")
	} else if t.RequiresGrad() {
		suffixes = append(suffixes, "requires_grad=True")
	}
	return addSuffixes(prefix+body, suffixes, indent, o.linewidth)
}

// body is _tensor_str: the nested brackets of a non-empty tensor.
func (t *Tensor) body(shape Size, dtype DType, indent int, o printOptions) string {
	src := t.Detach() // the cuts below need no autograd history
	defer src.Free()

	// Only the elements that will be shown are copied to Go: with more than
	// threshold elements, every dimension longer than 2*edgeitems keeps its
	// edges (get_summarized_data), and the column width is computed from
	// those alone, as PyTorch does.
	kept := append(Size(nil), shape...)
	if shape.Numel() > int64(o.threshold) {
		edge := int64(o.edgeitems)
		for d, n := range shape {
			if n <= 2*edge {
				continue
			}
			head, tail := src.Narrow(int64(d), 0, edge), src.Narrow(int64(d), n-edge, edge)
			cut := Cat([]*Tensor{head, tail}, CatOpts{Dim: int64(d)})
			head.Free()
			tail.Free()
			src.Free()
			src, kept[d] = cut, 2*edge
		}
	}

	var elems []string
	var width int
	switch {
	case dtype.IsFloatingPoint():
		// float16 and bfloat16 widen exactly to float64, as to float32 in PyTorch.
		elems, width = formatFloats(Values[float64](src), o.precision)
	case dtype == Bool:
		elems, width = formatStrings(Values[bool](src), strconv.FormatBool, func(s string) string {
			return strings.ToUpper(s[:1]) + s[1:] // Python's True/False
		})
	case dtype.IsComplex():
		// complex32 widens exactly, as PyTorch's self.cfloat() does.
		elems, width = formatComplex(Values[complex128](src), o.precision)
	case dtype == Uint8 || dtype == Int8 || dtype == Int16 || dtype == Int32 || dtype == Int64:
		elems, width = formatStrings(Values[int64](src), func(v int64) string { return strconv.FormatInt(v, 10) }, nil)
	default:
		return "<elements of " + dtype.String() + " not printable>"
	}
	l := layout{elems: elems, width: width, shape: shape, kept: kept, o: o}
	return l.block(0, 0, indent)
}

// formatStrings is _Formatter for integer and bool tensors: str(value),
// right-aligned to the widest.
func formatStrings[T any](vals []T, str func(T) string, fix func(string) string) ([]string, int) {
	out := make([]string, len(vals))
	width := 1
	for i, v := range vals {
		s := str(v)
		if fix != nil {
			s = fix(s)
		}
		out[i] = s
		width = max(width, len(s))
	}
	return padAll(out, width), width
}

// formatFloats is _Formatter for floating tensors. From the finite non-zero
// values it picks one style for all: whole numbers print as "1.", the rest
// with precision digits, and scientific notation takes over when the largest
// is over 1e8 or over 1000 times the smallest, or (for non-whole numbers)
// the smallest is under 1e-4.
func formatFloats(vals []float64, precision int) ([]string, int) {
	intMode, sciMode, width := true, false, 1
	lo, hi, found := math.Inf(1), 0.0, false
	for _, v := range vals {
		if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		found = true
		a := math.Abs(v)
		lo, hi = min(lo, a), max(hi, a)
		if v != math.Ceil(v) {
			intMode = false
		}
	}
	if found {
		sciMode = hi/lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4)
		for _, v := range vals {
			if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			switch {
			case sciMode:
				width = max(width, len(pyFloat(v, 'e', precision)))
			case intMode:
				width = max(width, len(pyFloat(v, 'f', 0))+1) // room for the "."
			default:
				width = max(width, len(pyFloat(v, 'f', precision)))
			}
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		switch {
		case sciMode:
			out[i] = pyFloat(v, 'e', precision)
		case intMode:
			out[i] = pyFloat(v, 'f', 0)
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				out[i] += "." // so that a float tensor of whole numbers still reads as float
			}
		default:
			out[i] = pyFloat(v, 'f', precision)
		}
	}
	return padAll(out, width), width
}

// formatComplex is the pair of _Formatters PyTorch uses for a complex
// tensor, one for the real parts and one for the imaginary parts: the real
// part right-aligned to its formatter's width, then the imaginary part
// unpadded with its sign ("+" added) and a "j". The width counted for line
// wrapping is both widths and the "j".
func formatComplex(vals []complex128, precision int) ([]string, int) {
	re, im := make([]float64, len(vals)), make([]float64, len(vals))
	for i, v := range vals {
		re[i], im[i] = real(v), imag(v)
	}
	rs, rw := formatFloats(re, precision)
	is, iw := formatFloats(im, precision)
	out := make([]string, len(vals))
	for i := range vals {
		imag := strings.TrimLeft(is[i]+"j", " ")
		if imag[0] != '+' && imag[0] != '-' {
			imag = "+" + imag
		}
		out[i] = rs[i] + imag
	}
	return out, rw + iw + 1
}

// pyFloat is Python's "{:.<prec><fmt>}".format(v): Go's correctly rounded
// digits (the same as Python's, exponent with at least two digits) with
// Python's spelling of the non-finite values.
func pyFloat(v float64, verb byte, prec int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, verb, prec, 64)
}

// padAll right-aligns each string to width; longer ones stay as they are.
func padAll(ss []string, width int) []string {
	for i, s := range ss {
		if len(s) < width {
			ss[i] = strings.Repeat(" ", width-len(s)) + s
		}
	}
	return ss
}

// layout nests the formatted elements in brackets: _tensor_str_with_formatter.
type layout struct {
	elems []string // formatted elements of the kept tensor, in C order
	width int      // the formatter's column width (for complex, both formatters' and the "j")
	shape Size     // the tensor's shape
	kept  Size     // the shape of the elements kept (shape, or its edges)
	o     printOptions
}

// block formats the sub-tensor at dimension d whose first element is
// elems[off], starting at column indent.
func (l *layout) block(d, off, indent int) string {
	if d == len(l.shape) {
		return l.elems[off] // a 0-dim tensor: tensor(3.5000)
	}
	n := int(l.kept[d])
	summarized := l.kept[d] != l.shape[d]
	if d == len(l.shape)-1 {
		return l.vector(l.elems[off:off+n], summarized, indent)
	}
	stride := 1
	for _, k := range l.kept[d+1:] {
		stride *= int(k)
	}
	slices := make([]string, 0, n+1)
	for i := range n {
		if summarized && i == l.o.edgeitems {
			slices = append(slices, "...")
		}
		slices = append(slices, l.block(d+1, off+i*stride, indent+1))
	}
	// One blank line between matrices, two between 3-D blocks, ...
	sep := "," + strings.Repeat("\n", len(l.shape)-d-1) + strings.Repeat(" ", indent+1)
	return "[" + strings.Join(slices, sep) + "]"
}

// vector is _vector_str: a row, wrapped to the line width.
func (l *layout) vector(elems []string, summarized bool, indent int) string {
	data := elems
	if summarized {
		e := l.o.edgeitems
		data = append(append(append(make([]string, 0, len(elems)+1), elems[:e]...), " ..."), elems[e:]...)
	}
	perLine := max(1, (l.o.linewidth-indent)/(l.width+2)) // ", " follows each element
	var lines []string
	for i := 0; i < len(data); i += perLine {
		lines = append(lines, strings.Join(data[i:min(i+perLine, len(data))], ", "))
	}
	return "[" + strings.Join(lines, ",\n"+strings.Repeat(" ", indent+1)) + "]"
}

// addSuffixes is _add_suffixes: ", dtype=..." and the like follow the last
// line, or start a new one where they would pass the line width.
func addSuffixes(s string, suffixes []string, indent, linewidth int) string {
	var b strings.Builder
	b.WriteString(s)
	// PyTorch's count is two more than the last line's length; kept for parity.
	last := len(s) - strings.LastIndexByte(s, '\n') + 1
	for _, suf := range suffixes {
		if last+len(suf)+2 > linewidth {
			b.WriteString(",\n" + strings.Repeat(" ", indent) + suf)
			last = indent + len(suf)
		} else {
			b.WriteString(", " + suf)
			last += len(suf) + 2
		}
	}
	b.WriteString(")")
	return b.String()
}

// pyTuple prints a shape as Python's str(tuple(shape)): "(0, 3)", "(0,)".
func pyTuple(s Size) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

package main

import (
	"fmt"
	"strconv"
	"strings"
)

// binding is one operator overload as gotorch binds it: the schema the Go API
// is pinned to, and the schema each known libtorch version declares.
type binding struct {
	Op        *op               // the pinned declaration (from the newest version that has it)
	Unamb     string            // at::_ops struct name: name_overload
	Versions  map[string]string // version -> schema text, for the versions that have it
	Branches  []*schema         // distinct schemas gotorch can call with the pinned C signature
	Dropped   map[string][]int  // per branch schema text: pinned arguments that version lacks
	Kinds     []kind            // per argument of Op.S
	RetKinds  []rkind
	GoName    string
	IsMethod  bool
	InPlace   bool
	IsOut     bool
	OutArgs   []int // indices of the out= arguments (IsOut)
	OptsName  string
	OptsArgs  []int // indices of defaulted arguments, in the options struct
	Category  string
	newestVer string
}

// versions in order, oldest first; the newest pins the Go API.
type version struct {
	Name string // "1.13"
	File string
}

// exclusion is the written rule for what is not bound. It returns the reason or "".
func exclusion(o *op) string {
	n := o.S.Name
	switch {
	case strings.HasPrefix(n, "__"):
		return "dunder alias of a named op"
	case strings.HasPrefix(n, "_"):
		return "private (leading underscore)"
	case strings.Contains(n, "backward"):
		return "autograd backward"
	case strings.HasPrefix(n, "native_"):
		// the kernels behind batch_norm, layer_norm, group_norm, dropout, norm:
		// they skip the public op's checks (native_batch_norm without running
		// stats in eval mode dereferences null in libtorch 1.13)
		return "kernel behind a public op (native_*)"
	case n == "is_vulkan_available":
		// Asks the Vulkan backend, which starts the Vulkan runtime: Debian's
		// libtorch 2.6 (built with Vulkan) segfaults in it when called from a
		// Go process (Python in the same chroot answers True); a backend
		// binding, as vulkan_* below.
		return "backend internal (starts the Vulkan runtime)"
	}
	for _, p := range []string{"cudnn_", "miopen_", "mkldnn_", "fbgemm_", "quantized_", "q_", "quantize_", "dequantize", "vulkan_", "xpu_", "mps_", "sym_"} {
		if strings.HasPrefix(n, p) {
			return "backend or quantization internal (" + p + "*)"
		}
	}
	if o.Manual {
		// no at::_ops entry point in every version (get_device in 1.13)
		return "manual_cpp_binding (hand-written in libtorch's C++)"
	}
	return ""
}

// cSig is the C-level signature of a schema: equal signatures share one C function.
func cSig(s *schema) (string, []kind, []rkind, error) {
	var b strings.Builder
	var ks []kind
	for _, a := range s.Args {
		k, ok := kindOf(a.Base)
		if !ok {
			return "", nil, nil, fmt.Errorf("argument type %s", a.Base)
		}
		ks = append(ks, k)
		// Names do not cross the C ABI (can_cast's from became from_ in 2.x).
		fmt.Fprintf(&b, "%d,", k)
	}
	var rs []rkind
	nTensor, nOther := 0, 0
	for _, r := range s.Returns {
		if r.Base == "" {
			continue
		}
		k, ok := retKind(r)
		if !ok {
			return "", nil, nil, fmt.Errorf("return type %s", r.Base)
		}
		if k == rTensor || k == rAlias {
			nTensor++
		} else {
			nOther++
		}
		rs = append(rs, k)
		fmt.Fprintf(&b, "r%d,", k)
	}
	if nOther > 1 || (nOther == 1 && nTensor > 0) {
		return "", nil, nil, fmt.Errorf("mixed returns")
	}
	// An alias return must name a mutable argument.
	for _, r := range s.Returns {
		if r.Mutable && aliasArg(s, r.Alias) < 0 {
			return "", nil, nil, fmt.Errorf("return alias %s names no argument", r.Alias)
		}
	}
	return b.String(), ks, rs, nil
}

// olderPrefix reports whether an older version's schema is the pinned one
// without some trailing defaulted arguments (PyTorch adds keyword arguments
// over releases: to_dense gained masked_grad in 2.1). Such a version is called
// with the arguments it has, and only when the others hold their defaults
// (checked in C, see defaultCheck).
func olderPrefix(pinned, old *schema) ([]int, bool) {
	if len(old.Args) >= len(pinned.Args) || len(old.Returns) != len(pinned.Returns) {
		return nil, false
	}
	for i, a := range old.Args {
		p := pinned.Args[i]
		ka, okA := kindOf(a.Base)
		kp, okP := kindOf(p.Base)
		if !okA || !okP || ka != kp || a.Mutable != p.Mutable {
			return nil, false
		}
	}
	for i, r := range old.Returns {
		ka, okA := retKind(r)
		kp, okP := retKind(pinned.Returns[i])
		if !okA || !okP || ka != kp {
			return nil, false
		}
	}
	var dropped []int
	for i := len(old.Args); i < len(pinned.Args); i++ {
		k, _ := kindOf(pinned.Args[i].Base)
		if !pinned.Args[i].HasDefault || defaultCheck(k, pinned.Args[i]) == "" {
			return nil, false
		}
		dropped = append(dropped, i)
	}
	return dropped, true
}

// defaultCheck is the C condition that an argument holds its schema default, or "".
func defaultCheck(k kind, a arg) string {
	n := cArg(a.Name)
	if a.Default == "None" {
		switch k {
		case kOptTensor:
			return n + " == nullptr"
		case kOptInt, kOptFloat:
			return "!" + n + "_has"
		case kOptBool, kOptDType, kOptLayout, kOptMemFmt:
			return n + " < 0"
		case kOptScalar:
			return n + ".kind == GT_SCALAR_NONE"
		case kOptDevice:
			return n + "_type < 0"
		case kOptStr, kOptInts, kOptFloats:
			return n + "_n < 0"
		}
		return ""
	}
	switch k {
	case kBool:
		switch a.Default {
		case "False":
			return n + " == 0"
		case "True":
			return n + " != 0"
		}
	case kInt:
		if _, err := strconv.ParseInt(a.Default, 10, 64); err == nil {
			return n + " == " + a.Default
		}
	case kStr:
		if strings.HasPrefix(a.Default, "'") || strings.HasPrefix(a.Default, "\"") {
			lit := strings.Trim(a.Default, "'\"")
			return fmt.Sprintf("c10::string_view(%s, static_cast<size_t>(%s_n)) == %q", n, n, lit)
		}
	}
	return ""
}

func aliasArg(s *schema, alias string) int {
	for i, a := range s.Args {
		if a.Mutable && a.Alias == alias && a.Base == "Tensor" {
			return i
		}
	}
	return -1
}

func camel(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(s, "_") {
		if p == "" {
			continue
		}
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}

// goKeywords are renamed when they name an argument.
var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true,
	"goto": true, "if": true, "import": true, "interface": true, "map": true, "package": true,
	"range": true, "return": true, "select": true, "struct": true, "switch": true, "type": true,
	"var": true, "unsafe": true, "runtime": true, "capi": true, "math": true, "t": true, "r": true, "e": true, "o": true, "opts": true, "h": true, "n": true,
}

func goArgName(n string) string {
	c := camel(n)
	c = strings.ToLower(c[:1]) + c[1:]
	if goKeywords[c] {
		return c + "_"
	}
	return c
}

// fieldNames renames option fields where PyTorch's name reads badly as Go.
var fieldNames = map[string]string{"dtype": "DType", "keepdim": "KeepDim"}

func goFieldName(n string) string {
	if f, ok := fieldNames[n]; ok {
		return f
	}
	return camel(n)
}

// isOutFn is torchgen's rule: out= variants take their outputs as keyword-only mutable tensors.
func outArgs(s *schema) []int {
	var idx []int
	for i, a := range s.Args {
		if a.KwargOnly && a.Mutable && a.Base == "Tensor" {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 || len(idx) != len(s.Returns) {
		return nil
	}
	return idx
}

// build merges the versions into bindings and names them.
func build(perVersion map[string][]*op, order []string) ([]*binding, map[string]int) {
	newest := order[len(order)-1]
	byName := map[string]*binding{}
	var list []*binding
	skipped := map[string]int{}
	seen := map[string]bool{}
	// Newest first: it pins the API; older-only ops follow.
	for vi := len(order) - 1; vi >= 0; vi-- {
		v := order[vi]
		for _, o := range perVersion[v] {
			u := o.S.Unambiguous()
			if b, ok := byName[u]; ok {
				b.Versions[v] = o.S.Text
				continue
			}
			if seen[u] {
				continue
			}
			seen[u] = true
			if why := exclusion(o); why != "" {
				skipped[why]++
				continue
			}
			if _, _, _, err := cSig(o.S); err != nil {
				skipped["unmapped "+err.Error()]++
				continue
			}
			b := &binding{Op: o, Unamb: u, Versions: map[string]string{v: o.S.Text}, newestVer: v}
			byName[u] = b
			list = append(list, b)
		}
	}
	_ = newest
	for _, b := range list {
		pinned, ks, rs, _ := cSig(b.Op.S)
		b.Kinds, b.RetKinds = ks, rs
		for i, a := range b.Op.S.Args {
			if a.Name == "reduction" && ks[i] == kInt {
				b.Kinds[i] = kReduction
			}
		}
		texts := map[string]bool{}
		for _, v := range order {
			t, ok := b.Versions[v]
			if !ok || texts[t] {
				continue
			}
			s, err := parseSchema(t)
			if err != nil {
				continue
			}
			if sig, _, _, err := cSig(s); err == nil && sig == pinned {
				texts[t] = true
				b.Branches = append(b.Branches, s)
			} else if dropped, ok := olderPrefix(b.Op.S, s); ok {
				texts[t] = true
				b.Branches = append(b.Branches, s)
				if b.Dropped == nil {
					b.Dropped = map[string][]int{}
				}
				b.Dropped[t] = dropped
			}
		}
		b.OutArgs = outArgs(b.Op.S)
		b.IsOut = b.OutArgs != nil
		b.InPlace = strings.HasSuffix(b.Op.S.Name, "_")
	}
	name(list)
	return list, skipped
}

// name applies the one naming rule (docs/porting.md, "Names").
func name(list []*binding) {
	// The primary overload of each name (add, add_): "" if declared, else "Tensor",
	// else the first non-out overload in native_functions.yaml's order that is not
	// "Scalar" (which always reads XScalar).
	primary := map[string]string{}
	hasPrimary := map[string]bool{}
	pick := func(want func(ov string) bool) {
		for _, b := range list {
			n := b.Op.S.Name
			if b.IsOut || hasPrimary[n] || !want(b.Op.S.Overload) {
				continue
			}
			primary[n], hasPrimary[n] = b.Op.S.Overload, true
		}
	}
	pick(func(ov string) bool { return ov == "" })
	pick(func(ov string) bool { return ov == "Tensor" })
	pick(func(ov string) bool { return ov != "Scalar" })
	taken := map[string]*binding{}
	for _, b := range list {
		s := b.Op.S
		root := strings.TrimSuffix(s.Name, "_")
		base := camel(root)
		var suffix string
		switch {
		case b.IsOut:
			if s.Overload == "out" || s.Overload == "" {
				suffix = "Out"
			} else {
				suffix = camel(s.Overload)
				if !strings.HasSuffix(suffix, "Out") {
					suffix += "Out"
				}
			}
		case s.Overload == primary[s.Name]:
			suffix = ""
		case s.Overload == "dim" || s.Overload == "dim_IntList":
			suffix = "Dim"
		default:
			suffix = camel(s.Overload)
		}
		b.IsMethod = b.Op.Method && len(s.Args) > 0 && s.Args[0].Name == "self" && s.Args[0].Base == "Tensor" && !b.IsOut
		tail := ""
		if b.InPlace {
			tail = "_"
		}
		goName := base + suffix + tail
		key := func(n string) string {
			if b.IsMethod {
				return "m." + n
			}
			return "f." + n
		}
		if other, ok := taken[key(goName)]; ok {
			// Two overloads read the same: the later one spells its overload in full.
			goName = base + camel(s.Overload) + tail
			if _, ok := taken[key(goName)]; ok || other == b {
				goName = base + camel(s.Overload) + "Overload" + tail
			}
		}
		taken[key(goName)] = b
		b.GoName = goName
		for i, a := range s.Args {
			if a.HasDefault && !(b.IsMethod && i == 0) {
				b.OptsArgs = append(b.OptsArgs, i)
			}
		}
		b.Category = category(b)
	}
}

func category(b *binding) string {
	switch {
	case b.IsOut:
		return "out= variants"
	case b.InPlace:
		return "in-place methods"
	}
	switch b.Op.Module {
	case "nn":
		return "torch.nn.functional"
	case "linalg":
		return "torch.linalg"
	case "fft":
		return "torch.fft"
	case "special":
		return "torch.special"
	case "sparse", "nested":
		return "torch." + b.Op.Module
	}
	if b.IsMethod {
		return "tensor methods"
	}
	return "torch functions"
}

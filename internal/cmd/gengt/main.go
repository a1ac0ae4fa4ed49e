// Command gengt generates gotorch's ATen operator surface from PyTorch's own
// operator schemas (native_functions.yaml of each libtorch version in gen/pytorch):
//
//   - cgo/ops_gen.h and cgo/ops_gen_N.cpp: one C function per operator overload,
//     whose body calls at::_ops::<name>_<overload>::call when the libtorch it is
//     compiled against declares a schema gotorch knows, and otherwise returns an
//     error naming the operator and the version (one source builds everywhere);
//   - torch/internal/capi/ops_gen.go: the cgo calls, with their noescape/nocallback
//     directives;
//   - torch/ops_gen.go: the public functions and methods, named by the rule in
//     docs/porting.md ("Names").
//
// Run it with go generate ./torch (see torch/generate.go). The newest version pins
// the Go API; older versions add the operators they alone have. gen/names.yaml is
// the one hand-kept list: Go names that hand-written code owns.
package main

import (
	"crypto/sha256"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// cppParts is how many .cpp files the bodies are split into (parallel compilation).
const cppParts = 4

type names struct {
	// Hand lists Go names ("Tensor.Size", "Zeros") that hand-written code defines;
	// the generator leaves those operators out of torch/ops_gen.go (they stay in capi).
	Hand []string `yaml:"hand"`
}

func main() {
	root := pflag.String("root", ".", "the repository root")
	check := pflag.Bool("check", false, "compare with the files on disk instead of writing them; exit 1 on a difference")
	pflag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gengt:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	vers := []version{
		{"1.13", "gen/pytorch/native_functions-1.13.yaml"},
		{"2.6", "gen/pytorch/native_functions-2.6.yaml"},
		{"2.14", "gen/pytorch/native_functions-2.14.yaml"},
	}
	per := map[string][]*op{}
	var order []string
	for _, v := range vers {
		ops, err := loadYAML(filepath.Join(root, v.File))
		if err != nil {
			return err
		}
		per[v.Name] = ops
		order = append(order, v.Name)
	}
	var nm names
	data, err := os.ReadFile(filepath.Join(root, "gen/names.yaml"))
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, &nm); err != nil {
		return fmt.Errorf("gen/names.yaml: %w", err)
	}
	hand := map[string]bool{}
	for _, h := range nm.Hand {
		hand[h] = true
	}
	bs, skipped := build(per, order)
	verText := "PyTorch " + strings.Join(order, ", ")

	g := &goEmitter{opts: map[string]string{}, optsDoc: map[string][]string{}, optsDef: map[string][]field{}, vers: order}
	var public []*binding
	counts := map[string]int{}
	usedHand := map[string]bool{}
	for _, b := range bs {
		key := b.GoName
		if b.IsMethod {
			key = "Tensor." + key
		}
		if hand[key] {
			usedHand[key] = true
			counts["hand-written in Go (gen/names.yaml)"]++
			continue
		}
		if !g.emitFunc(b) {
			counts["default not writable in Go"]++
			continue
		}
		public = append(public, b)
		counts[b.Category]++
	}
	for _, h := range nm.Hand {
		if !usedHand[h] {
			return fmt.Errorf("gen/names.yaml: %s names no generated operator", h)
		}
	}
	var pub strings.Builder
	fmt.Fprintf(&pub, goHeader, verText)
	body := g.optsDecls() + g.w.String()
	imports := "\t\"runtime\"\n"
	if strings.Contains(body, "math.") { // an inf default
		imports = "\t\"math\"\n" + imports
	}
	pub.WriteString("package torch\n\nimport (\n" + imports + "\n\t\"github.com/seed0eaa3131/gotorch/torch/internal/capi\"\n)\n\n")
	pub.WriteString(body)

	files := map[string]string{
		"cgo/ops_gen.h":                  emitCHeader(bs, verText),
		"torch/internal/capi/ops_gen.go": emitCapi(bs, verText),
		"torch/ops_gen.go":               pub.String(),
	}
	parity, nParity := emitParity(public, verText)
	files["torch/ops_parity_gen_test.go"] = parity
	for p := 0; p < cppParts; p++ {
		files[fmt.Sprintf("cgo/ops_gen_%d.cpp", p)] = emitCpp(bs, verText, p, cppParts)
	}
	for p, src := range files {
		if strings.HasSuffix(p, ".go") {
			out, err := format.Source([]byte(src))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			files[p] = string(out)
		}
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	stale := false
	for _, p := range paths {
		full := filepath.Join(root, p)
		if check {
			have, err := os.ReadFile(full)
			if err != nil || string(have) != files[p] {
				fmt.Fprintf(os.Stderr, "gengt: %s is not what the generator writes: run go generate ./torch\n", p)
				stale = true
			}
			continue
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o644); err != nil {
			return err
		}
	}
	if stale {
		return fmt.Errorf("generated files are stale")
	}
	if !check {
		report(bs, public, counts, skipped, order)
		fmt.Printf("gengt: %d operators in the parity table\n", nParity)
	}
	return nil
}

// opsHash identifies the generated C ABI: the C declarations, hashed.
func opsHash(bs []*binding) string {
	h := sha256.New()
	for _, b := range bs {
		h.Write([]byte(cDecl(b) + "\n"))
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}

func report(bs, public []*binding, counts, skipped map[string]int, order []string) {
	fmt.Printf("gengt: %d operator overloads in the C ABI, %d public Go functions and methods\n", len(bs), len(public))
	keys := func(m map[string]int) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	for _, k := range keys(counts) {
		fmt.Printf("  %-40s %5d\n", k, counts[k])
	}
	only := map[string]int{}
	for _, b := range public {
		for _, v := range order {
			t, ok := b.Versions[v]
			callable := false
			for _, s := range b.Branches {
				callable = callable || s.Text == t
			}
			switch {
			case !ok:
				only["not in libtorch "+v]++
			case !callable:
				only["another schema in libtorch "+v]++
			case b.Dropped[t] != nil:
				only["callable in "+v+" without newer arguments"]++
			}
		}
	}
	for _, k := range keys(only) {
		fmt.Printf("  %-40s %5d\n", k, only[k])
	}
	fmt.Println("gengt: left out by the rule:")
	for _, k := range keys(skipped) {
		fmt.Printf("  %-60s %5d\n", k, skipped[k])
	}
}

package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// entry is one operator of native_functions.yaml, as far as the generator needs it.
type entry struct {
	Func         string `yaml:"func"`
	Variants     string `yaml:"variants"`
	PythonModule string `yaml:"python_module"`
	Tags         any    `yaml:"tags"`
	ManualCpp    bool   `yaml:"manual_cpp_binding"`
}

// arg is one argument of a schema.
type arg struct {
	Type       string // as written, e.g. "Tensor(a!)", "int[1]?", "SymInt[]"
	Base       string // Type without alias annotations: "Tensor", "int[1]?", "SymInt[]"
	Name       string
	Default    string // "" when none; "None" for None
	HasDefault bool
	KwargOnly  bool
	Mutable    bool   // Tensor(a!)
	Alias      string // the alias set, "a" of Tensor(a!) or Tensor(a)
}

// ret is one return value.
type ret struct {
	Base    string
	Name    string
	Alias   string
	Mutable bool
}

// schema is a parsed operator schema: name.overload(args) -> returns.
type schema struct {
	Text     string
	Name     string // "add_", "__and__"
	Overload string // "Tensor", "" for the default overload
	Args     []arg
	Returns  []ret
}

// Unambiguous is torchgen's name of the op's C++ struct in at::_ops: name_overload.
func (s *schema) Unambiguous() string {
	if s.Overload == "" {
		return s.Name
	}
	return s.Name + "_" + s.Overload
}

// FullName is aten::name.overload.
func (s *schema) FullName() string {
	if s.Overload == "" {
		return "aten::" + s.Name
	}
	return "aten::" + s.Name + "." + s.Overload
}

var annotRE = regexp.MustCompile(`^Tensor\(([a-z0-9]+)(!?)(?: -> [^)]*)?\)`)

// splitTop splits s at commas outside brackets and quotes.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// parseType strips the alias annotation of a Tensor type.
func parseType(t string) (base, alias string, mutable bool) {
	if m := annotRE.FindStringSubmatchIndex(t); m != nil {
		alias = t[m[2]:m[3]]
		mutable = m[5] > m[4]
		return "Tensor" + t[m[1]:], alias, mutable
	}
	return t, "", false
}

func parseSchema(text string) (*schema, error) {
	s := &schema{Text: text}
	open := strings.IndexByte(text, '(')
	arrow := strings.LastIndex(text, " -> ")
	if open < 0 || arrow < 0 {
		return nil, fmt.Errorf("schema %q: no argument list or no return", text)
	}
	full := text[:open]
	if dot := strings.IndexByte(full, '.'); dot >= 0 {
		s.Name, s.Overload = full[:dot], full[dot+1:]
	} else {
		s.Name = full
	}
	argText := text[open+1 : strings.LastIndex(text[:arrow], ")")]
	kw := false
	for _, a := range splitTop(argText) {
		if a == "*" {
			kw = true
			continue
		}
		left, def, hasDef := a, "", false
		if eq := strings.IndexByte(a, '='); eq >= 0 {
			left, def, hasDef = a[:eq], a[eq+1:], true
		}
		sp := strings.LastIndexByte(left, ' ')
		if sp < 0 {
			return nil, fmt.Errorf("schema %q: argument %q", text, a)
		}
		ar := arg{Type: left[:sp], Name: left[sp+1:], Default: def, HasDefault: hasDef, KwargOnly: kw}
		typ := ar.Type
		ar.Base, ar.Alias, ar.Mutable = parseType(typ)
		s.Args = append(s.Args, ar)
	}
	rt := strings.TrimSpace(text[arrow+4:])
	if strings.HasPrefix(rt, "(") {
		rt = rt[1 : len(rt)-1]
	}
	for _, r := range splitTop(rt) {
		typ, name := r, ""
		if sp := strings.LastIndexByte(r, ' '); sp >= 0 && !strings.Contains(r[sp:], ")") {
			typ, name = r[:sp], r[sp+1:]
		}
		var rr ret
		rr.Base, rr.Alias, rr.Mutable = parseType(typ)
		rr.Name = name
		s.Returns = append(s.Returns, rr)
	}
	return s, nil
}

// op is one operator as one PyTorch version declares it.
type op struct {
	S        *schema
	Method   bool
	Function bool
	Module   string // python_module: "", "nn", "linalg", "fft", "special", ...
	Order    int    // position in native_functions.yaml
	Manual   bool   // manual_cpp_binding
}

func loadYAML(path string) ([]*op, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var entries []entry
	if err := yaml.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var ops []*op
	for i, e := range entries {
		s, err := parseSchema(e.Func)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		o := &op{S: s, Module: e.PythonModule, Order: i, Manual: e.ManualCpp}
		v := e.Variants
		if v == "" {
			v = "function"
		}
		for _, x := range strings.Split(v, ",") {
			switch strings.TrimSpace(x) {
			case "method":
				o.Method = true
			case "function":
				o.Function = true
			}
		}
		ops = append(ops, o)
	}
	return ops, nil
}

// Package docs_test keeps docs/porting.md honest: every Go snippet in the
// guide is checked against the Example function the guide names for it.
package docs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snippet is one ```go block of the guide and the Example named after it.
type snippet struct {
	line    int    // where the block starts in porting.md, from 1
	code    string // the block, its fence's indentation removed
	example string // ExampleNewMNIST
	pkg     string // vision/datasets, from the repository's root
}

var (
	fence  = regexp.MustCompile("^\\s*```(\\w*)\\s*$")
	runsAs = regexp.MustCompile("Runs as `(Example\\w*)` in `([\\w/-]+)`")
	// A top-level declaration in a snippet: type X, func X(, func (m *T) X(.
	declStart = regexp.MustCompile(`^(?:type (\w+)|func (?:\(\w* ?\*?(\w+)\) )?(\w+)\()`)
)

// snippets reads the guide's Go blocks. A block belongs to the first "Runs
// as `ExampleX` in `pkg`" that follows it with nothing but other Go blocks
// and blank lines in between (section 5 shows a type and its use in two
// blocks). A block that belongs to none is returned with no example.
func snippets(t *testing.T, path string) []snippet {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	var out []snippet
	var pending []int // indices into out still waiting for their Example
	for i := 0; i < len(lines); i++ {
		if m := fence.FindStringSubmatch(lines[i]); m != nil {
			indent := lines[i][:strings.Index(lines[i], "`")]
			start := i
			var body []string
			for i++; i < len(lines) && fence.FindStringSubmatch(lines[i]) == nil; i++ {
				body = append(body, strings.TrimPrefix(lines[i], indent))
			}
			if m[1] != "go" {
				pending = nil
				continue
			}
			out = append(out, snippet{line: start + 1, code: strings.Join(body, "\n")})
			pending = append(pending, len(out)-1)
			continue
		}
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		if m := runsAs.FindStringSubmatch(lines[i]); m != nil {
			for _, k := range pending {
				out[k].example, out[k].pkg = m[1], m[2]
			}
		}
		pending = nil
	}
	return out
}

// normalize drops blank lines and trims and collapses the white space of
// the others: gofmt's alignment of comments differs between a snippet and
// its Example. An Example's "// Output:" heading goes, and a one-line
// "// Output: X" becomes "// X", the way the guide shows output.
func normalize(src string) []string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if rest, ok := strings.CutPrefix(l, "// Output:"); ok {
			l = strings.TrimSpace(rest)
			if l != "" {
				l = "// " + l
			}
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// missing returns the first line of want that does not appear in have after
// the previous one matched ("" when all appear, in order).
func missing(want, have []string) string {
	j := 0
	for _, w := range want {
		for j < len(have) && have[j] != w {
			j++
		}
		if j == len(have) {
			return w
		}
		j++
	}
	return ""
}

// pkgSource is a package folder's parsed Go files, tests included.
type pkgSource struct {
	fset  *token.FileSet
	files []*ast.File
	src   map[*ast.File][]byte
}

func parsePackage(t *testing.T, dir string) *pkgSource {
	t.Helper()
	p := &pkgSource{fset: token.NewFileSet(), src: map[*ast.File][]byte{}}
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no Go files in %s", dir)
	for _, path := range paths {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		f, err := parser.ParseFile(p.fset, path, src, parser.ParseComments)
		require.NoError(t, err)
		p.files = append(p.files, f)
		p.src[f] = src
	}
	return p
}

// text is a node's source.
func (p *pkgSource) text(f *ast.File, from, to token.Pos) string {
	return string(p.src[f][p.fset.Position(from).Offset:p.fset.Position(to).Offset])
}

// example finds the func named name and returns its body (the source
// between its braces, comments and Output included) and the declarations of
// the Go package it is in (package models_test apart from package models):
// types by name, funcs by name, methods as Type.Method.
func (p *pkgSource) example(name string) (body string, decls map[string]string, ok bool) {
	var pkg string
	for _, f := range p.files {
		for _, d := range f.Decls {
			if fn, isFn := d.(*ast.FuncDecl); isFn && fn.Recv == nil && fn.Name.Name == name {
				body, pkg, ok = p.text(f, fn.Body.Lbrace+1, fn.Body.Rbrace), f.Name.Name, true
			}
		}
	}
	if !ok {
		return "", nil, false
	}
	decls = map[string]string{}
	for _, f := range p.files {
		if f.Name.Name != pkg {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				key := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					typ := d.Recv.List[0].Type
					if star, isStar := typ.(*ast.StarExpr); isStar {
						typ = star.X
					}
					if id, isID := typ.(*ast.Ident); isID {
						key = id.Name + "." + key
					}
				}
				decls[key] += p.text(f, d.Pos(), d.End()) + "\n"
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, isType := s.(*ast.TypeSpec); isType {
						decls[ts.Name.Name] += "type " + p.text(f, ts.Pos(), ts.End()) + "\n"
					}
				}
			}
		}
	}
	return body, decls, true
}

// split separates a snippet's top-level declarations (a type, a func, a
// method: from a line that starts one at the left margin to the closing
// brace at the left margin) from its statements, which belong in the
// Example's body.
func split(code string) (decls map[string][]string, stmts []string) {
	decls = map[string][]string{}
	lines := strings.Split(code, "\n")
	for i := 0; i < len(lines); i++ {
		m := declStart.FindStringSubmatch(lines[i])
		if m == nil {
			stmts = append(stmts, lines[i])
			continue
		}
		name := m[1] + m[3]
		if m[2] != "" {
			name = m[2] + "." + m[3]
		}
		var decl []string
		for ; i < len(lines); i++ {
			decl = append(decl, lines[i])
			if lines[i] == "}" || (len(decl) == 1 && strings.HasSuffix(lines[i], "}")) {
				break
			}
		}
		decls[name] = append(decls[name], strings.Join(decl, "\n"))
	}
	return decls, stmts
}

// TestPortingSnippetsMatchExamples: each Go snippet of docs/porting.md
// appears in the Example the guide names next to it: every non-blank line,
// white space collapsed, in order, in the Example's body (its Output
// comment included); a type or func the snippet declares, in the same
// package's declaration of that name (or in the Example's body). So the
// guide cannot drift from code that go test runs.
func TestPortingSnippetsMatchExamples(t *testing.T) {
	all := snippets(t, "porting.md")
	require.Greater(t, len(all), 20, "the guide's Go blocks")
	pkgs := map[string]*pkgSource{}
	for _, s := range all {
		if s.example == "" {
			// Only the import block at the top may stand alone: its packages
			// must exist.
			if assert.True(t, strings.HasPrefix(strings.TrimSpace(s.code), "import ("),
				"porting.md:%d: a Go snippet without a \"Runs as `ExampleX` in `pkg`\" after it", s.line) {
				for _, m := range regexp.MustCompile(`"github.com/seed0eaa3131/gotorch/([\w/]+)"`).FindAllStringSubmatch(s.code, -1) {
					assert.DirExists(t, filepath.Join("..", m[1]), "porting.md:%d imports %s", s.line, m[1])
				}
			}
			continue
		}
		p := pkgs[s.pkg]
		if p == nil {
			p = parsePackage(t, filepath.Join("..", filepath.FromSlash(s.pkg)))
			pkgs[s.pkg] = p
		}
		body, pkgDecls, ok := p.example(s.example)
		if !assert.True(t, ok, "porting.md:%d: no func %s in %s", s.line, s.example, s.pkg) {
			continue
		}
		decls, stmts := split(s.code)
		if w := missing(normalize(strings.Join(stmts, "\n")), normalize(body)); w != "" {
			t.Errorf("porting.md:%d: %s in %s lacks this line of the snippet (or has it out of order):\n\t%s", s.line, s.example, s.pkg, w)
		}
		for name, ds := range decls {
			src, ok := pkgDecls[name]
			if !ok {
				src = body // a type declared inside the Example
			}
			for _, d := range ds {
				if w := missing(normalize(d), normalize(src)); w != "" {
					t.Errorf("porting.md:%d: %s's %s in %s lacks this line of the snippet:\n\t%s", s.line, s.example, name, s.pkg, w)
				}
			}
		}
	}
}

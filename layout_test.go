package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// stages lists the stage packages under convert/, in data order. A stage
// imports only the stages before it and shared packages; a shared package
// (any other package under convert/) imports only shared packages; convert
// itself sits on top and may import any of them. A listed stage that does
// not exist yet is fine.
var stages = []string{"fetch", "feed", "fulltext", "body", "frontmatter", "folder", "images"}

// The size limits of docs/internals.md and STYLE.md.
const (
	maxFileLines = 500
	maxFuncLines = 80
)

// layoutRule is one rule: it returns its violations, one "file:line: what"
// line each.
type layoutRule struct {
	name  string
	check func(*layoutTree) []string
}

// layoutRules are the rules TestLayout holds, one subtest each. Only the
// last, exports, type-checks the module; the others read its syntax.
var layoutRules = []layoutRule{
	{"imports", checkImports},
	{"package-docs", checkPackageDocs},
	{"file-lengths", checkFileLengths},
	{"func-lengths", checkFuncLengths},
	{"exports", checkExports},
}

// TestLayout holds the package layout of the module: imports run one way
// down the stages, every package says what it is, files and functions stay
// small, and nothing is exported that only its own package uses.
func TestLayout(t *testing.T) {
	tree, err := loadLayoutTree(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range layoutRules {
		t.Run(r.name, func(t *testing.T) {
			for _, v := range r.check(tree) {
				t.Error(v)
			}
		})
	}
}

// checkLayout returns the violations of every layout rule in the module at
// root; a tree it cannot read is one violation too.
func checkLayout(root string) []string {
	return checkLayoutRules(root, layoutRules)
}

// checkLayoutRules returns the violations of rules in the module at root.
func checkLayoutRules(root string, rules []layoutRule) []string {
	tree, err := loadLayoutTree(root)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, r := range rules {
		out = append(out, r.check(tree)...)
	}
	return out
}

// layoutTree is every non-test Go file of a module, parsed, whatever its
// build constraints, grouped by package.
type layoutTree struct {
	root   string // absolute, symlinks resolved
	module string // the module path of root/go.mod
	fset   *token.FileSet
	pkgs   []*layoutPkg
}

// layoutPkg is the non-test files of one directory.
type layoutPkg struct {
	dir   string // slash-separated, relative to the root; "." for the root
	path  string // import path
	name  string
	files []*layoutFile
}

// layoutFile is one parsed file.
type layoutFile struct {
	name string // slash-separated, relative to the root
	ast  *ast.File
}

// loadLayoutTree parses the non-test Go files of the module at root, as the
// go command sees them: no testdata, vendor, dot or underscore directories,
// no nested modules, no "//go:build ignore" files.
func loadLayoutTree(root string) (*layoutTree, error) {
	abs, err := filepath.Abs(root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, err
	}
	mod, err := modulePath(filepath.Join(abs, "go.mod"))
	if err != nil {
		return nil, err
	}
	tree := &layoutTree{root: abs, module: mod, fset: token.NewFileSet()}
	byDir := map[string]*layoutPkg{}
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != abs && skipDir(p, name) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		f, err := parser.ParseFile(tree.fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if buildIgnored(f) {
			return nil
		}
		rel, err := filepath.Rel(abs, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		dir := path.Dir(rel)
		pkg := byDir[dir]
		if pkg == nil {
			pkg = &layoutPkg{dir: dir, path: path.Join(mod, dir), name: f.Name.Name}
			byDir[dir] = pkg
			tree.pkgs = append(tree.pkgs, pkg)
		}
		pkg.files = append(pkg.files, &layoutFile{name: rel, ast: f})
		return nil
	})
	return tree, err
}

// skipDir reports whether the go command leaves the directory p out of the
// module's packages.
func skipDir(p, name string) bool {
	if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return true
	}
	_, err := os.Stat(filepath.Join(p, "go.mod"))
	return err == nil
}

// modulePath returns the module path that the go.mod file at name declares.
func modulePath(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			rest = strings.TrimSpace(rest)
			if u, err := strconv.Unquote(rest); err == nil {
				rest = u
			}
			return rest, nil
		}
	}
	return "", fmt.Errorf("%s: no module line", name)
}

// buildIgnored reports whether f carries "//go:build ignore", the way a
// generator program in a library directory stays out of the package.
func buildIgnored(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if strings.TrimSpace(c.Text) == "//go:build ignore" {
				return true
			}
		}
	}
	return false
}

// at formats pos as "file:line", the file relative to the root.
func (t *layoutTree) at(pos token.Pos) string {
	p := t.fset.Position(pos)
	return t.rel(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// rel returns the absolute file name relative to the root, slash-separated.
func (t *layoutTree) rel(name string) string {
	if r, err := filepath.Rel(t.root, name); err == nil {
		return filepath.ToSlash(r)
	}
	return name
}

// The roles of a package in the import rule; a stage's role is its index
// in stages.
const (
	roleOutside      = -3 // not under convert/
	roleOrchestrator = -2 // convert itself
	roleShared       = -1 // under convert/, not a stage
)

// role returns the role of the package with import path ip. A package
// below a stage (convert/feed/rss) belongs to that stage.
func (t *layoutTree) role(ip string) int {
	top := t.module + "/convert"
	if ip == top {
		return roleOrchestrator
	}
	rest, ok := strings.CutPrefix(ip, top+"/")
	if !ok {
		return roleOutside
	}
	first, _, _ := strings.Cut(rest, "/")
	for i, s := range stages {
		if s == first {
			return i
		}
	}
	return roleShared
}

// checkImports holds rule 1: under convert/, imports run one way, from
// convert down the stages in order to the shared packages, and the library
// has no flags and never exits.
func checkImports(t *layoutTree) []string {
	var out []string
	for _, p := range t.pkgs {
		from := t.role(p.path)
		if from == roleOutside {
			continue
		}
		for _, f := range p.files {
			for _, spec := range f.ast.Imports {
				ip, err := strconv.Unquote(spec.Path.Value)
				if err != nil {
					continue
				}
				if why := t.importViolation(p, from, ip); why != "" {
					out = append(out, t.at(spec.Pos())+": "+why)
				}
			}
			out = append(out, t.exits(p, f)...)
		}
	}
	return out
}

// importViolation says what is wrong with package p, of role from,
// importing ip, or returns "".
func (t *layoutTree) importViolation(p *layoutPkg, from int, ip string) string {
	to := t.role(ip)
	switch {
	case ip == t.module:
		return fmt.Sprintf("%s imports the main package %s", p.path, ip)
	case ip == "flag":
		return fmt.Sprintf("%s imports flag: the library has no flags, main parses them (STYLE.md)", p.path)
	case to == roleOutside || from == roleOrchestrator:
		return ""
	case from == roleShared && to != roleShared:
		return fmt.Sprintf("shared package %s imports %s: a shared package imports only other shared packages", p.path, ip)
	case from >= 0 && to == roleOrchestrator:
		return fmt.Sprintf("stage %s imports %s: imports run one way, from convert down the stages", p.path, ip)
	case from >= 0 && to > from:
		return fmt.Sprintf("stage %s imports %s, a later stage (order: %s)", p.path, ip, strings.Join(stages, ", "))
	}
	return ""
}

// exits reports the uses of os.Exit and log.Fatal* in f: the library
// returns errors and main chooses the exit code (STYLE.md).
func (t *layoutTree) exits(p *layoutPkg, f *layoutFile) []string {
	names := map[string]string{} // local package name → import path
	for _, spec := range f.ast.Imports {
		ip, _ := strconv.Unquote(spec.Path.Value)
		if ip != "os" && ip != "log" {
			continue
		}
		local := ip
		if spec.Name != nil {
			local = spec.Name.Name
		}
		names[local] = ip
	}
	var out []string
	ast.Inspect(f.ast, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || x.Obj != nil { // x.Obj is set for a local variable
			return true
		}
		ip, name := names[x.Name], sel.Sel.Name
		if (ip == "os" && name == "Exit") || (ip == "log" && strings.HasPrefix(name, "Fatal")) {
			out = append(out, fmt.Sprintf("%s: %s uses %s.%s: the library returns errors, main exits (STYLE.md)",
				t.at(sel.Pos()), p.path, ip, name))
		}
		return true
	})
	return out
}

// checkPackageDocs holds rule 2: every package has a doc comment on one of
// its files, "// Package name ..." or, for main, "// Command name ...".
func checkPackageDocs(t *layoutTree) []string {
	var out []string
	for _, p := range t.pkgs {
		want, hint := "Package "+p.name, "// Package "+p.name+" ..."
		if p.name == "main" {
			want, hint = "Command ", "// Command name ..."
		}
		found := false
		for _, f := range p.files {
			if f.ast.Doc == nil {
				continue
			}
			rest, ok := strings.CutPrefix(f.ast.Doc.Text(), want)
			if ok && (p.name == "main" || rest == "" || strings.ContainsRune(" \n.,:;", rune(rest[0]))) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("%s: package %s (%s) has no doc comment %q on any file",
				t.at(p.files[0].ast.Package), p.name, p.dir, hint))
		}
	}
	return out
}

// checkFileLengths holds rule 3: no non-test file over maxFileLines lines.
// Generated files are exempt.
func checkFileLengths(t *layoutTree) []string {
	var out []string
	for _, p := range t.pkgs {
		for _, f := range p.files {
			if ast.IsGenerated(f.ast) {
				continue
			}
			if n := t.fset.File(f.ast.Package).LineCount(); n > maxFileLines {
				out = append(out, fmt.Sprintf("%s:%d: %d lines, over %d: split the file",
					f.name, maxFileLines+1, n, maxFileLines))
			}
		}
	}
	return out
}

// checkFuncLengths holds rule 4: no function or method over maxFuncLines
// lines, from its func line to its closing brace, unless its doc comment
// says why ("long because ..."). Generated files are exempt.
func checkFuncLengths(t *layoutTree) []string {
	var out []string
	for _, p := range t.pkgs {
		for _, f := range p.files {
			if ast.IsGenerated(f.ast) {
				continue
			}
			for _, d := range f.ast.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				n := t.fset.Position(fd.Body.Rbrace).Line - t.fset.Position(fd.Pos()).Line + 1
				if n > maxFuncLines && !saysLongBecause(fd.Doc) {
					out = append(out, fmt.Sprintf("%s: func %s is %d lines, over %d: split it, or say why in its doc comment (\"long because ...\")",
						t.at(fd.Pos()), funcName(fd), n, maxFuncLines))
				}
			}
		}
	}
	return out
}

// saysLongBecause reports whether the doc comment explains a long function.
func saysLongBecause(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	text := strings.Join(strings.Fields(strings.ToLower(doc.Text())), " ")
	return strings.Contains(text, "long because")
}

// funcName returns "Name" or, for a method, "Type.Name".
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
			continue
		case *ast.IndexExpr:
			typ = x.X
			continue
		case *ast.IndexListExpr:
			typ = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// sortedLines returns "file:line: what" lines sorted by file, then line.
func sortedLines(lines []string) []string {
	key := func(s string) (string, int) {
		file, rest, _ := strings.Cut(s, ":")
		num, _, _ := strings.Cut(rest, ":")
		n, _ := strconv.Atoi(num)
		return file, n
	}
	sort.SliceStable(lines, func(i, j int) bool {
		fi, li := key(lines[i])
		fj, lj := key(lines[j])
		if fi != fj {
			return fi < fj
		}
		return li < lj
	})
	return lines
}

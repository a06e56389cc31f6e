package main

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// layoutFixture is a small module feed2md that keeps every layout rule, and
// brushes against each: a method used only through an interface (one in
// sight, one known by name: Unwrap), a type used only as a value, a name
// used only on Windows, a 500-line file, an 80-line function, a long
// function that says why, and files the rules do not cover (tests,
// testdata, "//go:build ignore").
var layoutFixture = map[string]string{
	"go.mod": "module feed2md\n\ngo 1.26\n",
	"main.go": `// Command feed2md is a fake for the layout test.
package main

import (
	"feed2md/convert"
	"feed2md/convert/fetch"
)

func main() { convert.Run(fetch.Default) }
`,
	"convert/convert.go": `// Package convert is the orchestrator.
package convert

import (
	"fmt"

	"feed2md/convert/arena"
	"feed2md/convert/body"
	"feed2md/convert/fetch"
)

// opener is what convert needs of a source; fetch.Source satisfies it.
type opener interface{ Open() string }

// Run fetches and renders.
func Run(url string) {
	var o opener = fetch.Source{}
	fmt.Println(o.Open(), body.Render(fetch.Get(url)), arena.Make().N)
}

var _ error = fetch.StatusError{}

// API is the library's API: convert's exports are not checked.
func API() {}
`,
	"convert/convert_windows.go": "package convert\n\nimport \"feed2md/convert/arena\"\n\nvar _ = arena.WindowsOnly\n",
	"convert/convert_test.go":    "package convert\n\nimport (\n\t\"flag\"\n\t\"os\"\n)\n\nfunc init() { flag.Parse(); os.Exit(0) }\n" + funcOf("testLong", "", 90),
	"convert/gen.go":             "//go:build ignore\n\npackage main\n\nimport (\n\t\"flag\"\n\t\"os\"\n)\n\nfunc main() { flag.Parse(); os.Exit(0) }\n",
	"convert/testdata/bad.go":    "package bad\n\nimport \"flag\"\n\nvar _ = flag.Parse\n",
	"convert/fetch/fetch.go": `// Package fetch gets pages.
package fetch

import "feed2md/convert/arena"

// Default is the URL main passes.
const Default = "http://example.com"

// Page is a fetched page.
type Page struct{ Data string }

// String satisfies fmt.Stringer.
func (p Page) String() string { return p.Data }

// Source opens; convert calls Open through an interface only.
type Source struct{}

// Open returns a name.
func (Source) Open() string { return arena.Name }

// Get fetches url.
func Get(url string) Page { return Page{Data: url} }

// StatusError is an error; errors.Unwrap alone calls its Unwrap.
type StatusError struct{}

// Error satisfies error.
func (StatusError) Error() string { return "status" }

// Unwrap returns nil.
func (StatusError) Unwrap() error { return nil }
`,
	"convert/body/body.go": `// Package body renders pages.
package body

import "feed2md/convert/fetch"

// Render renders p.
func Render(p fetch.Page) string { return long(p.Data) + exactly(p.Data) }
`,
	"convert/body/long.go": "package body\n\n" +
		funcOf("long", "// long is Long Because it is the fixture of the exemption.\n", 86) +
		funcOf("exactly", "", maxFuncLines),
	"convert/body/full.go": fileOf("body", maxFileLines),
	"convert/arena/arena.go": `// Package arena holds shared values.
package arena

// Name is used by fetch.
const Name = "arena"

// WindowsOnly is used only by a file built on Windows.
var WindowsOnly = 1

// Token is made by Make; convert never names it.
type Token struct{ N int }

// Make makes a Token.
func Make() Token { return Token{N: 1} }
`,
}

// funcOf returns a function name of exactly lines lines, after doc.
func funcOf(name, doc string, lines int) string {
	return doc + "func " + name + "(s string) string {\n" + strings.Repeat("\ts += \"x\"\n", lines-3) + "\treturn s\n}\n"
}

// fileOf returns a file of package pkg of exactly lines lines.
func fileOf(pkg string, lines int) string {
	return "package " + pkg + "\n" + strings.Repeat("// filler\n", lines-1)
}

// layoutCase is a change to layoutFixture and the violations it must give.
type layoutCase struct {
	name  string
	typed bool              // run the exports rule too, which type-checks: slow
	files map[string]string // added to or replacing the fixture's
	want  []string
}

// order is the stage order as the import rule reports it.
var order = strings.Join(stages, ", ")

// layoutCases are the fixture, clean, and one change a way to break a rule.
var layoutCases = []layoutCase{
	{name: "clean fixture", typed: true},
	{name: "stage imports a later stage", files: map[string]string{
		"convert/frontmatter/fm.go": "// Package frontmatter writes.\npackage frontmatter\n\n// Title is used by body.\nfunc Title() string { return \"t\" }\n",
		"convert/body/fm.go":        "package body\n\nimport \"feed2md/convert/frontmatter\"\n\nvar _ = frontmatter.Title()\n",
	}, want: []string{
		"convert/body/fm.go:3: stage feed2md/convert/body imports feed2md/convert/frontmatter, a later stage (order: " + order + ")",
	}},
	{name: "stage imports convert", files: map[string]string{
		"convert/folder/folder.go": "// Package folder stores.\npackage folder\n\nimport \"feed2md/convert\"\n\n// Write is used by main.\nfunc Write() { convert.API() }\n",
		"folder.go":                "package main\n\nimport \"feed2md/convert/folder\"\n\nvar _ = folder.Write\n",
	}, want: []string{
		"convert/folder/folder.go:4: stage feed2md/convert/folder imports feed2md/convert: imports run one way, from convert down the stages",
	}},
	{name: "shared package imports a stage and convert", files: map[string]string{
		"convert/text/text.go": "// Package text is shared.\npackage text\n\nimport (\n\t\"feed2md/convert\"\n\t\"feed2md/convert/fetch\"\n)\n\n" +
			"// Trim is used by main.\nfunc Trim() string { convert.API(); return fetch.Default }\n",
		"text.go": "package main\n\nimport \"feed2md/convert/text\"\n\nvar _ = text.Trim\n",
	}, want: []string{
		"convert/text/text.go:5: shared package feed2md/convert/text imports feed2md/convert: a shared package imports only other shared packages",
		"convert/text/text.go:6: shared package feed2md/convert/text imports feed2md/convert/fetch: a shared package imports only other shared packages",
	}},
	{name: "library parses flags and exits", files: map[string]string{
		"convert/fetch/exit.go": "package fetch\n\nimport (\n\t\"flag\"\n\t\"log\"\n\tos2 \"os\"\n)\n\n" +
			"func quit() {\n\tflag.Parse()\n\tlog.Fatalf(\"x\")\n\tos2.Exit(1)\n}\n",
	}, want: []string{
		"convert/fetch/exit.go:4: feed2md/convert/fetch imports flag: the library has no flags, main parses them (STYLE.md)",
		"convert/fetch/exit.go:11: feed2md/convert/fetch uses log.Fatalf: the library returns errors, main exits (STYLE.md)",
		"convert/fetch/exit.go:12: feed2md/convert/fetch uses os.Exit: the library returns errors, main exits (STYLE.md)",
	}},
	{name: "library imports main", files: map[string]string{
		"convert/main.go": "package convert\n\nimport _ \"feed2md\"\n",
	}, want: []string{
		"convert/main.go:3: feed2md/convert imports the main package feed2md",
	}},
	{name: "package docs missing or misworded", files: map[string]string{
		"main.go":                strings.Replace(layoutFixture["main.go"], "// Command feed2md is", "// Feed2md is", 1),
		"convert/arena/arena.go": strings.Replace(layoutFixture["convert/arena/arena.go"], "// Package arena holds", "// Package arenas hold", 1),
		"convert/fetch/fetch.go": strings.Replace(layoutFixture["convert/fetch/fetch.go"], "// Package fetch gets pages.\n", "", 1),
	}, want: []string{
		"convert/arena/arena.go:2: package arena (convert/arena) has no doc comment \"// Package arena ...\" on any file",
		"convert/fetch/fetch.go:1: package fetch (convert/fetch) has no doc comment \"// Package fetch ...\" on any file",
		"main.go:2: package main (.) has no doc comment \"// Command name ...\" on any file",
	}},
	{name: "file over 500 lines", files: map[string]string{
		"convert/body/big.go": fileOf("body", maxFileLines+1),
	}, want: []string{
		"convert/body/big.go:501: 501 lines, over 500: split the file",
	}},
	{name: "function over 80 lines", files: map[string]string{
		"convert/body/toolong.go": "package body\n\ntype renderer struct{}\n\n// tooLong is long.\nfunc (r *renderer) " +
			strings.TrimPrefix(funcOf("tooLong", "", maxFuncLines+1), "func ") + funcOf("tooLongToo", "", 200),
	}, want: []string{
		"convert/body/toolong.go:6: func renderer.tooLong is 81 lines, over 80: split it, or say why in its doc comment (\"long because ...\")",
		"convert/body/toolong.go:87: func tooLongToo is 200 lines, over 80: split it, or say why in its doc comment (\"long because ...\")",
	}},
	{name: "exported but used by one package only", typed: true, files: map[string]string{
		"convert/arena/spare.go": "package arena\n\n// Spare is used by arena and by arena's own tests only.\nfunc Spare() Kind { return Kind(Name) }\n\n" +
			"// Kind is used by arena only.\ntype Kind string\n\ntype hidden struct{}\n\n// Call is a method of an unexported type.\nfunc (hidden) Call() {}\n",
		"convert/fetch/extra.go":      "package fetch\n\n// Extra is called by fetch only.\nfunc (p Page) Extra() string { return p.Data }\n\nvar _ = Page{}.Extra()\n",
		"convert/arena/spare_test.go": "package arena\n\nvar _ = Spare()\n",
		"convert/used_test.go":        "package convert\n\nimport \"feed2md/convert/fetch\"\n\n// A test of another package is a user.\nvar _ = fetch.Page{}.Data\n",
		// A type an exported field of a used struct holds is used (a user's
		// template reaches it); one only an unexported field holds is not.
		"convert/fetch/held.go": "package fetch\n\n// Doc is used by convert.\ntype Doc struct {\n\tParts []*Part\n\tloose Loose\n}\n\n" +
			"// Part is held by Doc's exported field.\ntype Part struct{}\n\n// Loose is held by an unexported field only.\ntype Loose struct{}\n",
		"convert/doc_user.go": "package convert\n\nimport \"feed2md/convert/fetch\"\n\nvar _ fetch.Doc\n",
	}, want: []string{
		"convert/arena/spare.go:12: arena.hidden.Call: exported but only arena uses it",
		"convert/arena/spare.go:4: arena.Spare: exported but only arena uses it",
		"convert/arena/spare.go:7: arena.Kind: exported but only arena uses it",
		"convert/fetch/extra.go:4: fetch.Page.Extra: exported but only fetch uses it",
		"convert/fetch/held.go:13: fetch.Loose: exported but only fetch uses it",
	}},
}

// TestLayoutRulesCanFail runs checkLayout on small modules: the fixture
// must be clean, and each change to it must give exactly the violations
// listed, so every rule is shown to fail and to report where. The changes
// that break a syntax rule skip the exports rule, whose type-check costs
// half a second a module; the fixture and the exports change run them all.
func TestLayoutRulesCanFail(t *testing.T) {
	for _, c := range layoutCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			files := maps.Clone(layoutFixture)
			maps.Copy(files, c.files)
			writeTree(t, root, files)
			var got []string
			if c.typed {
				got = checkLayout(root)
			} else {
				got = checkLayoutRules(root, slices.DeleteFunc(slices.Clone(layoutRules),
					func(r layoutRule) bool { return r.name == "exports" }))
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// writeTree writes files (slash-separated names) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(fmt.Errorf("fixture %s: %w", name, err))
		}
	}
}

// TestFuzzTargetsListed: docs/internals.md lists every fuzz target under
// the package it is in, since `go test -fuzz` in another package fuzzes
// nothing and passes.
func TestFuzzTargetsListed(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("docs", "internals.md"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{} // target → package
	pkg := ""
	for _, line := range strings.Split(string(doc), "\n") {
		if rest, ok := strings.CutPrefix(line, "- `./"); ok && strings.Contains(rest, "`: `Fuzz") {
			pkg, _, _ = strings.Cut(rest, "`")
		} else if !strings.HasPrefix(line, "  ") {
			pkg = ""
		}
		if pkg == "" {
			continue
		}
		for _, f := range strings.Split(line, "`")[1:] {
			if strings.HasPrefix(f, "Fuzz") {
				listed[f] = pkg
			}
		}
	}
	found := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`).FindAllStringSubmatch(string(data), -1) {
			found++
			if got, want := listed[m[1]], filepath.Dir(path); got != want {
				t.Errorf("%s (in %s) is listed under %q in docs/internals.md", m[1], want, got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Errorf("only %d fuzz targets found", found)
	}
}

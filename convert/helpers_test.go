package convert

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"feed2md/templates"

	"go.yaml.in/yaml/v3"
)

// fixedNow is the clock of every test: undated items get this day.
var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// newTestConverter returns a Converter writing into dir with the embedded
// template and test-friendly defaults; change opts through edit.
func newTestConverter(t testing.TB, dir string, edit func(*Options)) *Converter {
	t.Helper()
	tmpl, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{OutputDir: dir, Template: tmpl, Now: fixedNow, RetryWait: time.Millisecond}
	if edit != nil {
		edit(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// convertBytes converts one feed given as bytes (as standard input) into
// dir and returns the result.
func convertBytes(t testing.TB, dir string, feed string, edit func(*Options)) *Result {
	t.Helper()
	c := newTestConverter(t, dir, func(o *Options) {
		o.Stdin = strings.NewReader(feed)
		if edit != nil {
			edit(o)
		}
	})
	src, err := fetch.ParseSource("-")
	if err != nil {
		t.Fatal(err)
	}
	res := c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return res
}

// layoutKeys are the keys of FORMAT.md, in order.
var layoutKeys = []string{"title", "date", "description", "summary", "slug", "image", "link", "source", "categories", "tags", "draft"}

// frontMatter splits a written file into its front matter, parsed with a
// YAML parser, and its body. It fails the test when the file does not
// have the layout of FORMAT.md.
func frontMatter(t testing.TB, data []byte) (map[string]any, string) {
	t.Helper()
	m, keys, body := frontMatterKeys(t, data)
	if strings.Join(keys, ",") != strings.Join(layoutKeys, ",") {
		t.Fatalf("keys %v, want %v", keys, layoutKeys)
	}
	return m, body
}

// frontMatterKeys splits a written file into its front matter, parsed
// with a YAML parser, its keys in order, and its body. It fails the test
// when the file has no front matter that YAML reads.
func frontMatterKeys(t testing.TB, data []byte) (map[string]any, []string, string) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("---\n")) {
		t.Fatalf("file does not start with ---:\n%s", data)
	}
	end := bytes.Index(data[4:], []byte("\n---\n"))
	if end < 0 {
		t.Fatalf("no closing ---:\n%s", data)
	}
	block := data[4 : 4+end+1]
	var m map[string]any
	if err := yaml.Unmarshal(block, &m); err != nil {
		t.Fatalf("front matter is not valid YAML: %v\n%s", err, block)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(block, &node); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i := 0; i < len(node.Content[0].Content); i += 2 {
		keys = append(keys, node.Content[0].Content[i].Value)
	}
	return m, keys, string(data[4+end+5:])
}

// readDir returns the Markdown files of dir (and of its bundles) by name.
func readDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// skipPart is feedtest.SkipPart: a part of a test did not run, which
// fails in CI.
func skipPart(t testing.TB, format string, args ...any) {
	t.Helper()
	feedtest.SkipPart(t, format, args...)
}

package convert

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"feed2md/templates"
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
	return convertSource(t, context.Background(), dir, "-", func(o *Options) {
		o.Stdin = strings.NewReader(feed)
		if edit != nil {
			edit(o)
		}
	})
}

// convertSource converts one feed argument (a path, a URL, "-") into dir
// with a test converter (newTestConverter), closes the converter, and
// returns the result.
func convertSource(t testing.TB, ctx context.Context, dir, arg string, edit func(*Options)) *Result {
	t.Helper()
	c := newTestConverter(t, dir, edit)
	src, err := fetch.ParseSource(arg)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Convert(ctx, src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return res
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

package convert

import (
	"context"
	"errors"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnusableCacheFolder: a cache folder that cannot be read (a file
// where a folder should be) or written (a link to nowhere: no state to
// read, and mkdir fails) is one warning and no error, the item written;
// with CacheStrict it is a *StateError.
func TestUnusableCacheFolder(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(base, "dangling")
	feedtest.SymlinkOrSkip(t, filepath.Join(base, "nowhere"), dangling)
	feed := rss(item{title: "Kept", link: "https://e.test/k", body: "x"})
	for _, c := range []struct{ name, dir, failsIn string }{
		{"unreadable", filepath.Join(file, "cache"), "New"},
		{"unwritable", dangling, "Close"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			var warnings []string
			res := convertBytes(t, out, feed, func(o *Options) {
				o.CacheDir = c.dir
				o.Warn = func(m string) { warnings = append(warnings, m) }
			})
			if res.New != 1 || res.Failed() {
				t.Fatalf("%+v", res)
			}
			if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "state file: ") || !strings.Contains(warnings[0], "conditional requests are off") {
				t.Errorf("warnings %q, want one about the state file", warnings)
			}
			if len(readDir(t, out)) != 1 {
				t.Errorf("files %v", names(readDir(t, out)))
			}

			// Strict: an error, in New or in Close.
			out = t.TempDir()
			tmpl := newTestConverter(t, out, nil).opts.Template
			conv, err := New(Options{OutputDir: out, Template: tmpl, CacheDir: c.dir, CacheStrict: true, Stdin: strings.NewReader(feed)})
			var se *StateError
			if c.failsIn == "New" {
				if !errors.As(err, &se) {
					t.Fatalf("New: %v, want a StateError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			src, _ := fetch.ParseSource("-")
			if res := conv.Convert(context.Background(), src); res.New != 1 {
				t.Fatalf("%+v", res)
			}
			if err := conv.Close(); !errors.As(err, &se) {
				t.Fatalf("Close: %v, want a StateError", err)
			}
			if _, err := os.Lstat(filepath.Join(base, "nowhere")); err == nil {
				t.Error("the state was written through the link")
			}
		})
	}
}

// TestStateSaveKeepsOtherRuns: two runs on one folder that overlap (each
// read the state before the other saved) both keep their feeds' state.
func TestStateSaveKeepsOtherRuns(t *testing.T) {
	dir := t.TempDir()
	out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
	var srcs []fetch.Source
	for _, title := range []string{"First", "Second"} {
		p := filepath.Join(dir, title+".xml")
		if err := os.WriteFile(p, []byte(rss(item{title: title, link: "https://e.test/" + title, body: "x"})), 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := fetch.ParseSource(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	a := newTestConverter(t, out, func(o *Options) { o.CacheDir = cache })
	b := newTestConverter(t, out, func(o *Options) { o.CacheDir = cache })
	if res := a.Convert(context.Background(), srcs[0]); res.New != 1 {
		t.Fatalf("%+v", res)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if res := b.Convert(context.Background(), srcs[1]); res.New != 1 {
		t.Fatalf("%+v", res)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// A third run finds both feeds unchanged by their state.
	c := newTestConverter(t, out, func(o *Options) { o.CacheDir = cache })
	for _, src := range srcs {
		if res := c.Convert(context.Background(), src); !res.SameBytes {
			t.Errorf("%s: not skipped by its state: %+v", src.Name(), res)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

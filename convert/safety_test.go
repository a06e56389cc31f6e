package convert

import (
	"context"
	"errors"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// outsideFiles returns name → content of every file in dir.
func outsideFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	return files
}

// TestOwnFilesNeverFollowLinks puts a symbolic link to a file outside the
// folder (an existing one, and one that does not exist yet) where the lock
// and the identities file go: the run refuses it with an error naming the
// file, writes no item, and the outside folder is exactly as it was.
func TestOwnFilesNeverFollowLinks(t *testing.T) {
	feed := rss(item{title: "Linkless", guid: "g-1", body: "x"}, item{title: "Linked", link: "https://e.test/l", body: "y"})
	for _, own := range []string{folder.LockFile, folder.IDsFile} {
		for _, dangling := range []bool{false, true} {
			t.Run(own+map[bool]string{false: " to a file", true: " dangling"}[dangling], func(t *testing.T) {
				out, outside := t.TempDir(), t.TempDir()
				victim := filepath.Join(outside, "victim")
				if !dangling {
					if err := os.WriteFile(victim, []byte(`{"guid:g-1": "../victim"}`), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				want := outsideFiles(t, outside)
				feedtest.SymlinkOrSkip(t, victim, filepath.Join(out, own))
				res := convertBytes(t, out, feed, nil)
				var le *folder.LinkError
				if !errors.As(res.Err, &le) || le.Path != filepath.Join(out, own) {
					t.Fatalf("err %v, want a link error naming %s", res.Err, own)
				}
				if !strings.Contains(res.Err.Error(), filepath.Join(out, own)+" is a symbolic link") {
					t.Errorf("message %q does not name the link", res.Err)
				}
				if len(readDir(t, out)) != 0 {
					t.Errorf("items written beside a linked %s: %v", own, names(readDir(t, out)))
				}
				if got := outsideFiles(t, outside); len(got) != len(want) || got["victim"] != want["victim"] {
					t.Errorf("outside the folder: %v, want %v", got, want)
				}
			})
		}
	}
}

// TestStaleTempLinkRemoved puts a link named as a temporary file of ours,
// to a file outside, in the output folder: a run removes it, and never
// writes through it.
func TestStaleTempLinkRemoved(t *testing.T) {
	out, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	feedtest.SymlinkOrSkip(t, victim, filepath.Join(out, folder.TmpPrefix+"taken"))

	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := convertBytes(t, out, rss(item{title: "A", link: "https://e.test/a", body: "x"}), nil)
	if res.New != 1 || res.Failed() {
		t.Fatalf("%+v", res)
	}
	if got := outsideFiles(t, outside); got["victim"] != "keep" || len(got) != 1 {
		t.Errorf("outside the folder: %v", got)
	}
	if _, err := os.Lstat(filepath.Join(out, folder.TmpPrefix+"taken")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the stale temporary link is still there: %v", err)
	}
}

// TestLockIsNotARegularFile: a folder or a named pipe as the lock is
// refused with a clear error, never opened for writing.
func TestLockIsNotARegularFile(t *testing.T) {
	out := t.TempDir()
	if err := os.Mkdir(filepath.Join(out, folder.LockFile), 0o755); err != nil {
		t.Fatal(err)
	}
	res := convertBytes(t, out, rss(item{title: "A", link: "https://e.test/a"}), nil)
	if res.Err == nil || !strings.Contains(res.Err.Error(), folder.LockFile) {
		t.Fatalf("err %v, want one naming the lock", res.Err)
	}
}

// fileTimes is what a file's bytes and times were.
type fileTimes struct {
	data         string
	mtime, ctime time.Time
	mode         fs.FileMode
}

// snapshot returns every file and folder under dir, hidden ones included.
func snapshot(t *testing.T, dir string) map[string]fileTimes {
	t.Helper()
	files := map[string]fileTimes{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		ft := fileTimes{mtime: info.ModTime(), ctime: changeTime(info), mode: info.Mode()}
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			ft.data = string(data)
		}
		rel, _ := filepath.Rel(dir, path)
		files[rel] = ft
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRerunTouchesNoFile: a re-run with nothing new changes no byte and no
// time of any file in the folder, hidden files (the lock, the identities)
// and the folder itself included; with the state cache, without it, and
// in bundle mode.
func TestRerunTouchesNoFile(t *testing.T) {
	feed := rss(
		item{title: "One", link: "https://example.com/1", date: "Mon, 02 Jan 2026 10:00:00 +0000", body: "<p>1</p>"},
		item{title: "No link", guid: "guid-2", date: "Mon, 02 Jan 2026 11:00:00 +0000", body: "<p>2</p>"},
		item{title: "Undated", link: "https://example.com/3", body: "<p>3</p>"},
	)
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := fetch.ParseSource(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		cache bool
		edit  func(*Options)
	}{
		{"with the state cache", true, nil},
		{"without it", false, nil},
		{"bundles", false, func(o *Options) { o.Bundle = true }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			cache := t.TempDir()
			run := func() *Result {
				conv := newTestConverter(t, out, func(o *Options) {
					if c.cache {
						o.CacheDir = cache
					}
					if c.edit != nil {
						c.edit(o)
					}
				})
				res := conv.Convert(context.Background(), src)
				if err := conv.Close(); err != nil {
					t.Fatal(err)
				}
				if res.Failed() {
					t.Fatalf("%+v", res)
				}
				return res
			}
			if res := run(); res.New != 3 {
				t.Fatalf("first run: %+v", res)
			}
			before := snapshot(t, out)
			for _, own := range []string{folder.LockFile, folder.IDsFile} {
				if _, ok := before[own]; !ok {
					t.Fatalf("no %s after the first run: the test would prove less", own)
				}
			}
			// Past the file system's time granularity: a rewrite would show.
			time.Sleep(30 * time.Millisecond)
			if res := run(); res.Unchanged != 3 {
				t.Fatalf("second run: %+v", res)
			}
			after := snapshot(t, out)
			for name, b := range before {
				if a, ok := after[name]; !ok || a != b {
					t.Errorf("%s changed: %+v, was %+v", name, a, b)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s appeared", name)
				}
			}
		})
	}
}

// TestNothingToConvertCreatesNothing: a run whose feeds all fail, or hold
// no item, leaves no output folder and no lock behind.
func TestNothingToConvertCreatesNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/empty.xml":
			w.Write([]byte(rss()))
		case "/page":
			w.Write([]byte("<!DOCTYPE html><html><body>no feed</body></html>"))
		default:
			http.Error(w, "gone", http.StatusNotFound)
		}
	}))
	defer srv.Close()
	for _, feed := range []string{
		filepath.Join(t.TempDir(), "missing.xml"), "help",
		srv.URL + "/gone.xml", srv.URL + "/page", srv.URL + "/empty.xml",
	} {
		t.Run(feed, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "content", "posts")
			src, err := fetch.ParseSource(feed)
			if err != nil {
				t.Fatal(err)
			}
			c := newTestConverter(t, out, func(o *Options) { o.CacheDir = filepath.Join(parent, "cache") })
			res := c.Convert(context.Background(), src)
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if res.New+res.Updated+res.Unchanged != 0 {
				t.Fatalf("%+v", res)
			}
			if _, err := os.Lstat(filepath.Join(parent, "content")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the output folder was created: %v", err)
			}
		})
	}
	// An existing folder gets no lock either.
	out := t.TempDir()
	c := newTestConverter(t, out, nil)
	src, _ := fetch.ParseSource(filepath.Join(out, "missing.xml"))
	c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a run with nothing to write left %v", entries)
	}
}

// TestLockedErrorWithoutPID: where the system does not tell who holds the
// lock, the message says what it can.
func TestLockedErrorWithoutPID(t *testing.T) {
	e := &folder.LockedError{Dir: "out", Wait: time.Second}
	if got := e.Error(); !strings.HasPrefix(got, "another feed2md run is still writing to out after 1s (-lock-wait): this run changed nothing") {
		t.Errorf("%q", got)
	}
	e.PID = "42"
	if got := e.Error(); !strings.HasPrefix(got, "another feed2md run (pid 42) is still writing to out after 1s (-lock-wait)") {
		t.Errorf("%q", got)
	}
	// The duration with its unit, without Go's zero units; 0 said as such.
	e.Wait = 10 * time.Minute
	if got := e.Error(); !strings.Contains(got, " after 10m (-lock-wait): ") {
		t.Errorf("%q", got)
	}
	e.Wait = 0
	if got, want := e.Error(), "another feed2md run (pid 42) is writing to out, and -lock-wait is 0 (do not wait): this run changed nothing; give -lock-wait a duration such as 10m, or run less often"; got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
}

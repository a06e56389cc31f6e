//go:build unix

package convert

import (
	"context"
	"encoding/json"
	"errors"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The tests of this file set folder.WriteFault, which every write of the package
// sees: none of them may call t.Parallel.

// setFault installs fault as folder.WriteFault for the rest of the test.
func setFault(t *testing.T, fault func(path string) error) {
	t.Helper()
	folder.WriteFault = fault
	t.Cleanup(func() { folder.WriteFault = nil })
}

// fullAfter is a file system under dir with room for n more files: the
// first n files written there succeed, every later one fails with errno
// (as a write does, naming the temporary file's folder). Files elsewhere
// (the state file) are not affected.
func fullAfter(dir string, n int, errno syscall.Errno) func(path string) error {
	var mu sync.Mutex
	return func(path string) error {
		if !strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if n == 0 {
			return &fs.PathError{Op: "write", Path: filepath.Join(filepath.Dir(path), folder.TmpPrefix+"x"), Err: errno}
		}
		n--
		return nil
	}
}

// feedOf writes an RSS feed of n items, titled "NAME 0", "NAME 1", …, to
// a file and returns its source. Every item has a link and a title; with
// noLinks, every other item has only an id (the folder's ids file is all
// that tells its file).
func feedOf(t *testing.T, name string, n int, noLinks bool) fetch.Source {
	t.Helper()
	items := make([]item, n)
	for i := range items {
		items[i] = item{title: fmt.Sprintf("%s %d", name, i), link: fmt.Sprintf("https://example.com/%s/%d", name, i),
			date: "Mon, 02 Jan 2026 10:00:00 +0000", body: fmt.Sprintf("<p>Body %d</p>", i)}
		if noLinks && i%2 == 1 {
			items[i].link, items[i].guid = "", fmt.Sprintf("%s-id-%d", name, i)
		}
	}
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte(rss(items...)), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := fetch.ParseSource(path)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// mdFiles returns the items' files under dir: SLUG.md or SLUG/index.md.
func mdFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for name, ft := range snapshot(t, dir) {
		if ft.mode.IsRegular() && strings.HasSuffix(name, ".md") {
			names = append(names, filepath.ToSlash(name))
		}
	}
	sort.Strings(names)
	return names
}

// byLink splits the items' files under dir into those whose front matter
// has a link and those without.
func byLink(t *testing.T, dir string) (linked, unlinked []string) {
	t.Helper()
	for _, name := range mdFiles(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fm, _ := frontmattertest.FrontMatter(t, data); fm["link"] != nil && fm["link"] != "" {
			linked = append(linked, name)
		} else {
			unlinked = append(unlinked, name)
		}
	}
	return linked, unlinked
}

// twice matches the name of a second file for one of feedOf's items:
// post-N-2.md, post-N-2/.
var twice = regexp.MustCompile(`^[a-z]+-\d+-\d+(\.md|/|$)`)

// idsSlugs returns the slugs the folder's ids file records, sorted.
func idsSlugs(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, folder.IDsFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc folder.IDsDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, e := range doc.Items {
		slugs = append(slugs, e.Slug)
	}
	sort.Strings(slugs)
	return slugs
}

// TestFullDiskStopsTheFeed: a file system that fills up (or runs out of
// quota, or turns read-only) after 30 of a feed's 200 files stops the
// feed there with one error, counts the rest as not written, leaves no
// temporary file, records in the ids file only the files there are, and
// keeps the state from calling the feed converted. The next run, with
// room, writes exactly the 170 others and touches none of the 30.
func TestFullDiskStopsTheFeed(t *testing.T) {
	const total, room = 200, 30
	cases := []struct {
		name   string
		errno  syscall.Errno
		bundle bool
		words  string
	}{
		{"ENOSPC", syscall.ENOSPC, false, "no space left on device writing %s: 30 of 200 items written; free some space and run again to write the rest"},
		{"EDQUOT", syscall.EDQUOT, false, "disk quota exceeded writing %s: 30 of 200 items written; free some space or raise the quota and run again to write the rest"},
		{"EROFS", syscall.EROFS, false, "read-only file system writing %s: 30 of 200 items written; make it writable and run again to write the rest"},
		{"ENOSPC in bundles", syscall.ENOSPC, true, "no space left on device writing %s: 30 of 200 items written; free some space and run again to write the rest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := feedOf(t, "post", total, false)
			out := filepath.Join(t.TempDir(), "out")
			cache := t.TempDir()
			open := func() *Converter {
				return newTestConverter(t, out, func(o *Options) { o.CacheDir, o.Bundle = cache, tc.bundle })
			}
			setFault(t, fullAfter(out, room, tc.errno))
			conv := open()
			res := conv.Convert(context.Background(), src)
			// Room is made before Close (the failed temporary file freed
			// it): the ids file is saved.
			folder.WriteFault = nil
			if err := conv.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if res.Err != nil || len(res.Errors) != 1 {
				t.Fatalf("want one error, got Err %v, Errors %v", res.Err, res.Errors)
			}
			var fe *folder.FullError
			if !errors.As(res.Errors[0], &fe) || !errors.Is(res.Errors[0], tc.errno) {
				t.Fatalf("error %T %v: want a *FullError wrapping %v", res.Errors[0], res.Errors[0], tc.errno)
			}
			if got, want := fe.Error(), fmt.Sprintf(tc.words, out); got != want {
				t.Errorf("error\n got %q\nwant %q", got, want)
			}
			if res.Items != total || res.New != room || res.Updated+res.Unchanged != 0 || res.NotWritten != total-room || len(res.Changes) != room {
				t.Errorf("counts: %d items, %d new, %d updated, %d unchanged, %d not written, %d changes", res.Items, res.New, res.Updated, res.Unchanged, res.NotWritten, len(res.Changes))
			}
			written := mdFiles(t, out)
			if len(written) != room {
				t.Fatalf("%d files in the folder, want %d: %v", len(written), room, written)
			}
			for _, ch := range res.Changes {
				if _, err := os.Stat(ch.Path); err != nil {
					t.Errorf("change %s: %v", ch.Name, err)
				}
			}
			assertNoTemp(t, out)
			// The ids file names the files there are, and only them.
			var slugs []string
			for _, name := range written {
				slugs = append(slugs, strings.TrimSuffix(strings.TrimSuffix(name, ".md"), "/index"))
			}
			if got := idsSlugs(t, out); fmt.Sprint(got) != fmt.Sprint(slugs) {
				t.Errorf("ids file records %v\nwant %v", got, slugs)
			}
			st := open().state.get(stateKey(src))
			if st.Hash != "" || st.ETag != "" || st.LastModified != "" || len(st.Files) != room {
				t.Errorf("state after the full run: hash %q, validators %+v, %d files: it must not let the next run skip the feed", st.Hash, st.Validators, len(st.Files))
			}

			before := snapshot(t, out)
			conv = open()
			res = conv.Convert(context.Background(), src)
			if err := conv.Close(); err != nil {
				t.Fatal(err)
			}
			if res.Failed() || res.SameBytes || res.New != total-room || res.Unchanged != room || res.NotWritten != 0 {
				t.Fatalf("second run: %d new, %d unchanged, same bytes %v, errors %v", res.New, res.Unchanged, res.SameBytes, res.Errors)
			}
			if got := mdFiles(t, out); len(got) != total {
				t.Errorf("%d files after the second run, want %d", len(got), total)
			}
			after := snapshot(t, out)
			for _, name := range written {
				if after[name] != before[name] {
					t.Errorf("%s was touched by the second run", name)
				}
			}
			for name := range after {
				if twice.MatchString(name) {
					t.Errorf("%s: an item written twice", name)
				}
			}
			if got := idsSlugs(t, out); len(got) != total {
				t.Errorf("ids file records %d items, want %d", len(got), total)
			}
		})
	}
}

// TestFullDiskLaterFeeds: once the folder is full, a feed after it in
// the run stops at its first file to write, with one error and no file
// claimed; a feed whose files are all there already is unchanged, and no
// failure.
func TestFullDiskLaterFeeds(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	done, first, last := feedOf(t, "done", 20, false), feedOf(t, "first", 50, false), feedOf(t, "last", 20, false)
	// done's items are in the folder already.
	conv := newTestConverter(t, out, nil)
	if res := conv.Convert(context.Background(), done); res.New != 20 || res.Failed() {
		t.Fatalf("done: %d new, errors %v", res.New, res.Errors)
	}
	if err := conv.Close(); err != nil {
		t.Fatal(err)
	}
	setFault(t, fullAfter(out, 10, syscall.ENOSPC))
	conv = newTestConverter(t, out, nil)
	b := conv.Convert(context.Background(), done)
	a := conv.Convert(context.Background(), first)
	c := conv.Convert(context.Background(), last)
	if err := conv.Close(); !folder.IsFull(err) {
		t.Errorf("Close: %v, want the ids file not saved for a full disk (see TestFullDiskIDsFile)", err)
	}
	if b.Unchanged != 20 || b.Failed() {
		t.Errorf("a feed whose files are there: %d unchanged, errors %v", b.Unchanged, b.Errors)
	}
	if a.New != 10 || a.NotWritten != 40 || len(a.Errors) != 1 {
		t.Fatalf("the feed that filled the disk: %d new, %d not written, errors %v", a.New, a.NotWritten, a.Errors)
	}
	var fe *folder.FullError
	if len(c.Errors) != 1 || !errors.As(c.Errors[0], &fe) || c.New+c.Unchanged != 0 || c.NotWritten != 20 || len(c.Changes) != 0 {
		t.Fatalf("the feed after it: %d new, %d unchanged, %d not written, errors %v", c.New, c.Unchanged, c.NotWritten, c.Errors)
	}
	if want := "no space left on device writing " + out + ": 0 of 20 items written; free some space and run again to write the rest"; fe.Error() != want {
		t.Errorf("its error\n got %q\nwant %q", fe.Error(), want)
	}
	if n := len(mdFiles(t, out)); n != 30 {
		t.Errorf("%d files, want 30", n)
	}
}

// TestFullDiskIDsFile: when the ids file itself does not fit, the files
// of the run that only it could identify (items with an id and no link)
// are removed to make room, the ids file is saved, and Close says so in
// one line; the next run writes them again, once each. Files found by
// their link stay. Without room even then, the last ids file stays and
// Close says that.
func TestFullDiskIDsFile(t *testing.T) {
	const total, room = 40, 20
	t.Run("room made", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		src := feedOf(t, "post", total, true)
		// room files fit: once they are written, the ids file fits only
		// when some are removed.
		items := fullAfter(out, room, syscall.ENOSPC)
		setFault(t, func(path string) error {
			if filepath.Base(path) != folder.IDsFile {
				return items(path)
			}
			if n := len(mdFiles(t, out)); n >= room {
				return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
			}
			return nil
		})
		conv := newTestConverter(t, out, nil)
		res := conv.Convert(context.Background(), src)
		linked, unlinked := byLink(t, out)
		if len(linked)+len(unlinked) != room || len(unlinked) == 0 {
			t.Fatalf("%d files with a link, %d without: want %d, some without", len(linked), len(unlinked), room)
		}
		err := conv.Close()
		want := fmt.Sprintf("no space left on device writing %s: removed %d files of this run that only %s could identify, to make room to save it; free some space and run again to write them", out, len(unlinked), folder.IDsFile)
		if err == nil || err.Error() != want || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("Close:\n got %v\nwant %s", err, want)
		}
		if res.New != room || res.NotWritten != total-room {
			t.Fatalf("%d new, %d not written", res.New, res.NotWritten)
		}
		kept := mdFiles(t, out)
		if fmt.Sprint(kept) != fmt.Sprint(linked) {
			t.Fatalf("files kept %v\nwant those with a link %v", kept, linked)
		}
		if got := idsSlugs(t, out); len(got) != len(kept) {
			t.Errorf("ids file records %v, want the %d kept", got, len(kept))
		}
		assertNoTemp(t, out)

		before := snapshot(t, out)
		folder.WriteFault = nil
		conv = newTestConverter(t, out, nil)
		res = conv.Convert(context.Background(), src)
		if err := conv.Close(); err != nil {
			t.Fatal(err)
		}
		if res.Failed() || res.New != total-len(kept) || res.Unchanged != len(kept) {
			t.Fatalf("second run: %d new, %d unchanged, errors %v", res.New, res.Unchanged, res.Errors)
		}
		after := snapshot(t, out)
		for _, name := range kept {
			if after[name] != before[name] {
				t.Errorf("%s was touched by the second run", name)
			}
		}
		if got := mdFiles(t, out); len(got) != total {
			t.Errorf("%d files, want %d (no item twice): %v", len(got), total, got)
		}
	})
	t.Run("no room", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		src := feedOf(t, "post", total, true)
		setFault(t, fullAfter(out, room, syscall.ENOSPC))
		conv := newTestConverter(t, out, nil)
		conv.Convert(context.Background(), src)
		linked, unlinked := byLink(t, out)
		err := conv.Close()
		want := fmt.Sprintf("no space left on device writing %s: %s not saved; the files of this run are found again by their links, but %d that only it could identify were removed; free some space and run again", out, folder.IDsFile, len(unlinked))
		if err == nil || err.Error() != want {
			t.Fatalf("Close:\n got %v\nwant %s", err, want)
		}
		if _, err := os.Lstat(filepath.Join(out, folder.IDsFile)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ids file: %v", err)
		}
		if got := mdFiles(t, out); fmt.Sprint(got) != fmt.Sprint(linked) {
			t.Errorf("files kept %v\nwant those with a link %v", got, linked)
		}
		assertNoTemp(t, out)
		folder.WriteFault = nil
		conv = newTestConverter(t, out, nil)
		res := conv.Convert(context.Background(), src)
		if err := conv.Close(); err != nil {
			t.Fatal(err)
		}
		if res.Failed() || res.New != total-len(linked) || res.Unchanged != len(linked) || len(mdFiles(t, out)) != total {
			t.Fatalf("second run: %d new, %d unchanged, errors %v", res.New, res.Unchanged, res.Errors)
		}
	})
}

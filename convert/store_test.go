package convert

import (
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// item is one RSS item for rss().
type item struct{ title, link, guid, date, body string }

// rss builds an RSS 2.0 feed of items.
func rss(items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>https://example.com/</link>`)
	for _, it := range items {
		b.WriteString("<item>")
		if it.title != "" {
			fmt.Fprintf(&b, "<title>%s</title>", it.title)
		}
		if it.link != "" {
			fmt.Fprintf(&b, "<link>%s</link>", it.link)
		}
		if it.guid != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, it.guid)
		}
		if it.date != "" {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.date)
		}
		if it.body != "" {
			fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>", it.body)
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

func names(files map[string][]byte) string {
	var n []string
	for k := range files {
		n = append(n, k)
	}
	sort.Strings(n)
	return strings.Join(n, " ")
}

func TestRerunChangesNothing(t *testing.T) {
	out := t.TempDir()
	feed := rss(
		item{title: "One", link: "https://example.com/1", date: "Mon, 02 Jan 2026 10:00:00 +0000", body: "<p>1</p>"},
		item{title: "Two", link: "https://example.com/2", body: "<p>undated</p>"},
	)
	res := convertBytes(t, out, feed, nil)
	if res.New != 2 || res.Failed() {
		t.Fatalf("first run: %+v", res)
	}
	before := map[string]time.Time{}
	old := time.Now().Add(-time.Hour)
	for name := range readDir(t, out) {
		p := filepath.Join(out, name)
		os.Chtimes(p, old, old)
		before[name] = old
	}
	// A day later: the undated item must keep its first date.
	later := func(o *Options) { o.Now = func() time.Time { return fixedNow().Add(48 * time.Hour) } }
	res = convertBytes(t, out, feed, later)
	if res.New != 0 || res.Updated != 0 || res.Unchanged != 2 {
		t.Fatalf("second run: %+v", res)
	}
	for name, mt := range before {
		info, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(mt) {
			t.Errorf("%s was touched", name)
		}
	}
	m, _ := frontmattertest.FrontMatter(t, readDir(t, out)["two.md"])
	if fmt.Sprint(m["date"]) != "2026-11-25 00:00:00 +0000 UTC" {
		t.Errorf("undated item's date %v, want the first run's day", m["date"])
	}
	assertNoTemp(t, out)
}

func TestTitleEditKeepsFileAndSlug(t *testing.T) {
	out := t.TempDir()
	convertBytes(t, out, rss(item{title: "First title", link: "https://example.com/x", body: "b"}), nil)
	res := convertBytes(t, out, rss(item{title: "A new title", link: "https://example.com/x", body: "b"}), nil)
	if res.Updated != 1 || res.New != 0 {
		t.Fatalf("%+v", res)
	}
	files := readDir(t, out)
	if names(files) != "first-title.md" {
		t.Fatalf("files %s", names(files))
	}
	m, _ := frontmattertest.FrontMatter(t, files["first-title.md"])
	if m["title"] != "A new title" || m["slug"] != "first-title" {
		t.Errorf("title %v slug %v", m["title"], m["slug"])
	}
}

func TestSlugCollisions(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "same.md"), []byte("---\nlink: 'https://other.test/'\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := convertBytes(t, out, rss(
		item{title: "Same", link: "https://example.com/1"},
		item{title: "Same", link: "https://example.com/2"},
		item{title: "Index", link: "https://example.com/3"},
	), nil)
	if res.New != 3 {
		t.Fatalf("%+v", res)
	}
	files := readDir(t, out)
	if got := names(files); got != "index-2.md same-2.md same-3.md same.md" {
		t.Fatalf("files %s", got)
	}
	m, _ := frontmattertest.FrontMatter(t, files["same-3.md"])
	if m["slug"] != "same-3" || m["link"] != "https://example.com/2" {
		t.Errorf("same-3.md: %v", m)
	}
	// Order is stable across runs: nothing moves.
	res = convertBytes(t, out, rss(
		item{title: "Same", link: "https://example.com/2"},
		item{title: "Same", link: "https://example.com/1"},
	), nil)
	if res.Unchanged != 2 {
		t.Errorf("re-run in another order: %+v", res)
	}
}

func TestIdentityWithoutLink(t *testing.T) {
	out := t.TempDir()
	feed := rss(
		item{title: "By guid", guid: "tag:example.com,2026:1", body: "x"},
		item{title: "By hash", body: "y", date: "Mon, 02 Jan 2026 10:00:00 +0000"},
	)
	if res := convertBytes(t, out, feed, nil); res.New != 2 {
		t.Fatalf("%+v", res)
	}
	// The GUID item's title changes: it keeps its file.
	feed2 := rss(
		item{title: "By guid, retitled", guid: "tag:example.com,2026:1", body: "x"},
		item{title: "By hash", body: "y", date: "Mon, 02 Jan 2026 10:00:00 +0000"},
	)
	res := convertBytes(t, out, feed2, nil)
	if res.New != 0 || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("%+v", res)
	}
	if got := names(readDir(t, out)); got != "by-guid.md by-hash.md" {
		t.Errorf("files %s", got)
	}
	m, _ := frontmattertest.FrontMatter(t, readDir(t, out)["by-guid.md"])
	if m["link"] != "" || m["title"] != "By guid, retitled" {
		t.Errorf("%v", m)
	}
	if _, err := os.Stat(filepath.Join(out, folder.IDsFile)); err != nil {
		t.Errorf("identities not kept: %v", err)
	}
}

func TestDuplicateItemsWrittenOnce(t *testing.T) {
	out := t.TempDir()
	// The feed repeats an item: same link and title, no id; and same id,
	// link and title with another body.
	res := convertBytes(t, out, rss(
		item{title: "A", link: "https://example.com/a", body: "first"},
		item{title: "A", link: "https://example.com/a", body: "second"},
		item{title: "B", link: "https://example.com/b", guid: "b", body: "first"},
		item{title: "B", link: "https://example.com/b", guid: "b", body: "second"},
	), nil)
	if res.New != 2 || res.Skipped != 2 || len(res.Repeats) != 2 {
		t.Fatalf("%+v", res)
	}
	if res.Repeats[0] != "https://example.com/a" || res.Repeats[1] != "https://example.com/b" {
		t.Errorf("repeats named %q", res.Repeats)
	}
	if got := names(readDir(t, out)); got != "a.md b.md" {
		t.Errorf("files %s", got)
	}
}

func TestMissingFolderCreated(t *testing.T) {
	out := filepath.Join(t.TempDir(), "content", "posts")
	if res := convertBytes(t, out, rss(item{title: "A", link: "https://example.com/a"}), nil); res.New != 1 {
		t.Fatalf("%+v", res)
	}
}

func TestWriteErrorLeavesNoTemp(t *testing.T) {
	out := t.TempDir()
	// A folder where the file should go makes the rename fail.
	if err := os.Mkdir(filepath.Join(out, "blocked.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "blocked.md", "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := folder.WriteFile(filepath.Join(out, "blocked.md"), []byte("x")); err == nil {
		t.Fatal("write over a folder succeeded")
	}
	assertNoTemp(t, out)
	// Through the converter: the item fails with its link named, the other
	// item is still written.
	res := convertBytes(t, out, rss(
		item{title: "Blocked", link: "https://example.com/b"},
		item{title: "Fine", link: "https://example.com/f"},
	), nil)
	if res.New != 1 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "https://example.com/b") {
		t.Fatalf("%+v", res)
	}
	assertNoTemp(t, out)
}

func TestHostileTitlesStayInside(t *testing.T) {
	out := t.TempDir()
	res := convertBytes(t, out, rss(
		item{title: "../../etc/passwd", link: "https://example.com/1"},
		item{title: "/absolute/path", link: "https://example.com/2"},
		item{title: `..\..\windows`, link: "https://example.com/3"},
		item{title: "💣", link: "https://example.com/4"},
	), nil)
	if res.New != 4 || res.Failed() {
		t.Fatalf("%+v", res)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if e.IsDir() {
			t.Errorf("folder %s created", e.Name())
		}
	}
	if got := names(readDir(t, out)); got != "absolute-path.md etc-passwd.md item-"+shaPrefix("https://example.com/4")+".md windows.md" {
		t.Errorf("files %s", got)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), folder.TmpPrefix) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func shaPrefix(s string) string {
	return strings.TrimPrefix(frontmatter.Slug("", s), "item-")
}

// TestLinksAreNeverWrittenThrough puts symbolic links where items' files
// and bundles would go, pointing outside the folder: nothing is written
// through them, and the items get other names.
func TestLinksAreNeverWrittenThrough(t *testing.T) {
	for _, bundle := range []bool{false, true} {
		out, outside := t.TempDir(), t.TempDir()
		if err := os.Symlink(filepath.Join(outside, "victim.md"), filepath.Join(out, "target.md")); err != nil {
			t.Skipf("SKIPPED: no symbolic links here: %v", err)
		}
		if err := os.Symlink(outside, filepath.Join(out, "target")); err != nil {
			t.Fatal(err)
		}
		res := convertBytes(t, out, rss(item{title: "Target", link: "https://e.test/t", body: "x"}), func(o *Options) { o.Bundle = bundle })
		if res.New != 1 || res.Failed() {
			t.Fatalf("bundle=%t: %+v", bundle, res)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Errorf("bundle=%t: written outside the folder: %v", bundle, entries)
		}
		if !strings.Contains(res.Changes[0].Path, "target-2") {
			t.Errorf("bundle=%t: written to %s", bundle, res.Changes[0].Path)
		}
	}
}

// TestStaleTempFilesRemoved: a run killed mid-write leaves a temporary
// file; the next run (holding the lock) removes it.
func TestStaleTempFilesRemoved(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, folder.TmpPrefix+"killed")
	if err := os.WriteFile(stale, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	convertBytes(t, out, rss(item{title: "A", link: "https://e.test/a"}), nil)
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file is still there")
	}
}

// TestIdentityNeverOwnsALink: an identities entry that names a link (say,
// the file was replaced by a link to elsewhere) is dropped, and the item
// gets a file of its own instead of the link being overwritten.
func TestIdentityNeverOwnsALink(t *testing.T) {
	out, outside := t.TempDir(), t.TempDir()
	convertBytes(t, out, rss(item{title: "Mine", guid: "g-1", body: "x"}), nil)
	victim := filepath.Join(outside, "victim.md")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(out, "mine.md"))
	if err := os.Symlink(victim, filepath.Join(out, "mine.md")); err != nil {
		t.Skipf("SKIPPED: no symbolic links here: %v", err)
	}
	res := convertBytes(t, out, rss(item{title: "Mine", guid: "g-1", body: "y"}), nil)
	if res.New != 1 || !strings.HasSuffix(res.Changes[0].Path, "mine-2.md") {
		t.Fatalf("%+v", res)
	}
	if fi, err := os.Lstat(filepath.Join(out, "mine.md")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "keep" {
		t.Errorf("written through the link: %q", data)
	}
}

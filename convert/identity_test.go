package convert

import (
	"context"
	"encoding/json"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// linksAndTitles returns, for each file of dir, "link|title", sorted,
// and fails when two files hold the same pair.
func linksAndTitles(t *testing.T, dir string) []string {
	t.Helper()
	var pairs []string
	seen := map[string]string{}
	for name, data := range readDir(t, dir) {
		m, _ := frontmattertest.FrontMatter(t, data)
		pair := fmt.Sprint(m["link"], "|", m["title"])
		if other, dup := seen[pair]; dup {
			t.Errorf("%s and %s both hold %s", other, name, pair)
		}
		seen[pair] = name
		pairs = append(pairs, pair)
	}
	sort.Strings(pairs)
	return pairs
}

// A podcast gives every episode the show's home page as its link and its
// own guid: every episode is an item of its own.
func TestSharedLinkDistinctGUIDs(t *testing.T) {
	out := t.TempDir()
	var eps []item
	for i := 1; i <= 5; i++ {
		eps = append(eps, item{title: fmt.Sprintf("Episode %d", i), link: "https://show.example/", guid: fmt.Sprintf("ep-%d", i), body: "audio"})
	}
	res := convertBytes(t, out, rss(eps...), nil)
	if res.New != 5 || res.Skipped != 0 {
		t.Fatalf("%+v", res)
	}
	// A new episode on top: one new file, the others left alone.
	eps = append([]item{{title: "Episode 6", link: "https://show.example/", guid: "ep-6", body: "audio"}}, eps...)
	res = convertBytes(t, out, rss(eps...), nil)
	if res.New != 1 || res.Unchanged != 5 {
		t.Fatalf("second run: %+v", res)
	}
	if got := len(linksAndTitles(t, out)); got != 6 {
		t.Errorf("%d files for 6 episodes", got)
	}
}

// News pages often give every item the site's home page and no id: link
// and title tell them apart, and stay stable as items come and go.
func TestSharedLinkNoGUID(t *testing.T) {
	out := t.TempDir()
	feed := []item{
		{title: "Storm hits coast", link: "https://news.example/"},
		{title: "Markets rally", link: "https://news.example/"},
		{title: "Local team wins", link: "https://news.example/"},
	}
	if res := convertBytes(t, out, rss(feed...), nil); res.New != 3 {
		t.Fatalf("%+v", res)
	}
	before := readDir(t, out)
	// A new story on top, the last one gone.
	feed = []item{{title: "Rain tomorrow", link: "https://news.example/"}, feed[0], feed[1]}
	res := convertBytes(t, out, rss(feed...), nil)
	if res.New != 1 || res.Unchanged != 2 || res.Updated != 0 {
		t.Fatalf("second run: %+v", res)
	}
	after := readDir(t, out)
	for name, data := range before {
		if string(after[name]) != string(data) {
			t.Errorf("%s changed", name)
		}
	}
	if _, ok := after["rain-tomorrow.md"]; !ok {
		t.Errorf("new story not in its own file: %s", names(after))
	}
}

// One id given to items with different links or titles does not tell
// them apart.
func TestSharedGUIDDifferentItems(t *testing.T) {
	out := t.TempDir()
	feed := rss(
		item{title: "First", link: "https://example.com/1", guid: "same"},
		item{title: "Second", link: "https://example.com/2", guid: "same"},
		item{title: "Third", link: "https://example.com/3", guid: "same"},
	)
	res := convertBytes(t, out, feed, nil)
	if res.New != 3 || res.Skipped != 0 {
		t.Fatalf("%+v", res)
	}
	res = convertBytes(t, out, feed, nil)
	if res.Unchanged != 3 {
		t.Fatalf("re-run: %+v", res)
	}
	// The first item's title changes: it keeps its file, known by its link.
	feed = rss(
		item{title: "First, retitled", link: "https://example.com/1", guid: "same"},
		item{title: "Second", link: "https://example.com/2", guid: "same"},
		item{title: "Third", link: "https://example.com/3", guid: "same"},
	)
	res = convertBytes(t, out, feed, nil)
	if res.Updated != 1 || res.Unchanged != 2 || res.New != 0 {
		t.Fatalf("retitled: %+v", res)
	}
	m, _ := frontmattertest.FrontMatter(t, readDir(t, out)["first.md"])
	if m["title"] != "First, retitled" {
		t.Errorf("first.md: %v", m)
	}
}

// An item whose only link another item now shares (a sponsor post
// linking to the same page) keeps its file; the newcomer gets its own.
func TestNewItemSharingALink(t *testing.T) {
	out := t.TempDir()
	post := item{title: "A linked post", link: "https://example.com/page", body: "post"}
	if res := convertBytes(t, out, rss(post), nil); res.New != 1 {
		t.Fatalf("%+v", res)
	}
	sponsor := item{title: "Sponsor: a product", link: "https://example.com/page", body: "ad"}
	res := convertBytes(t, out, rss(sponsor, post), nil)
	if res.New != 1 || res.Unchanged != 1 {
		t.Fatalf("%+v", res)
	}
	files := readDir(t, out)
	m, _ := frontmattertest.FrontMatter(t, files["a-linked-post.md"])
	if m["title"] != "A linked post" {
		t.Errorf("the post lost its file: %v", m)
	}
	if _, ok := files["sponsor-a-product.md"]; !ok {
		t.Errorf("files %s", names(files))
	}
	// And a re-run in either order changes nothing.
	for _, order := range [][]item{{sponsor, post}, {post, sponsor}} {
		if res := convertBytes(t, out, rss(order...), nil); res.Unchanged != 2 {
			t.Errorf("re-run: %+v", res)
		}
	}
}

// A title that changes keeps the item's file when its link is its own,
// whatever comes before it in the feed.
func TestRetitledItemKeepsFile(t *testing.T) {
	out := t.TempDir()
	feed := rss(
		item{title: "Old title", link: "https://example.com/post"},
		item{title: "Other", link: "https://example.com/other"},
	)
	if res := convertBytes(t, out, feed, nil); res.New != 2 {
		t.Fatalf("%+v", res)
	}
	feed = rss(
		item{title: "Newcomer", link: "https://example.com/new"},
		item{title: "New title", link: "https://example.com/post"},
		item{title: "Other", link: "https://example.com/other"},
	)
	res := convertBytes(t, out, feed, nil)
	if res.New != 1 || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("%+v", res)
	}
	files := readDir(t, out)
	m, _ := frontmattertest.FrontMatter(t, files["old-title.md"])
	if m["title"] != "New title" || m["slug"] != "old-title" {
		t.Errorf("old-title.md: %v", m)
	}
	if res := convertBytes(t, out, feed, nil); res.Unchanged != 3 {
		t.Errorf("re-run: %+v", res)
	}
}

// A folder written by the previous release, which knew items by their
// link alone: of a podcast whose episodes all link to the show's page it
// kept one. testdata/legacy/podcast/out is what that release's binary
// wrote for feed-old.xml, committed as it wrote it; feed.xml is the same
// feed later: a new episode on top, and the bonus episode (a link of its
// own) retitled.
func TestAdoptPreviousReleaseFolder(t *testing.T) {
	src := filepath.Join("testdata", "legacy", "podcast")
	feed, err := os.ReadFile(filepath.Join(src, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	old, err := os.ReadDir(filepath.Join(src, "out"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range old {
		data, err := os.ReadFile(filepath.Join(src, "out", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	oldFiles := readDir(t, out)
	res := convertBytes(t, out, string(feed), nil)
	if res.Failed() || res.Items != 8 {
		t.Fatalf("%+v", res)
	}
	pairs := linksAndTitles(t, out) // fails on a (link, title) pair in two files
	if len(pairs) != 8 {
		t.Errorf("%d files for 8 episodes: %q", len(pairs), pairs)
	}
	// Every file the old release wrote is still its episode's.
	newFiles := readDir(t, out)
	for name, data := range oldFiles {
		was, _ := frontmattertest.FrontMatter(t, data)
		is, _ := frontmattertest.FrontMatter(t, newFiles[name])
		if was["link"] != is["link"] {
			t.Errorf("%s was %v, now %v", name, was["link"], is["link"])
		}
		if name != "bonus-live-in-berlin.md" && was["title"] != is["title"] {
			t.Errorf("%s was %v, now %v", name, was["title"], is["title"])
		}
	}
	if m, _ := frontmattertest.FrontMatter(t, newFiles["bonus-live-in-berlin.md"]); m["title"] != "Bonus: live in Berlin (remastered)" {
		t.Errorf("the retitled bonus episode did not keep its file: %v", m)
	}
	if res.Unchanged != 2 || res.Updated != 1 || res.New != 5 {
		t.Errorf("%+v", res)
	}
	if res := convertBytes(t, out, string(feed), nil); res.Unchanged != 8 {
		t.Errorf("re-run: %+v", res)
	}
}

// An item listed by two feeds belongs to the first; when the first is
// unchanged (skipped whole), the second still does not take the item.
func TestItemInTwoFeedsFirstUnchanged(t *testing.T) {
	dir := t.TempDir()
	shared := item{title: "Shared story", link: "https://example.com/shared", guid: "shared-1", date: "Mon, 02 Jan 2026 10:00:00 +0000"}
	a := filepath.Join(dir, "a.xml")
	b := filepath.Join(dir, "b.xml")
	write := func(path string, items ...item) {
		if err := os.WriteFile(path, []byte(rss(items...)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(a, shared, item{title: "Only in A", link: "https://example.com/a"})
	write(b, shared)
	out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
	run := func() []*Result {
		c := newTestConverter(t, out, func(o *Options) { o.CacheDir = cache })
		var results []*Result
		for _, p := range []string{a, b} {
			src, _ := fetch.ParseSource(p)
			results = append(results, c.Convert(context.Background(), src))
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return results
	}
	r := run()
	if r[0].New != 2 || r[1].New != 0 || r[1].Skipped != 1 {
		t.Fatalf("first run: %+v / %+v", r[0], r[1])
	}
	write(b, shared, item{title: "Only in B", link: "https://example.com/b"})
	r = run()
	if !r[0].SameBytes || r[1].New != 1 || r[1].Skipped != 1 {
		t.Fatalf("second run: %+v / %+v", r[0], r[1])
	}
	if got := names(readDir(t, out)); got != "only-in-a.md only-in-b.md shared-story.md" {
		t.Errorf("files %s", got)
	}
}

// feedFiles writes each feed to a file of dir and returns their paths.
func feedFiles(t *testing.T, dir string, feeds ...string) []string {
	t.Helper()
	var paths []string
	for i, f := range feeds {
		p := filepath.Join(dir, fmt.Sprintf("feed%d.xml", i+1))
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// convertPaths converts the feeds in order in one run into out.
func convertPaths(t *testing.T, out string, paths ...string) []*Result {
	t.Helper()
	c := newTestConverter(t, out, nil)
	var results []*Result
	for _, p := range paths {
		src, _ := fetch.ParseSource(p)
		results = append(results, c.Convert(context.Background(), src))
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return results
}

// channel is an RSS feed of its own link (so its own source key) and items.
func channel(link string, items ...item) string {
	return strings.Replace(rss(items...), "<link>https://example.com/</link>", "<link>"+link+"</link>", 1)
}

// Two feeds in one folder may give the same id ("1") to different items:
// each keeps its own file, in one run or in runs of their own, and no run
// rewrites the other's file or the folder's memory back and forth.
func TestTwoFeedsShareAnID(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	paths := feedFiles(t, dir,
		channel("https://c.example/", item{title: "C one", link: "https://c.example/p1", guid: "1"}),
		channel("https://d.example/", item{title: "D one", link: "https://d.example/p1", guid: "1"}),
	)
	r := convertPaths(t, out, paths...)
	if r[0].New != 1 || r[1].New != 1 || r[1].Skipped != 0 {
		t.Fatalf("one run: %+v / %+v", r[0], r[1])
	}
	files := readDir(t, out)
	c1, _ := frontmattertest.FrontMatter(t, files["c-one.md"])
	d1, _ := frontmattertest.FrontMatter(t, files["d-one.md"])
	if c1["link"] != "https://c.example/p1" || d1["link"] != "https://d.example/p1" {
		t.Fatalf("files %s", names(files))
	}
	before := readDir(t, out)
	// Each feed on its own, as two cron jobs would run them, twice.
	for i := 0; i < 2; i++ {
		for _, p := range paths {
			if r := convertPaths(t, out, p); r[0].Unchanged != 1 || r[0].New+r[0].Updated != 0 {
				t.Errorf("%s alone: %+v", filepath.Base(p), r[0])
			}
		}
	}
	after := readDir(t, out)
	for name, data := range before {
		if string(after[name]) != string(data) {
			t.Errorf("%s changed", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("files %s, were %s", names(after), names(before))
	}
}

// An item whose link an earlier feed of the run gave to another item (a
// home page) is an item of its own.
func TestTwoFeedsShareALink(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	paths := feedFiles(t, dir,
		channel("https://a.example/", item{title: "Storm hits coast", link: "https://news.example/"}, item{title: "Markets rally", link: "https://news.example/"}),
		channel("https://b.example/", item{title: "Local team wins", link: "https://news.example/"}),
	)
	r := convertPaths(t, out, paths...)
	if r[0].New != 2 || r[1].New != 1 || r[1].Skipped != 0 {
		t.Fatalf("%+v / %+v", r[0], r[1])
	}
	r = convertPaths(t, out, paths...)
	if r[0].Unchanged != 2 || r[1].Unchanged != 1 {
		t.Fatalf("re-run: %+v / %+v", r[0], r[1])
	}
	// The same item in two feeds still belongs to the first.
	paths = feedFiles(t, t.TempDir(),
		channel("https://a.example/", item{title: "Storm hits coast", link: "https://news.example/storm"}),
		channel("https://b.example/", item{title: "Storm hits coast", link: "https://news.example/storm"}),
	)
	r = convertPaths(t, t.TempDir(), paths...)
	if r[0].New != 1 || r[1].New != 0 || r[1].Skipped != 1 {
		t.Errorf("the same item in two feeds: %+v / %+v", r[0], r[1])
	}
}

// Re-running feeds whose items share links or ids changes no byte and no
// time of any file, the folder's memory included.
func TestRerunSharedKeysTouchesNothing(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	paths := feedFiles(t, dir,
		rss(item{title: "Storm", link: "https://news.example/"}, item{title: "Rally", link: "https://news.example/"},
			item{title: "First", link: "https://example.com/1", guid: "same"}, item{title: "Second", link: "https://example.com/2", guid: "same"}),
	)
	convertPaths(t, out, paths...)
	old := time.Now().Add(-time.Hour)
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Chtimes(filepath.Join(out, e.Name()), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if r := convertPaths(t, out, paths...); r[0].Unchanged != 4 {
		t.Fatalf("re-run: %+v", r[0])
	}
	for _, e := range entries {
		info, err := os.Stat(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(old) {
			t.Errorf("%s was written again", e.Name())
		}
	}
}

// More retitled items than are held to the feed's end: each still keeps
// its file (those past maxDeferred are decided at once).
func TestManyRetitledItems(t *testing.T) {
	t.Parallel() // see TestMain
	out := t.TempDir()
	n := maxDeferred + 50
	var items []item
	for i := 0; i < n; i++ {
		items = append(items, item{title: fmt.Sprintf("Old title %d", i), link: fmt.Sprintf("https://example.com/%d", i)})
	}
	if res := convertBytes(t, out, rss(items...), nil); res.New != n {
		t.Fatalf("%+v", res.New)
	}
	for i := range items {
		items[i].title = fmt.Sprintf("New title %d", i)
	}
	res := convertBytes(t, out, rss(items...), nil)
	if res.New != 0 || res.Updated != n {
		t.Fatalf("new %d, updated %d, want 0 and %d", res.New, res.Updated, n)
	}
	m, _ := frontmattertest.FrontMatter(t, readDir(t, out)[fmt.Sprintf("old-title-%d.md", n-1)])
	if m["title"] != fmt.Sprintf("New title %d", n-1) {
		t.Errorf("%v", m)
	}
}

// ConvertAll loads a bounded number of feeds ahead of the writer: while
// the first feed's result is being used, at most 2*jobs feeds have been
// fetched.
func TestConvertAllBoundsFeedsAhead(t *testing.T) {
	var fetched atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		w.Write([]byte(rss(item{title: "Post " + r.URL.Path, link: "https://example.com" + r.URL.Path})))
	}))
	defer srv.Close()
	var srcs []fetch.Source
	for i := 0; i < 20; i++ {
		src, err := fetch.ParseSource(fmt.Sprintf("%s/feed%d", srv.URL, i))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	c := newTestConverter(t, t.TempDir(), nil)
	const jobs = 2
	n := 0
	c.ConvertAll(context.Background(), srcs, jobs, func(res *Result) {
		if n == 0 {
			time.Sleep(300 * time.Millisecond) // time for the loaders to run ahead
			if got := fetched.Load(); got > 2*jobs {
				t.Errorf("%d feeds fetched while the first was written, want at most %d", got, 2*jobs)
			}
		}
		if res.Failed() || res.New != 1 {
			t.Errorf("%+v", res)
		}
		n++
	})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n != 20 || fetched.Load() != 20 {
		t.Errorf("%d results, %d fetched", n, fetched.Load())
	}
}

// An item whose id another feed of the run has, and which may take a
// remembered file by its link alone (retitled), is put off to the end of
// its feed under its link and title; it must then get that file, not be
// counted as written for the earlier feed.
func TestPutOffItemWithAnotherFeedsID(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	// First run: feed B alone, its item without the id it has later.
	first := feedFiles(t, dir, channel("https://b.example/", item{title: "Old title", link: "https://b.example/p1"}))
	if r := convertPaths(t, out, first...); r[0].New != 1 {
		t.Fatalf("first run: %+v", r[0])
	}
	// Then A and B in one run: B's item, retitled, now has the id "7"
	// that A's item (another link, another title) claims first.
	paths := feedFiles(t, t.TempDir(),
		channel("https://a.example/", item{title: "A one", link: "https://a.example/p1", guid: "7"}),
		channel("https://b.example/", item{title: "New title", link: "https://b.example/p1", guid: "7"}),
	)
	r := convertPaths(t, out, paths...)
	if r[0].New != 1 || r[1].Skipped != 0 || r[1].Updated != 1 {
		t.Fatalf("A: %+v\nB: %+v", r[0], r[1])
	}
	files := readDir(t, out)
	if len(files) != 2 {
		t.Fatalf("files %s", names(files))
	}
	if m, _ := frontmattertest.FrontMatter(t, files["old-title.md"]); m["title"] != "New title" {
		t.Errorf("old-title.md holds %v", m["title"])
	}
}

// A feed whose id an earlier feed of the run has, and whose items then
// share it among themselves, re-keys only its own files: the earlier
// feed's file stays recorded under the id, with its own link and title.
func TestSharedIDLeavesEarlierFeedsFile(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	paths := feedFiles(t, dir,
		channel("https://a.example/", item{title: "A one", link: "https://a.example/a1", guid: "7"}),
		channel("https://b.example/", item{title: "B one", link: "https://b.example/b1", guid: "7"},
			item{title: "B two", link: "https://b.example/b2", guid: "7"}),
	)
	r := convertPaths(t, out, paths...)
	if r[0].New != 1 || r[1].New != 2 {
		t.Fatalf("A: %+v\nB: %+v", r[0], r[1])
	}
	ids, err := os.ReadFile(filepath.Join(out, folder.IDsFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc folder.IDsDoc
	if err := json.Unmarshal(ids, &doc); err != nil {
		t.Fatal(err)
	}
	if e, ok := doc.Items["guid:7"]; !ok || e.Slug != "a-one" || e.Title != folder.TitleSum("A one").String() {
		t.Errorf("guid:7 is %+v in\n%s", e, ids)
	}
	for key, e := range doc.Items {
		if e.Slug == "a-one" && key != "guid:7" {
			t.Errorf("A's file is also recorded as %s: %+v", key, e)
		}
	}
	// And the next run changes nothing.
	before := readDir(t, out)
	r = convertPaths(t, out, paths...)
	if r[0].Unchanged != 1 || r[1].Unchanged != 2 {
		t.Errorf("re-run: A %+v\nB %+v", r[0], r[1])
	}
	if after, _ := os.ReadFile(filepath.Join(out, folder.IDsFile)); string(after) != string(ids) {
		t.Errorf("ids file rewritten:\n%s", after)
	}
	sameFiles(t, "re-run", before, readDir(t, out))
}

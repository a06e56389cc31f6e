package convert

import (
	"context"
	"feed2md/convert/body"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestCorpus converts every feed of ../shared/corpus (real-world feeds
// and the parser test suites): no panic, and each feed either writes
// files whose front matter reads back as YAML with every key of the
// layout, or fails with one line that names the reason. A second run over
// the same folder changes nothing.
func TestCorpus(t *testing.T) {
	t.Parallel() // see TestMain
	root := filepath.Join(corpustest.SharedDir(t), "corpus")
	feeds := corpustest.Files(t, root)
	if len(feeds) < 100 {
		t.Fatalf("only %d feeds under %s", len(feeds), root)
	}
	// One parallel subtest per feed, so that the feeds share the cores
	// with the other parallel tests; the counts are summed under mu.
	var mu sync.Mutex
	var converted, failed, files int
	t.Run("feeds", func(t *testing.T) {
		for _, path := range feeds {
			rel, _ := filepath.Rel(root, path)
			t.Run(filepath.ToSlash(rel), func(t *testing.T) {
				t.Parallel()
				out := t.TempDir()
				c := newTestConverter(t, out, nil)
				src, _ := fetch.ParseSource(path)
				res := c.Convert(context.Background(), src)
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
				if res.Err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					if msg := res.Err.Error(); msg == "" || strings.Contains(msg, "\n") {
						t.Errorf("%s: error is not one line: %q", rel, msg)
					}
					if strings.HasPrefix(rel, "realworld/") && !strings.Contains(rel, "partial") {
						t.Logf("%s: %v", rel, res.Err)
					}
					return
				}
				for _, err := range res.Errors {
					t.Errorf("%s: %v", rel, err)
				}
				written := readDir(t, out)
				mu.Lock()
				converted++
				files += len(written)
				mu.Unlock()
				checkEveryItemKept(t, rel, path, written)
				for name, data := range written {
					if !frontmatter.SafeName(strings.TrimSuffix(name, ".md")) {
						t.Errorf("%s: unsafe file name %q", rel, name)
					}
					frontmattertest.FrontMatter(t, data)
				}
				c2 := newTestConverter(t, out, nil)
				if res2 := c2.Convert(context.Background(), src); res2.New+res2.Updated != 0 {
					t.Errorf("%s: re-run wrote %d new and %d updated files", rel, res2.New, res2.Updated)
				}
			})
		}
	})
	t.Logf("%d feeds: %d converted into %d files, %d refused with a reason", len(feeds), converted, files, failed)
	if converted+failed < len(feeds) {
		// -run chose some feeds, or a feed's subtest stopped (and failed).
		t.Logf("SKIPPED part: %d of %d feeds ran to the end: the totals are not checked", converted+failed, len(feeds))
		return
	}
	// Refusing is allowed only for the odd few (an HTML page, a truncated
	// JSON file, a non-feed): a regression that refuses real feeds fails.
	if failed > len(feeds)/50 || files < 10*converted/2 {
		t.Errorf("%d of %d feeds refused, %d files from %d feeds: far fewer than expected", failed, len(feeds), files, converted)
	}
}

// checkEveryItemKept checks FORMAT.md's rule that every distinct item
// gets its own file: the feed is parsed whole by gofeed here, the items
// are told apart by the rule as written (id, unless items with other links
// or titles share it; else link and title; else a hash), and there must
// be at least that many files, with a file for every absolute http(s)
// link of the feed.
func checkEveryItemKept(t *testing.T, rel, path string, written map[string][]byte) {
	t.Helper()
	feed := corpustest.ReadFeed(t, path)
	if feed == nil {
		return
	}
	type one struct{ guid, link, title string }
	var all []one
	byGUID := map[string]map[string]bool{}
	for _, it := range feed.Items {
		o := one{guid: strings.TrimSpace(it.GUID), link: strings.TrimSpace(it.Link), title: body.PlainText(it.Title)}
		if o.link == "" && len(it.Links) > 0 {
			o.link = strings.TrimSpace(it.Links[0])
		}
		if o.guid != "" {
			if byGUID[o.guid] == nil {
				byGUID[o.guid] = map[string]bool{}
			}
			byGUID[o.guid][o.link+"\x00"+o.title] = true
		}
		all = append(all, o)
		_ = it
	}
	distinct := map[string]bool{}
	for i, o := range all {
		it := feed.Items[i]
		switch {
		case o.guid != "" && len(byGUID[o.guid]) == 1:
			distinct["id "+o.guid] = true
		case o.link != "":
			distinct["link "+o.link+"\x00"+o.title] = true
		default:
			distinct["hash "+it.Title+"\x00"+it.Published+"\x00"+it.Updated+"\x00"+it.Content+"\x00"+it.Description] = true
		}
	}
	links := map[string]bool{}
	for _, data := range written {
		if m, _ := frontmattertest.FrontMatter(t, data); m["link"] != nil {
			links[m["link"].(string)] = true
		}
	}
	if len(written) < len(distinct) {
		t.Errorf("%s: %d files for %d distinct items", rel, len(written), len(distinct))
	}
	for _, o := range all {
		u, err := url.Parse(o.link)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.String() != o.link {
			continue
		}
		if !links[o.link] {
			t.Errorf("%s: no file has the link %s", rel, o.link)
		}
	}
}

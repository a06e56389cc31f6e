package convert

import (
	"context"
	"errors"
	"feed2md/convert/body/bodytest"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"feed2md/convert/fulltext"
	"feed2md/convert/fulltext/fulltexttest"
	"fmt"
	"html"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"
)

// pageSite is a test server of items' pages, counting the requests for
// each path.
type pageSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]string // path → page
	asked map[string]int
}

func newPageSite(t *testing.T) *pageSite {
	s := &pageSite{pages: map[string]string{}, asked: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.asked[r.URL.Path]++
		page, ok := s.pages[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	t.Cleanup(s.Close)
	return s
}

// requests returns the requests made so far, by path, and forgets them.
func (s *pageSite) requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.asked
	s.asked = map[string]int{}
	return a
}

// excerptFeed writes an RSS feed whose items carry the first 20 words of
// each article as their description and link to its page on site; the
// items of full carry the whole article as their content.
func excerptFeed(t *testing.T, site *pageSite, articles []string, full map[int]bool, extra string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>News</title><link>` + site.URL + `/</link>`)
	for i, a := range articles {
		path := fmt.Sprintf("/post/%d", i)
		site.pages[path] = fulltexttest.Page(i%3, fmt.Sprintf("Story number %d", i), a)
		fmt.Fprintf(&b, "<item><title>Story number %d</title><link>%s%s</link><guid>g%d</guid><pubDate>Mon, 02 Nov 2026 10:%02d:00 GMT</pubDate><description>%s</description>",
			i, site.URL, path, i, i, html.EscapeString(fulltexttest.Excerpt(a, 20)))
		if full[i] {
			fmt.Fprintf(&b, "<content:encoded>%s</content:encoded>", html.EscapeString(a))
		}
		b.WriteString("</item>")
	}
	b.WriteString(extra + "</channel></rss>")
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// longArticles are the testdata bodies of 150 words or more.
func longArticles(t *testing.T) []string {
	var out []string
	for _, b := range bodytest.TestdataBodies(t) {
		if fulltext.Words(b) >= 150 {
			out = append(out, b)
		}
	}
	if len(out) < 8 {
		t.Fatalf("only %d long testdata bodies", len(out))
	}
	return out
}

// TestFullText converts an excerpt feed with -fulltext: each item's body
// is its page's article (scored as the article-extraction benchmark
// does), its description stays the excerpt, an item whose feed has the
// whole post keeps it, a page that fails keeps the excerpt and counts,
// and re-runs, with the state or without, ask for no page again until a
// failed one is a day old.
func TestFullText(t *testing.T) {
	site := newPageSite(t)
	articles := longArticles(t)
	full := map[int]bool{1: true}
	missing := `<item><title>Gone story</title><link>` + site.URL + `/post/gone</link><guid>gone</guid><description>Only this excerpt is left of it.</description></item>`
	feed := excerptFeed(t, site, articles, full, missing)
	out, cache := t.TempDir(), t.TempDir()
	now := fixedNow()
	run := func(edit func(*Options)) *Result {
		t.Helper()
		return convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.FullText, o.CacheDir, o.Retries = true, cache, -1
			o.Now = func() time.Time { return now }
			if edit != nil {
				edit(o)
			}
		})
	}
	res := run(nil)
	n := len(articles)
	if res.Failed() || res.New != n+1 || res.PagesFetched != n+1 || res.Articles != n-1 || res.PagesFailed != 1 || len(res.PageErrors) != 1 {
		t.Fatalf("first run: failed %v %v, new %d, fetched %d, articles %d, failed pages %d, errors %v",
			res.Failed(), res.Errors, res.New, res.PagesFetched, res.Articles, res.PagesFailed, res.PageErrors)
	}
	var pe *PageError
	var he *fetch.HTTPError
	if !errors.As(res.PageErrors[0], &pe) || pe.Link != site.URL+"/post/gone" || !pe.Retry.Equal(now.Add(PageRetry)) || !errors.As(pe, &he) || he.StatusCode != 404 {
		t.Errorf("page error %v", res.PageErrors[0])
	}
	asked := site.requests()
	for path, k := range asked {
		if k != 1 {
			t.Errorf("%s asked for %d times", path, k)
		}
	}
	var truth, pred, excerpts []string
	for i, a := range articles {
		data, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("story-number-%d.md", i)))
		if err != nil {
			t.Fatal(err)
		}
		m, body := frontmattertest.FrontMatter(t, data)
		if want := fulltexttest.Excerpt(a, 20); m["description"] != want {
			t.Errorf("item %d: description %q, want the feed's %q", i, m["description"], want)
		}
		if live := bodytest.LiveScript(t, body); len(live) > 0 {
			t.Errorf("item %d: live script %q", i, live)
		}
		if full[i] {
			if strings.Contains(body, "grumpy_reader") || fulltext.Words(body) < fulltext.Words(a)*9/10 {
				t.Errorf("item %d, whole in its feed, does not keep the feed's body:\n%s", i, body)
			}
			continue
		}
		truth, pred = append(truth, fulltexttest.Text(a)), append(pred, fulltexttest.Text(body))
		excerpts = append(excerpts, m["description"].(string))
	}
	_, _, without := fulltexttest.ShingleF1(truth, excerpts)
	if p, r, f := fulltexttest.ShingleF1(truth, pred); f < 0.95 || without > 0.5 {
		t.Errorf("bodies: precision %.3f, recall %.3f, F1 %.3f (the excerpts alone: %.3f); want F1 0.95 or more", p, r, f, without)
	} else {
		t.Logf("%d bodies from their pages: F1 %.3f (the excerpts alone: %.3f)", len(truth), f, without)
	}
	data, err := os.ReadFile(filepath.Join(out, "gone-story.md"))
	if err != nil || !strings.Contains(string(data), "Only this excerpt is left of it.") {
		t.Errorf("the item whose page failed: %v\n%s", err, data)
	}

	// Re-runs: the feed is the same, and so are the files.
	res = run(nil)
	if !res.SameBytes || res.PagesFetched != 0 {
		t.Errorf("second run: same bytes %v, %d pages fetched", res.SameBytes, res.PagesFetched)
	}
	res = run(func(o *Options) { o.CacheDir = "" }) // -no-cache: the folder remembers
	if res.Failed() || res.Unchanged != n+1 || res.PagesFetched != 0 || res.Articles != n-1 {
		t.Errorf("run without the cache: unchanged %d, fetched %d, articles %d", res.Unchanged, res.PagesFetched, res.Articles)
	}
	if a := site.requests(); len(a) != 0 {
		t.Errorf("re-runs asked for %v", a)
	}

	// A day later, the failed page is asked for again, and only it.
	now = now.Add(PageRetry + time.Minute)
	site.pages["/post/gone"] = fulltexttest.Page(0, "Gone story", articles[0])
	res = run(nil)
	if res.SameBytes || res.Failed() || res.PagesFetched != 1 || res.PagesFailed != 0 || res.Updated != 1 || res.Unchanged != n {
		t.Errorf("a day later: same bytes %v, fetched %d, failed %d, updated %d, unchanged %d", res.SameBytes, res.PagesFetched, res.PagesFailed, res.Updated, res.Unchanged)
	}
	if a := site.requests(); len(a) != 1 || a["/post/gone"] != 1 {
		t.Errorf("a day later, asked for %v", a)
	}
	res = run(nil)
	if !res.SameBytes {
		t.Errorf("once every page gave its article, the next run still converts the feed")
	}
}

// TestFullTextDryRun: a dry run asks for no page and writes nothing.
func TestFullTextDryRun(t *testing.T) {
	site := newPageSite(t)
	feed := excerptFeed(t, site, longArticles(t)[:3], nil, "")
	out := t.TempDir()
	res := convertSource(t, context.Background(), out, feed, func(o *Options) { o.FullText, o.DryRun = true, true })
	if res.Failed() || res.New != 3 || res.PagesFetched != 0 || res.Articles != 0 {
		t.Errorf("dry run: new %d, fetched %d, articles %d", res.New, res.PagesFetched, res.Articles)
	}
	if a := site.requests(); len(a) != 0 {
		t.Errorf("a dry run asked for %v", a)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a dry run wrote %d entries", len(entries))
	}
}

// TestFullTextNotRemembered: when the folder's memory of pages cannot be
// written, the article is used all the same, and the error says so (not
// that the feed's body is kept).
func TestFullTextNotRemembered(t *testing.T) {
	site := newPageSite(t)
	feed := excerptFeed(t, site, longArticles(t)[:1], nil, "")
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, folder.PagesDir), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := convertSource(t, context.Background(), out, feed, func(o *Options) { o.FullText = true })
	if res.Failed() || res.New != 1 || res.Articles != 1 || res.PagesFailed != 0 || len(res.PageErrors) != 1 {
		t.Fatalf("new %d, articles %d, failed pages %d, errors %v", res.New, res.Articles, res.PagesFailed, res.PageErrors)
	}
	msg := res.PageErrors[0].Error()
	if errors.As(res.PageErrors[0], new(*PageError)) || !strings.Contains(msg, "remembering the article") || !strings.Contains(msg, "the article is used") {
		t.Errorf("error %q: want one that says the article is used but not remembered", msg)
	}
}

// TestFullTextMarkdownAndImages: in Markdown mode the article is
// converted (its shortcode delimiters escaped, its code block fenced),
// and with -images download its image lands in the item's bundle.
func TestFullTextMarkdownAndImages(t *testing.T) {
	site := newPageSite(t)
	article := longArticles(t)[0] + `<p>Write {{< youtube abc >}} to embed a video, and see the figure.</p><p><img src="/img/pic.png" alt="A picture"></p><pre><code>line one
    line two</code></pre>`
	feed := excerptFeed(t, site, []string{article}, nil, "")
	site.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/img/pic.png" {
			png.Encode(w, image.NewGray(image.Rect(0, 0, 2, 2)))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(site.pages[r.URL.Path]))
	})
	out := t.TempDir()
	res := convertSource(t, context.Background(), out, feed, func(o *Options) {
		o.FullText, o.Body, o.Images = true, BodyMarkdown, ImagesDownload
	})
	if res.Failed() || res.Articles != 1 || res.ImagesSaved != 1 {
		t.Fatalf("articles %d, images saved %d, errors %v %v", res.Articles, res.ImagesSaved, res.Errors, res.ImageErrors)
	}
	data, err := os.ReadFile(filepath.Join(out, "story-number-0", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, body := frontmattertest.FrontMatter(t, data)
	for _, want := range []string{"youtube abc", "![A picture](pic.png)", "```\nline one\n    line two\n```"} {
		if !strings.Contains(body, want) {
			t.Errorf("Markdown body lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(strings.ReplaceAll(body, "{{</*", ""), "{{<") {
		t.Errorf("a shortcode Hugo would run:\n%s", body)
	}
	if _, err := os.Stat(filepath.Join(out, "story-number-0", "pic.png")); err != nil {
		t.Error(err)
	}
	if entries, err := os.ReadDir(filepath.Join(out, folder.PagesDir)); err != nil || len(entries) != 1 {
		t.Errorf("%s: %v, %d entries", folder.PagesDir, err, len(entries))
	}
}

// TestFullTextTemplate: a user's template can mark the posts whose body
// came from their page (.FullText); the others are not marked.
func TestFullTextTemplate(t *testing.T) {
	site := newPageSite(t)
	articles := longArticles(t)[:2]
	feed := excerptFeed(t, site, articles, map[int]bool{1: true}, "")
	tmpl := template.Must(template.New("t").Funcs(frontmatter.TemplateFuncs()).Parse(
		"---\ntitle: {{dq .Title}}\n{{if .FullText}}fulltext: true\n{{end}}---\n"))
	out := t.TempDir()
	res := convertSource(t, context.Background(), out, feed, func(o *Options) { o.FullText, o.Template = true, tmpl })
	if res.Failed() || res.Articles != 1 {
		t.Fatalf("articles %d, errors %v", res.Articles, res.Errors)
	}
	for i, want := range []bool{true, false} {
		data, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("story-number-%d.md", i)))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(data), "\nfulltext: true\n"); got != want {
			t.Errorf("item %d marked %t, want %t:\n%.300s", i, got, want, data)
		}
	}
}

// TestFullTextBackoff: a page that keeps failing is asked for again a
// day after its first failure, then after 2, 4, … days, at most 32.
func TestFullTextBackoff(t *testing.T) {
	day := PageRetry
	for failures, want := range map[int]time.Duration{0: day, 1: day, 2: 2 * day, 3: 4 * day, 6: 32 * day, 40: 32 * day} {
		if got := pageRetryAfter(fixedNow(), failures).Sub(fixedNow()); got != want {
			t.Errorf("after %d failures: %s, want %s", failures, got, want)
		}
	}
	site := newPageSite(t)
	feed := excerptFeed(t, site, nil, nil, `<item><title>Gone</title><link>`+site.URL+`/gone</link><guid>g</guid><description>Only this.</description></item>`)
	out := t.TempDir()
	now := fixedNow()
	asked := func(at time.Time) int {
		t.Helper()
		now = at
		res := convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.FullText, o.Retries = true, -1
			o.Now = func() time.Time { return now }
		})
		if res.Failed() || res.New+res.Unchanged != 1 {
			t.Fatalf("at %s: %v %v", at, res.Err, res.Errors)
		}
		return site.requests()["/gone"]
	}
	start := fixedNow()
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{0, 1}, {day - time.Minute, 0}, {day, 1}, {day + 2*day - time.Minute, 0}, {3 * day, 1}, {3*day + 4*day - time.Minute, 0}, {7 * day, 1}} {
		if got := asked(start.Add(c.at)); got != c.want {
			t.Errorf("at +%s: %d requests, want %d", c.at, got, c.want)
		}
	}
}

// TestPruneForgetsPage: a file pruned takes its page's record in
// folder.PagesDir with it.
func TestPruneForgetsPage(t *testing.T) {
	site := newPageSite(t)
	articles := longArticles(t)[:2]
	feed := excerptFeed(t, site, articles, nil, "")
	out, cache := t.TempDir(), t.TempDir()
	now := fixedNow()
	run := func() *Result {
		t.Helper()
		res := convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.FullText, o.Prune, o.CacheDir = true, 24*time.Hour, cache
			o.Now = func() time.Time { return now }
		})
		if res.Failed() {
			t.Fatalf("%v %v", res.Err, res.Errors)
		}
		return res
	}
	records := func() int {
		entries, _ := os.ReadDir(filepath.Join(out, folder.PagesDir))
		return len(entries)
	}
	if run(); records() != 2 {
		t.Fatalf("%d page records, want 2", records())
	}
	one, err := os.ReadFile(excerptFeed(t, site, articles[:1], nil, ""))
	if err == nil {
		err = os.WriteFile(feed, one, 0o644) // the same feed, one item left
	}
	if err != nil {
		t.Fatal(err)
	}
	run()
	now = now.Add(48 * time.Hour)
	if res := run(); len(res.Pruned) != 1 || records() != 1 {
		t.Errorf("pruned %v, %d page records left, want 1", res.Pruned, records())
	}
}

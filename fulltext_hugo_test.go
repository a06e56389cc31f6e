package main

import (
	"bytes"
	"context"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"feed2md/convert/fulltext/fulltexttest"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHugoFullText builds real sites, with each theme and in both body
// modes, from an excerpt feed converted with -fulltext: each post page
// shows its page's article (its code block with its lines), not the
// page's menus or comments, and nothing that runs; the list shows the
// feed's excerpt as the summary; and the folder's memory of the pages
// (folder.PagesDir) is published nowhere.
func TestHugoFullText(t *testing.T) {
	hugo := hugoBin(t)
	themes := sharedThemes(t)
	article := testArticle + `<pre><code>harbour --open
  --lamp=on</code></pre><p>Visitors should <a href="javascript:alert(1)" onclick="steal()">book</a> early.<script>alert(2)</script></p>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(fulltexttest.Page(0, "Lighthouse reopens", article)))
	}))
	defer srv.Close()
	excerpt := strings.Join(strings.Fields(fulltexttest.Text(testArticle))[:20], " ")
	feed := fmt.Sprintf(`<rss version="2.0"><channel><title>News</title><link>%s/</link>
<item><title>Lighthouse reopens</title><link>%s/news/lighthouse</link><guid>1</guid><pubDate>Thu, 08 Jan 2026 10:00:00 +0000</pubDate><description>%s</description></item>
</channel></rss>`, srv.URL, srv.URL, excerpt)
	feedFile := filepath.Join(t.TempDir(), "excerpts.xml")
	if err := os.WriteFile(feedFile, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, theme := range frontmatter.Themes() {
		for _, mode := range []string{"html", "markdown"} {
			t.Run(theme+"/"+mode, func(t *testing.T) {
				site := t.TempDir()
				config := themeConfig(theme, themes)
				if mode == "html" {
					config += "[markup.goldmark.renderer]\n  unsafe = true\n" // as docs/bodies.md asks of HTML bodies
				}
				feedtest.WriteFiles(t, site, map[string]string{"hugo.toml": config})
				posts := filepath.Join(site, "content", "posts")
				var stdout, stderr bytes.Buffer
				args := []string{"-q", "-no-cache", "-fulltext", "-body", mode, "-theme", theme, "-o", posts, feedFile}
				if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
					t.Fatalf("feed2md exit %d: %s", code, stderr.String())
				}
				if _, err := os.Stat(filepath.Join(posts, folder.PagesDir)); err != nil {
					t.Fatalf("no memory of the pages: %v", err)
				}
				buildSite(t, hugo, site)
				page := string(readPage(t, site, "posts/lighthouse-reopens/index.html"))
				text := visibleText(t, page)
				for _, want := range []string{"restoration that took almost three years", "painted it for forty years", "harbour --open"} {
					if !strings.Contains(text, want) {
						t.Errorf("the post does not show %q", want)
					}
				}
				if !strings.Contains(page, "harbour --open\n  --lamp=on") {
					t.Errorf("the code block lost its lines")
				}
				for _, chrome := range []string{"grumpy_reader", "Most popular", "Accept all cookies"} {
					if strings.Contains(text, chrome) {
						t.Errorf("the post shows the page's %q", chrome)
					}
				}
				for _, hostile := range []string{"alert(1)", "steal()", "alert(2)"} {
					if strings.Contains(page, hostile) {
						t.Errorf("the page's %q is in the post", hostile)
					}
				}
				// The lists show the summary: Stack's on the home page only.
				list := visibleText(t, string(readPage(t, site, "index.html"))+string(readPage(t, site, "posts/index.html")))
				if !strings.Contains(list, strings.Join(strings.Fields(excerpt)[:12], " ")) {
					t.Errorf("the lists do not show the feed's excerpt as the summary:\n%s", list)
				}
				filepath.WalkDir(filepath.Join(site, "public"), func(path string, d os.DirEntry, err error) error {
					if err == nil && strings.Contains(path, "feed2md-pages") {
						t.Errorf("published: %s", path)
					}
					return nil
				})
			})
		}
	}
}

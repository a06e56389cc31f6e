package convert

import (
	"context"
	"feed2md/convert/fetch"
	"feed2md/convert/fulltext/fulltexttest"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHostsSharedByConverters: the Converters of one run (a -config
// file's output folders) share Options.Hosts: a host sees at most
// fetch.PerHost of the items' requests at once, however many folders ask.
func TestHostsSharedByConverters(t *testing.T) {
	articles := longArticles(t)[:4]
	h, peak := fulltexttest.Peak(30*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/post/%d", &i)
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(fulltexttest.Page(0, "Story", articles[i%len(articles)])))
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	feed := func(from int) string {
		var b strings.Builder
		b.WriteString(`<rss version="2.0"><channel><title>T</title>`)
		for i := from; i < from+4; i++ {
			fmt.Fprintf(&b, `<item><title>Story %d</title><link>%s/post/%d</link><description>%s</description></item>`,
				i, srv.URL, i, html.EscapeString(fulltexttest.Excerpt(articles[i%len(articles)], 20)))
		}
		b.WriteString(`</channel></rss>`)
		path := filepath.Join(t.TempDir(), "feed.xml")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	hosts := fetch.NewHosts()
	var wg sync.WaitGroup
	for k := range 3 {
		c := newTestConverter(t, t.TempDir(), func(o *Options) { o.FullText, o.Hosts = true, hosts })
		src, _ := fetch.ParseSource(feed(k * 4))
		wg.Go(func() {
			if res := c.Convert(context.Background(), src); res.Failed() || res.Articles != 4 {
				t.Errorf("folder %d: articles %d, %v %v", k, res.Articles, res.Err, res.Errors)
			}
			c.Close()
		})
	}
	wg.Wait()
	if most := peak(); most > fetch.PerHost {
		t.Errorf("%d requests at once to one host, over %d folders; want at most %d", most, 3, fetch.PerHost)
	}
}

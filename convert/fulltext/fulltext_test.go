package fulltext

import (
	"context"
	"errors"
	"feed2md/convert/fetch"
	"feed2md/convert/fulltext/fulltexttest"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// story is an article of some length, with a relative link and image.
const story = `<p>The harbour authority announced on Tuesday that the old lighthouse will reopen to visitors next spring after a restoration that took almost three years and cost twice the first estimate.</p>
<p>Engineers replaced the rusted iron stairs, rebuilt the lantern room and fitted a new lens, made by a small workshop that still grinds glass by hand. <a href="../history.html">Its history</a> goes back to 1874.</p>
<p><img src="img/lens.jpg" alt="The new lens"></p>
<p>Volunteers will guide tours on weekends, and the keeper's cottage becomes a small museum of the coast, its storms and its shipwrecks, with letters the keepers wrote to their families.</p>
<p>Tickets go on sale in March; children under twelve climb for free, and the first hundred visitors receive a print of the lighthouse drawn by a local artist who painted it for forty years.</p>`

// fetcher is the fetch stage's client for a test server.
func fetcher(srv *httptest.Server, timeout time.Duration) fetch.Fetcher {
	return fetch.Fetcher{Client: srv.Client(), UserAgent: "feed2md-test", Timeout: timeout, Retries: 1,
		RetryDelay: time.Millisecond, MaxWait: timeout, Now: time.Now}
}

func TestExtractArticle(t *testing.T) {
	var ua, accept atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		accept.Store(r.Header.Get("Accept"))
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/news/2026/lighthouse.html", http.StatusMovedPermanently)
		case "/news/2026/lighthouse.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(fulltexttest.Page(0, "Lighthouse reopens", story)))
		}
	}))
	defer srv.Close()
	x := New(fetcher(srv, 5*time.Second), fetch.NewHosts(), 0)
	a, err := x.Extract(context.Background(), srv.URL+"/moved")
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != srv.URL+"/news/2026/lighthouse.html" {
		t.Errorf("URL %q, want the page after its redirect", a.URL)
	}
	for _, want := range []string{"restoration that took almost three years", "Tickets go on sale in March",
		`href="` + srv.URL + `/news/history.html"`, `src="` + srv.URL + `/news/2026/img/lens.jpg"`} {
		if !strings.Contains(a.HTML, want) {
			t.Errorf("article lacks %q:\n%s", want, a.HTML)
		}
	}
	for _, chrome := range []string{"Most popular", "cookies", "grumpy_reader", "All rights reserved", "dataLayer", "<script"} {
		if strings.Contains(a.HTML, chrome) {
			t.Errorf("article keeps the page's %q:\n%s", chrome, a.HTML)
		}
	}
	if ua.Load() != "feed2md-test" || !strings.HasPrefix(accept.Load().(string), "text/html") {
		t.Errorf("asked with User-Agent %q, Accept %q", ua.Load(), accept.Load())
	}
}

// TestExtractRefuses: what is not an article page gives an error, after
// one request at most, and none for a link that is not http(s).
func TestExtractRefuses(t *testing.T) {
	var requests atomic.Int32
	big := fulltexttest.Page(0, "Big", strings.Repeat(story, 2000)) // about 2 MB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		case "/lying-png":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.7"))
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`))
		case "/big":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(big))
		case "/endless":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body><p>"))
			for i := 0; i < 1<<20 && r.Context().Err() == nil; i++ {
				if _, err := w.Write([]byte(strings.Repeat("more words of an endless page ", 100))); err != nil {
					return
				}
			}
		case "/slow":
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/to-js":
			w.Header().Set("Location", "javascript:alert(1)")
			w.WriteHeader(http.StatusFound)
		case "/empty":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><head><title>Nothing</title></head><body><nav><a href=/>Home</a></nav></body></html>"))
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		}
	}))
	defer srv.Close()
	x := New(fetcher(srv, 500*time.Millisecond), fetch.NewHosts(), 1<<20)
	for _, c := range []struct {
		path string
		want func(error) bool
	}{
		{"/png", isNotHTML}, {"/lying-png", isNotHTML}, {"/pdf", isNotHTML}, {"/feed", isNotHTML},
		{"/big", isTooLarge}, {"/endless", isTooLarge},
		{"/slow", func(err error) bool { return strings.Contains(err.Error(), "no answer within") }},
		{"/to-file", isScheme("file")}, {"/to-js", isScheme("javascript")},
		{"/empty", func(err error) bool { return errors.Is(err, errNoArticle) }},
		{"/gone", func(err error) bool { var he *fetch.HTTPError; return errors.As(err, &he) && he.StatusCode == 410 }},
	} {
		requests.Store(0)
		start := time.Now()
		_, err := x.Extract(context.Background(), srv.URL+c.path)
		if err == nil || !c.want(err) {
			t.Errorf("%s: %v", c.path, err)
		}
		if n := requests.Load(); n < 1 || (n > 1 && c.path != "/slow") {
			t.Errorf("%s: %d requests", c.path, n)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s took %s", c.path, d)
		}
	}
	requests.Store(0)
	for _, link := range []string{"file:///etc/passwd", "javascript:alert(1)", "/relative", "ftp://host/x", "https:///nohost"} {
		if _, err := x.Extract(context.Background(), link); !errors.Is(err, errNotWeb) {
			t.Errorf("%s: %v, want errNotWeb", link, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests for links that are not http(s)", n)
	}
}

func isNotHTML(err error) bool { var nh *notHTMLError; return errors.As(err, &nh) }

func isTooLarge(err error) bool {
	var tl *fetch.TooLargeError
	return errors.As(err, &tl) && tl.Kind == fetch.Page && tl.Flag() == "-max-page-size"
}

func isScheme(s string) func(error) bool {
	return func(err error) bool { var rs *fetch.RedirectSchemeError; return errors.As(err, &rs) && rs.Scheme == s }
}

// TestExtractPerHost: pages of one host are asked for at most
// fetch.PerHost at a time, however many goroutines ask.
func TestExtractPerHost(t *testing.T) {
	h, peak := fulltexttest.Peak(20*time.Millisecond, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(fulltexttest.Page(1, "Lighthouse", story)))
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	x := New(fetcher(srv, 5*time.Second), fetch.NewHosts(), 0)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := x.Extract(context.Background(), srv.URL+"/p"+string(rune('a'+i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if most := peak(); most != fetch.PerHost {
		t.Errorf("at most %d requests at once, want %d", most, fetch.PerHost)
	}
}

// TestFromPageEncodings: a page in Latin-1, said by its server or by its
// <meta>, or valid UTF-8 that says nothing, reads right; and <base>
// sets the base of relative URLs.
func TestFromPageEncodings(t *testing.T) {
	latin := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b
	}
	text := "<p>Café crème à la française, " + strings.Repeat("über die Brücke gehen wir jeden Tag zum Markt und zurück. ", 12) + "</p>"
	page := fulltexttest.Page(0, "Déjà vu", text)
	for _, c := range []struct {
		name  string
		page  []byte
		ctype string
	}{
		{"latin-1 by the server", latin(strings.Replace(page, `<meta charset="utf-8">`, "", 1)), "text/html; charset=iso-8859-1"},
		{"latin-1 by meta", latin(strings.Replace(page, `<meta charset="utf-8">`, `<meta charset="iso-8859-1">`, 1)), "text/html"},
		{"utf-8 unsaid, after a long ASCII head", []byte(strings.Replace(page, `<meta charset="utf-8">`, "<!--"+strings.Repeat(" ", 2000)+"-->", 1)), ""},
	} {
		got, err := fromPage(c.page, c.ctype, "https://example.org/a/b.html")
		if err != nil || !strings.Contains(got, "Café crème à la française") || !strings.Contains(got, "über die Brücke") {
			t.Errorf("%s: %v\n%.300s", c.name, err, got)
		}
	}
	based := strings.Replace(fulltexttest.Page(2, "Based", story), "<head>", `<head><base href="https://cdn.example/base/">`, 1)
	got, err := fromPage([]byte(based), "text/html", "https://example.org/a/b.html")
	if err != nil || !strings.Contains(got, `src="https://cdn.example/base/img/lens.jpg"`) {
		t.Errorf("<base>: %v\n%s", err, got)
	}
}

func TestWordsAndLonger(t *testing.T) {
	if n := Words(`<p>One, two-three <b>four</b></p><script>var not = "counted"</script><style>p{x:y}</style> five 6`); n != 6 {
		t.Errorf("Words = %d, want 6", n)
	}
	excerpt := "<p>The harbour authority announced on Tuesday that the old lighthouse will reopen […]</p>"
	for _, c := range []struct {
		article, body string
		want          bool
	}{
		{story, excerpt, true}, // an excerpt: the article
		{story, "", true},      // no body at all
		{story, story, false},  // the feed has the whole post
		{story, story[:len(story)*85/100], false},
		{"", excerpt, false},
		{"<p></p>", "", false}, // an article without words replaces nothing
	} {
		if got := Longer(c.article, c.body); got != c.want {
			t.Errorf("Longer(%d words, %d words) = %t", Words(c.article), Words(c.body), got)
		}
	}
}

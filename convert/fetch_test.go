package convert

import (
	"context"
	"encoding/json"
	"errors"
	"feed2md/convert/fetch"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// counted is an httptest server whose handler is h, and that counts the
// requests of each path.
type counted struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newCounted(t *testing.T, h http.HandlerFunc) *counted {
	c := &counted{hits: map[string]int{}}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.hits[r.URL.Path]++
		c.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *counted) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits[path]
}

// convertURL converts u with a new Converter (edit changes its options)
// and closes it.
func convertURL(t *testing.T, out, u string, edit func(*Options)) *Result {
	t.Helper()
	c := newTestConverter(t, out, edit)
	src, err := fetch.ParseSource(u)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return res
}

// clock is a settable Options.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestRetryAfterLongRecorded: a 429 asking for an hour is one request
// and a RetryLaterError, its time kept in the state; a run before then
// makes no request and does not fail; a run after it asks again, and
// the time is forgotten once the feed converts.
func TestRetryAfterLongRecorded(t *testing.T) {
	limited := true
	var mu sync.Mutex
	feed := rss(item{title: "After the wait", link: "https://e.test/a", body: "x"})
	srv := newCounted(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if limited {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(feed))
	})
	out, cache := t.TempDir(), t.TempDir()
	clk := &clock{fixedNow()}
	edit := func(o *Options) { o.CacheDir, o.Now = cache, clk.now }
	u := srv.URL + "/feed"

	res := convertURL(t, out, u, edit)
	var later *fetch.RetryLaterError
	if !errors.As(res.Err, &later) {
		t.Fatalf("err %v, want a RetryLaterError", res.Err)
	}
	want := fixedNow().Add(time.Hour)
	if !later.Until.Equal(want) || !later.Kept {
		t.Errorf("until %v kept %t, want %v and kept", later.Until, later.Kept, want)
	}
	if n := srv.count("/feed"); n != 1 {
		t.Errorf("%d requests, want 1 (no retry for a long Retry-After)", n)
	}
	wantMsg := "HTTP 429 Too Many Requests: the server asks for no request before " + fetch.FormatTime(want) + " (Retry-After): runs until then skip this feed"
	if res.Err.Error() != wantMsg {
		t.Errorf("error\n%s\nwant\n%s", res.Err, wantMsg)
	}
	if got := savedNotBefore(t, cache, u); !got.Equal(want) {
		t.Errorf("state's not_before %v, want %v", got, want)
	}

	// Before then: no request, no failure, the time in the result.
	clk.t = want.Add(-time.Second)
	res = convertURL(t, out, u, edit)
	if res.Failed() || !res.NotBefore.Equal(want) || res.New != 0 {
		t.Fatalf("before the time: %+v", res)
	}
	if n := srv.count("/feed"); n != 1 {
		t.Errorf("%d requests, want still 1", n)
	}

	// At the time: asked again, converted, the time forgotten.
	mu.Lock()
	limited = false
	mu.Unlock()
	clk.t = want
	res = convertURL(t, out, u, edit)
	if res.Failed() || res.New != 1 || !res.NotBefore.IsZero() {
		t.Fatalf("after the time: %+v", res)
	}
	if n := srv.count("/feed"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if got := savedNotBefore(t, cache, u); !got.IsZero() {
		t.Errorf("state's not_before %v after the feed converted, want none", got)
	}
}

// savedNotBefore reads the not_before of key from the one state file in
// cache.
func savedNotBefore(t *testing.T, cache, key string) time.Time {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(cache, "state-*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("state files %v (%v), want one", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Feeds[key] == nil {
		t.Fatalf("no state for %s in\n%s", key, data)
	}
	return f.Feeds[key].NotBefore
}

// TestRetryAfterWithoutState: with no cache folder there is nowhere to
// keep the time: one request, the error without the promise to skip.
// A dry run keeps nothing either.
func TestRetryAfterWithoutState(t *testing.T) {
	srv := newCounted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	for _, c := range []struct {
		name string
		edit func(*Options)
	}{
		{"no cache", nil},
		{"dry run", func(o *Options) { o.CacheDir, o.DryRun = t.TempDir(), true }},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := "/" + strings.ReplaceAll(c.name, " ", "-")
			res := convertURL(t, t.TempDir(), srv.URL+path, c.edit)
			var later *fetch.RetryLaterError
			if !errors.As(res.Err, &later) || later.Kept {
				t.Fatalf("err %v, want a RetryLaterError not kept", res.Err)
			}
			if strings.Contains(res.Err.Error(), "skip") || !strings.HasPrefix(res.Err.Error(), "HTTP 503 Service Unavailable: the server asks for no request before ") {
				t.Errorf("error %q", res.Err)
			}
			if n := srv.count(path); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// TestRetryAfterShortWaitsInRun: a Retry-After up to MaxWait is waited
// for, as asked (not the backoff), and the next attempt converts.
func TestRetryAfterShortWaitsInRun(t *testing.T) {
	var mu sync.Mutex
	first := true
	srv := newCounted(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if first {
			first = false
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(rss(item{title: "Now", link: "https://e.test/n", body: "x"})))
	})
	c := newTestConverter(t, t.TempDir(), func(o *Options) { o.CacheDir = t.TempDir() })
	var waits []time.Duration
	c.base.fetch.Sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	src, _ := fetch.ParseSource(srv.URL + "/feed")
	res := c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if res.Failed() || res.New != 1 {
		t.Fatalf("%+v", res)
	}
	if len(waits) != 1 || waits[0] != 2*time.Second {
		t.Errorf("waits %v, want [2s]", waits)
	}
	if n := srv.count("/feed"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestRetryAfterHTTPDate: a Retry-After date past MaxWait is kept as the
// very time the server gave.
func TestRetryAfterHTTPDate(t *testing.T) {
	when := fixedNow().Add(3 * time.Hour)
	srv := newCounted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", when.Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	cache := t.TempDir()
	res := convertURL(t, t.TempDir(), srv.URL+"/feed", func(o *Options) { o.CacheDir = cache })
	var later *fetch.RetryLaterError
	if !errors.As(res.Err, &later) || !later.Until.Equal(when) {
		t.Fatalf("err %v, want a RetryLaterError until %v", res.Err, when)
	}
	if got := savedNotBefore(t, cache, srv.URL+"/feed"); !got.Equal(when) {
		t.Errorf("state's not_before %v, want %v", got, when)
	}
	if n := srv.count("/feed"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRetryAfterValues: how a Retry-After header reads: seconds or an
// HTTP date, 0 (the usual backoff) for what is absent, unreadable or
// past, and never more than a day.
func TestRetryAfterValues(t *testing.T) {
	f := &fetch.Fetcher{Now: fixedNow}
	date := func(d time.Duration) string { return fixedNow().Add(d).Format(http.TimeFormat) }
	for _, c := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"soon", 0},
		{"-5", 0},
		{"1.5", 0},
		{"0", 0},
		{"7", 7 * time.Second},
		{" 7 ", 7 * time.Second},
		{"3600", time.Hour},
		{"86400", 24 * time.Hour},
		{"86401", 24 * time.Hour},
		{"100000000000", 24 * time.Hour},
		{"99999999999999999999999999", 24 * time.Hour},
		{date(-time.Hour), 0},
		{date(2 * time.Hour), 2 * time.Hour},
		{date(30 * 24 * time.Hour), 24 * time.Hour},
		{"Mon, 32 Foo 2026 99:00:00 GMT", 0},
	} {
		if got := f.RetryAfter(c.header); got != c.want {
			t.Errorf("Retry-After %q: %v, want %v", c.header, got, c.want)
		}
	}
}

// TestRedirectToOtherScheme: a redirect to a file: or ftp: URL is final:
// one request, no retry, an error in our words (for an image:
// images.TestRedirectToOtherScheme).
func TestRedirectToOtherScheme(t *testing.T) {
	srv := newCounted(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/file", "/file.png":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/ftp":
			http.Redirect(w, r, "ftp://ftp.example.test/feed.xml", http.StatusMovedPermanently)
		}
	})
	for _, c := range []struct{ path, scheme string }{{"/file", "file"}, {"/ftp", "ftp"}} {
		res := convertURL(t, t.TempDir(), srv.URL+c.path, nil)
		want := "redirected to a URL of the " + c.scheme + ": scheme, which feed2md does not follow (only http and https): check the address"
		if res.Err == nil || res.Err.Error() != want {
			t.Errorf("%s: error %v, want %q", c.path, res.Err, want)
		}
		if n := srv.count(c.path); n != 1 {
			t.Errorf("%s: %d requests, want 1", c.path, n)
		}
		if res.MovedTo != "" {
			t.Errorf("%s: moved to %q", c.path, res.MovedTo)
		}
	}

}

// TestDiscoveryOnlyWhenConverted: a page whose feed link points at the
// page itself fails as not a feed, with no discovered URL (hence no
// notice); a page that links to a real feed has it.
func TestDiscoveryOnlyWhenConverted(t *testing.T) {
	page := func(href string) string {
		return `<!DOCTYPE html><html><head><title>Blog</title>
<link rel="alternate" type="application/rss+xml" href="` + href + `"></head><body><p>Posts</p></body></html>`
	}
	srv := newCounted(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/self/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page("/self/")))
		case "/good/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page("/feed.xml")))
		case "/feed.xml":
			w.Write([]byte(rss(item{title: "Found", link: "https://e.test/f", body: "x"})))
		}
	})
	cache := t.TempDir()
	res := convertURL(t, t.TempDir(), srv.URL+"/self/", func(o *Options) { o.CacheDir = cache })
	var nf *fetch.NotFeedError
	if !errors.As(res.Err, &nf) || res.Discovered != "" {
		t.Errorf("self link: err %v, discovered %q; want not a feed, nothing discovered", res.Err, res.Discovered)
	}
	if !strings.HasPrefix(res.Err.Error(), "the feed "+srv.URL+"/self/ found in the page: not a feed (an HTML page)") {
		t.Errorf("self link: error %q", res.Err)
	}
	if n := srv.count("/self/"); n != 2 {
		t.Errorf("self link: %d requests, want 2 (the page, then the link)", n)
	}

	res = convertURL(t, t.TempDir(), srv.URL+"/good/", func(o *Options) { o.CacheDir = cache })
	if res.Failed() || res.New != 1 || res.Discovered != srv.URL+"/feed.xml" {
		t.Errorf("good link: %+v", res)
	}
}

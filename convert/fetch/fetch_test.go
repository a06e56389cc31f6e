package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testFetcher is a Fetcher for httptest servers: short waits, no real
// sleeping between attempts.
func testFetcher(c *http.Client) *Fetcher {
	return &Fetcher{
		Client: c, UserAgent: "feed2md-test", Timeout: 5 * time.Second, MaxSize: 1 << 20,
		Retries: 2, RetryDelay: time.Millisecond, MaxWait: time.Second, Now: time.Now,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	}
}

// urlSource is the Source of a URL.
func urlSource(t *testing.T, raw string) Source {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return Source{URL: u}
}

// TestConditionalRequest: the validators of the last response go out with
// the next request, and a 304 to them is NotModified with no body; the
// answer's own validators come back for the run after.
func TestConditionalRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "feed2md-test" {
			t.Errorf("User-Agent %q", r.Header.Get("User-Agent"))
		}
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Mon, 01 Dec 2026 00:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 01 Dec 2026 00:00:00 GMT")
		w.Write([]byte("<rss></rss>"))
	}))
	defer srv.Close()
	f := testFetcher(srv.Client())
	first, err := f.Read(context.Background(), urlSource(t, srv.URL), Validators{})
	if err != nil || first.NotModified || string(first.Body) != "<rss></rss>" {
		t.Fatalf("first: %v, %+v", err, first)
	}
	if first.Validators != (Validators{ETag: `"v1"`, LastModified: "Mon, 01 Dec 2026 00:00:00 GMT"}) {
		t.Errorf("validators %+v", first.Validators)
	}
	second, err := f.Read(context.Background(), urlSource(t, srv.URL), first.Validators)
	if err != nil || !second.NotModified || len(second.Body) != 0 {
		t.Fatalf("second: %v, %+v", err, second)
	}
}

// TestRetriesThenSucceeds: a 503 is tried again, and the third attempt's
// body is the result; a 404 is final after one request.
func TestRetriesThenSucceeds(t *testing.T) {
	var n, missing atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			missing.Add(1)
			http.NotFound(w, r)
			return
		}
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("<feed/>"))
	}))
	defer srv.Close()
	f := testFetcher(srv.Client())
	got, err := f.Read(context.Background(), urlSource(t, srv.URL), Validators{})
	if err != nil || string(got.Body) != "<feed/>" || n.Load() != 3 {
		t.Fatalf("%v, %q after %d requests, want <feed/> after 3", err, got.Body, n.Load())
	}
	_, err = f.Read(context.Background(), urlSource(t, srv.URL+"/missing"), Validators{})
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 || missing.Load() != 1 {
		t.Errorf("missing: %v after %d requests, want one 404", err, missing.Load())
	}
}

// TestSizeCapFailsLoudly: a body over MaxSize is a TooLargeError, never a
// document cut short; a permanent redirect on the way is MovedTo.
func TestSizeCapFailsLoudly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/big", http.StatusMovedPermanently)
		case "/small":
			w.Write([]byte("<rss>" + strings.Repeat("x", 100) + "</rss>"))
		default:
			w.Write([]byte("<rss>" + strings.Repeat("x", 2000) + "</rss>"))
		}
	}))
	defer srv.Close()
	f := testFetcher(srv.Client())
	f.MaxSize = 1000
	_, err := f.Read(context.Background(), urlSource(t, srv.URL+"/old"), Validators{})
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1000 {
		t.Errorf("big: %v, want a TooLargeError of 1000", err)
	}
	f.MaxSize = 1 << 20
	got, err := f.Read(context.Background(), urlSource(t, srv.URL+"/old"), Validators{})
	if err != nil || got.MovedTo != srv.URL+"/big" || got.URL != srv.URL+"/big" {
		t.Errorf("moved: %v, MovedTo %q, URL %q", err, got.MovedTo, got.URL)
	}
	got, err = f.Read(context.Background(), urlSource(t, srv.URL+"/small"), Validators{})
	if err != nil || got.MovedTo != "" || len(got.Body) != 111 {
		t.Errorf("small: %v, MovedTo %q, %d bytes", err, got.MovedTo, len(got.Body))
	}
}

// TestSniffStopsEarly: the Sniff a Fetcher is given judges the first bytes
// of a file, and its error is the read's.
func TestSniffStopsEarly(t *testing.T) {
	path := t.TempDir() + "/zeros"
	if err := writeZeros(path, 200<<10); err != nil {
		t.Fatal(err)
	}
	f := testFetcher(nil)
	f.MaxFileSize = 1 << 30
	notFeed := errors.New("not a feed")
	var seen int
	f.Sniff = func(prefix []byte, _ string) error { seen = len(prefix); return notFeed }
	if _, err := f.Read(context.Background(), Source{Path: path}, Validators{}); !errors.Is(err, notFeed) {
		t.Errorf("error %v, want the sniff's", err)
	}
	if seen == 0 || seen > 200<<10 {
		t.Errorf("the sniff saw %d bytes", seen)
	}
}

// writeZeros writes a file of n zero bytes, no feed.
func writeZeros(path string, n int) error { return os.WriteFile(path, make([]byte, n), 0o644) }

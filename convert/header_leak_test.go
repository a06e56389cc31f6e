package convert

import (
	"context"
	"feed2md/convert/fetch"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestHeaderNotSentToDiscoveredHost: a feed URL that is an HTML page
// linking to a feed on another host: the feed's headers (a private
// feed's token) go to the page's host only, not to the host the page
// names, in the run that discovers it nor in the next (the state's URL).
func TestHeaderNotSentToDiscoveredHost(t *testing.T) {
	var mu sync.Mutex
	leaked := 0
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.Header.Get("Authorization") != "" {
			leaked++
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<rss version="2.0"><channel><title>T</title><item><title>One</title><link>https://x.example/1</link><description>d</description></item></channel></rss>`))
	}))
	defer other.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="` + other.URL + `/feed"></head><body>hi</body></html>`))
	}))
	defer page.Close()
	dir, cache := t.TempDir(), t.TempDir()
	for run := range 2 {
		c := newTestConverter(t, dir, func(o *Options) {
			o.CacheDir = cache
			o.Header = http.Header{"Authorization": {"Bearer s3cret"}}
		})
		src, _ := fetch.ParseSource(page.URL + "/")
		res := c.Convert(context.Background(), src)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if res.Err != nil {
			t.Fatalf("run %d: %v", run, res.Err)
		}
	}
	if leaked > 0 {
		t.Errorf("the feed's Authorization header went %d times to the host its page links to", leaked)
	}
}

package convert

import (
	"context"
	"feed2md/convert/fetch"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// feedServer serves n feeds of items items each at /feed/N, with ETags.
func feedServer(tb testing.TB, n, items int) (*httptest.Server, []fetch.Source) {
	feeds := make([]string, n)
	for f := range feeds {
		var b strings.Builder
		fmt.Fprintf(&b, `<rss version="2.0"><channel><title>Feed %d</title><link>https://f%d.test/</link>`, f, f)
		for i := 0; i < items; i++ {
			fmt.Fprintf(&b, `<item><title>Feed %d post %d about things</title><link>https://f%d.test/p/%d</link><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description><![CDATA[<p>Body %d of feed %d, <a href="/x">a link</a>.</p>]]></description></item>`, f, i, f, i, i, f)
		}
		b.WriteString("</channel></rss>")
		feeds[f] = b.String()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &f)
		etag := fmt.Sprintf(`"f%d"`, f)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(feeds[f]))
	}))
	tb.Cleanup(srv.Close)
	srcs := make([]fetch.Source, n)
	for f := range srcs {
		srcs[f], _ = fetch.ParseSource(fmt.Sprintf("%s/feed/%d", srv.URL, f))
	}
	return srv, srcs
}

// BenchmarkHundredFeedsRerun runs 100 feeds served by httptest into one
// folder, then measures the second run: conditional requests, 304s, no
// parse and no write.
func BenchmarkHundredFeedsRerun(b *testing.B) {
	_, srcs := feedServer(b, 100, 20)
	out, cache := b.TempDir(), b.TempDir()
	run := func() (written, notModified int) {
		c := newTestConverter(b, out, func(o *Options) { o.CacheDir = cache })
		c.ConvertAll(context.Background(), srcs, 4, func(r *Result) {
			if r.Failed() {
				b.Fatalf("%s: %v %v", r.Source.Name(), r.Err, r.Errors)
			}
			written += r.New + r.Updated
			if r.NotModified {
				notModified++
			}
		})
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		return
	}
	start := time.Now()
	if w, _ := run(); w != 2000 {
		b.Fatalf("first run wrote %d files", w)
	}
	first := time.Since(start)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w, nm := run(); w != 0 || nm != 100 {
			b.Fatalf("re-run wrote %d files, %d feeds not modified", w, nm)
		}
	}
	b.StopTimer()
	second := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(first.Milliseconds()), "first-run-ms")
	b.ReportMetric(float64(second.Microseconds())/1000, "rerun-ms")
	b.ReportMetric(100/second.Seconds(), "feeds/s")
}

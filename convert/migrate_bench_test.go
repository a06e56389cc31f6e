package convert

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkImages converts a blog feed of 1,000 items with 3 images each,
// served by a loopback server, with -images download (every image fetched
// and written into its bundle) and with -images link (the default), and
// reports items/s. Each iteration writes into an empty folder.
//
//	go test ./convert -run XXX -bench BenchmarkImages -benchtime 3x
func BenchmarkImages(b *testing.B) {
	var pic bytes.Buffer
	png.Encode(&pic, image.NewGray(image.Rect(0, 0, 64, 48)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pic.Bytes())
	}))
	defer srv.Close()
	const items = 1000
	var feed strings.Builder
	fmt.Fprintf(&feed, `<rss version="2.0"><channel><title>b</title><link>%s/</link>`, srv.URL)
	for i := 0; i < items; i++ {
		fmt.Fprintf(&feed, `<item><title>Post number %d about pictures</title><link>%s/posts/%d</link><category>Photos</category>`+
			`<description><![CDATA[<p>Some words about the post, then pictures.</p><p><img src="/img/%d/a.png"> <img src="/img/%d/b.png" alt="b"></p><img src="/img/%d/c.png">]]></description></item>`,
			i, srv.URL, i, i, i, i)
	}
	feed.WriteString(`</channel></rss>`)
	for _, mode := range []string{ImagesLink, ImagesDownload} {
		b.Run(mode, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res := convertBytes(b, b.TempDir(), feed.String(), func(o *Options) { o.Images, o.Bundle = mode, true })
				if res.Failed() || res.New != items {
					b.Fatalf("new %d, errors %v", res.New, res.Errors)
				}
				if want := map[string]int{ImagesLink: 0, ImagesDownload: 3 * items}[mode]; res.ImagesSaved != want || res.ImagesFailed != 0 {
					b.Fatalf("saved %d images, want %d; %d failed: %v", res.ImagesSaved, want, res.ImagesFailed, res.ImageErrors)
				}
			}
			b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}

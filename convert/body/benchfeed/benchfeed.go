// Package benchfeed holds the feeds and the floor of the speed benchmarks
// (the convert package's and the command's): Real, a feed of any size
// whose bodies are the real blog posts of ../shared/corpus; WriteReal and
// WriteRealJSON, the same written to a file a piece at a time; Floor, the
// least a converter of the feed could do, which the benchmarks' figures are
// ratios to. It is test support; the command never imports it. It sits
// under the body stage because Real writes each item's summary as that
// stage makes plain text.
package benchfeed

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"feed2md/convert/body"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Real builds an RSS feed of n items whose bodies are real blog posts
// (corpustest.RealBodies, taken in turn), each item with a unique title, link and
// date, as a WordPress export has them: the body in <content:encoded> and
// a plain summary in <description>, both in CDATA sections.
func Real(t testing.TB, n int) []byte {
	var b bytes.Buffer
	if err := WriteReal(&b, corpustest.RealBodies(t), n); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// WriteReal writes Real's bytes to w, a piece at a time, so that
// a feed of any size can be written to a file.
func WriteReal(w io.Writer, bodies []string, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>A real blog</title><link>https://real.example.com/</link><description>Real posts</description>
`)
	cdata := func(s string) string {
		return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
	}
	summaries, wrapped := make([]string, len(bodies)), make([]string, len(bodies))
	for i := 0; i < n; i++ {
		k := i % len(bodies)
		if summaries[k] == "" {
			summary := body.PlainText(bodies[k])
			summary, _ = body.CutWords(summary, 300)
			summaries[k] = cdata(summary)
			wrapped[k] = cdata(bodies[k])
		}
		fmt.Fprintf(bw, "<item><title>%s, post %d</title>\n<link>https://real.example.com/%d/post-%d/</link>\n<guid>https://real.example.com/?p=%d</guid>\n",
			feedtest.Words[i%len(feedtest.Words)], i, 2020+i%6, i, i)
		fmt.Fprintf(bw, "<pubDate>Mon, %02d Feb 2026 %02d:%02d:00 -0500</pubDate><dc:creator>Author %d</dc:creator>\n", i%28+1, i%24, i%60, i%7)
		fmt.Fprintf(bw, "<description>%s</description>\n<content:encoded>%s</content:encoded></item>\n", summaries[k], wrapped[k])
	}
	bw.WriteString("</channel></rss>\n")
	return bw.Flush()
}

// WriteRealJSON writes the items of WriteReal as a JSON Feed.
func WriteRealJSON(w io.Writer, bodies []string, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`{"version": "https://jsonfeed.org/version/1.1", "title": "A real blog", "home_page_url": "https://real.example.com/", "description": "Real posts", "items": [` + "\n")
	quoted := make([][]byte, len(bodies))
	for i := 0; i < n; i++ {
		k := i % len(bodies)
		if quoted[k] == nil {
			quoted[k], _ = json.Marshal(bodies[k])
		}
		if i > 0 {
			bw.WriteString(",\n")
		}
		fmt.Fprintf(bw, `{"id": "https://real.example.com/?p=%d", "url": "https://real.example.com/%d/post-%d/", "title": "%s, post %d", "date_published": "2026-02-%02dT%02d:%02d:00-05:00", "authors": [{"name": "Author %d"}], "content_html": `,
			i, 2020+i%6, i, feedtest.Words[i%len(feedtest.Words)], i, i%28+1, i%24, i%60, i%7)
		bw.Write(quoted[k])
		bw.WriteString("}")
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// Floor is the floor the real work is measured against: encoding/xml
// streams the feed at path, and one small file per item is written into
// out, with none of the real work (no parse into items, no clean-up, no
// sanitizing). It returns the number of items.
func Floor(path, out string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	n := 0
	var title bytes.Buffer
	inTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inTitle = t.Name.Local == "title"
			title.Reset()
		case xml.CharData:
			if inTitle {
				title.Write(t)
			}
		case xml.EndElement:
			inTitle = false
			if t.Name.Local == "item" {
				n++
				name := filepath.Join(out, fmt.Sprintf("item-%d.md", n))
				if err := os.WriteFile(name, []byte("---\ntitle: "+title.String()+"\n---\n"), 0o644); err != nil {
					return n, err
				}
			}
		}
	}
}

// Median returns the median of xs (the mean of the middle two for an
// even count): a benchmark's ratios are medians over its rounds, so that
// one slow moment of a shared machine does not decide them.
func Median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

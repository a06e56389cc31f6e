package convert

import (
	"bufio"
	"bytes"
	"encoding/json"
	"feed2md/convert/body"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"fmt"
	"io"
	"strings"
	"testing"
)

// realFeed builds an RSS feed of n items whose bodies are real blog posts
// (corpustest.RealBodies, taken in turn), each item with a unique title, link and
// date, as a WordPress export has them: the body in <content:encoded> and
// a plain summary in <description>, both in CDATA sections.
func realFeed(t testing.TB, n int) []byte {
	var b bytes.Buffer
	if err := writeRealFeed(&b, corpustest.RealBodies(t), n); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeRealFeed writes realFeed's bytes to w, a piece at a time, so that
// a feed of any size can be written to a file.
func writeRealFeed(w io.Writer, bodies []string, n int) error {
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

// writeRealJSONFeed writes the items of writeRealFeed as a JSON Feed.
func writeRealJSONFeed(w io.Writer, bodies []string, n int) error {
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

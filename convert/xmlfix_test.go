package convert

import (
	"context"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Feeds that failed whole, or converted to no items, before the repairs.
func TestRepairedFeedsConvert(t *testing.T) {
	for name, c := range map[string]struct {
		feed  string
		items int
		title string
	}{
		"control references": {`<rss version="2.0"><channel><title>t</title><link>https://ex.com/</link>` +
			`<item><title>A &#x0B; b &#8; c &#0; &#x1F;</title><link>https://ex.com/a</link><description>d &#x0B; e</description></item>` +
			`<item><title>Fine</title><link>https://ex.com/b</link></item></channel></rss>`, 2, "A \uFFFD b \uFFFD c \uFFFD \uFFFD"},
		"Atom in a draft namespace": {`<?xml version="1.0"?><feed xmlns="http://purl.org/atom/ns#draft-ietf-atompub-format-08"><title>x</title>` +
			`<entry><title>One</title><id>urn:1</id><link href="https://ex.com/1"/><updated>2026-01-01T00:00:00Z</updated></entry>` +
			`<entry><title>Two</title><id>urn:2</id><link href="https://ex.com/2"/><updated>2026-01-01T00:00:00Z</updated></entry></feed>`, 2, "One"},
		"RSS 1.0 in a wrong namespace": {`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://wrong.example/">` +
			`<channel><title>t</title><link>https://ex.com/</link></channel>` +
			`<item><title>One</title><link>https://ex.com/1</link></item></rdf:RDF>`, 1, "One"},
	} {
		out := t.TempDir()
		res := convertBytes(t, out, c.feed, nil)
		if res.Failed() || res.New != c.items {
			t.Errorf("%s: %+v", name, res)
			continue
		}
		m, _ := frontmattertest.FrontMatter(t, readDir(t, out)[res.Changes[0].Name])
		if m["title"] != c.title {
			t.Errorf("%s: title %q, want %q", name, m["title"], c.title)
		}
	}
}

// The same repairs on the streamed path, for a document larger than the
// in-memory limit and the first bytes sniffed (64 KB): every run of items
// and the head go through them.
func TestRepairedFeedsStreamed(t *testing.T) {
	withMemMax(t, 2048)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><feed xmlns="http://purl.org/atom/ns#draft-ietf-atompub-format-08"><title>x</title>`)
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, `<entry><title>Entry %d &#x0B; here</title><id>urn:%d</id><link href="https://ex.com/%d"/>`+
			`<updated>2026-01-01T00:00:00Z</updated><content type="html">&lt;p&gt;body %d &amp;#0; and &#8;&lt;/p&gt;</content></entry>`, i, i, i, i)
	}
	b.WriteString(`</feed>`)
	out := t.TempDir()
	path := filepath.Join(t.TempDir(), "big.atom")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestConverter(t, out, nil)
	src, _ := fetch.ParseSource(path)
	res := c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if res.Failed() || res.New != 400 {
		t.Fatalf("%v %+v", res.Err, res)
	}
	m, body := frontmattertest.FrontMatter(t, readDir(t, out)["entry-7-here.md"])
	if m["title"] != "Entry 7 \uFFFD here" || !strings.Contains(body, "body 7 &#0; and \uFFFD") {
		t.Errorf("title %q body %q", m["title"], body)
	}
}

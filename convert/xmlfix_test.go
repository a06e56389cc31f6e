package convert

import (
	"context"
	"encoding/xml"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFixCharRefs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"no references", "no references"},
		{"a &#x0B; b", "a &#xFFFD; b"},
		{"&#8;&#0;&#x1F;&#X1f;", "&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;"},
		{"&#xD800; &#xFFFE; &#xFFFF; &#x110000; &#99999999999999999999;", "&#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD; &#xFFFD;"},
		// Allowed characters stay as written.
		{"&#9;&#10;&#13;&#32;&#xE9;&#x10FFFF;&#xFFFD;", "&#9;&#10;&#13;&#32;&#xE9;&#x10FFFF;&#xFFFD;"},
		// Not references: stay.
		{"&#; &#x; &#12 &#xZZ; &amp;#0;", "&#; &#x; &#12 &#xZZ; &amp;#0;"},
		{"<![CDATA[&#0;]]> &#0; <!-- &#1; --> &#2;", "<![CDATA[&#0;]]> &#xFFFD; <!-- &#1; --> &#xFFFD;"},
		{"<![CDATA[ unterminated &#0;", "<![CDATA[ unterminated &#0;"},
		{`<a title="&#x0B;">x</a>`, `<a title="&#xFFFD;">x</a>`},
		{"<!DOCTYPE x> &#0;", "<!DOCTYPE x> &#xFFFD;"},
	} {
		if got := string(fixCharRefs([]byte(c.in))); got != c.want {
			t.Errorf("fixCharRefs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzCharRefs: after the repairs decode makes (raw characters, then
// references), an XML parser finds no character XML forbids, and the
// reference repair changes nothing a second time.
func FuzzCharRefs(f *testing.F) {
	for _, s := range []string{"<t>&#x0B;</t>", "<t><![CDATA[&#0;]]>&#1;</t>", "<t a='&#8;'/>", "<t><!-- &#0; -->&#65;</t>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fixCharRefs(validUTF8([]byte(s), true))
		if again := fixCharRefs(out); string(again) != string(out) {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
		d := xml.NewDecoder(strings.NewReader(string(out)))
		d.Strict = false
		for {
			_, err := d.Token()
			if err != nil {
				if !errors.Is(err, io.EOF) && strings.Contains(err.Error(), "illegal character code") {
					t.Fatalf("%q: %v", out, err)
				}
				return
			}
		}
	})
}

func TestFixRootNamespace(t *testing.T) {
	for _, c := range []struct{ root, in, want string }{
		{"feed", `<feed xmlns="http://purl.org/atom/ns#draft-ietf-atompub-format-08"><entry/></feed>`, `<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>`},
		{"feed", `<feed xml:lang="en" xmlns = 'http://example.com/typo'>`, `<feed xml:lang="en" xmlns = 'http://www.w3.org/2005/Atom'>`},
		{"feed", `<feed xmlns="http://www.w3.org/2005/Atom">`, `<feed xmlns="http://www.w3.org/2005/Atom">`},
		{"feed", `<feed xmlns="http://purl.org/atom/ns#">`, `<feed xmlns="http://purl.org/atom/ns#">`},
		{"feed", `<feed>`, `<feed>`},
		{"feed", `<feed xmlns:media="http://search.yahoo.com/mrss/">`, `<feed xmlns:media="http://search.yahoo.com/mrss/">`},
		{"rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://wrong.example/">`, `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">`},
		{"rss", `<rss xmlns="http://backend.userland.com/rss2">`, `<rss xmlns="http://backend.userland.com/rss2">`},
	} {
		if got := string(fixRootNamespace([]byte(c.in), c.root)); got != c.want {
			t.Errorf("fixRootNamespace(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

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
		m, _ := frontMatter(t, readDir(t, out)[res.Changes[0].Name])
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
	m, body := frontMatter(t, readDir(t, out)["entry-7-here.md"])
	if m["title"] != "Entry 7 \uFFFD here" || !strings.Contains(body, "body 7 &#0; and \uFFFD") {
		t.Errorf("title %q body %q", m["title"], body)
	}
}

package feed

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

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

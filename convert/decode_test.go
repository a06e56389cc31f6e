package convert

import (
	"bytes"
	"compress/gzip"
	"feed2md/convert/body"
	"feed2md/convert/feed"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"strings"
	"testing"
	"unicode/utf16"
)

const rssTemplate = `<rss version="2.0"><channel><title>T</title><link>https://example.com/</link>` +
	`<item><title>%s</title><link>https://example.com/a</link><description>d</description></item></channel></rss>`

// titleOf decodes and parses raw and returns the first item's title.
func titleOf(t *testing.T, raw []byte, contentType string) string {
	t.Helper()
	d, err := feed.Decode(raw, contentType, 0)
	if err != nil {
		t.Fatal(err)
	}
	feed, err := feed.ParseFeed(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != 1 {
		t.Fatalf("%d items", len(feed.Items))
	}
	return body.PlainText(feed.Items[0].Title)
}

func rssWith(title string) string { return strings.Replace(rssTemplate, "%s", title, 1) }

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	if bom {
		if bigEndian {
			b = append(b, 0xfe, 0xff)
		} else {
			b = append(b, 0xff, 0xfe)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

func TestDecodeEncodings(t *testing.T) {
	latin1 := []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + rssWith("Caf\xe9 cr\xe8me"))
	win1251 := []byte(`<?xml version="1.0" encoding="windows-1251"?>` + rssWith("\xcf\xf3\xf2\xe8\xed"))
	utf16doc := `<?xml version="1.0" encoding="UTF-16"?>` + rssWith("Grüße 日本")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(rssWith("zipped")))
	zw.Close()
	cases := []struct {
		name, contentType string
		raw               []byte
		want              string
	}{
		{"utf-8", "", []byte(rssWith("Grüße")), "Grüße"},
		{"utf-8 BOM", "", append([]byte("\xef\xbb\xbf"), rssWith("Grüße")...), "Grüße"},
		{"declared latin-1", "", latin1, "Café crème"},
		{"declared windows-1251", "", win1251, "Путин"},
		{"HTTP charset wins over the declaration", "text/xml; charset=windows-1251", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + rssWith("\xcf\xf3\xf2\xe8\xed")), "Путин"},
		{"HTTP utf-8 on latin-1 bytes yields to the declaration", "application/rss+xml; charset=utf-8", latin1, "Café crème"},
		{"HTTP charset, no declaration", "text/xml; charset=iso-8859-1", []byte(rssWith("Caf\xe9")), "Café"},
		{"UTF-16LE with BOM", "", utf16Bytes(utf16doc, false, true), "Grüße 日本"},
		{"UTF-16BE with BOM", "", utf16Bytes(utf16doc, true, true), "Grüße 日本"},
		{"UTF-16LE without BOM", "", utf16Bytes(utf16doc, false, false), "Grüße 日本"},
		{"leading white space", "", []byte("\n\n   \t" + `<?xml version="1.0"?>` + rssWith("ws")), "ws"},
		{"long DOCTYPE before the root", "", []byte(`<?xml version="1.0"?><!DOCTYPE rss [` + strings.Repeat(`<!ENTITY e "x>y">`, 500) + `]><!-- c -->` + rssWith("dtd")), "dtd"},
		{"stray invalid bytes", "", []byte(rssWith("bad \xff\xfe byte")), "bad \uFFFD\uFFFD byte"},
		{"control characters", "", []byte(rssWith("ctl \x01\x08\x0b end")), "ctl \uFFFD\uFFFD\uFFFD end"},
		{"gzip", "", gz.Bytes(), "zipped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := titleOf(t, c.raw, c.contentType); got != c.want {
				t.Errorf("title %q, want %q", got, c.want)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	feed := `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://e.test/1","title":"Bad ` + "\xff" + ` byte","content_html":"<p>x</p>"}]}`
	got := titleOf(t, []byte(" \n"+feed), "application/feed+json")
	if got != "Bad \uFFFD byte" {
		t.Errorf("title %q", got)
	}
}

func TestDecodeNotAFeed(t *testing.T) {
	for name, raw := range map[string]string{
		"html page":  "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>",
		"other xml":  `<?xml version="1.0"?><note><to>x</to></note>`,
		"plain text": "hello world",
		"empty":      "",
	} {
		t.Run(name, func(t *testing.T) {
			d, err := feed.Decode([]byte(raw), "", 0)
			if err == nil {
				_, err = feed.ParseFeed(d)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), "feed") {
				t.Errorf("error %q does not say it is not a feed", err)
			}
		})
	}
}

// FuzzParse feeds arbitrary bytes through decoding, parsing and the item
// clean-up: nothing may panic, and what converts must render as valid
// front matter.
func FuzzParse(f *testing.F) {
	f.Add([]byte(rssWith("A <b>bold</b> &amp; title")), "")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;i&gt;x&lt;/i&gt;</title><link href="/rel"/><updated>2026-01-02T23:00:00-05:00</updated></entry></feed>`), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"id":"x","content_text":"t"}]}`), "")
	f.Add(utf16Bytes(rssWith("u16"), true, true), "text/xml; charset=utf-16")
	f.Fuzz(func(t *testing.T, raw []byte, contentType string) {
		out := t.TempDir()
		res := convertBytes(t, out, string(raw), nil)
		if res.Err != nil {
			return
		}
		for name, data := range readDir(t, out) {
			if !frontmatter.SafeName(strings.TrimSuffix(name, ".md")) {
				t.Fatalf("unsafe file name %q", name)
			}
			frontmattertest.FrontMatter(t, data)
		}
	})
}

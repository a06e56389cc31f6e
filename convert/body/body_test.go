package body

import (
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/corpustest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// TestHTMLBlock checks the HTML body as written for Goldmark, expected
// outputs written by hand: one type 6 HTML block, no blank line, and only
// the changes needed for that.
func TestHTMLBlock(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"block start, no blank line: as it is",
			"<p>One</p>\n<p>Two</p>", "<p>One</p>\n<p>Two</p>"},
		{"upper-case block tag",
			"<DIV class=x>a</DIV>", "<DIV class=x>a</DIV>"},
		{"text start: wrapped",
			"Hello [x](y) bye", "<div>Hello [x](y) bye</div>"},
		{"inline tag start: wrapped",
			"<b>a</b> <i>b</i>", "<div><b>a</b> <i>b</i></div>"},
		{"pre start (type 1): wrapped",
			"<pre>x</pre>\nafter", "<div><pre>x</pre>\nafter</div>"},
		{"tab after the name is not a type 6 start in Goldmark",
			"<p\tclass=x>a</p>", "<div><p\tclass=x>a</p></div>"},
		{"not a block tag though it starts with one's name",
			"<pre>a</pre>", "<div><pre>a</pre></div>"},
		{"blank lines between blocks dropped",
			"<p>a</p>\n\n<p>b</p>\n\n\n<p>c</p>", "<p>a</p>\n<p>b</p>\n<p>c</p>"},
		{"white-space-only lines dropped, their spaces kept",
			"<p>a</p>\n  \t\n<p>b</p>", "<p>a</p>\n  \t<p>b</p>"},
		{"blank line in text dropped",
			"<p>one\n\ntwo</p>", "<p>one\ntwo</p>"},
		{"blank line in pre kept as a character reference",
			"<pre>a\n\nb\n  \nc</pre>", "<div><pre>a\n&#10;b\n  &#10;c</pre></div>"},
		{"blank line right after <pre>",
			"<p>x</p><pre>\n\ncode</pre>", "<p>x</p><pre>\n&#10;code</pre>"},
		{"blank lines in code and white-space styled elements kept",
			"<p><code>a\n\nb</code> <span style=\"white-space: pre\">c\n\nd</span> e\n\nf</p>",
			"<p><code>a\n&#10;b</code> <span style=\"white-space: pre\">c\n&#10;d</span> e\nf</p>"},
		{"after </pre> blank lines drop again",
			"<pre>a</pre>\n\n<p>b</p>", "<div><pre>a</pre>\n<p>b</p></div>"},
		{"blank line in an attribute: tag rebuilt on one line",
			"<p><img src=\"https://x.test/a.png\" alt=\"a\n\nb\"></p>", "<p><img src=\"https://x.test/a.png\" alt=\"a&#10;&#10;b\"></p>"},
		{"blank line between attributes",
			"<p\ntitle=\"t\"\n\n>text</p\n\n>", "<p title=\"t\">text</p>"},
		{"CR LF and lone CR",
			"<p>a</p>\r\n\r\n<p>b\rc</p>\r\n", "<p>a</p>\n<p>b\nc</p>"},
		{"shortcodes escaped, then wrapped",
			"{{< x >}}", "<div>{{</* x */>}}</div>"},
	}
	c := NewMaker(false, false, 1)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := written(t, c, tc.in)
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if hasBlankLine([]byte(got)) {
				t.Errorf("%q holds a blank line", got)
			}
		})
	}
}

// TestHTMLBlockRaw: with -raw, blank lines in script, style and comments,
// where a character reference would not be read, are dropped; one line
// break stays.
func TestHTMLBlockRaw(t *testing.T) {
	c := NewMaker(false, true, 1)
	in := "<p>a</p>\n<script>\nvar a = 1\n\n\nvar b = 2\n</script>\n<!-- x\n\ny -->\n<pre>p\n\nq</pre>"
	want := "<p>a</p>\n<script>\nvar a = 1\nvar b = 2\n</script>\n<!-- x\ny -->\n<pre>p\n&#10;q</pre>"
	if got := written(t, c, in); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestBodiesLF: CR LF and lone CR become LF in every body mode, also
// when the CR comes from a character reference in Markdown text.
func TestBodiesLF(t *testing.T) {
	in := "<p>one\r\ntwo\rthree</p>\r\n\r\n<pre>a\r\nb</pre>\r\n<p>x&#13;y</p><pre>c&#13;d</pre>"
	for _, mode := range []struct {
		name          string
		markdown, raw bool
	}{
		{"html", false, false},
		{"raw", false, true},
		{"markdown", true, false},
		{"markdown raw", true, true},
	} {
		c := NewMaker(mode.markdown, mode.raw, 1)
		got, _, err := c.Make(&gofeed.Item{Content: in}, bodytest.Base)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(got, "\r") {
			t.Errorf("%s: %q holds CR", mode.name, got)
		}
		if !strings.Contains(got, "one\ntwo\nthree") && !strings.Contains(got, "one two three") {
			t.Errorf("%s: %q lost the line breaks", mode.name, got)
		}
	}
}

// BenchmarkHTMLBlock measures what writing HTML bodies as one Goldmark
// HTML block costs: the body stage in HTML mode against the sanitizer's
// pass alone (Sanitize), over generated posts and, when ../shared is
// there, real ones. It reports the ratio.
func BenchmarkHTMLBlock(b *testing.B) {
	bodies := bodytest.GeneratedBodies(b, 2000)
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared")); err == nil {
		bodies = append(bodies, corpustest.RealBodies(b)...)
	} else {
		b.Log("SKIPPED part: ../shared is missing, generated posts only")
	}
	c := NewMaker(false, false, 1)
	items := make([]*gofeed.Item, len(bodies))
	for i, s := range bodies {
		items[i] = &gofeed.Item{Content: s}
	}
	var sanitize, block time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for _, s := range bodies {
			Sanitize(s, bodytest.Base)
		}
		sanitize += time.Since(start)
		start = time.Now()
		for _, it := range items {
			if _, _, err := c.Make(it, bodytest.Base); err != nil {
				b.Fatal(err)
			}
		}
		block += time.Since(start)
	}
	b.ReportMetric(float64(block)/float64(sanitize), "body/sanitize")
}

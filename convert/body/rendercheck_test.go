package body

import (
	"feed2md/convert/body/bodytest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	nethtml "golang.org/x/net/html"
)

// treeHTML is the sanitized HTML of Markdown mode: the body parsed and
// sanitized as a tree (sanitizeTree), rendered back, with the spellings
// of markdownSpellings.
func treeHTML(t testing.TB, body string) string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(lf(body)))
	if err != nil {
		t.Fatal(err)
	}
	sanitizeTree(doc, bodytest.Base, true)
	markdownSpellings(doc)
	var b strings.Builder
	if err := nethtml.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// written is the body as the tool writes it in a mode.
func written(t testing.TB, c *Maker, body string) string {
	t.Helper()
	s, _, err := c.Make(&gofeed.Item{Content: body}, bodytest.Base)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRenderHTMLBodies renders every HTML body of the shared corpus and of
// testdata (the feeds and the hostile vectors) as the tool writes it,
// through Goldmark as Hugo configures it with unsafe = true: the page must
// show exactly the text of the sanitized HTML, and hold no script.
func TestRenderHTMLBodies(t *testing.T) {
	t.Parallel() // see TestMain
	c := NewMaker(false, false, 1)
	md := bodytest.HugoMarkdown(true)
	bodies := append(bodytest.TestdataBodies(t), bodytest.CorpusBodies(t)...)
	bad := 0
	for _, in := range bodies {
		out := written(t, c, in)
		page := bodytest.HugoRender(t, md, out)
		want := bodytest.VisibleText(t, bodytest.HugoUnescape.Replace(EscapeShortcodes(Sanitize(lf(in), bodytest.Base), false)))
		if got := bodytest.VisibleText(t, page); got != want {
			bad++
			if bad <= 5 {
				t.Errorf("body %.300q\nwritten %.300q\nrendered %.300q\n got text %.300q\nwant text %.300q", in, out, page, got, want)
			}
		}
		if found := bodytest.LiveScript(t, page); len(found) > 0 {
			t.Errorf("body %.300q\nrendered %.300q\nholds %v", in, page, found)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d bodies show other text than their HTML", bad, len(bodies))
	}
	t.Logf("%d bodies rendered", len(bodies))
}

// TestRenderMarkdownBodies renders every body of the shared corpus and of
// testdata written as Markdown through Goldmark as stock Hugo configures
// it: the page must show the text of the sanitized HTML, but for the
// spellings of markdownSpellings and the typographer's substitutions
// (bodytest.Untypographed), and hold no script, with raw HTML off (stock Hugo) or
// on. No body gains a \' or \" that its HTML's text does not hold: quotes
// are left to the typographer.
func TestRenderMarkdownBodies(t *testing.T) {
	t.Parallel() // see TestMain
	c := NewMaker(true, false, 1)
	stock, unsafe := bodytest.HugoMarkdown(false), bodytest.HugoMarkdown(true)
	bodies := append(bodytest.TestdataBodies(t), bodytest.CorpusBodies(t)...)
	bad := 0
	for _, in := range bodies {
		out := written(t, c, in)
		page := bodytest.HugoRender(t, stock, out)
		got := bodytest.Untypographed(bodytest.VisibleText(t, page))
		want := bodytest.Untypographed(bodytest.VisibleText(t, bodytest.HugoUnescape.Replace(EscapeShortcodes(treeHTML(t, in), false))))
		if got != want {
			bad++
			if bad <= 40 {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				from := max(0, i-60)
				t.Errorf("body %.200q\n got text …%.150q\nwant text …%.150q", in, got[from:], want[from:])
			}
		}
		for _, q := range []string{`\'`, `\"`} {
			if strings.Count(out, q) > strings.Count(want, q) {
				t.Errorf("body %.200q\nwritten %.300q\nholds %s", in, out, q)
			}
		}
		for _, p := range []string{page, bodytest.HugoRender(t, unsafe, out)} {
			if found := bodytest.LiveScript(t, p); len(found) > 0 {
				t.Errorf("body %.300q\nwritten %.300q\nrendered %.300q\nholds %v", in, out, p, found)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d bodies show other text than their HTML", bad, len(bodies))
	}
	t.Logf("%d bodies rendered", len(bodies))
}

// markdownSpellings applies to the expected HTML the documented spellings
// of Markdown mode (docs/bodies.md), differences by design:
//   - sup and sub: stock Hugo drops raw HTML, so x<sup>2</sup> is
//     written x², 2<sup>l+1</sup> 2^(l+1) (spellSupSub, whose outputs
//     TestSpellSupSub checks by hand).
func markdownSpellings(doc *nethtml.Node) {
	var subs []*nethtml.Node
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
			if c.Type == nethtml.ElementNode && (c.Data == "sup" || c.Data == "sub") {
				subs = append(subs, c)
			}
		}
	}
	walk(doc)
	for _, n := range subs { // innermost first
		spellSupSub(n)
	}
}

// FuzzHTMLBody: whatever the body, the HTML written is one HTML block to
// Goldmark (a block tag first, no blank line), and Hugo's Goldmark with
// unsafe on shows the sanitized HTML's text and runs no script.
func FuzzHTMLBody(f *testing.F) {
	for _, v := range []string{"Hello [x](javascript:alert(1))", "<pre>a\n\n[x](javascript:y)</pre>", "<p\n\n>x</p>",
		"<b>a</b>\n  \n*b*", "<img alt=\"a\n\nb\">", "<!-- x -->\n\n[y](javascript:z)", "a\r\n\r\nb"} {
		f.Add(v)
	}
	c := NewMaker(false, false, 1)
	md := bodytest.HugoMarkdown(true)
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		out := written(t, c, in)
		if out == "" {
			return
		}
		if !startsHTMLBlock(out) || hasBlankLine([]byte(out)) {
			t.Fatalf("%q written as %q: not one HTML block", in, out)
		}
		page := bodytest.HugoRender(t, md, out)
		if found := bodytest.LiveScript(t, page); len(found) > 0 {
			t.Fatalf("%q written as %q rendered %q with %v", in, out, page, found)
		}
		want := bodytest.VisibleText(t, bodytest.HugoUnescape.Replace(EscapeShortcodes(Sanitize(lf(strings.TrimSpace(in)), bodytest.Base), false)))
		if got := bodytest.VisibleText(t, page); got != want {
			t.Fatalf("%q written as %q rendered %q\n got text %q\nwant text %q", in, out, page, got, want)
		}
	})
}

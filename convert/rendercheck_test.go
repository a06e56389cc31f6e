package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	nethtml "golang.org/x/net/html"
)

// hugoMarkdown is Goldmark configured as Hugo 0.111 configures it by
// default (markup.goldmark in its goldmark_config.Default): typographer
// (Hugo's substitutions are Goldmark's own), linkify, tables,
// strikethrough, task lists, definition lists and footnotes; heading IDs
// and attributes on titles. Raw HTML is rendered only when unsafe is true
// (markup.goldmark.renderer.unsafe).
func hugoMarkdown(unsafe bool) goldmark.Markdown {
	var ropts []renderer.Option
	if unsafe {
		ropts = append(ropts, gmhtml.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify,
			extension.TaskList, extension.Typographer, extension.DefinitionList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
		goldmark.WithRendererOptions(ropts...),
	)
}

// hugoUnescape undoes the shortcode escapes the way Hugo does before it
// hands the content to Goldmark: "{{</* x */>}}" is printed as "{{< x >}}".
var hugoUnescape = strings.NewReplacer("{{</*", "{{<", "*/>}}", ">}}", "{{%/*", "{{%", "*/%}}", "%}}")

// hugoRender renders a written body as Hugo would: shortcode escapes
// undone, then Goldmark.
func hugoRender(t testing.TB, md goldmark.Markdown, body string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := md.Convert([]byte(hugoUnescape.Replace(body)), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// visibleText is the text a browser shows for an HTML fragment: text
// nodes outside script, style and other hidden elements, a space at
// every block boundary, white space folded (foldSpace).
func visibleText(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.TextNode:
			b.WriteString(n.Data)
			return
		case nethtml.ElementNode:
			switch n.Data {
			case "script", "style", "template", "head", "title", "textarea", "noscript":
				return
			}
			if blockLike(n.Data) && n.Data != "img" {
				b.WriteByte(' ')
				defer b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range parseHTML(t, s) {
		walk(n)
	}
	return foldSpace(b.String())
}

// treeHTML is the sanitized HTML of Markdown mode: the body parsed and
// sanitized as a tree (sanitizeTree), rendered back, with the spellings
// of markdownSpellings.
func treeHTML(t testing.TB, body string) string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(lf(body)))
	if err != nil {
		t.Fatal(err)
	}
	sanitizeTree(doc, testBase, true)
	markdownSpellings(doc)
	var b strings.Builder
	if err := nethtml.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// corpusBodies returns every item body (content, else description) of
// every feed under ../shared/corpus, in a fixed order, or nil, loudly,
// when that folder is missing.
func corpusBodies(t testing.TB) []string {
	t.Helper()
	root := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		skipPart(t, "%s is missing: only testdata bodies are rendered", root)
		return nil
	}
	return feedBodies(t, corpusFiles(t, root))
}

// feedBodies returns the item bodies of the feeds at paths, skipping the
// files that are not feeds and bodies that are not UTF-8.
func feedBodies(t testing.TB, paths []string) []string {
	t.Helper()
	var bodies []string
	for _, path := range paths {
		feed := readFeedText(t, path)
		if !feed.ok {
			continue
		}
		for _, it := range feed.items {
			body := strings.TrimSpace(it[0])
			if body == "" {
				body = strings.TrimSpace(it[1])
			}
			if body != "" && utf8.ValidString(body) {
				bodies = append(bodies, body)
			}
		}
	}
	return bodies
}

// testdataBodies are the bodies of the testdata feeds and the hostile
// vectors.
func testdataBodies(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, filepath.Join("..", "testdata", "hostile", "render.xml"))
	bodies := feedBodies(t, paths)
	if len(bodies) < 10 {
		t.Fatalf("only %d testdata bodies", len(bodies))
	}
	return append(bodies, hostileVectors(t)...)
}

// written is the body as the tool writes it in a mode.
func written(t testing.TB, c *Converter, body string) string {
	t.Helper()
	s, _, err := c.body(&gofeed.Item{Content: body}, testBase)
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
	c := newTestConverter(t, t.TempDir(), nil)
	md := hugoMarkdown(true)
	bodies := append(testdataBodies(t), corpusBodies(t)...)
	bad := 0
	for _, in := range bodies {
		out := written(t, c, in)
		page := hugoRender(t, md, out)
		want := visibleText(t, hugoUnescape.Replace(EscapeShortcodes(Sanitize(lf(in), testBase), false)))
		if got := visibleText(t, page); got != want {
			bad++
			if bad <= 5 {
				t.Errorf("body %.300q\nwritten %.300q\nrendered %.300q\n got text %.300q\nwant text %.300q", in, out, page, got, want)
			}
		}
		if found := liveScript(t, page); len(found) > 0 {
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
// (untypographed), and hold no script, with raw HTML off (stock Hugo) or
// on. No body gains a \' or \" that its HTML's text does not hold: quotes
// are left to the typographer.
func TestRenderMarkdownBodies(t *testing.T) {
	t.Parallel() // see TestMain
	c := newTestConverter(t, t.TempDir(), func(o *Options) { o.Body = BodyMarkdown })
	stock, unsafe := hugoMarkdown(false), hugoMarkdown(true)
	bodies := append(testdataBodies(t), corpusBodies(t)...)
	bad := 0
	for _, in := range bodies {
		out := written(t, c, in)
		page := hugoRender(t, stock, out)
		got := untypographed(visibleText(t, page))
		want := untypographed(visibleText(t, hugoUnescape.Replace(EscapeShortcodes(treeHTML(t, in), false))))
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
		for _, p := range []string{page, hugoRender(t, unsafe, out)} {
			if found := liveScript(t, p); len(found) > 0 {
				t.Errorf("body %.300q\nwritten %.300q\nrendered %.300q\nholds %v", in, out, p, found)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d bodies show other text than their HTML", bad, len(bodies))
	}
	t.Logf("%d bodies rendered", len(bodies))
}

// typography is the typographer's substitutions as Hugo 0.111 configures
// Goldmark (markup.goldmark.extensions.typographer), each undone: curly
// quotes and apostrophes, en and em dashes, the ellipsis, angle quotes.
var typography = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2013", "--", "\u2014", "---", "\u2026", "...", "\u00ab", "<<", "\u00bb", ">>")

// untypographed is s with the typographer's substitutions undone, so that
// a page whose quotes, dashes and ellipses Hugo styled compares equal to
// the straight text of its HTML, and nothing else does: Markdown bodies
// leave these to the typographer (docs/bodies.md). Applied to both sides
// of a comparison, it also equates a curly quote the feed wrote with the
// typographer's.
func untypographed(s string) string { return typography.Replace(s) }

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
	c := newTestConverter(f, f.TempDir(), nil)
	md := hugoMarkdown(true)
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
		page := hugoRender(t, md, out)
		if found := liveScript(t, page); len(found) > 0 {
			t.Fatalf("%q written as %q rendered %q with %v", in, out, page, found)
		}
		want := visibleText(t, hugoUnescape.Replace(EscapeShortcodes(Sanitize(lf(strings.TrimSpace(in)), testBase), false)))
		if got := visibleText(t, page); got != want {
			t.Fatalf("%q written as %q rendered %q\n got text %q\nwant text %q", in, out, page, got, want)
		}
	})
}

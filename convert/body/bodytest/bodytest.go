// Package bodytest holds what the tests of the body stage and the
// end-to-end tests share: the hostile vectors and the testdata and corpus
// bodies to check, Goldmark set up as Hugo sets it up (HugoMarkdown,
// HugoRender), and the oracles that judge a page: LiveScript lists what
// in it would run, VisibleText what a reader sees. The oracles are written
// apart from the code under test, on purpose. It is test support, like
// net/http/httptest; the command never imports it.
package bodytest

import (
	"bytes"
	"feed2md/convert/feed"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	gmhtml "github.com/yuin/goldmark/renderer/html"

	nethtml "golang.org/x/net/html"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html/atom"
)

// HostileVectors reads testdata/hostile/vectors.txt.
func HostileVectors(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpustest.ModuleRoot(t), "testdata", "hostile", "vectors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, block := range strings.Split(string(data), "\n#--\n") {
		var lines []string
		for _, l := range strings.Split(block, "\n") {
			if !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		if v := strings.TrimSpace(strings.Join(lines, "\n")); v != "" {
			out = append(out, v)
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d vectors", len(out))
	}
	return out
}

// ParseHTML parses a body the way a browser parses it inside <body>.
func ParseHTML(t testing.TB, s string) []*nethtml.Node {
	t.Helper()
	body := &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := nethtml.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

// LiveScript lists what in an HTML body could run script: active
// elements, event handlers, script URLs and script in styles.
func LiveScript(t testing.TB, s string) []string {
	var found []string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			if ActiveElements[n.Data] {
				found = append(found, "element <"+n.Data+">")
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if a.Namespace != "" {
					key = a.Namespace + ":" + key
				}
				switch {
				case strings.HasPrefix(key, "on"):
					found = append(found, "handler "+key+" on <"+n.Data+">")
				case key == "style" && styleRunsScript(a.Val):
					found = append(found, "style "+a.Val)
				case key == "srcset":
					for _, part := range strings.Split(a.Val, ",") {
						if f := strings.Fields(part); len(f) > 0 && scriptURL(f[0], n.Data, key) {
							found = append(found, "srcset "+a.Val)
						}
					}
				case urlAttrs[key] && scriptURL(a.Val, n.Data, key):
					found = append(found, key+"="+a.Val+" on <"+n.Data+">")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range ParseHTML(t, s) {
		walk(n)
	}
	return found
}

// scriptURL reports a URL a browser would run or render as a document.
func scriptURL(v, tag, attr string) bool {
	switch urlScheme(v) {
	case "javascript", "vbscript", "livescript", "mocha":
		return true
	case "data":
		return !(tag == "img" && attr == "src" && rasterDataURL(v))
	}
	return false
}

// styleRunsScript is the checker's own, narrower test of a style: script
// in it (expression, a script URL, a binding), after undoing comments and
// escapes; a plain url() to an image is not script.
func styleRunsScript(v string) bool {
	s := strings.ToLower(strings.Join(strings.Fields(cssUnescape(stripCSSComments(v))), ""))
	for _, bad := range []string{"expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding"} {
		if strings.Contains(s, bad) {
			return true
		}
	}
	return false
}

// MarkdownToHTML renders Markdown as Hugo does (goldmark), with raw HTML
// allowed: the worst case for a site.
func MarkdownToHTML(t testing.TB, md string) string {
	var buf bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := gm.Convert([]byte(md), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

const Base = "https://blog.example.com/posts/1/"

// HugoMarkdown is Goldmark configured as Hugo 0.111 configures it by
// default (markup.goldmark in its goldmark_config.Default): typographer
// (Hugo's substitutions are Goldmark's own), linkify, tables,
// strikethrough, task lists, definition lists and footnotes; heading IDs
// and attributes on titles. Raw HTML is rendered only when unsafe is true
// (markup.goldmark.renderer.unsafe).
func HugoMarkdown(unsafe bool) goldmark.Markdown {
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

// HugoUnescape undoes the shortcode escapes the way Hugo does before it
// hands the content to Goldmark: "{{</* x */>}}" is printed as "{{< x >}}".
var HugoUnescape = strings.NewReplacer("{{</*", "{{<", "*/>}}", ">}}", "{{%/*", "{{%", "*/%}}", "%}}")

// HugoRender renders a written body as Hugo would: shortcode escapes
// undone, then Goldmark.
func HugoRender(t testing.TB, md goldmark.Markdown, body string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := md.Convert([]byte(HugoUnescape.Replace(body)), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// VisibleText is the text a browser shows for an HTML fragment: text
// nodes outside script, style and other hidden elements, a space at
// every block boundary, white space folded (foldSpace).
func VisibleText(t testing.TB, s string) string {
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
	for _, n := range ParseHTML(t, s) {
		walk(n)
	}
	return FoldSpace(b.String())
}

// Untypographed is s with the typographer's substitutions undone, so that
// a page whose quotes, dashes and ellipses Hugo styled compares equal to
// the straight text of its HTML, and nothing else does: Markdown bodies
// leave these to the typographer (docs/bodies.md). Applied to both sides
// of a comparison, it also equates a curly quote the feed wrote with the
// typographer's.
func Untypographed(s string) string { return typography.Replace(s) }

// typography is the typographer's substitutions as Hugo 0.111 configures
// Goldmark (markup.goldmark.extensions.typographer), each undone: curly
// quotes and apostrophes, en and em dashes, the ellipsis, angle quotes.
var typography = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2013", "--", "\u2014", "---", "\u2026", "...", "\u00ab", "<<", "\u00bb", ">>")

// TestdataBodies are the bodies of the testdata feeds and the hostile
// vectors.
func TestdataBodies(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpustest.ModuleRoot(t), "testdata", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, filepath.Join(corpustest.ModuleRoot(t), "testdata", "hostile", "render.xml"))
	bodies := FeedBodies(t, paths)
	if len(bodies) < 10 {
		t.Fatalf("only %d testdata bodies", len(bodies))
	}
	return append(bodies, HostileVectors(t)...)
}

// GeneratedBodies returns the content of each item of
// feedtest.Big(items, 1), the generated posts of the benchmarks.
func GeneratedBodies(t testing.TB, items int) []string {
	t.Helper()
	d, err := feed.Decode(feedtest.Big(items, 1), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := feed.ParseFeed(d)
	if err != nil {
		t.Fatal(err)
	}
	bodies := make([]string, len(f.Items))
	for i, it := range f.Items {
		bodies[i] = it.Content
	}
	return bodies
}

// FeedBodies returns the item bodies of the feeds at paths, skipping the
// files that are not feeds and bodies that are not UTF-8.
func FeedBodies(t testing.TB, paths []string) []string {
	t.Helper()
	var bodies []string
	for _, path := range paths {
		feed := corpustest.ReadFeedText(t, path)
		if !feed.OK {
			continue
		}
		for _, it := range feed.Items {
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

// CorpusBodies returns every item body (content, else description) of
// every feed under ../shared/corpus, in a fixed order, or nil, loudly,
// when that folder is missing.
func CorpusBodies(t testing.TB) []string {
	t.Helper()
	root := filepath.Join(filepath.Dir(corpustest.ModuleRoot(t)), "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		feedtest.SkipPart(t, "%s is missing: only testdata bodies are rendered", root)
		return nil
	}
	return FeedBodies(t, corpustest.Files(t, root))
}

// blockLike reports whether an element breaks the flow of text, as a
// browser lays it out (an image too: it stands apart from the words).
func blockLike(name string) bool {
	switch name {
	case "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption",
		"table", "dd", "dt", "dl", "img":
		return true
	}
	return false
}

// FoldSpace folds each run of white space (and zero-width spaces and
// byte order marks) into one space, and drops it at the start and end.
func FoldSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
	}), " ")
}

// ActiveElements are the elements that run code or load other documents.
var ActiveElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "meta": true, "link": true, "form": true, "style": true, "svg": true,
	"math": true, "portal": true, "template": true, "bgsound": true, "input": true, "button": true,
}

// urlAttrs are the attributes that hold a URL a browser follows or loads,
// HTML's and the legacy ones. The oracle keeps its own list, apart from
// the sanitizer's, so that a name missing from one is caught by the other.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "srcset": true, "cite": true, "poster": true,
	"action": true, "formaction": true, "background": true, "xlink:href": true, "longdesc": true,
	"data": true, "codebase": true, "dynsrc": true, "lowsrc": true, "ping": true, "manifest": true,
}

// ignoredInURL are the characters a browser drops from a URL's scheme, or
// that an attacker may slip in to hide one: ASCII controls and spaces,
// DEL, and the invisible no-break, zero-width and byte-order spaces.
func ignoredInURL(r rune) bool {
	return r <= 0x20 || r == 0x7f || r == '\u00a0' || r == '\ufeff' || r == '\u200b'
}

// schemeRE is a URL scheme as RFC 3986 writes it.
var schemeRE = regexp.MustCompile(`^[a-z][a-z0-9+.-]*$`)

// urlScheme returns the lowercase scheme of a URL as a browser reads it:
// "" for a relative URL, "?" for text before a colon that is no scheme.
func urlScheme(v string) string {
	v = strings.Map(func(r rune) rune {
		if ignoredInURL(r) {
			return -1
		}
		return r
	}, v)
	end := strings.IndexAny(v, ":/?#")
	if end < 0 || v[end] != ':' {
		return ""
	}
	s := strings.ToLower(v[:end])
	if !schemeRE.MatchString(s) {
		return "?"
	}
	return s
}

// rasterDataRE is a data: URL of a raster image type, which holds no
// script (an SVG one can).
var rasterDataRE = regexp.MustCompile(`^data:image/(png|gif|jpe?g|webp|avif|bmp)[;,]`)

// rasterDataURL reports a data: URL of a raster image, white space aside.
func rasterDataURL(v string) bool {
	return rasterDataRE.MatchString(strings.ToLower(strings.Join(strings.Fields(v), "")))
}

// cssCommentRE is a CSS comment; one left open runs to the end.
var cssCommentRE = regexp.MustCompile(`(?s)/\*.*?(\*/|$)`)

// stripCSSComments removes the comments of a CSS text.
func stripCSSComments(s string) string { return cssCommentRE.ReplaceAllString(s, "") }

// cssEscapeRE is a CSS escape: a backslash and one to six hex digits with
// one optional white space after them, or a backslash and any character.
var cssEscapeRE = regexp.MustCompile(`\\([0-9a-fA-F]{1,6}[ \t\n]?|[^0-9a-fA-F])`)

// cssUnescape undoes the escapes of a CSS text.
func cssUnescape(s string) string {
	return cssEscapeRE.ReplaceAllStringFunc(s, func(e string) string {
		hex := strings.TrimRight(e[1:], " \t\n")
		if n, err := strconv.ParseUint(hex, 16, 32); err == nil {
			return string(rune(n))
		}
		return e[1:]
	})
}

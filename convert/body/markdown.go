package body

import (
	"fmt"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
)

// newMarkdownConverter builds an HTML-to-Markdown converter: CommonMark
// with tables and strikethrough, textPlugin and hugoPlugin (which renders
// lists, links and blockquotes in commonmark's place), and basePlugin in
// place of the library's base plugin. Each worker reuses one
// for item after item (markdownPool).
//
// The converter's "<!--THE END-->" comment between two adjacent lists is
// off: it is raw HTML, which stock Hugo replaces with "raw HTML omitted".
// Lists of different kinds stay apart without it; two adjacent lists of the
// same kind become one.
//
// Our plugins are registered first: the library keeps its renderers of
// one priority in the order they came, and tries them all for every
// element; ours, early, then come first and are tried once (a fifth of
// the converter's time when they came last).
func newMarkdownConverter() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(append([]converter.Plugin{textPlugin{hugo: true}, hugoPlugin{commonmark: true}}, libraryPlugins(basePlugin{})...)...))
}

// libraryPlugins are html-to-markdown's plugins in use, with their
// options, after base, which is basePlugin or, in tests, the library's.
func libraryPlugins(base converter.Plugin) []converter.Plugin {
	return []converter.Plugin{
		base,
		commonmark.NewCommonmarkPlugin(commonmark.WithListEndComment(false)),
		table.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	}
}

// textPlugin renders text the way html-to-markdown's own text transforms
// do (base's and commonmark's), without their cost: base marks each
// character that may need a Markdown escape after asking, under a read
// lock, whether it is one, which made that lock about a tenth of a
// Markdown run. After every other pre-render step, each text node outside
// code is wrapped in a textTag element, which the plugin's renderer writes
// out itself; code still reads its text nodes through the wrapper. The
// Markdown is byte for byte what the library writes
// (TestTextPluginMatchesLibrary) unless hugo is true, when it also
// escapes what Hugo's Goldmark would otherwise change (hugoEscape).
type textPlugin struct {
	hugo bool
}

// textTag is the element that wraps a text node for textPlugin. Its name
// cannot come from a document: the HTML parser lowercases tag names.
const textTag = "feed2md:TEXT"

func (textPlugin) Name() string { return "feed2md-text" }

func (p textPlugin) Init(conv *converter.Converter) error {
	conv.Register.PreRenderer(wrapText, converter.PriorityLate+1000)
	conv.Register.Renderer(p.renderText, converter.PriorityEarly)
	return nil
}

// wrapText wraps each text node outside pre and code in a textTag element.
func wrapText(_ converter.Context, doc *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				w := &html.Node{Type: html.ElementNode, Data: textTag}
				n.InsertBefore(w, c)
				n.RemoveChild(c)
				w.AppendChild(c)
				c = w
			case c.Type == html.ElementNode && (c.Data == "pre" || c.Data == "code"):
			default:
				walk(c)
			}
		}
	}
	walk(doc)
}

// escapedChars are the characters the plugins in use register as needing
// a possible escape (commonmark's, strikethrough's ~ and table's |).
var escapedChars = func() (t [256]bool) {
	for _, c := range "\\*_-+.>|$#=[]()!~`\"'" {
		t[c] = true
	}
	return t
}()

// renderText writes a wrapped text node as base's and commonmark's text
// transforms would: < and > as entities; each character in escapedChars
// preceded by the escaping marker, which the library's unescape step
// later keeps as a backslash or drops; NUL as U+FFFD; inside a link, a
// marked ] as \]. With p.hugo, the characters hugoEscape names, and a <
// or > in a URL (urlScan), get a backslash that stays.
func (p textPlugin) renderText(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type != html.ElementNode || n.Data != textTag {
		return converter.RenderTryNext
	}
	if n.FirstChild == nil {
		return converter.RenderSuccess
	}
	text := n.FirstChild.Data
	inLink, _ := ctx.Value("is_inside_link").(bool)
	last := 0 // text[last:i] is still to be written as it is
	var url urlScan
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != 0 && c != '<' && c != '>' && !escapedChars[c] && !(p.hugo && hugoChars[c]) {
			continue
		}
		w.WriteString(text[last:i])
		last = i + 1
		switch {
		case p.hugo && hugoEscape(text, i, n), p.hugo && (c == '<' || c == '>') && url.at(text, i):
			w.WriteByte('\\')
			w.WriteByte(c)
		case c == 0:
			w.WriteString("\uFFFD")
		case c == '<':
			w.WriteString("&lt;")
		case c == '>':
			w.WriteString("&gt;")
		case c == ']' && inLink:
			w.WriteString(`\]`)
		default:
			w.WriteByte(marker.BytesMarkerEscaping[0])
			w.WriteByte(c)
		}
	}
	w.WriteString(text[last:])
	return converter.RenderSuccess
}

// markdownPool holds one converter per worker, each reused for item after
// item. One converter shared by all workers would do, but it takes a read
// lock for every character it escapes, and on several cores that lock's
// counter becomes the bottleneck.
type markdownPool chan *converter.Converter

func newMarkdownPool(n int) markdownPool {
	p := make(markdownPool, n)
	for i := 0; i < n; i++ {
		p <- newMarkdownConverter()
	}
	return p
}

// Markdown converts an HTML body to CommonMark: it is parsed, sanitized
// as a tree (sanitizeTree; with sanitize false only its URLs are made
// absolute, against the item's link), and converted. The converter is
// given no domain: sanitizeTree has made the URLs absolute already, but
// for a fragment ("#fn1"), which must stay one, and the library would
// resolve it, and an empty href, against the domain. It also returns the
// src of the first <img> kept.
func (c *Maker) Markdown(s, link string, sanitize bool) (md, firstImg string, err error) {
	doc, err := parseHTML(s)
	if err != nil {
		return "", "", fmt.Errorf("parsing the body: %w", err)
	}
	firstImg = sanitizeTree(doc, link, sanitize)
	conv := <-c.md
	out, err := conv.ConvertNode(doc)
	c.md <- conv
	if err != nil {
		return "", firstImg, fmt.Errorf("converting the body to Markdown: %w", err)
	}
	// A CR from a character reference (&#13;) in code is written as it
	// is: line breaks are LF.
	return lf(string(out)), firstImg, nil
}

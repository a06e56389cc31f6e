package body

import (
	"bytes"
	"fmt"
	"sync"

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
// one priority in the order they came, and tries them in turn for every
// element it renders; ours, early, come first (a fifth of the converter's
// time when they came last). hugoPlugin's renderer is not registered at
// all (viaText) but called by textPlugin's renderCtx itself (first): the
// two fields go together.
func newMarkdownConverter() *converter.Converter {
	hugo := hugoPlugin{commonmark: true, viaText: true}
	return converter.NewConverter(converter.WithPlugins(append([]converter.Plugin{textPlugin{hugo: true, first: hugo.render}, hugo}, libraryPlugins(basePlugin{})...)...))
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
// Markdown run. Its renderer takes the node the conversion starts at and
// renders the tree below it through a renderCtx, which writes each text
// node outside pre and code itself (writeText) and every element that
// no renderer takes as the library's fallback would, and hands the rest
// to the library. The Markdown is byte for byte what the library writes
// (TestTextPluginMatchesLibrary, TestRendererTags) unless hugo is true,
// when it also escapes what Hugo's Goldmark would otherwise change
// (hugoEscape).
//
// first, when set, is a renderer the renderCtx tries on each element
// before the library's: hugoPlugin's, which then registers none of its
// own, so that the elements it takes skip the library's dispatch too.
type textPlugin struct {
	hugo  bool
	first converter.HandleRenderFunc
}

func (textPlugin) Name() string { return "feed2md-text" }

func (p textPlugin) Init(conv *converter.Converter) error {
	conv.Register.Renderer(p.render, converter.PriorityEarly)
	return nil
}

// render starts a conversion's rendering: n, the node the converter was
// given, and the tree below it are rendered through a renderCtx. Under
// one, a node reaches this renderer only when the renderCtx has handed
// it to the library's renderers, which it leaves to them.
func (p textPlugin) render(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if _, ok := ctx.(*renderCtx); ok {
		return converter.RenderTryNext
	}
	rc := &renderCtx{Context: ctx, text: p, one: new([1]*html.Node)}
	// Into a buffer kept from body to body, written once: the converter's
	// own buffer, new for each body, then grows once, not a dozen times.
	buf := renderBufs.Get().(*bytes.Buffer)
	buf.Reset()
	rc.renderNode(rc, buf, n)
	w.Write(buf.Bytes())
	if buf.Cap() <= maxKeptOutput {
		renderBufs.Put(buf)
	}
	return converter.RenderSuccess
}

// renderBufs hold the buffers render writes into.
var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderCtx is the converter.Context below the node a conversion starts
// at. The renderers pass it on to render the nodes below theirs, and it
// spares each node the library's own dispatch, which copies and sorts
// the list of renderers for every node it renders (a tenth of a Markdown
// run, with most of its allocations), for the nodes that need none:
//   - a text node outside pre and code is written by writeText, where the
//     library would run the text transformers;
//   - an element no renderer takes (p, li, div, span, …: not
//     rendererTag) is rendered as the library's fallback renders it,
//     with a blank line before and after a block element;
//   - any other node goes to the library, whose renderers get the
//     renderCtx to render what is below it.
//
// Values set with WithValue go to the library's context it wraps.
type renderCtx struct {
	converter.Context
	text textPlugin
	// one is the slice of one node renderNode hands the library, kept
	// rather than made for each node. The library reads the node before
	// rendering it, so a renderNode below may reuse it.
	one *[1]*html.Node
}

// rendererTag reports whether some renderer in use takes (or may take)
// the element: the commonmark, table and strikethrough plugins' and
// hugoPlugin's. On upgrading the library, compare with its renderers'
// handleRender; TestRendererTags asks the library about each tag the
// sanitizer knows.
func rendererTag(name string) bool {
	switch name {
	case "strong", "b", "em", "i", "hr", "br", "ul", "ol", "pre", "code", "var", "samp", "kbd", "tt",
		"blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "img", "a", "table", "tr", "del", "s", "strike":
		return true
	}
	return false
}

// WithValue keeps the renderCtx around the library's context with the value.
func (c *renderCtx) WithValue(key, val any) converter.Context {
	return &renderCtx{Context: c.Context.WithValue(key, val), text: c.text, one: c.one}
}

// RenderNodes renders nodes in turn.
func (c *renderCtx) RenderNodes(ctx converter.Context, w converter.Writer, nodes ...*html.Node) {
	for _, n := range nodes {
		c.renderNode(ctx, w, n)
	}
}

// RenderChildNodes renders n's children in turn. No renderer changes the
// tree, so they are followed along it rather than copied first, as the
// library does.
func (c *renderCtx) RenderChildNodes(ctx converter.Context, w converter.Writer, n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.renderNode(ctx, w, ch)
	}
}

// renderNode renders n with ctx, the context its parent's renderer passed.
func (c *renderCtx) renderNode(ctx converter.Context, w converter.Writer, n *html.Node) {
	switch {
	case n.Type == html.TextNode && !inCode(n):
		c.text.writeText(ctx, w, n)
	case n.Type == html.DocumentNode || n.Type == html.ElementNode && !rendererTag(n.Data):
		block := false
		if n.Type == html.ElementNode {
			t, _ := ctx.GetTagType(n.Data)
			block = t == converter.TagTypeBlock
		}
		if block {
			w.WriteString("\n\n")
		}
		c.RenderChildNodes(ctx, w, n)
		if block {
			w.WriteString("\n\n")
		}
	default:
		if c.text.first != nil && c.text.first(ctx, w, n) == converter.RenderSuccess {
			return
		}
		c.one[0] = n
		c.Context.RenderNodes(ctx, w, c.one[:]...)
	}
}

// inCode reports whether the text node n is inside pre or code, whose
// renderers write text as it is.
func inCode(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.Data == "pre" || p.Data == "code") {
			return true
		}
	}
	return false
}

// escapedChars are the characters the plugins in use register as needing
// a possible escape (commonmark's, strikethrough's ~ and table's |).
var escapedChars = func() (t [256]bool) {
	for _, c := range "\\*_-+.>|$#=[]()!~`\"'" {
		t[c] = true
	}
	return t
}()

// writeText writes the text node n as base's and commonmark's
// text transforms would: < and > as entities; each character in
// escapedChars preceded by the escaping marker (where it could matter:
// marked), which the library's unescape step later keeps as a backslash
// or drops; NUL as U+FFFD;
// inside a link, a marked ] as \]. With p.hugo, the characters
// hugoEscape names, and a < or > in a URL (urlScan), get a backslash that
// stays.
func (p textPlugin) writeText(ctx converter.Context, w converter.Writer, n *html.Node) {
	text := n.Data
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
		case !marked(text, i):
			last = i // written as it is, with what follows
		default:
			w.WriteByte(marker.BytesMarkerEscaping[0])
			w.WriteByte(c)
		}
	}
	w.WriteString(text[last:])
}

// marked reports whether text[i], one of escapedChars, gets the escaping
// marker: whether the Markdown could differ without it, wherever the text
// node ends up. A marker's fate is decided by the unescapers of the
// plugins in use (commonmark's eleven and strikethrough's), which keep it
// as a backslash or drop it, and each marker costs that step a copy and
// a sort of all twelve; a sentence holds several. Left out are those
// whose fate the text node decides:
//   - $ ( ] " ': no unescaper looks at them, nor anything else (the table
//     plugin looks at a marked |, and commonmark's link text at a marked
//     ], which writeText writes \] itself);
//   - ! but at the end of the text node: it is kept before a [ only,
//     which must follow it at once, and a [ of the same text node comes
//     marked;
//   - . and ) after an ASCII character of the text node other than a
//     digit or white space: they are kept after a digit only (an ordered
//     list's number);
//   - - + = after an ASCII character of the text node other than white
//     space: they are kept only where nothing but white space comes
//     before them on their line (a list, a setext heading, a thematic
//     break). A character of several bytes may be white space
//     (no-break space) that the library trims from the start of a line,
//     a list item, a table cell: they are marked after one.
//
// A # is always marked: commonmark's heading renderer takes the byte
// before a # that ends a heading for its marker and overwrites it
// (escapePoundSignAtEnd). The unescapers look past markers when they look
// around (but IsImageOrLink, which wants the [ right after a !), so a
// marker left out changes no other marker's fate. A marker byte in the
// text itself (\a) counts as one, as it does for the library.
// TestMarkedMatchesLibrary tries every escaped character after every kind
// of character in every context the library treats apart.
func marked(text string, i int) bool {
	var prev byte = ' ' // white space, or the start of the text node
	if i > 0 {
		prev = text[i-1]
	}
	spaceBefore := prev == ' ' || prev == '\n' || prev == '\t' || prev == '\r' || prev == '\f' || prev == '\v' ||
		prev == marker.BytesMarkerEscaping[0] || prev >= 0x80
	switch text[i] {
	case '$', '(', ']', '"', '\'':
		return false
	case '!':
		return i == len(text)-1
	case '.', ')':
		return spaceBefore || prev >= '0' && prev <= '9'
	case '-', '+', '=':
		return spaceBefore
	}
	return true
}

// markdownPool holds one markdownWorker per worker, each reused for item
// after item. One converter shared by all workers would do, but it takes
// a read lock for every character it escapes, and on several cores that
// lock's counter becomes the bottleneck.
type markdownPool chan *markdownWorker

// markdownWorker is what one worker converts bodies with: a converter,
// and the slab its trees' nodes come from (see nodeSlab).
type markdownWorker struct {
	conv *converter.Converter
	slab nodeSlab
}

func newMarkdownPool(n int) markdownPool {
	p := make(markdownPool, n)
	for i := 0; i < n; i++ {
		p <- &markdownWorker{conv: newMarkdownConverter()}
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
	w := <-c.md
	defer func() { c.md <- w }()
	doc, err := parseHTML(s, &w.slab)
	if err != nil {
		return "", "", fmt.Errorf("parsing the body: %w", err)
	}
	firstImg = sanitizeTree(doc, link, sanitize)
	out, err := w.conv.ConvertNode(doc)
	w.slab.release() // nothing refers to the tree now: out is new
	if err != nil {
		return "", firstImg, fmt.Errorf("converting the body to Markdown: %w", err)
	}
	// A CR from a character reference (&#13;) in code is written as it
	// is: line breaks are LF.
	return lf(string(out)), firstImg, nil
}

package body

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
)

// Markdown bodies are read back by Hugo's Goldmark, which does more than
// CommonMark: its attribute syntax reads a heading's final "{…}" as
// attributes; its table extension splits a row at every "|", even inside
// code. What the library writes for plain CommonMark would lose those
// marks on a Hugo page. The text plugin escapes the characters
// (hugoEscape), and hugoPlugin changes the tree where the library's
// Markdown cannot say what the HTML says.
//
// Its typographer (curly quotes, en and em dashes, ellipses) is left to
// do its work: it styles a migrated post as it styles every page of the
// site, and a body without "\'" and "\"" is one a person can edit.

// hugoChars are the characters hugoEscape looks at.
var hugoChars = func() (t [256]bool) {
	for _, c := range "-.{&" {
		t[c] = true
	}
	return t
}()

// hugoEscape reports whether text[i] needs a backslash for Hugo to show
// it as it is:
//   - at the start of a text node, which may start a line: #, +, *, =,
//     "-", and a . or ) after a number (headings, lists, setext
//     underlines, thematic breaks), where the library's own check misses
//     it (after <br>, in a quote);
//   - {, which at the end of a heading starts an attribute list (and
//     keeps "{{<" from looking like a shortcode to Hugo);
//   - & before what may be a character reference ("&amp;lt;" in the HTML
//     is the text "&lt;", which Markdown would read as "<");
//   - < and > inside a URL that linkify would make a link of: writeText
//     asks urlScan, which keeps track along the text node.
//
// Nothing that only the typographer changes is escaped: ' and ", "--",
// "---" and "..." are curled, dashed and joined on the page as on every
// other page of the site. "<<" and ">>" (angle quotes) are entities
// already: < and > are always written &lt; and &gt;.
func hugoEscape(text string, i int, n *html.Node) bool {
	switch c := text[i]; c {
	case '{':
		return true
	case '-':
		return i == 0 && startsLine(n)
	case '.', ')':
		return ListNumber(text[:i]) && startsLine(n)
	case '#', '+', '*', '=':
		return strings.TrimLeft(text[:i], " \t\n") == "" && startsLine(n)
	case '&':
		if i+1 < len(text) {
			d := text[i+1]
			return d == '#' || d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z'
		}
	}
	return false
}

// urlScan tells, for each < and > of one text node in order, whether the
// word it ends (what follows the last white space before it) holds "://"
// or "www.": a URL that Hugo's linkify would extend over the entity &lt;
// or &gt; written for it, showing the entity's letters as the link's text
// ("http://x/"&gt;" for the text http://x/">). A backslash ends the link
// instead: \< and \>. Each byte is looked at once however many < and >
// the text holds (a hostile body may be nothing else).
type urlScan struct {
	from int  // the byte after the last < or > asked about
	in   bool // whether the word up to from holds a URL's start
}

// at answers for the < or > at text[i]. The markers hold no < or >, so
// none straddles from.
func (u *urlScan) at(text string, i int) bool {
	seg := text[u.from:i]
	if j := strings.LastIndexAny(seg, " \t\n"); j >= 0 {
		u.in, seg = false, seg[j+1:]
	}
	u.in = u.in || strings.Contains(seg, "://") || strings.Contains(seg, "www.")
	u.from = i + 1
	return u.in
}

// startsLine reports whether the text node n may start a line
// of the Markdown: nothing but white space before it in its block, or a
// <br> or a block element right before it.
func startsLine(n *html.Node) bool {
	for cur := n; cur != nil; cur = cur.Parent {
		for p := cur.PrevSibling; p != nil; p = p.PrevSibling {
			if p.Type == html.TextNode {
				if strings.TrimSpace(nodeText(p)) == "" {
					continue
				}
				return false
			}
			if p.Type != html.ElementNode {
				continue
			}
			return p.Data == "br" || !inlineTags[p.Data]
		}
		if cur.Parent == nil || cur.Parent.Type != html.ElementNode || !inlineTags[cur.Parent.Data] {
			return true
		}
	}
	return true
}

// inlineTags are the elements that do not start a line of Markdown.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "big": true, "cite": true,
	"code": true, "del": true, "dfn": true, "em": true, "font": true, "i": true, "img": true,
	"ins": true, "kbd": true, "mark": true, "q": true, "s": true, "samp": true, "small": true,
	"span": true, "strike": true, "strong": true, "sub": true, "sup": true, "time": true,
	"tt": true, "u": true, "var": true, "wbr": true, "acronym": true, "rp": true, "rt": true, "ruby": true,
}

// ListNumber reports whether s is white space and one to nine digits: a
// . or ) after it would start an ordered list if the text node starts a
// line (a paragraph, a line after <br>, also inside a quote, where the
// library's own check misses it).
func ListNumber(s string) bool {
	s = strings.TrimLeft(s, " \t\n")
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// hugoPlugin changes the tree before conversion, and renders code in
// table cells:
//   - adjacent <strong>/<b> elements (and <em>/<i>) are merged: the
//     library would write "**a****b**", which prints the asterisks;
//   - <sup> and <sub>, which the library drops (2<sup>l+1</sup> would read
//     "2l+1"), are spelled in text (supSub);
//   - an <a> without an href is unwrapped: its text is not a link;
//   - a | in inline code inside a table cell is written \|, which GFM
//     tables read as a | of the code rather than a new cell.
//
// With commonmark, it also renders lists, links and blockquotes as the
// library's commonmark plugin does, more cheaply (renderCommonmark);
// tests leave it false to have the library's renderers to compare with.
//
// With viaText, it registers no renderer: textPlugin's renderCtx calls
// render itself (textPlugin.first).
type hugoPlugin struct {
	commonmark bool
	viaText    bool
}

func (hugoPlugin) Name() string { return "feed2md-hugo" }

func (p hugoPlugin) Init(conv *converter.Converter) error {
	// Before commonmark's own steps, which add a space between emphasis
	// and the code at its edge; after base's, which removes what is not
	// shown (this plugin is registered first: see newMarkdownConverter).
	conv.Register.PreRenderer(hugoTree, converter.PriorityEarly+1)
	for _, h := range []string{"h1", "h2", "h3", "h4", "h5", "h6"} {
		conv.Register.TagType(h, converter.TagTypeBlock, converter.PriorityEarly)
	}
	if !p.viaText {
		conv.Register.Renderer(p.render, converter.PriorityEarly)
	}
	return nil
}

// render is the one renderer for headings, inline code and, with
// p.commonmark, lists, links and blockquotes: the library sorts its
// renderers for every element it renders, so each one costs.
func (p hugoPlugin) render(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
		return renderHeadingID(ctx, w, n)
	}
	if p.commonmark && renderCommonmark(ctx, w, n) == converter.RenderSuccess {
		return converter.RenderSuccess
	}
	return renderInlineCode(ctx, w, n)
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// hugoTree merges adjacent emphasis, spells sup and sub, and unwraps
// anchors without an href.
func hugoTree(_ converter.Context, doc *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type != html.ElementNode {
				c = next
				continue
			}
			switch c.Data {
			case "sup", "sub":
				walk(c)
				spellSupSub(c)
			case "strong", "b", "em", "i":
				for next != nil && next.Type == html.ElementNode && emphasisKind(next.Data) == emphasisKind(c.Data) {
					for g := next.FirstChild; g != nil; {
						after := g.NextSibling
						next.RemoveChild(g)
						c.AppendChild(g)
						g = after
					}
					after := next.NextSibling
					n.RemoveChild(next)
					next = after
				}
				walk(c)
				flank(c)
			case "a":
				// An anchor without an href (<a name="top">, <a id=x>)
				// is a place, not a link: the library would write it as
				// a link to the item's page. Its content stays as text.
				if !hasAttr(c, "href") {
					if c.FirstChild != nil {
						next = c.FirstChild
					}
					unwrapNode(c)
				} else {
					walk(c)
				}
			case "br":
				// A GFM table cell is one line: a line break in one
				// is a space.
				if inTableCell(c) {
					n.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, c)
					n.RemoveChild(c)
				}
			case "caption":
				// The table plugin drops a caption: it becomes a
				// paragraph before its table.
				if t := n; t.Data == "table" && t.Parent != nil {
					n.RemoveChild(c)
					c.Data, c.DataAtom = "p", 0
					c.Attr = nil
					t.Parent.InsertBefore(c, t)
				}
				walk(c)
			default:
				walk(c)
			}
			c = next
		}
	}
	walk(doc)
}

// flank makes an emphasis element's delimiters work, or removes it
// (keeping its content) where they cannot. CommonMark reads "a**: b**"
// and "**a.**b" as text with asterisks: a delimiter between a letter,
// digit or symbol outside and punctuation inside is not one. So where the
// element touches such a character outside (wordRune), the punctuation
// and space at that edge move out of it; if an element is at that edge (a link, code:
// they start and end with punctuation), the emphasis goes. Where code is
// at an edge with no letter outside, an empty text node keeps
// commonmark's plugin from adding a space between the two.
func flank(el *html.Node) {
	edge := func(c *html.Node, forward bool) *html.Node {
		for c != nil && (c.Type == html.TextNode && c.Data == "" || c.Type == html.ElementNode && c.Data == "span" && c.FirstChild == nil) {
			if forward {
				c = c.NextSibling
			} else {
				c = c.PrevSibling
			}
		}
		return c
	}
	// Two delimiter runs side by side are one run: "**a***b*" does not
	// read as strong a, emphasis b. The second emphasis goes.
	prev := el.PrevSibling
	unwrap := prev != nil && prev.Type == html.ElementNode && emphasisKind(prev.Data) != "" && emphasisKind(prev.Data) != emphasisKind(el.Data)
	// Emphasis of no text (an image, a link around one) shows nothing,
	// and Hugo 0.111's Goldmark prints the asterisks around an image link.
	unwrap = unwrap || strings.TrimSpace(nodeText(el)) == ""
	if prev != nil && prev.Type == html.TextNode {
		if r, _ := utf8.DecodeLastRuneInString(prev.Data); wordRune(r) {
			if f := el.FirstChild; f != nil && f.Type == html.TextNode {
				rest := strings.TrimLeftFunc(f.Data, notWordRune)
				prev.Data += f.Data[:len(f.Data)-len(rest)]
				f.Data = rest
			}
			if f := edge(el.FirstChild, true); f != nil && f.Type == html.ElementNode {
				unwrap = true
			}
		}
	}
	if next := el.NextSibling; next != nil && next.Type == html.TextNode {
		if r, _ := utf8.DecodeRuneInString(next.Data); wordRune(r) {
			if l := el.LastChild; l != nil && l.Type == html.TextNode {
				rest := strings.TrimRightFunc(l.Data, notWordRune)
				next.Data = l.Data[len(rest):] + next.Data
				l.Data = rest
			}
			if l := edge(el.LastChild, false); l != nil && l.Type == html.ElementNode {
				unwrap = true
			}
		}
	}
	if unwrap {
		unwrapNode(el)
		return
	}
	if f := el.FirstChild; f != nil && f.Type == html.ElementNode && isInlineCode(f.Data) {
		el.InsertBefore(&html.Node{Type: html.TextNode}, f)
	}
	if l := el.LastChild; l != nil && l.Type == html.ElementNode && isInlineCode(l.Data) {
		el.AppendChild(&html.Node{Type: html.TextNode})
	}
}

// isInlineCode names the elements commonmark's plugin writes as code.
func isInlineCode(tag string) bool {
	return tag == "code" || tag == "var" || tag == "samp" || tag == "kbd" || tag == "tt"
}

// wordRune is what a delimiter next to punctuation may not touch: not
// space, not punctuation. Symbols count (🔥, $): CommonMark 0.31 and
// later Goldmarks read them as punctuation, Hugo 0.111's does not.
func wordRune(r rune) bool {
	return r != utf8.RuneError && !unicode.IsSpace(r) && !unicode.IsPunct(r)
}

// notWordRune is punctuation, a symbol or space: what may not stand
// between a delimiter and a letter outside it.
func notWordRune(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
}

// emphasisKind is "strong" for strong and b, "em" for em and i.
func emphasisKind(tag string) string {
	switch tag {
	case "strong", "b":
		return "strong"
	case "em", "i":
		return "em"
	}
	return ""
}

// superscripts and subscripts are the Unicode forms of the characters
// every font has them for.
var (
	superscripts = map[rune]rune{'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾'}
	subscripts   = map[rune]rune{'0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎'}
)

// spellSupSub replaces a <sup> or <sub> element (its children already
// done) with its content spelled for a page without HTML: when its text is
// only digits, + - = ( ), in Unicode superscript or subscript characters
// (x<sup>2</sup> is x², H<sub>2</sub>O is H₂O); otherwise as ^(…) or
// _(…) around its content (2<sup>l+1</sup> is 2^(l+1)). An empty one goes.
func spellSupSub(n *html.Node) {
	table := superscripts
	open := "^("
	if n.Data == "sub" {
		table, open = subscripts, "_("
	}
	text := nodeText(n)
	parent := n.Parent
	if strings.TrimSpace(text) == "" {
		parent.RemoveChild(n)
		return
	}
	mappable := true
	for _, r := range text {
		if _, ok := table[r]; !ok {
			mappable = false
			break
		}
	}
	if mappable {
		var walk func(m *html.Node)
		walk = func(m *html.Node) {
			if m.Type == html.TextNode {
				m.Data = strings.Map(func(r rune) rune { return table[r] }, m.Data)
			}
			for c := m.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(n)
	} else {
		n.InsertBefore(&html.Node{Type: html.TextNode, Data: open}, n.FirstChild)
		n.AppendChild(&html.Node{Type: html.TextNode, Data: ")"})
	}
	unwrapNode(n)
}

// nodeText is the text of n's descendants.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(m *html.Node)
	walk = func(m *html.Node) {
		if m.Type == html.TextNode {
			b.WriteString(m.Data)
		}
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

package body

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parseHTML parses a body as html.Parse does, through fastTree when it
// can (the tree is then the same) and through html.Parse otherwise. The
// nodes of a tree fastTree builds come from slab, which the caller
// releases once nothing refers to the tree any more.
func parseHTML(s string, slab *nodeSlab) (*html.Node, error) {
	if doc := fastTree(s, slab); doc != nil {
		return doc, nil
	}
	return html.Parse(strings.NewReader(s))
}

// nodeSlab is where fastTree takes a tree's nodes from: one slice, which
// each Markdown worker reuses from body to body (markdownWorker), as its
// bodies are parsed and dropped one after another. Allocating the nodes
// afresh for each body was a third of the bytes a Markdown run allocated.
type nodeSlab struct {
	nodes []html.Node
	used  int
}

// maxKeptNodes is the largest slab kept for the next body (6.8 MB):
// a huge body's is left to the collector rather than held.
const maxKeptNodes = 1 << 16

// reserve makes room for n nodes, all zero.
func (sl *nodeSlab) reserve(n int) {
	if len(sl.nodes) < n {
		sl.nodes = make([]html.Node, max(n, 2*len(sl.nodes)))
	}
}

// release zeroes the nodes taken from sl, so that it holds on to nothing
// of the tree, for the next tree. Nothing may use the tree after.
func (sl *nodeSlab) release() {
	clear(sl.nodes[:sl.used])
	sl.used = 0
	if len(sl.nodes) > maxKeptNodes {
		sl.nodes = nil
	}
}

// fastMaxDepth is the most elements fastTree keeps open (html and body
// included). html.Parse refuses a body nested deeper than 512 elements,
// and that refusal is what stops a hostile body whose depth would cost
// html-to-markdown minutes (2,000 nested lists: 89 s); fastTree leaves
// anything near it to html.Parse.
const fastMaxDepth = 256

// fastTree builds the tree html.Parse builds for s, its nodes taken from
// slab, or returns nil, slab left released.
//
// It exists because html.Parse was about a quarter of the Markdown step:
// its tokenizer reads byte by byte through a reader and allocates for
// each token, and its tree builder runs the whole HTML5 algorithm
// (insertion modes, scope checks, the active formatting elements) for
// bodies that are almost always simple, well-nested fragments. For those,
// that algorithm does nothing but append: each start tag adds a child to
// the current element, each end tag closes it, text joins the text
// before it. fastTree reads such bodies in one pass over the string
// (scanTokens), with text and attribute values that need no decoding
// taken as substrings of s, and nodes allocated in slabs.
//
// It accepts only what keeps html.Parse in that regime and gives up (nil)
// on anything else. In the markup: a NUL byte; a doctype, CDATA, a
// processing instruction, a comment that is not plainly "<!--...-->"; a
// tag whose name is not letters and digits, or whose attributes are not
// plainly written (a "/" but at the end, a missing ">"), or that repeats
// an attribute; an end tag with attributes; an attribute value with a
// named character reference other than &amp; &lt; &gt; &quot; &apos;
// &nbsp; or one without its ";" before a "=" (html.Parse's rule for the
// others differs in attributes). In the tree: an element fastKinds does
// not hold (no form, head, foreign, template or unknown element, nor
// <xmp>, <textarea>, <title>, <plaintext>, <nobr>); a <button> in a
// <button>; in a table, anything but its plainly written parts in their
// place, text other than white space between them, and a table left open
// at the end (fasttree_table.go); a table in an open <p>; <script>,
// <style>, <noframes> or <noscript> before the body has begun (they go in
// the head); a raw-text element written self-closing or not closed by the
// next "</" (for <script>, one without "<!--"); an end tag that does not
// name the current element, but for those of void elements other than
// <br>, which html.Parse ignores as fastTree does (but in table context),
// </col> in a <colgroup>, ignored too, </table> after a section left
// open, and the end tag of a block element, <button> or an item with
// <li>, <dd>, <dt> or <p> elements open above its element; a start tag that html.Parse would make close an open <p> (the
// "close a p" rows of the spec, and <hr>) other than the current element,
// a heading that is the current element, an <li> (<dd>, <dt>) that would
// close an open one with a formatting element above it, an <a> in an
// <a>; an element more than fastMaxDepth deep.
//
// What html.Parse does besides appending, fastTree does the same way: the
// implied html, head and body elements; white space before the first
// element dropped and comments before it put on the document; the first
// newline of a <pre> or <listing> dropped; attributes of formatting
// elements sorted (addFormattingElement); the <p> that is the current
// element closed by a start tag that closes one, an open <li> (<dd>,
// <dt>) by a new one, and the <li>, <dd>, <dt> and <p> elements open in
// a block element or an item by its end tag (generateImpliedEndTags);
// the <tbody> implied by a <tr> in a <table>, and closed by its
// </table>; adjacent text joined; CR and CRLF made LF; character references decoded (html.UnescapeString is
// the tokenizer's rule for text). Open elements at the end are left open,
// as html.Parse leaves them. TestFastTreeMatchesParse (every corpus body)
// and FuzzFastTree hold it to html.Parse's tree.
func fastTree(s string, slab *nodeSlab) *html.Node {
	if strings.IndexByte(s, 0) >= 0 {
		return nil // html.Parse drops NUL in text; not worth copying
	}
	b := treeBuilders.Get().(*treeBuilder)
	// A "<" for each start and end tag, and about as many text nodes as
	// elements; a body that needs more takes them from small slabs.
	slab.reserve(strings.Count(s, "<") + 5)
	b.slab = slab
	doc := b.build(s)
	clear(b.stack)
	*b = treeBuilder{stack: b.stack[:0]}
	treeBuilders.Put(b)
	if doc == nil {
		slab.release()
	}
	return doc
}

var treeBuilders = sync.Pool{New: func() any { return new(treeBuilder) }}

// treeBuilder is fastTree's state for one body.
type treeBuilder struct {
	doc    *html.Node
	stack  []*html.Node // the open elements: html, body, then the body's
	slab   *nodeSlab
	nodes  []html.Node // allocated in slabs once slab is full
	attrs  []html.Attribute
	p, a   int // how many <p> and <a> are open
	button int // how many <button> are open
	tables int // how many <table> are open
}

func (b *treeBuilder) top() *html.Node { return b.stack[len(b.stack)-1] }

// node returns a new node of type t, from b.slab while it lasts.
func (b *treeBuilder) node(t html.NodeType) *html.Node {
	var n *html.Node
	if sl := b.slab; sl.used < len(sl.nodes) {
		n = &sl.nodes[sl.used]
		sl.used++
	} else {
		if len(b.nodes) == 0 {
			b.nodes = make([]html.Node, 32)
		}
		n = &b.nodes[0]
		b.nodes = b.nodes[1:]
	}
	n.Type = t
	return n
}

func (b *treeBuilder) element(a atom.Atom) *html.Node {
	n := b.node(html.ElementNode)
	n.DataAtom, n.Data = a, a.String()
	return n
}

// startBody makes the html, head and body elements html.Parse implies
// before the first element or text, once.
func (b *treeBuilder) startBody() {
	if len(b.stack) != 0 {
		return
	}
	h, body := b.element(atom.Html), b.element(atom.Body)
	b.doc.AppendChild(h)
	h.AppendChild(b.element(atom.Head))
	h.AppendChild(body)
	b.stack = append(b.stack, h, body)
}

// text adds a text token, decoded, as html.Parse's initial modes, "in
// body" and the table modes do, or reports false for text that is not
// white space in table context.
func (b *treeBuilder) text(t string) bool {
	if len(b.stack) == 0 {
		t = strings.TrimLeft(t, " \t\r\n\f")
		if len(t) == 0 {
			return true
		}
		b.startBody()
	}
	top := b.top()
	if tableContext(top.DataAtom) && !tableText(t) {
		return false
	}
	if (top.DataAtom == atom.Pre || top.DataAtom == atom.Listing) && top.FirstChild == nil {
		t = strings.TrimPrefix(t, "\r")
		t = strings.TrimPrefix(t, "\n")
	}
	if len(t) == 0 {
		return true
	}
	if last := top.LastChild; last != nil && last.Type == html.TextNode {
		last.Data += t
		return true
	}
	n := b.node(html.TextNode)
	n.Data = t
	top.AppendChild(n)
	return true
}

// comment adds a comment, decoded: to the document before the body.
func (b *treeBuilder) comment(c string) {
	n := b.node(html.CommentNode)
	n.Data = c
	if len(b.stack) == 0 {
		b.doc.AppendChild(n)
	} else {
		b.top().AppendChild(n)
	}
}

// accepts reports whether a start tag of kind k for a, now, is one
// html.Parse would only add (see fastTree).
func (b *treeBuilder) accepts(a atom.Atom, k fastKind) bool {
	if len(b.stack) >= fastMaxDepth {
		return false
	}
	if len(b.stack) != 0 && tableContext(b.top().DataAtom) {
		return b.acceptsInTable(a)
	}
	switch k {
	case kindNone, kindTablePart:
		return false
	case kindTable:
		return b.p == 0
	case kindHeadRaw:
		return len(b.stack) != 0
	case kindBlock, kindHr:
		return b.p == 0 || b.pOnTop()
	case kindHeading:
		// A heading that is the current element once the <p> is closed
		// would be closed too.
		cur := len(b.stack) - 1
		if b.pOnTop() {
			cur--
		}
		return (b.p == 0 || b.pOnTop()) && (cur < 0 || !headingKind(b.stack[cur].DataAtom))
	case kindItem:
		// The open item it closes goes first, with what is above it;
		// then an open <p> that is the current element.
		cut := b.itemCut(a)
		if cut < 0 {
			return false
		}
		p := b.p
		for _, n := range b.stack[cut:] {
			if n.DataAtom == atom.P {
				p--
			}
		}
		return p == 0 || p == 1 && b.stack[cut-1].DataAtom == atom.P
	case kindA:
		return b.a == 0
	case kindButton:
		return b.button == 0
	}
	return true
}

// pOnTop reports whether the one open <p> is the current element. A start
// tag that closes an open <p> ("in button scope": html.Parse's popUntil)
// then closes just it; one open further down would close the elements
// above it too, and then bring formatting elements back, which fastTree
// leaves to html.Parse.
func (b *treeBuilder) pOnTop() bool {
	return b.p == 1 && b.top().DataAtom == atom.P
}

// startTag adds the element of an accepted start tag, with its
// attributes.
func (b *treeBuilder) startTag(a atom.Atom, k fastKind, attr []html.Attribute) {
	b.startBody()
	if k == kindItem {
		for cut := b.itemCut(a); len(b.stack) > cut; {
			b.pop()
		}
	}
	if (k == kindBlock || k == kindHr || k == kindHeading || k == kindItem) && b.pOnTop() {
		b.pop()
	}
	if a == atom.Tr && b.top().DataAtom == atom.Table {
		tbody := b.element(atom.Tbody) // implied, in inTableIM
		b.top().AppendChild(tbody)
		b.stack = append(b.stack, tbody)
	}
	n := b.element(a)
	n.Attr = attr
	if k == kindA || k == kindFormatting {
		slices.SortFunc(attr, func(x, y html.Attribute) int {
			return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Key, y.Key), cmp.Compare(x.Val, y.Val))
		})
	}
	b.top().AppendChild(n)
	if k == kindVoid || k == kindHr || a == atom.Col {
		return
	}
	b.stack = append(b.stack, n)
	switch a {
	case atom.P:
		b.p++
	case atom.A:
		b.a++
	case atom.Button:
		b.button++
	case atom.Table:
		b.tables++
	}
}

// pop closes the current element.
func (b *treeBuilder) pop() {
	switch b.top().DataAtom {
	case atom.P:
		b.p--
	case atom.A:
		b.a--
	case atom.Button:
		b.button--
	case atom.Table:
		b.tables--
	}
	b.stack = b.stack[:len(b.stack)-1]
}

// itemCut returns the length an <li> start tag (for a == atom.Li), or a
// <dd> or <dt> one, cuts the open elements to, as html.Parse's loop does:
// down from the current element, past <address>, <div>, <p> and elements
// that are not special, to an open <li> (<dd> or <dt>), which is closed
// with everything above it; it stops at other special elements, closing
// nothing (len(b.stack)). It is -1 where a formatting element would be
// closed: html.Parse would open it again after, which fastTree leaves to
// it.
func (b *treeBuilder) itemCut(a atom.Atom) int {
	for i := len(b.stack) - 1; i >= 0; i-- {
		switch n := b.stack[i].DataAtom; {
		case a == atom.Li && n == atom.Li, a != atom.Li && (n == atom.Dd || n == atom.Dt):
			for _, above := range b.stack[i+1:] {
				if k := kindOf(above.DataAtom); k == kindA || k == kindFormatting {
					return -1
				}
			}
			return i
		case n == atom.Address || n == atom.Div || n == atom.P:
		case specialElement(n):
			return len(b.stack)
		}
	}
	return len(b.stack)
}

// endTag closes the current element, or reports false if the end tag
// names another one (or the body, or nothing).
func (b *treeBuilder) endTag(a atom.Atom) bool {
	if a != atom.Br && (kindOf(a) == kindVoid || a == atom.Hr) {
		// No element of these is ever open, so html.Parse ignores the
		// end tag ("any other end tag" stops at a special element); in
		// a <colgroup> it would close that, and in table context
		// fastTree does not look further.
		return len(b.stack) == 0 || !tableContext(b.top().DataAtom)
	}
	if len(b.stack) <= 2 || a == 0 {
		return false
	}
	if a == atom.Col && b.top().DataAtom == atom.Colgroup {
		return true // ignored by inColumnGroupIM
	}
	if a == atom.Table && sectionKind(b.top().DataAtom) {
		b.pop() // as inTableBodyIM does
	}
	if closesImplied(a) {
		// Open <li>, <dd>, <dt> and <p> elements above it close first
		// (html.Parse's generateImpliedEndTags; </li>, </dd> and </dt>
		// leave those of their own name).
		i := len(b.stack) - 1
		for i > 2 && b.stack[i].DataAtom != a && impliedEnd(b.stack[i].DataAtom) {
			i--
		}
		if b.stack[i].DataAtom != a {
			return false
		}
		for len(b.stack)-1 > i {
			b.pop()
		}
	}
	if b.top().DataAtom != a {
		return false
	}
	b.pop()
	return true
}

// closesImplied reports whether html.Parse closes the open <li>, <dd>,
// <dt> and <p> elements above the element an end tag of a closes: those
// of the block elements fastTree takes (but <p>), of <button>, and of
// items.
func closesImplied(a atom.Atom) bool {
	switch a {
	case atom.Li, atom.Dd, atom.Dt, atom.Button:
		return true
	}
	return kindOf(a) == kindBlock && a != atom.P
}

// impliedEnd reports whether a is one of the elements html.Parse closes
// implicitly that fastTree takes.
func impliedEnd(a atom.Atom) bool {
	return a == atom.Li || a == atom.Dd || a == atom.Dt || a == atom.P
}

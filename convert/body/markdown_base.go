package body

import (
	"bytes"
	"strings"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
)

// basePlugin stands in for html-to-markdown's base plugin
// (plugin/base of v2.5.2) and writes the same Markdown, byte for byte
// (TestBasePluginMatchesLibrary, FuzzBasePluginMatchesLibrary). It
// exists for speed: in a CPU profile of BenchmarkConvertMarkdown (10,000
// items, -benchtime 2x, -cpuprofile) base's steps were 32% of the
// Markdown step, body.(*Maker).Markdown: 4.4 s of 13.7 s, of which 2.2 s
// trimmed newlines (rune by rune, appending byte by byte, then three
// bytes.ReplaceAll) and 0.8 s removed what is not shown (a recursive
// walk with a defer per child and a locked tag-type look-up per node);
// the trim also allocated a fifth of the benchmark's bytes. With
// basePlugin they are 1.6 s of 10.6 s, and the benchmark allocates 18%
// fewer bytes.
//
// It must register what base registers, under the name "base" (which
// commonmark requires), at the same priorities: the tag types of
// removeTags as converter.TagTypeRemove, the remove and collapse
// pre-renderers, the text transformer, and the trim and unescape
// post-renderers; base registers no renderer. On upgrading the library,
// compare with its plugin/base/base.go.
type basePlugin struct{}

// removeTags are the tags base registers as converter.TagTypeRemove, in
// its order.
var removeTags = [...]string{"#comment", "head", "script", "style", "link", "meta", "iframe", "noscript", "input", "textarea"}

func (basePlugin) Name() string { return "base" }

func (basePlugin) Init(conv *converter.Converter) error {
	for _, name := range removeTags {
		conv.Register.TagType(name, converter.TagTypeRemove, converter.PriorityStandard)
	}
	conv.Register.PreRenderer(preRenderRemove, converter.PriorityEarly)
	conv.Register.PreRenderer(preRenderCollapse, converter.PriorityLate)
	conv.Register.TextTransformer(baseTextTransform, converter.PriorityStandard)
	conv.Register.PostRenderer(postRenderTrim, converter.PriorityStandard)
	conv.Register.PostRenderer(postRenderUnescape, converter.PriorityStandard+20)
	return nil
}

// removeIndex is the index of name in removeTags, or -1.
func removeIndex(name string) int {
	switch name {
	case "#comment":
		return 0
	case "head":
		return 1
	case "script":
		return 2
	case "style":
		return 3
	case "link":
		return 4
	case "meta":
		return 5
	case "iframe":
		return 6
	case "noscript":
		return 7
	case "input":
		return 8
	case "textarea":
		return 9
	}
	return -1
}

// preRenderRemove removes the nodes whose tag type is
// converter.TagTypeRemove, and then merges the text nodes left next to
// each other, as base does, in one walk without recursion. Only the tags
// of removeTags can be of that type (no other plugin in use registers
// it), so their types are asked once per conversion, not once per node
// under the converter's lock; another plugin may have given one of them
// another type first.
func preRenderRemove(ctx converter.Context, doc *html.Node) {
	var remove [len(removeTags)]bool
	for i, name := range removeTags {
		t, _ := ctx.GetTagType(name)
		remove[i] = t == converter.TagTypeRemove
	}
	removed := func(n *html.Node) bool {
		i := removeIndex(dom.NodeName(n))
		return i >= 0 && remove[i]
	}
	if removed(doc) {
		// base removes it, walks nothing below it, and still merges.
		dom.RemoveNode(doc)
		remove = [len(removeTags)]bool{}
	}
	for n := doc; n != nil; n = nextInWalk(n, doc) {
		var prev *html.Node
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch {
			case removed(c):
				n.RemoveChild(c)
			case c.Type == html.TextNode && prev != nil && prev.Type == html.TextNode:
				prev.Data += c.Data
				n.RemoveChild(c)
			default:
				prev = c
			}
			c = next
		}
	}
}

// nextInWalk is the node after n in document order below root, or nil.
func nextInWalk(n, root *html.Node) *html.Node {
	if n.FirstChild != nil {
		return n.FirstChild
	}
	for ; n != root; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}

// preRenderCollapse collapses whitespace as base does, with collapseSpace
// in place of the library's collapse.Collapse.
func preRenderCollapse(ctx converter.Context, doc *html.Node) {
	collapseSpace(doc, func(node *html.Node) bool {
		name := dom.NodeName(node)
		if t, ok := ctx.GetTagType(name); ok {
			return t == converter.TagTypeBlock
		}
		return dom.NameIsBlockNode(name)
	})
}

// baseEntities is base's characterEntityReplacer.
var baseEntities = strings.NewReplacer("<", "&lt;", ">", "&gt;")

// baseTextTransform is base's text transformer.
func baseTextTransform(ctx converter.Context, content string) string {
	return string(ctx.EscapeContent([]byte(baseEntities.Replace(content))))
}

// postRenderTrim is base's postRenderTrimContent: bytes.TrimSpace, then
// trimNewlines. It is the first post-renderer, so what it rewrites in
// place is the converter's own render buffer.
func postRenderTrim(_ converter.Context, result []byte) []byte {
	return trimNewlines(bytes.TrimSpace(result))
}

// postRenderUnescape is base's: the library's unescape step, which
// without an escaping marker in the Markdown returns a copy of it.
func postRenderUnescape(ctx converter.Context, result []byte) []byte {
	if bytes.IndexByte(result, marker.BytesMarkerEscaping[0]) < 0 {
		return result
	}
	return ctx.UnEscapeContent(result)
}

// trimNewlines does in one pass, in place, what the library's
// textutils.TrimConsecutiveNewlines and then TrimUnnecessaryHardLineBreaks
// (three bytes.ReplaceAll, in turn) do. All of them look only at spaces
// and newlines, so they act on each run of spaces and newlines apart; a
// run with k newlines is spaces r0, newline, r1, ..., newline, rk.
// TrimConsecutiveNewlines keeps r0 for k = 0; r0, newline, r1 for k = 1;
// and for k ≥ 2 r0, newline, r1, newline, rk (it drops the third newline
// on, with the spaces before each). Of the three replacements of
// "  \n\n", "  \n  \n" and "  \n \n" by "\n\n", at most one can then match
// in a run, once, and only when k ≥ 2, r0 ≥ 2 and r1 ≤ 2: the run becomes
// r0−2 spaces, two newlines, rk. The library decodes runes, but a space
// or a newline is never part of one of several bytes, and an invalid
// byte is kept as it is, so working on bytes is the same. The result
// is never longer than what has been read, so it is written over b.
func trimNewlines(b []byte) []byte { return trimRuns(b, true) }

// trimNewlinesOnly does what TrimConsecutiveNewlines alone does, as
// trimNewlines does, in place.
func trimNewlinesOnly(b []byte) []byte { return trimRuns(b, false) }

// trimRuns is trimNewlines, or with hard false trimNewlinesOnly. A run
// without a newline is kept as it is, so only the runs around each
// newline are looked at, found with bytes.IndexByte; the text between
// them is moved down in one copy once something before it has been
// dropped.
func trimRuns(b []byte, hard bool) []byte {
	w, i := 0, 0 // b[:w] is written; b[i:] is still to be read
	for {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return b[:w+move(b, w, i, len(b))]
		}
		// The run holding the newline starts at the spaces before it.
		start := i + j
		for start > i && b[start-1] == ' ' {
			start--
		}
		w += move(b, w, i, start)
		i = start
		newlines, r0, r1, run := 0, 0, 0, 0
	run:
		for ; i < len(b); i++ {
			switch b[i] {
			case ' ':
				run++
			case '\n':
				switch newlines {
				case 0:
					r0 = run
				case 1:
					r1 = run
				}
				newlines++
				run = 0
			default:
				break run
			}
		}
		switch {
		case newlines == 1:
			w = spaces(b, w, r0)
			b[w] = '\n'
			w = spaces(b, w+1, run)
		case hard && r0 >= 2 && r1 <= 2:
			w = spaces(b, w, r0-2)
			b[w], b[w+1] = '\n', '\n'
			w = spaces(b, w+2, run)
		default:
			w = spaces(b, w, r0)
			b[w] = '\n'
			w = spaces(b, w+1, r1)
			b[w] = '\n'
			w = spaces(b, w+1, run)
		}
	}
}

// move copies b[from:to] to b[w:], unless it is there already, and
// returns its length.
func move(b []byte, w, from, to int) int {
	if w != from {
		copy(b[w:], b[from:to])
	}
	return to - from
}

// spaces writes n spaces at b[w:] and returns the index after them.
func spaces(b []byte, w, n int) int {
	for end := w + n; w < end; w++ {
		b[w] = ' '
	}
	return w
}

package body

import (
	"strings"

	"github.com/JohannesKaufmann/dom"
	"golang.org/x/net/html"
)

// collapseSpace collapses white space below root as html-to-markdown's
// collapse.Collapse (v2.5.2, after turndown's collapse-whitespace) does
// when base calls it: with base's block test (block) and the library's
// own void and preformatted tests. It writes the same tree, byte for byte
// (FuzzBasePluginMatchesLibrary, TestBasePluginMatchesLibrary), for less:
// in a CPU profile of BenchmarkConvertMarkdown the library's took 6% of
// the run, mostly in replacing white space byte by byte through four
// comparisons and in finding void elements in a list. On upgrading the
// library, compare with its collapse package.
//
// It walks the nodes in document order, not into pre or code. A text
// node's runs of white space become one space each, and its leading space
// goes after a block, a <br>, the start, or text ending in a space (but
// after a void element, pre or code); a text node left empty is removed.
// A block or a <br> trims the space at the end of the text before it, as
// the end does; anything but elements, text and comments is removed.
func collapseSpace(root *html.Node, block func(n *html.Node) bool) {
	if root.FirstChild == nil || preformatted(root) {
		return
	}
	var prevText, prev *html.Node
	keepLeadingSpace := false
	node := collapseNext(prev, root)
	for node != root {
		switch node.Type {
		case html.TextNode:
			text := oneSpace(node.Data)
			if (prevText == nil || strings.HasSuffix(prevText.Data, " ")) && !keepLeadingSpace && text != "" && text[0] == ' ' {
				text = text[1:]
			}
			if text == "" {
				node = collapseRemove(node)
				continue
			}
			node.Data = text
			prevText = node
		case html.ElementNode:
			switch {
			case node.Data == "br" || block(node):
				if prevText != nil {
					prevText.Data = strings.TrimSuffix(prevText.Data, " ")
				}
				prevText = nil
				keepLeadingSpace = false
			case collapseVoid(node.Data) || node.Data == "pre" || node.Data == "code":
				prevText = nil
				keepLeadingSpace = true
			case prevText != nil:
				keepLeadingSpace = false
			}
		case html.CommentNode:
		default:
			node = collapseRemove(node)
			continue
		}
		next := collapseNext(prev, node)
		prev = node
		node = next
	}
	if prevText != nil {
		prevText.Data = strings.TrimSuffix(prevText.Data, " ")
		if prevText.Data == "" {
			collapseRemove(prevText)
		}
	}
}

// collapseNext is the node collapseSpace looks at after current, having
// come from prev: the next sibling, or the parent, once current's
// children are done or when it is preformatted; the first child
// otherwise.
func collapseNext(prev, current *html.Node) *html.Node {
	if prev != nil && prev.Parent == current || preformatted(current) {
		if current.NextSibling != nil {
			return current.NextSibling
		}
		return current.Parent
	}
	if current.FirstChild != nil {
		return current.FirstChild
	}
	if current.NextSibling != nil {
		return current.NextSibling
	}
	return current.Parent
}

// collapseRemove removes node and returns the node to look at next: its
// next sibling, or its parent.
func collapseRemove(node *html.Node) *html.Node {
	next := node.NextSibling
	if next == nil {
		next = node.Parent
	}
	node.Parent.RemoveChild(node)
	return next
}

// preformatted is the library's test: pre or code, by dom.NodeName (so a
// doctype named pre counts too).
func preformatted(n *html.Node) bool {
	name := dom.NodeName(n)
	return name == "pre" || name == "code"
}

// collapseVoid reports whether name is in the library's list of void
// elements (which leaves out source).
func collapseVoid(name string) bool {
	switch name {
	case "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "track", "wbr":
		return true
	}
	return false
}

// collapseSpaceChars are the bytes the library collapses: space, CR, LF
// and tab (not form feed).
var collapseSpaceChars = [256]bool{' ': true, '\r': true, '\n': true, '\t': true}

// oneSpace replaces each run of collapseSpaceChars in s with one space,
// returning s itself when nothing changes.
func oneSpace(s string) string {
	// Find the first run that is not a lone space.
	i := 0
	for ; i < len(s); i++ {
		if !collapseSpaceChars[s[i]] {
			continue
		}
		if s[i] != ' ' || i+1 < len(s) && collapseSpaceChars[s[i+1]] {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if !collapseSpaceChars[s[i]] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteByte(' ')
		for i < len(s) && collapseSpaceChars[s[i]] {
			i++
		}
	}
	return b.String()
}

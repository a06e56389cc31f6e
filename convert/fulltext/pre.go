package fulltext

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The extractor folds white space in the text it keeps, and writes a
// code block (<pre>, <pre><code>) as a <code> element. So the white space
// of preformatted text is hidden from it in characters of Unicode's
// private use area (keepPre), and given back afterwards, the block made
// <pre><code> again (restorePre): code keeps its lines and indentation.
var (
	hideSpace = strings.NewReplacer("\n", "\ue000", " ", "\ue001", "\t", "\ue002", "\r", "")
	showSpace = strings.NewReplacer("\ue000", "\n", "\ue001", " ", "\ue002", "\t")
)

// keepPre hides the white space of the text in every <pre> under n.
func keepPre(n *html.Node) {
	if n.Type == html.ElementNode && (n.DataAtom == atom.Pre || n.DataAtom == atom.Textarea) {
		hideIn(n)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		keepPre(c)
	}
}

func hideIn(n *html.Node) {
	if n.Type == html.TextNode {
		n.Data = hideSpace.Replace(n.Data)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		hideIn(c)
	}
}

// restorePre gives back the white space keepPre hid, anywhere under n (a
// page's own private-use characters become white space too: harmless),
// and writes each outermost <code> that held preformatted text as
// <pre><code>, its nested <code> elements merged into it.
func restorePre(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isElement(c, "code") && hidden(c) && !inPre(c) {
			flattenCode(c)
			pre := &html.Node{Type: html.ElementNode, Data: "pre", DataAtom: atom.Pre}
			n.InsertBefore(pre, c)
			n.RemoveChild(c)
			pre.AppendChild(c)
			c = pre
		}
		if c.Type == html.TextNode {
			c.Data = showSpace.Replace(c.Data)
		}
		restorePre(c)
	}
}

// hidden reports whether the text under n holds hidden white space.
func hidden(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.ContainsAny(n.Data, "\ue000\ue001\ue002")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hidden(c) {
			return true
		}
	}
	return false
}

// inPre reports whether n is inside a <pre>.
func inPre(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isElement(p, "pre") {
			return true
		}
	}
	return false
}

// flattenCode replaces the <code> elements under code by their children.
func flattenCode(code *html.Node) {
	for c := code.FirstChild; c != nil; {
		next := c.NextSibling
		if isElement(c, "code") {
			flattenCode(c)
			for g := c.FirstChild; g != nil; {
				gn := g.NextSibling
				c.RemoveChild(g)
				code.InsertBefore(g, c)
				g = gn
			}
			code.RemoveChild(c)
		}
		c = next
	}
}

// isElement reports an element by its name: the extractor renames
// elements without their atom.
func isElement(n *html.Node, name string) bool {
	return n.Type == html.ElementNode && n.Data == name
}

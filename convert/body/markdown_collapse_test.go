package body

import (
	"strings"
	"testing"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/collapse"
	"golang.org/x/net/html"
)

func TestOneSpace(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"a b c", "a b c"},
		{" a ", " a "},
		{"a  b", "a b"},
		{"a\nb", "a b"},
		{"a\tb\rc", "a b c"},
		{" \t\r\n x \f y\n", " x \f y "},
		{"\xa0 \xa0", "\xa0 \xa0"}, // no-break space is not collapsed
		{"é\n\n😀", "é 😀"},
	} {
		if got := oneSpace(c.in); got != c.want {
			t.Errorf("oneSpace(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// collapseTrees are bodies and trees the parser does not build, for
// collapseSpace and the library's collapse.Collapse to agree on.
var collapseTrees = []string{
	"<p>  a  <b> b </b>  c  </p>  <div> d <br>  e </div>",
	"<p>x <img src=a>  y <code>  z  </code>  w <pre> \n v \n </pre> u</p>",
	"<p>a <span> </span> b<wbr> c <source> d <input> e</p><ul> <li> f </li> </ul>",
	"<!-- c --> <p> a <!-- b --> c </p>\n\n<table> <tr> <td> d </td> </tr> </table>",
	"<div>\n\t<h2> t </h2>\n\t<p>a\fb</p>\n</div>  ",
	"<code> only code </code>",
	"",
}

func TestCollapseSpaceMatchesLibrary(t *testing.T) {
	block := func(n *html.Node) bool { return dom.NameIsBlockNode(dom.NodeName(n)) }
	check := func(name string, tree func() *html.Node) {
		t.Helper()
		a, b := tree(), tree()
		collapseSpace(a, block)
		collapse.Collapse(b, &collapse.DomFuncs{IsBlockNode: block})
		var ga, gb strings.Builder
		if err := html.Render(&ga, a); err != nil {
			t.Fatal(err)
		}
		if err := html.Render(&gb, b); err != nil {
			t.Fatal(err)
		}
		if ga.String() != gb.String() {
			t.Errorf("%s:\n got %q\nwant %q", name, ga.String(), gb.String())
		}
	}
	for _, body := range collapseTrees {
		check(body, func() *html.Node {
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			return doc
		})
	}
	// A doctype named pre counts as preformatted to the library's
	// tests, a doctype anywhere else is removed, and a text root is left.
	check("doctype", func() *html.Node {
		div := &html.Node{Type: html.ElementNode, Data: "div"}
		div.AppendChild(&html.Node{Type: html.TextNode, Data: " a "})
		div.AppendChild(&html.Node{Type: html.DoctypeNode, Data: "pre"})
		div.AppendChild(&html.Node{Type: html.TextNode, Data: "  b  "})
		div.AppendChild(&html.Node{Type: html.RawNode, Data: " raw "})
		div.AppendChild(&html.Node{Type: html.TextNode, Data: ""})
		return div
	})
	check("pre root", func() *html.Node {
		pre := &html.Node{Type: html.ElementNode, Data: "pre"}
		pre.AppendChild(&html.Node{Type: html.TextNode, Data: "  a  "})
		return pre
	})
}

func FuzzCollapseSpace(f *testing.F) {
	for _, c := range collapseTrees {
		f.Add(c)
	}
	block := func(n *html.Node) bool { return dom.NameIsBlockNode(dom.NodeName(n)) }
	f.Fuzz(func(t *testing.T, body string) {
		a, err := html.Parse(strings.NewReader(body))
		if err != nil {
			return
		}
		b, _ := html.Parse(strings.NewReader(body))
		collapseSpace(a, block)
		collapse.Collapse(b, &collapse.DomFuncs{IsBlockNode: block})
		var ga, gb strings.Builder
		html.Render(&ga, a)
		html.Render(&gb, b)
		if ga.String() != gb.String() {
			t.Errorf("body %q:\n got %q\nwant %q", body, ga.String(), gb.String())
		}
	})
}

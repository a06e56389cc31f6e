package body

import (
	"feed2md/convert/body/bodytest"
	"strings"
	"testing"
)

// TestFragmentLinks: an href that is only a fragment stays one in both
// Make modes (a footnote jumps within the Hugo page, not to the old site),
// other relative URLs are still made absolute, and in Markdown mode an
// anchor without an href is its text, not a link to the article.
func TestFragmentLinks(t *testing.T) {
	html := NewMaker(false, false, 1)
	md := NewMaker(true, false, 1)
	cases := []struct {
		name, in, html, md string
	}{
		{"footnote",
			`<p>Claim<sup><a href="#fn1" id="r1">1</a></sup>.</p><ol><li id="fn1">Source. <a href="#r1">↩</a></li></ol>`,
			`<p>Claim<sup><a href="#fn1" id="r1">1</a></sup>.</p><ol><li id="fn1">Source. <a href="#r1">↩</a></li></ol>`,
			"Claim[¹](#fn1).\n\n1. Source. [↩](#r1)"}, // sup spelled as in docs/bodies.md
		{"fragment with spaces",
			`<p><a href="  #top ">up</a></p>`,
			`<p><a href="#top">up</a></p>`,
			"[up](#top)"},
		{"bare hash",
			`<p><a href="#">x</a></p>`,
			`<p><a href="#">x</a></p>`,
			"[x](#)"},
		{"named anchor",
			`<p><a name="top">Top</a> of the page</p>`,
			`<p><a name="top">Top</a> of the page</p>`,
			"Top of the page"},
		{"anchor with an id and markup",
			`<p>A <a id="s2"><em>section</em></a> here</p>`,
			`<p>A <a id="s2"><em>section</em></a> here</p>`,
			"A *section* here"},
		{"relative path still absolute",
			`<p><a href="../2/#c">next</a></p>`,
			`<p><a href="https://blog.example.com/posts/2/#c">next</a></p>`,
			"[next](https://blog.example.com/posts/2/#c)"},
		{"query and fragment still absolute",
			`<p><a href="?p=2#c">p2</a></p>`,
			`<p><a href="https://blog.example.com/posts/1/?p=2#c">p2</a></p>`,
			"[p2](https://blog.example.com/posts/1/?p=2#c)"},
		{"heading id kept as Hugo's attribute",
			`<h2 id="further_reading">Further <em>Reading</em>?</h2><p><a href="#further_reading">up</a></p>`,
			`<h2 id="further_reading">Further <em>Reading</em>?</h2><p><a href="#further_reading">up</a></p>`,
			"## Further *Reading*? {#further_reading}\n\n[up](#further_reading)"},
		{"heading ending in #",
			`<h3 id="c-sharp">C #</h3>`,
			`<h3 id="c-sharp">C #</h3>`,
			"### C \\# {#c-sharp}"},
		{"heading id an attribute list could misread",
			`<h2 id="a b.c}{onclick=x">T</h2><h2 id="1x">U</h2><h2 id="">V</h2>`,
			`<h2 id="a b.c}{onclick=x">T</h2><h2 id="1x">U</h2><h2 id="">V</h2>`,
			"## T\n\n## U\n\n## V"},
		{"heading text that looks like attributes",
			`<h2 id="s">T {.c onclick=x}</h2>`,
			`<h2 id="s">T {.c onclick=x}</h2>`,
			"## T \\{.c onclick=x} {#s}"},
		{"image src of a fragment is resolved",
			`<p><img src="#x" alt="a"></p>`,
			`<p><img src="https://blog.example.com/posts/1/#x" alt="a"></p>`,
			"![a](https://blog.example.com/posts/1/#x)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := written(t, html, tc.in); got != tc.html {
				t.Errorf("HTML mode:\n got %q\nwant %q", got, tc.html)
			}
			if got := written(t, md, tc.in); got != tc.md {
				t.Errorf("Markdown mode:\n got %q\nwant %q", got, tc.md)
			}
		})
	}
}

// TestFragmentLinksRendered renders a footnote body written in each mode
// with Hugo's Goldmark: the links on the page point into the page.
func TestFragmentLinksRendered(t *testing.T) {
	in := `<p>Claim<a href="#fn1">[1]</a> and <a name="top">Top</a>.</p><p id="fn1">1. Source.</p>`
	for _, mode := range []struct {
		name     string
		markdown bool
	}{{"html", false}, {"markdown", true}} {
		t.Run(mode.name, func(t *testing.T) {
			c := NewMaker(mode.markdown, false, 1)
			page := bodytest.HugoRender(t, bodytest.HugoMarkdown(true), written(t, c, in))
			if !strings.Contains(page, `href="#fn1"`) {
				t.Errorf("rendered %q: no link to #fn1", page)
			}
			if strings.Contains(page, bodytest.Base) {
				t.Errorf("rendered %q: a link leaves the page for %s", page, bodytest.Base)
			}
		})
	}
}

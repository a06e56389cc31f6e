package body

import (
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/corpustest"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// treeDiff describes the first difference between two trees, or is "".
// It compares each node's type, data, atom, namespace and attributes in
// order, and the children one by one (so a text node split in two is a
// difference, which html.Render would hide), and checks the links.
func treeDiff(got, want *html.Node, path string) string {
	if got.Type != want.Type || got.Data != want.Data || got.DataAtom != want.DataAtom || got.Namespace != want.Namespace {
		return fmt.Sprintf("%s: node %v %q %v %q, want %v %q %v %q", path,
			got.Type, got.Data, got.DataAtom, got.Namespace, want.Type, want.Data, want.DataAtom, want.Namespace)
	}
	if len(got.Attr) != len(want.Attr) {
		return fmt.Sprintf("%s <%s>: attributes %q, want %q", path, got.Data, got.Attr, want.Attr)
	}
	for i := range got.Attr {
		if got.Attr[i] != want.Attr[i] {
			return fmt.Sprintf("%s <%s>: attributes %q, want %q", path, got.Data, got.Attr, want.Attr)
		}
	}
	g, w := got.FirstChild, want.FirstChild
	for i := 0; g != nil || w != nil; i++ {
		p := fmt.Sprintf("%s/%d", path, i)
		if g == nil || w == nil {
			return fmt.Sprintf("%s: child %v, want %v", p, g, w)
		}
		if g.Parent != got || (g.NextSibling == nil) != (got.LastChild == g) {
			return p + ": bad links"
		}
		if d := treeDiff(g, w, p); d != "" {
			return d
		}
		g, w = g.NextSibling, w.NextSibling
	}
	return ""
}

// checkFastTree reports whether fastTree took s, and fails t if the tree
// it made is not html.Parse's.
func checkFastTree(t testing.TB, s string) bool {
	t.Helper()
	got := fastTree(s, new(nodeSlab))
	if got == nil {
		return false
	}
	want, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	if d := treeDiff(got, want, ""); d != "" {
		t.Errorf("fastTree(%q) differs from html.Parse: %s", s, d)
	}
	return true
}

// fastTreeCases are fragments fastTree must take (true) or leave to
// html.Parse (false); the differential check applies to both.
var fastTreeCases = []struct {
	in   string
	fast bool
}{
	{"", true},
	{"   \n\t", true},
	{"plain text", true},
	{"  \n lead<b>x</b>", true},
	{"<!--a--> <!--b-->\n<p>x</p><!--c-->", true},
	{"<!--a--> text", true},
	{"<p>a</p>\n<p>b <em>c</em> &amp; d&#13;&lt;</p>", true},
	{"<P CLASS=x Id='y' data-Z=\"1&amp;2\">t</P>", true},
	{`<a title="t" href="h" class="c">l</a><span title="t" class="c">s</span>`, true},
	{`<b z=1 a=2 z=3>x</b>`, false},
	{"<pre>\nline\n</pre><pre>\r\nx</pre><pre>&#13;\ny</pre><pre><code>\nz</code></pre><listing>\n\nw</listing>", true},
	{"<pre><!--c-->\nx</pre>", true},
	{"<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", true},
	{"<ul><li>a<ul><li>b</li></ul></li><li>c</ul>", true},
	{"<ul><li>a<div>b<li>c</div></ul>", false},
	{"<ul><li>a<div>b<li>c</li></ul>", true},
	{"<ul><li>a<li>b</li></ul>", true},
	{"<ul><li><p>a<li>b<li><span>c<li>d</li></ul>", true},
	{"<ul><li><em>a<li>b</ul>", false},
	{"<ul><li><p><b>a</b><li>b</li></ul>", true},
	{"<ol><li>a<ul><li>b<li>c</ul></ol>", true},
	{"<div><p>a</div><blockquote><p>b</blockquote><ul><li><p>c</li><li>d</ul>", true},
	{"<dl><dt>a<dd><p>b</dd></dl><button><p>c</button>", true},
	{"<div><ul><li>a</div>", false},
	{"<div><b>a</div>", false},
	{"<div><li>a</div>", true},
	{"<dl><dt>a</dt><dd>b</dd></dl>", true},
	{"<dl><dt>a<dd>b<dt><p>c<dd>d</dd></dl>", true},
	{"<dl><dt><a href=x>a</a><dd>b<dt><i>c<dd>d</dl>", false},
	{"<p>a<div>b</div></p>", false},
	{"<p>a<hr></p>", false},
	{`<a href="/x?a=1&p=2&amp;q=3&copy=4&t=&#38;u=5">x</a><img src=y?s=1&referrerSource=z&w=2>`, true},
	{`<a href="/x?a=1&copy;=2">x</a>`, false},
	{`<a href="/x?a=1&copy">x</a>`, false},
	{"<p>a<p>b</p>\n<p>c<div>d</div><p>e<hr>f<p>g<h2>h</h2><p>i<ul><li>j</li></ul>", true},
	{"<p>a<pre>\nb</pre><p>c<dl><dt>d</dt></dl><p>e<li>f</li>", true},
	{"<h2><p>a<h3>b</h3></h2>", false},
	{"<ul><li><p>a<li>b</ul>", true},
	{"<p><span>a<div>b</div></span>", false},
	{"<p><b>a</b><p>c", true},
	{"<p><em>a<p>c", false},
	{"<button>a</button> <button type=submit>b <b>c</b></button>", true},
	{"<button>a<button>b</button>", false},
	{"<button><p>a<div>b</div></button>", true},
	{"<p>a<button>b<div>c</div></button>", false},
	{"<p>a<br/>b<img src=x>c</p>", true},
	{"<div/>x", true},
	{"<h1>a<h2>b</h2></h1>", false},
	{"<h1><b>a<h2>b</h2></b></h1>", true},
	{"<a href=1>a<a href=2>b</a></a>", false},
	{"<b><i>x</b></i>", false},
	{"<b>x", true},
	{"<p>open <em>at the end", true},
	{"<b><b><b><b>x</b></b></b></b>y", true},
	{"a</p>b", false},
	{"</div>x", false},
	{"<table><tr><td>x</td></tr></table>", true},
	{"<table>\n <tr>\n  <td>a</td>\n  <th>b</th>\n </tr>\n <tr><td>c</td></tr>\n</table>\n", true},
	{"<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>b</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>", true},
	{"<table>\n<thead>\n<tr>\n<th>h</th>\n</tr>\n</thead>\n<tbody>\n<tr><td>b</td></tr>\n</tbody>\n</table>", true},
	{"<table><caption>A <b>cap</b><p>p</p></caption><colgroup><col><col span=2/></colgroup><tr><td>x</td></tr></table>", true},
	{"<table><colgroup>\n <col>\n <col></col>\n</colgroup>\n<tbody></tbody></table>", true},
	{"<table><colgroup><col><img></colgroup></table>", false},
	{"<table><colgroup><col></img></colgroup></table>", false},
	{"<table><colgroup>x<col></colgroup></table>", false},
	{"<table><col><tr><td>x</td></tr></table>", false},
	{"<table> \t\r\n\f&#32;&#13; <tr> &nbsp; <td>x</td></tr></table>", false},
	{"<table> \t\r\n\f&#32;&#13; <tr> \n<td>x</td> \r\n</tr> </table> ", true},
	{"<table><tbody> <tr> <td> a </td> </tr> </tbody> </table>", true},
	{"<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>", true},
	{"<table><tr><td>a<table>\n<tr><th>in</th></tr>\n</table>b</td></tr></table>", true},
	{"<table><caption><table><tr><td>x</td></tr></table></caption></table>", true},
	{"<table><tr><td><ul><li>a<li>b</ul></td></tr></table>", true},
	{"<ul><li><table><tr><td><ul><li>a</li><li>b</li></ul></td></tr></table></li></ul>", true},
	{"<ul><li><table><tr><td><li>a</li></td></tr></table></li></ul>", true},
	{"<table><tr><td><p>a</p><h2>h</h2><p><a href=x>l</a> <img src=y alt=z></p></td><td><pre>\nc</pre></td></tr></table>", true},
	{"<table><tr><td><p>a</td></tr></table>", false},
	{"<table><tr><td><h1>a</td></tr></table>", false},
	{"<table><tr><td>a</tr></table>", false},
	{"<table><tr><td>a</td></table>", false},
	{"<table><tr><td>a</td><td>b</tr></table>", false},
	{"<table><tr><td>a<td>b</td></tr></table>", false},
	{"<table><tr><td>a</td></tr><tr><td>b</td></tr>", false},
	{"<table><thead><tr><td>a</td></tr></thead></table>", true},
	{"<table><thead><tr><td>a</td></tr></table>", true},
	{"<table><thead><tr><td>a</td></tr><tbody><tr><td>b</td></tr></tbody></table>", false},
	{"<table><tr><td>a</td></tr><thead><tr><td>b</td></tr></thead></table>", false},
	{"<table><tr><td>a</td></tr></tbody></table>", true},
	{"<table><tbody><td>a</td></tbody></table>", false},
	{"<table><td>a</td></table>", false},
	{"<table><tr>x<td>a</td></tr></table>", false},
	{"<table>x<tr><td>a</td></tr></table>", false},
	{"<table><tr><td>a</td></tr>x</table>", false},
	{"<table><tr><td>a</td></tr></table>x", true},
	{"<table><tr><td>a</td></tr><div>x</div></table>", false},
	{"<table><tr><td>a</td><p>x</p></tr></table>", false},
	{"<table><tr><td>a</td></tr></p></table>", false},
	{"<table><tr><td>a</td></tr></img></table>", false},
	{"<table><tr><td>a</img></td></tr></table>", true},
	{"<p>a<table><tr><td>x</td></tr></table>", false},
	{"<p>a</p><table><tr><td>x</td></tr></table><p>b</p>", true},
	{"<b>a<table><tr><td>x<b>y</b></td></tr></table>z</b>", true},
	{"<a href=1>a<table><tr><td>x</td></tr></table></a>", true},
	{"<a href=1><table><tr><td><a href=2>x</a></td></tr></table></a>", false},
	{"<table><!--a--><tr><!--b--><td><!--c-->x</td><!--d--></tr><!--e--></table><!--f-->", true},
	{"<table><colgroup><!--a--></colgroup><caption><!--b--></caption></table>", true},
	{"<table id=t class='c d' border=1><caption class=c>x</caption><colgroup span=2><col width=1></colgroup><thead class=h><tr class=r><th scope=col>a</th></tr></thead><tbody data-x=1><tr><td colspan=2 rowspan=\"1\" align=left>b</td></tr></tbody><tfoot id=f><tr><td>c</td></tr></tfoot></table>", true},
	{"<TABLE BORDER=1><TR><TD>x</TD></TR></TABLE>", true},
	{"<table/><tr/><td/>x</td></tr></table>", true},
	{"<table><tr><td>x</td></tr>", false},
	{"<table><tr><td>x", false},
	{"<table><form><tr><td>x</td></tr></form></table>", false},
	{"<table><tr><td><input></td></tr></table>", false},
	{"<table><template><tr></tr></template></table>", false},
	{"<table><script>x</script><tr><td>x</td></tr></table>", false},
	{"<table><tr><td><script>x</script><style>y</style></td></tr></table>", true},
	{"<table><style>x</style></table>", false},
	{"<table><table></table></table>", false},
	{"<table><tr><table></table></tr></table>", false},
	{"<table><caption>a<caption>b</caption></table>", false},
	{"<table><tr><td>a</td></tr><caption>c</caption></table>", false},
	{"<table><tbody></tbody><caption>c</caption></table>", true},
	{"<td>x</td>", false},
	{"<tr><td>x</td></tr>", false},
	{"<caption>x</caption>", false},
	{"<div><th>x</th></div>", false},
	{"</table>x", false},
	{"<div></table></div>", false},
	{"<table><tr><td>a</td></tr></table></td>", false},
	{"<!DOCTYPE html><p>x</p>", false},
	{"<html><body>x</body></html>", false},
	{"<script>x</script>", false},
	{"<style>p{}</style><p>x</p>", false},
	{"<textarea>\nx</textarea>", false},
	{"<svg><p>x</p></svg>", false},
	{"<custom-el>x</custom-el>", false},
	{"<p>a\x00b</p>", false},
	{"a < b > c <3 &foo; &amp x</>y", false},
	{"<p>a<!-- c -->b</p>", true},
	{"<![CDATA[x]]><p>y</p>", false},
	{"<?php x ?><p>y</p>", false},
	{"<br></br>", false},
	{"<p>a</img>b</p></hr></source>", true},
	{"</img><p>a</p>", true},
	{"<iframe src=y>&amp;<p></iframe>", true},
	{"x<iframe src=y></iframe>y", true},
	{"<iframe/>x", false},
	{"<noscript><p>x</p></noscript><noembed>a</noembed>", false},
	{"<p><noscript><p>x</p></noscript><noembed>a</noembed>", false},
	{"<p>a<script>if (a<b) x('</p>')</script>b<style>p{}</style></p>", false},
	{"<p>a<script>if (a<b) x()</script>b<style>p{}</style></p>", true},
	{"<p><noscript><img src=x></noscript><noembed>a</noembed>", true},
	{"a < b > c <3 &foo; &amp x &notit; &ampx; y<", true},
	{`<a href="?a=1&b=2&amp;c=&lt;&#39;&notit;">x</a>`, false},
	{`<a href="?a=1&amp;c=&lt;&#39;&#x27;&;& ">x</a><img alt='it&apos;s' src=/a/b/>`, true},
	{"<DIV\n class = \"a\"\r\n\tID=b data-x=\"\r\n\" hidden>x\r\ny\rz</DiV >", true},
	{"<!---->a<!-- x --->b<!--->c", false},
	{"<!---->a<!-- x --->b<!-- - -- -->c", true},
	{"<!-- x --!>y", false},
	{"<p DATA-\u00c9X=1 \u0130d=2 \xc3A=3>x</p>", true},
	{"<br/><input disabled/>", false},
	{"<br/><img alt=x/>y<img alt=\"\"/>", true},
	{"<p>a<script>x", false},
	{"<noframes>x</noframes>y", false},
	{"<font color=red face=x>f</font><nobr>n</nobr>", false},
	{"<img src='a'/><img src=\"b\" / >", false},
}

func TestFastTreeMatchesParse(t *testing.T) {
	for _, c := range fastTreeCases {
		if fast := checkFastTree(t, c.in); fast != c.fast {
			t.Errorf("fastTree took %q: %v, want %v", c.in, fast, c.fast)
		}
	}
	for _, set := range []struct {
		name   string
		bodies func(testing.TB) []string
	}{{"testdata", bodytest.TestdataBodies}, {"corpus", bodytest.CorpusBodies}, {"real", corpustest.RealBodies}} {
		bodies := set.bodies(t)
		fast, fastBytes, size := 0, 0, 0
		for _, s := range bodies {
			size += len(s)
			if checkFastTree(t, s) {
				fast++
				fastBytes += len(s)
			}
		}
		t.Logf("%s: fastTree took %d of %d bodies (%.1f%%), %d of %d bytes (%.1f%%)", set.name, fast, len(bodies),
			100*float64(fast)/float64(max(len(bodies), 1)), fastBytes, size, 100*float64(fastBytes)/float64(max(size, 1)))
	}
}

// TestFastTreeTakesBigFeed: the generated feed of the benchmarks takes
// the fast path, every body of it.
func TestFastTreeTakesBigFeed(t *testing.T) {
	for _, body := range bodytest.GeneratedBodies(t, 200) {
		if !checkFastTree(t, body) {
			t.Fatalf("fastTree did not take %q", body)
		}
	}
}

func FuzzFastTree(f *testing.F) {
	for _, c := range fastTreeCases {
		f.Add(c.in)
	}
	for _, s := range bodytest.TestdataBodies(f) { // with the hostile vectors
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFastTree(t, s)
	})
}

// BenchmarkParseBody compares html.Parse and parseHTML on the bodies of
// the generated feed of the benchmarks.
func BenchmarkParseBody(b *testing.B) {
	benchParsers(b, bodytest.GeneratedBodies(b, 500))
}

// BenchmarkParseReal compares html.Parse and parseHTML on the real blog
// posts of ../shared/corpus (corpustest.RealBodies).
func BenchmarkParseReal(b *testing.B) {
	benchParsers(b, corpustest.RealBodies(b))
}

// benchParsers parses bodies with html.Parse and with parseHTML, each a
// sub-benchmark, parseHTML releasing its slab after each body as Markdown
// does.
func benchParsers(b *testing.B, bodies []string) {
	size := 0
	for _, s := range bodies {
		size += len(s)
	}
	var slab nodeSlab
	for _, p := range []struct {
		name  string
		parse func(string) (*html.Node, error)
	}{
		{"html.Parse", func(s string) (*html.Node, error) { return html.Parse(strings.NewReader(s)) }},
		{"parseHTML", func(s string) (*html.Node, error) {
			doc, err := parseHTML(s, &slab)
			slab.release()
			return doc, err
		}},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, s := range bodies {
					if _, err := p.parse(s); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestFastTreeDepth: html.Parse refuses a body nested deeper than 512
// elements, which stops a hostile body that would cost html-to-markdown
// minutes; fastTree leaves deep bodies to it, so that they are refused as
// before, and keeps the shallow ones.
func TestFastTreeDepth(t *testing.T) {
	if fastTree(strings.Repeat("<div>x", fastMaxDepth-3), new(nodeSlab)) == nil {
		t.Errorf("a body %d elements deep was left to html.Parse", fastMaxDepth-3)
	}
	if fastTree(strings.Repeat("<div>x", fastMaxDepth), new(nodeSlab)) != nil {
		t.Errorf("fastTree kept a body %d elements deep", fastMaxDepth)
	}
	for _, deep := range []string{strings.Repeat("<ul><li>x", 2000), strings.Repeat("<blockquote>x", 600), strings.Repeat("<b><i>x", 400)} {
		_, want := html.Parse(strings.NewReader(deep))
		if _, err := parseHTML(deep, new(nodeSlab)); err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("a body nested %d deep: parseHTML gave %v, html.Parse %v", strings.Count(deep, "<"), err, want)
			continue // converting it would take minutes
		}
		m := NewMaker(true, false, 1)
		if _, _, err := m.Markdown(deep, "https://a.test/", true); err == nil {
			t.Errorf("a body nested %d deep was converted", strings.Count(deep, "<"))
		}
	}
}

// TestNodeSlabReuse: a released slab comes back zeroed, is used again
// rather than made again once it is large enough, and the trees built
// from it after, smaller and larger, and after a body fastTree gave up
// on, are still html.Parse's.
func TestNodeSlabReuse(t *testing.T) {
	bodies := []string{
		`<p>one <a href="/x">two</a></p><ul><li>three<li>four</ul>`,
		`<p>short</p>`,
		strings.Repeat(`<div><p class="c">para <em>em</em> &amp; text</p></div>`, 300),
		"<p>a</p><!DOCTYPE html>", // fastTree gives up part way
		`<blockquote><p>after the larger one</p></blockquote>`,
	}
	var slab nodeSlab
	var first *html.Node // the slab's first node once the largest body was seen
	for round := 0; round < 3; round++ {
		if round == 1 {
			first = &slab.nodes[0]
		}
		for _, s := range bodies {
			doc, err := parseHTML(s, &slab)
			if first != nil && &slab.nodes[0] != first {
				t.Fatalf("round %d, body %.60q: the slab was made again, not reused", round, s)
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := html.Parse(strings.NewReader(s))
			if err != nil {
				t.Fatal(err)
			}
			if d := treeDiff(doc, want, ""); d != "" {
				t.Fatalf("round %d, body %.60q: %s", round, s, d)
			}
			nodes := slab.nodes[:slab.used]
			slab.release()
			for i := range nodes {
				if !reflect.DeepEqual(nodes[i], html.Node{}) {
					t.Fatalf("round %d, body %.60q: node %d not zeroed on release: %+v", round, s, i, nodes[i])
				}
			}
		}
	}
}

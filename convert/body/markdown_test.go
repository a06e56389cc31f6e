package body

import (
	"errors"
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"golang.org/x/net/html"
)

// textCases exercise every character textPlugin treats, in every context
// the library's text transforms look at.
var textCases = []string{
	`<p>a < b > c & d \ e * f _ g - h + i . j > k | l $ m # n = o [ p ] q ( r ) s ! t ~ u ` + "`" + ` v " w ' x</p>`,
	"<p>1. not a list</p><p>- not a list</p><p># not a heading</p><p>> not a quote</p><p>*not emphasis*</p>",
	"<p>a\x00b</p>",
	`<p><a href="https://x.example/">link [with] brackets</a> and [outside]</p>`,
	`<p><a href="https://x.example/"><em>[em]</em> <code>[code]</code></a></p>`,
	`<h2>Title # with * stars</h2><h3>===</h3><p>---</p><p>***</p>`,
	`<ul><li>one * two</li><li><p>para _x_</p><ul><li>nested [x]</li></ul></li></ul><ol start="3"><li>3) x</li></ol>`,
	`<pre><code class="language-go">a * b [c] < d > e ` + "`" + `f` + "`" + `</code></pre><p>x <code>a*b_c[d]</code> y</p>`,
	`<pre>pre * text <b>bold [x]</b>
second line</pre>`,
	`<table><tr><th>a | b</th><th>c ~ d</th></tr><tr><td>e * f</td><td><a href="/x">g ] h</a></td></tr></table>`,
	`<p><del>gone ~ here</del> <s>struck</s> ~~not~~</p>`,
	`<blockquote><p>quote > with > marks</p><blockquote><p>nested # x</p></blockquote></blockquote>`,
	`<p><img src="/a.png" alt="alt [x] * y"> <a href="/b" title="t [x]">b</a></p>`,
	"<p>line one<br>line two\\<br>  \n three</p>",
	`<p>   spaces   and
	tabs	and newlines   </p><div>in a div * x</div><span>span _x_</span>`,
	`<p>&lt;script&gt; &amp;amp; &#42; &#x5b;</p>`,
	`<p>https://example.com/a_b_c*d and user_name_here and 2*3*4 and a.b.c</p>`,
	`<dl><dt>term * x</dt><dd>def [y]</dd></dl><details><summary>sum # m</summary>body</details>`,
	`<p>{{< shortcode >}} {{% other %}}</p>`,
	`<figure><img src="/f.jpg"><figcaption>cap * x</figcaption></figure>`,
	`<p>émoji 😀 ü * ñ [x] 中文</p>`,
}

// stockConverter is the library with the same plugins and options but
// without textPlugin: the reference textPlugin must match.
func stockConverter() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(libraryPlugins(base.NewBasePlugin())...))
}

// TestTextPluginMatchesLibrary converts bodies with textPlugin and with the
// library's own text transforms: the Markdown must be identical, byte for
// byte, sanitized and raw. The bodies are the cases above, the hostile vectors, the bodies of
// the testdata feeds, and the real posts of ../shared/corpus when present.
func TestTextPluginMatchesLibrary(t *testing.T) {
	t.Parallel() // see TestMain
	bodies := append([]string{}, textCases...)
	bodies = append(bodies, bodytest.HostileVectors(t)...)
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.*"))
	for _, p := range paths {
		feed := corpustest.ReadFeed(t, p)
		if feed == nil {
			continue
		}
		for _, it := range feed.Items {
			bodies = append(bodies, it.Content, it.Description)
		}
	}
	minBodies := 1000
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared")); err == nil {
		bodies = append(bodies, corpustest.RealBodies(t)...)
	} else {
		feedtest.SkipPart(t, "../shared is missing, so the real posts are not compared")
		minBodies = 150
	}
	// textPlugin without its Hugo escapes, and without hugoPlugin: both
	// change the Markdown on purpose (TestRenderMarkdownBodies).
	ours := converter.NewConverter(converter.WithPlugins(append(libraryPlugins(base.NewBasePlugin()), textPlugin{})...))
	stock := stockConverter()
	convert := func(conv *converter.Converter, body string, sanitize bool) string {
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		sanitizeTree(doc, bodytest.Base, sanitize)
		md, err := conv.ConvertNode(doc, converter.WithDomain(bodytest.Base))
		if err != nil {
			t.Fatal(err)
		}
		return string(md)
	}
	differ := 0
	for _, body := range bodies {
		for _, sanitize := range []bool{true, false} { // false: -raw
			got, want := convert(ours, body, sanitize), convert(stock, body, sanitize)
			if got != want {
				differ++
				if differ <= 5 {
					t.Errorf("body %.200q (sanitize %t):\n got %q\nwant %q", body, sanitize, got, want)
				}
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d conversions differ", differ, 2*len(bodies))
	}
	if len(bodies) < minBodies {
		t.Errorf("only %d bodies compared", len(bodies))
	}
}

// FuzzTextPluginMatchesLibrary: for any body, textPlugin (its renderCtx
// and the markers it leaves out included) writes the library's Markdown,
// sanitized and raw, and the command's converter does not fail.
func FuzzTextPluginMatchesLibrary(f *testing.F) {
	for _, c := range textCases {
		f.Add(c)
	}
	for _, c := range []string{"<h2>Learning C#</h2>", "<p>&nbsp;- item</p>", "<ul><li>\u2003# x</li></ul>", "<p>1. a (b) $c \"d\" 'e' f! [g]</p>"} {
		f.Add(c)
	}
	ours := converter.NewConverter(converter.WithPlugins(append(libraryPlugins(base.NewBasePlugin()), textPlugin{})...))
	stock := stockConverter()
	cmd := newMarkdownConverter()
	f.Fuzz(func(t *testing.T, body string) {
		for _, sanitize := range []bool{true, false} {
			var md [3]string
			for i, conv := range []*converter.Converter{ours, stock, cmd} {
				doc, err := html.Parse(strings.NewReader(body))
				if err != nil {
					return
				}
				sanitizeTree(doc, bodytest.Base, sanitize)
				out, err := conv.ConvertNode(doc)
				if err != nil {
					t.Fatalf("body %q: %v", body, err)
				}
				md[i] = string(out)
			}
			if md[0] != md[1] {
				t.Errorf("body %q (sanitize %t):\n got %q\nwant %q", body, sanitize, md[0], md[1])
			}
		}
	})
}

// TestTextPluginNUL: the HTML parser drops NUL from text, so a tree built
// by hand carries one to both converters.
func TestTextPluginNUL(t *testing.T) {
	convert := func(conv *converter.Converter) string {
		p := &html.Node{Type: html.ElementNode, Data: "p"}
		p.AppendChild(&html.Node{Type: html.TextNode, Data: "a\x00b * c"})
		doc := &html.Node{Type: html.DocumentNode}
		doc.AppendChild(p)
		md, err := conv.ConvertNode(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(md)
	}
	got, want := convert(newMarkdownConverter()), convert(stockConverter())
	if got != want || !strings.Contains(got, "\uFFFD") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRendererTags asks the library which elements its renderers and
// hugoPlugin's take, for every element the sanitizer knows and some it
// drops: each must be a rendererTag, or renderCtx would render it as
// the fallback does rather than hand it to its renderer. An element is
// taken when it is in the tree the renderers get (recorded by a last
// pre-renderer) but never reaches a renderer tried after all the others.
func TestRendererTags(t *testing.T) {
	names := map[string]bool{"input": true, "form": true, "label": true, "marquee": true, "center": true, "feed2md-x": true}
	for tag := range allowedAttrs {
		names[tag] = true
	}
	for tag := range dropWithContent {
		names[tag] = true
	}
	taken := map[string]bool{}
	for name := range names {
		present, reached := map[string]bool{}, map[string]bool{}
		probe := probePlugin{
			pre: func(doc *html.Node) {
				for n := doc; n != nil; n = nextInWalk(n, doc) {
					if n.Type == html.ElementNode {
						present[n.Data] = true
					}
				}
			},
			render: func(n *html.Node) { reached[n.Data] = true },
		}
		conv := converter.NewConverter(converter.WithPlugins(append([]converter.Plugin{hugoPlugin{commonmark: true}}, append(libraryPlugins(base.NewBasePlugin()), probe)...)...))
		el := &html.Node{Type: html.ElementNode, Data: name, Attr: []html.Attribute{{Key: "href", Val: "https://x.example/"}, {Key: "src", Val: "https://x.example/i.png"}, {Key: "id", Val: "h"}}}
		el.AppendChild(&html.Node{Type: html.TextNode, Data: "x y"})
		div := &html.Node{Type: html.ElementNode, Data: "div"}
		div.AppendChild(&html.Node{Type: html.TextNode, Data: "a "})
		div.AppendChild(el)
		div.AppendChild(&html.Node{Type: html.TextNode, Data: " b"})
		doc := &html.Node{Type: html.DocumentNode}
		doc.AppendChild(div)
		if _, err := conv.ConvertNode(doc); err != nil {
			t.Fatal(err)
		}
		if !reached["div"] {
			t.Fatalf("%s: the probe renderer never saw the div: it is not tried last", name)
		}
		if present[name] && !reached[name] {
			taken[name] = true
		}
	}
	for name := range names {
		switch {
		case taken[name] && !rendererTag(name):
			t.Errorf("a renderer takes <%s>, which rendererTag leaves out", name)
		case !taken[name] && rendererTag(name):
			t.Errorf("rendererTag holds <%s>, which no renderer took", name)
		}
	}
	if len(taken) < 10 {
		t.Errorf("only %d elements taken: %v", len(taken), taken)
	}
}

// probePlugin calls pre with the tree after every other pre-renderer, and
// render with every node that no other renderer took.
type probePlugin struct {
	pre    func(doc *html.Node)
	render func(n *html.Node)
}

func (probePlugin) Name() string { return "probe" }

func (p probePlugin) Init(conv *converter.Converter) error {
	conv.Register.PreRenderer(func(_ converter.Context, doc *html.Node) { p.pre(doc) }, converter.PriorityLate+10000)
	conv.Register.Renderer(func(_ converter.Context, _ converter.Writer, n *html.Node) converter.RenderStatus {
		p.render(n)
		return converter.RenderTryNext
	}, converter.PriorityLate+10000)
	return nil
}

// TestTextPluginFirst: the command's converter, where the renderCtx calls
// hugoPlugin's renderer itself, writes what the same plugins write with
// that renderer registered with the library, on every body compared with
// the library elsewhere (the corpus's when ../shared is there).
func TestTextPluginFirst(t *testing.T) {
	t.Parallel() // see TestMain
	registered := converter.NewConverter(converter.WithPlugins(append([]converter.Plugin{textPlugin{hugo: true}, hugoPlugin{commonmark: true}}, libraryPlugins(basePlugin{})...)...))
	compareBodies(t, [][2]*converter.Converter{{newMarkdownConverter(), registered}}, stockBodies(t), 150)
}

// TestMarkedMatchesLibrary tries every character textPlugin may mark,
// after every kind of character that may come before it in its text node
// (none, a letter, an ASCII and an Arabic-Indic digit, ASCII, no-break and
// em spaces, a vertical tab, a non-ASCII letter, itself) and before what
// may follow, in every context the library treats apart (a paragraph, a
// line after <br>, a heading, list items, table cells, link text, a quote,
// emphasis, strikethrough): textPlugin's Markdown must be the library's,
// and the command's converter must not fail on it.
func TestMarkedMatchesLibrary(t *testing.T) {
	t.Parallel() // see TestMain
	ours := converter.NewConverter(converter.WithPlugins(append(libraryPlugins(base.NewBasePlugin()), textPlugin{})...))
	stock := stockConverter()
	cmd := newMarkdownConverter()
	convert := func(conv *converter.Converter, body string) (md string, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			return "", err
		}
		sanitizeTree(doc, bodytest.Base, true)
		out, err := conv.ConvertNode(doc)
		return string(out), err
	}
	contexts := []string{"<p>%s</p>", "<p>a<br>%s</p>", "<h2>%s</h2>", "<ul><li>%s</li></ul>", "<ol><li>%s</li></ol>",
		"<table><tr><th>%s</th></tr><tr><td>%s</td></tr></table>", `<p><a href="/x">%s</a></p>`,
		"<blockquote><p>%s</p></blockquote>", "<p><strong>%s</strong></p>", "<p><del>%s</del></p>"}
	befores := []string{"", "a", "1", "\u0663", " ", "&nbsp;", "\u2003", "\v", "é", "x "}
	afters := []string{"", " x", "x", "[y]", "%c%c"}
	differ, n := 0, 0
	for _, c := range "\\*_-+.|$#=[]()!~`\"'" {
		for _, ctx := range contexts {
			for _, before := range befores {
				for _, after := range afters {
					if after == "%c%c" {
						after = fmt.Sprintf(after, c, c)
					}
					text := before + html.EscapeString(string(c)) + after
					body := strings.ReplaceAll(ctx, "%s", text)
					n++
					got, err1 := convert(ours, body)
					want, err2 := convert(stock, body)
					_, err3 := convert(cmd, body)
					if err := errors.Join(err1, err2, err3); err != nil {
						t.Errorf("%q: %v", body, err)
						continue
					}
					if got != want {
						differ++
						if differ <= 10 {
							t.Errorf("%q:\n got %q\nwant %q", body, got, want)
						}
					}
				}
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d conversions differ", differ, n)
	}
}

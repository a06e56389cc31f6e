package body

import (
	"strings"
	"testing"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"golang.org/x/net/html"
)

// commonmarkCases are bodies with lists, links and blockquotes in the
// shapes renderCommonmark must write as commonmark does.
var commonmarkCases = []string{
	// lists
	"<ul><li>a</li><li>b</li></ul><ol><li>one</li><li>two</li></ol>",
	"<ul><li>a<ul><li>b<ol><li>c<ul><li>d<ul><li>e<ol><li>f</li></ol></li></ul></li></ul></li></ol></li></ul></li></ul>",
	"<ol start=9><li>a</li><li>b</li><li>c</li></ol><ol start=98><li>x</li><li>y</li><li>z</li></ol>",
	"<ol start=-3><li>a</li><li>b</li><li>c</li><li>d</li><li>e</li></ol><ol start=-12><li>a</li></ol>",
	"<ol start=0><li>a</li></ol><ol start=x><li>a</li></ol><ol start=+7><li>a</li></ol><ol start=''><li>a</li></ol>",
	"<ol start=9223372036854775807><li>a</li><li>b</li></ol><ol start=99999999999999999999><li>a</li></ol>",
	"<ol start=007><li>a</li><li>b</li></ol><ol start=' 5'><li>a</li></ol>",
	"<ol start=-5>" + strings.Repeat("<li>i</li>", 106) + "</ol><ol start=-2>" + strings.Repeat("<li>i</li>", 12) + "</ol>",
	"<ol>" + strings.Repeat("<li>item</li>", 12) + "</ol><ol start=95>" + strings.Repeat("<li>i</li>", 10) + "</ol>",
	"<ul><li><p>first paragraph</p><p>second paragraph</p></li><li><p>x</p><pre><code>code\n\n\nblock\n  indented</code></pre><p>after</p></li></ul>",
	"<ol><li>a<pre>x\ny</pre></li><li><pre>only code</pre></li></ol>",
	"<ul><li></li><li> </li><li>\u00a0</li><li>a</li><li><br></li><li><span></span></li></ul><ul><li></li></ul><ol></ol>",
	"<ul>text<li>a</li>more<p>para</p><li>b</li><!-- c --></ul>",
	"<ul><li>a<br><br><br>b  <br>c</li><li>x  \n\n\ny</li></ul>",
	"<ul><li>1. not a list</li><li>- dash</li><li>* star</li><li># hash</li><li>> quote</li></ul>",
	"<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ul><li>d</li></ul>",
	"<ul><li><h2>heading</h2></li><li><hr></li><li><table><tr><td>t</td></tr></table></li></ul>",
	"<ul><li><blockquote>quoted<br>two</blockquote></li><li>é ü 😀 中文</li></ul>",
	"<ul><li>a<ul><li>b</li></ul>c<ol start=3><li>d<pre>e\nf</pre></li></ol></li></ul>",
	"<li>stray</li><li>items</li>",
	// blockquotes
	"<blockquote>a</blockquote><blockquote><p>a</p><p>b</p></blockquote>",
	"<blockquote><blockquote><blockquote>deep<br>er</blockquote></blockquote>x</blockquote>",
	"<blockquote><ul><li>a</li><li>b<ol><li>c</li></ol></li></ul></blockquote>",
	"<blockquote><pre>code\n\n\n\nmore</pre><p>a  <br> <br>b</p></blockquote><blockquote> </blockquote><blockquote></blockquote>",
	"<blockquote><h3>h</h3><p>p</p><hr><p>a\u00a0</p></blockquote>",
	// links
	"<a href=\"https://example.com/a\">plain</a> <a href=\"https://example.com/a\" title=\"t\">titled</a>",
	"<a href=\"http://x.org/\" title='say \"hi\"'>q</a><a href=\"http://x.org/\" title=\"it's\">q</a><a href=\"http://x.org/\" title=\"it's &quot;both&quot;\">q</a>",
	"<a href=\"http://x.org/\" title=\"line\none\">t</a><a href=\"\" title=\"dropped\">e</a><a href=\"#\" title=\"h\">h</a>",
	"<a href=\"https://x.org/\"></a><a href=\"https://x.org/\"> </a><a href=\"\"></a><a href>x</a><a>no href</a>",
	"<a href=\"https://x.org/\"><img src=\"https://x.org/i.png\" alt=\"alt\"></a><a href=\"https://x.org/\">a <img src=\"https://x.org/i.png\"> b</a>",
	"<p>before<a href=\"https://x.org/\">  spaced  </a>after</p><p><a href=\"https://x.org/\">\u00a0nbsp\u00a0</a></p>",
	"<a href=\"https://x.org/\">line<br>break<br><br><br>more</a><a href=\"https://x.org/\">a  <br>b</a>",
	"<a href=\"https://x.org/\"><p>block</p><p>two</p></a><a href=\"https://x.org/\"><pre>x\ny</pre></a>",
	"<a href=\"https://x.org/\">a ] b [ c</a><a href=\"https://x.org/\"><strong>bold</strong> <code>code</code></a>",
	"<a href=\"#fn1\">1</a><a href=\"#\">top</a><a href=\"#a b\">s</a><a href=\"#a#b\">h</a><a href=\"#%41\">p</a><a href=\"#x%zz\">bad</a>",
	"<a href=\" https://x.org/a b \">space</a><a href=\"https://x.org/(paren)\">p</a><a href=\"https://x.org/[b]\">b</a><a href=\"https://x.org/<a>\">lt</a>",
	"<a href=\"https://x.org/?q=a b&c=d+e&f\">query</a><a href=\"https://x.org/?\">empty query</a><a href=\"https://x.org/#\">empty fragment</a>",
	"<a href=\"HTTP://X.ORG/A\">upper</a><a href=\"https://x.org:8080/p\">port</a><a href=\"https://user@x.org/\">user</a><a href=\"https:///p\">no host</a>",
	"<a href=\"data:image/png;base64,iVBOR w0K=\">data</a><a href=\"mailto:a@b.c?subject=hi there\">mail</a><a href=\"javascript:x\">js</a>",
	"<a href=\"https://x.org/a%20b%2Fc%zz\">pct</a><a href=\"https://x.org/%\">pct</a><a href=\"https://x.org/é\">utf</a><a href=\"//x.org/p\">proto</a>",
	"<a href=\"https://x.org/a\tb\nc\">ws</a><a href=\"https://x.org/!$&'*+,;=:@~\">subdelims</a><a href=\"https://x.org/a//b/../c\">dots</a>",
	"<a href=\"relative/path\">rel</a><a href=\"/abs\">abs</a><a href=\"?q\">q</a><a href=\"https://x.org\">bare</a><a href=\"https://-.-\">odd host</a>",
	"<ul><li><a href=\"https://x.org/\">link<br>in</a> list</li></ul><blockquote><a href=\"https://x.org/\">in quote</a></blockquote>",
	"<a href=\"https://a.org/\">outer <a href=\"https://b.org/\">inner</a></a>",
}

// commonmarkPairs are converters that must write the same Markdown: the
// command's converter against the same one with commonmark's own
// renderers, and against the library's stock plugins under textPlugin
// and hugoPlugin.
func commonmarkPairs() [][2]*converter.Converter {
	cmd := func(cm bool, b converter.Plugin) *converter.Converter {
		return converter.NewConverter(converter.WithPlugins(append([]converter.Plugin{textPlugin{hugo: true}, hugoPlugin{commonmark: cm}}, libraryPlugins(b)...)...))
	}
	return [][2]*converter.Converter{
		{newMarkdownConverter(), cmd(false, basePlugin{})},
		{cmd(true, base.NewBasePlugin()), cmd(false, base.NewBasePlugin())},
	}
}

// TestCommonmarkRenderersMatchLibrary: renderCommonmark writes what
// commonmark writes, byte for byte, on the cases here and every body
// TestBasePluginMatchesLibrary compares.
func TestCommonmarkRenderersMatchLibrary(t *testing.T) {
	t.Parallel() // see TestMain
	compareBodies(t, commonmarkPairs(), append(append([]string{}, commonmarkCases...), stockBodies(t)...), 1000)
}

func FuzzCommonmarkRenderersMatchLibrary(f *testing.F) {
	for _, c := range append(append(append([]string{}, commonmarkCases...), baseCases...), textCases...) {
		f.Add(c)
	}
	pairs := commonmarkPairs()
	f.Fuzz(func(t *testing.T, body string) {
		if d := baseDiff(t, pairs, body); d != "" {
			t.Errorf("body %q: %s", body, d)
		}
	})
}

// hrefPlugin renders an <a> as what the library's AssembleAbsoluteURL
// makes of its href: the oracle plainHref is held to.
type hrefPlugin struct{}

func (hrefPlugin) Name() string { return "href" }

func (hrefPlugin) Init(conv *converter.Converter) error {
	conv.Register.Renderer(func(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
		if n.Data != "a" {
			return converter.RenderTryNext
		}
		w.WriteString("<" + ctx.AssembleAbsoluteURL(ctx, "a", n.Attr[0].Val) + ">")
		return converter.RenderSuccess
	}, converter.PriorityEarly)
	return nil
}

// libraryHref is what the library's AssembleAbsoluteURL, with no domain,
// makes of href.
func libraryHref(t testing.TB, conv *converter.Converter, href string) string {
	a := &html.Node{Type: html.ElementNode, Data: "a", Attr: []html.Attribute{{Key: "href", Val: href}}}
	out, err := conv.ConvertNode(a)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if !strings.HasPrefix(s, "<") || !strings.HasSuffix(s, ">") {
		t.Fatalf("href %q: the oracle wrote %q", href, s)
	}
	return s[1 : len(s)-1]
}

var hrefCases = []string{
	"", "#", "#a", "#fn:1", "#a#b", "#a b", "#%41", "#%4", "#(x)", "#[x]", "#é",
	"https://x.org", "https://x.org/", "http://x.org/a/b.html", "https://x.org/#", "https://x.org/#frag",
	"https://x.org/a%20b", "https://x.org/a%2Fb", "https://x.org/%zz", "https://x.org/%", "https://x.org/%4",
	"https://x.org/!$&'*+,;=:@~-._", "https://x.org/(a)", "https://x.org/[a]", "https://x.org/<a>", "https://x.org/a b",
	"https://x.org/?q", "https://x.org/?", "https://x.org:80/", "https://u@x.org/", "https:///a", "https://", "http://",
	"HTTPS://x.org/", "https://X.ORG/A", "https://-/", "https://x.org//a", "https://x.org/a/../b", "https://x.org/a#b#c",
	"data:image/png;base64,AAAA", "mailto:a@b.c", "/rel", "rel", "//x.org/a", "https://x.org/\x00", "https://x.org/\x7f",
	"https://x.org/%00", "https://x.org/%E2%82%AC", "https://x.org/a%2f", "https://x.org/#%2f", "https://x.org/#a%20b",
}

// TestPlainHref: each href plainHref accepts is written back by the
// library as it is, and the ones it must accept for a gain are accepted.
func TestPlainHref(t *testing.T) {
	conv := converter.NewConverter(converter.WithPlugins(hrefPlugin{}))
	accepted := 0
	for _, h := range hrefCases {
		if plainHref(h) {
			accepted++
			if lib := libraryHref(t, conv, h); lib != h {
				t.Errorf("plainHref(%q) is true, but the library writes %q", h, lib)
			}
		}
	}
	for _, h := range []string{"", "#", "#fn1", "https://x.org/a/b.html", "http://x.org/a%20b#c", "https://x.org"} {
		if !plainHref(h) {
			t.Errorf("plainHref(%q) is false", h)
		}
	}
	t.Logf("%d of %d accepted", accepted, len(hrefCases))
}

func FuzzPlainHref(f *testing.F) {
	for _, h := range hrefCases {
		f.Add(h)
	}
	conv := converter.NewConverter(converter.WithPlugins(hrefPlugin{}))
	f.Fuzz(func(t *testing.T, href string) {
		if plainHref(href) {
			if lib := libraryHref(t, conv, href); lib != href {
				t.Errorf("plainHref(%q) is true, but the library writes %q", href, lib)
			}
		}
	})
}

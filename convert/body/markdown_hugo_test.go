package body

import (
	"feed2md/convert/body/bodytest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestMarkdownForHugo checks Markdown bodies written for Hugo's Goldmark,
// expected Markdown written by hand: the escapes and tree changes of
// markdown_hugo.go, each one rendered back by Goldmark as stock Hugo
// configures it to the text of the HTML.
func TestMarkdownForHugo(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"dashes and ellipsis are left to the typographer",
			`<p>a -- b --- c ... d</p>`, `a -- b --- c ... d`},
		{"quotes and apostrophes are left to the typographer",
			`<p>"q" it's 'x'</p>`, `"q" it's 'x'`},
		{"dashes across elements too",
			`<p>a-<b>-b</b> <i>c...</i></p>`, `a-**-b** *c...*`},
		{"a line of dashes after <br> is no thematic break nor underline",
			`<p>a<br>---<br>- b<br>-</p>`, "a  \n\\---  \n\\- b  \n\\-"},
		{"a > ending a URL that linkify would extend is escaped, not an entity",
			`<p>&lt;a href="http://x.com/a/"&gt;I</a> a&gt;b www.x.org/a&lt;b</p>`, `&lt;a href="http://x.com/a/"\>I a&gt;b www.x.org/a\<b`},
		{"every > of the URL, none after white space",
			`<p>http://x.org/a&gt;b&gt;c d&gt;e</p>`, `http://x.org/a\>b\>c d&gt;e`},
		{"angle quotes are entities already",
			`<p>&lt;&lt;x&gt;&gt;</p>`, `&lt;&lt;x&gt;&gt;`},
		{"a quoted paragraph that looks like a list",
			`<blockquote><p>1. not a list</p><p>- not either</p></blockquote>`, "> 1\\. not a list\n> \n> \\- not either"},
		{"lines after <br> that look like lists, headings, underlines",
			`<p>a<br>2) b<br># c<br>===</p>`, "a  \n2\\) b  \n\\# c  \n\\==="},
		{"pipe in code in a table cell",
			`<table><tr><th>op</th></tr><tr><td><code>a|b</code></td></tr></table>`, "| op     |\n|--------|\n| `a\\|b` |"},
		{"strong then emphasis: the second goes",
			`<p><strong>a</strong><em>b</em></p>`, `**a**b`},
		{"sup and sub",
			`<p>x<sup>2</sup> H<sub>2</sub>O 2<sup>l+1</sup> 1<sup>st</sup></p>`, `x² H₂O 2^(l+1) 1^(st)`},
		{"heading attribute syntax",
			`<h2>Title {.c}</h2>`, `## Title \{.c}`},
		{"punctuation at the edge of emphasis moves out",
			`<p>word<b>: bold</b>x</p>`, `word: **bold**x`},
		{"no space added between emphasis and code",
			`<p>using <strong><code>pip</code></strong>, a</p>`, "using **`pip`**, a"},
		{"text that looks like a character reference",
			`<p>AT&amp;T &amp;lt;</p>`, `AT\&T \&lt;`},
		{"code ending with a backtick",
			"<p>q = <code>x`</code>)</p>", "q = `` x` ``)"},
		{"code with spaces at its edges",
			`<p>a<code> b </code>c</p>`, "a `b` c"},
		{"shortcode delimiters are broken by the escape",
			`<p>{{< x >}}</p>`, `\{\{&lt; x &gt;}}`},
	}
	c := NewMaker(true, false, 1)
	stock := bodytest.HugoMarkdown(false)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := written(t, c, tc.in)
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			page := bodytest.HugoRender(t, stock, got)
			if g, w := bodytest.Untypographed(bodytest.VisibleText(t, page)), bodytest.Untypographed(bodytest.VisibleText(t, treeHTML(t, tc.in))); g != w {
				t.Errorf("rendered %q\n shows %q\n  want %q", page, g, w)
			}
		})
	}
}

// TestSpellSupSub: the spellings of sup and sub, written by hand.
func TestSpellSupSub(t *testing.T) {
	cases := map[string]string{
		`x<sup>2</sup>`:                  `x²`,
		`H<sub>2</sub>O`:                 `H₂O`,
		`10<sup>-3</sup>`:                `10⁻³`,
		`a<sub>(n+1)</sub>`:              `a_((n+1))`,
		`2<sup><i>l</i>+1</sup>`:         `2^(<i>l</i>+1)`,
		`19<sup>th</sup>`:                `19^(th)`,
		`e<sup>x<sup>2</sup></sup>`:      `e^(x²)`,
		`a<sup> </sup>b`:                 `ab`,
		`<sup><a href="#f1">1</a></sup>`: `<a href="#f1">¹</a>`,
	}
	for in, want := range cases {
		doc, err := html.Parse(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		markdownSpellings(doc)
		var b strings.Builder
		body := doc.FirstChild.LastChild // html > body
		for c := body.FirstChild; c != nil; c = c.NextSibling {
			html.Render(&b, c)
		}
		if b.String() != want {
			t.Errorf("%s: got %s, want %s", in, b.String(), want)
		}
	}
}

// TestURLScan: urlScan answers for each < and > of a text in order as a
// scan of the whole word before it would, and in linear time: a hostile
// text of nothing but < after a URL is one pass (a quadratic scan of a
// megabyte would take minutes).
func TestURLScan(t *testing.T) {
	for text, want := range map[string]string{
		"a<b>c":             "00",
		"http://x/<a>b c>d": "110",
		"www.x.org/a>b\t<c": "10",
		"x>http://y<z w<":   "010",
		"go<www.x>y":        "01",
		"ftp:/</x>":         "00", // the marker may not hold a <
		"<>http://x/\n<>":   "0000",
	} {
		var u urlScan
		got := ""
		for i := 0; i < len(text); i++ {
			if text[i] == '<' || text[i] == '>' {
				got += map[bool]string{false: "0", true: "1"}[u.at(text, i)]
			}
		}
		if got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
	c := NewMaker(true, false, 1)
	start := time.Now()
	out := written(t, c, "<p>http://x.org/"+strings.Repeat("&lt;", 1<<20)+"</p>")
	if strings.Count(out, `\<`) != 1<<20 {
		t.Errorf("%d of %d < escaped", strings.Count(out, `\<`), 1<<20)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("a megabyte of < after a URL took %v", d)
	}
}

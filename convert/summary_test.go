package convert

import (
	"bytes"
	"feed2md/convert/body"
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark"
	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"
)

// TestSummaryText holds SummaryText to hand-checked escapes: markup
// characters get a backslash where Markdown would read them, and only
// there; typography is left to the typographer.
func TestSummaryText(t *testing.T) {
	cases := []struct{ in, want string }{
		// FORMAT.md's reference item: unchanged.
		{"U.S. special envoy Steve Witkoff and Jared Kushner are scheduled to meet Russian President Vladimir Putin Thursday to discuss ending the Ukraine war.",
			"U.S. special envoy Steve Witkoff and Jared Kushner are scheduled to meet Russian President Vladimir Putin Thursday to discuss ending the Ukraine war."},
		{"", ""},
		{"<img src=x onerror=alert(1)>", `\<img src=x onerror=alert(1)>`},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"*a*", `\*a\*`},
		{"__init__ and snake_case", `\_\_init\_\_ and snake\_case`},
		{"1. a", `1\. a`},
		{"2024) was the year", `2024\) was the year`},
		{"1234567890. ten digits", "1234567890. ten digits"}, // a list number has nine digits at most
		{"Version 2. was out", "Version 2. was out"},
		{"3.5 stars", "3.5 stars"},
		{"# h", `\# h`},
		{"C# and F#", "C# and F#"},
		{"> quoted", `\> quoted`},
		{"a > b", "a > b"},
		{"- item", `\- item`},
		{"+ item", `\+ item`},
		{"---", `\---`},
		{"-5 degrees", "-5 degrees"},
		{"+1 for this", "+1 for this"},
		{": a definition", `\: a definition`},
		{"&amp;", `\&amp;`},
		{"&#60; and &#x3C;", `\&#60; and \&#x3C;`},
		{"AT&T & friends; Q&A", "AT&T & friends; Q&A"},
		{"https://x.y", `https\://x.y`},
		{"see http://a.b/c and ftp://f.g", `see http\://a.b/c and ftp\://f.g`},
		{"HTTPS://A.B", `HTTPS\://A.B`},
		{"www.example.com", `www\.example.com`},
		{"mail me@example.com", `mail me\@example.com`},
		{"@handle and a @ b", "@handle and a @ b"},
		{`a\b`, `a\\b`},
		{`ends with \`, `ends with \\`},
		{"{{< x >}}", `{{\< x >}}`},
		{"{{% notice %}}", "{{% notice %}}"},
		{"`code`", "\\`code\\`"},
		{"~~struck~~", `\~\~struck\~\~`},
		{"a [^1] footnote", `a \[^1\] footnote`},
		{"![img](x.png)", `!\[img\](x.png)`},
		{"a | b | c", "a | b | c"},
		{`It's "quoted" -- and... <<so>>`, `It's "quoted" -- and... \<\<so>>`},
		{"  two\n\nlines\t and  tabs ", "two lines and tabs"},
		{" # spaced", `\# spaced`},
	}
	for _, tc := range cases {
		if got := frontmatter.SummaryText(tc.in); got != tc.want {
			t.Errorf("SummaryText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		checkSummary(t, tc.in)
	}
}

// TestSummaryTextShares: a text with nothing to escape comes back as the
// same string, without a copy, which frontmatter.RenderDefault then quotes once for
// both keys.
func TestSummaryTextShares(t *testing.T) {
	s := "U.S. envoy's talks -- Putin... #1 at 9:30, 50% off! a | b"
	if got := frontmatter.SummaryText(s); got != s || unsafe.StringData(got) != unsafe.StringData(s) {
		t.Errorf("SummaryText(%q) = %q, a copy or another text", s, got)
	}
	if n := testing.AllocsPerRun(100, func() { frontmatter.SummaryText(s) }); n != 0 {
		t.Errorf("SummaryText allocates %v times for a text with nothing to escape", n)
	}
}

// summaryTypography maps what Goldmark's typographer writes, and the characters
// it writes them for, to one spelling, so that a text and the text shown
// compare equal whatever the typographer did.
var summaryTypography = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2014", "---", "\u2013", "--", "\u2026", "...", "\u00ab", "<<", "\u00bb", ">>", "\x00", "\ufffd")

// summaryProblem renders SummaryText(desc) with md and says what is wrong
// with the page: an element other than <p>, or a text shown other than
// desc's (white space folded, typography aside). "" when nothing is.
func summaryProblem(t testing.TB, md goldmark.Markdown, desc string) string {
	t.Helper()
	// Not bodytest.HugoRender: Hugo reads no shortcode in front matter, so it
	// does not undo their escapes either (summary_hugo_test.go checks).
	var buf bytes.Buffer
	if err := md.Convert([]byte(frontmatter.SummaryText(desc)), &buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	var elems []string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode && n.Data != "p" {
			elems = append(elems, n.Data)
		}
		if n.Type == nethtml.CommentNode {
			elems = append(elems, "<!--"+n.Data+"-->")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range bodytest.ParseHTML(t, page) {
		walk(n)
	}
	if len(elems) > 0 {
		return "elements " + strings.Join(elems, ", ") + " in " + page
	}
	got := summaryTypography.Replace(bodytest.VisibleText(t, page))
	want := summaryTypography.Replace(bodytest.FoldSpace(desc))
	if got != want {
		return "shows " + got + "\nwant  " + want + "\npage  " + page
	}
	return ""
}

// checkSummary checks desc's summary with Hugo's Goldmark, raw HTML off
// and on.
func checkSummary(t testing.TB, desc string) {
	t.Helper()
	for _, raw := range []bool{false, true} {
		if p := summaryProblem(t, summaryMarkdown[raw], desc); p != "" {
			t.Errorf("description %q (unsafe %v), summary %q:\n%s", desc, raw, frontmatter.SummaryText(desc), p)
		}
	}
}

// summaryMarkdown is Goldmark configured as Hugo's, by unsafe.
var summaryMarkdown = map[bool]goldmark.Markdown{false: bodytest.HugoMarkdown(false), true: bodytest.HugoMarkdown(true)}

// descriptionOf is the description the tool writes for an item: the
// plain text of its description, else the start of its content.
func descriptionOf(desc, content string) string {
	d := body.PlainText(desc)
	if d == "" {
		// FORMAT.md's fallback: the content's first 300 characters.
		var cut bool
		if d, cut = body.CutWords(body.PlainTextUpTo(content, 301), 300); cut {
			d += "\u2026"
		}
	}
	return d
}

// feedDescriptions returns the description of every item of the feeds at
// paths, skipping the files that are not feeds.
func feedDescriptions(t testing.TB, paths []string) []string {
	t.Helper()
	var out []string
	for _, path := range paths {
		feed := corpustest.ReadFeed(t, path)
		if feed == nil {
			continue
		}
		for _, it := range feed.Items {
			if d := descriptionOf(it.Description, it.Content); d != "" {
				out = append(out, d)
			}
		}
	}
	return out
}

// TestSummaryRendersAsText renders the summary of every item of the
// corpus' real feeds and of the testdata feeds, and of every hostile
// vector taken as a description (the HTML's text), with Goldmark as Hugo
// configures it, raw HTML off and on: each shows exactly its description's
// text, in one paragraph.
func TestSummaryRendersAsText(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, filepath.Join("..", "testdata", "hostile", "render.xml"))
	descs := feedDescriptions(t, paths)
	for _, v := range bodytest.HostileVectors(t) {
		descs = append(descs, body.PlainText(v), bodytest.FoldSpace(v))
	}
	root := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		feedtest.SkipPart(t, "%s is missing: only testdata descriptions are rendered", root)
	} else {
		corpus := corpustest.Files(t, root)
		n := len(descs)
		descs = append(descs, feedDescriptions(t, corpus)...)
		if len(descs)-n < 1000 {
			t.Fatalf("only %d descriptions in %d corpus files", len(descs)-n, len(corpus))
		}
	}
	bad, escaped := 0, 0
	for _, d := range descs {
		if frontmatter.SummaryText(d) != d {
			escaped++
		}
		for _, raw := range []bool{false, true} {
			if p := summaryProblem(t, summaryMarkdown[raw], d); p != "" {
				bad++
				if bad <= 10 {
					t.Errorf("description %q (unsafe %v), summary %q:\n%s", d, raw, frontmatter.SummaryText(d), p)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d summaries do not show their text", bad, 2*len(descs))
	}
	t.Logf("%d descriptions rendered, %d of them escaped", len(descs), escaped)
}

// FuzzSummary: whatever the description, its summary rendered by Hugo's
// Goldmark (raw HTML off and on) is one paragraph of exactly its text.
func FuzzSummary(f *testing.F) {
	for _, s := range []string{"<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "*a*", "1. a", "# h", "&amp;",
		"https://x.y", `a\b`, "{{< x >}}", "a@b.co", "www.x.y", "~~a~~", "[^1]", "- a", "---", "> a", ": a", "1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, desc string) {
		if !utf8.ValidString(desc) {
			return
		}
		checkSummary(t, desc)
	})
}

// TestSummaryKeys converts an item whose description is markup as text
// with the built-in layout (frontmatter.RenderDefault) and with a user's template:
// summary (and .Summary) is the escaped text, description (and
// .Description) the plain one; a description with nothing to escape is
// written the same in both keys.
func TestSummaryKeys(t *testing.T) {
	const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.com/</link>
<item><title>One</title><link>https://example.com/1</link><description>Why &amp;lt;b&amp;gt; is *bold*</description></item>
<item><title>Two</title><link>https://example.com/2</link><description>U.S. envoy's "talks" -- Putin...</description></item>
</channel></rss>`
	user, err := frontmatter.ParseTemplate(mapFS{"fm.tmpl": "---\ntitle: {{dq .Title}}\nsummary: {{dq .Summary}}\ndescription: {{dq .Description}}\n---\n"}, "fm.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{ // slug: description, summary
		"one": {"Why <b> is *bold*", `Why \<b> is \*bold\*`},
		"two": {`U.S. envoy's "talks" -- Putin...`, `U.S. envoy's "talks" -- Putin...`},
	}
	for name, edit := range map[string]func(*Options){"default": nil, "template": func(o *Options) { o.Template = user }} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			convertBytes(t, dir, feed, edit)
			files := readDir(t, dir)
			for slug, w := range want {
				data, ok := files[slug+".md"]
				if !ok {
					t.Fatalf("no %s.md in %v", slug, files)
				}
				var fm struct{ Description, Summary string }
				if err := yaml.Unmarshal(bytes.SplitN(data, []byte("\n---\n"), 2)[0][4:], &fm); err != nil {
					t.Fatal(err)
				}
				if fm.Description != w[0] || fm.Summary != w[1] {
					t.Errorf("%s.md: description %q, summary %q; want %q, %q", slug, fm.Description, fm.Summary, w[0], w[1])
				}
			}
		})
	}
}

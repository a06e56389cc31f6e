package main

import (
	"bytes"
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"feed2md/convert"
	"feed2md/convert/feed/feedtest"

	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hugoFeeds are the testdata feeds the site is built from; bodies.xml
// holds an item with {{< shortcode >}} and {{% x %}}.
var hugoFeeds = []string{"foxnews-latest.xml", "bodies.xml", "russcox.atom", "daringfireball.atom", "botframework.xml", "hostile/render.xml"}

// hugoLayouts are the smallest templates that show what the test checks:
// a page's title, date, summary and content; every term of a taxonomy.
var hugoLayouts = map[string]string{
	"layouts/_default/single.html": `<html><body><h1 class="title">{{ .Title }}</h1>` +
		`<time>{{ .Date.Format "2006-01-02" }}</time><p class="summary">{{ .Params.summary }}</p>` +
		`<ul class="tags">{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>` +
		`<article>{{ .Content }}</article></body></html>`,
	"layouts/_default/list.html":     `<html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>`,
	"layouts/_default/terms.html":    `<html><body>{{ range .Data.Terms.Alphabetical }}<li class="term">{{ .Page.Title }}</li>{{ end }}</body></html>`,
	"layouts/_default/taxonomy.html": `<html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>`,
}

// hugoBin finds hugo, skipping loudly when it is missing; in CI a
// missing hugo fails the test instead.
func hugoBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hugo is missing in CI: .ci/run must install Debian's hugo")
		}
		t.Skip("SKIPPED: hugo is not installed (apt-get install hugo); the Hugo site test runs in CI")
	}
	return p
}

func TestHugoSite(t *testing.T) {
	hugo := hugoBin(t)
	cases := []struct {
		name, body, config string
	}{
		{"stock Hugo, Markdown bodies", convert.BodyMarkdown, ""},
		{"unsafe Hugo, HTML bodies", convert.BodyHTML, "[markup.goldmark.renderer]\n  unsafe = true\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := t.TempDir()
			config := "baseURL = 'https://example.org/'\ntitle = 'Test'\nbuildFuture = true\n" +
				"[taxonomies]\n  tag = 'tags'\n  category = 'categories'\n" + c.config
			files := map[string]string{"hugo.toml": config}
			for k, v := range hugoLayouts {
				files[k] = v
			}
			feedtest.WriteFiles(t, site, files)
			posts := filepath.Join(site, "content", "posts")
			// The HTML bodies, outside the site: what each page must show.
			htmlBodies := t.TempDir()
			for _, run := range []struct{ body, dir string }{{c.body, posts}, {convert.BodyHTML, htmlBodies}} {
				args := []string{"-q", "-no-cache", "-body", run.body, "-o", run.dir}
				for _, f := range hugoFeeds {
					args = append(args, filepath.Join("testdata", f))
				}
				var stdout, stderr bytes.Buffer
				if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
					t.Fatalf("feed2md exit %d: %s", code, stderr.String())
				}
			}
			cmd := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("hugo failed: %v\n%s", err, out)
			}
			checkSite(t, site, posts, htmlBodies, c.body == convert.BodyMarkdown)
		})
	}
}

// checkSite checks that every file became a page with its title, date,
// slug URL and summary, that the page shows exactly the text of the
// item's HTML body (in htmlBodies), and that the taxonomies list every tag
// and category. With typographer set (Markdown bodies), the quotes, dashes
// and ellipses Hugo's typographer styled compare equal to the HTML's
// straight ones (untypographed), and nothing else does.
func checkSite(t *testing.T, site, posts, htmlBodies string, typographer bool) {
	entries, err := os.ReadDir(posts)
	if err != nil {
		t.Fatal(err)
	}
	tags, cats := map[string]bool{}, map[string]bool{}
	pages, withText := 0, 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(posts, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(data), "\n---\n", 2)
		var fm struct {
			Title, Slug, Summary string
			Date                 time.Time
			Tags, Categories     []string
		}
		if err := yaml.Unmarshal([]byte(strings.TrimPrefix(parts[0], "---\n")), &fm); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		page, err := os.ReadFile(filepath.Join(site, "public", "posts", fm.Slug, "index.html"))
		if err != nil {
			t.Errorf("%s did not become a page at /posts/%s/: %v", e.Name(), fm.Slug, err)
			continue
		}
		pages++
		text := pageText(string(page))
		for what, want := range map[string]string{"title": fm.Title, "date": fm.Date.Format("2006-01-02"), "summary": fm.Summary} {
			if !strings.Contains(text, foldSpaces(want)) {
				t.Errorf("%s: the page lacks its %s %q", e.Name(), what, want)
			}
		}
		if strings.Contains(string(page), "raw HTML omitted") {
			t.Errorf("%s: Hugo omitted raw HTML", e.Name())
		}
		htmlFile, err := os.ReadFile(filepath.Join(htmlBodies, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		_, htmlBody, _ := strings.Cut(strings.TrimPrefix(string(htmlFile), "---\n"), "\n---\n")
		got, want := articleText(t, string(page)), spelled(visibleText(t, hugoUnescape.Replace(htmlBody)))
		if typographer {
			got, want = untypographed(got), untypographed(want)
		}
		if got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: the page shows other text than the body, from byte %d:\n got …%.200q\nwant …%.200q", e.Name(), i, got[i:], want[i:])
		}
		if found := activeContent(t, string(page)); len(found) > 0 {
			t.Errorf("%s: the page runs script: %v", e.Name(), found)
		}
		if want != "" {
			withText++
		}
		for _, tag := range fm.Tags {
			tags[tag] = true
		}
		for _, c := range fm.Categories {
			cats[c] = true
		}
	}
	if pages != len(entries)-countHidden(entries) || pages < 10 || withText < pages*3/4 {
		t.Errorf("%d pages for %d files, %d with body text", pages, len(entries), withText)
	}
	for taxonomy, terms := range map[string]map[string]bool{"tags": tags, "categories": cats} {
		list, err := os.ReadFile(filepath.Join(site, "public", taxonomy, "index.html"))
		if err != nil {
			t.Fatalf("no %s page: %v", taxonomy, err)
		}
		for term := range terms {
			if !strings.Contains(strings.ToLower(pageText(string(list))), strings.ToLower(term)) {
				t.Errorf("the %s page does not list %q", taxonomy, term)
			}
		}
	}
	// The shortcodes are printed, not run, in the body (articleText: pageText
	// would strip "< youtube abc >" as a tag).
	sc, err := os.ReadFile(filepath.Join(site, "public", "posts", "code-tables-and-images", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{{< youtube abc >}}", "{{% notice %}}"} {
		if !strings.Contains(articleText(t, string(sc)), want) {
			t.Errorf("the shortcode %q is not printed on the page", want)
		}
	}
}

// hugoUnescape undoes the shortcode escapes as Hugo does.
var hugoUnescape = strings.NewReplacer("{{</*", "{{<", "*/>}}", ">}}", "{{%/*", "{{%", "*/%}}", "%}}")

// typography is the typographer's substitutions as Hugo configures
// Goldmark, each undone: curly quotes and apostrophes, en and em dashes,
// the ellipsis, angle quotes (convert's rendercheck_test.go has the same).
var typography = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2013", "--", "\u2014", "---", "\u2026", "...", "\u00ab", "<<", "\u00bb", ">>")

// untypographed is s with the typographer's substitutions undone.
func untypographed(s string) string { return typography.Replace(s) }

// articleText is the visible text of a page's <article>: what Hugo made
// of the body.
func articleText(t *testing.T, page string) string {
	start, end := strings.Index(page, "<article>"), strings.LastIndex(page, "</article>")
	if start < 0 || end < start {
		t.Fatalf("no <article> in the page")
	}
	return spelled(visibleText(t, page[start+len("<article>"):end]))
}

// visibleText is the text a browser shows for an HTML fragment: text
// outside script and style, a space at every block boundary, white space
// folded. <sup> and <sub> read ^(…) and _(…), the way Markdown bodies
// spell them (docs/bodies.md).
func visibleText(t *testing.T, s string) string {
	nodes, err := nethtml.ParseFragment(strings.NewReader(s), &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.TextNode:
			b.WriteString(n.Data)
			return
		case nethtml.ElementNode:
			switch n.Data {
			case "script", "style", "template", "textarea", "title":
				return
			case "sup", "sub":
				open := map[string]string{"sup": "^(", "sub": "_("}[n.Data]
				b.WriteString(open)
				defer b.WriteString(")")
			case "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
				"blockquote", "ul", "ol", "table", "hr", "figure", "figcaption", "dl", "dt", "dd", "section", "article":
				b.WriteByte(' ')
				defer b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return foldSpaces(b.String())
}

// activeContent lists what in a page's <article> could run script: a
// script or frame element, an on… attribute, a javascript:, vbscript: or
// data: URL (entities decoded by the parser, white space and control
// characters ignored as a browser does).
func activeContent(t *testing.T, page string) []string {
	start, end := strings.Index(page, "<article>"), strings.LastIndex(page, "</article>")
	nodes, err := nethtml.ParseFragment(strings.NewReader(page[start:end]), &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "frame", "svg", "math", "base", "meta", "link", "form":
				found = append(found, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				v := urlAsBrowserReads(a.Val)
				switch {
				case strings.HasPrefix(a.Key, "on"):
					found = append(found, a.Key+" on <"+n.Data+">")
				case strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") ||
					strings.HasPrefix(v, "data:") && !(n.Data == "img" && a.Key == "src"):
					found = append(found, a.Key+"="+a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return found
}

// urlAsBrowserReads is an attribute value as a browser reads its scheme:
// lowercased, without the white space and control characters it skips.
func urlAsBrowserReads(v string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(v))
}

// spelled writes runs of Unicode superscript and subscript characters the
// way visibleText reads sup and sub: "x²" is "x^(2)", "H₂O" is "H_(2)O".
func spelled(s string) string {
	const sup, sub = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"
	const plain = "0123456789+-=()"
	var b strings.Builder
	kind := 0 // 1 inside a superscript run, 2 a subscript one
	for _, r := range s {
		k, i := 0, 0
		table := sup
		if i = strings.IndexRune(sup, r); i >= 0 {
			k = 1
		} else if i = strings.IndexRune(sub, r); i >= 0 {
			k, table = 2, sub
		}
		if k != kind {
			if kind != 0 {
				b.WriteByte(')')
			}
			if k != 0 {
				b.WriteString([]string{"", "^(", "_("}[k])
			}
			kind = k
		}
		if k != 0 {
			b.WriteByte(plain[len([]rune(table[:i]))])
			continue
		}
		b.WriteRune(r)
	}
	if kind != 0 {
		b.WriteByte(')')
	}
	// Two subscripts side by side are one: T<sub>1</sub><sub>3</sub> is T₁₃.
	return strings.NewReplacer(")_(", "", ")^(", "").Replace(b.String())
}

var tagRE = regexp.MustCompile(`(?s)<[^>]*>`)

// pageText is a page's visible text with entities decoded and white space
// folded.
func pageText(page string) string {
	return foldSpaces(html.UnescapeString(tagRE.ReplaceAllString(page, " ")))
}

func foldSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

func countHidden(entries []os.DirEntry) int {
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") {
			n++
		}
	}
	return n
}

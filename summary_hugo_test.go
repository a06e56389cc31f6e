package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"feed2md/convert"
	"feed2md/convert/feed/feedtest"

	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"
)

// summaryVectors reads convert/testdata/summary-vectors.txt: item
// descriptions, as the feed's HTML (entities decoded once by the XML
// parser, once more by the tool): tags written as escaped text, Markdown
// links to script, character references, emphasis punctuation, what
// linkify and the typographer read. Its second half is held out: written
// for the tests, not taken from the vectors the escaper was written
// against. Lines starting with // are comments.
func summaryVectors(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("convert", "testdata", "summary-vectors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if !strings.HasPrefix(line, "//") {
			out = append(out, line)
		}
	}
	if len(out) < 18 {
		t.Fatalf("only %d summary vectors", len(out))
	}
	return out
}

// footnoteBody is an item body with a footnote: its links must stay on
// the page.
const footnoteBody = `<p>A claim<a href="#fn1" id="ref1">[1]</a> and <a name="top">Top</a>.</p><p id="fn1">1. The source. <a href="#ref1">back</a></p>`

// summaryFeed is an RSS feed with one item for each of vectors,
// the first with footnoteBody.
func summaryFeed(vectors []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Vectors</title><link>https://old.example/</link>
`)
	for i, v := range vectors {
		body := "<p>Body.</p>"
		if i == 0 {
			body = footnoteBody
		}
		b.WriteString("<item><title>Item " + string(rune('A'+i)) + "</title><link>https://old.example/post/" + string(rune('a'+i)) + "/</link>")
		b.WriteString("<pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><category>Vectors</category>")
		b.WriteString("<description>" + strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(v) + "</description>")
		b.WriteString("<content:encoded><![CDATA[" + body + "]]></content:encoded></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// TestHugoThemeSummaries builds a site with the Ananke theme (v2.9.2, from
// ../shared/themes, read-only) and unsafe = true, in both body modes,
// from items whose descriptions are script vectors as text: the home,
// section and tag pages, which print each item's .Summary, must hold no
// active content, and show each summary as exactly its description's text
// (typography aside); item pages keep footnote links in the page.
func TestHugoThemeSummaries(t *testing.T) {
	hugo := hugoBin(t)
	themes, err := filepath.Abs(filepath.Join("..", "shared", "themes"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(themes, "ananke", "theme.toml")); err != nil {
		t.Skipf("SKIPPED: the Ananke theme is missing (%v): this test needs ../shared/themes beside the clone", err)
	}
	vectors := summaryVectors(t)
	feed := filepath.Join(t.TempDir(), "vectors.xml")
	if err := os.WriteFile(feed, []byte(summaryFeed(vectors)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{convert.BodyHTML, convert.BodyMarkdown} {
		t.Run(body, func(t *testing.T) {
			site := t.TempDir()
			feedtest.WriteFiles(t, site, map[string]string{"hugo.toml": "baseURL = 'https://example.org/'\ntitle = 'Test'\n" +
				"theme = 'ananke'\nthemesDir = '" + themes + "'\nbuildFuture = true\npaginate = 100\n" +
				"[markup.goldmark.renderer]\n  unsafe = true\n"})
			posts := filepath.Join(site, "content", "posts")
			var stdout, stderr bytes.Buffer
			args := []string{"-q", "-no-cache", "-body", body, "-tags", "feed", "-o", posts, feed}
			if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("feed2md exit %d: %s", code, stderr.String())
			}
			public := filepath.Join(site, "public")
			cmd := exec.Command(hugo, "--source", site, "--destination", public)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("hugo failed: %v\n%s", err, out)
			}
			descs := writtenDescriptions(t, posts)
			if len(descs) != len(vectors) {
				t.Fatalf("%d files written for %d items", len(descs), len(vectors))
			}
			for _, rel := range []string{"index.html", "posts/index.html", "tags/vectors/index.html"} {
				data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(rel)))
				if err != nil {
					t.Fatalf("Hugo did not publish %s: %v", rel, err)
				}
				page := string(data)
				if found := pageActiveContent(t, page); len(found) > 0 {
					t.Errorf("%s runs script: %v", rel, found)
				}
				shown := themeSummaries(t, page)
				for slug, got := range shown {
					d, ok := descs[slug]
					switch {
					case !ok:
						t.Errorf("%s: a summary for %q, which is no item: %q", rel, slug, got)
					case typographyFree(got) != typographyFree(foldSpaces(d)):
						t.Errorf("%s shows the summary of %s as %q, not as its description %q", rel, slug, got, d)
					}
				}
				// Ananke's home page gives the latest items a summary,
				// the others a title only.
				if min := len(descs); rel == "index.html" && len(shown) < 3 || rel != "index.html" && len(shown) != min {
					t.Errorf("%s shows %d summaries", rel, len(shown))
				}
			}
			item, err := os.ReadFile(filepath.Join(public, "posts", "item-a", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{`href="#fn1"`, `href="#ref1"`} {
				if !strings.Contains(string(item), want) {
					t.Errorf("the item page lacks the in-page link %s", want)
				}
			}
			if strings.Contains(string(item), "https://old.example/post/a/#") {
				t.Error("the item page links a fragment on the old site")
			}
		})
	}
}

// themeSummaries returns the summaries an Ananke list page shows (the
// div of class nested-links after each item's heading), by the slug its
// heading links to, as visible text; a summary holding an element is
// shown as "<element>" and its text.
func themeSummaries(t *testing.T, page string) map[string]string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode && n.Data == "div" && strings.Contains(attrOf(n, "class"), "nested-links") {
			slug := ""
			for h := n.PrevSibling; h != nil && slug == ""; h = h.PrevSibling {
				if h.Type == nethtml.ElementNode && h.Data == "h1" {
					for a := h.FirstChild; a != nil; a = a.NextSibling {
						if a.Type == nethtml.ElementNode && a.Data == "a" {
							slug = strings.TrimSuffix(strings.TrimPrefix(attrOf(a, "href"), "/posts/"), "/")
						}
					}
				}
			}
			if slug == "" {
				return // the list's own text (a term page's content)
			}
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != nethtml.TextNode {
					b.WriteString("<" + c.Data + ">")
				}
			}
			out[slug] = b.String() + foldSpaces(textOf(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attrOf(n *nethtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// writtenDescriptions returns the description key of each file in posts,
// by slug.
func writtenDescriptions(t *testing.T, posts string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(posts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(posts, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var fm struct{ Slug, Description string }
		if err := yaml.Unmarshal([]byte(strings.SplitN(strings.TrimPrefix(string(data), "---\n"), "\n---\n", 2)[0]), &fm); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[fm.Slug] = fm.Description
	}
	return out
}

// typographyFree spells what Goldmark's typographer writes (curly quotes,
// dashes, ellipses, angle quotes) and the characters it writes them for
// the same way.
func typographyFree(s string) string {
	return strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
		"\u2014", "---", "\u2013", "--", "\u2026", "...", "\u00ab", "<<", "\u00bb", ">>").Replace(s)
}

// pageActiveContent lists what in a whole page could run script: a
// script element that is not the theme's own (a src on the site), a frame
// or plugin element, an on… attribute, a javascript: or vbscript: URL.
func pageActiveContent(t *testing.T, page string) []string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			switch n.Data {
			case "script":
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				if !strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "https://example.org/") {
					found = append(found, "<script> "+src+nethtml.UnescapeString(textOf(n)))
				}
			case "iframe", "object", "embed", "frame", "svg", "math", "base", "form":
				found = append(found, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				v := urlAsBrowserReads(a.Val)
				if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") {
					found = append(found, a.Key+"="+a.Val+" on <"+n.Data+">")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// textOf is the text inside n.
func textOf(n *nethtml.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == nethtml.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

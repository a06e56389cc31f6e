package convert

import (
	"feed2md/convert/body"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"strings"
	"testing"
)

// only converts a one-item feed and returns its front matter and body.
func only(t *testing.T, feed string, edit func(*Options)) (map[string]any, string) {
	t.Helper()
	out := t.TempDir()
	res := convertBytes(t, out, feed, edit)
	if res.Failed() || res.New != 1 {
		t.Fatalf("result %+v %v", res, res.Errors)
	}
	for _, data := range readDir(t, out) {
		return frontmattertest.FrontMatter(t, data)
	}
	panic("unreachable")
}

func TestTitleCleanupAndFallbacks(t *testing.T) {
	long := strings.Repeat("word ", 40)
	cases := []struct {
		name string
		it   item
		want string
	}{
		{"tags stripped, entities decoded, space folded", item{title: "  <b>Bold</b> &amp;\n\t <i>more</i>  &#8217;s ", link: "https://e.test/1"}, "Bold & more ’s"},
		{"an unclosed script tag keeps the text after it", item{title: "Why &lt;script&gt; tags matter", link: "https://e.test/1"}, "Why tags matter"},
		{"description's first words", item{body: "<p>" + long + "</p>", link: "https://e.test/1"}, strings.TrimSpace(strings.Repeat("word ", 16))},
		{"the link", item{link: "https://e.test/only-link"}, "https://e.test/only-link"},
		{"untitled", item{guid: "g1"}, "Untitled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := only(t, rss(c.it), nil)
			if m["title"] != c.want {
				t.Errorf("title %q, want %q", m["title"], c.want)
			}
		})
	}
}

func TestDescriptionFromContent(t *testing.T) {
	words := strings.Repeat("abcde ", 60) // 360 runes
	feed := `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><link>https://e.test/</link><item><title>T</title><link>https://e.test/1</link><content:encoded><![CDATA[<p>` + words + `</p>]]></content:encoded></item></channel></rss>`
	m, body := only(t, feed, nil)
	want := strings.TrimSpace(strings.Repeat("abcde ", 50)) + "…" // 299 runes cut at a space, then …
	if m["description"] != want || m["summary"] != want {
		t.Errorf("description %q", m["description"])
	}
	if body != "<p>"+words+"</p>\n" {
		t.Errorf("body %q", body)
	}
}

func TestDateKeepsWrittenOffset(t *testing.T) {
	cases := map[string]string{
		"Wed, 21 Jan 2026 21:45:09 -0500": "2026-01-21", // 02:45 UTC on the 22nd
		"Wed, 21 Jan 2026 21:45:09 EST":   "2026-01-21",
		"Thu, 22 Jan 2026 01:00:00 +0900": "2026-01-22", // 16:00 UTC on the 21st
		"2026-01-21T23:30:00-08:00":       "2026-01-21",
		"Wed, 21 Jan 2026 23:30:00 GMT":   "2026-01-21",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			m, _ := only(t, rss(item{title: "T", link: "https://e.test/1", date: in}), nil)
			if got := fmt.Sprint(m["date"]); !strings.HasPrefix(got, want) {
				t.Errorf("date %v, want %s", got, want)
			}
		})
	}
	t.Run("atom updated when not published", func(t *testing.T) {
		feed := `<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://e.test/"/><entry><title>T</title><link href="/p/1"/><id>x</id><updated>2026-03-01T22:00:00-07:00</updated></entry></feed>`
		m, _ := only(t, feed, nil)
		if got := fmt.Sprint(m["date"]); !strings.HasPrefix(got, "2026-03-01") || m["link"] != "https://e.test/p/1" {
			t.Errorf("date %v link %v", got, m["link"])
		}
	})
}

func TestLinkSourceCategories(t *testing.T) {
	feed := `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><link>https://blog.example.org/</link>` +
		`<atom:link href="https://feeds.example.org/main" rel="self"/>` +
		`<item><title>Relative</title><link>/2026/01/post?a=1&amp;b=2</link></item></channel></rss>`
	m, _ := only(t, feed, nil)
	if m["link"] != "https://blog.example.org/2026/01/post?a=1&b=2" {
		t.Errorf("link %v", m["link"])
	}
	if m["source"] != "https://feeds.example.org/main" {
		t.Errorf("source %v", m["source"])
	}
	if cats := fmt.Sprint(m["categories"]); cats != "[feeds.example.org]" {
		t.Errorf("categories %v", cats)
	}
	// A script URL is never a link.
	m, _ = only(t, rss(item{title: "X", link: "javascript:alert(1)", guid: "g"}), nil)
	if m["link"] != "" {
		t.Errorf("link %v", m["link"])
	}
}

func TestBodyShortcodesEscaped(t *testing.T) {
	cases := map[string]string{
		`<p>{{< youtube id >}}</p>`:     `<p>{{</* youtube id */>}}</p>`,
		`<p>{{% note %}}x{{% /note %}}`: `<p>{{%/* note */%}}x{{%/* /note */%}}`,
		`<p>{{</* done */>}}</p>`:       `<p>{{</* done */>}}</p>`,
		`<p>open {{< only</p>`:          `<p>open &#123;&#123;< only</p>`,
		`<p>{{ .Title }}</p>`:           `<p>{{ .Title }}</p>`,
	}
	for in, want := range cases {
		if got := body.EscapeShortcodes(in, false); got != want {
			t.Errorf("EscapeShortcodes(%q) = %q, want %q", in, got, want)
		}
	}
	if got := body.EscapeShortcodes("open {{< only", true); got != `open \{\{< only` {
		t.Errorf("markdown: %q", got)
	}
}

func TestNoBody(t *testing.T) {
	out := t.TempDir()
	convertBytes(t, out, rss(item{title: "Empty", link: "https://e.test/1"}), nil)
	data := readDir(t, out)["empty.md"]
	if !strings.HasSuffix(string(data), "draft: false\n---\n") {
		t.Errorf("file does not end after the closing ---: %q", data[len(data)-30:])
	}
}

// FuzzPlainTextPrefix: stopping early never changes the cut text.
func FuzzPlainTextPrefix(f *testing.F) {
	f.Add("<p>"+strings.Repeat("word ", 200)+"</p>", 10)
	f.Add("<p>a</p><p>b  c</p>", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = 1 + abs(n)%400
		full, _ := body.CutWords(body.PlainText(s), n)
		early, _ := body.CutWords(body.PlainTextUpTo(s, n+1), n)
		if full != early {
			t.Fatalf("cut of %q at %d: full %q, early %q", s, n, full, early)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

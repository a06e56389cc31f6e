package convert

import (
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// climbingCategories are categories that, written as terms verbatim,
// stop Hugo 0.111 ("missing taxonomy: tags"), make no page, or put a
// page or link outside tags/, with a few good ones beside them.
var climbingCategories = []string{
	"..", ".", "/", "a/../../b", "../../../etc", "%2e%2e", "%2E%2E", "..%2f..", `\..\`, `..\..`, " ",
	"#", "?", "😀🎉", "．．", "..\u200b", "..\u0300", "%252e%252e", "..#x", "a%2f..", "%2f", ". .", ". a",
	strings.Repeat("ж", 70) + "/../x", "Go &amp; <b>Hugo</b>", "C#", "News/World", "x %2e%2e", "日本語",
	"a - b", "Ünïcode", "  lead", "@_~+1", "%41bc", "a?b", "index.html", "Index.XML", "index%2exml",
}

// TestHugoTerms builds real Hugo sites (the bare layout, and the PaperMod
// and Ananke themes from ../shared/themes, which print every term) from
// a feed whose categories try to climb out of tags/, with -tags feed and
// -tags both: the build succeeds, every term written gets its page
// exactly where frontmatter.HugoTermPath says, and no file of public/ lies outside
// the places a site with harmless categories uses. Items whose links
// have "..", "." or "index.xml" as host try the same through the
// categories key.
func TestHugoTerms(t *testing.T) {
	hugo := hugoBin(t)
	themes, err := filepath.Abs(filepath.Join("..", "..", "shared", "themes"))
	if err != nil {
		t.Fatal(err)
	}
	layouts := []string{""}
	for _, th := range []string{"papermod", "ananke"} {
		if _, err := os.Stat(filepath.Join(themes, th, "layouts")); err != nil {
			feedtest.SkipPart(t, "theme %s: %v (../shared/themes holds the themes)", th, err)
			continue
		}
		layouts = append(layouts, th)
	}
	for _, theme := range layouts {
		for _, tags := range []string{TagsFeed, TagsBoth} {
			name := theme
			if name == "" {
				name = "bare"
			}
			t.Run(name+"/"+tags, func(t *testing.T) {
				hugoTermsSite(t, hugo, themes, theme, tags)
			})
		}
	}
}

func hugoTermsSite(t *testing.T, hugo, themes, theme, tags string) {
	// A site with harmless categories shows where the layout puts its
	// own files; the hostile one may put nothing anywhere else.
	base := buildTermsSite(t, hugo, themes, theme, tags, []string{"plain", "words"})
	allowed := map[string]bool{}
	for _, f := range base {
		allowed[strings.SplitN(f, "/", 2)[0]] = true
	}
	site := t.TempDir()
	files := buildTermsSiteAt(t, site, hugo, themes, theme, tags, climbingCategories)

	// What feed2md wrote: every term, and the folder Hugo makes of it.
	want := map[string]map[string]bool{"tags": {}, "categories": {}}
	for name, data := range readDir(t, filepath.Join(site, "content")) {
		m, _ := frontmattertest.FrontMatter(t, data)
		for _, tax := range []string{"tags", "categories"} {
			list, _ := m[tax].([]any)
			for _, v := range list {
				term := fmt.Sprint(v)
				if term != frontmatter.Term(term) {
					t.Errorf("%s: %s term %q is not its own term (%q)", name, tax, term, frontmatter.Term(term))
				}
				want[tax][frontmatter.HugoTermPath(term)] = true
			}
		}
	}
	for _, bad := range []string{"..", ".", "", "%2e%2e", "index.html", "index.xml", "index%2exml"} {
		if want["tags"][bad] || want["categories"][bad] {
			t.Errorf("a term with path %q was written", bad)
		}
	}
	for _, good := range []string{"go-hugo", "c#", "news-world", "x-%2e%2e", "日本語", ".-a", "a-b", "ünïcode", "lead", "@_~+1", "%41bc", "ab"} {
		if !want["tags"][good] {
			t.Errorf("no tag with path %q: %q", good, sortedKeys(want["tags"]))
		}
	}
	if !want["categories"]["blog.example"] || len(want["categories"]) != 1 {
		t.Errorf("categories %q, want only blog.example (a host .. makes none)", sortedKeys(want["categories"]))
	}
	for _, f := range files {
		parts := strings.Split(f, "/")
		switch top := parts[0]; {
		case top == "tags" || top == "categories":
			if len(parts) == 2 {
				continue // the taxonomy's own list and feed
			}
			if !want[top][parts[1]] {
				t.Errorf("public/%s: a %s page for no term written (model: %q)", f, top, sortedKeys(want[top]))
			}
		case !allowed[top]:
			t.Errorf("public/%s: outside the folders a site uses (%q)", f, sortedKeys(allowed))
		}
	}
	// Every term has its page where the model of Hugo's path says.
	for tax, terms := range want {
		for p := range terms {
			if _, err := os.Stat(filepath.Join(site, "public", tax, p, "index.html")); err != nil {
				t.Errorf("term path %q: no page public/%s/%s/index.html", p, tax, p)
			}
		}
	}
}

func buildTermsSite(t *testing.T, hugo, themes, theme, tags string, cats []string) []string {
	return buildTermsSiteAt(t, t.TempDir(), hugo, themes, theme, tags, cats)
}

// buildTermsSiteAt writes a feed whose items carry cats (and items whose
// links have a climbing host) with -tags, builds the site with hugo, and
// returns every file of public/, slash-separated, sorted.
func buildTermsSiteAt(t *testing.T, site, hugo, themes, theme, tags string, cats []string) []string {
	t.Helper()
	config := "baseURL = 'https://example.org/'\ntitle = 'Terms'\n[taxonomies]\n  tag = 'tags'\n  category = 'categories'\n"
	files := map[string]string{}
	if theme != "" {
		config = fmt.Sprintf("theme = %q\nthemesDir = %q\n", theme, themes) + config
	} else {
		files["layouts/_default/single.html"] = `<h1>{{ .Title }}</h1>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}`
		files["layouts/_default/list.html"] = `{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}`
		files["layouts/_default/terms.html"] = `{{ range .Data.Terms.Alphabetical }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>{{ end }}`
	}
	files["hugo.toml"] = config
	feedtest.WriteFiles(t, site, files)

	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://blog.example/</link>`)
	for i, c := range cats {
		fmt.Fprintf(&b, `<item><title>Post %d about terms</title><link>https://blog.example/p%d</link><guid>g%d</guid>`+
			`<pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate><category>%s</category><category>%s</category></item>`,
			i, i, i, html.EscapeString(c), html.EscapeString(cats[(i+1)%len(cats)]))
	}
	// The categories key: the host of the item's link when the feed has
	// no source (standard input, no self link, a channel link without one).
	b.WriteString(`</channel></rss>`)
	posts := filepath.Join(site, "content", "posts")
	convertBytes(t, posts, b.String(), func(o *Options) { o.Tags = tags })
	hostile := `<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>` +
		`<item><title>Dots host</title><link>http://../x</link><guid>h1</guid><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item>` +
		`<item><title>Dot host</title><link>http://./y</link><guid>h2</guid><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item>` +
		`<item><title>Index host</title><link>http://index.xml/z</link><guid>h3</guid><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item>` +
		`</channel></rss>`
	convertBytes(t, filepath.Join(site, "content", "other"), hostile, func(o *Options) { o.Tags = tags })

	out, err := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public")).CombinedOutput()
	if err != nil {
		t.Fatalf("hugo failed: %v\n%s", err, out)
	}
	var list []string
	root := filepath.Join(site, "public")
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		list = append(list, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing written beside public/ but what Hugo keeps for itself.
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "hugo.toml", "layouts", "content", "public", "resources", ".hugo_build.lock":
		default:
			t.Errorf("hugo wrote %s beside public/", e.Name())
		}
	}
	sort.Strings(list)
	return list
}

func sortedKeys(m map[string]bool) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

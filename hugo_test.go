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

	"go.yaml.in/yaml/v3"
)

// hugoFeeds are the testdata feeds the site is built from; bodies.xml
// holds an item with {{< shortcode >}} and {{% x %}}.
var hugoFeeds = []string{"foxnews-latest.xml", "bodies.xml", "russcox.atom", "daringfireball.atom", "botframework.xml"}

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
			for name, text := range files {
				p := filepath.Join(site, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			posts := filepath.Join(site, "content", "posts")
			args := []string{"-q", "-no-cache", "-body", c.body, "-o", posts}
			for _, f := range hugoFeeds {
				args = append(args, filepath.Join("testdata", f))
			}
			var stdout, stderr bytes.Buffer
			if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("feed2md exit %d: %s", code, stderr.String())
			}
			cmd := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("hugo failed: %v\n%s", err, out)
			}
			checkSite(t, site, posts)
		})
	}
}

// checkSite checks that every file became a page with its title, date,
// slug URL, summary and body text, and that the taxonomies list every tag
// and category.
func checkSite(t *testing.T, site, posts string) {
	entries, err := os.ReadDir(posts)
	if err != nil {
		t.Fatal(err)
	}
	tags, cats := map[string]bool{}, map[string]bool{}
	pages := 0
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
		if len(parts) == 2 && strings.TrimSpace(parts[1]) != "" {
			words := firstWords(bodyText(parts[1]), 6)
			if !strings.Contains(text, words) {
				t.Errorf("%s: the body's first words %q are not on the page", e.Name(), words)
			}
		}
		for _, tag := range fm.Tags {
			tags[tag] = true
		}
		for _, c := range fm.Categories {
			cats[c] = true
		}
	}
	if pages != len(entries)-countHidden(entries) || pages < 10 {
		t.Errorf("%d pages for %d files", pages, len(entries))
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
	// The shortcodes are printed, not run.
	sc, err := os.ReadFile(filepath.Join(site, "public", "posts", "code-tables-and-images", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{{< youtube abc >}}", "{{% notice %}}"} {
		if !strings.Contains(pageText(string(sc)), want) {
			t.Errorf("the shortcode %q is not printed on the page", want)
		}
	}
}

var tagRE = regexp.MustCompile(`(?s)<[^>]*>`)

// pageText is a page's visible text with entities decoded and white space
// folded.
func pageText(page string) string {
	return foldSpaces(html.UnescapeString(tagRE.ReplaceAllString(page, " ")))
}

// bodyText is the text of a written body, HTML or Markdown, with the
// shortcode escapes undone as Hugo undoes them.
func bodyText(body string) string {
	r := strings.NewReplacer("{{</*", "{{<", "*/>}}", ">}}", "{{%/*", "{{%", "*/%}}", "%}}")
	s := convert.PlainText(r.Replace(body))
	// Markdown syntax is not text.
	s = regexp.MustCompile(`[*_#>|\[\]`+"`"+`]+|\(http[^)]*\)|^-+`).ReplaceAllString(s, " ")
	return s
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	for len(f) > 0 && len([]rune(f[0])) < 3 {
		f = f[1:]
	}
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
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

package frontmatter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"feed2md/convert/frontmatter/frontmattertest"
	"feed2md/templates"
)

func TestQuoting(t *testing.T) {
	cases := []struct{ in, dq, sq string }{
		{`plain`, `"plain"`, `'plain'`},
		{`say "hi" \ bye`, `"say \"hi\" \\ bye"`, `'say "hi" \ bye'`},
		{`it's`, `"it's"`, `'it''s'`},
		{"tab\there", `"tab\there"`, `"tab\there"`},
		{"line\nbreak", `"line\nbreak"`, `"line\nbreak"`},
		{"nel\u0085 ls\u2028 ps\u2029 bom\ufeff", `"nel\N ls\L ps\P bom\uFEFF"`, `"nel\N ls\L ps\P bom\uFEFF"`},
		{"bell\a del\x7f c1\u0090", `"bell\a del\x7F c1\x90"`, `"bell\a del\x7F c1\x90"`},
		{"- leading dash: and #hash", `"- leading dash: and #hash"`, `'- leading dash: and #hash'`},
	}
	for _, c := range cases {
		if got := doubleQuote(c.in); got != c.dq {
			t.Errorf("doubleQuote(%q) = %s, want %s", c.in, got, c.dq)
		}
		if got := SingleQuote(c.in); got != c.sq {
			t.Errorf("SingleQuote(%q) = %s, want %s", c.in, got, c.sq)
		}
	}
}

// FuzzFrontMatter writes arbitrary titles, descriptions, links and tags
// through the embedded template and reads them back with a YAML parser:
// every value must come back exactly.
func FuzzFrontMatter(f *testing.F) {
	f.Add(`Trump says "we are close"`, "a\\b\n\tc", "https://x.test/a?b='c'", "tag")
	f.Add("\x00\x1b\u0085\u2028\ufeff", "'''", "': #", "- x")
	f.Add("---", "...", "\r\n", "\"")
	f.Add("\xff\xfe", "🎉", "%", "null")
	tmpl, err := ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, desc, link, tag string) {
		fm := FrontMatter{
			Title: title, Date: "2026-01-21", Description: desc, Summary: desc, Slug: "s",
			Image: link, Link: link, Source: link, Categories: []string{link}, Tags: []string{tag, title},
		}
		data, err := Render(tmpl, &fm, "")
		if err != nil {
			t.Fatal(err)
		}
		m, body := frontmattertest.FrontMatter(t, data)
		if body != "" {
			t.Fatalf("body %q", body)
		}
		valid := func(s string) string { return string([]rune(s)) } // each bad byte becomes U+FFFD
		for key, want := range map[string]string{
			"title": valid(title), "description": valid(desc), "summary": valid(desc),
			"image": valid(link), "link": valid(link), "source": valid(link),
		} {
			if got, _ := m[key].(string); got != want {
				t.Fatalf("%s: read back %q, wrote %q\n%s", key, got, want, data)
			}
		}
		cats, _ := m["categories"].([]any)
		tags, _ := m["tags"].([]any)
		if len(cats) != 1 || cats[0] != valid(link) || len(tags) != 2 || tags[0] != valid(tag) || tags[1] != valid(title) {
			t.Fatalf("lists read back as %q %q\n%s", cats, tags, data)
		}
	})
}

func TestParseTemplateRejects(t *testing.T) {
	for name, text := range map[string]string{
		"syntax":      "---\n{{.Title",
		"unknown key": "---\n{{.Nope}}\n---\n",
		"no dashes":   "title: {{dq .Title}}\n",
		// The whole front matter is tried, its closing line included.
		"no closing line":         "---\ntitle: {{dq .Title}}\n",
		"closing line unfinished": "---\ntitle: {{dq .Title}}\n---",
		"closing line indented":   "---\ntitle: {{dq .Title}}\n ---\n",
		"invalid YAML":            "---\ntitle: {{dq .Title}}\n  bad: [\n---\n",
		"not a mapping":           "---\n- {{dq .Title}}\n---\n",
		// Valid for a tame sample, broken by a feed's text.
		"title unquoted":       "---\ntitle: {{.Title}}\n---\n",
		"description unquoted": "---\ndescription: {{.Description}}\n---\n",
		"link unquoted":        "---\nlink: {{.Link}}\n---\n",
		"author unquoted":      "---\nauthor: {{.Author}}\n---\n",
		"category unquoted":    "---\ncategories:{{range .Categories}}\n- {{.}}{{end}}\n---\n",
		"quoted by hand":       "---\ntitle: \"{{.Title}}\"\n---\n",
	} {
		fsys := fstest.MapFS{"t.tmpl": {Data: []byte(text)}}
		if _, err := ParseTemplate(fsys, "t.tmpl"); err == nil {
			t.Errorf("%s: template accepted", name)
		} else if !strings.Contains(err.Error(), "t.tmpl") {
			t.Errorf("%s: the error %q does not name the template", name, err)
		}
	}
}

// TestParseTemplateAccepts: the embedded template, the test templates and
// a front matter followed by text of its own pass the check.
func TestParseTemplateAccepts(t *testing.T) {
	for name, text := range map[string]string{
		"empty front matter":  "---\n---\n",
		"text after it":       "---\ntitle: {{dq .Title}}\n---\n{{\"{{< toc >}}\"}}\n",
		"date and time raw":   "---\ndate: {{.Date}}\nlastmod: {{.Time.Format \"2006-01-02T15:04:05Z07:00\"}}\n---\n",
		"flow list of quoted": "---\ntags: [{{range $i, $t := .Tags}}{{if $i}}, {{end}}{{sq $t}}{{end}}]\n---\n",
	} {
		if _, err := ParseTemplate(fstest.MapFS{"t.tmpl": {Data: []byte(text)}}, "t.tmpl"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParseTemplate(templates.FS, templates.FrontMatter); err != nil {
		t.Error(err)
	}
	if _, err := ParseTemplate(os.DirFS(filepath.Join("..", "..", "testdata", "templates")), "custom.tmpl"); err != nil {
		t.Error(err)
	}
}

// FuzzDefaultLayout holds RenderDefault to the embedded template: for any
// values, both write the same bytes.
func FuzzDefaultLayout(f *testing.F) {
	f.Add("Title", "2026-01-02", "desc", "sum", "slug", "https://i", "https://l", "https://s", "cat", "tag", true, "<p>body</p>\n")
	f.Add("", "", "", "", "", "", "", "", "", "", false, "")
	f.Add("T", "d", "", "", "s", "https://i.example/a'b: #c", "", "", "", "", false, "")
	f.Add("\"'\\\n", "x", "\u2028", "\x00", "-", "'", "''", "\t", "a'b", "\ufeff", false, "{{< x >}}")
	tmpl, err := ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		f.Fatal(err)
	}
	if !IsDefaultLayout(tmpl) {
		f.Fatal("the embedded template is not recognised as the default layout")
	}
	f.Fuzz(func(t *testing.T, title, date, desc, sum, slug, image, link, source, cat, tag string, draft bool, body string) {
		fm := FrontMatter{Title: title, Date: date, Description: desc, Summary: sum, Slug: slug, Image: image,
			Link: link, Source: source, Draft: draft}
		if cat != "" {
			fm.Categories = []string{cat, cat + "2"}
		}
		if tag != "" {
			fm.Tags = []string{tag}
		}
		// Without a theme, then with each (-theme): the theme's keys too.
		for _, theme := range append([]string{""}, Themes()...) {
			fm.Theme, fm.ThemeImage, fm.Images = theme, ThemeImage(image), SocialImages(ThemeImage(image))
			if link != "" {
				fm.Images = append(fm.Images, link)
			}
			want, err := Render(tmpl, &fm, body)
			if err != nil {
				t.Fatal(err)
			}
			if got := RenderDefault(nil, &fm, body); string(got) != string(want) {
				t.Fatalf("theme %q: renderDefault wrote\n%q\nthe template\n%q", theme, got, want)
			}
		}
	})
}

func TestIsDefaultLayout(t *testing.T) {
	if IsDefaultLayout(template.Must(template.New("x").Funcs(TemplateFuncs()).Parse("---\ntitle: {{dq .Title}}\n---\n"))) {
		t.Error("another template taken for the default")
	}
}

// TestCategoriesCappedInBytes: a category longer than a folder name (a
// host taken from a feed's own link) is cut at a rune boundary, in both
// render paths, without changing the slice the items share.
func TestCategoriesCappedInBytes(t *testing.T) {
	long := strings.Repeat("é", 60) + ".example" // 128 bytes
	shared := []string{"ok.example", long}
	fm := FrontMatter{Title: "T", Date: "2026-01-02", Slug: "t", Categories: shared}
	tmpl, err := ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	viaTemplate, err := Render(tmpl, &fm, "")
	if err != nil {
		t.Fatal(err)
	}
	fast := RenderDefault(nil, &fm, "")
	if string(fast) != string(viaTemplate) {
		t.Fatalf("the two paths differ:\n%s\n%s", fast, viaTemplate)
	}
	want := "\n- 'ok.example'\n- '" + strings.Repeat("é", 50) + "'\n"
	if !strings.Contains(string(fast), want) {
		t.Errorf("categories not cut to 100 bytes:\n%s", fast)
	}
	if shared[1] != long || fm.Categories[1] != long {
		t.Error("the shared slice was changed")
	}
}

package convert

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"feed2md/templates"
)

// themeKey is the key each theme adds for an item with an image, after
// images (written when the image is an absolute URL), between tags (or
// aliases) and draft; stack reads image, which every file has.
var themeKey = map[string]string{"papermod": "cover", "ananke": "featured_image"}

// themeFrontMatter reads a file written with a theme back with a YAML
// parser: the keys of FORMAT.md in order, with the theme's keys before
// draft when the item has an image, each holding the image exactly.
func themeFrontMatter(t testing.TB, data []byte, theme string) map[string]any {
	t.Helper()
	m, keys, _ := frontmattertest.FrontMatterKeys(t, data)
	want := append([]string(nil), frontmattertest.LayoutKeys[:len(frontmattertest.LayoutKeys)-1]...)
	img, _ := m["image"].(string)
	if frontmatter.SocialImages(img) != nil {
		want = append(want, "images")
	}
	if k := themeKey[theme]; k != "" && img != "" {
		want = append(want, k)
	}
	want = append(want, "draft")
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	if img == "" {
		return m
	}
	img = frontmatter.ThemeImage(img)
	if ims, ok := m["images"].([]any); ok && (len(ims) != 1 || ims[0] != img) {
		t.Errorf("images %v, want [%s]", ims, img)
	}
	switch theme {
	case "papermod":
		if cover, _ := m["cover"].(map[string]any); len(cover) != 1 || cover["image"] != img {
			t.Errorf("cover %v, want image: %s", m["cover"], img)
		}
	case "ananke":
		if m["featured_image"] != img {
			t.Errorf("featured_image %v, want %s", m["featured_image"], img)
		}
	}
	return m
}

// TestThemeKeys: each theme's keys, written by hand, for an image URL as
// hostile as a feed may give, by the embedded template and by
// frontmatter.RenderDefault alike; without a theme or an image nothing is added.
func TestThemeKeys(t *testing.T) {
	tmpl, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	const img = `https://img.example/a'b: "c" #d.png?x=1&y=2`
	const q = `'https://img.example/a''b: "c" #d.png?x=1&y=2'`
	// Glob syntax that does not compile, which PaperMod and Ananke would
	// stop the site's build on: encoded in the theme's keys only.
	const glob = `https://[::1]:8080/a[b{c}\d].png?q=[x]`
	const globQ = `'https://[::1]:8080/a%5Bb%7Bc%7D%5Cd%5D.png?q=%5Bx%5D'`
	cases := []struct{ theme, image, want string }{
		{"", img, "tags:\n- 'bots'\n\ndraft: false\n"},
		{"papermod", img, "tags:\n- 'bots'\nimages:\n- " + q + "\ncover:\n  image: " + q + "\n\ndraft: false\n"},
		{"ananke", img, "tags:\n- 'bots'\nimages:\n- " + q + "\nfeatured_image: " + q + "\n\ndraft: false\n"},
		{"stack", img, "tags:\n- 'bots'\nimages:\n- " + q + "\n\ndraft: false\n"},
		{"papermod", glob, "tags:\n- 'bots'\nimages:\n- " + globQ + "\ncover:\n  image: " + globQ + "\n\ndraft: false\n"},
		{"ananke", glob, "tags:\n- 'bots'\nimages:\n- " + globQ + "\nfeatured_image: " + globQ + "\n\ndraft: false\n"},
		{"papermod", "", "tags:\n- 'bots'\n\ndraft: false\n"},
		{"ananke", "", "tags:\n- 'bots'\n\ndraft: false\n"},
		// A file downloaded into the bundle: the theme finds it among the
		// page's resources; Hugo's images would point at the site's root.
		{"papermod", "cover.png", "tags:\n- 'bots'\ncover:\n  image: 'cover.png'\n\ndraft: false\n"},
		{"ananke", "cover.png", "tags:\n- 'bots'\nfeatured_image: 'cover.png'\n\ndraft: false\n"},
		{"stack", "cover.png", "tags:\n- 'bots'\n\ndraft: false\n"},
	}
	for _, c := range cases {
		t.Run(c.theme+" "+c.image, func(t *testing.T) {
			fm := frontmatter.FrontMatter{Title: "T", Date: "2026-01-02", Slug: "t", Image: c.image, Tags: []string{"bots"},
				Theme: c.theme, ThemeImage: frontmatter.ThemeImage(c.image), Images: frontmatter.SocialImages(frontmatter.ThemeImage(c.image))}
			viaTemplate, err := frontmatter.Render(tmpl, &fm, "")
			if err != nil {
				t.Fatal(err)
			}
			fast := frontmatter.RenderDefault(nil, &fm, "")
			if string(fast) != string(viaTemplate) {
				t.Fatalf("the two paths differ:\n%s\n%s", fast, viaTemplate)
			}
			tail := string(fast[bytes.Index(fast, []byte("tags:")):])
			if tail != c.want+"---\n" {
				t.Errorf("wrote\n%s\nwant\n%s---", tail, c.want)
			}
			if !strings.Contains(string(fast), "\nimage: "+frontmatter.SingleQuote(c.image)+"\n") {
				t.Errorf("the image key is not the image as given:\n%s", fast)
			}
			if c.theme != "" {
				themeFrontMatter(t, fast, c.theme)
			} else {
				frontmattertest.FrontMatter(t, fast)
			}
		})
	}
}

// TestThemeDownloadedImage: with -images download, the theme's key names
// the file saved in the bundle, and images is left out.
func TestThemeDownloadedImage(t *testing.T) {
	var pic bytes.Buffer
	png.Encode(&pic, image.NewGray(image.Rect(0, 0, 1, 1)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(pic.Bytes()) }))
	defer srv.Close()
	feed := fmt.Sprintf(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>b</title>`+
		`<item><title>Post</title><link>https://blog.example/p</link><media:content url="%s/shot.png" medium="image"/>`+
		`<description>text</description></item></channel></rss>`, srv.URL)
	dir := t.TempDir()
	res := convertBytes(t, dir, feed, func(o *Options) { o.Images, o.Theme = ImagesDownload, "papermod" })
	if res.Failed() || res.New != 1 || res.ImagesSaved != 1 {
		t.Fatalf("new %d, saved %d: %v %v", res.New, res.ImagesSaved, res.Errors, res.ImageErrors)
	}
	data, err := os.ReadFile(filepath.Join(dir, "post", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := themeFrontMatter(t, data, "papermod")
	cover, _ := m["cover"].(map[string]any)
	name, _ := cover["image"].(string)
	if name == "" || name != m["image"] || strings.Contains(name, "/") {
		t.Fatalf("cover.image %q, image %q: want the bundle's file name in both\n%s", name, m["image"], data)
	}
	if _, err := os.Stat(filepath.Join(dir, "post", name)); err != nil {
		t.Error(err)
	}
	if _, ok := m["images"]; ok {
		t.Errorf("images written for a bundle file:\n%s", data)
	}
}

// TestCheckTheme: an unknown theme is an error naming the known ones; a
// user's template must use .Theme, and stay valid YAML with it.
func TestCheckTheme(t *testing.T) {
	parse := func(text string) *template.Template {
		return template.Must(template.New("t").Funcs(frontmatter.TemplateFuncs()).Parse(text))
	}
	def, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, theme string
		tmpl        *template.Template
		want        string // in the error; "" for none
	}{
		{"unknown", "hugo-book", def, `unknown theme "hugo-book": use papermod, ananke, stack`},
		{"embedded", "ananke", def, ""},
		{"user's, ignores it", "ananke", parse("---\ntitle: {{dq .Title}}\n---\n"), "does not use .Theme"},
		{"user's, uses it", "ananke", parse("---\ntitle: {{dq .Title}}\n{{if eq .Theme \"ananke\"}}featured_image: {{sq .Image}}\n{{end}}---\n"), ""},
		{"user's, unquoted", "ananke", parse("---\ntitle: {{dq .Title}}\n{{if .Theme}}featured_image: {{.Image}}\n{{end}}---\n"), "not valid YAML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Theme: c.theme, Template: c.tmpl}
			err := o.Check()
			switch {
			case c.want == "" && err != nil:
				t.Errorf("error %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("error %v, want one with %q", err, c.want)
			}
		})
	}
}

// TestThemeFingerprint: a theme changes the options' fingerprint (the
// files are rewritten when it changes); no theme keeps the default one.
func TestThemeFingerprint(t *testing.T) {
	tmpl, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, theme := range append([]string{""}, frontmatter.Themes()...) {
		o := Options{Template: tmpl, Theme: theme, Stopwords: frontmatter.DefaultStopwords()}
		fp := optionsFingerprint(&o)
		if other, ok := seen[fp]; ok {
			t.Errorf("themes %q and %q share a fingerprint", other, theme)
		}
		seen[fp] = theme
	}
}

// TestThemeNotice: a site whose configuration names a known theme, in any
// of Hugo's forms, gets one notice naming the flag; none when -theme is
// given, the theme is another, or there is no site.
func TestThemeNotice(t *testing.T) {
	cases := []struct{ file, text, want string }{
		{"hugo.toml", "theme = 'PaperMod'\n", "-theme papermod"},
		{"config.toml", "title = 'x'\ntheme = \"hugo-PaperMod\"\n", "-theme papermod"},
		{"hugo.yaml", "theme: gohugo-theme-ananke\n", "-theme ananke"},
		{"hugo.toml", "theme = ['my-shortcodes', 'ananke']\n", "-theme ananke"},
		{"config.json", `{"Theme": "hugo-theme-stack"}`, "-theme stack"},
		{"hugo.toml", "theme = 'github.com/CaiJimmy/hugo-theme-stack/v3'\n", "-theme stack"},
		{"config/_default/hugo.toml", "theme = 'themes/ananke/'\n", "-theme ananke"},
		{"hugo.toml", "theme = 'hugo-book'\n", ""},
		{"hugo.toml", "title = 'no theme'\n", ""},
		{"hugo.toml", "theme = [\n", ""}, // not TOML: no notice, no failure
	}
	for _, c := range cases {
		t.Run(c.file+" "+c.text, func(t *testing.T) {
			site := t.TempDir()
			p := filepath.Join(site, c.file)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			posts := filepath.Join(site, "content", "posts")
			got := frontmatter.FindSite(posts).ThemeNotice("")
			if c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Errorf("notice %q, want one with %q", got, c.want)
			}
			if c.want != "" && !strings.Contains(got, "so that item images show") {
				t.Errorf("notice %q does not say why", got)
			}
			if c.want == "" {
				return
			}
			// The right -theme: no notice; another: one naming the right one.
			right := strings.TrimPrefix(c.want, "-theme ")
			if n := frontmatter.FindSite(posts).ThemeNotice(right); n != "" {
				t.Errorf("with -theme %s: %q", right, n)
			}
			other := "stack"
			if right == "stack" {
				other = "ananke"
			}
			if n := frontmatter.FindSite(posts).ThemeNotice(other); !strings.Contains(n, ", not "+other+": use "+c.want+" ") {
				t.Errorf("with -theme %s: %q, want one naming %s", other, n, c.want)
			}
		})
	}
	if n := frontmatter.FindSite(t.TempDir()).ThemeNotice(""); n != "" {
		t.Errorf("no site: %q", n)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"feed2md/convert"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter"

	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"
)

// sharedThemes returns ../shared/themes, the real themes (read-only),
// skipping loudly when it is missing.
func sharedThemes(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "shared", "themes"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Skip("SKIPPED: ../shared/themes is missing: the real Hugo themes cannot be built")
	}
	return dir
}

// themeFeed has the images a theme must show: a plain one, one whose URL
// holds a quote, an ampersand and brackets, one whose URL is a glob that
// does not compile (PaperMod and Ananke match the key as a pattern), and
// an item with none.
const themeFeed = `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Pictures</title><link>https://blog.test/</link>
<item><title>Plain picture</title><link>https://blog.test/1</link><guid>1</guid><pubDate>Thu, 08 Jan 2026 10:00:00 +0000</pubDate>
<media:content url="https://img.test/photos/plain.jpg" medium="image"/><description>A plain picture.</description></item>
<item><title>Odd picture</title><link>https://blog.test/2</link><guid>2</guid><pubDate>Tue, 06 Jan 2026 10:00:00 +0000</pubDate>
<media:content url="https://img.test/it's [odd].png?w=1&amp;h=2" medium="image"/><description>An odd URL.</description></item>
<item><title>Glob picture</title><link>https://blog.test/4</link><guid>4</guid><pubDate>Wed, 07 Jan 2026 10:00:00 +0000</pubDate>
<media:content url="https://img.test/a[b{c\d.png" medium="image"/><description>A URL that is no glob.</description></item>
<item><title>No picture</title><link>https://blog.test/3</link><guid>3</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description>Words only.</description></item>
</channel></rss>
`

// pageImages returns the image URLs a page shows: every <img src>, the
// url(...) of a style attribute (Ananke's header), and the social cards'
// og:image and twitter:image, by where they were found.
func pageImages(t *testing.T, page []byte) (shown, cards map[string]bool) {
	t.Helper()
	doc, err := nethtml.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	shown, cards = map[string]bool{}, map[string]bool{}
	cssURL := regexp.MustCompile(`url\(\s*['"]?(.*?)['"]?\s*\)`)
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch {
			case n.Data == "img":
				shown[unescapeURL(attr["src"])] = true
			case n.Data == "meta" && (attr["property"] == "og:image" || attr["name"] == "twitter:image"):
				cards[attr["property"]+attr["name"]+" "+unescapeURL(attr["content"])] = true
			}
			for _, m := range cssURL.FindAllStringSubmatch(attr["style"], -1) {
				shown[unescapeURL(cssUnescape(m[1]))] = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return shown, cards
}

// unescapeURL undoes the percent escapes Hugo's templates add to a URL
// (%27 for a quote, %20 for a space), so that it compares with the
// front matter's.
func unescapeURL(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// cssUnescape undoes the escapes html/template writes in a CSS string
// (\27 for a quote, \26 for an ampersand, each ending in a space or not).
func cssUnescape(s string) string {
	return regexp.MustCompile(`\\([0-9a-fA-F]{1,6}) ?`).ReplaceAllStringFunc(s, func(m string) string {
		var r rune
		fmt.Sscanf(strings.TrimSpace(m[1:]), "%x", &r)
		return string(r)
	})
}

// TestThemesShowImages builds sites with the real PaperMod, Ananke and
// Stack (../shared/themes, at the releases that build with Debian's Hugo
// 0.111) from feed2md -theme NAME, in both body modes: each item's image
// is shown on its page and on the home page (and the section list where
// the theme shows images there), and the social cards carry it. Without
// -theme, PaperMod and Ananke show no image: the flag is what does it.
func TestThemesShowImages(t *testing.T) {
	hugo := hugoBin(t)
	themes := sharedThemes(t)
	feedFile := filepath.Join(t.TempDir(), "pictures.xml")
	if err := os.WriteFile(feedFile, []byte(themeFeed), 0o644); err != nil {
		t.Fatal(err)
	}
	type want struct {
		single, home, section bool // where the theme shows the image
		cards                 []string
	}
	themeWants := map[string]want{
		"papermod": {single: true, home: true, section: true, cards: []string{"og:image", "twitter:image"}},
		// Ananke shows images in the home page's recent posts; its
		// section lists print summaries only. Its cards are Hugo's own.
		"ananke": {single: true, home: true, cards: []string{"og:image"}},
		"stack":  {single: true, home: true, section: true, cards: []string{"og:image", "twitter:image"}},
	}
	cases := []struct {
		theme, body string
		flag        bool
	}{
		{"papermod", convert.BodyHTML, true},
		{"papermod", convert.BodyMarkdown, true},
		{"ananke", convert.BodyHTML, true},
		{"ananke", convert.BodyMarkdown, true},
		{"stack", convert.BodyHTML, true},
		{"stack", convert.BodyMarkdown, true},
		{"papermod", convert.BodyHTML, false},
		{"ananke", convert.BodyHTML, false},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s %s -theme=%t", c.theme, c.body, c.flag)
		t.Run(name, func(t *testing.T) {
			site := t.TempDir()
			feedtest.WriteFiles(t, site, map[string]string{"hugo.toml": themeConfig(c.theme, themes) +
				"[markup.goldmark.renderer]\n  unsafe = true\n"})
			posts := filepath.Join(site, "content", "posts")
			args := []string{"-q", "-no-cache", "-body", c.body, "-o", posts}
			if c.flag {
				args = append(args, "-theme", c.theme)
			}
			args = append(args, feedFile)
			var stdout, stderr bytes.Buffer
			if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("feed2md exit %d: %s", code, stderr.String())
			}
			buildSite(t, hugo, site)
			images := map[string]string{ // slug: the image URL Hugo must print
				"plain-picture": "https://img.test/photos/plain.jpg",
				"odd-picture":   readImage(t, filepath.Join(posts, "odd-picture.md")),
				"glob-picture":  `https://img.test/a[b{c\d.png`,
			}
			if !strings.Contains(images["odd-picture"], "'") || !strings.Contains(images["odd-picture"], "&") {
				t.Fatalf("the odd URL lost its quote or ampersand: %q", images["odd-picture"])
			}
			w := themeWants[c.theme]
			home, _ := pageImages(t, readPage(t, site, "index.html"))
			section, _ := pageImages(t, readPage(t, site, "posts/index.html"))
			for slug, img := range images {
				shown, cards := pageImages(t, readPage(t, site, "posts/"+slug+"/index.html"))
				expect := c.flag || c.theme == "stack"
				if shown[img] != (w.single && expect) {
					t.Errorf("/posts/%s/ shows %q: %t, want %t (images shown: %v)", slug, img, shown[img], w.single && expect, keys(shown))
				}
				if c.flag {
					for _, card := range w.cards {
						if !cards[card+" "+img] {
							t.Errorf("/posts/%s/: no %s for %q: %v", slug, card, img, keys(cards))
						}
					}
				}
				if home[img] != (w.home && expect) {
					// Ananke's home page shows the three newest posts: those.
					t.Errorf("the home page shows %q: %t, want %t (%v)", img, home[img], w.home && expect, keys(home))
				}
				if section[img] != (w.section && expect) {
					t.Errorf("/posts/ shows %q: %t, want %t (%v)", img, section[img], w.section && expect, keys(section))
				}
			}
			// The item without an image shows none of the others' (Stack
			// shows related posts, with their images, under a page).
			shown, _ := pageImages(t, readPage(t, site, "posts/no-picture/index.html"))
			for _, img := range images {
				if shown[img] && c.theme != "stack" {
					t.Errorf("/posts/no-picture/ shows %q", img)
				}
			}
		})
	}
}

// TestThemesShowDownloadedImages: with -images download, each theme finds
// the file saved in the item's bundle and shows it from there.
func TestThemesShowDownloadedImages(t *testing.T) {
	hugo := hugoBin(t)
	themes := sharedThemes(t)
	var pic bytes.Buffer
	png.Encode(&pic, image.NewGray(image.Rect(0, 0, 2, 2)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(pic.Bytes()) }))
	defer srv.Close()
	feedFile := filepath.Join(t.TempDir(), "pictures.xml")
	feed := strings.Replace(themeFeed, "https://img.test/photos/plain.jpg", srv.URL+"/photos/plain.png", 1)
	feed = strings.Replace(feed, "https://img.test/it's [odd].png?w=1&amp;h=2", srv.URL+"/odd.png", 1)
	if err := os.WriteFile(feedFile, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, theme := range frontmatter.Themes() {
		t.Run(theme, func(t *testing.T) {
			site := t.TempDir()
			feedtest.WriteFiles(t, site, map[string]string{"hugo.toml": themeConfig(theme, themes)})
			posts := filepath.Join(site, "content", "posts")
			var stdout, stderr bytes.Buffer
			args := []string{"-q", "-no-cache", "-body", "markdown", "-images", "download", "-theme", theme, "-o", posts, feedFile}
			if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("feed2md exit %d: %s", code, stderr.String())
			}
			name := readImage(t, filepath.Join(posts, "plain-picture", "index.md"))
			if strings.Contains(name, "/") {
				t.Fatalf("image %q: want the bundle's file name", name)
			}
			buildSite(t, hugo, site)
			shown, _ := pageImages(t, readPage(t, site, "posts/plain-picture/index.html"))
			found := false
			for src := range shown {
				// Stack serves a resized copy: plain_hu….png.
				base := strings.TrimSuffix(name, filepath.Ext(name))
				found = found || strings.Contains(src, "/posts/plain-picture/"+base)
			}
			if !found {
				t.Errorf("the page does not show the bundle's %s: %v", name, keys(shown))
			}
		})
	}
}

// themeConfig is a site's hugo.toml for a theme in themesDir. Stack lists
// on its home page the sections of params.mainSections, which its own
// configuration sets to post: a site whose posts are under content/posts
// names that section.
func themeConfig(theme, themesDir string) string {
	config := fmt.Sprintf("baseURL = 'https://example.org/'\ntitle = 'Test'\nbuildFuture = true\ntheme = '%s'\nthemesDir = %q\n", theme, themesDir)
	if theme == "stack" {
		config += "[params]\n  mainSections = ['posts']\n"
	}
	return config
}

// buildSite runs hugo on site, failing the test with its output.
func buildSite(t *testing.T, hugo, site string) {
	t.Helper()
	cmd := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public"), "--cacheDir", filepath.Join(site, ".cache"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo failed: %v\n%s", err, out)
	}
}

func readPage(t *testing.T, site, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(site, "public", rel))
	if err != nil {
		t.Fatalf("page not built: %v", err)
	}
	return data
}

// readImage returns the image key of a written file, read as YAML.
func readImage(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
	var fm struct{ Image string }
	if !ok || !strings.HasPrefix(string(data), "---\n") {
		t.Fatalf("%s: no front matter", path)
	}
	if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fm.Image
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

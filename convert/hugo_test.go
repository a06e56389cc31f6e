package convert

import (
	"feed2md/convert/body"
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestHugoWarning(t *testing.T) {
	cases := []struct {
		name, file, text string
		warn             bool
	}{
		{"stock toml", "hugo.toml", "title = 'x'\n", true},
		{"unsafe toml table", "hugo.toml", "[markup.goldmark.renderer]\nunsafe = true\n", false},
		{"unsafe toml dotted", "config.toml", "markup.goldmark.renderer.unsafe = true\n", false},
		{"unsafe false", "hugo.toml", "[markup.goldmark.renderer]\nunsafe = false\n", true},
		{"unsafe yaml", "hugo.yaml", "markup:\n  goldmark:\n    renderer:\n      unsafe: true\n", false},
		{"stock json", "config.json", `{"title": "x"}`, true},
		{"unsafe json", "hugo.json", `{"markup": {"goldmark": {"renderer": {"unsafe": true}}}}`, false},
		{"config dir markup file", "config/_default/markup.toml", "[goldmark.renderer]\nunsafe = true\n", false},
		{"config dir hugo file", "config/_default/hugo.toml", "title = 'x'\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := t.TempDir()
			p := filepath.Join(site, c.file)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(site, "content", "posts")
			w := frontmatter.FindSite(out).HugoWarning(true)
			if (w != "") != c.warn {
				t.Errorf("warning %q, want one: %v", w, c.warn)
			}
			if c.warn && !strings.Contains(w, "-body markdown") {
				t.Errorf("warning does not suggest -body markdown: %q", w)
			}
			if frontmatter.FindSite(out).HugoWarning(false) != "" {
				t.Error("warned for Markdown bodies")
			}
		})
	}
	if w := frontmatter.FindSite(t.TempDir()).HugoWarning(true); w != "" {
		t.Errorf("warned outside a site: %q", w)
	}
}

// hugoBin finds hugo, skipping the test loudly when it is missing; in CI
// (CI=true) a missing hugo fails the test instead.
func hugoBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hugo is missing in CI: .ci/run must install Debian's hugo")
		}
		t.Skip("SKIPPED: hugo is not installed (apt-get install hugo); the Hugo tests run in CI")
	}
	return p
}

// hugoPages writes each body as the tool writes it in a body mode into a
// Hugo site (unsafe = true for HTML bodies, stock for Markdown), builds
// it with the real hugo, and returns what Hugo made of each body (the
// page's .Content), in order. Mode "" writes the bodies as they are,
// under unsafe = true: what the tool must not do.
//
// The pages of a list of bodies in a mode are built once per test binary
// (builtPages): the browser test and TestHugoRendersHostileBodies render
// the same sites.
func hugoPages(t *testing.T, bodies []string, mode string) []string {
	t.Helper()
	hugo := hugoBin(t)
	key := mode + "\x00" + strings.Join(bodies, "\x00")
	builtPages.Lock()
	defer builtPages.Unlock()
	if pages, ok := builtPages.m[key]; ok {
		return slices.Clone(pages)
	}
	pages := buildHugoPages(t, hugo, bodies, mode)
	builtPages.m[key] = pages
	return slices.Clone(pages)
}

// builtPages holds what hugoPages returned, by mode and bodies.
var builtPages = struct {
	sync.Mutex
	m map[string][]string
}{m: map[string][]string{}}

// writtenBodies returns each body as the tool writes it in mode
// (BodyHTML or BodyMarkdown), against bodytest.Base.
func writtenBodies(t *testing.T, bodies []string, mode string) []string {
	t.Helper()
	m := body.NewMaker(mode == BodyMarkdown, false, 1)
	out := make([]string, len(bodies))
	for i, b := range bodies {
		var err error
		if out[i], _, err = m.Make(&gofeed.Item{Content: b}, bodytest.Base); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// buildHugoPages is hugoPages without the cache.
func buildHugoPages(t *testing.T, hugo string, bodies []string, mode string) []string {
	t.Helper()
	site := t.TempDir()
	config := "baseURL = 'https://example.org/'\ntitle = 'Test'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n"
	if mode != BodyMarkdown {
		config += "[markup.goldmark.renderer]\n  unsafe = true\n"
	}
	files := map[string]string{
		"hugo.toml":                    config,
		"layouts/_default/single.html": "<main>{{ .Content }}</main>",
		"layouts/_default/list.html":   "list",
		"layouts/index.html":           "home",
	}
	texts := bodies // mode "": as they are
	if mode != "" {
		texts = writtenBodies(t, bodies, mode)
	}
	for i, b := range texts {
		files[fmt.Sprintf("content/posts/v%d.md", i)] = fmt.Sprintf("---\ntitle: 'v%d'\ndraft: false\n---\n%s\n", i, b)
	}
	feedtest.WriteFiles(t, site, files)
	out, err := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public")).CombinedOutput()
	if err != nil {
		t.Fatalf("hugo failed: %v\n%s", err, out)
	}
	pages := make([]string, len(bodies))
	for i := range bodies {
		data, err := os.ReadFile(filepath.Join(site, "public", "posts", fmt.Sprintf("v%d", i), "index.html"))
		if err != nil {
			t.Fatalf("body %d (%.100q) made no page: %v", i, bodies[i], err)
		}
		page := strings.TrimSpace(string(data))
		if !strings.HasPrefix(page, "<main>") || !strings.HasSuffix(page, "</main>") {
			t.Fatalf("body %d: page %.200q", i, page)
		}
		pages[i] = page[len("<main>") : len(page)-len("</main>")]
	}
	return pages
}

// TestHugoRendersHostileBodies builds Hugo sites from the hostile vectors
// and the render checks, in both body modes: no page holds live script,
// and every page shows the text it should (TestRenderHTMLBodies and
// TestRenderMarkdownBodies do the same with Goldmark alone).
func TestHugoRendersHostileBodies(t *testing.T) {
	t.Parallel() // see TestMain
	bodies := bodytest.TestdataBodies(t)
	for _, mode := range []string{BodyHTML, BodyMarkdown} {
		pages := hugoPages(t, bodies, mode)
		written := writtenBodies(t, bodies, mode)
		md := bodytest.HugoMarkdown(mode != BodyMarkdown)
		for i, page := range pages {
			if found := bodytest.LiveScript(t, page); len(found) > 0 {
				t.Errorf("%s: body %.200q\nrendered %.300q\nholds %v", mode, bodies[i], page, found)
			}
			// What Goldmark set up as Hugo sets it up shows of the body as
			// written: body's TestRenderHTMLBodies and
			// TestRenderMarkdownBodies check that it is the sanitized text,
			// so the real Hugo must show the same.
			want := bodytest.VisibleText(t, bodytest.HugoRender(t, md, written[i]))
			got := bodytest.VisibleText(t, page)
			if mode == BodyMarkdown {
				got, want = bodytest.Untypographed(got), bodytest.Untypographed(want)
			}
			if got != want {
				t.Errorf("%s: body %.200q\n got text %.200q\nwant text %.200q", mode, bodies[i], got, want)
			}
		}
	}
}

package convert

import (
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// themeSiteItems is how many items the theme sites' feed has: few, so
// that the six sites' pages load in seconds; each body carries several
// vectors instead.
const themeSiteItems = 12

// heldOutBodies are body vectors written for this test, held out from
// the vectors the sanitizer was written against (testdata/hostile): most
// try to break out of the markup a theme puts around the body, or to
// reach what a theme does with a page (its table of contents, its code
// copy buttons, its image galleries).
var heldOutBodies = []string{
	`</div></article></main><script>alert(1)</script>`,
	`</p></section></div><img src=x onerror=alert(1)>`,
	`<a href="jav&#x09;ascript:alert(1)">tab</a>`,
	`<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
	`<form><button formaction="javascript:alert(1)">go</button></form>`,
	`<input autofocus onfocus=alert(1)>`,
	`<video><source onerror=alert(1)></video>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
	`{{< figure src="x" caption="<img src=x onerror=alert(1)>" >}}`,
	`[click](javascript:alert(1)) and ![x](x" onerror="alert(1))`,
	`<h2 id="TableOfContents" onmouseover=alert(1)>Heading</h2><h3 id="x&quot; onmouseover=&quot;alert(1)">Sub</h3>`,
	`<pre><code class="language-html" onmouseover=alert(1)>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>`,
	`<figure><a href="javascript:alert(1)"><img src="https://x/a.png" alt="' onerror='alert(1)"></a><figcaption onclick=alert(1)>c</figcaption></figure>`,
}

// readSummaryVectors reads testdata/summary-vectors.txt: item
// descriptions as the feed's HTML whose text is script vectors as
// escaped text, Markdown syntax, character references and shortcodes
// (its second half held out), one a line; lines starting with // are
// comments. The command's TestHugoThemeSummaries reads the same file.
func readSummaryVectors(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "summary-vectors.txt"))
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

// hostileTitles are item titles as the feed's text: markup, escaped
// markup, Markdown, attribute breakers. Themes print titles in headings,
// in title attributes, in share links and in JSON-LD.
var hostileTitles = []string{
	`<img src=x onerror=alert(1)>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`"><svg onload=alert(1)>`,
	`javascript:alert(1)`,
	`[x](javascript:alert(1))`,
	`' onmouseover='alert(1)' x='`,
	`</title></script><script>alert(1)</script>`,
	"{{< x >}} *em* __strong__ \u2028 \u202e",
}

// hostileCategories are the items' categories, each item carrying two:
// markup (whose text is empty), escaped markup, script URLs, paths that
// climb, Markdown and shortcode syntax. With TagsBoth they become tags,
// whose pages the themes list.
var hostileCategories = []string{
	`<img src=x onerror=alert(1)>`,
	`&lt;img src=x onerror=alert(1)&gt;`,
	`javascript:alert(1)`,
	`..`,
	`a/../../b`,
	`"><script>alert(1)</script>`,
	`[x](javascript:alert(1))`,
	`' onmouseover='alert(1)`,
	`{{< x >}}`,
	`C# &amp; Go`,
}

// hostileImages are the items' image URLs (an enclosure or a
// media:content), which -theme writes into the theme's image keys: script
// URLs, which no key may carry, and http(s) URLs that try to break out of
// an attribute, a CSS url() or a JSON-LD string.
var hostileImages = []string{
	`javascript:alert(1)`,
	`https://x/"onerror="alert(1)`,
	`https://x/a.png'onerror='alert(1)`,
	`https://x/a.png');background:url(javascript:alert(1)`,
	`https://x/a.png?<script>alert(1)</script>`,
	`data:image/svg+xml,<svg onload=alert(1)>`,
	`//x/a.png" onerror="alert(1)`,
	`https://x/a[b].png?x=1&y=2#"><img src=x onerror=alert(1)>`,
}

// vectorBreak goes between the vectors of one body: it ends whatever
// raw-text element or comment a vector left open, so that the next
// vector is read as markup.
const vectorBreak = "\n<!-- --></textarea></title></style></xmp></noembed></noframes></noscript></iframe></select></template><hr>\n"

// themeSiteFeed is an RSS feed of themeSiteItems items that carry every
// vector of bodies (in turn, several to a body), of texts (in
// descriptions, each followed by one of bodies as markup), of
// hostileTitles, hostileCategories and hostileImages.
func themeSiteFeed(bodies, texts []string) string {
	xmlText := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Vectors</title><link>https://old.example/</link>
`)
	day := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	for i := range themeSiteItems {
		title := fmt.Sprintf("Vectors item %d", i)
		if i < len(hostileTitles) {
			title = hostileTitles[i]
		}
		var body []string
		for j := i; j < len(bodies); j += themeSiteItems {
			body = append(body, bodies[j])
		}
		// Text vectors, then a body vector as markup.
		var desc []string
		for j := i; j < len(texts); j += themeSiteItems {
			desc = append(desc, texts[j])
		}
		desc = append(desc, bodies[(i*7)%len(bodies)])
		fmt.Fprintf(&b, "<item><title>%s</title><link>https://old.example/post/%d/</link><guid>v%d</guid><pubDate>%s</pubDate>",
			xmlText.Replace(title), i, i, day.Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z))
		for _, c := range []string{hostileCategories[i%len(hostileCategories)], hostileCategories[(i+5)%len(hostileCategories)]} {
			b.WriteString("<category>" + xmlText.Replace(c) + "</category>")
		}
		img := html.EscapeString(hostileImages[(i/3)%len(hostileImages)])
		switch i % 3 {
		case 0:
			b.WriteString(`<enclosure url="` + img + `" type="image/png" length="1"/>`)
		case 1:
			b.WriteString(`<media:content url="` + img + `" medium="image"/>`)
		}
		b.WriteString("<description>" + xmlText.Replace(strings.Join(desc, " ")) + "</description>")
		b.WriteString("<content:encoded>" + xmlText.Replace(strings.Join(body, vectorBreak)) + "</content:encoded></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// themeSiteRuns counts the runs of TestThemeSitesRunNoScript in this
// test binary.
var themeSiteRuns atomic.Int64

// themeSite is a site built with a real theme, and the pages its public/
// holds, by the path a browser asks for.
type themeSite struct {
	theme, mode string
	dir         string // the site
	public      string
	pages       []string          // "/", "/posts/slug/", "/404.html"…, sorted
	files       map[string]string // the file of public/ of each page and canary, slash-separated
	canaries    []string          // pages written into public/ after the build, with live script
	aliases     int               // Hugo's redirect pages among pages, checked but not loaded
}

// TestThemeSitesRunNoScript builds real sites with PaperMod, Ananke and
// Stack (../shared/themes, read-only), in both body modes, under
// unsafe = true, from a feed whose bodies, descriptions, titles,
// categories and images are script vectors (held-out ones included),
// with -theme and -tags both. Every page of each site (items, home,
// section and pagination lists, tag and category pages, the taxonomies'
// lists, 404) is served with the trap script first in its head, beside
// the theme's own CSS and JS, and loaded in headless Chromium: none may
// run script or open a dialog. Two pages written into each public/ after
// the build, an item page with a live <img onerror> and one with a
// javascript: link, must be caught: the trap works on whole pages.
func TestThemeSitesRunNoScript(t *testing.T) {
	t.Parallel() // see TestMain
	if testing.Short() {
		t.Skip("SKIPPED: -short: the theme sites' browser test builds six sites and loads their pages")
	}
	hugo := hugoBin(t)
	chromium(t)
	themes, err := filepath.Abs(filepath.Join("..", "..", "shared", "themes"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, th := range frontmatter.Themes() {
		if _, err := os.Stat(filepath.Join(themes, th, "layouts")); err != nil {
			feedtest.SkipPart(t, "theme %s: %v (../shared/themes beside the clone holds the themes)", th, err)
			continue
		}
		names = append(names, th)
	}
	if len(names) == 0 {
		t.Skipf("SKIPPED: no theme in %s: this test needs ../shared/themes beside the clone", themes)
	}
	feed := themeSiteFeed(append(bodytest.HostileVectors(t), heldOutBodies...), readSummaryVectors(t))

	var sites []*themeSite
	for _, th := range names {
		for _, mode := range []string{BodyHTML, BodyMarkdown} {
			// The test's folder, not a subtest's: the pages are loaded
			// once every site is built.
			sites = append(sites, &themeSite{theme: th, mode: mode, dir: t.TempDir()})
		}
	}
	start := time.Now()
	// One after the other: Hugo uses every core, and parallel subtests
	// would wait for the slots of the package's other parallel tests.
	for _, s := range sites {
		t.Run("build "+s.theme+"/"+s.mode, func(t *testing.T) {
			buildThemeSite(t, hugo, themes, feed, s)
		})
	}
	if t.Failed() {
		return
	}
	built := time.Since(start)

	// Every page of every site, each site on its own server.
	type load struct {
		site *themeSite
		path string
		url  string
	}
	var loads []load
	var keys []string
	run := themeSiteRuns.Add(1)
	shown := 0 // pages that show a vector (as text, or sanitized)
	for _, s := range sites {
		srv := httptest.NewServer(trapServer(s.public))
		defer srv.Close()
		for _, p := range append(append([]string(nil), s.pages...), s.canaries...) {
			data, err := os.ReadFile(filepath.Join(s.public, filepath.FromSlash(s.files[p])))
			if err != nil {
				t.Fatal(err)
			}
			if to, ok := aliasTarget(data); ok {
				// Hugo's redirect from page 1 of a list to the list: a
				// browser would leave it at once, and it holds no feed
				// content, only the list's URL, which must be the list's.
				if list := "https://example.org/" + strings.TrimSuffix(s.files[p], "page/1/index.html"); to != list {
					t.Errorf("%s/%s: %s redirects to %q, not to its list %q", s.theme, s.mode, p, to, list)
				}
				s.aliases++
				continue
			}
			if _, ok := withTrap(data); !ok {
				t.Fatalf("%s/%s: %s has no <head> for the trap", s.theme, s.mode, p)
			}
			loads = append(loads, load{s, p, srv.URL + p})
			// What decides a verdict: the page's path (relative URLs) and
			// its HTML. The same page of the two body modes loads once;
			// each run of the test (-count=2) loads its pages afresh.
			keys = append(keys, fmt.Sprintf("theme page %d\x00%s\x00%s\x00%s", run, s.theme, p, data))
			if !slices.Contains(s.canaries, p) && strings.Contains(string(data), "alert(1)") {
				shown++
			}
		}
	}
	// Each item page shows its vectors, and so do the lists and term
	// pages that show items' titles or summaries: a test whose pages
	// showed none would prove nothing.
	if shown < len(sites)*(themeSiteItems+3) {
		t.Errorf("only %d of %d pages show a vector", shown, len(loads))
	}
	ran := verdictsFor(t, keys, func(i int) string { return loads[i].url })
	for _, s := range sites {
		var offenders []string
		pages, caught := 0, 0
		for i, l := range loads {
			if l.site != s {
				continue
			}
			if slices.Contains(s.canaries, l.path) {
				if ran[i] {
					caught++
				} else {
					t.Errorf("%s/%s: the trap missed the live script of %s: it cannot be trusted", s.theme, s.mode, l.path)
				}
				continue
			}
			pages++
			if ran[i] {
				offenders = append(offenders, l.path)
			}
		}
		if len(offenders) > 0 {
			t.Errorf("%s/%s: %d of %d pages ran script: %s", s.theme, s.mode, len(offenders), pages, strings.Join(offenders, " "))
		}
		t.Logf("%s/%s: %d pages loaded, none may run script (and %d redirects checked); %d of %d planted pages caught",
			s.theme, s.mode, pages, s.aliases, caught, len(s.canaries))
	}
	t.Logf("%d sites built in %v, %d pages in all (%d show a vector) in %v",
		len(sites), built.Round(time.Millisecond), len(loads), shown, time.Since(start).Round(time.Millisecond))
}

// buildThemeSite converts feed into a new site of s's theme and body
// mode, builds it with hugo, checks what the build wrote, and fills in
// s: its public/, its pages, and the planted pages.
func buildThemeSite(t *testing.T, hugo, themes, feed string, s *themeSite) {
	site := s.dir
	config := fmt.Sprintf("baseURL = 'https://example.org/'\ntitle = 'Vectors'\ntheme = %q\nthemesDir = %q\n", s.theme, themes) +
		"buildFuture = true\npaginate = 5\n" +
		"[taxonomies]\n  tag = 'tags'\n  category = 'categories'\n" +
		"[markup.goldmark.renderer]\n  unsafe = true\n" +
		// Stack lists the sections of mainSections; PaperMod prints the
		// title in share links, a table of contents, breadcrumbs.
		"[params]\n  mainSections = ['posts']\n  ShowShareButtons = true\n  ShowToc = true\n  ShowBreadCrumbs = true\n" +
		"  ShowPostNavLinks = true\n  ShowReadingTime = true\n  ShowCodeCopyButtons = true\n"
	feedtest.WriteFiles(t, site, map[string]string{"hugo.toml": config})
	posts := filepath.Join(site, "content", "posts")
	res := convertBytes(t, posts, feed, func(o *Options) {
		o.Body = s.mode
		o.Theme = s.theme
		o.Tags = TagsBoth
		o.MaxTags = 2 // two categories, else words of the title: few tag pages
	})
	if res.Err != nil || len(res.Errors) > 0 || res.New != themeSiteItems {
		t.Fatalf("%d of %d items written: %v %v", res.New, themeSiteItems, res.Err, res.Errors)
	}
	s.public = filepath.Join(site, "public")
	cmd := exec.Command(hugo, "--source", site, "--destination", s.public, "--cacheDir", filepath.Join(site, ".cache"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo failed: %v\n%s", err, out)
	}
	// Nothing beside public/ but what Hugo keeps for itself, and in
	// content/ only the folder feed2md wrote to.
	if entries, err := os.ReadDir(filepath.Join(site, "content")); err != nil || len(entries) != 1 {
		t.Errorf("content/ holds %v (%v), not posts/ alone", entries, err)
	}
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "hugo.toml", "content", "public", "resources", ".cache", ".hugo_build.lock":
		default:
			t.Errorf("hugo wrote %s beside public/", e.Name())
		}
	}
	tops := map[string]bool{}
	s.files = map[string]string{}
	err = filepath.WalkDir(s.public, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(s.public, p)
		rel = filepath.ToSlash(rel)
		tops[strings.SplitN(rel, "/", 2)[0]] = true
		if strings.HasSuffix(rel, ".html") {
			s.pages = append(s.pages, pagePath(rel))
			s.files[pagePath(rel)] = rel
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(s.pages)
	// public/ holds the site's own folders (the theme's assets among
	// them) and the taxonomies; a term climbing out of tags/ would show
	// up here as a folder of its own.
	for top := range tops {
		if !strings.Contains(top, ".") && !map[string]bool{"posts": true, "tags": true, "categories": true, "page": true,
			"assets": true, "ananke": true, "images": true, "scss": true, "ts": true, "img": true}[top] {
			t.Errorf("public/%s: a folder a site of the theme does not make", top)
		}
	}
	// Every item has its page, every term written its page where Hugo
	// puts it, and the taxonomies their lists.
	want := map[string]bool{"index.html": true, "posts/index.html": true, "tags/index.html": true, "categories/index.html": true}
	for name, data := range readDir(t, posts) {
		m := themeFrontMatter(t, data, s.theme)
		want["posts/"+fmt.Sprint(m["slug"])+"/index.html"] = true
		for _, tax := range []string{"tags", "categories"} {
			list, _ := m[tax].([]any)
			if tax == "tags" && len(list) == 0 {
				t.Errorf("%s has no tags", name)
			}
			for _, v := range list {
				want[tax+"/"+frontmatter.HugoTermPath(fmt.Sprint(v))+"/index.html"] = true
			}
		}
	}
	// The hostile categories among them: as text, climbing, with '#'.
	for _, term := range []string{"img-srcx-onerroralert1", "a-..-..-b", "c#-go", "javascriptalert1"} {
		if !want["tags/"+term+"/index.html"] {
			t.Errorf("no tag %q written", term)
		}
	}
	for rel := range want {
		if _, err := os.Stat(filepath.Join(s.public, filepath.FromSlash(rel))); err != nil {
			t.Errorf("no page public/%s", rel)
		}
	}
	if t.Failed() {
		return
	}
	// The planted pages: an item page with live script in its main
	// content, which the trap must catch.
	item, err := os.ReadFile(filepath.Join(s.public, "posts", fmt.Sprint(firstSlug(t, posts, s.theme)), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for name, live := range map[string]string{
		"planted-onerror": `<img src=x onerror=alert(1)>`,
		"planted-link":    `<a href="javascript:alert(1)">x</a>`,
	} {
		i := strings.LastIndex(string(item), "</main>")
		if i < 0 {
			t.Fatalf("the item page has no </main>")
		}
		page := string(item[:i]) + live + string(item[i:])
		feedtest.WriteFiles(t, s.public, map[string]string{name + "/index.html": page})
		s.canaries = append(s.canaries, "/"+name+"/")
		s.files["/"+name+"/"] = name + "/index.html"
	}
}

// firstSlug returns the slug of a file written into posts.
func firstSlug(t *testing.T, posts, theme string) any {
	t.Helper()
	files := readDir(t, posts)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return themeFrontMatter(t, files[names[0]], theme)["slug"]
}

// pagePath is the path a browser asks for the page in file rel of
// public/: a folder's index.html by the folder, each segment escaped.
func pagePath(rel string) string {
	segs := strings.Split(rel, "/")
	if segs[len(segs)-1] == "index.html" {
		segs[len(segs)-1] = ""
	}
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return "/" + strings.Join(segs, "/")
}

// pageFile is the file of public/ (slash-separated) that a path, its
// escapes undone, asks for.
func pageFile(p string) string {
	p = path.Clean("/" + p)[1:]
	if p == "" || !strings.HasSuffix(p, ".html") {
		p = path.Join(p, "index.html")
	}
	return p
}

// hugoAlias is the redirect page Hugo 0.111 writes for an alias (page 1
// of every paginated list), white space aside.
var hugoAlias = regexp.MustCompile(`^<!DOCTYPE html>\s*<html lang="[a-z-]+">\s*<head>\s*<title>([^<>"]*)</title>\s*` +
	`<link rel="canonical" href="([^<>"]*)">\s*<meta name="robots" content="noindex">\s*<meta charset="utf-8">\s*` +
	`<meta http-equiv="refresh" content="0; url=([^<>"]*)">\s*</head>\s*</html>\s*$`)

// aliasTarget returns the URL a page of Hugo's alias template redirects
// to, and whether the page is exactly that template.
func aliasTarget(page []byte) (string, bool) {
	m := hugoAlias.FindSubmatch(page)
	if m == nil || string(m[1]) != string(m[2]) || string(m[2]) != string(m[3]) {
		return "", false
	}
	return html.UnescapeString(string(m[1])), true
}

// themeTrap is the trap of a whole page: trapScript, and a clipboard
// that accepts every write. Headless Chromium refuses the page's writes
// to the clipboard, and Stack's code copy button, which __fire clicks,
// tells its reader so with alert().
const themeTrap = trapScript + `<script>
if (navigator.clipboard) navigator.clipboard.writeText = function () { return Promise.resolve(); };
</script>`

// headTag finds a page's <head> start tag.
var headTag = regexp.MustCompile(`(?i)<head(\s[^>]*)?>`)

// withTrap returns a page with themeTrap first in its head, and whether
// it found the head.
func withTrap(page []byte) ([]byte, bool) {
	loc := headTag.FindIndex(page)
	if loc == nil {
		return nil, false
	}
	out := make([]byte, 0, len(page)+len(themeTrap))
	out = append(out, page[:loc[1]]...)
	out = append(out, themeTrap...)
	return append(out, page[loc[1]:]...), true
}

// trapServer serves public/ as a web server serves a site, each HTML page
// with themeTrap first in its head.
func trapServer(public string) http.Handler {
	files := http.FileServer(http.Dir(public))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/") && !strings.HasSuffix(r.URL.Path, ".html") {
			files.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(pageFile(r.URL.Path))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		page, ok := withTrap(data)
		if !ok {
			http.Error(w, "no <head>", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
}

package convert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"feed2md/convert/images"
	"feed2md/templates"

	"go.yaml.in/yaml/v3"
)

func TestAliasFor(t *testing.T) {
	const site = "https://blog.example.com/"
	cases := []struct{ link, want string }{
		{"https://blog.example.com/2019/01/post.html", "/2019/01/post.html"},
		{"https://www.blog.example.com/2019/01/post/", "/2019/01/post/"},
		{"http://BLOG.example.com/a?p=1#top", "/a"},
		{"https://blog.example.com/a/../../b/./c", "/b/c"},
		{"https://blog.example.com/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd"},
		{"https://blog.example.com/caf%C3%A9 au lait", "/caf%C3%A9%20au%20lait"},
		{"https://blog.example.com/a%5cb", ""},
		{"https://blog.example.com/", ""},
		{"https://blog.example.com", ""},
		{"https://other.example.com/2019/01/post.html", ""},
		// Paths that clash with the index files Hugo writes for the home
		// page and every section: the build would stop.
		{"https://blog.example.com/posts/index.html/x", ""},
		{"https://blog.example.com/index.xml", ""},
		{"https://blog.example.com/posts/INDEX.XML/", ""},
		{"https://blog.example.com/posts/index.json", ""},
		{"https://blog.example.com/index.html", ""},
		{"https://blog.example.com/2019/05/post/index.html", "/2019/05/post/index.html"},
		{"https://blog.example.com/2019/05/index.htm", "/2019/05/index.htm"},
		{"https://blog.example.com/indexes/x", "/indexes/x"},
		{"", ""},
	}
	for _, c := range cases {
		if got := frontmatter.AliasFor(c.link, site); got != c.want {
			t.Errorf("aliasFor(%q) = %q, want %q", c.link, got, c.want)
		}
	}
}

func TestFeedTags(t *testing.T) {
	got := frontmatter.FeedTags([]string{" Travel ", "Go &amp; <b>Hugo</b>", "travel", "", "  ", "Photos", "More"}, 3)
	if want := []string{"travel", "go & hugo", "photos"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FeedTags = %q, want %q", got, want)
	}
	if got := frontmatter.FeedTags([]string{"a"}, 0); got != nil {
		t.Errorf("FeedTags with max 0 = %q", got)
	}
	// A category is a Hugo folder name: at most 100 bytes, cut between runes.
	long := strings.Repeat("é", 80) // 160 bytes
	if got := frontmatter.FeedTags([]string{long}, 3); len(got) != 1 || got[0] != strings.Repeat("é", 50) {
		t.Errorf("FeedTags of a 160-byte category = %q", got)
	}
}

// TestDefaultLayoutAliases: the fast renderer writes aliases exactly as
// the embedded template does, after tags, and a YAML parser reads them
// back; without aliases there is no key.
func TestDefaultLayoutAliases(t *testing.T) {
	tmpl, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	for _, aliases := range [][]string{nil, {"/2019/01/it's.html"}, {"/a/", "/b\u2028"}} {
		fm := frontmatter.FrontMatter{Title: "T", Date: "2026-01-02", Tags: []string{"t"}, Aliases: aliases}
		want, err := frontmatter.Render(tmpl, &fm, "<p>b</p>")
		if err != nil {
			t.Fatal(err)
		}
		got := frontmatter.RenderDefault(nil, &fm, "<p>b</p>")
		if !bytes.Equal(got, want) {
			t.Fatalf("renderDefault wrote\n%s\nthe template\n%s", got, want)
		}
		block := got[4 : bytes.Index(got, []byte("\n---\n"))+1]
		var m struct {
			Tags    []string `yaml:"tags"`
			Aliases []string `yaml:"aliases"`
		}
		if err := yaml.Unmarshal(block, &m); err != nil {
			t.Fatalf("%v\n%s", err, block)
		}
		if !reflect.DeepEqual(m.Aliases, aliases) {
			t.Errorf("aliases read back %q, want %q", m.Aliases, aliases)
		}
		if len(aliases) > 0 && !bytes.Contains(got, []byte("- 't'\naliases:\n")) {
			t.Errorf("aliases not right after tags:\n%s", got)
		}
	}
}

// TestImagesFailedRetried: an image that fails keeps its URL, is counted
// and reported, does not fail the item, and keeps the next run from
// skipping the feed as unchanged, so that the image is tried again.
func TestImagesFailedRetried(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if broken.Load() {
			http.NotFound(w, r)
			return
		}
		img := image.NewGray(image.Rect(0, 0, 2, 2))
		png.Encode(w, img)
	}))
	defer srv.Close()
	feed := `<rss version="2.0"><channel><title>b</title><link>https://blog.example/</link>
<item><title>A post</title><link>https://blog.example/a</link><guid>a</guid>
<description><![CDATA[<p><img src="` + srv.URL + `/pic.png"></p>]]></description></item></channel></rss>`
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	out, cache := t.TempDir(), t.TempDir()
	run := func() *Result {
		t.Helper()
		return convertSource(t, context.Background(), out, path, func(o *Options) {
			o.Images, o.CacheDir, o.Retries = ImagesDownload, cache, -1
		})
	}
	res := run()
	if res.Failed() || res.New != 1 || res.ImagesSaved != 0 || res.ImagesFailed != 1 || len(res.ImageErrors) != 1 {
		t.Fatalf("first run: failed %v, new %d, saved %d, failed images %d, errors %v", res.Failed(), res.New, res.ImagesSaved, res.ImagesFailed, res.ImageErrors)
	}
	var ie *images.Error
	var he *fetch.HTTPError
	if !errors.As(res.ImageErrors[0], &ie) || ie.URL != srv.URL+"/pic.png" || ie.Item != "https://blog.example/a" || !errors.As(ie, &he) || he.StatusCode != 404 {
		t.Errorf("image error %#v", res.ImageErrors[0])
	}
	data, err := os.ReadFile(filepath.Join(out, "a-post", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	m, body := frontmattertest.FrontMatter(t, data)
	if m["image"] != srv.URL+"/pic.png" || !strings.Contains(body, `<img src="`+srv.URL+`/pic.png">`) {
		t.Errorf("the failed image's URL is not kept:\n%s", data)
	}

	broken.Store(false)
	res = run()
	if res.SameBytes || res.ImagesSaved != 1 || res.ImagesFailed != 0 || res.Updated != 1 {
		t.Fatalf("second run: same bytes %v, saved %d, failed %d, updated %d", res.SameBytes, res.ImagesSaved, res.ImagesFailed, res.Updated)
	}
	data, err = os.ReadFile(filepath.Join(out, "a-post", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	m, body = frontmattertest.FrontMatter(t, data)
	if m["image"] != "pic.png" || !strings.Contains(body, `<img src="pic.png">`) {
		t.Errorf("the image is not referred to relatively:\n%s", data)
	}
	before := requests.Load()
	res = run()
	if !res.SameBytes || requests.Load() != before {
		t.Errorf("third run: same bytes %v, %d more requests", res.SameBytes, requests.Load()-before)
	}
}

// TestFeedDataEachFormat: -tags feed and the template data from RSS, Atom
// and JSON Feed alike, read back with a YAML parser.
func TestFeedDataEachFormat(t *testing.T) {
	tmpl, err := frontmatter.ParseTemplate(fstest.MapFS{"t.tmpl": {Data: []byte(`---
title: {{dq .Title}}
tags:{{range .Tags}}
- {{sq .}}{{end}}
cats:{{range .ItemCategories}}
- {{dq .}}{{end}}
authors:{{range .Authors}}
- {{dq .}}{{end}}
files:{{range .Enclosures}}
- {url: {{sq .URL}}, type: {{sq .Type}}, length: {{.Length}}}{{end}}
updated: {{if .Updated.IsZero}}none{{else}}{{.Updated.UTC.Format "2006-01-02T15:04:05Z07:00"}}{{end}}
---
`)}}, "t.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	type data struct {
		Title   string
		Tags    []string
		Cats    []string
		Authors []string
		Files   []struct {
			URL    string
			Type   string
			Length int64
		}
		Updated string
	}
	feeds := map[string]string{
		"rss": `<rss version="2.0"><channel><title>f</title><link>https://s.example/</link><item><title>It's "one"</title><link>https://s.example/1</link>
<category>Go</category><category> News&amp;Views </category><category>go</category><author>x@s.example (Ann)</author>
<enclosure url="/a.mp3" type="audio/mpeg" length="12"/><enclosure url="javascript:alert(1)" type="x" length="-3"/></item></channel></rss>`,
		"atom": `<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title><link href="https://s.example/"/><id>f</id><entry><title>It's "one"</title><id>1</id>
<link href="https://s.example/1"/><updated>2026-01-02T03:04:05+01:00</updated><author><name>Ann</name></author>
<category term="go" label="Go"/><category term=" News&amp;Views "/><category term="go"/>
<link rel="enclosure" href="https://s.example/a.mp3" type="audio/mpeg" length="12"/></entry></feed>`,
		"json": `{"version":"https://jsonfeed.org/version/1.1","title":"f","home_page_url":"https://s.example/","items":[{"id":"1","url":"https://s.example/1",
"title":"It's \"one\"","tags":["Go"," News&Views ","go"],"authors":[{"name":"Ann"}],"date_modified":"2026-01-02T02:04:05Z",
"attachments":[{"url":"https://s.example/a.mp3","mime_type":"audio/mpeg","size_in_bytes":12}]}]}`,
	}
	for name, feed := range feeds {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			res := convertBytes(t, dir, feed, func(o *Options) { o.Template, o.Tags = tmpl, TagsFeed })
			if res.Failed() || len(res.Changes) != 1 {
				t.Fatalf("%v %v", res.Err, res.Errors)
			}
			raw, err := os.ReadFile(res.Changes[0].Path)
			if err != nil {
				t.Fatal(err)
			}
			var got data
			if err := yaml.Unmarshal(bytes.TrimSuffix(bytes.TrimPrefix(raw, []byte("---\n")), []byte("---\n")), &got); err != nil {
				t.Fatalf("%v\n%s", err, raw)
			}
			if got.Title != `It's "one"` || strings.Join(got.Tags, "|") != "go|news&views" ||
				strings.Join(got.Cats, "|") != "Go|News&Views|go" || strings.Join(got.Authors, "|") != "Ann" ||
				len(got.Files) != 1 || got.Files[0].URL != "https://s.example/a.mp3" || got.Files[0].Type != "audio/mpeg" || got.Files[0].Length != 12 {
				t.Errorf("read back %+v from\n%s", got, raw)
			}
			if want := map[string]string{"rss": "none", "atom": "2026-01-02T02:04:05Z", "json": "2026-01-02T02:04:05Z"}[name]; got.Updated != want {
				t.Errorf("updated %q, want %q", got.Updated, want)
			}
		})
	}
}

// TestImagesPolite: downloads overlap, but never more than two at once
// from one host, each with the feeds' User-Agent; an image several items
// show is requested once.
func TestImagesPolite(t *testing.T) {
	var mu sync.Mutex
	inflight, most, total := map[string]int{}, map[string]int{}, 0
	badAgent := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.Split(r.Host, ":")[0]
		mu.Lock()
		total++
		if r.UserAgent() != "feed2md-test/1" {
			badAgent++
		}
		inflight[host]++
		most[host] = max(most[host], inflight[host])
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		png.Encode(w, image.NewGray(image.Rect(0, 0, 1, 1)))
		mu.Lock()
		inflight[host]--
		mu.Unlock()
	}))
	defer srv.Close()
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	var feed strings.Builder
	feed.WriteString(`<rss version="2.0"><channel><title>b</title><link>https://blog.example/</link>`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&feed, `<item><title>Post %d</title><link>https://blog.example/%d</link><description><![CDATA[`+
			`<img src="%s/a%d.png"><img src="%s/b%d.png"><img src="%s/logo.png">]]></description></item>`, i, i, srv.URL, i, other, i, srv.URL)
	}
	feed.WriteString(`</channel></rss>`)
	dir := t.TempDir()
	res := convertBytes(t, dir, feed.String(), func(o *Options) { o.Images, o.UserAgent = ImagesDownload, "feed2md-test/1" })
	if res.Failed() || res.New != 8 || res.ImagesSaved != 24 || res.ImagesFailed != 0 {
		t.Fatalf("new %d, saved %d, failed %d: %v %v", res.New, res.ImagesSaved, res.ImagesFailed, res.Errors, res.ImageErrors)
	}
	if total != 17 {
		t.Errorf("%d requests for 16 images and a logo shown 8 times", total)
	}
	if badAgent != 0 {
		t.Errorf("%d requests without the User-Agent", badAgent)
	}
	for _, h := range []string{"127.0.0.1", "localhost"} {
		if most[h] != fetch.PerHost {
			t.Errorf("at most %d requests at once to %s, want %d (no more, and overlapping)", most[h], h, fetch.PerHost)
		}
	}
	for i := 0; i < 8; i++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("post-%d", i), "logo.png")); err != nil {
			t.Error(err)
		}
	}
}

// TestImageMemoryHostile: a damaged or hostile memory file never makes a
// file be read or written outside its bundle.
func TestImageMemoryHostile(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.png")
	var pic bytes.Buffer
	png.Encode(&pic, image.NewGray(image.Rect(0, 0, 1, 1)))
	if err := os.WriteFile(secret, pic.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var requests int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Write(pic.Bytes())
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, outside)
	memory := fmt.Sprintf(`{%q: {"secret.png": %q}, "post": {"../../escape.png": %q, ".hidden.png": %q}}`,
		rel, srv.URL+"/pic.png", srv.URL+"/pic.png", srv.URL+"/pic.png")
	if err := os.WriteFile(filepath.Join(dir, folder.ImagesFile), []byte(memory), 0o644); err != nil {
		t.Fatal(err)
	}
	feed := `<rss version="2.0"><channel><title>b</title><item><title>Post</title><link>https://blog.example/p</link>
<description><![CDATA[<img src="` + srv.URL + `/pic.png">]]></description></item></channel></rss>`
	res := convertBytes(t, dir, feed, func(o *Options) { o.Images = ImagesDownload })
	if res.ImagesSaved != 1 || requests != 1 {
		t.Errorf("saved %d with %d requests: the hostile memory was used", res.ImagesSaved, requests)
	}
	if _, err := os.Stat(filepath.Join(dir, "post", "pic.png")); err != nil {
		t.Error(err)
	}
	var files []string
	filepath.WalkDir(filepath.Dir(dir), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, strings.TrimPrefix(p, filepath.Dir(dir)))
		}
		return nil
	})
	if strings.Join(files, " ") != "/out/.feed2md-ids.json /out/.feed2md-images.json /out/.feed2md.lock /out/post/index.md /out/post/pic.png" {
		t.Errorf("files: %v", files)
	}
	if entries, err := os.ReadDir(outside); err != nil || len(entries) != 1 {
		t.Errorf("the folder outside holds %v (%v)", entries, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, folder.ImagesFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"post\": {\n    \"pic.png\": \"" + srv.URL + "/pic.png\"\n  }\n}\n"; string(data) != want {
		t.Errorf("memory after the run:\n%s\nwant\n%s", data, want)
	}
}

// FuzzAliasesLayout: whatever an alias holds, the fast renderer and the
// embedded template write the same bytes, and a YAML parser reads the
// aliases back exactly. The aliases come from frontmatter.AliasFor on a fuzzed link.
func FuzzAliasesLayout(f *testing.F) {
	f.Add("https://blog.example/2019/01/it's.html", "x")
	f.Add("https://blog.example/a%0Ab/%E2%80%A8/", "")
	f.Add("https://www.blog.example/..%2f..%2f/'\"/", "#")
	tmpl, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, link, extra string) {
		a := frontmatter.AliasFor(link, "https://blog.example/")
		if a != "" && (!strings.HasPrefix(a, "/") || strings.Contains(a, "/../") || strings.HasSuffix(a, "/..") || strings.ContainsAny(a, "?#\\\n")) {
			t.Fatalf("aliasFor(%q) = %q", link, a)
		}
		fm := frontmatter.FrontMatter{Title: "T", Date: "2026-01-02", Tags: []string{"t"}}
		if a != "" {
			// Invalid UTF-8 is written as U+FFFD (frontmatter quotes it so): not an alias's case.
			fm.Aliases = []string{a, strings.ToValidUTF8(extra, "\uFFFD")}
		}
		want, err := frontmatter.Render(tmpl, &fm, "")
		if err != nil {
			t.Fatal(err)
		}
		got := frontmatter.RenderDefault(nil, &fm, "")
		if !bytes.Equal(got, want) {
			t.Fatalf("renderDefault wrote\n%q\nthe template\n%q", got, want)
		}
		var m struct {
			Aliases []string `yaml:"aliases"`
		}
		if err := yaml.Unmarshal(got[4:len(got)-4], &m); err != nil {
			t.Fatalf("%v\n%s", err, got)
		}
		if !reflect.DeepEqual(m.Aliases, fm.Aliases) {
			t.Fatalf("aliases read back %q, want %q", m.Aliases, fm.Aliases)
		}
	})
}

// Real photos are far larger than the first bytes a feed is judged by:
// an image of several hundred KB, and one over the in-memory limit of a
// feed, are saved whole, byte for byte.
func TestLargeImagesSavedWhole(t *testing.T) {
	withMemMax(t, 64<<10)
	noise := func(w, h int) []byte {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		x := uint32(w) // a small LCG: noise, which PNG cannot compress
		for i := range img.Pix {
			x = x*1664525 + 1013904223
			img.Pix[i] = byte(x >> 24)
		}
		var b bytes.Buffer
		png.Encode(&b, img)
		return b.Bytes()
	}
	small, big := noise(300, 300), noise(700, 700)
	if len(small) < 200<<10 || len(big) <= 64<<10*8 {
		t.Fatalf("test images too small: %d and %d bytes", len(small), len(big))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		if r.URL.Path == "/big.png" {
			w.Write(big)
			return
		}
		w.Write(small)
	}))
	defer srv.Close()
	feed := `<rss version="2.0"><channel><title>b</title><link>https://blog.example/</link>
<item><title>A post</title><link>https://blog.example/a</link><guid>a</guid>
<description><![CDATA[<p><img src="` + srv.URL + `/photo.png"><img src="` + srv.URL + `/big.png"></p>]]></description></item></channel></rss>`
	out := t.TempDir()
	res := convertBytes(t, out, feed, func(o *Options) { o.Images = ImagesDownload })
	if res.Failed() || res.ImagesSaved != 2 || res.ImagesFailed != 0 {
		t.Fatalf("saved %d, failed %d, errors %v %v", res.ImagesSaved, res.ImagesFailed, res.ImageErrors, res.Errors)
	}
	for name, want := range map[string][]byte{"photo.png": small, "big.png": big} {
		got, err := os.ReadFile(filepath.Join(out, "a-post", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, want %d (%v)", name, len(got), len(want), err)
		}
	}
}

// An image many posts show that fails costs one request in a run, not
// one a post; each post still counts it as failed and keeps its URL.
func TestFailedSharedImageRequestedOnce(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	var feed strings.Builder
	feed.WriteString(`<rss version="2.0"><channel><title>b</title><link>https://blog.example/</link>`)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&feed, `<item><title>Post %d</title><link>https://blog.example/%d</link><description><![CDATA[<p><img src="%s/logo.png"></p>]]></description></item>`, i, i, srv.URL)
	}
	feed.WriteString(`</channel></rss>`)
	res := convertBytes(t, t.TempDir(), feed.String(), func(o *Options) { o.Images, o.Retries = ImagesDownload, -1 })
	if res.Failed() || res.New != 40 || res.ImagesFailed != 40 {
		t.Fatalf("new %d, failed images %d: %v", res.New, res.ImagesFailed, res.Errors)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests for one failing image", n)
	}
}

// TestImageErrorsNameTheirCause: an image over MaxImageSize is reported
// as an image with its cap, naming -max-image-size (not the feed's
// -max-size); one whose bytes are no raster image says what the bytes
// read as and, apart, what the server declared.
func TestImageErrorsNameTheirCause(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big.png":
			w.Write(append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 1000)...)) // over the cap of 100 B
		case "/page.png":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, "<html><body>Not found</body></html>")
		case "/untyped.png":
			w.Header()["Content-Type"] = nil // no type, nor a sniffed one
			w.Write([]byte("plain words here"))
		}
	}))
	defer srv.Close()
	feed := `<rss version="2.0"><channel><title>b</title><link>https://blog.example/</link>
<item><title>A post</title><link>https://blog.example/a</link><guid>a</guid>
<description><![CDATA[<p><img src="` + srv.URL + `/big.png"><img src="` + srv.URL + `/page.png"><img src="` + srv.URL + `/untyped.png"></p>]]></description></item></channel></rss>`
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	res := convertSource(t, context.Background(), t.TempDir(), path, func(o *Options) {
		o.Images, o.MaxImageSize, o.Retries = ImagesDownload, 100, -1
	})
	if res.New != 1 || res.ImagesFailed != 3 || len(res.ImageErrors) != 3 {
		t.Fatalf("new %d, failed images %d, errors %v", res.New, res.ImagesFailed, res.ImageErrors)
	}
	want := map[string]string{
		"/big.png":     "image is larger than the 100 B limit: raise -max-image-size to download it (its URL is kept)",
		"/page.png":    "not a raster image: its bytes read as text/html; charset=utf-8 (the server declared image/png) (its URL is kept)",
		"/untyped.png": "not a raster image: its bytes read as text/plain; charset=utf-8 (the server declared no type) (its URL is kept)",
	}
	for _, err := range res.ImageErrors {
		var ie *images.Error
		if !errors.As(err, &ie) {
			t.Fatalf("%v is no images.Error", err)
		}
		path := strings.TrimPrefix(ie.URL, srv.URL)
		if w := fmt.Sprintf("image %s of https://blog.example/a: %s", ie.URL, want[path]); err.Error() != w {
			t.Errorf("%s:\n got %s\nwant %s", path, err, w)
		}
		var tl *fetch.TooLargeError
		if errors.As(err, &tl) != (path == "/big.png") || tl != nil && (tl.Flag() != "-max-image-size" || tl.Limit != 100) {
			t.Errorf("%s: TooLargeError %+v", path, tl)
		}
	}
}

// FuzzImageName holds the file-name rule to its promises whatever the URL:
// never a path separator, never "..", never hidden or empty, a bounded
// length, the extension asked for, and unique within the bundle.
func FuzzImageName(f *testing.F) {
	f.Add("https://example.com/a/photo.jpg", ".jpg", "photo.jpg")
	f.Add("https://example.com/%2e%2e/%2F..%5C.png", ".png", "")
	f.Add("../../etc/passwd", ".gif", "image.gif,image-2.gif")
	f.Add("https://example.com/.git", ".webp", ".git")
	f.Add("\x00/\\..", "../x", "index.md")
	f.Fuzz(func(t *testing.T, u, ext, pre string) {
		taken := map[string]bool{}
		for _, n := range strings.Split(pre, ",") {
			taken[n] = true
		}
		for i := 0; i < 5; i++ {
			name := body.ImageName(u, ext, func(n string) bool { return taken[n] })
			if name == "" || strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") ||
				strings.HasPrefix(name, ".") || filepath.Base(name) != name || !folder.SafeImageName(name) {
				t.Fatalf("ImageName(%q, %q) = %q: not a plain file name", u, ext, name)
			}
			if len(name) > 60+len("-99999")+len(".webp") /* ImageName keeps 60 bytes of the stem */ || !utf8.ValidString(name) {
				t.Fatalf("ImageName(%q, %q) = %q: too long or not UTF-8", u, ext, name)
			}
			if taken[name] {
				t.Fatalf("ImageName(%q, %q) = %q: already taken", u, ext, name)
			}
			want := strings.ToLower(ext)
			if !slices.Contains(slices.Collect(maps.Values(body.RasterTypes)), want) {
				want = ".img"
			}
			if !strings.HasSuffix(name, want) || strings.HasPrefix(name, "index.") {
				t.Fatalf("ImageName(%q, %q) = %q: wrong extension, or a page name", u, ext, name)
			}
			taken[name] = true
		}
	})
}

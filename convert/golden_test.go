package convert

import (
	"bytes"
	"context"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenCase is a feed in testdata and the folder of its expected files.
type goldenCase struct {
	feed   string // file in ../testdata
	golden string // folder in ../testdata/golden
	edit   func(*Options)
	custom bool   // a user template: not FORMAT.md's layout
	theme  string // -theme: FORMAT.md's layout and the theme's keys (theme_test.go)
}

var goldenCases = []goldenCase{
	// The expected file is a copy of spec/seed-000_f37bf80e3caf8071.md,
	// never regenerated: -update skips it.
	{feed: "foxnews-latest.xml", golden: "foxnews"},
	// bodies.xml was written for these tests; its expected files were
	// checked by hand: absolute links, the language of the code block, the
	// table, the escaped shortcodes, the script and handler gone.
	{feed: "bodies.xml", golden: "bodies-html"},
	{feed: "bodies.xml", golden: "bodies-markdown", edit: markdownBodies},
	{feed: "bodies.xml", golden: "bodies-raw", edit: func(o *Options) { o.Raw = true }},
	// Real feeds, cut to a few items from ../shared/corpus.
	{feed: "russcox.atom", golden: "russcox-markdown", edit: markdownBodies},
	{feed: "daringfireball.atom", golden: "daringfireball-markdown", edit: markdownBodies},
	{feed: "botframework.xml", golden: "botframework-markdown", edit: markdownBodies},
	{feed: "botframework.xml", golden: "botframework-html"},
	// Options that change the layout, on the hand-checked feeds.
	{feed: "foxnews-latest.xml", golden: "foxnews-bundle", edit: func(o *Options) { o.Bundle = true }},
	{feed: "russcox.atom", golden: "russcox-template", edit: customTemplate, custom: true},
	{feed: "foxnews-latest.xml", golden: "foxnews-rfc3339", edit: func(o *Options) { o.DateFormat = time.RFC3339 }},
	{feed: "foxnews-latest.xml", golden: "foxnews-tokyo", edit: func(o *Options) {
		o.DateFormat = "2006-01-02 15:04:05 -0700" // Hugo reads it (not 15:04 MST)
		o.Location, _ = time.LoadLocation("Asia/Tokyo")
	}},
	// -theme: the keys each theme reads for the image, on a feed where two
	// items of three have one (checked by hand against the themes'
	// templates in ../shared/themes).
	{feed: "botframework.xml", golden: "botframework-papermod", edit: func(o *Options) { o.Theme = "papermod" }, theme: "papermod"},
	{feed: "botframework.xml", golden: "botframework-ananke", edit: func(o *Options) { o.Theme = "ananke" }, theme: "ananke"},
	{feed: "botframework.xml", golden: "botframework-stack", edit: func(o *Options) { o.Theme = "stack" }, theme: "stack"},
}

// customTemplate uses testdata/templates/custom.tmpl, which reads every
// field a template gets.
func customTemplate(o *Options) {
	t, err := frontmatter.ParseTemplate(os.DirFS(filepath.Join("..", "testdata", "templates")), "custom.tmpl")
	if err != nil {
		panic(err)
	}
	o.Template = t
}

func markdownBodies(o *Options) { o.Body = BodyMarkdown }

// TestGolden converts each testdata feed and compares every file written
// with its golden copy byte for byte; a second run must change nothing.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases {
		t.Run(gc.golden, func(t *testing.T) {
			out := t.TempDir()
			feed := filepath.Join("..", "testdata", gc.feed)
			res := convertSource(t, context.Background(), out, feed, gc.edit)
			if res.Failed() {
				t.Fatalf("convert failed: %v %v", res.Err, res.Errors)
			}
			got := readDir(t, out)
			dir := filepath.Join("..", "testdata", "golden", gc.golden)
			if *update && gc.golden != "foxnews" {
				os.RemoveAll(dir)
				for name, data := range got {
					p := filepath.Join(dir, name)
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			want := readDir(t, dir)
			if len(want) == 0 {
				t.Fatalf("no golden files in %s", dir)
			}
			for name, w := range want {
				g, ok := got[name]
				if !ok {
					t.Errorf("%s not written", name)
					continue
				}
				if !bytes.Equal(g, w) {
					t.Errorf("%s differs from its golden file:\n%s", name, lineDiff(string(w), string(g)))
				}
				switch {
				case gc.theme != "":
					themeFrontMatter(t, g, gc.theme)
				case !gc.custom:
					frontmattertest.FrontMatter(t, g)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s written but not in %s", name, dir)
				}
			}
			// A re-run finds every file unchanged.
			res2 := convertSource(t, context.Background(), out, feed, gc.edit)
			if res2.New != 0 || res2.Updated != 0 || res2.Unchanged != len(want) {
				t.Errorf("re-run: %d new, %d updated, %d unchanged; want 0, 0, %d", res2.New, res2.Updated, res2.Unchanged, len(want))
			}
		})
	}
}

// TestSeedFromSpec converts the spec's own copy of the feed, so that the
// project's testdata copy cannot drift from the contract.
func TestSeedFromSpec(t *testing.T) {
	shared := corpustest.SharedDir(t)
	feed, err := os.ReadFile(filepath.Join(shared, "spec", "foxnews-latest.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(shared, "spec", "seed-000_f37bf80e3caf8071.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res := convertBytes(t, out, string(feed), nil)
	if res.Failed() || res.New != 1 {
		t.Fatalf("result %+v", res)
	}
	got, err := os.ReadFile(filepath.Join(out, "witkoff-and-kushner-scheduled-to-meet-putin-in-moscow.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("seed differs:\n%s", lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			if shown++; shown == 5 {
				break
			}
		}
	}
	return b.String()
}

// TestMarkdownBodiesHaveNoRawHTML renders every Markdown golden body with
// goldmark in Hugo's stock configuration (raw HTML off): nothing may be
// replaced by "raw HTML omitted", so a stock Hugo site loses no content.
func TestMarkdownBodiesHaveNoRawHTML(t *testing.T) {
	n := 0
	for _, gc := range goldenCases {
		if !strings.HasSuffix(gc.golden, "-markdown") {
			continue
		}
		for name, data := range readDir(t, filepath.Join("..", "testdata", "golden", gc.golden)) {
			_, body := frontmattertest.FrontMatter(t, data)
			var buf bytes.Buffer
			if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(body), &buf); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(buf.String(), "raw HTML omitted") {
				t.Errorf("%s/%s: stock Hugo would omit raw HTML:\n%s", gc.golden, name, buf.String())
			}
			n++
		}
	}
	if n < 5 {
		t.Fatalf("only %d Markdown golden files", n)
	}
}

package convert

import (
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// rawValue returns a key's value as written in the front matter.
func rawValue(t *testing.T, data []byte, key string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + key + `: (.*)$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no %s key in\n%s", key, data)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(append([]byte("v: "), m[1]...), &node); err != nil {
		t.Fatal(err)
	}
	return node.Content[0].Content[1].Value
}

// TestCheckFlagText: categories and a source from the user are quoted
// like the feed's text and read back exactly, however they are spelled;
// what quoting cannot keep (control characters, bad UTF-8, a category
// too long for a folder name, a source that is no URL) is refused.
func TestCheckFlagText(t *testing.T) {
	cats := []string{`World: "politics" #1`, `it's`, `- dash`, `{x}`, `[y]`, `a\b`, "日本語"}
	source := `https://example.org/feed?q=a:%20b&x='y'#frag`
	o := &Options{Categories: cats, Source: source}
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	convertBytes(t, out, rss(item{title: "A", link: "https://e.test/a"}), func(o *Options) { o.Categories, o.Source = cats, source })
	m, _ := frontmattertest.FrontMatter(t, readDir(t, out)["a.md"])
	// A backslash is a path separator to Hugo on Windows: FORMAT.md's term
	// rule makes it '-' (TestTerm).
	want := append([]string(nil), cats...)
	want[5] = "a-b"
	if fmt.Sprint(m["categories"]) != fmt.Sprint(want) || m["source"] != source {
		t.Errorf("read back categories %q source %q", m["categories"], m["source"])
	}
	for name, o := range map[string]*Options{
		"control character": {Categories: []string{"a\x07b"}},
		"line break":        {Categories: []string{"a\nb"}},
		"bad UTF-8":         {Categories: []string{"a\xffb"}},
		"blank":             {Categories: []string{"  "}},
		"too long":          {Categories: []string{strings.Repeat("é", 51)}},
		"source not a URL":  {Source: "not a url"},
		"source ftp":        {Source: "ftp://example.org/feed"},
		"source control":    {Source: "https://example.org/\x00"},
	} {
		if err := o.Check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestCheckDateLayout: every good layout passes, and items written with it
// read back as YAML with the date as written, one Hugo parses to the
// item's day; every bad one is refused with a message naming it.
func TestCheckDateLayout(t *testing.T) {
	feed := rss(
		item{title: "Evening", link: "https://e.test/1", date: "Wed, 21 Jan 2026 23:45:09 -0500"},
		item{title: "Morning", link: "https://e.test/2", date: "Fri, 06 Feb 2026 01:02:03 +0530"},
	)
	days := map[string]string{"evening.md": "2026-01-21", "morning.md": "2026-02-06"}
	for _, layout := range frontmattertest.GoodLayouts {
		t.Run(layout, func(t *testing.T) {
			if err := (&Options{DateFormat: layout}).Check(); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			res := convertBytes(t, out, feed, func(o *Options) { o.DateFormat = layout })
			if res.New != 2 {
				t.Fatalf("%+v", res)
			}
			for name, data := range readDir(t, out) {
				frontmattertest.FrontMatter(t, data) // valid YAML, FORMAT.md's keys
				raw := rawValue(t, data, "date")
				got, ok := frontmatter.HugoParseDate(raw)
				if !ok || got.Format("2006-01-02") != days[name] {
					t.Errorf("%s: date %q reads as %v, want the day %s", name, raw, got, days[name])
				}
			}
		})
	}
	for _, layout := range frontmattertest.BadLayouts {
		t.Run(layout, func(t *testing.T) {
			err := (&Options{DateFormat: layout}).Check()
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", layout)) {
				t.Fatalf("Check: %v, want an error naming %q", err, layout)
			}
			if _, err := New(Options{DateFormat: layout, Template: newTestConverter(t, t.TempDir(), nil).opts.Template}); err == nil {
				t.Error("New accepted it")
			}
		})
	}
	// The default layout stays unquoted, as in the seed.
	out := t.TempDir()
	convertBytes(t, out, feed, nil)
	if !strings.Contains(string(readDir(t, out)["evening.md"]), "\ndate: 2026-01-21\n") {
		t.Error("the default date is not written as the seed writes it")
	}
	// With a zone, the samples are taken in it: a named zone is fine where
	// Hugo reads it with RFC 1123.
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	if err := (&Options{DateFormat: time.RFC1123, Location: tokyo}).Check(); err != nil {
		t.Error(err)
	}
}

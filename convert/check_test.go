package convert

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// Layouts Hugo reads back to the written day, and layouts it does not:
// checked against Hugo 0.111 itself by TestHugoReadsDatesAsChecked.
var (
	goodLayouts = []string{
		time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05", "02 Jan 2006", time.RFC1123Z,
		time.RFC1123, time.RFC822Z, time.ANSIC, "2006-01-02T15:04:05.000Z07:00",
	}
	badLayouts = []string{
		"2006: 01", "2006-01-02 #x", "2006-01-02 # comment", "2006/01/02", "20060102", "Jan 2, 2006",
		"15:04", "2006-01-02t15:04:05Z07:00", "2006-1-2", "2006-01-02 15:04 MST", "[2006-01-02]",
		"'2006-01-02'", "2006-01-02 15:04:05.999 -0700 -0700", "yesterday", "Monday", time.UnixDate,
	}
)

// TestCheckDateLayout: every good layout passes, and items written with it
// read back as YAML with the date as written, one Hugo parses to the
// item's day; every bad one is refused with a message naming it.
func TestCheckDateLayout(t *testing.T) {
	feed := rss(
		item{title: "Evening", link: "https://e.test/1", date: "Wed, 21 Jan 2026 23:45:09 -0500"},
		item{title: "Morning", link: "https://e.test/2", date: "Fri, 06 Feb 2026 01:02:03 +0530"},
	)
	days := map[string]string{"evening.md": "2026-01-21", "morning.md": "2026-02-06"}
	for _, layout := range goodLayouts {
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
				frontMatter(t, data) // valid YAML, FORMAT.md's keys
				raw := rawValue(t, data, "date")
				got, ok := hugoParseDate(raw)
				if !ok || got.Format("2006-01-02") != days[name] {
					t.Errorf("%s: date %q reads as %v, want the day %s", name, raw, got, days[name])
				}
			}
		})
	}
	for _, layout := range badLayouts {
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
	m, _ := frontMatter(t, readDir(t, out)["a.md"])
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

// TestHugoReadsDatesAsChecked builds a real Hugo site whose pages carry
// the dates every good and bad layout writes, and holds hugoParseDate (the
// check's model of Hugo) to what Hugo itself shows.
func TestHugoReadsDatesAsChecked(t *testing.T) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hugo is missing in CI: .ci/run must install Debian's hugo")
		}
		t.Skip("SKIPPED: hugo is not installed (apt-get install hugo); this test runs in CI")
	}
	site := t.TempDir()
	files := map[string]string{
		"hugo.toml":                    "baseURL = 'https://example.org/'\ntitle = 'T'\n",
		"layouts/_default/single.html": `{{ .Date.Format "2006-01-02" }}`,
		"layouts/_default/list.html":   `{{ range .Pages }}{{ end }}`,
	}
	type page struct{ written, day string }
	var pages []page
	for _, layout := range append(append([]string{}, goodLayouts...), badLayouts...) {
		for _, tm := range dateSamples {
			s := tm.Format(layout)
			if plainScalar(s) != nil {
				continue // not even YAML: Hugo fails the whole build
			}
			n := len(pages)
			pages = append(pages, page{s, tm.Format("2006-01-02")})
			files[fmt.Sprintf("content/p/%d.md", n)] = "---\ntitle: \"p\"\ndate: " + s + "\n---\n"
		}
	}
	writeFiles(t, site, files)
	if out, err := exec.Command(hugo, "--source", site).CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	read := 0
	for i, p := range pages {
		if _, ok := hugoParseDate(p.written); ok {
			read++
		}
		shown, err := os.ReadFile(filepath.Join(site, "public", "p", fmt.Sprint(i), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := hugoParseDate(p.written)
		want := "0001-01-01"
		if ok {
			want = got.Format("2006-01-02")
		}
		if strings.TrimSpace(string(shown)) != want {
			t.Errorf("date: %s: Hugo shows %s, the check expects %s", p.written, shown, want)
		}
		if (strings.TrimSpace(string(shown)) == p.day) != (checkDateLayoutOn(p.written, p.day)) {
			t.Errorf("date: %s: Hugo and the check disagree on whether it is the day %s", p.written, p.day)
		}
	}
	if read < 20 || len(pages)-read < 10 {
		t.Errorf("%d dates Hugo reads, %d it does not: too few of either to tell", read, len(pages)-read)
	}
}

// checkDateLayoutOn reports whether the check takes written for day.
func checkDateLayoutOn(written, day string) bool {
	got, ok := hugoParseDate(written)
	return ok && got.Format("2006-01-02") == day
}

// FuzzDateLayout: a layout the check accepts writes, for any date of two
// centuries in any offset, one plain YAML scalar that Hugo's layouts read
// back to the same day: the samples stand for every date.
func FuzzDateLayout(f *testing.F) {
	for _, l := range goodLayouts {
		f.Add(l, int64(1769035509), int32(-5*3600))
	}
	for _, l := range badLayouts {
		f.Add(l, int64(0), int32(0))
	}
	f.Fuzz(func(t *testing.T, layout string, sec int64, offset int32) {
		if checkDateLayout(layout, nil) != nil {
			return
		}
		const span = 230 * 365 * 86400 // 1970 to about 2200
		if sec %= span; sec < 0 {
			sec += span
		}
		off := int(offset) % (14 * 3600) / 60 * 60
		tm := time.Unix(sec, 0).In(time.FixedZone("", off))
		s := tm.Format(layout)
		if err := plainScalar(s); err != nil {
			t.Fatalf("layout %q writes %q for %v: %v", layout, s, tm, err)
		}
		if got, ok := hugoParseDate(s); !ok || got.Format("2006-01-02") != tm.Format("2006-01-02") {
			t.Fatalf("layout %q writes %q for %v, read back as %v (%t)", layout, s, tm, got, ok)
		}
	})
}

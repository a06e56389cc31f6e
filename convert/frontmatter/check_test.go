package frontmatter

import (
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzDateLayout: a layout the check accepts writes, for any date of two
// centuries in any offset, one plain YAML scalar that Hugo's layouts read
// back to the same day: the samples stand for every date.
func FuzzDateLayout(f *testing.F) {
	for _, l := range frontmattertest.GoodLayouts {
		f.Add(l, int64(1769035509), int32(-5*3600))
	}
	for _, l := range frontmattertest.BadLayouts {
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
		if got, ok := HugoParseDate(s); !ok || got.Format("2006-01-02") != tm.Format("2006-01-02") {
			t.Fatalf("layout %q writes %q for %v, read back as %v (%t)", layout, s, tm, got, ok)
		}
	})
}

// checkDateLayoutOn reports whether the check takes written for day.
func checkDateLayoutOn(written, day string) bool {
	got, ok := HugoParseDate(written)
	return ok && got.Format("2006-01-02") == day
}

// TestHugoReadsDatesAsChecked builds a real Hugo site whose pages carry
// the dates every good and bad layout writes, and holds HugoParseDate (the
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
	for _, layout := range append(append([]string{}, frontmattertest.GoodLayouts...), frontmattertest.BadLayouts...) {
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
	feedtest.WriteFiles(t, site, files)
	if out, err := exec.Command(hugo, "--source", site).CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	read := 0
	for i, p := range pages {
		if _, ok := HugoParseDate(p.written); ok {
			read++
		}
		shown, err := os.ReadFile(filepath.Join(site, "public", "p", fmt.Sprint(i), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := HugoParseDate(p.written)
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

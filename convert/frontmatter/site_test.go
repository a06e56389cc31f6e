package frontmatter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindSite: the nearest folder with a configuration is the site, its
// files are read once for all three questions (a file removed after the
// first answer still answers the others), and a folder in no site gets
// the answers for none.
func TestFindSite(t *testing.T) {
	root := t.TempDir()
	outer := filepath.Join(root, "outer")
	site := filepath.Join(outer, "site")
	posts := filepath.Join(site, "content", "posts")
	if err := os.MkdirAll(posts, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outer, "hugo.toml"), "timeZone = 'Asia/Tokyo'\ntheme = 'ananke'\n")
	config := filepath.Join(site, "hugo.toml")
	write(config, "timeZone = 'Europe/Paris'\ntheme = 'PaperMod'\n")

	s := FindSite(posts)
	loc, err := s.TimeZone()
	if err != nil || loc == nil || loc.String() != "Europe/Paris" {
		t.Fatalf("TimeZone() = %v, %v; want Europe/Paris, the nearest site's", loc, err)
	}
	if err := os.Remove(config); err != nil {
		t.Fatal(err)
	}
	if n := s.ThemeNotice(""); !strings.Contains(n, "PaperMod") {
		t.Errorf("ThemeNotice after the file was read once = %q, want the PaperMod notice", n)
	}
	if w := s.HugoWarning(true); !strings.Contains(w, posts) || !strings.Contains(w, "hugo.toml") {
		t.Errorf("HugoWarning = %q, want a warning naming %s and hugo.toml", w, posts)
	}
	// A new FindSite sees the site as it is now: the outer one.
	if loc, _ := FindSite(posts).TimeZone(); loc == nil || loc.String() != "Asia/Tokyo" {
		t.Errorf("after the inner config went, TimeZone() = %v, want the outer site's Asia/Tokyo", loc)
	}
	none := FindSite(filepath.Join(root, "elsewhere"))
	if loc, err := none.TimeZone(); loc != nil || err != nil {
		t.Errorf("no site: TimeZone() = %v, %v", loc, err)
	}
	if w := none.HugoWarning(true) + none.ThemeNotice("stack"); w != "" {
		t.Errorf("no site: notices %q", w)
	}
}

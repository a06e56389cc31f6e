package folder

import (
	"errors"
	"feed2md/convert/feed/feedtest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPageMemory: a page's record comes back as it was kept; a damaged
// record, or one of another link, is no memory; a dry run keeps nothing;
// and a PagesDir that is a link is never written through.
func TestPageMemory(t *testing.T) {
	dir := t.TempDir()
	m := &PageMemory{Dir: dir}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p := Page{Link: "https://news.example/a", URL: "https://news.example/a/", At: at, Article: "<p>words</p>"}
	if _, ok := m.Recall(p.Link); ok {
		t.Fatal("a memory before anything was kept")
	}
	if err := m.Keep(p); err != nil {
		t.Fatal(err)
	}
	if got, ok := m.Recall(p.Link); !ok || got != p {
		t.Errorf("Recall = %+v, %t; want %+v", got, ok, p)
	}
	if _, ok := m.Recall("https://news.example/b"); ok {
		t.Error("another link recalled")
	}
	// Another link's record under this link's name (a shared sum, or a
	// file put there): no memory.
	other := Page{Link: "https://news.example/b", At: at, Error: "HTTP 404"}
	if err := m.Keep(other); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(m.path(other.Link), m.path(p.Link)); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Recall(p.Link); ok {
		t.Error("another link's record recalled")
	}
	for _, damaged := range []string{"", "{", `{"link":"https://news.example/a"}`, `{"link":"https://news.example/a","at":"2026-12-01T10:00:00Z"}`,
		`{"link":"https://news.example/a","at":"2026-12-01T10:00:00Z","article":"x","error":"y"}`} {
		if err := os.WriteFile(m.path(p.Link), []byte(damaged), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := m.Recall(p.Link); ok {
			t.Errorf("%q recalled as %+v", damaged, got)
		}
	}

	dry := &PageMemory{Dir: t.TempDir(), DryRun: true}
	if err := dry.Keep(p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dry.Dir, PagesDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run made %s: %v", PagesDir, err)
	}

	linked := t.TempDir()
	elsewhere := t.TempDir()
	feedtest.SymlinkOrSkip(t, elsewhere, filepath.Join(linked, PagesDir))
	var le *LinkError
	if err := (&PageMemory{Dir: linked}).Keep(p); !errors.As(err, &le) {
		t.Errorf("Keep through a linked %s: %v", PagesDir, err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("written through the link: %d entries", len(entries))
	}
}

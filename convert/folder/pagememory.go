package folder

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// PagesDir is the hidden folder of the output folder that remembers, for
// -fulltext, what each item's page gave: its article, or why it gave
// none and when that was. A re-run, with or without the cache, asks for
// no page it has: an article is reused, a failure is tried again only
// once a day. Hugo skips folders whose names start with a dot, so none
// of it is published.
const PagesDir = ".feed2md-pages"

// Page is what one page gave, as PageMemory keeps it.
type Page struct {
	Link    string    `json:"link"`              // the item's link: the page asked for
	URL     string    `json:"url,omitempty"`     // the page's URL after redirects
	At      time.Time `json:"at"`                // when it was asked for
	Article string    `json:"article,omitempty"` // its article (HTML, URLs absolute), when it had one
	Error   string    `json:"error,omitempty"`   // else why it had none
	// Failures is how many times in a row it had none (a record of
	// an earlier release, without it, counts as once).
	Failures int `json:"failures,omitempty"`
}

// PageMemory is PagesDir of one output folder: a file a page, named
// after the sum of its link. It is safe for concurrent use (each page
// is one file, written whole).
type PageMemory struct {
	Dir    string // the output folder
	DryRun bool   // Keep writes nothing
}

// path is the file that remembers link.
func (m *PageMemory) path(link string) string {
	sum := sha256.Sum256([]byte(link))
	return filepath.Join(m.Dir, PagesDir, hex.EncodeToString(sum[:16])+".json")
}

// Recall returns what link's page gave when it was last asked for. A
// file that is missing, damaged, a link, or another page's (a sum shared
// by two links) is no memory: the page is asked for again.
func (m *PageMemory) Recall(link string) (Page, bool) {
	data, err := ReadOwn(m.path(link))
	if err != nil {
		return Page{}, false
	}
	var p Page
	if json.Unmarshal(data, &p) != nil || p.Link != link || p.At.IsZero() || (p.Article == "") == (p.Error == "") {
		return Page{}, false
	}
	return p, true
}

// Forget drops what link's page gave: its item's file is gone. Never in
// a dry run.
func (m *PageMemory) Forget(link string) error {
	if m.DryRun || link == "" {
		return nil
	}
	err := os.Remove(m.path(link))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Keep writes what a page gave over what was remembered of it (never in
// a dry run). The folder must be held (Opener.Open).
func (m *PageMemory) Keep(p Page) error {
	if m.DryRun {
		return nil
	}
	dir := filepath.Join(m.Dir, PagesDir)
	info, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		err = os.Mkdir(dir, 0o755)
		if errors.Is(err, fs.ErrExist) {
			err = nil // made by another writer since
		}
		if err == nil {
			info, err = os.Lstat(dir)
		}
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if !info.IsDir() {
		// Never written through a link: it would write wherever it points.
		return &LinkError{Path: dir, What: "not a folder"}
	}
	data, err := json.Marshal(&p)
	if err != nil {
		return err
	}
	if err := WriteFile(m.path(p.Link), append(data, '\n')); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	return nil
}

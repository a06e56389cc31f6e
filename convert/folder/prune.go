package folder

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Outcomes of Prune.
const (
	PruneRemoved = "removed" // the file was removed (in a dry run: would be)
	PruneChanged = "changed" // kept: its bytes are not those feed2md wrote
	PruneTaken   = "taken"   // kept: an item of this run has it
	PruneMissing = "missing" // nothing to remove: it is gone already
)

// Prune removes the file name (relative to the folder), which feed2md
// wrote for an item that has left its feed, when its bytes still have
// sum, the hex SHA-256 of what was written: a file edited since is never
// removed, nor one an item of this run has claimed (another feed lists
// the item). A bundle's index.md goes with the images listed by images
// (the files of the bundle that feed2md saved) that were not changed after
// the index.md was last written, and then its folder when nothing else is
// in it. In a dry run nothing is removed, and the outcome
// says what would be done. The folder's memory forgets the file's item,
// whose name is free for another. The folder must be held (Opener.Open).
func (s *Store) Prune(name, sum string, images []string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index(); err != nil {
		return "", err
	}
	slug, rest, bundle := strings.Cut(filepath.ToSlash(name), "/")
	if !filepath.IsLocal(name) || (bundle && rest != "index.md") || (!bundle && !strings.HasSuffix(slug, ".md")) {
		// The name comes from the state file, which is not the folder's:
		// only a SLUG.md or SLUG/index.md of the folder is ever removed.
		return "", fmt.Errorf("%q is not the name of a file feed2md writes", name)
	}
	slug = strings.TrimSuffix(slug, ".md")
	i := s.slugRec(slug)
	if i >= 0 && (s.recs[i].flags&recTaken != 0 || s.isOwned(i)) {
		return PruneTaken, nil
	}
	path := filepath.Join(s.dir, filepath.FromSlash(name))
	got, err := sumOwn(path) // never through a link
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return PruneMissing, nil
	case err != nil:
		return "", err
	case hex.EncodeToString(got) != sum:
		return PruneChanged, nil
	case s.dryRun:
		return PruneRemoved, nil
	}
	written, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if err := os.Remove(path); err != nil {
		return "", err
	}
	if bundle {
		dir := filepath.Join(s.dir, slug)
		for _, img := range images {
			// Saved before its index.md was last written: an image
			// changed since (replaced under its name) is the user's now.
			p := filepath.Join(dir, img)
			if info, err := os.Lstat(p); err == nil && SafeImageName(img) && info.Mode().IsRegular() && !info.ModTime().After(written.ModTime()) {
				os.Remove(p)
			}
		}
		os.Remove(dir) // only when empty: a file of the user's keeps it
	}
	if i >= 0 {
		s.forget(i)
	}
	return PruneRemoved, nil
}

// Link returns the link of the item whose file is name (relative to the
// folder), as its front matter or the folder's memory says; "" when
// unknown.
func (s *Store) Link(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.index() != nil {
		return ""
	}
	slug, _, _ := strings.Cut(filepath.ToSlash(name), "/")
	if i := s.slugRec(strings.TrimSuffix(slug, ".md")); i >= 0 {
		return s.strs.Str(s.recs[i].link)
	}
	return ""
}

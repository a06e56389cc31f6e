package convert

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// idsFile is the hidden file in the output folder that remembers which
// item owns which file. Items without a link (known by GUID or by hash)
// need it, since the front matter has no key for them; it also keeps the
// link identities, so that a user's template without a link key does not
// turn every re-run into duplicates.
const idsFile = ".feed2md-ids.json"

// tmpPrefix starts the name of every temporary file; a rename turns it into
// the real file, and the folder index ignores it.
const tmpPrefix = ".feed2md-tmp-"

// The actions of a Change: what was done with an item's file (in a dry
// run, what would be).
const (
	ActionNew       = "new"       // the file was created
	ActionUpdated   = "updated"   // the file was rewritten: its bytes changed
	ActionUnchanged = "unchanged" // the file already held exactly the item
)

// stored is what the folder knows of one file it holds.
type stored struct {
	name string // the file's path relative to the folder, e.g. "my-post.md"
	slug string // the slug its name carries
	link string // its link key, "" when it has none
	date string // its date key as written
	key  string // the identity of the item that owns it
	new  bool   // claimed in this run under a name the folder did not have
	// foreign marks a name that is not a Markdown file of ours (a folder
	// that is no bundle, a link, a special file): it stays taken, and no
	// item may own it.
	foreign bool
	// emptyBundle marks a folder with no index.md: in bundle mode, one
	// that idsFile says was an item's gets that item's index.md back.
	emptyBundle bool
}

// store is the output folder: it indexes the files already there and
// writes new ones. It is safe for concurrent use by several feeds.
type store struct {
	dir    string
	bundle bool // write <slug>/index.md instead of <slug>.md
	dryRun bool // say what would be written, write nothing

	mu      sync.Mutex
	indexed bool               // the folder has been read
	byKey   map[string]*stored // identity → file
	bySlug  map[string]*stored // slug (a name taken in the folder) → file
	ids     map[string]string  // non-link identities → slug, as in idsFile
	idsDirt bool               // ids changed since read
	claimed map[string]bool    // identities written in this run
	owned   map[string]bool    // files claimed by name (a feed that was not modified)

	listOnce sync.Once
	listed   map[string]bool // the folder's names, read once (see listing)
}

// openStore returns the store of dir. The folder is read the first time
// an item needs a file (never, when every feed is unchanged).
func openStore(dir string, bundle, dryRun bool) (*store, error) {
	return &store{
		dir:     dir,
		bundle:  bundle,
		dryRun:  dryRun,
		byKey:   map[string]*stored{},
		bySlug:  map[string]*stored{},
		ids:     map[string]string{},
		claimed: map[string]bool{},
		owned:   map[string]bool{},
	}, nil
}

// index reads the folder: the front matter of each Markdown file (only its
// link and date keys) and the hidden identities file. The caller holds mu.
func (s *store) index() error {
	if s.indexed {
		return nil
	}
	s.indexed = true
	dir, dryRun := s.dir, s.dryRun
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) && dryRun {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		var rel, slug string
		switch {
		case strings.HasPrefix(name, tmpPrefix) && !dryRun:
			// Left by a run that was killed mid-write (the lock we hold
			// keeps out any run that could still be writing it).
			os.Remove(filepath.Join(dir, name))
			continue
		case strings.HasPrefix(name, "."):
			continue
		case e.Type().IsRegular() && strings.HasSuffix(name, ".md"):
			rel, slug = name, strings.TrimSuffix(name, ".md")
		case e.IsDir():
			info, err := os.Lstat(filepath.Join(dir, name, "index.md"))
			if err != nil || !info.Mode().IsRegular() {
				// A folder that is not a bundle still takes the name.
				s.bySlug[name] = &stored{name: name, slug: name, foreign: true, emptyBundle: err != nil}
				continue
			}
			rel, slug = filepath.Join(name, "index.md"), name
		default:
			// A link (to a file or a folder, maybe outside the folder), a
			// special file, or another file: its name stays taken, and
			// nothing is ever written through it.
			slug = strings.TrimSuffix(name, ".md")
			if s.bySlug[slug] == nil {
				s.bySlug[slug] = &stored{name: name, slug: slug, foreign: true}
			}
			continue
		}
		f := &stored{name: rel, slug: slug}
		f.link, f.date = readFrontMatter(filepath.Join(dir, rel))
		if f.link != "" {
			f.key = "link:" + f.link
			if _, dup := s.byKey[f.key]; !dup {
				s.byKey[f.key] = f
			}
		}
		s.bySlug[slug] = f
	}
	return s.readIDs()
}

// readIDs loads idsFile, dropping entries whose file is gone.
func (s *store) readIDs() error {
	data, err := readOwn(filepath.Join(s.dir, idsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	var ids map[string]string
	if err := json.Unmarshal(data, &ids); err != nil {
		// A damaged memory is rebuilt: link-less items may be written anew.
		s.idsDirt = true
		return nil
	}
	for key, slug := range ids {
		f := s.bySlug[slug]
		if f != nil && f.emptyBundle && s.bundle {
			// The item's bundle, its index.md deleted: it comes back there,
			// beside whatever else the folder holds.
			f = &stored{name: filepath.Join(slug, "index.md"), slug: slug}
			s.bySlug[slug] = f
		}
		if f == nil || f.foreign || (f.key != "" && f.key != key) {
			// Gone, not a file of ours, or its link says it is another item.
			s.idsDirt = true
			continue
		}
		f.key = key
		if _, taken := s.byKey[key]; !taken {
			s.byKey[key] = f
		}
		s.ids[key] = slug
	}
	return nil
}

// readFrontMatter returns the link and date keys of a file's front matter.
// The lines feed2md writes are read directly; anything else (a user's
// template, a hand edit) goes through a YAML parser.
func readFrontMatter(path string) (link, date string) {
	f, err := os.Open(path)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 4096)
	first, err := r.ReadString('\n')
	if err != nil || strings.TrimRight(first, "\r\n") != "---" {
		return "", ""
	}
	var block bytes.Buffer
	fast := true
	for n := 0; n < 10000; n++ {
		line, err := r.ReadString('\n')
		trimmed := strings.TrimRight(line, "\r\n")
		if trimmed == "---" || trimmed == "..." {
			break
		}
		block.WriteString(line)
		switch {
		case strings.HasPrefix(trimmed, "link: "):
			v, ok := singleQuoted(trimmed[len("link: "):])
			if !ok {
				fast = false
			}
			link = v
		case strings.HasPrefix(trimmed, "date: "):
			date = strings.TrimSpace(trimmed[len("date: "):])
		}
		if err == io.EOF {
			return "", ""
		}
		if err != nil {
			return "", ""
		}
	}
	if fast && link != "" {
		return link, date
	}
	var m map[string]any
	if yaml.Unmarshal(block.Bytes(), &m) != nil {
		return link, date
	}
	if v, ok := m["link"].(string); ok {
		link = v
	}
	return link, date
}

// singleQuoted decodes a one-line YAML single-quoted scalar.
func singleQuoted(v string) (string, bool) {
	if len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

// reservedSlugs are names that would change the meaning of a Hugo section:
// index.md makes it a leaf bundle, _index.md is its own page.
var reservedSlugs = map[string]bool{"index": true, "_index": true}

// claim returns the file for an identity: the one it has, or a new one
// under base, with -2, -3, … added while the name is taken by another
// item. It reports false when the identity was already claimed in this run
// (the feed lists the same item twice).
func (s *store) claim(key, base string) (*stored, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index(); err != nil {
		return nil, false, err
	}
	if s.claimed[key] {
		return nil, false, nil
	}
	s.claimed[key] = true
	if f := s.byKey[key]; f != nil {
		if s.owned[f.name] {
			// A feed that was not modified owns this item in this run.
			return nil, false, nil
		}
		if s.ids[key] != f.slug {
			s.ids[key], s.idsDirt = f.slug, true
		}
		return f, true, nil
	}
	slug := base
	for n := 2; s.bySlug[slug] != nil || reservedSlugs[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	f := &stored{slug: slug, key: key, name: slug + ".md", new: true}
	if s.bundle {
		f.name = filepath.Join(slug, "index.md")
	}
	s.bySlug[slug] = f
	s.byKey[key] = f
	s.ids[key] = slug
	s.idsDirt = true
	return f, true, nil
}

// write puts data into the file f names, unless it already holds exactly
// that. The file is written whole or not at all: a temporary file in the
// same folder, then a rename.
func (s *store) write(f *stored, data []byte) (string, error) {
	path := filepath.Join(s.dir, f.name)
	if f.new && !s.bundle {
		// The folder had no file of this name when it was read, and the
		// lock keeps other runs out: nothing to compare with.
		if s.dryRun {
			return ActionNew, nil
		}
		return ActionNew, atomicWrite(path, data)
	}
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, data):
		return ActionUnchanged, nil
	case err == nil && s.dryRun:
		return ActionUpdated, nil
	case err == nil:
		return ActionUpdated, atomicWrite(path, data)
	case errors.Is(err, fs.ErrNotExist) && s.dryRun:
		return ActionNew, nil
	case errors.Is(err, fs.ErrNotExist):
		if s.bundle {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return "", err
			}
		}
		return ActionNew, atomicWrite(path, data)
	}
	return "", err
}

// atomicWrite writes data to a temporary file beside path and renames it
// over path, so that the file is whole or not there at all. On any error
// the temporary file is removed. The temporary file is created with mode
// 0644 (less the umask) and O_EXCL under a random name.
func atomicWrite(path string, data []byte) (err error) {
	tmp, err := createTemp(filepath.Dir(path), randomTempName)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// createTemp creates a new temporary file in dir under a name from name,
// trying another name while one is taken. O_EXCL never opens an existing
// name, a symbolic link included, and O_NOFOLLOW says so twice.
func createTemp(dir string, name func() string) (*os.File, error) {
	for try := 0; ; try++ {
		tmp, err := os.OpenFile(filepath.Join(dir, name()), os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, 0o644)
		if err == nil {
			return tmp, nil
		}
		if !errors.Is(err, fs.ErrExist) || try == 10 {
			return nil, err
		}
	}
}

// randomTempName is a temporary file's name: tmpPrefix and a random part.
func randomTempName() string {
	return tmpPrefix + strconv.FormatUint(rand.Uint64(), 36)
}

// flush saves the identities of link-less items when they changed.
func (s *store) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.idsDirt {
		return nil
	}
	data, err := json.MarshalIndent(s.ids, "", "  ") // keys sorted: stable bytes
	if err != nil {
		return err
	}
	if err := atomicWrite(filepath.Join(s.dir, idsFile), append(data, '\n')); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	s.idsDirt = false
	return nil
}

// path returns the path of f as the user sees it: the output folder joined
// with the file's name.
func (s *store) path(f *stored) string {
	return filepath.Join(s.dir, f.name)
}

// allExist reports whether every named file is in the folder.
func (s *store) allExist(names []string) bool {
	var listed map[string]bool
	if len(names) > listAbove {
		listed = s.listing()
	}
	for _, n := range names {
		if listed != nil && !strings.ContainsRune(n, filepath.Separator) {
			if !listed[n] {
				return false
			}
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.dir, n)); err != nil {
			return false
		}
	}
	return true
}

// listAbove is how many names allExist checks one by one; above it, one
// read of the folder's names is cheaper than a stat each.
const listAbove = 64

// listing returns the names in the folder, read once per run (nil if it
// cannot be read). Files are never removed during a run, so a name listed
// stays there.
func (s *store) listing() map[string]bool {
	s.listOnce.Do(func() {
		f, err := os.Open(s.dir)
		if err != nil {
			return
		}
		defer f.Close()
		names, err := f.Readdirnames(-1)
		if err != nil {
			return
		}
		s.listed = make(map[string]bool, len(names))
		for _, n := range names {
			s.listed[n] = true
		}
	})
	return s.listed
}

// claimFiles marks the named files as taken in this run, by a feed that
// was not modified: another feed listing the same items does not get them.
func (s *store) claimFiles(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		s.owned[n] = true
	}
}

package convert

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
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
	name  string // the file's path relative to the folder, e.g. "my-post.md"
	slug  string // the slug its name carries
	link  string // its link key, "" when it has none
	date  string // its date key as written
	title string // titleSum of the title it was written with; "" when unknown
	feed  string // shortSum of the source of the feed that wrote it; "" when unknown
	key   string // the identity of the item that owns it (see identity.go); "" when unknown
	new   bool   // claimed in this run under a name the folder did not have
	taken bool   // claimed by an item in this run
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

	mu        sync.Mutex
	indexed   bool                 // the folder has been read
	byKey     map[string]*stored   // identity → file
	byLink    map[string][]*stored // link key → the files that hold it
	bySlug    map[string]*stored   // slug (a name taken in the folder) → file
	idsDirt   bool                 // byKey differs from idsFile, which flush writes from it
	claimedBy map[string]claimer   // identities written in this run, with the link and title of the item that has each
	owned     map[string]bool      // files claimed by name (a feed that was not modified)

	listOnce sync.Once
	listed   map[string]bool // the folder's names, read once (see listing)
}

// openStore returns the store of dir. The folder is read the first time
// an item needs a file (never, when every feed is unchanged).
func openStore(dir string, bundle, dryRun bool) (*store, error) {
	return &store{
		dir:       dir,
		bundle:    bundle,
		dryRun:    dryRun,
		byKey:     map[string]*stored{},
		byLink:    map[string][]*stored{},
		bySlug:    map[string]*stored{},
		claimedBy: map[string]claimer{},
		owned:     map[string]bool{},
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
		var title string
		var hasTitle bool
		f.link, f.date, title, hasTitle = readFrontMatter(filepath.Join(dir, rel))
		if hasTitle {
			f.title = titleSum(title)
		}
		if f.link != "" {
			s.byLink[f.link] = append(s.byLink[f.link], f)
		}
		s.bySlug[slug] = f
	}
	return s.readIDs()
}

// idsVersion is the version of idsFile written now. Version 1 (a bare
// object of identity → slug, written by earlier releases) is still read.
const idsVersion = 2

// idsDoc is idsFile: for every item the folder holds, its identity and
// what it was written with, so that a later run finds its file again.
type idsDoc struct {
	Version int                `json:"version"`
	Items   map[string]idEntry `json:"items"`
}

// idEntry is what idsFile remembers of one item.
type idEntry struct {
	Slug  string `json:"slug"`            // the file's slug
	Link  string `json:"link,omitempty"`  // its link, when the key does not hold it
	Title string `json:"title,omitempty"` // titleSum of its title
	Feed  string `json:"feed,omitempty"`  // shortSum of its feed's source key
}

// claimer is the link and title sum of the item that claimed a key in this run.
type claimer struct{ link, title string }

// entryLink returns the link an entry was written with: its own, else the
// one its key holds.
func entryLink(key string, e idEntry) string {
	switch {
	case e.Link != "":
		return e.Link
	case strings.HasPrefix(key, keyLink):
		return key[len(keyLink):]
	case strings.HasPrefix(key, keyLinkText):
		link, _, _ := strings.Cut(key[len(keyLinkText):], "\x00")
		return link
	}
	return ""
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
	var doc idsDoc
	if err := json.Unmarshal(data, &doc); err != nil || doc.Version != idsVersion {
		// Version 1: identity → slug.
		var v1 map[string]string
		if err := json.Unmarshal(data, &v1); err != nil {
			// A damaged memory is rebuilt from the files' links.
			s.idsDirt = true
			return nil
		}
		doc.Items = make(map[string]idEntry, len(v1))
		for key, slug := range v1 {
			doc.Items[key] = idEntry{Slug: slug}
		}
		s.idsDirt = true // rewritten in the current version
	}
	keys := make([]string, 0, len(doc.Items))
	for key := range doc.Items {
		keys = append(keys, key)
	}
	sort.Strings(keys) // which of two keys naming one file wins does not depend on map order
	for _, key := range keys {
		e := doc.Items[key]
		f := s.bySlug[e.Slug]
		if f != nil && f.emptyBundle && s.bundle {
			// The item's bundle, its index.md deleted: it comes back there,
			// beside whatever else the folder holds.
			f = &stored{name: filepath.Join(e.Slug, "index.md"), slug: e.Slug}
			s.bySlug[e.Slug] = f
		}
		if f == nil || f.foreign || f.key != "" || e.Slug == "" {
			// Gone, not a file of ours, or another item's.
			s.idsDirt = true
			continue
		}
		f.key = key
		s.byKey[key] = f
		if e.Title != "" {
			f.title = e.Title
		}
		f.feed = e.Feed
		if link := entryLink(key, e); link != "" && f.link == "" {
			f.link = link
			s.byLink[link] = append(s.byLink[link], f)
		}
	}
	return nil
}

// readFrontMatter returns the link, date and title keys of a file's front
// matter. The lines feed2md writes are read directly; anything else (a
// user's template, a hand edit) goes through a YAML parser.
func readFrontMatter(path string) (link, date, title string, hasTitle bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", "", false
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 4096)
	first, err := r.ReadString('\n')
	if err != nil || strings.TrimRight(first, "\r\n") != "---" {
		return "", "", "", false
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
		case strings.HasPrefix(trimmed, "title: "):
			v, ok := plainDoubleQuoted(trimmed[len("title: "):])
			if !ok {
				fast = false
			}
			title, hasTitle = v, ok
		case strings.HasPrefix(trimmed, "date: "):
			date = strings.TrimSpace(trimmed[len("date: "):])
		}
		if err != nil {
			return "", "", "", false
		}
	}
	if fast && link != "" {
		return link, date, title, hasTitle
	}
	var m map[string]any
	if yaml.Unmarshal(block.Bytes(), &m) != nil {
		return link, date, title, hasTitle
	}
	if v, ok := m["link"].(string); ok {
		link = v
	}
	if v, ok := m["title"].(string); ok {
		title, hasTitle = v, true
	}
	return link, date, title, hasTitle
}

// plainDoubleQuoted decodes a one-line YAML double-quoted scalar that has
// no escapes (a title with escapes goes through the YAML parser).
func plainDoubleQuoted(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	if strings.ContainsAny(inner, "\\\"") {
		return "", false
	}
	return inner, true
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

// loose says whether an item may take a remembered file by its link
// alone, the title having changed since the file was written.
type loose int

const (
	looseNo    loose = iota // no: another item of the feed has the link
	looseLater              // maybe: put the item off to the end of the feed
	looseTake               // yes: the feed has no other item with the link
)

// claimLater is claim's answer for an item put off to the end of its feed.
var claimLater = &stored{}

// claim gives an item its file. key is the identity the item has on what
// its feed has shown so far (feedIDs.see). The file is, in this order:
// the one remembered under key; one written with the item's link and
// title; with lo, the only one written with its link; else a new one
// under base, with -2, -3, … added while the name is taken. It returns nil
// when key was claimed already in this run (by an earlier feed, or a feed
// that was not modified), and claimLater when lo is looseLater and only
// the end of the feed can tell.
func (s *store) claim(key string, id *itemID, lo loose, base string) (*stored, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index(); err != nil {
		return nil, err
	}
	sum := titleSum(id.title)
	switch {
	case strings.HasPrefix(key, keyGUID):
		// Two feeds can use one id (a number, a slug) for two items: an
		// id tells items apart only together with the feed, a link or a
		// title. Another item's id leaves this one its link and title.
		by, taken := s.claimedBy[key]
		if taken && by.link != id.link && by.title != sum {
			key = fallbackKey(id)
		} else if f := s.byKey[key]; !taken && f != nil && !belongs(f, id, sum) {
			key = fallbackKey(id)
		}
	case strings.HasPrefix(key, keyLink):
		// An earlier feed's item with the same link but another title is
		// another item.
		if by, taken := s.claimedBy[key]; taken && by.title != sum {
			key = linkTextKey(id.link, id.title)
		}
	}
	if _, taken := s.claimedBy[key]; taken {
		return nil, nil
	}
	// A file remembered under another id is that item's, not this one's.
	hasID := strings.HasPrefix(key, keyGUID)
	usable := func(f *stored) bool {
		return f != nil && !f.taken && !f.foreign && !s.owned[f.name] &&
			!(hasID && strings.HasPrefix(f.key, keyGUID) && f.key != key)
	}
	take := func(f *stored) (*stored, error) {
		f.taken = true
		s.claimedBy[key] = claimer{id.link, sum}
		s.remember(f, key, id)
		return f, nil
	}
	if f := s.byKey[key]; f != nil && s.owned[f.name] {
		// A feed that was not modified owns this item in this run.
		return nil, nil
	}
	if !strings.HasPrefix(key, keyLink) {
		// A link key alone does not say the title is the same: the steps
		// below look at both.
		if f := s.byKey[key]; usable(f) {
			return take(f)
		}
	}
	if id.link != "" {
		for _, f := range s.byLink[id.link] {
			if f.title != sum {
				continue
			}
			if usable(f) {
				return take(f)
			}
			if s.owned[f.name] && !(hasID && strings.HasPrefix(f.key, keyGUID) && f.key != key) {
				return nil, nil
			}
		}
		if files := s.byLink[id.link]; lo != looseNo && len(files) == 1 && usable(files[0]) {
			// A file whose title is not known (a template without one)
			// can only be matched by its link: waiting would tell nothing.
			if lo == looseLater && files[0].title != "" {
				s.claimedBy[key] = claimer{id.link, sum}
				return claimLater, nil
			}
			return take(files[0])
		}
	}
	slug := base
	for n := 2; s.bySlug[slug] != nil || reservedSlugs[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	f := &stored{slug: slug, name: slug + ".md", new: true, link: id.link}
	if s.bundle {
		f.name = filepath.Join(slug, "index.md")
	}
	s.bySlug[slug] = f
	return take(f)
}

// remember records that f is the file of the item id, known by key.
// The caller holds mu.
func (s *store) remember(f *stored, key string, id *itemID) {
	if f.key != "" && f.key != key && s.byKey[f.key] == f {
		delete(s.byKey, f.key)
	}
	if other := s.byKey[key]; other != nil && other != f {
		other.key = ""
	}
	title := titleSum(id.title)
	if f.key != key || f.title != title || f.feed != id.feed || f.link != id.link {
		s.idsDirt = true
	}
	f.key, f.title, f.feed, f.link = key, title, id.feed, id.link
	s.byKey[key] = f
}

// belongs reports whether the remembered file f may be the item id's by
// its id alone: it was written for the same feed, or with the same link
// or title, or by a release that did not record which feed.
func belongs(f *stored, id *itemID, sum string) bool {
	return f.feed == "" || f.feed == id.feed || (f.link != "" && f.link == id.link) || (f.title != "" && f.title == sum)
}

// unclaim frees key, claimed for an item put off to the end of its feed,
// for that item's second claim.
func (s *store) unclaim(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.claimedBy, key)
}

// rekey records the file claimed under key as known by final: once the
// whole feed is read, an id or a link can turn out to be shared.
func (s *store) rekey(key, final string, id *itemID) {
	if key == final {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.byKey[key]
	if f == nil || !f.taken {
		return
	}
	s.claimedBy[final] = claimer{id.link, titleSum(id.title)}
	s.remember(f, final, id)
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

// flush saves the folder's memory of identities when it changed.
func (s *store) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.idsDirt {
		return nil
	}
	items := make(map[string]idEntry, len(s.byKey))
	for key, f := range s.byKey {
		if f.key != key || f.foreign {
			continue // a key another file took over
		}
		e := idEntry{Slug: f.slug, Title: f.title, Feed: f.feed}
		if entryLink(key, idEntry{}) != f.link {
			e.Link = f.link
		}
		items[key] = e
	}
	data, err := json.MarshalIndent(idsDoc{Version: idsVersion, Items: items}, "", " ") // keys sorted: stable bytes
	if err != nil {
		return err
	}
	data = append(data, '\n')
	// A run can change the memory and change it back (an item claimed
	// under the key its feed had shown so far, then recorded under its
	// final one): the same bytes are not written again.
	if old, err := readOwn(filepath.Join(s.dir, idsFile)); err == nil && bytes.Equal(old, data) {
		s.idsDirt = false
		return nil
	}
	if err := atomicWrite(filepath.Join(s.dir, idsFile), data); err != nil {
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

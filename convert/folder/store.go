package folder

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"feed2md/convert/arena"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// IDsFile is the hidden file in the output folder that remembers which
// item owns which file. Items without a link (known by GUID or by hash)
// need it, since the front matter has no key for them; it also keeps the
// link identities, so that a user's template without a link key does not
// turn every re-run into duplicates.
const IDsFile = ".feed2md-ids.json"

// TmpPrefix starts the name of every temporary file; a rename turns it into
// the real file, and the folder index ignores it.
const TmpPrefix = ".feed2md-tmp-"

// The actions of a Change: what was done with an item's file (in a dry
// run, what would be).
const (
	ActionNew       = "new"       // the file was created
	ActionUpdated   = "updated"   // the file was rewritten: its bytes changed
	ActionUnchanged = "unchanged" // the file already held exactly the item
)

// Stored is a file of the folder as claim hands it out to the renderer
// and the writer.
type Stored struct {
	Name string // the file's path relative to the folder, e.g. "my-post.md"
	Slug string // the slug its name carries
	Date string // its date key as written; "" for a new file
	new  bool   // claimed in this run under a name the folder did not have
	rec  int32  // its index in the store's recs
}

// rec is what the store keeps of one name in the folder, without a
// pointer (see convert/arena).
type rec struct {
	key   arena.Ref // the identity of the item that owns it (see identity.go); empty when unknown
	slug  arena.Ref // the slug its name carries
	link  arena.Ref // its link, empty when it has none
	date  arena.Ref // its date key as written
	name  arena.Ref // a foreign name as it is; other names follow from slug and recDir
	title arena.Sum // TitleSum of the title it was written with
	feed  arena.Sum // sum of the source of the feed that wrote it
	next  int32     // the next file in its byLink chain; -1 at the end
	flags recFlag
}

type recFlag uint8

const (
	recNew   recFlag = 1 << iota // claimed in this run under a name the folder did not have
	recTaken                     // claimed by an item in this run
	// recForeign marks a name that is not a Markdown file of ours (a
	// folder that is no bundle, a link, a special file): it stays taken,
	// and no item may own it.
	recForeign
	// recEmptyBundle marks a folder with no index.md: in bundle mode, one
	// that IDsFile says was an item's gets that item's index.md back.
	recEmptyBundle
	recDir // the file is <slug>/index.md, not <slug>.md
)

// chain is the files that were written with one link, in folder order.
type chain struct{ head, tail, n int32 }

// Store is the output folder: it indexes the files already there and
// writes new ones. It is safe for concurrent use by several feeds.
type Store struct {
	dir    string
	bundle bool // write <slug>/index.md instead of <slug>.md
	dryRun bool // say what would be written, write nothing

	mu        sync.Mutex
	indexed   bool                      // the folder has been read
	strs      arena.Arena               // the strings of recs
	recs      []rec                     // every name in the folder, and every file claimed in this run
	byKey     map[arena.Digest]int32    // identity → file
	byLink    map[arena.Digest]chain    // link → the files that were written with it
	bySlug    map[arena.Digest]int32    // slug (a name taken in the folder) → file
	idsDirt   bool                      // byKey differs from IDsFile, which flush writes from it
	claimedBy map[arena.Digest]claimer  // identities written in this run, with the link and title of the item that has each
	owned     map[arena.Digest]struct{} // names of files claimed by name (a feed that was not modified)
	oldScopes map[arena.Sum]arena.Sum   // a feed's scope → the scope releases that wrote its credentials gave it

	listOnce sync.Once
	listed   map[string]bool // the folder's names, read once (see listing)

	fullMu  sync.Mutex
	fullErr error // the first write that failed for a full or read-only file system (see IsFull)
}

// OpenStore returns the store of dir. The folder is read the first time
// an item needs a file (never, when every feed is unchanged).
func OpenStore(dir string, bundle, dryRun bool) (*Store, error) {
	return &Store{
		dir:       dir,
		bundle:    bundle,
		dryRun:    dryRun,
		byKey:     map[arena.Digest]int32{},
		byLink:    map[arena.Digest]chain{},
		bySlug:    map[arena.Digest]int32{},
		claimedBy: map[arena.Digest]claimer{},
		owned:     map[arena.Digest]struct{}{},
	}, nil
}

// add appends r to recs and returns its index.
func (s *Store) add(r rec) int32 {
	r.next = -1
	s.recs = append(s.recs, r)
	return int32(len(s.recs) - 1)
}

// slugRec returns the file that takes slug, or -1.
func (s *Store) slugRec(slug string) int32 {
	if i, ok := s.bySlug[arena.DigestOf(slug)]; ok && s.strs.Eq(s.recs[i].slug, slug) {
		return i
	}
	return -1
}

// keyRec returns the file remembered under key, or -1.
func (s *Store) keyRec(key string) int32 { return s.keyRecD(key, arena.DigestOf(key)) }

// keyRecD is keyRec with the key's digest kd already taken.
func (s *Store) keyRecD(key string, kd arena.Digest) int32 {
	if i, ok := s.byKey[kd]; ok && s.strs.Eq(s.recs[i].key, key) {
		return i
	}
	return -1
}

// keyIs reports whether file i is remembered under key.
func (s *Store) keyIs(i int32, key string) bool { return s.strs.Eq(s.recs[i].key, key) }

// hasGUIDKey reports whether file i is remembered under an item's id.
func (s *Store) hasGUIDKey(i int32) bool {
	return bytes.HasPrefix(s.strs.Bytes(s.recs[i].key), []byte(keyGUID))
}

// linkTo puts file i at the end of link's chain.
func (s *Store) linkTo(i int32, link string) {
	d := arena.DigestOf(link)
	c, ok := s.byLink[d]
	if !ok {
		s.byLink[d] = chain{i, i, 1}
		return
	}
	s.recs[c.tail].next = i
	c.tail = i
	c.n++
	s.byLink[d] = c
}

// name returns the path of file i relative to the folder.
func (s *Store) name(i int32) string {
	r := &s.recs[i]
	switch {
	case r.flags&recForeign != 0:
		return s.strs.Str(r.name)
	case r.flags&recDir != 0:
		return filepath.Join(s.strs.Str(r.slug), "index.md")
	}
	return s.strs.Str(r.slug) + ".md"
}

// handle returns file i as claim hands it out.
func (s *Store) handle(i int32) *Stored {
	r := &s.recs[i]
	return &Stored{Name: s.name(i), Slug: s.strs.Str(r.slug), Date: s.strs.Str(r.date), new: r.flags&recNew != 0, rec: i}
}

// isOwned reports whether file i is claimed by name in this run.
func (s *Store) isOwned(i int32) bool {
	if len(s.owned) == 0 {
		return false
	}
	_, ok := s.owned[arena.DigestOf(s.name(i))]
	return ok
}

// index reads the folder: the front matter of each Markdown file (only its
// link and date keys) and the hidden identities file. The caller holds mu.
func (s *Store) index() error {
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
		var flags recFlag
		switch {
		case strings.HasPrefix(name, TmpPrefix) && !dryRun:
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
				flags = recForeign
				if err != nil {
					flags |= recEmptyBundle
				}
				ref := s.strs.Add(name)
				s.bySlug[arena.DigestOf(name)] = s.add(rec{name: ref, slug: ref, flags: flags})
				continue
			}
			rel, slug, flags = filepath.Join(name, "index.md"), name, recDir
		default:
			// A link (to a file or a folder, maybe outside the folder), a
			// special file, or another file: its name stays taken, and
			// nothing is ever written through it.
			slug = strings.TrimSuffix(name, ".md")
			if s.slugRec(slug) < 0 {
				s.bySlug[arena.DigestOf(slug)] = s.add(rec{name: s.strs.Add(name), slug: s.strs.Add(slug), flags: recForeign})
			}
			continue
		}
		link, date, title, hasTitle := readFrontMatter(filepath.Join(dir, rel))
		r := rec{slug: s.strs.Add(slug), link: s.strs.Add(link), date: s.strs.Add(date), flags: flags}
		if hasTitle {
			r.title = TitleSum(title)
		}
		i := s.add(r)
		if link != "" {
			s.linkTo(i, link)
		}
		s.bySlug[arena.DigestOf(slug)] = i
	}
	return s.readIDs()
}

// Write puts data into the file f names, unless it already holds exactly
// that. The file is written whole or not at all: a temporary file in the
// same folder, then a rename.
func (s *Store) Write(f *Stored, data []byte) (string, error) {
	path := filepath.Join(s.dir, f.Name)
	if f.new && !s.bundle {
		// The folder had no file of this name when it was read, and the
		// lock keeps other runs out: nothing to compare with.
		if s.dryRun {
			return ActionNew, nil
		}
		return ActionNew, s.AtomicWrite(path, data)
	}
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, data):
		return ActionUnchanged, nil
	case err == nil && s.dryRun:
		return ActionUpdated, nil
	case err == nil:
		return ActionUpdated, s.AtomicWrite(path, data)
	case errors.Is(err, fs.ErrNotExist) && s.dryRun:
		return ActionNew, nil
	case errors.Is(err, fs.ErrNotExist):
		if s.bundle {
			if err := s.Full(); err != nil {
				return "", err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				if IsFull(err) {
					s.SetFull(err)
				}
				return "", err
			}
		}
		return ActionNew, s.AtomicWrite(path, data)
	}
	return "", err
}

// Full returns the error that stopped the writing into the folder: a full
// or read-only file system (nil while there is none).
func (s *Store) Full() error {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	return s.fullErr
}

// SetFull records err, a write that failed for a full or read-only file
// system, unless an earlier one is recorded: nothing is written after it.
func (s *Store) SetFull(err error) {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	if s.fullErr == nil {
		s.fullErr = err
	}
}

// Drop forgets the file f claimed in this run under a new name, when its
// item was not written and nothing is at that name: the next run claims
// the item afresh, and IDsFile records only files there are. The bundle
// folder made for it goes when empty; one that holds its images stays
// its, for the next run to put its index.md in.
func (s *Store) Drop(f *Stored) {
	if !f.new || s.dryRun {
		return
	}
	top, _, bundle := strings.Cut(filepath.ToSlash(f.Name), "/")
	if bundle {
		os.Remove(filepath.Join(s.dir, top)) // only if empty: made in this run
	}
	if _, err := os.Lstat(filepath.Join(s.dir, top)); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget(f.rec)
}

// forget drops the identity file i is remembered under. The caller holds mu.
func (s *Store) forget(i int32) {
	r := &s.recs[i]
	if r.key.Len == 0 {
		return
	}
	if kd := arena.DigestOf(s.strs.Str(r.key)); s.byKey[kd] == i {
		delete(s.byKey, kd)
	}
	r.key = arena.Ref{}
	s.idsDirt = true
}

// sumOwn returns the SHA-256 of a file of our own (see openOwn).
func sumOwn(path string) ([]byte, error) {
	f, err := openOwn(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// Path returns the path of f as the user sees it: the output folder joined
// with the file's name.
func (s *Store) Path(f *Stored) string {
	return filepath.Join(s.dir, f.Name)
}

// AllExist reports whether every named file is in the folder.
func (s *Store) AllExist(names []string) bool {
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

// listAbove is how many names AllExist checks one by one; above it, one
// read of the folder's names is cheaper than a stat each.
const listAbove = 64

// listing returns the names in the folder, read once per run (nil if it
// cannot be read). Files are never removed during a run, so a name listed
// stays there.
func (s *Store) listing() map[string]bool {
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

// ClaimFiles marks the named files as taken in this run, by a feed that
// was not modified: another feed listing the same items does not get them.
func (s *Store) ClaimFiles(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		s.owned[arena.DigestOf(n)] = struct{}{}
	}
}

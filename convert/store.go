package convert

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// stored is a file of the folder as claim hands it out to the renderer
// and the writer.
type stored struct {
	name string // the file's path relative to the folder, e.g. "my-post.md"
	slug string // the slug its name carries
	date string // its date key as written; "" for a new file
	new  bool   // claimed in this run under a name the folder did not have
	rec  int32  // its index in the store's recs
}

// rec is what the store keeps of one name in the folder, without a
// pointer (see arena.go).
type rec struct {
	key   sref  // the identity of the item that owns it (see identity.go); empty when unknown
	slug  sref  // the slug its name carries
	link  sref  // its link, empty when it has none
	date  sref  // its date key as written
	name  sref  // a foreign name as it is; other names follow from slug and recDir
	title sum   // titleSum of the title it was written with
	feed  sum   // sum of the source of the feed that wrote it
	next  int32 // the next file in its byLink chain; -1 at the end
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
	// that idsFile says was an item's gets that item's index.md back.
	recEmptyBundle
	recDir // the file is <slug>/index.md, not <slug>.md
)

// chain is the files that were written with one link, in folder order.
type chain struct{ head, tail, n int32 }

// store is the output folder: it indexes the files already there and
// writes new ones. It is safe for concurrent use by several feeds.
type store struct {
	dir    string
	bundle bool // write <slug>/index.md instead of <slug>.md
	dryRun bool // say what would be written, write nothing

	mu        sync.Mutex
	indexed   bool                // the folder has been read
	strs      arena               // the strings of recs
	recs      []rec               // every name in the folder, and every file claimed in this run
	byKey     map[digest]int32    // identity → file
	byLink    map[digest]chain    // link → the files that were written with it
	bySlug    map[digest]int32    // slug (a name taken in the folder) → file
	idsDirt   bool                // byKey differs from idsFile, which flush writes from it
	claimedBy map[digest]claimer  // identities written in this run, with the link and title of the item that has each
	owned     map[digest]struct{} // names of files claimed by name (a feed that was not modified)
	oldScopes map[sum]sum         // a feed's scope → the scope releases that wrote its credentials gave it

	listOnce sync.Once
	listed   map[string]bool // the folder's names, read once (see listing)

	fullMu  sync.Mutex
	fullErr error // the first write that failed for a full or read-only file system (see isFull)
}

// openStore returns the store of dir. The folder is read the first time
// an item needs a file (never, when every feed is unchanged).
func openStore(dir string, bundle, dryRun bool) (*store, error) {
	return &store{
		dir:       dir,
		bundle:    bundle,
		dryRun:    dryRun,
		byKey:     map[digest]int32{},
		byLink:    map[digest]chain{},
		bySlug:    map[digest]int32{},
		claimedBy: map[digest]claimer{},
		owned:     map[digest]struct{}{},
	}, nil
}

// add appends r to recs and returns its index.
func (s *store) add(r rec) int32 {
	r.next = -1
	s.recs = append(s.recs, r)
	return int32(len(s.recs) - 1)
}

// slugRec returns the file that takes slug, or -1.
func (s *store) slugRec(slug string) int32 {
	if i, ok := s.bySlug[digestOf(slug)]; ok && s.strs.eq(s.recs[i].slug, slug) {
		return i
	}
	return -1
}

// keyRec returns the file remembered under key, or -1.
func (s *store) keyRec(key string) int32 { return s.keyRecD(key, digestOf(key)) }

// keyRecD is keyRec with the key's digest kd already taken.
func (s *store) keyRecD(key string, kd digest) int32 {
	if i, ok := s.byKey[kd]; ok && s.strs.eq(s.recs[i].key, key) {
		return i
	}
	return -1
}

// keyIs reports whether file i is remembered under key.
func (s *store) keyIs(i int32, key string) bool { return s.strs.eq(s.recs[i].key, key) }

// hasGUIDKey reports whether file i is remembered under an item's id.
func (s *store) hasGUIDKey(i int32) bool {
	return bytes.HasPrefix(s.strs.bytes(s.recs[i].key), []byte(keyGUID))
}

// linkTo puts file i at the end of link's chain.
func (s *store) linkTo(i int32, link string) {
	d := digestOf(link)
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
func (s *store) name(i int32) string {
	r := &s.recs[i]
	switch {
	case r.flags&recForeign != 0:
		return s.strs.str(r.name)
	case r.flags&recDir != 0:
		return filepath.Join(s.strs.str(r.slug), "index.md")
	}
	return s.strs.str(r.slug) + ".md"
}

// handle returns file i as claim hands it out.
func (s *store) handle(i int32) *stored {
	r := &s.recs[i]
	return &stored{name: s.name(i), slug: s.strs.str(r.slug), date: s.strs.str(r.date), new: r.flags&recNew != 0, rec: i}
}

// isOwned reports whether file i is claimed by name in this run.
func (s *store) isOwned(i int32) bool {
	if len(s.owned) == 0 {
		return false
	}
	_, ok := s.owned[digestOf(s.name(i))]
	return ok
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
		var flags recFlag
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
				flags = recForeign
				if err != nil {
					flags |= recEmptyBundle
				}
				ref := s.strs.add(name)
				s.bySlug[digestOf(name)] = s.add(rec{name: ref, slug: ref, flags: flags})
				continue
			}
			rel, slug, flags = filepath.Join(name, "index.md"), name, recDir
		default:
			// A link (to a file or a folder, maybe outside the folder), a
			// special file, or another file: its name stays taken, and
			// nothing is ever written through it.
			slug = strings.TrimSuffix(name, ".md")
			if s.slugRec(slug) < 0 {
				s.bySlug[digestOf(slug)] = s.add(rec{name: s.strs.add(name), slug: s.strs.add(slug), flags: recForeign})
			}
			continue
		}
		link, date, title, hasTitle := readFrontMatter(filepath.Join(dir, rel))
		r := rec{slug: s.strs.add(slug), link: s.strs.add(link), date: s.strs.add(date), flags: flags}
		if hasTitle {
			r.title = titleSum(title)
		}
		i := s.add(r)
		if link != "" {
			s.linkTo(i, link)
		}
		s.bySlug[digestOf(slug)] = i
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
	Feed  string `json:"feed,omitempty"`  // sum of its feed's source key
}

// claimer is the link and title sum of the item that claimed a key in this run.
type claimer struct {
	link  digest
	title sum
}

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
		i := s.slugRec(e.Slug)
		if i >= 0 && s.recs[i].flags&recEmptyBundle != 0 && s.bundle {
			// The item's bundle, its index.md deleted: it comes back there,
			// beside whatever else the folder holds.
			i = s.add(rec{slug: s.strs.add(e.Slug), flags: recDir})
			s.bySlug[digestOf(e.Slug)] = i
		}
		if i < 0 || s.recs[i].flags&recForeign != 0 || s.recs[i].key.n != 0 || e.Slug == "" {
			// Gone, not a file of ours, or another item's.
			s.idsDirt = true
			continue
		}
		r := &s.recs[i]
		r.key = s.strs.add(key)
		s.byKey[digestOf(key)] = i
		if e.Title != "" {
			r.title = parseSum(e.Title)
		}
		r.feed = parseSum(e.Feed)
		if link := entryLink(key, e); link != "" && r.link.n == 0 {
			r.link = s.strs.add(link)
			s.linkTo(i, link)
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
// the end of the feed can tell. used is the key it claimed: key, or the
// item's link and title when another feed's item has its id or link.
func (s *store) claim(key string, id *itemID, lo loose, base string) (f *stored, used string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index(); err != nil {
		return nil, "", err
	}
	sum := titleSum(id.title)
	link := digestOf(id.link)
	switch {
	case strings.HasPrefix(key, keyGUID):
		// Two feeds can use one id (a number, a slug) for two items: an
		// id tells items apart only together with the feed, a link or a
		// title. Another item's id leaves this one its link and title.
		by, taken := s.claimedBy[digestOf(key)]
		if taken && by.link != link && by.title != sum {
			key = fallbackKey(id)
		} else if i := s.keyRec(key); !taken && i >= 0 && !s.belongs(i, id, sum) {
			key = fallbackKey(id)
		}
	case strings.HasPrefix(key, keyLink):
		// An earlier feed's item with the same link but another title is
		// another item.
		if by, taken := s.claimedBy[digestOf(key)]; taken && by.title != sum {
			key = linkTextKey(id.link, id.title)
		}
	}
	kd := digestOf(key)
	if _, taken := s.claimedBy[kd]; taken {
		return nil, key, nil
	}
	// A file remembered under another id is that item's, not this one's.
	hasID := strings.HasPrefix(key, keyGUID)
	otherID := func(i int32) bool { return hasID && s.hasGUIDKey(i) && !s.keyIs(i, key) }
	usable := func(i int32) bool {
		return i >= 0 && s.recs[i].flags&(recTaken|recForeign) == 0 && !s.isOwned(i) && !otherID(i)
	}
	take := func(i int32) (*stored, string, error) {
		s.recs[i].flags |= recTaken
		s.claimedBy[kd] = claimer{link, sum}
		s.remember(i, key, kd, id, sum)
		return s.handle(i), key, nil
	}
	remembered := s.keyRecD(key, kd)
	if remembered >= 0 && s.isOwned(remembered) {
		// A feed that was not modified owns this item in this run.
		return nil, key, nil
	}
	if !strings.HasPrefix(key, keyLink) && usable(remembered) {
		// A link key alone does not say the title is the same: the steps
		// below look at both.
		return take(remembered)
	}
	if id.link != "" {
		files, ok := s.byLink[link]
		for i := files.head; ok && i >= 0; i = s.recs[i].next {
			if s.recs[i].title != sum {
				continue
			}
			if usable(i) {
				return take(i)
			}
			if s.isOwned(i) && !otherID(i) {
				return nil, key, nil
			}
		}
		if ok && lo != looseNo && files.n == 1 && usable(files.head) {
			// A file whose title is not known (a template without one)
			// can only be matched by its link: waiting would tell nothing.
			if lo == looseLater && s.recs[files.head].title.ok {
				s.claimedBy[kd] = claimer{link, sum}
				return claimLater, key, nil
			}
			return take(files.head)
		}
	}
	slug := base
	for n := 2; s.slugRec(slug) >= 0 || reservedSlugs[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	r := rec{slug: s.strs.add(slug), flags: recNew}
	if s.bundle {
		r.flags |= recDir
	}
	i := s.add(r)
	s.bySlug[digestOf(slug)] = i
	return take(i)
}

// remember records that file i is the file of the item id, known by key
// (whose digest is kd), its title's sum being title. The caller holds mu.
func (s *store) remember(i int32, key string, kd digest, id *itemID, title sum) {
	r := &s.recs[i]
	same := s.keyIs(i, key)
	if r.key.n != 0 && !same {
		if old := s.strs.str(r.key); s.keyRec(old) == i {
			delete(s.byKey, digestOf(old))
		}
	}
	if other := s.keyRecD(key, kd); other >= 0 && other != i {
		s.recs[other].key = sref{}
	}
	sameLink := s.strs.eq(r.link, id.link)
	if !same || r.title != title || r.feed != id.feed || !sameLink {
		s.idsDirt = true
	}
	if !same {
		r.key = s.strs.add(key)
	}
	if !sameLink {
		// The link is most often inside the key (a link key, a link and
		// title key, an id that is the link): it is not kept twice.
		if at := strings.Index(key, id.link); at >= 0 && id.link != "" {
			r.link = r.key.sub(at)
			r.link.n = uint32(len(id.link))
		} else {
			r.link = s.strs.add(id.link)
		}
	}
	r.title, r.feed = title, id.feed
	s.byKey[kd] = i
}

// belongs reports whether the remembered file i may be the item id's by
// its id alone: it was written for the same feed (under its scope, or
// the scope a release that wrote the feed's credentials gave it), or with
// the same link or title, or by a release that did not record which feed.
func (s *store) belongs(i int32, id *itemID, sum sum) bool {
	r := &s.recs[i]
	if old, ok := s.oldScopes[id.feed]; ok && r.feed == old {
		return true
	}
	return !r.feed.ok || r.feed == id.feed || (r.link.n != 0 && s.strs.eq(r.link, id.link)) || (r.title.ok && r.title == sum)
}

// knowOldScope records that files remembered under the scope old are of
// the feed whose scope is now scope (see feedInfo.oldScope). Remembering
// them again (remember) records the new scope.
func (s *store) knowOldScope(scope, old sum) {
	if !old.ok || old == scope {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oldScopes == nil {
		s.oldScopes = map[sum]sum{}
	}
	s.oldScopes[scope] = old
}

// unclaim frees key, claimed for an item put off to the end of its feed,
// for that item's second claim.
func (s *store) unclaim(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.claimedBy, digestOf(key))
}

// rekey records the file claimed under key as known by final: once the
// whole feed is read, an id or a link can turn out to be shared.
func (s *store) rekey(key, final string, id *itemID) {
	if key == final {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.keyRec(key)
	if i < 0 || s.recs[i].flags&recTaken == 0 {
		return
	}
	fd, title := digestOf(final), titleSum(id.title)
	s.claimedBy[fd] = claimer{digestOf(id.link), title}
	s.remember(i, final, fd, id, title)
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
		return ActionNew, s.atomicWrite(path, data)
	}
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, data):
		return ActionUnchanged, nil
	case err == nil && s.dryRun:
		return ActionUpdated, nil
	case err == nil:
		return ActionUpdated, s.atomicWrite(path, data)
	case errors.Is(err, fs.ErrNotExist) && s.dryRun:
		return ActionNew, nil
	case errors.Is(err, fs.ErrNotExist):
		if s.bundle {
			if err := s.full(); err != nil {
				return "", err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				if isFull(err) {
					s.setFull(err)
				}
				return "", err
			}
		}
		return ActionNew, s.atomicWrite(path, data)
	}
	return "", err
}

// atomicWrite is atomicWrite for an item's file, unless a write found the
// file system full (or read-only) before: from then on nothing is
// written, and every write fails with that first error.
func (s *store) atomicWrite(path string, data []byte) error {
	if err := s.full(); err != nil {
		return err
	}
	err := atomicWrite(path, data)
	if isFull(err) {
		s.setFull(err)
	}
	return err
}

// atomicWrite writes data to a temporary file beside path and renames it
// over path, so that the file is whole or not there at all. On any error
// the temporary file is removed. The temporary file is created with mode
// 0644 (less the umask) and O_EXCL under a random name.
func atomicWrite(path string, data []byte) error {
	return atomicWriteFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// atomicWritePrivate is atomicWrite of a file only its owner may read
// (mode 0600), from its first byte on.
func atomicWritePrivate(path string, data []byte) error {
	return atomicWriteMode(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// atomicWriteFunc is atomicWrite with the bytes written by write.
func atomicWriteFunc(path string, write func(io.Writer) error) (err error) {
	return atomicWriteMode(path, 0, write)
}

// atomicWriteMode is atomicWriteFunc with the file's mode set to perm
// (0 for the usual 0644 less the umask) before anything is written.
func atomicWriteMode(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	tmp, err := createTemp(filepath.Dir(path), randomTempName)
	if err != nil {
		return err
	}
	if perm != 0 {
		if err = tmp.Chmod(perm); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if writeFault != nil {
		if err = writeFault(path); err != nil {
			return err
		}
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeFault, when a test sets it, is called with the path of each file
// about to be written, its temporary file made, and an error it returns
// fails the write there, as a full disk does. It is always nil otherwise.
var writeFault func(path string) error

// full returns the error that stopped the writing into the folder: a full
// or read-only file system (nil while there is none).
func (s *store) full() error {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	return s.fullErr
}

// setFull records err, a write that failed for a full or read-only file
// system, unless an earlier one is recorded: nothing is written after it.
func (s *store) setFull(err error) {
	s.fullMu.Lock()
	defer s.fullMu.Unlock()
	if s.fullErr == nil {
		s.fullErr = err
	}
}

// drop forgets the file f claimed in this run under a new name, when its
// item was not written and nothing is at that name: the next run claims
// the item afresh, and idsFile records only files there are. The bundle
// folder made for it goes when empty; one that holds its images stays
// its, for the next run to put its index.md in.
func (s *store) drop(f *stored) {
	if !f.new || s.dryRun {
		return
	}
	top, _, bundle := strings.Cut(filepath.ToSlash(f.name), "/")
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
func (s *store) forget(i int32) {
	r := &s.recs[i]
	if r.key.n == 0 {
		return
	}
	if kd := digestOf(s.strs.str(r.key)); s.byKey[kd] == i {
		delete(s.byKey, kd)
	}
	r.key = sref{}
	s.idsDirt = true
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
	path := filepath.Join(s.dir, idsFile)
	w := idsWriter{s: s, order: s.idsOrder()}
	// A run can change the memory and change it back (an item claimed
	// under the key its feed had shown so far, then recorded under its
	// final one): the same bytes are not written again. The new bytes
	// are summed first, and written only if the old file's differ.
	if old, err := sumOwn(path); err == nil {
		h := sha256.New()
		if err := w.writeTo(h); err == nil && bytes.Equal(h.Sum(nil), old) {
			s.idsDirt = false
			return nil
		}
	}
	if err := atomicWriteFunc(path, w.writeTo); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	s.idsDirt = false
	return nil
}

// rollBack removes the files created in this run that the next run could
// not tell as their items' without this run's idsFile, when it cannot be
// saved (see Converter.Close): an item known by its id or hash alone, or
// written by a template without the link or title keys, would otherwise
// be written again next run under another name. A file whose front matter
// has its item's link and title is found by them, and stays. Each file
// removed is forgotten, and written again by the next run. rollBack
// returns how many files it removed, and how many it could not.
func (s *store) rollBack() (removed, kept int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.recs {
		r := &s.recs[i]
		if r.flags&recNew == 0 || r.key.n == 0 {
			continue
		}
		path := filepath.Join(s.dir, s.name(int32(i)))
		link, _, title, hasTitle := readFrontMatter(path)
		if link != "" && s.strs.eq(r.link, link) && hasTitle && r.title.ok && titleSum(title) == r.title {
			continue
		}
		_, err := os.Lstat(path)
		written := err == nil
		top := path
		if r.flags&recDir != 0 {
			// A bundle made in this run: its images go with it, and one
			// that has only images (its item not written) goes too.
			top = filepath.Join(s.dir, s.strs.str(r.slug))
		}
		if err := os.RemoveAll(top); err != nil && written {
			kept++
			continue
		}
		if written {
			removed++
		}
		s.forget(int32(i))
	}
	return removed, kept
}

// idsOrder returns the files idsFile records, in the order of their keys.
func (s *store) idsOrder() []int32 {
	var order []int32
	for i := range s.recs {
		r := &s.recs[i]
		if r.key.n == 0 || r.flags&recForeign != 0 || s.byKey[digestOf(string(s.strs.bytes(r.key)))] != int32(i) {
			continue // no key, or a key another file took over
		}
		order = append(order, int32(i))
	}
	sort.Slice(order, func(a, b int) bool {
		return bytes.Compare(s.strs.bytes(s.recs[order[a]].key), s.strs.bytes(s.recs[order[b]].key)) < 0
	})
	return order
}

// idsWriter writes idsFile as encoding/json's MarshalIndent(idsDoc, "",
// " ") does, one entry at a time instead of from one map and one buffer
// (tens of megabytes for a large feed).
type idsWriter struct {
	s     *store
	order []int32
}

func (w idsWriter) writeTo(dst io.Writer) error {
	s := w.s
	bw := bufio.NewWriterSize(dst, 64<<10)
	fmt.Fprintf(bw, "{\n \"version\": %d,\n \"items\": {", idsVersion)
	for n, i := range w.order {
		r := &s.recs[i]
		if n > 0 {
			bw.WriteByte(',')
		}
		key := string(s.strs.bytes(r.key))
		bw.WriteString("\n  ")
		writeJSONString(bw, key)
		bw.WriteString(": {\n   \"slug\": ")
		writeJSONString(bw, string(s.strs.bytes(r.slug)))
		if link := string(s.strs.bytes(r.link)); link != entryLink(key, idEntry{}) && link != "" {
			bw.WriteString(",\n   \"link\": ")
			writeJSONString(bw, link)
		}
		if r.title.ok {
			bw.WriteString(",\n   \"title\": ")
			writeJSONString(bw, r.title.String())
		}
		if r.feed.ok {
			bw.WriteString(",\n   \"feed\": ")
			writeJSONString(bw, r.feed.String())
		}
		bw.WriteString("\n  }")
	}
	if len(w.order) > 0 {
		bw.WriteString("\n ")
	}
	bw.WriteString("}\n}\n")
	return bw.Flush()
}

// writeJSONString writes s as encoding/json writes a string: plain
// printable ASCII as it is, anything else through encoding/json itself.
func writeJSONString(w *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			w.Write(b)
			return
		}
	}
	w.WriteByte('"')
	w.WriteString(s)
	w.WriteByte('"')
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
		s.owned[digestOf(n)] = struct{}{}
	}
}

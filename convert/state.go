package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
)

// stateVersion is written into the state file; another version is ignored.
const stateVersion = 1

// feedState is what a run remembers of one feed for the next.
type feedState struct {
	fetch.Validators
	URL      string   `json:"url,omitempty"`      // the feed URL found by autodiscovery, fetched directly
	Hash     string   `json:"hash,omitempty"`     // SHA-256 of the feed's bytes
	Options  string   `json:"options,omitempty"`  // fingerprint of the options that shape the files
	Files    []string `json:"files,omitempty"`    // the files its items have, relative to the folder
	Items    int      `json:"items,omitempty"`    // how many items it had, repeats and filtered ones included
	Repeats  []string `json:"repeats,omitempty"`  // the items it listed twice (Result.Repeats)
	Filtered int      `json:"filtered,omitempty"` // how many items Limit and Since left out

	// NotBefore is the server's Retry-After, when it asked for a longer
	// wait than a run makes (RetryLaterError): runs before it skip the
	// feed without a request.
	NotBefore time.Time `json:"not_before,omitzero"`

	// PageRetry is when the first of its items' pages that gave no
	// article (-fulltext) may be asked for again: from then on, a run
	// converts the feed even if it did not change.
	PageRetry time.Time `json:"page_retry,omitzero"`

	// With -prune: when the last run saw its items, the sum of each file
	// as feed2md wrote it, and the files whose items have left it.
	SeenAt time.Time           `json:"seen_at,omitzero"`
	Sums   map[string]string   `json:"sums,omitempty"`
	Gone   map[string]goneFile `json:"gone,omitempty"`
}

// stateFile is the JSON document kept in the cache directory.
type stateFile struct {
	Version int                   `json:"version"`
	Folder  string                `json:"folder"` // the output folder it belongs to
	Feeds   map[string]*feedState `json:"feeds"`
}

// state holds the cache validators and fingerprints of every feed written
// into one output folder. It lives in the cache directory, one file per
// output folder, guarded by the folder's lock.
type state struct {
	path    string // "" when the cache is off
	mu      sync.Mutex
	file    stateFile
	dirty   bool
	putKeys map[string]bool // the feeds this run recorded: save writes only them over the file
}

// StateError is a state file (of conditional requests) that could not be
// read or written. Without Options.CacheStrict, the run goes on without
// it and says so in one warning; the files written are right, only the
// next run's conditional requests are lost.
type StateError struct {
	Path string // the state file
	Err  error  // what failed
}

func (e *StateError) Error() string { return fmt.Sprintf("state file: %v", e.Err) }

func (e *StateError) Unwrap() error { return e.Err }

// loadState reads the state of outDir from cacheDir. A missing file is an
// empty state; a corrupt one is reported (err, with the state usable and
// empty) and will be replaced. A file that cannot be read is a
// *StateError, with a nil state.
func loadState(cacheDir, outDir string) (*state, error) {
	abs, err := filepath.Abs(outDir)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(abs))
	s := &state{
		path: filepath.Join(cacheDir, "state-"+hex.EncodeToString(sum[:8])+".json"),
		file: stateFile{Version: stateVersion, Folder: abs, Feeds: map[string]*feedState{}},
	}
	f, err := readStateFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if errors.Is(err, errDamaged) {
		s.dirty = true
		return s, fmt.Errorf("state file %s is damaged and was ignored: every feed is fetched in full once", s.path)
	}
	if err != nil {
		return nil, &StateError{Path: s.path, Err: err}
	}
	f.Folder = abs
	if scrubCredentials(f) {
		s.dirty = true // rewritten without them, even if this run records nothing
	}
	s.file = *f
	return s, nil
}

// scrubCredentials drops the feeds a release before this one recorded
// under a URL with credentials, and the discovered URLs that hold some
// (stateKey and put no longer write them), reporting whether it dropped
// any. Those feeds are fetched in full once.
func scrubCredentials(f *stateFile) bool {
	dropped := false
	for key, fs := range f.Feeds {
		lower := strings.ToLower(key)
		isURL := strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
		if isURL && fetch.HasCredentials(key) {
			delete(f.Feeds, key)
			dropped = true
		} else if fs != nil && fs.URL != "" && fetch.HasCredentials(fs.URL) {
			fs.URL = ""
			dropped = true
		}
	}
	return dropped
}

// errDamaged is a state file that is not one this version wrote.
var errDamaged = errors.New("damaged")

// readStateFile reads and decodes a state file.
func readStateFile(path string) (*stateFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil || f.Version != stateVersion || f.Feeds == nil {
		return nil, errDamaged
	}
	return &f, nil
}

// get returns a copy of a feed's state (zero when unknown or off).
func (s *state) get(key string) feedState {
	if s == nil || s.path == "" {
		return feedState{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if fs := s.file.Feeds[key]; fs != nil {
		return *fs
	}
	return feedState{}
}

// put records a feed's state.
func (s *state) put(key string, fs feedState) {
	if s == nil || s.path == "" {
		return
	}
	sort.Strings(fs.Files)
	if fetch.HasCredentials(fs.URL) {
		// A feed found in a page whose link holds a token is found
		// again next run rather than written down.
		fs.URL = ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.file.Feeds[key]; old != nil && reflect.DeepEqual(*old, fs) {
		// The same as the file holds: a re-run that changed nothing
		// writes nothing (saving re-reads and re-encodes the whole file).
		return
	}
	s.file.Feeds[key] = &fs
	s.dirty = true
	if s.putKeys == nil {
		s.putKeys = map[string]bool{}
	}
	s.putKeys[key] = true
}

// save writes the state file atomically when it changed.
func (s *state) save() error {
	if s == nil || s.path == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty {
		return nil
	}
	// Private: the state names the feeds a user follows.
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return &StateError{Path: s.path, Err: err}
	}
	// Another run on the same folder may have saved since this one read
	// the file (runs that write nothing take no lock): keep its feeds, and
	// put this run's over them.
	if cur, err := readStateFile(s.path); err == nil {
		scrubCredentials(cur)
		for key, fs := range s.file.Feeds {
			if s.putKeys[key] {
				cur.Feeds[key] = fs
			}
		}
		cur.Folder = s.file.Folder
		s.file = *cur
	}
	data, err := json.MarshalIndent(&s.file, "", " ")
	if err != nil {
		return err
	}
	if err := folder.WriteFilePrivate(s.path, append(data, '\n')); err != nil {
		return &StateError{Path: s.path, Err: err}
	}
	s.dirty = false
	return nil
}

// stateKey names a source in the state file: its URL, its absolute path,
// or "-" for standard input. A URL with credentials (a user name and
// password, a secret parameter) is named without them, followed by a sum
// of the whole URL, which tells apart two feeds that differ only in
// their tokens and gives no token back.
func stateKey(src fetch.Source) string {
	switch {
	case src.URL != nil:
		u := src.URL.String()
		if clean := fetch.SourceURL(u); clean != u {
			return clean + " sha256:" + feed.HashBytes([]byte(u))[:16]
		}
		return u
	case src.Stdin:
		return "-"
	}
	if abs, err := filepath.Abs(src.Path); err == nil {
		return abs
	}
	return src.Path
}

// sinceKey is what the fingerprint holds of Since: the time, or for one
// counted back from now, the span (see Options.SinceWindow).
func sinceKey(o *Options) int64 {
	if o.SinceWindow > 0 {
		return -int64(o.SinceWindow / time.Second)
	}
	return o.Since.Unix()
}

// formatVersion names the way this release writes an item. It is summed
// into every fingerprint, so that a release that writes the same item
// differently (in code, not only in the template, which is summed too)
// converts every feed again once, even one whose bytes did not change:
// the files it fixes are rewritten, the others stay as they are. Raise it
// with such a change, and say why here.
//
//	2: terms by FORMAT.md's rule (no tag "..", which stopped Hugo), the
//	   summary escaped for Markdown, dates in full where the day would
//	   hide a post, more date forms read, fragment links kept, Markdown
//	   bodies leave quotes and dashes to the typographer and keep
//	   heading ids, zone abbreviations east of UTC (HKT, SGT…) and Unix's
//	   zone before the year read, an unknown zone read as UTC+14, not UTC
//	   (issues 18, 19).
const formatVersion = 2

// optionsFingerprint sums every option that shapes the files written, so
// that a run with other options never skips a feed as unchanged, and the
// release's formatVersion.
func optionsFingerprint(o *Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "format%d|", formatVersion)
	fmt.Fprintf(h, "%d|%s|%t|%t|%t|%s|%v|%q|%s|%d|%d|", o.MaxTags, o.Body, o.Raw, o.Bundle, o.Draft,
		o.DateFormat, o.Location, o.Categories, fetch.SourceURL(o.Source), o.Limit, sinceKey(o)) // the source as written, no token summed
	words := make([]string, 0, len(o.Stopwords))
	for w := range o.Stopwords {
		words = append(words, w)
	}
	sort.Strings(words)
	fmt.Fprintln(h, words)
	if o.Images == ImagesDownload || o.Aliases || (o.Tags != "" && o.Tags != TagsTitle) {
		// Only when set, so that a default run keeps its fingerprint.
		fmt.Fprintf(h, "%s|%d|%t|%s|\n", o.Images, o.MaxImageSize, o.Aliases, o.Tags)
	}
	if o.Theme != "" {
		fmt.Fprintf(h, "theme|%s|\n", o.Theme)
	}
	if o.FullText {
		fmt.Fprintf(h, "fulltext|%d|\n", o.MaxPageSize)
	}
	if o.Prune > 0 {
		// The first run with -prune converts the feed, to sum its files.
		fmt.Fprintln(h, "prune")
	}
	if o.SiteZone != nil && o.SiteZone != time.UTC {
		// The Hugo site's timeZone decides which dates are written in
		// full: a site set to another zone rewrites them.
		fmt.Fprintf(h, "sitezone|%s|\n", o.SiteZone)
	}
	for _, t := range o.Template.Templates() {
		if t.Tree != nil {
			fmt.Fprintln(h, t.Name(), t.Tree.Root.String())
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Package convert turns RSS, Atom and JSON feeds into one Markdown file per
// item, with the YAML front matter of FORMAT.md, in an output folder that
// also serves as the memory between runs.
//
// A Converter is made once per run with New, then Convert is called for
// each feed (from several goroutines if wanted), then Close. The package
// writes nothing but files in the output folder and its state file; what
// happened is returned as a Result, for the caller to print.
package convert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"text/template"
	"time"

	"github.com/mmcdole/gofeed"
)

// Options configure a Converter. The zero value of a field means its
// default, as documented on it.
type Options struct {
	OutputDir  string             // the folder written to; created before the first write when missing (default ".")
	Template   *template.Template // the front-matter template (required; see ParseTemplate)
	Stopwords  Stopwords          // words never made tags (default DefaultStopwords())
	MaxTags    int                // tags per item; negative for none (default 5)
	Body       string             // BodyHTML (default) or BodyMarkdown
	Raw        bool               // keep active content in bodies (no sanitizing)
	Bundle     bool               // write <slug>/index.md instead of <slug>.md
	Draft      bool               // write draft: true
	DateFormat string             // Go layout of the date key (default "2006-01-02")
	Location   *time.Location     // convert dates to this zone (default: the feed's own offset)
	SiteZone   *time.Location     // the Hugo site's timeZone, which Hugo reads a date without a zone in (default UTC; see SiteTimeZone)
	Categories []string           // the categories key (default: the source's host)
	Source     string             // the source key (default: the feed's URL or self link)

	Client      *http.Client     // the HTTP client (default: a new one)
	UserAgent   string           // sent with every request (default "feed2md")
	Timeout     time.Duration    // for each request, body included (default 30s)
	MaxSize     int64            // the most bytes read from a URL or standard input (default 32 MiB)
	MaxFileSize int64            // the most bytes read from a local file (default DefaultMaxFileSize)
	Retries     int              // extra attempts on a transient HTTP failure; negative for none (default 2)
	RetryWait   time.Duration    // the first backoff, doubled each time (default 1s)
	MaxWait     time.Duration    // the longest Retry-After waited for in the run (default Timeout); a longer one is a *RetryLaterError, recorded in the state
	Stdin       io.Reader        // what "-" reads
	Now         func() time.Time // the clock, for undated items and Retry-After (default time.Now)
	Workers     int              // cores used: items prepared, runs of a large feed parsed (default: the number of CPUs)

	CacheDir string           // where the state file of conditional requests lives ("" for none)
	DryRun   bool             // write nothing: not the files, the folder's memory, nor the state
	Limit    int              // keep only the newest Limit items of each feed (0: all)
	Since    time.Time        // skip items dated before Since (zero: none); undated items stay
	LockWait time.Duration    // how long to wait for another run that holds the folder (0: not at all)
	Warn     func(msg string) // receives warnings, such as a damaged state file (default: dropped)
	OnWait   func(pid string) // called when another run holds the folder and this one waits; pid is "unknown" where the system does not tell

	// CacheStrict makes a CacheDir that cannot be used an error (a
	// *StateError), for a folder the user chose. Otherwise it is one
	// warning and the run goes on without the state: the files are right,
	// only conditional requests are lost.
	CacheStrict bool

	Images       string // ImagesLink (default: leave image URLs as they are) or ImagesDownload (implies Bundle)
	MaxImageSize int64  // the largest image downloaded (default 20 MiB)
	Aliases      bool   // write the item link's path as Hugo aliases when it is on the feed's own host
	Tags         string // where tags come from: TagsTitle (default), TagsFeed or TagsBoth

	// Theme names the Hugo theme of the site (one of Themes; default
	// none): the front matter also carries the keys that theme reads for
	// the item's image, and Hugo's images. A user's Template must use
	// .Theme (Check says so).
	Theme string
}

// Converter converts feeds into one output folder.
type Converter struct {
	opts        Options
	stopwords   Stopwords
	fetch       *fetcher
	store       *store
	state       *state
	lockMu      sync.Mutex
	lock        *folderLock // taken by openFolder before the first write; nil until then
	lockErr     error       // why openFolder failed; every later write fails the same way
	md          markdownPool
	fingerprint string    // of the options that shape the files
	fastRender  bool      // the template is the embedded one: renderDefault
	buffers     sync.Pool // of *[]byte: files are rendered into them, reused once written
	images      *images   // -images download (download.go); nil otherwise
}

// New checks opts and fills in defaults. It creates nothing: the output
// folder and its lock are made right before the first file is written.
func New(opts Options) (*Converter, error) {
	if opts.Template == nil {
		return nil, errors.New("no front-matter template")
	}
	if opts.OutputDir == "" {
		opts.OutputDir = "."
	}
	if opts.Stopwords == nil {
		opts.Stopwords = DefaultStopwords()
	}
	if opts.MaxTags == 0 {
		opts.MaxTags = 5
	}
	switch opts.Body {
	case "":
		opts.Body = BodyHTML
	case BodyHTML, BodyMarkdown:
	default:
		return nil, fmt.Errorf("unknown body mode %q: use %q or %q", opts.Body, BodyHTML, BodyMarkdown)
	}
	if opts.DateFormat == "" {
		opts.DateFormat = "2006-01-02"
	}
	if opts.SiteZone == nil {
		opts.SiteZone = time.UTC
	}
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "feed2md"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxSize == 0 {
		opts.MaxSize = 32 << 20
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	switch {
	case opts.Retries == 0:
		opts.Retries = 2
	case opts.Retries < 0:
		opts.Retries = 0
	}
	if opts.RetryWait <= 0 {
		opts.RetryWait = time.Second
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = opts.Timeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	if opts.Limit < 0 {
		return nil, errors.New("the item limit must be 0 or more")
	}
	if err := opts.Check(); err != nil {
		return nil, err
	}
	if err := checkMigrateOptions(&opts); err != nil {
		return nil, err
	}
	// The folder and its lock are made lazily, right before the first
	// write (openFolder): a run with nothing to write creates nothing.
	st, err := openStore(opts.OutputDir, opts.Bundle, opts.DryRun)
	if err != nil {
		return nil, err
	}
	c := &Converter{
		opts:      opts,
		stopwords: opts.Stopwords,
		store:     st,
		state:     &state{},
		fetch: &fetcher{
			client: opts.Client, userAgent: opts.UserAgent, timeout: opts.Timeout, maxSize: opts.MaxSize, maxFileSize: opts.MaxFileSize,
			retries: opts.Retries, retryDelay: opts.RetryWait, maxWait: opts.MaxWait, now: opts.Now, stdin: opts.Stdin,
		},
	}
	if opts.Body == BodyMarkdown {
		c.md = newMarkdownPool(opts.Workers)
	}
	c.fingerprint = optionsFingerprint(&c.opts)
	c.fastRender = isDefaultLayout(opts.Template)
	c.buffers.New = func() any { b := make([]byte, 0, 8<<10); return &b }
	if opts.Images == ImagesDownload {
		c.images = newImages(c)
	}
	if opts.CacheDir != "" {
		c.state, err = loadState(opts.CacheDir, opts.OutputDir)
		var se *StateError
		switch {
		case errors.As(err, &se) && !opts.CacheStrict:
			// Only conditional requests are lost: one warning, and the
			// run goes on without the state (nor tries to save it).
			opts.Warn(cacheOff(se))
			c.state = &state{}
		case c.state == nil:
			return nil, err
		case err != nil:
			opts.Warn(err.Error())
		}
	}
	return c, nil
}

// Close saves what the output folder must remember about items without a
// link, and the state of conditional requests, then releases the folder.
// Call it once, after the last Convert. A dry run saves nothing.
func (c *Converter) Close() error {
	defer c.lock.unlock()
	if c.opts.DryRun {
		return nil
	}
	var errs []error
	if c.lock != nil {
		// Without the lock, no item was given a file: nothing to flush.
		if err := c.flushIDs(); err != nil && !isFull(err) {
			return err
		} else if err != nil {
			// The files of this run that only idsFile could identify are
			// gone (see flushIDs): what the state says of their feeds is
			// right, and it may be saved on another file system.
			errs = append(errs, err)
		}
		if err := c.images.save(); err != nil {
			if what, hint, ok := fullCause(err); ok {
				err = &idsFullError{err, fmt.Sprintf("%s writing %s: %s not saved; the next run may fetch some images again; %s and run again", what, c.opts.OutputDir, imagesFile, hint)}
			}
			return errors.Join(append(errs, err)...)
		}
	}
	err := c.state.save()
	var se *StateError
	if errors.As(err, &se) && !c.opts.CacheStrict {
		c.opts.Warn(cacheOff(se))
		err = nil
	}
	return errors.Join(append(errs, err)...)
}

// flushIDs saves idsFile (see store.flush). When the file system is too
// full (or read-only), the files created in this run that only the new
// idsFile could identify are removed (store.rollBack), to make room and
// so that the next run does not write them twice under other names, and
// the save is tried once more. The error then says what was done, in one
// line; it wraps the system's error.
func (c *Converter) flushIDs() error {
	err := c.store.flush()
	what, hint, full := fullCause(err)
	if !full {
		return err
	}
	removed, kept := c.store.rollBack()
	if removed > 0 {
		if err2 := c.store.flush(); err2 == nil {
			return &idsFullError{err, fmt.Sprintf("%s writing %s: removed %d files of this run that only %s could identify, to make room to save it; %s and run again to write them", what, c.opts.OutputDir, removed, idsFile, hint)}
		}
	}
	msg := fmt.Sprintf("%s writing %s: %s not saved; the files of this run are found again by their links", what, c.opts.OutputDir, idsFile)
	if removed > 0 {
		msg += fmt.Sprintf(", but %d that only it could identify were removed", removed)
	}
	if kept > 0 {
		msg += fmt.Sprintf(", but %d that only it could identify could not be removed and may be written twice", kept)
	}
	return &idsFullError{err, msg + "; " + hint + " and run again"}
}

// idsFullError is idsFile (or imagesFile) not saved for a full or
// read-only file system, with what was done about it.
type idsFullError struct {
	err error // the system's
	msg string
}

func (e *idsFullError) Error() string { return e.msg }

func (e *idsFullError) Unwrap() error { return e.err }

// cacheOff is the warning for a state file that cannot be used.
func cacheOff(err *StateError) string {
	return err.Error() + ": the files are written, but conditional requests are off until the cache folder is usable (or choose one with -cache-dir, or -no-cache)"
}

// Change is one file written or left alone.
type Change struct {
	Path   string // the file's path: the output folder joined with its name
	Name   string // the file's name relative to the output folder
	Action string // ActionNew, ActionUpdated or ActionUnchanged
	Link   string // the item's link, or its GUID or title when it has none
}

// Result is what converting one feed did.
type Result struct {
	Source    Source   // the feed
	Items     int      // items in the feed
	New       int      // files created
	Updated   int      // files rewritten
	Unchanged int      // files that already held exactly the item
	Skipped   int      // items the feed lists twice, or an earlier feed of the run listed
	Repeats   []string // the link (else id or title) of each item skipped
	Notes     []string // what a lenient reading changed, such as a JSON Feed field of the wrong type
	Filtered  int      // items left out by Limit or Since
	Changes   []Change // one per item written or left alone, in feed order
	Errors    []error  // one per failed item (ItemError); a full file system adds one FullError for the rest
	Err       error    // set when the feed as a whole failed; nothing was written

	// NotWritten is the items not written because the output folder's
	// file system is full or read-only (a FullError in Errors says so):
	// the next run writes them.
	NotWritten int

	NotModified bool   // the server answered 304 to a conditional request: nothing parsed
	SameBytes   bool   // the feed's bytes, the options and the files are as last time: nothing parsed
	MovedTo     string // the feed's new URL after a permanent redirect: update the list (may hold credentials: show it with RedactURL)
	Discovered  string // the feed URL found in the HTML page the source is, when that feed converted (may hold credentials: show it with RedactURL)

	// NotBefore is set when the feed was not fetched because an earlier
	// run's server asked, with Retry-After, for no request before then
	// (see RetryLaterError). Nothing failed and nothing was written.
	NotBefore time.Time

	ImagesSaved  int     // images downloaded into bundles (-images download)
	ImagesFailed int     // images left as absolute URLs because they failed; tried again next run
	ImageErrors  []error // one per failed image (ImageError), for -v
}

// Failed reports whether the feed or any of its items failed.
func (r *Result) Failed() bool { return r.Err != nil || len(r.Errors) > 0 }

// Convert reads one feed and writes its items. It does not return an
// error: a failure is in the Result, so that the caller can go on with the
// other feeds. It is safe to call from several goroutines.
func (c *Converter) Convert(ctx context.Context, src Source) *Result {
	return c.finish(ctx, c.load(ctx, src))
}

// ConvertAll converts the feeds and hands each Result to each in the order
// of srcs. Feeds are fetched and parsed jobs at a time; their items are
// prepared, claimed and written one feed at a time in list order, so that
// an item found in two feeds always belongs to the first, and the output
// is the same whatever the concurrency.
func (c *Converter) ConvertAll(ctx context.Context, srcs []Source, jobs int, each func(*Result)) {
	if jobs < 1 {
		jobs = 1
	}
	done := make([]chan *loaded, len(srcs))
	for i := range done {
		done[i] = make(chan *loaded, 1)
	}
	// jobs feeds load at a time, and at most 2*jobs are loaded or loading
	// before the writer has finished them: a loaded feed holds its items,
	// or for a large one a spool file and runs parsed ahead.
	loading := make(chan struct{}, jobs)
	held := make(chan struct{}, 2*jobs)
	go func() {
		for i, src := range srcs {
			held <- struct{}{}
			loading <- struct{}{}
			go func() {
				defer func() { <-loading }()
				if ctx.Err() != nil {
					done[i] <- &loaded{res: &Result{Source: src, Err: ctx.Err()}}
					return
				}
				done[i] <- c.load(ctx, src)
			}()
		}
	}()
	for i := range srcs {
		each(c.finish(ctx, <-done[i]))
		<-held
	}
}

// loaded is a feed fetched and parsed (a large one: its first run of
// items, the rest streaming), waiting for its turn to be written.
type loaded struct {
	res   *Result
	key   string        // the feed's key in the state
	prev  feedState     // what the last run remembered
	fast  bool          // nothing to parse: a 304, or the same bytes
	f     *fetched      // the response (nil on failure)
	items *items        // the items to write, in feed order
	info  feedInfo      // what the items share
	hash  func() string // SHA-256 of the feed's bytes (maybe still being summed)
}

// load is the part of Convert that can run beside other feeds: fetch,
// decode, parse and filter.
func (c *Converter) load(ctx context.Context, src Source) *loaded {
	l := &loaded{res: &Result{Source: src}, key: stateKey(src)}
	res := l.res
	prev := c.state.get(l.key)
	if !prev.NotBefore.IsZero() {
		if c.opts.Now().Before(prev.NotBefore) {
			// The server asked not to be asked yet (Retry-After).
			l.prev, res.NotBefore = prev, prev.NotBefore
			return l
		}
		prev.NotBefore = time.Time{} // past: forgotten when the state is next put
	}
	// The last run's memory counts only if it was made with the same
	// options and every file it wrote is still there (a deleted file must
	// come back).
	valid := prev.Options == c.fingerprint && len(prev.Files) > 0 && c.store.allExist(prev.Files)
	var validators Validators
	if valid {
		validators = prev.Validators
	}
	target := src
	if prev.URL != "" {
		if u, err := ParseSource(prev.URL); err == nil && u.URL != nil {
			target = u
		}
	}
	compare := valid // whether the bytes read must be hashed to compare
	fileSum := ""    // the file's sum, when it was taken here
	if valid && target.URL == nil && !target.Stdin {
		// A file is hashed as it is read, in small pieces: when it is the
		// same as last time it is never held in memory at all.
		h, err := hashFile(target.Path)
		if err == nil && h == prev.Hash {
			l.prev, l.f, l.fast = prev, &fetched{}, true
			l.hash = func() string { return h }
			res.SameBytes = true
			return l
		}
		compare, fileSum = err != nil, h
	}
	f, err := c.fetch.read(ctx, target, validators)
	if err != nil && prev.URL != "" && !errors.As(err, new(*RetryLaterError)) {
		// The discovered feed failed: discover it again from the page.
		prev.URL, validators = "", Validators{}
		f, err = c.fetch.read(ctx, src, validators)
	}
	l.prev = prev
	if err != nil {
		res.Err = maskCredentials(err, src.URL)
		return l
	}
	l.f = f
	res.MovedTo = f.movedTo
	if prev.URL != "" {
		res.Discovered = prev.URL
	}
	if f.notModified {
		l.fast, res.NotModified = true, true
		return l
	}
	feed, list, err := c.parse(ctx, f, l, compare, fileSum)
	if l.fast {
		res.SameBytes = true
		return l
	}
	var nf *NotFeedError
	if errors.As(err, &nf) && nf.What == "an HTML page" && src.URL != nil && prev.URL == "" {
		found := discoverFeed(f.body, f.url)
		if found == "" {
			res.Err = &NotFeedError{What: "an HTML page that links to no feed"}
			return l
		}
		fs, _ := ParseSource(found)
		if f, err = c.fetch.read(ctx, fs, Validators{}); err != nil {
			res.Err = maskCredentials(fmt.Errorf("the feed %s found in the page: %w", RedactURL(found), err), fs.URL)
			return l
		}
		l.f = f
		feed, list, err = c.parse(ctx, f, l, false, "")
		if err != nil {
			// Not a feed either (a page whose link points back to
			// itself): no notice to use it.
			err = maskCredentials(fmt.Errorf("the feed %s found in the page: %w", RedactURL(found), err), fs.URL)
		} else {
			res.Discovered = found
		}
	}
	// The parsed items (or the stream, which keeps what it needs) hold
	// their own copies of the text: the raw bytes can go.
	f.body = nil
	if err != nil {
		res.Err, res.Discovered = err, ""
		return l
	}
	if !c.opts.Since.IsZero() || c.opts.Limit > 0 {
		notes := list.notes
		if list, err = c.filter(ctx, list, res); err != nil {
			res.Err = err
			res.Notes = append(res.Notes, notes.take()...)
			return l
		}
	}
	res.Items = list.total + res.Filtered
	l.items, l.info = list, newFeedInfo(feed, src, f.url, &c.opts)
	return l
}

// finish prepares, claims and writes the items of a loaded feed and
// records its state. Feeds are finished one at a time.
func (c *Converter) finish(ctx context.Context, l *loaded) *Result {
	res := l.res
	var later *RetryLaterError
	switch {
	case errors.As(res.Err, &later) && c.state.path != "" && !c.opts.DryRun:
		// Runs before then skip the feed; the rest of its state stays,
		// so that the request after is still conditional.
		prev := l.prev
		prev.NotBefore, later.Kept = later.Until, true
		c.state.put(l.key, prev)
		return res
	case res.Err != nil:
		return res
	case !res.NotBefore.IsZero():
		// Its files are this feed's in this run, as for a 304.
		c.store.claimFiles(l.prev.Files)
		return res
	}
	if l.fast {
		prev := l.prev
		// The counts are the last full run's, so that a summary says the
		// same whichever way the run went.
		res.Items, res.Unchanged = len(prev.Files), len(prev.Files)
		if prev.Items > 0 {
			res.Items, res.Filtered = prev.Items, prev.Filtered
			res.Skipped, res.Repeats = len(prev.Repeats), prev.Repeats
		}
		for _, name := range prev.Files {
			res.Changes = append(res.Changes, Change{Path: filepath.Join(c.opts.OutputDir, name), Name: name, Action: ActionUnchanged})
		}
		// Its items are this feed's in this run: another feed listing the
		// same item does not take it over.
		c.store.claimFiles(prev.Files)
		prev.Validators = l.f.validators
		c.state.put(l.key, prev)
		return res
	}
	if l.items.total > 0 {
		if err := c.openFolder(ctx); err != nil {
			l.items.stop()
			res.Err = err
			res.Notes = append(res.Notes, l.items.notes.take()...)
			return res
		}
	}
	dateNotes := c.writeItems(ctx, l.items, l.info, res)
	l.items.stop()
	// The notes of the parse first, then the items', whichever way the
	// feed was read.
	res.Notes = append(res.Notes, l.items.notes.take()...)
	res.Notes = append(res.Notes, dateNotes...)
	l.items = nil
	next := feedState{URL: res.Discovered, Options: c.fingerprint, Items: res.Items, Repeats: res.Repeats, Filtered: res.Filtered}
	for _, ch := range res.Changes {
		next.Files = append(next.Files, ch.Name)
	}
	if len(res.Errors) == 0 && res.ImagesFailed == 0 {
		// Only a complete success may let the next run skip the feed.
		next.Validators, next.Hash = l.f.validators, l.hash()
	}
	c.state.put(l.key, next)
	return res
}

// parse decodes and parses fetched bytes: the feed's own data, and its
// items in order (parsed ahead in parallel for a large feed), and in
// l.res.Notes what a lenient reading changed. It sets
// l.hash, the sum of the bytes for the next run; when compare is set and
// the sum is the last run's, it parses nothing and sets l.fast. fileSum
// is the sum of a file already taken, if any.
//
// A document of at most memMax bytes is in f.body, and decoded and
// parsed in memory. A larger one, or a compressed one, is streamed (see
// stream.go): f.rest is consumed, and the items' stop releases the file
// the runs are read from.
func (c *Converter) parse(ctx context.Context, f *fetched, l *loaded, compare bool, fileSum string) (*gofeed.Feed, *items, error) {
	body := f.body
	if f.rest == nil && len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		// Compressed: in memory when it decompresses to at most memMax
		// bytes, else streamed like a large document.
		if plain, err := gunzip(body, int64(memMax)); err == nil {
			body = plain
		} else if !errors.As(err, new(*TooLargeError)) {
			return nil, nil, err
		}
	}
	gzipped := len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b
	if f.rest == nil && !gzipped {
		if compare || fileSum != "" {
			h := fileSum
			if h == "" {
				h = hashBytes(f.body)
			}
			l.hash = func() string { return h }
		} else {
			// Nothing to compare with: hash beside the parse, for the next run.
			l.hash = hashAsync(f.body)
		}
		if compare && l.prev.Hash == l.hash() {
			l.fast = true
			return nil, nil, nil
		}
		d, err := decode(body, f.contentType, f.limit)
		if err != nil {
			return nil, nil, err
		}
		return c.parseDecoded(l, d)
	}
	if f.rest == nil {
		f.rest = io.NopCloser(bytes.NewReader(nil))
	}
	// A local file is summed from its path, beside the first pass; any
	// other stream as it is read.
	sum := f.file == nil && fileSum == "" // a sum load already took is not taken again
	switch {
	case fileSum != "":
		l.hash = func() string { return fileSum }
	case f.file != nil:
		l.hash = hashFileAsync(f.file)
	}
	big, d, err := scanBig(ctx, f, sum, c.opts.Workers)
	f.body = nil // the document's first bytes, read again by scanBig
	if big != nil && big.file != nil && big.file == f.file {
		f.rest = nil // the bigDoc reads the file on, and closes it
	}
	f.close()
	if err != nil {
		return nil, nil, err
	}
	if sum {
		h := big.sum
		l.hash = func() string { return h }
	}
	if compare && l.prev.Hash == l.hash() {
		big.close()
		l.fast = true
		return nil, nil, nil
	}
	if d != nil {
		if d.kind == kindHTML {
			f.body = d.data // for autodiscovery
		}
		return c.parseDecoded(l, d)
	}
	feed, list, err := parseBig(big, c.opts.Workers)
	if err != nil {
		big.close()
		return nil, nil, err
	}
	stop := list.stop
	list.stop = func() { stop(); big.close() }
	return feed, list, nil
}

// parseDecoded parses a document decoded in memory (see parseStream) and
// adds to l.res.Notes what a lenient reading changed.
func (c *Converter) parseDecoded(l *loaded, d *decoded) (*gofeed.Feed, *items, error) {
	feed, list, err := parseStream(d, c.opts.Workers)
	l.res.Notes = append(l.res.Notes, d.notes...)
	return feed, list, err
}

// filter applies Since and Limit to a feed's items, keeping feed order,
// and returns the items kept. It reads every item for its date first. A
// stream of runs (a large feed) is then read a second time for the items
// kept only, so that they are never all held at once; the runs with none
// of them are not parsed again. Items parsed whole are held as a slice.
func (c *Converter) filter(ctx context.Context, list *items, res *Result) (*items, error) {
	dates := make([]itemDate, list.total)
	var all []*gofeed.Item
	if list.again == nil {
		all = make([]*gofeed.Item, list.total)
	}
	for i := range dates {
		if i%256 == 0 && ctx.Err() != nil {
			list.stop()
			return nil, ctx.Err()
		}
		it, err := list.get(i)
		if err != nil {
			list.stop()
			return nil, err
		}
		if it == nil {
			continue
		}
		dates[i].present = true
		dates[i].t, dates[i].ok, _ = itemTime(it)
		if all != nil {
			all[i] = it
		}
	}
	keep := c.selectItems(dates)
	var out *items
	if all != nil {
		kept := all[:0]
		for i, it := range all {
			if keep[i] {
				kept = append(kept, it)
			}
		}
		out = sliceItems(kept)
	} else {
		var err error
		if out, err = list.again(keep); err != nil {
			list.stop()
			return nil, err
		}
	}
	first, second := list.stop, out.stop
	out.stop = func() { second(); first() }
	out.notes = list.notes
	res.Filtered = list.total - out.total
	return out, nil
}

// itemDate is what the filters know of an item.
type itemDate struct {
	t       time.Time
	ok      bool // the item has a date
	present bool // there is an item at all
}

// selectItems says which items Since and Limit keep.
func (c *Converter) selectItems(dates []itemDate) []bool {
	keep := make([]bool, len(dates))
	var kept []int
	for i, d := range dates {
		if !d.present || d.ok && !c.opts.Since.IsZero() && d.t.Before(c.opts.Since) {
			continue
		}
		kept = append(kept, i)
	}
	if c.opts.Limit > 0 && len(kept) > c.opts.Limit {
		// Newest first; an undated item counts as newest (it gets today's date).
		order := slices.Clone(kept)
		sort.SliceStable(order, func(a, b int) bool {
			x, y := dates[order[a]], dates[order[b]]
			if x.ok != y.ok {
				return !x.ok
			}
			return x.t.After(y.t)
		})
		kept = order[:c.opts.Limit]
	}
	for _, i := range kept {
		keep[i] = true
	}
	return keep
}

// window bounds how many items are prepared ahead of the writer, and so
// how much of a large feed is held twice.
const window = 256

// pipeline prepares items on all workers and hands each to use in feed
// order, as soon as it and every item before it are ready. Each item is
// released once prepared, so a large feed is never held whole twice.
func (c *Converter) pipeline(ctx context.Context, list *items, fi feedInfo, use func(int, *prepared)) {
	n := list.total
	// At most window items are in flight (ahead), so item i can use slot
	// i%window: item i-window, its last user, has been taken.
	ready := make([]chan *prepared, min(n, window))
	for i := range ready {
		ready[i] = make(chan *prepared, 1)
	}
	type job struct {
		i   int
		it  *gofeed.Item
		err error
	}
	jobs := make(chan job)
	ahead := make(chan struct{}, window)
	go func() {
		defer close(jobs)
		for i := 0; i < n; i++ {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			it, err := list.get(i)
			jobs <- job{i, it, err}
		}
	}()
	for w := 0; w < min(c.opts.Workers, n); w++ {
		go func() {
			for j := range jobs {
				var p *prepared
				switch {
				case j.err != nil:
					p = &prepared{err: j.err, name: fmt.Sprintf("#%d", j.i+1)}
				case j.it != nil:
					p = c.prepare(j.it, fi)
				}
				ready[j.i%len(ready)] <- p
			}
		}()
	}
	for i := 0; i < n; i++ {
		var p *prepared
		select {
		case p = <-ready[i%len(ready)]:
		case <-ctx.Done():
			// The feeder stops; workers finish what they hold.
			go func() {
				for range jobs {
				}
			}()
			return
		}
		<-ahead
		use(i, p)
	}
}

// writeItems gives each item a file and writes it. Files are claimed and
// rendered in feed order, so that slugs and output are deterministic;
// the writes themselves run on a few goroutines. It returns the items'
// notes (a date that could not be read), in feed order.
func (c *Converter) writeItems(ctx context.Context, list *items, fi feedInfo, res *Result) (notes []string) {
	n := list.total
	// A full file system stops the feed at the first file that does not
	// fit: the items after it are neither prepared nor claimed. A feed
	// after it in the run stops at its first file to write (the store
	// writes nothing more); its files that hold their items already are
	// unchanged, as in any run.
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	// What each item came to is kept without pointers until the feed is
	// written (see arena.go): the names in an arena, errors aside.
	type outcome struct {
		name   sref  // how messages name the item
		file   sref  // its file's name
		action uint8 // 1 + index in actions once written
		dup    bool
		failed bool // its error is in errs
		full   bool // not written: the file system is full (see FullError)
	}
	actions := [...]string{ActionNew, ActionUpdated, ActionUnchanged}
	outcomes := make([]outcome, n)
	var strs arena
	var errMu sync.Mutex
	errs := map[int]error{}
	fail := func(i int, err error) {
		errMu.Lock()
		errs[i] = err
		outcomes[i].failed = true
		errMu.Unlock()
	}
	// notWritten records that item i, claimed as f, is not written
	// because the file system is full (err, when its write said so).
	notWritten := func(i int, f *stored, err error) {
		if err != nil {
			c.store.setFull(err)
			stop()
		}
		c.store.drop(f)
		outcomes[i].full = true
	}
	type job struct {
		i    int
		f    *stored
		data []byte
	}
	writes := make(chan job, 64)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range writes {
				if j.data == nil && c.store.full() != nil {
					// The file system filled up: its images are not
					// fetched. (A rendered item is still compared with
					// its file: one that holds it is unchanged.)
					notWritten(j.i, j.f, nil)
					continue
				}
				if j.data == nil {
					// -images download: the item's images go into its
					// bundle first, then it is rendered (download.go).
					var err error
					if j.data, err = c.images.finish(ctx, j.f, res); isFull(err) {
						notWritten(j.i, j.f, err)
						continue
					} else if err != nil {
						fail(j.i, err)
						continue
					}
				}
				action, err := c.store.write(j.f, j.data)
				c.releaseBuffer(j.data)
				if isFull(err) {
					notWritten(j.i, j.f, err)
					continue
				}
				if err != nil {
					fail(j.i, err)
					continue
				}
				for k, a := range actions {
					if a == action {
						outcomes[j.i].action = uint8(k + 1)
					}
				}
			}
		}()
	}
	handled := 0 // items taken in order; after an interrupt, the rest are not
	ids := newFeedIDs(fi.scope)
	c.store.knowOldScope(fi.scope, fi.oldScope)
	type later struct {
		i    int
		p    *prepared
		key  string
		used string // the key claim held for it
	}
	var deferred []later
	claimed := map[digest]struct{}{} // the keys this feed's items were claimed under
	send := func(i int, key, used string, f *stored, data []byte) {
		if used == key {
			claimed[digestOf(key)] = struct{}{}
		}
		outcomes[i].file = strs.add(f.name)
		writes <- job{i, f, data}
	}
	c.pipeline(pctx, list, fi, func(i int, p *prepared) {
		if pctx.Err() != nil {
			return
		}
		handled = i + 1
		if p == nil {
			return
		}
		outcomes[i].name = strs.add(p.name)
		if p.note != "" {
			notes = append(notes, p.note)
		}
		if p.err != nil {
			fail(i, p.err)
			return
		}
		key, firstLink, repeat := ids.see(&p.id)
		if repeat {
			outcomes[i].dup = true
			res.Repeats = append(res.Repeats, p.name)
			return
		}
		lo := looseNo
		switch {
		case firstLink && len(deferred) < maxDeferred:
			lo = looseLater
		case firstLink:
			// Too many to hold: decided now, as if no later item had the link.
			lo = looseTake
		}
		f, used, data, err := c.claimAndRender(p, key, lo)
		switch {
		case err != nil:
			fail(i, err)
		case f == claimLater:
			deferred = append(deferred, later{i, p, key, used})
		case f == nil:
			outcomes[i].dup = true
			res.Repeats = append(res.Repeats, p.name+" (written for an earlier feed)")
		default:
			send(i, key, used, f, data)
		}
	})
	if pctx.Err() == nil {
		// The whole feed is read: items that may take a file by their link
		// alone get it if no other item has that link.
		for _, d := range deferred {
			lo := looseNo
			if ids.onlyWithLink(&d.p.id) {
				lo = looseTake
			}
			c.store.unclaim(d.used)
			f, used, data, err := c.claimAndRender(d.p, d.key, lo)
			switch {
			case err != nil:
				fail(d.i, err)
			case f == nil || f == claimLater:
				outcomes[d.i].dup = true
				res.Repeats = append(res.Repeats, d.p.name+" (written for an earlier feed)")
			default:
				send(d.i, d.key, used, f, data)
			}
		}
		// And ids or links found shared after their first item was
		// claimed are recorded as what tells those items apart.
		ids.each(func(key string, id *itemID) {
			if _, ok := claimed[digestOf(key)]; ok {
				c.store.rekey(key, ids.final(id), id)
			}
		})
	}
	ids, claimed = nil, nil
	unwritten := n - handled
	if pctx.Err() != nil {
		// Interrupted, or the file system is full: the items put off are
		// not written either.
		unwritten += len(deferred)
	}
	deferred = nil
	close(writes)
	wg.Wait()
	for i, o := range outcomes[:handled] {
		switch {
		case o.failed:
			res.Errors = append(res.Errors, &ItemError{Link: strs.str(o.name), Err: errs[i]})
		case o.full:
			unwritten++
		case o.dup:
			res.Skipped++
		case o.action > 0:
			name := strs.str(o.file)
			ch := Change{Path: filepath.Join(c.opts.OutputDir, name), Name: name, Action: actions[o.action-1], Link: strs.str(o.name)}
			res.Changes = append(res.Changes, ch)
			switch ch.Action {
			case ActionNew:
				res.New++
			case ActionUpdated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
	}
	switch err := c.store.full(); {
	case err != nil && unwritten > 0:
		// Every file so far is whole; the next run writes the rest.
		res.NotWritten = unwritten
		res.Errors = append(res.Errors, &FullError{Dir: c.opts.OutputDir, Err: err, Written: res.New + res.Updated + res.Unchanged, Items: n})
	case unwritten > 0:
		// Interrupted: every file so far is whole; the rest is not written.
		res.Errors = append(res.Errors, fmt.Errorf("interrupted: %d items not written", unwritten))
	}
	return notes
}

// releaseBuffer gives back the buffer of a rendered file once written
// (or not), when it came from c.buffers (see renderItem).
func (c *Converter) releaseBuffer(data []byte) {
	if c.fastRender && data != nil {
		data = data[:0]
		c.buffers.Put(&data)
	}
}

// maxDeferred bounds the items of one feed held to its end (see
// store.claim): each holds its body.
const maxDeferred = 1024

// writers is how many files are written at once.
const writers = 4

// claimAndRender gives a prepared item its file (see store.claim) and
// renders its bytes. It returns a nil file for an item already written in
// this run, and claimLater for one put off to the end of its feed; used
// is the key the claim was made under.
func (c *Converter) claimAndRender(p *prepared, key string, lo loose) (f *stored, used string, data []byte, err error) {
	f, used, err = c.store.claim(key, &p.id, lo, p.fm.Slug)
	if err != nil || f == nil || f == claimLater {
		return f, used, nil, err
	}
	fm := p.fm
	fm.Slug = f.slug
	if !p.hasDate && f.date != "" {
		// An undated item keeps the date its file was first written with,
		// which hugoDate may have written in full.
		fm.Date = f.date
		if t, err := time.Parse(c.opts.DateFormat, f.date); err == nil {
			fm.Time = t
		} else if t, ok := hugoParseDateIn(f.date, c.opts.SiteZone); ok {
			fm.Time = t
		}
	} else {
		t := p.when
		if !p.hasDate {
			t = c.opts.Now()
		}
		if c.opts.Location != nil {
			t = t.In(c.opts.Location)
		}
		fm.Time, fm.Date = t, hugoDate(t, c.opts.DateFormat, c.opts.SiteZone)
	}
	if c.images.wants(f) {
		// Rendered by a writer once its images are in its bundle.
		c.images.hold(f, fm, p.body)
		return f, used, nil, nil
	}
	data, err = c.renderItem(&fm, p.body)
	if err != nil {
		return nil, used, nil, err
	}
	return f, used, data, nil
}

// renderItem renders an item's file: the embedded layout into a pooled
// buffer (the writer gives it back), or the user's template, which also
// gets the body as .Content.
func (c *Converter) renderItem(fm *FrontMatter, body string) ([]byte, error) {
	fm.Theme = c.opts.Theme
	if fm.Image != "" && (fm.Theme != "" || !c.fastRender) {
		fm.ThemeImage = themeImage(fm.Image)
		fm.Images = socialImages(fm.ThemeImage)
	}
	if c.fastRender {
		buf := c.buffers.Get().(*[]byte)
		return renderDefault((*buf)[:0], fm, body), nil
	}
	fm.Content = body
	data, err := render(c.opts.Template, fm, body)
	if err != nil {
		return nil, fmt.Errorf("front-matter template: %w", err)
	}
	return data, nil
}

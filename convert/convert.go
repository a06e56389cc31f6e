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
	"context"
	"errors"
	"feed2md/convert/body"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
)

// Converter converts feeds into one output folder.
type Converter struct {
	opts        Options
	stopwords   frontmatter.Stopwords
	fetch       *fetch.Fetcher
	store       *folder.Store
	state       *state
	folder      *folder.Opener // opens the output folder before the first write
	bodies      *body.Maker
	fields      *frontmatter.Fields
	fingerprint string    // of the options that shape the files
	fastRender  bool      // the template is the embedded one: renderDefault
	buffers     sync.Pool // of *[]byte: files are rendered into them, reused once written
	images      *images   // -images download (download.go); nil otherwise
}

// New checks opts and fills in defaults. It creates nothing: the output
// folder and its lock are made right before the first file is written.
//
// It is long because it fills in every option's default and checks it,
// field after field, in one place.
func New(opts Options) (*Converter, error) {
	if opts.Template == nil {
		return nil, errors.New("no front-matter template")
	}
	if opts.OutputDir == "" {
		opts.OutputDir = "."
	}
	if opts.Stopwords == nil {
		opts.Stopwords = frontmatter.DefaultStopwords()
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
		opts.MaxFileSize = fetch.DefaultMaxFileSize
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
	// write (opener): a run with nothing to write creates nothing.
	st, err := folder.OpenStore(opts.OutputDir, opts.Bundle, opts.DryRun)
	if err != nil {
		return nil, err
	}
	c := &Converter{
		opts:      opts,
		stopwords: opts.Stopwords,
		store:     st,
		state:     &state{},
		folder:    &folder.Opener{Dir: opts.OutputDir, DryRun: opts.DryRun, Wait: opts.LockWait, OnWait: opts.OnWait},
		fetch: &fetch.Fetcher{
			Client: opts.Client, UserAgent: opts.UserAgent, Timeout: opts.Timeout, MaxSize: opts.MaxSize, MaxFileSize: opts.MaxFileSize,
			Retries: opts.Retries, RetryDelay: opts.RetryWait, MaxWait: opts.MaxWait, Now: opts.Now, Stdin: opts.Stdin,
			Sniff: feed.Sniff,
		},
	}
	c.bodies = body.NewMaker(opts.Body == BodyMarkdown, opts.Raw, opts.Workers)
	c.fingerprint = optionsFingerprint(&c.opts)
	c.fastRender = frontmatter.IsDefaultLayout(opts.Template)
	c.fields = &frontmatter.Fields{Stopwords: opts.Stopwords, MaxTags: opts.MaxTags, Tags: opts.Tags, Draft: opts.Draft, Aliases: opts.Aliases, All: !c.fastRender}
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
	defer c.folder.Close()
	if c.opts.DryRun {
		return nil
	}
	var errs []error
	if c.folder.Opened() {
		// Without the lock, no item was given a file: nothing to flush.
		if err := c.flushIDs(); err != nil && !folder.IsFull(err) {
			return err
		} else if err != nil {
			// The files of this run that only idsFile could identify are
			// gone (see flushIDs): what the state says of their feeds is
			// right, and it may be saved on another file system.
			errs = append(errs, err)
		}
		if err := c.images.save(); err != nil {
			if what, hint, ok := folder.FullCause(err); ok {
				err = &idsFullError{err, fmt.Sprintf("%s writing %s: %s not saved; the next run may fetch some images again; %s and run again", what, c.opts.OutputDir, folder.ImagesFile, hint)}
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
	err := c.store.Flush()
	what, hint, full := folder.FullCause(err)
	if !full {
		return err
	}
	removed, kept := c.store.RollBack()
	if removed > 0 {
		if err2 := c.store.Flush(); err2 == nil {
			return &idsFullError{err, fmt.Sprintf("%s writing %s: removed %d files of this run that only %s could identify, to make room to save it; %s and run again to write them", what, c.opts.OutputDir, removed, folder.IDsFile, hint)}
		}
	}
	msg := fmt.Sprintf("%s writing %s: %s not saved; the files of this run are found again by their links", what, c.opts.OutputDir, folder.IDsFile)
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

// Convert reads one feed and writes its items. It does not return an
// error: a failure is in the Result, so that the caller can go on with the
// other feeds. It is safe to call from several goroutines.
func (c *Converter) Convert(ctx context.Context, src fetch.Source) *Result {
	return c.finish(ctx, c.load(ctx, src))
}

// ConvertAll converts the feeds and hands each Result to each in the order
// of srcs. Feeds are fetched and parsed jobs at a time; their items are
// prepared, claimed and written one feed at a time in list order, so that
// an item found in two feeds always belongs to the first, and the output
// is the same whatever the concurrency.
func (c *Converter) ConvertAll(ctx context.Context, srcs []fetch.Source, jobs int, each func(*Result)) {
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
	key   string         // the feed's key in the state
	prev  feedState      // what the last run remembered
	fast  bool           // nothing to parse: a 304, or the same bytes
	f     *fetch.Fetched // the response (nil on failure)
	items *feed.Items    // the items to write, in feed order
	info  feedInfo       // what the items share
	hash  func() string  // SHA-256 of the feed's bytes (maybe still being summed)
}

// load is the part of Convert that can run beside other feeds: fetch,
// decode, parse and filter.
//
// It is long because it is a feed's path in order (Retry-After, fetch, 304,
// parse, discovery, filter), each step an early return that fills the
// Result.
func (c *Converter) load(ctx context.Context, src fetch.Source) *loaded {
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
	valid := prev.Options == c.fingerprint && len(prev.Files) > 0 && c.store.AllExist(prev.Files)
	var validators fetch.Validators
	if valid {
		validators = prev.Validators
	}
	target := src
	if prev.URL != "" {
		if u, err := fetch.ParseSource(prev.URL); err == nil && u.URL != nil {
			target = u
		}
	}
	compare := valid // whether the bytes read must be hashed to compare
	fileSum := ""    // the file's sum, when it was taken here
	if valid && target.URL == nil && !target.Stdin {
		// A file is hashed as it is read, in small pieces: when it is the
		// same as last time it is never held in memory at all.
		h, err := feed.HashFile(target.Path)
		if err == nil && h == prev.Hash {
			l.prev, l.f, l.fast = prev, &fetch.Fetched{}, true
			l.hash = func() string { return h }
			res.SameBytes = true
			return l
		}
		compare, fileSum = err != nil, h
	}
	f, err := c.fetch.Read(ctx, target, validators)
	if err != nil && prev.URL != "" && !errors.As(err, new(*fetch.RetryLaterError)) {
		// The discovered feed failed: discover it again from the page.
		prev.URL, validators = "", fetch.Validators{}
		f, err = c.fetch.Read(ctx, src, validators)
	}
	l.prev = prev
	if err != nil {
		res.Err = fetch.MaskCredentials(err, src.URL)
		return l
	}
	l.f = f
	res.MovedTo = f.MovedTo
	if prev.URL != "" {
		res.Discovered = prev.URL
	}
	if f.NotModified {
		l.fast, res.NotModified = true, true
		return l
	}
	feed, list, err := c.parse(ctx, f, l, compare, fileSum)
	if l.fast {
		res.SameBytes = true
		return l
	}
	var nf *fetch.NotFeedError
	if errors.As(err, &nf) && nf.What == "an HTML page" && src.URL != nil && prev.URL == "" {
		found := fetch.DiscoverFeed(f.Body, f.URL)
		if found == "" {
			res.Err = &fetch.NotFeedError{What: "an HTML page that links to no feed"}
			return l
		}
		fs, _ := fetch.ParseSource(found)
		if f, err = c.fetch.Read(ctx, fs, fetch.Validators{}); err != nil {
			res.Err = fetch.MaskCredentials(fmt.Errorf("the feed %s found in the page: %w", fetch.RedactURL(found), err), fs.URL)
			return l
		}
		l.f = f
		feed, list, err = c.parse(ctx, f, l, false, "")
		if err != nil {
			// Not a feed either (a page whose link points back to
			// itself): no notice to use it.
			err = fetch.MaskCredentials(fmt.Errorf("the feed %s found in the page: %w", fetch.RedactURL(found), err), fs.URL)
		} else {
			res.Discovered = found
		}
	}
	// The parsed items (or the stream, which keeps what it needs) hold
	// their own copies of the text: the raw bytes can go.
	f.Body = nil
	if err != nil {
		res.Err, res.Discovered = err, ""
		return l
	}
	if !c.opts.Since.IsZero() || c.opts.Limit > 0 {
		notes := list.Notes
		if list, err = c.filter(ctx, list, res); err != nil {
			res.Err = err
			res.Notes = append(res.Notes, notes.Take()...)
			return l
		}
	}
	res.Items = list.Total + res.Filtered
	l.items, l.info = list, newFeedInfo(feed, src, f.URL, &c.opts)
	return l
}

// finish prepares, claims and writes the items of a loaded feed and
// records its state. Feeds are finished one at a time.
func (c *Converter) finish(ctx context.Context, l *loaded) *Result {
	res := l.res
	var later *fetch.RetryLaterError
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
		c.store.ClaimFiles(l.prev.Files)
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
			res.Changes = append(res.Changes, Change{Path: filepath.Join(c.opts.OutputDir, name), Name: name, Action: folder.ActionUnchanged})
		}
		// Its items are this feed's in this run: another feed listing the
		// same item does not take it over.
		c.store.ClaimFiles(prev.Files)
		prev.Validators = l.f.Validators
		c.state.put(l.key, prev)
		return res
	}
	if l.items.Total > 0 {
		if err := c.folder.Open(ctx); err != nil {
			l.items.Stop()
			res.Err = err
			res.Notes = append(res.Notes, l.items.Notes.Take()...)
			return res
		}
	}
	dateNotes := c.writeItems(ctx, l.items, l.info, res)
	l.items.Stop()
	// The notes of the parse first, then the items', whichever way the
	// feed was read.
	res.Notes = append(res.Notes, l.items.Notes.Take()...)
	res.Notes = append(res.Notes, dateNotes...)
	l.items = nil
	next := feedState{URL: res.Discovered, Options: c.fingerprint, Items: res.Items, Repeats: res.Repeats, Filtered: res.Filtered}
	for _, ch := range res.Changes {
		next.Files = append(next.Files, ch.Name)
	}
	if len(res.Errors) == 0 && res.ImagesFailed == 0 {
		// Only a complete success may let the next run skip the feed.
		next.Validators, next.Hash = l.f.Validators, l.hash()
	}
	c.state.put(l.key, next)
	return res
}

// parse decodes and parses fetched bytes (feed.Parse): it sets l.hash,
// the sum of the bytes for the next run, and l.fast when compare is set
// and the sum is the last run's; what a lenient reading changed goes to
// l.res.Notes.
func (c *Converter) parse(ctx context.Context, f *fetch.Fetched, l *loaded, compare bool, fileSum string) (*gofeed.Feed, *feed.Items, error) {
	p, err := feed.Parse(ctx, f, l.prev.Hash, compare, fileSum, c.opts.Workers)
	if p.Hash != nil {
		l.hash = p.Hash
	}
	l.fast = p.Same
	l.res.Notes = append(l.res.Notes, p.Notes...)
	return p.Feed, p.Items, err
}

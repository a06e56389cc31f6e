// Package convert turns RSS, Atom and JSON feeds into one Markdown file per
// item, with the YAML front matter of FORMAT.md, in an output folder that
// also serves as the memory between runs.
//
// A Converter is made once per run with New, then Convert is called for
// each feed (from several goroutines if wanted), then Close. The package
// writes nothing but files in the output folder and its state file; what
// happened is returned as a Result, for the caller to print.
//
// It is the orchestrator: each stage is a package below it, called in the
// data's order (fetch, feed, body, frontmatter, folder, images; see their
// doc comments and docs/internals.md). What stays here spans the stages:
// the run of a feed (load, finish), the items' pipeline (prepared on all
// cores, claimed and written in feed order), -since and -limit, the state
// file of conditional requests (whose records hold every stage's memory of
// a feed: validators, the bytes' sum, the options' fingerprint, the files
// written).
package convert

import (
	"context"
	"errors"
	"feed2md/convert/body"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"feed2md/convert/fulltext"
	"feed2md/convert/images"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"time"
)

// Converter converts feeds into one output folder.
type Converter struct {
	opts        Options
	fetch       *fetch.Fetcher
	store       *folder.Store
	state       *state
	folder      *folder.Opener // opens the output folder before the first write
	bodies      *body.Maker
	fields      *frontmatter.Fields
	fingerprint string              // of the options that shape the files
	fastRender  bool                // the template is the embedded one: frontmatter.RenderDefault
	buffers     sync.Pool           // of *[]byte: files are rendered into them, reused once written
	hosts       *fetch.Hosts        // requests for items at a time, per host
	images      *images.Downloader  // -images download; nil otherwise
	pages       *fulltext.Extractor // -fulltext; nil otherwise
	pageMem     *folder.PageMemory  // what items' pages gave (-fulltext)
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
	if opts.MaxPageSize < 0 {
		return nil, errors.New("the page size limit must be 0 or more")
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
		opts:   opts,
		store:  st,
		state:  &state{},
		folder: &folder.Opener{Dir: opts.OutputDir, DryRun: opts.DryRun, Wait: opts.LockWait, OnWait: opts.OnWait},
		fetch: &fetch.Fetcher{
			Client: opts.Client, UserAgent: opts.UserAgent, Timeout: opts.Timeout, MaxSize: opts.MaxSize, MaxFileSize: opts.MaxFileSize,
			Retries: opts.Retries, RetryDelay: opts.RetryWait, MaxWait: opts.MaxWait, Now: opts.Now, Stdin: opts.Stdin,
			Kind: fetch.Feed, Sniff: feed.Sniff,
		},
	}
	c.hosts = fetch.NewHosts()
	c.bodies = body.NewMaker(opts.Body == BodyMarkdown, opts.Raw, opts.Workers)
	c.fingerprint = optionsFingerprint(&c.opts)
	c.fastRender = frontmatter.IsDefaultLayout(opts.Template)
	c.fields = &frontmatter.Fields{Stopwords: opts.Stopwords, MaxTags: opts.MaxTags, Tags: opts.Tags, Draft: opts.Draft, Aliases: opts.Aliases, All: !c.fastRender}
	c.buffers.New = func() any { b := make([]byte, 0, 8<<10); return &b }
	if opts.Images == ImagesDownload {
		c.images = images.New(c.store, *c.fetch, c.hosts, opts.MaxImageSize, opts.OutputDir, opts.Body == BodyMarkdown, opts.DryRun, c.renderItem)
	}
	if opts.FullText {
		c.pages = fulltext.New(*c.fetch, c.hosts, opts.MaxPageSize)
		c.pageMem = &folder.PageMemory{Dir: opts.OutputDir, DryRun: opts.DryRun}
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
			// The files of this run that only folder.IDsFile could identify are
			// gone (see flushIDs): what the state says of their feeds is
			// right, and it may be saved on another file system.
			errs = append(errs, err)
		}
		if err := c.images.Save(); err != nil {
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

// flushIDs saves folder.IDsFile (see folder.Store.Flush). When the file system is too
// full (or read-only), the files created in this run that only the new
// folder.IDsFile could identify are removed (folder.Store.RollBack), to make room and
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

// idsFullError is folder.IDsFile (or folder.ImagesFile) not saved for a full or
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

// Package convert turns RSS, Atom and JSON feeds into one Markdown file per
// item, with the YAML front matter of FORMAT.md, in an output folder that
// also serves as the memory between runs.
//
// A Converter is made once per output folder with New, then Convert (or
// ConvertAll, or ConvertJobs for feeds with options of their own) is
// called for its feeds (from several goroutines if wanted), then Close. The package
// writes nothing but files in the output folder and its state file; what
// happened is returned as a Result, for the caller to print.
//
// It is the orchestrator: each stage is a package below it, called in the
// data's order (fetch, feed, fulltext, body, frontmatter, folder, images;
// see their doc comments and docs/internals.md). What stays here spans the
// stages: the run of a feed (load, finish), what shapes a feed's files
// (shape), the items' pipeline (prepared on all cores, claimed and written
// in feed order), -since and -limit, which body -fulltext gives, -prune,
// the state file of conditional requests (whose records hold every
// stage's memory of a feed: validators, the bytes' sum, the options'
// fingerprint, the files written).
package convert

import (
	"context"
	"errors"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/images"
	"fmt"
	"sync"
)

// Converter converts feeds into one output folder.
type Converter struct {
	opts    Options
	base    *shape // what shapes the feeds converted with opts
	store   *folder.Store
	state   *state
	folder  *folder.Opener     // opens the output folder before the first write
	buffers sync.Pool          // of *[]byte: files are rendered into them, reused once written
	hosts   *fetch.Hosts       // requests for items at a time, per host
	images  *images.Downloader // -images download; nil otherwise
	pageMem *folder.PageMemory // what items' pages gave (-fulltext)
	noPrune sync.Once          // says once that Prune cannot work without the state

	mu     sync.Mutex
	shapes map[*Options]*shape // those of ConvertJobs' own options
}

// New checks opts and fills in defaults. It creates nothing: the output
// folder and its lock are made right before the first file is written.
func New(opts Options) (*Converter, error) {
	if opts.OutputDir == "" {
		opts.OutputDir = "."
	}
	if err := opts.fill(); err != nil {
		return nil, err
	}
	// The folder and its lock are made lazily, right before the first
	// write (opener): a run with nothing to write creates nothing.
	st, err := folder.OpenStore(opts.OutputDir, opts.Bundle, opts.DryRun)
	if err != nil {
		return nil, err
	}
	c := &Converter{
		opts:    opts,
		store:   st,
		state:   &state{},
		folder:  &folder.Opener{Dir: opts.OutputDir, DryRun: opts.DryRun, Wait: opts.LockWait, OnWait: opts.OnWait},
		hosts:   opts.Hosts,
		pageMem: &folder.PageMemory{Dir: opts.OutputDir, DryRun: opts.DryRun},
		shapes:  map[*Options]*shape{},
	}
	if c.hosts == nil {
		c.hosts = fetch.NewHosts()
	}
	c.base = c.newShape(&c.opts)
	c.buffers.New = func() any { b := make([]byte, 0, 8<<10); return &b }
	if opts.Images == ImagesDownload {
		// Images are fetched from their own hosts: without the feed's
		// headers, which may carry its credentials.
		c.images = images.New(c.store, *c.base.bare, c.hosts, opts.MaxImageSize, opts.OutputDir, opts.Body == BodyMarkdown, opts.DryRun)
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
	return c.finish(ctx, c.load(ctx, src, c.base))
}

// ConvertAll converts the feeds and hands each Result to each in the order
// of srcs. Feeds are fetched and parsed jobs at a time; their items are
// prepared, claimed and written one feed at a time in list order, so that
// an item found in two feeds always belongs to the first, and the output
// is the same whatever the concurrency.
func (c *Converter) ConvertAll(ctx context.Context, srcs []fetch.Source, jobs int, each func(*Result)) {
	c.convertAll(ctx, len(srcs), jobs, func(i int) (fetch.Source, *shape, error) { return srcs[i], c.base, nil }, each)
}

// convertAll is ConvertAll of n feeds, the i-th given by get.
func (c *Converter) convertAll(ctx context.Context, n, jobs int, get func(i int) (fetch.Source, *shape, error), each func(*Result)) {
	if jobs < 1 {
		jobs = 1
	}
	done := make([]chan *loaded, n)
	for i := range done {
		done[i] = make(chan *loaded, 1)
	}
	// jobs feeds load at a time (or as many as the run's Slots allow over
	// all its Converters), and at most 2*jobs are loaded or loading
	// before the writer has finished them: a loaded feed holds its items,
	// or for a large one a spool file and runs parsed ahead.
	loading := c.opts.Slots
	if loading == nil {
		loading = make(chan struct{}, jobs)
	}
	held := make(chan struct{}, 2*jobs)
	go func() {
		for i := range n {
			held <- struct{}{}
			loading <- struct{}{}
			go func() {
				defer func() { <-loading }()
				src, sh, err := get(i)
				switch {
				case err != nil:
					done[i] <- &loaded{res: &Result{Source: src, Err: err}}
				case ctx.Err() != nil:
					done[i] <- &loaded{res: &Result{Source: src, Err: ctx.Err()}}
				default:
					done[i] <- c.load(ctx, src, sh)
				}
			}()
		}
	}()
	for i := range n {
		each(c.finish(ctx, <-done[i]))
		<-held
	}
}

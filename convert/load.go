package convert

// The run of one feed: load (fetch, parse, filter), which may run beside
// other feeds, then finish (claim and write), one feed at a time in list
// order.

import (
	"context"
	"errors"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"fmt"
	"path/filepath"
	"time"

	"github.com/mmcdole/gofeed"
)

// loaded is a feed fetched and parsed (a large one: its first run of
// items, the rest streaming), waiting for its turn to be written.
type loaded struct {
	res   *Result
	sh    *shape         // what shapes its files
	key   string         // the feed's key in the state
	prev  feedState      // what the last run remembered
	fast  bool           // nothing to parse: a 304, or the same bytes
	f     *fetch.Fetched // the response (nil on failure)
	items *feed.Items    // the items to write, in feed order
	info  feedInfo       // what the items share
	hash  func() string  // SHA-256 of the feed's bytes (maybe still being summed)
	need  int64          // the memory it was counted for (Options.Memory)
}

// load is the part of Convert that can run beside other feeds: fetch,
// decode, parse and filter.
//
// It is long because it is a feed's path in order (Retry-After, fetch, 304,
// parse, discovery, filter), each step an early return that fills the
// Result.
func (c *Converter) load(ctx context.Context, src fetch.Source, sh *shape) *loaded {
	l := &loaded{res: &Result{Source: src}, sh: sh, key: stateKey(src)}
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
	valid := prev.Options == sh.fingerprint && len(prev.Files) > 0 && c.store.AllExist(prev.Files)
	if !prev.PageRetry.IsZero() && !c.opts.Now().Before(prev.PageRetry) {
		// A page that gave no article may be asked for again (-fulltext):
		// the feed is converted even if it did not change.
		valid = false
	}
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
	f, err := sh.fetcher(src, target).Read(ctx, target, validators)
	if err != nil && prev.URL != "" && !errors.As(err, new(*fetch.RetryLaterError)) {
		// The discovered feed failed: discover it again from the page.
		prev.URL, validators = "", fetch.Validators{}
		f, err = sh.fetch.Read(ctx, src, validators)
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
		if f, err = sh.fetcher(src, fs).Read(ctx, fs, fetch.Validators{}); err != nil {
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
	if !sh.opts.Since.IsZero() || sh.opts.Limit > 0 {
		notes := list.Notes
		if list, err = c.filter(ctx, list, res, sh.opts); err != nil {
			res.Err = err
			res.Notes = append(res.Notes, notes.Take()...)
			return l
		}
	}
	res.Items = list.Total + res.Filtered
	l.items, l.info = list, newFeedInfo(feed, src, f.URL, sh)
	return l
}

// finish prepares, claims and writes the items of a loaded feed and
// records its state. Feeds are finished one at a time.
func (c *Converter) finish(ctx context.Context, l *loaded) *Result {
	if l.need != 0 {
		defer c.opts.Memory(-l.need)
	}
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
		next := prev
		next.Validators = l.f.Validators
		c.prune(ctx, l.sh, prev, &next, res)
		c.state.put(l.key, next)
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
	next := feedState{URL: res.Discovered, Options: l.sh.fingerprint, Items: res.Items, Repeats: res.Repeats, Filtered: res.Filtered, PageRetry: res.pageRetry}
	for _, ch := range res.Changes {
		next.Files = append(next.Files, ch.Name)
	}
	next.Sums = res.sums
	c.prune(ctx, l.sh, l.prev, &next, res)
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
	if c.opts.Memory != nil {
		need := MemoryNeed(f.Size, f.Rest == nil)
		l.need += need
		c.opts.Memory(need)
	}
	p, err := feed.Parse(ctx, f, l.prev.Hash, compare, fileSum, c.opts.Workers)
	if p.Hash != nil {
		l.hash = p.Hash
	}
	l.fast = p.Same
	l.res.Notes = append(l.res.Notes, p.Notes...)
	return p.Feed, p.Items, err
}

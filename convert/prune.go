package convert

// -prune: the files of items that have left their feed for longer than
// Options.Prune are removed, unless edited since feed2md wrote them. The
// state file keeps, for each feed, what a file must hold to be removed
// (its sum as written) and since when its item is gone.

import (
	"context"
	"feed2md/convert/folder"
	"path/filepath"
	"slices"
	"time"
)

// goneFile is a file whose item has left its feed.
type goneFile struct {
	Since time.Time `json:"since"` // when the last run that saw its item ran
	Sum   string    `json:"sum"`   // SHA-256 (hex) of the file as feed2md wrote it
}

// prune ages the files of a feed whose items have left it and removes
// those gone longer than sh's Prune, recording in next what the next run
// needs; prev is what the last run recorded, next.Files this run's files
// and next.Sums their sums. Without Prune, or without the state (which
// is where a file's absence is counted from), nothing is removed or
// recorded; without the state, a warning says so once.
func (c *Converter) prune(ctx context.Context, sh *shape, prev feedState, next *feedState, res *Result) {
	if sh.opts.Prune > 0 && c.state.path == "" {
		c.noPrune.Do(func() {
			c.opts.Warn("-prune needs the state of earlier runs, which this run has none of (-no-cache, or a cache folder it cannot use): nothing is removed")
		})
	}
	if sh.opts.Prune <= 0 || c.state.path == "" {
		next.Sums, next.Gone, next.SeenAt = nil, nil, time.Time{}
		return
	}
	empty := len(next.Files) == 0 && len(prev.Sums) > 0
	if len(res.Errors) > 0 || res.NotWritten > 0 || ctx.Err() != nil || empty {
		// Not every item was written: one missing from the files may
		// still be in the feed. Nothing ages or goes in this run. Nor
		// have all its items gone at once when a feed is served empty
		// for a while (a broken export, a server's bad hour): that time
		// counts as seen.
		next.Gone, next.SeenAt = prev.Gone, prev.SeenAt
		if empty {
			next.SeenAt = c.opts.Now()
		}
		sums := map[string]string{}
		for name, sum := range prev.Sums {
			sums[name] = sum
		}
		for name, sum := range next.Sums {
			sums[name] = sum
		}
		next.Sums = sums
		return
	}
	now := c.opts.Now()
	since := prev.SeenAt
	if since.IsZero() {
		since = now
	}
	gone := map[string]goneFile{}
	for name, g := range prev.Gone {
		gone[name] = g
	}
	present := map[string]bool{}
	for _, name := range next.Files {
		present[name] = true
		delete(gone, name) // back in the feed
	}
	for name, sum := range prev.Sums { // the files of the last run that wrote them all
		if _, known := gone[name]; !present[name] && !known {
			gone[name] = goneFile{Since: since, Sum: sum}
		}
	}
	names := make([]string, 0, len(gone))
	for name, g := range gone {
		if now.Sub(g.Since) >= sh.opts.Prune {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) > 0 {
		if err := c.folder.Open(ctx); err != nil {
			res.Errors = append(res.Errors, err)
			names = nil
		}
	}
	for _, name := range names {
		if c.removeGone(name, gone[name], res) {
			delete(gone, name) // removed, edited (never removed), or another's
		}
	}
	next.Gone, next.SeenAt = gone, now
	if len(next.Gone) == 0 {
		next.Gone = nil
	}
}

// removeGone removes the file name, gone long enough (see
// folder.Store.Prune), into res; it reports whether the file is done
// with: removed, kept for good (edited), or another feed's. An error
// leaves it for the next run.
func (c *Converter) removeGone(name string, g goneFile, res *Result) bool {
	bundle := ""
	if filepath.Base(name) == "index.md" {
		bundle = filepath.ToSlash(filepath.Dir(name))
	}
	link := c.store.Link(name)
	outcome, err := c.store.Prune(name, g.Sum, c.images.Saved(bundle))
	path := filepath.Join(c.opts.OutputDir, name)
	switch {
	case err != nil:
		res.Errors = append(res.Errors, &folder.ItemError{Link: path, Err: err})
		return false
	case outcome == folder.PruneRemoved:
		res.Pruned = append(res.Pruned, path)
		if bundle != "" && !c.opts.DryRun {
			c.images.Gone(bundle)
		}
		c.pageMem.Forget(link) // -fulltext's memory of its page: best effort, a stray record costs a little disk
	case outcome == folder.PruneChanged:
		res.PruneKept = append(res.PruneKept, path)
	case outcome == folder.PruneTaken, outcome == folder.PruneMissing:
		// Another feed's item now, or gone already: nothing to do.
	}
	return true
}

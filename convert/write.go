package convert

// The write stage of a feed: its items prepared on all workers, in
// order, then claimed (a file name each, the folder's memory of which
// item owns which file) and written by a few writers.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"feed2md/convert/arena"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
)

// window bounds how many items are prepared ahead of the writer, and so
// how much of a large feed is held twice.
const window = 256

// pipeline prepares items on all workers and hands each to use in feed
// order, as soon as it and every item before it are ready. Each item is
// released once prepared, so a large feed is never held whole twice.
func (c *Converter) pipeline(ctx context.Context, list *feed.Items, fi feedInfo, use func(int, *prepared)) {
	n := list.Total
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
			it, err := list.Get(i)
			jobs <- job{i, it, err}
		}
	}()
	workers := c.opts.Workers
	if fi.sh.pages != nil {
		// Items wait on their pages: more of them at once, as many as
		// the hosts' politeness lets ask.
		workers = max(workers, fetch.AtOnce)
	}
	for w := 0; w < min(workers, n); w++ {
		go func() {
			for j := range jobs {
				var p *prepared
				switch {
				case j.err != nil:
					p = &prepared{err: j.err}
					p.Name = fmt.Sprintf("#%d", j.i+1)
				case j.it != nil:
					p = c.prepare(ctx, j.it, fi)
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
//
// It is long because the ordered claim-and-write loop and its failure cases
// (a full disk, a renamed file, images held for download) share its
// state: the outcomes, the errors, the deferred claims. Cutting it up
// means giving that state a type of its own, with these closures as its
// methods; left for a change of its own.
func (c *Converter) writeItems(ctx context.Context, list *feed.Items, fi feedInfo, res *Result) (notes []string) {
	n := list.Total
	// A full file system stops the feed at the first file that does not
	// fit: the items after it are neither prepared nor claimed. A feed
	// after it in the run stops at its first file to write (the store
	// writes nothing more); its files that hold their items already are
	// unchanged, as in any run.
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	// What each item came to is kept without pointers until the feed is
	// written (see convert/arena): the names in an arena, errors aside.
	type outcome struct {
		name   arena.Ref // how messages name the item
		file   arena.Ref // its file's name
		action uint8     // 1 + index in actions once written
		dup    bool
		failed bool // its error is in errs
		full   bool // not written: the file system is full (see FullError)
	}
	actions := [...]string{folder.ActionNew, folder.ActionUpdated, folder.ActionUnchanged}
	outcomes := make([]outcome, n)
	var strs arena.Arena
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
	notWritten := func(i int, f *folder.Stored, err error) {
		if err != nil {
			c.store.SetFull(err)
			stop()
		}
		c.store.Drop(f)
		outcomes[i].full = true
	}
	type job struct {
		i    int
		f    *folder.Stored
		data []byte
	}
	writes := make(chan job, 64)
	// tally counts an item's images into res (under the images' lock).
	tally := func(saved, failed int, errs []error) {
		res.ImagesSaved += saved
		res.ImagesFailed += failed
		res.ImageErrors = append(res.ImageErrors, errs...)
	}
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range writes {
				if j.data == nil && c.store.Full() != nil {
					// The file system filled up: its images are not
					// fetched. (A rendered item is still compared with
					// its file: one that holds it is unchanged.)
					notWritten(j.i, j.f, nil)
					continue
				}
				if j.data == nil {
					// -images download: the item's images go into its
					// bundle first, then it is rendered (convert/images).
					var err error
					if j.data, err = c.images.Finish(ctx, j.f, tally); folder.IsFull(err) {
						notWritten(j.i, j.f, err)
						continue
					} else if err != nil {
						fail(j.i, err)
						continue
					}
				}
				action, err := c.store.Write(j.f, j.data)
				if err == nil && fi.sh.opts.Prune > 0 {
					// -prune removes a file only while it holds what was written.
					sum := sha256.Sum256(j.data)
					errMu.Lock()
					if res.sums == nil {
						res.sums = map[string]string{}
					}
					res.sums[j.f.Name] = hex.EncodeToString(sum[:])
					errMu.Unlock()
				}
				c.releaseBuffer(fi.sh, j.data)
				if folder.IsFull(err) {
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
	ids := folder.NewFeedIDs(fi.scope)
	c.store.KnowOldScope(fi.scope, fi.oldScope)
	type later struct {
		i    int
		p    *prepared
		key  string
		used string // the key claim held for it
	}
	var deferred []later
	claimed := map[arena.Digest]struct{}{} // the keys this feed's items were claimed under
	send := func(i int, key, used string, f *folder.Stored, data []byte) {
		if used == key {
			claimed[arena.DigestOf(key)] = struct{}{}
		}
		outcomes[i].file = strs.Add(f.Name)
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
		outcomes[i].name = strs.Add(p.Name)
		tallyPage(res, p.page)
		if p.Note != "" {
			notes = append(notes, p.Note)
		}
		if p.err != nil {
			fail(i, p.err)
			return
		}
		key, firstLink, repeat := ids.See(&p.id)
		if repeat {
			outcomes[i].dup = true
			res.Repeats = append(res.Repeats, p.Name)
			return
		}
		lo := folder.LooseNo
		switch {
		case firstLink && len(deferred) < maxDeferred:
			lo = folder.LooseLater
		case firstLink:
			// Too many to hold: decided now, as if no later item had the link.
			lo = folder.LooseTake
		}
		f, used, data, err := c.claimAndRender(fi.sh, p, key, lo)
		switch {
		case err != nil:
			fail(i, err)
		case f == folder.ClaimLater:
			deferred = append(deferred, later{i, p, key, used})
		case f == nil:
			outcomes[i].dup = true
			res.Repeats = append(res.Repeats, p.Name+" (written for an earlier feed)")
		default:
			send(i, key, used, f, data)
		}
	})
	if pctx.Err() == nil {
		// The whole feed is read: items that may take a file by their link
		// alone get it if no other item has that link.
		for _, d := range deferred {
			lo := folder.LooseNo
			if ids.OnlyWithLink(&d.p.id) {
				lo = folder.LooseTake
			}
			c.store.Unclaim(d.used)
			f, used, data, err := c.claimAndRender(fi.sh, d.p, d.key, lo)
			switch {
			case err != nil:
				fail(d.i, err)
			case f == nil || f == folder.ClaimLater:
				outcomes[d.i].dup = true
				res.Repeats = append(res.Repeats, d.p.Name+" (written for an earlier feed)")
			default:
				send(d.i, d.key, used, f, data)
			}
		}
		// And ids or links found shared after their first item was
		// claimed are recorded as what tells those items apart.
		ids.Each(func(key string, id *folder.ItemID) {
			if _, ok := claimed[arena.DigestOf(key)]; ok {
				c.store.Rekey(key, ids.Final(id), id)
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
			res.Errors = append(res.Errors, &folder.ItemError{Link: strs.Str(o.name), Err: errs[i]})
		case o.full:
			unwritten++
		case o.dup:
			res.Skipped++
		case o.action > 0:
			name := strs.Str(o.file)
			ch := Change{Path: filepath.Join(c.opts.OutputDir, name), Name: name, Action: actions[o.action-1], Link: strs.Str(o.name)}
			res.Changes = append(res.Changes, ch)
			switch ch.Action {
			case folder.ActionNew:
				res.New++
			case folder.ActionUpdated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
	}
	switch err := c.store.Full(); {
	case err != nil && unwritten > 0:
		// Every file so far is whole; the next run writes the rest.
		res.NotWritten = unwritten
		res.Errors = append(res.Errors, &folder.FullError{Dir: c.opts.OutputDir, Err: err, Written: res.New + res.Updated + res.Unchanged, Items: n})
	case unwritten > 0:
		// Interrupted: every file so far is whole; the rest is not written.
		res.Errors = append(res.Errors, fmt.Errorf("interrupted: %d items not written", unwritten))
	}
	return notes
}

// releaseBuffer gives back the buffer of a rendered file once written
// (or not), when it came from c.buffers (see renderItem).
func (c *Converter) releaseBuffer(sh *shape, data []byte) {
	if sh.fastRender && data != nil {
		data = data[:0]
		c.buffers.Put(&data)
	}
}

// maxDeferred bounds the items of one feed held to its end (see
// folder.Store.Claim): each holds its body.
const maxDeferred = 1024

// writers is how many files are written at once.
const writers = 4

// claimAndRender gives a prepared item its file (see folder.Store.Claim) and
// renders its bytes. It returns a nil file for an item already written in
// this run, and folder.ClaimLater for one put off to the end of its feed; used
// is the key the claim was made under.
func (c *Converter) claimAndRender(sh *shape, p *prepared, key string, lo folder.Loose) (f *folder.Stored, used string, data []byte, err error) {
	f, used, err = c.store.Claim(key, &p.id, lo, p.FM.Slug)
	if err != nil || f == nil || f == folder.ClaimLater {
		return f, used, nil, err
	}
	fm := p.FM
	fm.Slug = f.Slug
	fm.FullText = p.page.used
	if !p.HasDate && f.Date != "" {
		// An undated item keeps the date its file was first written with,
		// which frontmatter.HugoDate may have written in full.
		fm.Date = f.Date
		if t, err := time.Parse(sh.opts.DateFormat, f.Date); err == nil {
			fm.Time = t
		} else if t, ok := frontmatter.HugoParseDateIn(f.Date, c.opts.SiteZone); ok {
			fm.Time = t
		}
	} else {
		t := p.When
		if !p.HasDate {
			t = c.opts.Now()
		}
		if sh.opts.Location != nil {
			t = t.In(sh.opts.Location)
		}
		fm.Time, fm.Date = t, frontmatter.HugoDate(t, sh.opts.DateFormat, c.opts.SiteZone)
	}
	if c.images.Wants(f) {
		// Rendered by a writer once its images are in its bundle.
		c.images.Hold(f, fm, p.body, func(fm *frontmatter.FrontMatter, body string) ([]byte, error) {
			return c.renderItem(sh, fm, body)
		})
		return f, used, nil, nil
	}
	data, err = c.renderItem(sh, &fm, p.body)
	if err != nil {
		return nil, used, nil, err
	}
	return f, used, data, nil
}

// renderItem renders an item's file: the embedded layout into a pooled
// buffer (the writer gives it back), or the user's template, which also
// gets the body as .Content.
func (c *Converter) renderItem(sh *shape, fm *frontmatter.FrontMatter, body string) ([]byte, error) {
	fm.Theme = sh.opts.Theme
	if fm.Image != "" && (fm.Theme != "" || !sh.fastRender) {
		fm.ThemeImage = frontmatter.ThemeImage(fm.Image)
		fm.Images = frontmatter.SocialImages(fm.ThemeImage)
	}
	if sh.fastRender {
		buf := c.buffers.Get().(*[]byte)
		return frontmatter.RenderDefault((*buf)[:0], fm, body), nil
	}
	fm.Content = body
	data, err := frontmatter.Render(sh.opts.Template, fm, body)
	if err != nil {
		return nil, fmt.Errorf("front-matter template: %w", err)
	}
	return data, nil
}

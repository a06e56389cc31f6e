package convert

// -fulltext: an item whose feed carries an excerpt gets the article of
// its page as its body (convert/fulltext extracts it; the folder's
// folder.PageMemory remembers it).

import (
	"context"
	"feed2md/convert/folder"
	"feed2md/convert/fulltext"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// PageRetry is how long a page that gave no article waits before a run
// asks for it again: after its first failure; each failure after doubles
// the wait, up to maxPageRetry, so that a page gone for good costs little.
const PageRetry = 24 * time.Hour

// maxPageRetry is the longest a failed page waits.
const maxPageRetry = 32 * PageRetry

// pageRetryAfter is when a page that failed failures times in a row, the
// last at at, may be asked for again.
func pageRetryAfter(at time.Time, failures int) time.Time {
	wait := PageRetry
	for i := 1; i < failures && wait < maxPageRetry; i++ {
		wait *= 2
	}
	return at.Add(min(wait, maxPageRetry))
}

// PageError is an item's page that gave no article: the item is written
// with the feed's own body, and a run after Retry asks again.
type PageError struct {
	Link  string    // the item's link
	Retry time.Time // not asked for again before then
	Err   error
}

func (e *PageError) Error() string {
	return fmt.Sprintf("full text of %s: %v (the feed's own body is kept; tried again after %s)", e.Link, e.Err, e.Retry.UTC().Format("2006-01-02 15:04 UTC"))
}

func (e *PageError) Unwrap() error { return e.Err }

// pageOutcome is what -fulltext did for one item.
type pageOutcome struct {
	fetched bool      // its page was asked for in this run
	used    bool      // the page's article is the item's body
	failed  bool      // its page gave no article in this run
	err     error     // why its page failed (a *PageError), or why its article is not remembered
	retry   time.Time // when its page, which gave no article, may be asked for again (zero: none waits)
}

// article returns the body an item is to be made from under -fulltext:
// it itself, or a copy whose content is its page's article, with the URL
// that article's relative URLs resolve against. A page is asked for at
// most once (its article is remembered in the folder, and its failure
// for PageRetry, doubled for each failure in a row), never in a dry run.
func (c *Converter) article(ctx context.Context, pages *fulltext.Extractor, it *gofeed.Item, link string) (*gofeed.Item, string, pageOutcome) {
	var o pageOutcome
	page, ok := c.pageMem.Recall(link)
	now := c.opts.Now()
	switch {
	case ok && page.Error != "" && now.Before(pageRetryAfter(page.At, page.Failures)):
		o.retry = pageRetryAfter(page.At, page.Failures)
	case ok && page.Article != "":
	case c.opts.DryRun:
		// Nothing is asked for in a dry run: the feed's body is shown.
		return it, link, o
	default:
		a, err := pages.Extract(ctx, link)
		if ctx.Err() != nil {
			return it, link, o // interrupted: nothing learnt of the page
		}
		o.fetched = true
		failures := 0
		if ok && page.Error != "" {
			failures = max(page.Failures, 1)
		}
		page = folder.Page{Link: link, URL: a.URL, At: now.UTC(), Article: a.HTML}
		if err != nil {
			page.Error, page.Failures = err.Error(), failures+1
			o.failed, o.retry = true, pageRetryAfter(now, page.Failures)
			o.err = &PageError{Link: link, Retry: o.retry, Err: err}
		}
		if err := c.pageMem.Keep(page); err != nil && o.err == nil {
			// The item is written with its article all the same; the
			// next run that converts the feed asks for the page again.
			o.err = fmt.Errorf("full text of %s: remembering the article: %w (the article is used; the next run that converts the feed asks for the page again)", link, err)
		}
	}
	if page.Article == "" {
		return it, link, o
	}
	own := strings.TrimSpace(it.Content)
	if own == "" {
		own = it.Description
	}
	if !fulltext.Longer(page.Article, own) {
		return it, link, o
	}
	o.used = true
	cp := *it
	cp.Content = page.Article
	base := page.URL
	if base == "" {
		base = link
	}
	return &cp, base, o
}

// tallyPage counts what -fulltext did for an item into res.
func tallyPage(res *Result, o pageOutcome) {
	if o.fetched {
		res.PagesFetched++
	}
	if o.used {
		res.Articles++
	}
	if o.failed {
		res.PagesFailed++
	}
	if o.err != nil {
		res.PageErrors = append(res.PageErrors, o.err)
	}
	if !o.retry.IsZero() && (res.pageRetry.IsZero() || o.retry.Before(res.pageRetry)) {
		res.pageRetry = o.retry
	}
}

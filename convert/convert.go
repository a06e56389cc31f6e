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
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"text/template"
	"time"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/mmcdole/gofeed"
)

// Options configure a Converter. The zero value of a field means its
// default, as documented on it.
type Options struct {
	OutputDir  string             // the folder written to; created when missing (default ".")
	Template   *template.Template // the front-matter template (required; see ParseTemplate)
	Stopwords  Stopwords          // words never made tags (default DefaultStopwords())
	MaxTags    int                // tags per item; negative for none (default 5)
	Body       string             // BodyHTML (default) or BodyMarkdown
	Raw        bool               // keep active content in bodies (no sanitizing)
	Bundle     bool               // write <slug>/index.md instead of <slug>.md
	Draft      bool               // write draft: true
	DateFormat string             // Go layout of the date key (default "2006-01-02")
	Location   *time.Location     // convert dates to this zone (default: the feed's own offset)
	Categories []string           // the categories key (default: the source's host)
	Source     string             // the source key (default: the feed's URL or self link)

	Client    *http.Client     // the HTTP client (default: a new one)
	UserAgent string           // sent with every request (default "feed2md")
	Timeout   time.Duration    // for each request, body included (default 30s)
	MaxSize   int64            // the most bytes read from a URL or standard input (default 32 MiB)
	Retries   int              // extra attempts on a transient HTTP failure; negative for none (default 2)
	RetryWait time.Duration    // the first backoff, doubled each time (default 1s)
	MaxWait   time.Duration    // the cap on a server's Retry-After (default 60s)
	Stdin     io.Reader        // what "-" reads
	Now       func() time.Time // the clock, for undated items (default time.Now)
	Workers   int              // items prepared at once (default: the number of CPUs)
}

// Converter converts feeds into one output folder.
type Converter struct {
	opts      Options
	stopwords Stopwords
	fetch     *fetcher
	store     *store
	md        *converter.Converter
}

// New checks opts, fills in defaults and indexes the output folder.
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
		opts.MaxWait = 60 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	st, err := openStore(opts.OutputDir, opts.Bundle)
	if err != nil {
		return nil, err
	}
	c := &Converter{
		opts:      opts,
		stopwords: opts.Stopwords,
		store:     st,
		fetch: &fetcher{
			client: opts.Client, userAgent: opts.UserAgent, timeout: opts.Timeout, maxSize: opts.MaxSize,
			retries: opts.Retries, retryDelay: opts.RetryWait, maxWait: opts.MaxWait, stdin: opts.Stdin,
		},
	}
	if opts.Body == BodyMarkdown {
		c.md = newMarkdownConverter()
	}
	return c, nil
}

// Close saves what the output folder must remember about items without a
// link. Call it once, after the last Convert.
func (c *Converter) Close() error {
	return c.store.flush()
}

// Change is one file written or left alone.
type Change struct {
	Path   string // the file's path: the output folder joined with its name
	Action string // "new", "updated" or "unchanged"
	Link   string // the item's link, or its GUID or title when it has none
}

// Result is what converting one feed did.
type Result struct {
	Source    Source   // the feed
	Items     int      // items in the feed
	New       int      // files created
	Updated   int      // files rewritten
	Unchanged int      // files that already held exactly the item
	Skipped   int      // items listed twice in the feed
	Changes   []Change // one per item written or left alone, in feed order
	Errors    []error  // one per failed item (ItemError)
	Err       error    // set when the feed as a whole failed; nothing was written
}

// Failed reports whether the feed or any of its items failed.
func (r *Result) Failed() bool { return r.Err != nil || len(r.Errors) > 0 }

// Convert reads one feed and writes its items. It does not return an
// error: a failure is in the Result, so that the caller can go on with the
// other feeds.
func (c *Converter) Convert(ctx context.Context, src Source) *Result {
	res := &Result{Source: src}
	f, err := c.fetch.read(ctx, src, Validators{})
	if err != nil {
		res.Err = err
		return res
	}
	feed, err := c.parse(f)
	if err != nil {
		res.Err = err
		return res
	}
	c.writeItems(ctx, feed, newFeedInfo(feed, src, f.url), res)
	return res
}

// parse decodes and parses fetched bytes.
func (c *Converter) parse(f *fetched) (*gofeed.Feed, error) {
	d, err := decode(f.body, f.contentType, c.opts.MaxSize)
	if err != nil {
		return nil, err
	}
	return parseFeed(d)
}

// writeItems prepares the items on all workers, then gives each a file and
// writes it, in feed order, so that slugs and output are deterministic.
func (c *Converter) writeItems(ctx context.Context, feed *gofeed.Feed, fi feedInfo, res *Result) {
	items := feed.Items
	res.Items = len(items)
	preps := make([]*prepared, len(items))
	var wg sync.WaitGroup
	next := make(chan int)
	workers := min(c.opts.Workers, len(items))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				preps[i] = c.prepare(items[i], fi)
			}
		}()
	}
	for i := range items {
		if items[i] == nil {
			continue
		}
		next <- i
	}
	close(next)
	wg.Wait()

	for _, p := range preps {
		if p == nil {
			continue
		}
		if ctx.Err() != nil {
			res.Errors = append(res.Errors, &ItemError{Link: p.name, Err: ctx.Err()})
			continue
		}
		if p.err != nil {
			res.Errors = append(res.Errors, &ItemError{Link: p.name, Err: p.err})
			continue
		}
		ch, err := c.writeItem(p)
		switch {
		case err != nil:
			res.Errors = append(res.Errors, &ItemError{Link: p.name, Err: err})
		case ch == nil:
			res.Skipped++
		default:
			res.Changes = append(res.Changes, *ch)
			switch ch.Action {
			case actionNew:
				res.New++
			case actionUpdated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
	}
}

// writeItem gives a prepared item its file and writes it. It returns nil
// for an item already written in this run.
func (c *Converter) writeItem(p *prepared) (*Change, error) {
	f, ok := c.store.claim(p.key, p.fm.Slug, p.hasLink)
	if !ok {
		return nil, nil
	}
	fm := p.fm
	fm.Slug = f.slug
	switch {
	case p.hasDate:
		t := p.when
		if c.opts.Location != nil {
			t = t.In(c.opts.Location)
		}
		fm.Time, fm.Date = t, t.Format(c.opts.DateFormat)
	case f.date != "":
		// An undated item keeps the date its file was first written with.
		fm.Date = f.date
		if t, err := time.Parse(c.opts.DateFormat, f.date); err == nil {
			fm.Time = t
		}
	default:
		t := c.opts.Now()
		if c.opts.Location != nil {
			t = t.In(c.opts.Location)
		}
		fm.Time, fm.Date = t, t.Format(c.opts.DateFormat)
	}
	data, err := render(c.opts.Template, &fm, p.body)
	if err != nil {
		return nil, fmt.Errorf("front-matter template: %w", err)
	}
	action, err := c.store.write(f, data)
	if err != nil {
		return nil, err
	}
	return &Change{Path: c.store.path(f), Action: action, Link: p.name}, nil
}

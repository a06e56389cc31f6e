package convert

// Feeds of one output folder with options of their own (ConvertJobs):
// what shapes a feed's files is a shape; the folder, its lock, its memory,
// the state and the images' downloads stay the Converter's.

import (
	"context"
	"errors"
	"feed2md/convert/body"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"feed2md/convert/fulltext"
	"fmt"
	"net/http"
	"runtime"
	"time"
)

// shape is what shapes the files of a feed: its options, and the stages
// set up for them.
type shape struct {
	opts        *Options
	fetch       *fetch.Fetcher
	bare        *fetch.Fetcher // fetch without the feed's headers: for a feed on another host than its URL's, the items' pages and images
	bodies      *body.Maker
	fields      *frontmatter.Fields
	fingerprint string              // of the options that shape the files
	fastRender  bool                // the template is the embedded one: frontmatter.RenderDefault
	pages       *fulltext.Extractor // -fulltext; nil otherwise
}

// newShape sets up the stages of o, whose defaults are filled in.
func (c *Converter) newShape(o *Options) *shape {
	sh := &shape{
		opts: o,
		fetch: &fetch.Fetcher{
			Client: o.Client, UserAgent: o.UserAgent, Timeout: o.Timeout, MaxSize: o.MaxSize, MaxFileSize: o.MaxFileSize,
			Retries: o.Retries, RetryDelay: o.RetryWait, MaxWait: o.MaxWait, Now: o.Now, Stdin: o.Stdin,
			Kind: fetch.Feed, Sniff: feed.Sniff, Header: o.Header,
		},
		bodies:      body.NewMaker(o.Body == BodyMarkdown, o.Raw, o.Workers),
		fingerprint: optionsFingerprint(o),
		fastRender:  frontmatter.IsDefaultLayout(o.Template),
	}
	// The feed's fetcher without its headers: for another host, and for
	// the items' pages and images, never sent them.
	bare := *sh.fetch
	bare.Header = nil
	sh.bare = &bare
	sh.fields = &frontmatter.Fields{Stopwords: o.Stopwords, MaxTags: o.MaxTags, Tags: o.Tags, Draft: o.Draft, Aliases: o.Aliases, All: !sh.fastRender}
	if o.FullText {
		sh.pages = fulltext.New(*sh.bare, c.hosts, o.MaxPageSize)
	}
	return sh
}

// fetcher is sh's fetcher of target, read for the feed src: without the
// feed's headers when target is not on src's host, or not over https as
// src is (a feed its page links to, then remembered in the state).
func (sh *shape) fetcher(src, target fetch.Source) *fetch.Fetcher {
	if target.URL == nil || src.URL == nil || !fetch.SameOrigin(src.URL, target.URL) {
		return sh.bare
	}
	return sh.fetch
}

// Job is a feed and the options of its own. ConvertJobs reads of them
// only what shapes the feed's files: Template, Stopwords, MaxTags, Body,
// Raw, Draft, DateFormat, Location, Categories, Source, MaxSize,
// MaxFileSize, Limit, Since (and SinceWindow), Aliases, Tags, Theme, FullText, MaxPageSize,
// Prune and Header;
// the rest is the Converter's (the folder's and the run's). Where they
// shape the folder, they must agree with the Converter's: Bundle, Images,
// and MaxImageSize and Body under -images download (the Job fails
// otherwise).
type Job struct {
	Source  fetch.Source
	Options *Options // nil: the Converter's
}

// jobShape returns the shape of a Job's options: the Converter's, with
// the fields Job names taken from o, made once for each o.
func (c *Converter) jobShape(o *Options) (*shape, error) {
	if o == nil {
		return c.base, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if sh := c.shapes[o]; sh != nil {
		return sh, nil
	}
	m := c.opts
	m.Template, m.Stopwords, m.MaxTags, m.Body, m.Raw, m.Draft = o.Template, o.Stopwords, o.MaxTags, o.Body, o.Raw, o.Draft
	m.DateFormat, m.Location, m.Categories, m.Source, m.MaxSize, m.MaxFileSize = o.DateFormat, o.Location, o.Categories, o.Source, o.MaxSize, o.MaxFileSize
	m.Limit, m.Since, m.SinceWindow, m.Aliases, m.Tags, m.Theme = o.Limit, o.Since, o.SinceWindow, o.Aliases, o.Tags, o.Theme
	m.FullText, m.MaxPageSize, m.Prune, m.Header = o.FullText, o.MaxPageSize, o.Prune, o.Header
	m.Images, m.MaxImageSize, m.Bundle = o.Images, o.MaxImageSize, o.Bundle
	if err := m.fill(); err != nil {
		return nil, err
	}
	if what := FolderConflict(c.opts, m); what != "" {
		return nil, fmt.Errorf("%s differs from the other feeds of its output folder: %s", what, folderRule)
	}
	sh := c.newShape(&m)
	c.shapes[o] = sh
	return sh, nil
}

// folderRule is what the options of one output folder's feeds must
// agree on (FolderConflict).
const folderRule = "a folder's files are all bundles or none, and its images downloaded for all its feeds or none, with one -max-image-size and one -body"

// FolderConflict names the option by which feeds converted with b cannot
// share the output folder of feeds converted with a, or returns "" when
// they can: a folder's files are all bundles or none (-images download
// implies -bundle), and its images are downloaded for all its feeds or
// none, with one -max-image-size and, as the body refers to them, one
// -body. a and b need not be filled in (ConvertJobs, and the command's
// -config check before any Converter is made, ask the same).
func FolderConflict(a, b Options) string {
	ab, bb := a.Bundle || a.Images == ImagesDownload, b.Bundle || b.Images == ImagesDownload
	switch {
	case ab != bb:
		return "-bundle"
	case a.Images != b.Images:
		return "-images"
	case a.Images == ImagesDownload && a.MaxImageSize != b.MaxImageSize:
		return "-max-image-size"
	case a.Images == ImagesDownload && a.Body != b.Body:
		return "-body"
	}
	return ""
}

// ConvertJobs is ConvertAll of feeds with options of their own (Job): each
// feed's files are shaped by its options, in the one output folder and
// with the state of the Converter. A Job whose options cannot go with the
// Converter's fails alone, in its Result.
func (c *Converter) ConvertJobs(ctx context.Context, jobs []Job, n int, each func(*Result)) {
	c.convertAll(ctx, len(jobs), n, func(i int) (fetch.Source, *shape, error) {
		sh, err := c.jobShape(jobs[i].Options)
		return jobs[i].Source, sh, err
	}, each)
}

// fill fills in the defaults of o and checks its values.
//
// It is long because it fills in every option's default and checks it,
// field after field, in one place.
func (o *Options) fill() error {
	if o.Template == nil {
		return errors.New("no front-matter template")
	}
	if o.Stopwords == nil {
		o.Stopwords = frontmatter.DefaultStopwords()
	}
	if o.MaxTags == 0 {
		o.MaxTags = 5
	}
	switch o.Body {
	case "":
		o.Body = BodyHTML
	case BodyHTML, BodyMarkdown:
	default:
		return fmt.Errorf("unknown body mode %q: use %q or %q", o.Body, BodyHTML, BodyMarkdown)
	}
	if o.DateFormat == "" {
		o.DateFormat = "2006-01-02"
	}
	if o.SiteZone == nil {
		o.SiteZone = time.UTC
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if o.UserAgent == "" {
		o.UserAgent = "feed2md"
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxSize == 0 {
		o.MaxSize = 32 << 20
	}
	if o.MaxFileSize == 0 {
		o.MaxFileSize = fetch.DefaultMaxFileSize
	}
	switch {
	case o.Retries == 0:
		o.Retries = 2
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.RetryWait <= 0 {
		o.RetryWait = time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = o.Timeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	switch {
	case o.Limit < 0:
		return errors.New("the item limit must be 0 or more")
	case o.MaxPageSize < 0:
		return errors.New("the page size limit must be 0 or more")
	case o.Prune < 0:
		return errors.New("the prune age must be 0 or more")
	}
	if err := o.Check(); err != nil {
		return err
	}
	return checkMigrateOptions(o)
}

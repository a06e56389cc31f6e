package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"feed2md/convert"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"feed2md/convert/fulltext"
	"feed2md/templates"
)

const usageText = `Usage: feed2md [flags] FEED...
       feed2md [flags] -config FILE

Converts each item of RSS, Atom and JSON feeds into a Markdown file with YAML
front matter (for Hugo) in the output folder. FEED is an http(s) URL, a file,
or - for standard input. Re-runs rewrite only what changed. "feed2md help"
prints this, as -h does (unless a file named help is here: it is a feed).

Flags:
`

const examplesText = `
Examples:
  feed2md -o content/posts https://example.com/feed.xml
  curl -s https://example.com/feed.xml | feed2md -o content/posts -

stdout lists the files created or updated, one a line (with -json, one JSON
object a feed); stderr has one summary line a feed and one line a failure.
Exit status: 0 all converted, 1 some feed or item failed (the rest was
written), 2 bad usage.
`

// config is what the flags say.
type config struct {
	output     string
	maxTags    int
	timeout    time.Duration
	maxSize    int64
	maxSizeSet bool // -max-size was given: it caps local files too
	quiet      bool
	verbose    bool
	version    bool
	jsonOut    bool
	body       string
	raw        bool
	bundle     bool
	draft      bool
	dateFormat string
	timezone   string
	categories []string
	source     string
	stopwords  string
	template   string
	feedsFile  string
	configFile string // -config
	jobs       int
	cacheDir   string
	noCache    bool
	limit      int
	since      string
	dryRun     bool
	lockWait   time.Duration

	images       string        // -images
	maxImageSize int64         // -max-image-size
	aliases      bool          // -aliases
	tags         string        // -tags
	fulltext     bool          // -fulltext
	maxPageSize  int64         // -max-page-size
	prune        time.Duration // -prune
	theme        string        // -theme
}

// newFlagSet registers every flag. The FlagSet prints nothing itself:
// parseFlags turns its errors into one-line messages and printUsage
// writes the usage.
func newFlagSet(cfg *config) *flag.FlagSet {
	fs := flag.NewFlagSet("feed2md", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&cfg.output, "o", ".", "the output `folder` (created when missing)")
	fs.StringVar(&cfg.output, "output", ".", "the output `folder` (same as -o)")
	fs.IntVar(&cfg.maxTags, "max-tags", 5, "the most tags taken from a title (0 for none)")
	cfg.timeout = 30 * time.Second
	fs.Var(durationValue{d: &cfg.timeout, example: "30s"}, "timeout", "the limit for one attempt of an HTTP request, body included, a `duration` above 0 such as 30s or 2m (failed attempts are retried twice)")
	cfg.maxSize = 32 << 20
	fs.Var(sizeValue{n: &cfg.maxSize, given: &cfg.maxSizeSet, zero: "a feed of 0 B is no feed: give a size such as 32MiB"},
		"max-size", "the largest feed read, a `size` above 0 such as 500KB or 64MiB (a local file is capped at 8 GiB unless -max-size is given); a larger one fails")
	fs.BoolVar(&cfg.quiet, "q", false, "print errors and notices that ask you to act only: no paths, no summary")
	fs.BoolVar(&cfg.verbose, "v", false, "print a line for every file, unchanged ones too")
	fs.BoolVar(&cfg.version, "version", false, "print the version (release or commit, and its date) and exit")
	fs.BoolVar(&cfg.jsonOut, "json", false, "print one JSON object a feed on stdout (JSON Lines) instead of the paths")
	fs.StringVar(&cfg.body, "body", "html", "the body `mode`: html, or markdown (CommonMark, for a stock Hugo)")
	fs.BoolVar(&cfg.raw, "raw", false, "keep scripts, frames and event handlers in bodies (no sanitizing)")
	fs.BoolVar(&cfg.bundle, "bundle", false, "write SLUG/index.md (a Hugo leaf bundle) instead of SLUG.md")
	fs.BoolVar(&cfg.draft, "draft", false, "write draft: true")
	fs.StringVar(&cfg.dateFormat, "date-format", "date", "the date `layout`: date (2006-01-02), rfc3339, or a Go layout")
	fs.StringVar(&cfg.timezone, "timezone", "", "convert dates to this IANA `zone` (default: keep the feed's offset)")
	fs.Func("category", "a category `name` for every item, repeatable (default: the feed's host)", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("empty category")
		}
		cfg.categories = append(cfg.categories, strings.TrimSpace(s))
		return nil
	})
	fs.StringVar(&cfg.source, "source", "", "the source key for every item, a `URL` (default: the feed's URL)")
	fs.StringVar(&cfg.stopwords, "stopwords", "", "a `file` of extra stop words, one a line")
	fs.StringVar(&cfg.template, "template", "", "a front-matter template `file` (text/template) instead of the built-in one")
	fs.StringVar(&cfg.configFile, "config", "", "convert the feeds of a site's configuration `file` (TOML): per-feed folders, options, headers and -prune; see docs/config.md")
	fs.StringVar(&cfg.feedsFile, "feeds", "", "read feeds from a `file` (- for stdin): one URL or path a line (# starts a comment after white space), or OPML")
	fs.IntVar(&cfg.jobs, "jobs", 4, "how many feeds to fetch and convert at a time")
	fs.StringVar(&cfg.cacheDir, "cache-dir", "", "keep the state of conditional requests in this `folder` (default: the user cache folder/feed2md)")
	fs.BoolVar(&cfg.noCache, "no-cache", false, "ignore the state: fetch and convert every feed in full, remember nothing")
	fs.IntVar(&cfg.limit, "limit", 0, "keep only the `N` newest items of each feed (0: all)")
	fs.StringVar(&cfg.since, "since", "", "skip items older than a date (2026-01-02) or a duration (72h, 7d)")
	fs.BoolVar(&cfg.dryRun, "dry-run", false, "say what would be created or updated, and change nothing")
	cfg.lockWait = 10 * time.Minute
	fs.Var(durationValue{d: &cfg.lockWait, example: "10m", zeroMeans: "do not wait"}, "lock-wait", "how long to wait for another run writing to the same folder, a `duration` such as 10m (0: do not wait)")
	fs.Func("images", "`mode` of images: link (keep their URLs), or download (into each item's bundle; implies -bundle)", oneOf(&cfg.images, convert.ImagesLink, convert.ImagesDownload))
	cfg.maxImageSize = convert.DefaultMaxImageSize
	fs.Var(sizeValue{n: &cfg.maxImageSize, zero: "an image of 0 B is no image: give a size such as 20MiB, or leave out -images download to download none"},
		"max-image-size", "the largest image downloaded, a `size` above 0 (for no images, leave out -images download); a larger one keeps its URL")
	fs.BoolVar(&cfg.fulltext, "fulltext", false, "give an item whose feed has only an excerpt the article of its page (fetched once, remembered in the folder)")
	cfg.maxPageSize = fulltext.DefaultMaxSize
	fs.Var(sizeValue{n: &cfg.maxPageSize, zero: "a page of 0 B is no page: give a size such as 5MiB, or leave out -fulltext to fetch none"},
		"max-page-size", "the largest item page read for -fulltext, a `size` above 0; a larger one keeps the feed's body")
	fs.Var(ageValue{d: &cfg.prune}, "prune", "remove the file of an item absent from its feed for longer than an `age` such as 30d or 72h (counted from the last run that saw it); never a file changed since feed2md wrote it")
	fs.BoolVar(&cfg.aliases, "aliases", false, "write the item link's path as Hugo aliases, when it is on the feed's own host")
	fs.Func("tags", "where tags come from, a `source`: title (its words), feed (the item's categories), or both (default title)", oneOf(&cfg.tags, convert.TagsTitle, convert.TagsFeed, convert.TagsBoth))
	fs.StringVar(&cfg.theme, "theme", "", "also write the keys that the Hugo theme `name` reads for the item's image, and Hugo's images: "+orList(frontmatter.Themes()))
	return fs
}

// printUsage writes the usage: the synopsis, every flag, two examples.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, usageText)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprint(w, examplesText)
}

// parseArgs parses flags that may stand before, between or after the
// feeds, as users expect of a command-line tool; "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var feeds []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return feeds, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(feeds, rest...), nil
		}
		feeds = append(feeds, rest[0])
		args = rest[1:]
	}
}

// flagError turns an error of the flag package into one line; for an
// unknown flag, the line names the closest flags.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	const unknown = "flag provided but not defined: -"
	msg := err.Error()
	if !strings.HasPrefix(msg, unknown) {
		return err
	}
	name := strings.TrimPrefix(msg, unknown)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	near := closest(name, names)
	if len(near) == 0 {
		return fmt.Errorf("unknown flag -%s", name)
	}
	for i, n := range near {
		near[i] = "-" + n
	}
	return fmt.Errorf("unknown flag -%s: did you mean %s?", name, orList(near))
}

// closest returns the names nearest to typed: those at the smallest edit
// distance (a transposition counting as one edit) if it is small for
// typed's length, else those that typed begins, in alphabetical order.
func closest(typed string, names []string) []string {
	typed = strings.ToLower(typed)
	limit := 1
	if len(typed) > 4 {
		limit = 2
	}
	best := limit + 1
	var near []string
	for _, n := range names {
		d := editDistance(typed, n)
		switch {
		case d > limit:
		case d < best:
			best, near = d, []string{n}
		case d == best:
			near = append(near, n)
		}
	}
	if len(near) == 0 && len(typed) >= 2 {
		for _, n := range names {
			if strings.HasPrefix(n, typed) {
				near = append(near, n)
			}
		}
	}
	sort.Strings(near)
	return near
}

// editDistance is the optimal string alignment distance between a and b:
// the fewest insertions, deletions, substitutions and transpositions of
// adjacent bytes that turn one into the other.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// options turns the flags into convert.Options, reading the template and
// stop-word files, so that a mistake in either stops the run before any
// network or disk work.
//
// It is long because it maps every flag to its option, one or two lines
// each.
func (cfg config) options(now time.Time) (convert.Options, error) {
	opts := convert.Options{
		OutputDir: cfg.output, Timeout: cfg.timeout, MaxSize: cfg.maxSize,
		Raw: cfg.raw, Bundle: cfg.bundle, Draft: cfg.draft, Categories: cfg.categories,
		UserAgent: "feed2md/" + shortVersion() + " (feed-to-Markdown converter)",
		DryRun:    cfg.dryRun, Limit: cfg.limit, LockWait: cfg.lockWait,
	}
	if cfg.maxSizeSet {
		opts.MaxFileSize = cfg.maxSize // given: it caps local files too
	}
	opts.Images, opts.MaxImageSize, opts.Aliases, opts.Tags = cfg.images, cfg.maxImageSize, cfg.aliases, cfg.tags
	opts.FullText, opts.MaxPageSize, opts.Prune = cfg.fulltext, cfg.maxPageSize, cfg.prune
	if cfg.theme != "" {
		opts.Theme = strings.ToLower(cfg.theme)
		if !slices.Contains(frontmatter.Themes(), opts.Theme) {
			return opts, fmt.Errorf("-theme %q: use %s (-template writes the keys of any other theme)", cfg.theme, orList(frontmatter.Themes()))
		}
	}
	if cfg.quiet && cfg.verbose {
		return opts, errors.New("-q and -v cannot go together: -q prints errors only, -v every file")
	}
	if cfg.jobs < 1 {
		return opts, errors.New("-jobs must be 1 or more")
	}
	if cfg.limit < 0 {
		return opts, errors.New("-limit must be 0 or more")
	}
	if cfg.since != "" {
		t, err := parseSince(cfg.since, now)
		if err != nil {
			return opts, err
		}
		opts.Since = t
		if later, _ := parseSince(cfg.since, now.Add(time.Hour)); !later.Equal(t) {
			opts.SinceWindow = now.Sub(t) // a span back from now (7d): it moves with the clock
		}
	}
	switch {
	case cfg.maxTags < 0:
		return opts, errors.New("-max-tags must be 0 or more")
	case cfg.maxTags == 0:
		opts.MaxTags = -1
	default:
		opts.MaxTags = cfg.maxTags
	}
	switch cfg.body {
	case convert.BodyHTML, convert.BodyMarkdown:
		opts.Body = cfg.body
	default:
		return opts, fmt.Errorf("-body %q: use html or markdown", cfg.body)
	}
	switch cfg.dateFormat {
	case "date", "":
		opts.DateFormat = "2006-01-02"
	case "rfc3339":
		opts.DateFormat = time.RFC3339
	default:
		// A layout with no element formats any time as itself.
		other := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
		if other.Format(cfg.dateFormat) == cfg.dateFormat {
			return opts, fmt.Errorf("-date-format %q has no Go layout element: write the reference date, e.g. 2006-01-02", cfg.dateFormat)
		}
		opts.DateFormat = cfg.dateFormat
	}
	if cfg.timezone != "" {
		loc, err := time.LoadLocation(cfg.timezone)
		if err != nil {
			return opts, fmt.Errorf("-timezone %q: not an IANA zone name such as Europe/Paris", cfg.timezone)
		}
		opts.Location = loc
	}
	if cfg.source != "" {
		src, err := fetch.ParseSource(cfg.source)
		if err != nil || src.URL == nil {
			return opts, fmt.Errorf("-source %q: give an http(s) URL", fetch.RedactURL(cfg.source))
		}
		opts.Source = cfg.source
	}
	opts.Stopwords = frontmatter.DefaultStopwords()
	if cfg.stopwords != "" {
		f, err := os.Open(cfg.stopwords)
		if err != nil {
			return opts, fmt.Errorf("-stopwords: %v", err)
		}
		err = opts.Stopwords.Read(f)
		f.Close()
		if err != nil {
			return opts, fmt.Errorf("-stopwords %s: %v", cfg.stopwords, err)
		}
	}
	var err error
	if cfg.template != "" {
		opts.Template, err = frontmatter.ParseTemplate(os.DirFS(filepath.Dir(cfg.template)), filepath.Base(cfg.template))
		if err != nil {
			return opts, fmt.Errorf("-template: %v", err)
		}
	} else if opts.Template, err = frontmatter.ParseTemplate(templates.FS, templates.FrontMatter); err != nil {
		return opts, err
	}
	return opts, nil
}

// oneOf returns a flag.Func setter that accepts only the given values.
func oneOf(dst *string, values ...string) func(string) error {
	return func(s string) error {
		for _, v := range values {
			if s == v {
				*dst = s
				return nil
			}
		}
		return fmt.Errorf("use %s", strings.Join(values, " or "))
	}
}

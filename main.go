// Command feed2md converts RSS, Atom and JSON feeds into one Markdown file
// per item, with YAML front matter for Hugo, in an output folder.
//
// Usage:
//
//	feed2md [flags] FEED...
//
// Each FEED is an http(s) URL, a file, or "-" for standard input. Run
// "feed2md -h" for the flags. Exit status: 0 when every feed converted, 1
// when any feed or item failed (the others are still written), 2 for bad
// usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // -timezone works on machines without a zone database

	"feed2md/convert"
	"feed2md/templates"
)

// Exit codes.
const (
	exitOK     = 0 // every feed converted
	exitFailed = 1 // some feed or item failed; the rest was written
	exitUsage  = 2 // bad flags or arguments; nothing was done
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); when
// empty it comes from the module's build information.
var version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The garbage collector's settings for a streamed feed (docs/memory.md),
	// unless the environment sets its own.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(convert.GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(convert.MemoryLimit)
	}
	code := feed2md(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usageText = `Usage: feed2md [flags] FEED...

Converts each item of RSS, Atom and JSON feeds into a Markdown file with YAML
front matter (for Hugo) in the output folder. FEED is an http(s) URL, a file,
or - for standard input. Re-runs rewrite only what changed.

Flags:
`

const examplesText = `
Examples:
  feed2md -o content/posts https://example.com/feed.xml
  curl -s https://example.com/feed.xml | feed2md -o content/posts -

stdout lists the files created or updated, one a line; stderr has one
summary line a feed and one line a failure. Exit status: 0 all converted,
1 some feed or item failed (the rest was written), 2 bad usage.
`

// config is what the flags say.
type config struct {
	output     string
	maxTags    int
	timeout    time.Duration
	maxSize    int64
	quiet      bool
	verbose    bool
	version    bool
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
	jobs       int
	cacheDir   string
	noCache    bool
	limit      int
	since      string
	dryRun     bool
	lockWait   time.Duration
}

// newFlagSet registers every flag on a FlagSet that writes to stderr.
func newFlagSet(cfg *config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("feed2md", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.output, "o", ".", "the output `folder` (created when missing)")
	fs.StringVar(&cfg.output, "output", ".", "the output `folder` (same as -o)")
	fs.IntVar(&cfg.maxTags, "max-tags", 5, "the most tags taken from a title (0 for none)")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "the time allowed for each HTTP request, body included")
	cfg.maxSize = 32 << 20
	fs.Var((*sizeValue)(&cfg.maxSize), "max-size", "the largest feed read from a URL or stdin, a `size` such as 500KB or 64MiB; a larger one fails")
	fs.BoolVar(&cfg.quiet, "q", false, "print errors only: no paths, no summary")
	fs.BoolVar(&cfg.verbose, "v", false, "print a line for every file, unchanged ones too")
	fs.BoolVar(&cfg.version, "version", false, "print the version and exit")
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
	fs.StringVar(&cfg.feedsFile, "feeds", "", "read feeds from a `file`: one URL or path a line (# comments), or OPML")
	fs.IntVar(&cfg.jobs, "jobs", 4, "how many feeds to fetch and convert at a time")
	fs.StringVar(&cfg.cacheDir, "cache-dir", "", "keep the state of conditional requests in this `folder` (default: the user cache folder/feed2md)")
	fs.BoolVar(&cfg.noCache, "no-cache", false, "ignore the state: fetch and convert every feed in full, remember nothing")
	fs.IntVar(&cfg.limit, "limit", 0, "keep only the `N` newest items of each feed (0: all)")
	fs.StringVar(&cfg.since, "since", "", "skip items older than a date (2026-01-02) or a duration (72h, 7d)")
	fs.BoolVar(&cfg.dryRun, "dry-run", false, "say what would be created or updated, and change nothing")
	fs.DurationVar(&cfg.lockWait, "lock-wait", 10*time.Minute, "how long to wait for another run writing to the same folder")
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
		fmt.Fprint(stderr, examplesText)
	}
	return fs
}

// feed2md runs the command and returns its exit code.
func feed2md(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cfg config
	fs := newFlagSet(&cfg, stderr)
	feeds, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if cfg.version {
		fmt.Fprintln(stdout, "feed2md", buildVersion())
		return exitOK
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "feed2md: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'feed2md -h' for usage.")
		return exitUsage
	}
	if cfg.feedsFile != "" {
		listed, err := readFeedsFile(cfg.feedsFile, stdin)
		if err != nil {
			return usageErr("-feeds: %v", err)
		}
		feeds = append(feeds, listed...)
	}
	if len(feeds) == 0 {
		return usageErr("no feed given: name a URL, a file, or - for standard input")
	}
	opts, err := cfg.options(time.Now())
	if err != nil {
		return usageErr("%v", err)
	}
	var sources []convert.Source
	for _, arg := range feeds {
		src, err := convert.ParseSource(arg)
		if err != nil {
			return usageErr("%v", err)
		}
		sources = append(sources, src)
	}
	opts.Stdin = stdin
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "max-size" {
			opts.MaxFileSize = cfg.maxSize // given: it caps local files too
		}
	})
	warn := func(msg string) {
		if !cfg.quiet {
			fmt.Fprintf(stderr, "feed2md: warning: %s\n", msg)
		}
	}
	opts.Warn = warn
	opts.OnWait = func(pid string) {
		warn(fmt.Sprintf("another feed2md run (pid %s) is writing to %s: waiting up to %s for it", pid, opts.OutputDir, cfg.lockWait))
	}
	if !cfg.noCache {
		if opts.CacheDir, err = cacheDir(cfg.cacheDir); err != nil {
			warn(err.Error())
		}
	}
	conv, err := convert.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "feed2md: %v\n", err)
		return exitFailed
	}
	if w := convert.HugoWarning(opts.OutputDir, opts.Body); w != "" {
		warn(w)
	}
	code := exitOK
	prog := newProgress(stderr, len(sources), !cfg.quiet && len(sources) > 1 && isTerminal(stderr))
	conv.ConvertAll(ctx, sources, cfg.jobs, func(res *convert.Result) {
		prog.clear()
		if report(res, cfg, stdout, stderr) {
			code = exitFailed
		}
		prog.step()
	})
	prog.clear()
	if err := conv.Close(); err != nil {
		fmt.Fprintf(stderr, "feed2md: %v\n", err)
		code = exitFailed
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "feed2md: interrupted")
		code = exitFailed
	}
	return code
}

// parseArgs parses flags that may stand before, between or after the
// feeds, as users expect of a command-line tool; "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var feeds []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
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

// options turns the flags into convert.Options, reading the template and
// stop-word files, so that a mistake in either stops the run before any
// network or disk work.
func (cfg config) options(now time.Time) (convert.Options, error) {
	opts := convert.Options{
		OutputDir: cfg.output, Timeout: cfg.timeout, MaxSize: cfg.maxSize,
		Raw: cfg.raw, Bundle: cfg.bundle, Draft: cfg.draft, Categories: cfg.categories,
		UserAgent: "feed2md/" + buildVersion() + " (feed-to-Markdown converter)",
		DryRun:    cfg.dryRun, Limit: cfg.limit, LockWait: cfg.lockWait,
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
	}
	switch {
	case cfg.maxTags < 0:
		return opts, errors.New("-max-tags must be 0 or more")
	case cfg.maxTags == 0:
		opts.MaxTags = -1
	default:
		opts.MaxTags = cfg.maxTags
	}
	if cfg.timeout <= 0 {
		return opts, errors.New("-timeout must be positive, e.g. 30s")
	}
	if cfg.maxSize <= 0 {
		return opts, errors.New("-max-size must be positive, e.g. 32MiB")
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
		src, err := convert.ParseSource(cfg.source)
		if err != nil || src.URL == nil {
			return opts, fmt.Errorf("-source %q: give an http(s) URL", cfg.source)
		}
		opts.Source = cfg.source
	}
	opts.Stopwords = convert.DefaultStopwords()
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
		opts.Template, err = convert.ParseTemplate(os.DirFS(filepath.Dir(cfg.template)), filepath.Base(cfg.template))
		if err != nil {
			return opts, fmt.Errorf("-template: %v", err)
		}
	} else if opts.Template, err = convert.ParseTemplate(templates.FS, templates.FrontMatter); err != nil {
		return opts, err
	}
	return opts, nil
}

// report prints a feed's result: the paths written on stdout, the summary
// and the failures on stderr. It reports whether the feed failed.
func report(res *convert.Result, cfg config, stdout, stderr io.Writer) bool {
	name := res.Source.Name()
	if res.Err != nil {
		fmt.Fprintf(stderr, "feed2md: %s: %v\n", name, res.Err)
		return true
	}
	for _, ch := range res.Changes {
		switch {
		case cfg.quiet:
			// Errors only: not even the paths, so that cron mails only
			// when something failed.
		case cfg.dryRun && ch.Action == convert.ActionNew:
			fmt.Fprintln(stdout, "create", ch.Path)
		case cfg.dryRun && ch.Action == convert.ActionUpdated:
			fmt.Fprintln(stdout, "update", ch.Path)
		case ch.Action != convert.ActionUnchanged && !cfg.dryRun:
			fmt.Fprintln(stdout, ch.Path)
		}
		if cfg.verbose {
			fmt.Fprintf(stderr, "%-9s %s\n", ch.Action, ch.Path)
		}
	}
	for _, err := range res.Errors {
		fmt.Fprintf(stderr, "feed2md: %s: %v\n", name, err)
	}
	if cfg.quiet {
		return res.Failed()
	}
	if res.MovedTo != "" {
		fmt.Fprintf(stderr, "feed2md: %s: moved permanently to %s: update your feed list\n", name, res.MovedTo)
	}
	if res.Discovered != "" {
		fmt.Fprintf(stderr, "feed2md: %s: is a page; converted the feed it links to, %s: use that URL in your list\n", name, res.Discovered)
	}
	prefix := ""
	if cfg.dryRun {
		prefix = "dry run: "
	}
	var line string
	switch {
	case res.NotModified:
		line = fmt.Sprintf("%s%s: not modified (%d items)", prefix, res.Source.Label(), res.Items)
	default:
		line = fmt.Sprintf("%s%s: %d items: %d new, %d updated, %d unchanged", prefix, res.Source.Label(), res.Items, res.New, res.Updated, res.Unchanged)
		if res.SameBytes {
			line += " (feed unchanged)"
		}
	}
	if n := len(res.Errors); n > 0 {
		line += fmt.Sprintf(", %d failed", n)
	}
	if res.Filtered > 0 {
		line += fmt.Sprintf(", %d left out by -limit/-since", res.Filtered)
	}
	if res.Skipped > 0 {
		line += fmt.Sprintf(", %d duplicates skipped", res.Skipped)
	}
	fmt.Fprintln(stderr, line)
	return res.Failed()
}

// readFeedsFile reads a -feeds list ("-" for standard input).
func readFeedsFile(path string, stdin io.Reader) ([]string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	feeds, err := convert.ReadFeedList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(feeds) == 0 {
		return nil, fmt.Errorf("%s lists no feed", path)
	}
	return feeds, nil
}

// cacheDir returns the folder of the state file: the flag's, else the
// user cache folder's feed2md.
func cacheDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (%v): conditional requests are off; set -cache-dir", err)
	}
	return filepath.Join(dir, "feed2md"), nil
}

// parseSince reads -since: a date (2026-01-02, midnight UTC), an RFC 3339
// time, or a duration back from now (72h, 90m, 7d).
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if strings.HasSuffix(s, "d") {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("-since %q: give a date (2026-01-02) or a duration (72h, 7d)", s)
}

// sizeValue is a flag.Value of a byte count, written as -max-size takes it.
type sizeValue int64

func (v *sizeValue) String() string { return convert.FormatSize(int64(*v)) }

func (v *sizeValue) Set(s string) error {
	n, err := parseSize(s)
	*v = sizeValue(n)
	return err
}

// parseSize reads a byte count: a number with an optional unit (B, KB,
// KiB, MB, MiB, GB, GiB; K, M and G are binary).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q is not a size such as 32MiB", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "kb": 1e3, "m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%q: unknown unit %q (use KiB, MiB, GiB, KB, MB or GB)", s, unit)
	}
	return int64(f * mult), nil
}

// buildVersion is the version of this binary: set at link time, else the
// module version, else the VCS revision, else "devel".
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}

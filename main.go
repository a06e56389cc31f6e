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
	"io/fs"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"
	_ "time/tzdata" // -timezone works on machines without a zone database

	"feed2md/convert"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
)

// Exit codes.
const (
	exitOK     = 0 // every feed converted
	exitFailed = 1 // some feed or item failed; the rest was written
	exitUsage  = 2 // bad flags or arguments; nothing was done
)

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

// feed2md runs the command and returns its exit code. It routes the
// standard logger, which net/http writes to, into its warnings.
//
// It is long because it is the command's run in order: flags, feeds, the
// converter, the report, the exit code.
func feed2md(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stderr = &lockedWriter{w: stderr}
	var cfg config
	fs := newFlagSet(&cfg)
	args, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) || err == nil && cfg.feedsFile == "" && helpAsked(args) {
		printUsage(stdout, fs)
		return exitOK
	}
	usageErr := func(err error) int {
		fmt.Fprintf(stderr, "feed2md: %v (feed2md -h lists the flags)\n", err)
		return exitUsage
	}
	if err != nil {
		return usageErr(err)
	}
	if cfg.version {
		fmt.Fprintln(stdout, "feed2md", currentVCS())
		return exitOK
	}
	opts, err := cfg.options(time.Now())
	if err == nil {
		err = opts.Check() // what reaches the front matter: valid YAML, a date Hugo reads
	}
	if err != nil {
		return usageErr(err)
	}
	feeds, err := collectFeeds(args, cfg.feedsFile, stdin)
	if err != nil {
		return usageErr(err)
	}
	warn := func(msg string) {
		if !cfg.quiet {
			fmt.Fprintf(stderr, "feed2md: warning: %s\n", escapeControls(msg))
		}
	}
	log.SetFlags(0)
	log.SetOutput(warnWriter(warn))
	opts.Stdin = stdin
	opts.Warn = warn
	opts.OnWait = func(pid string) {
		warn(fmt.Sprintf("another feed2md run (pid %s) is writing to %s: waiting up to %s (-lock-wait) for it", pid, opts.OutputDir, fetch.FormatDuration(cfg.lockWait)))
	}
	if !cfg.noCache {
		if opts.CacheDir, err = cacheDir(cfg.cacheDir); err != nil {
			warn(err.Error())
		}
		opts.CacheStrict = cfg.cacheDir != "" // the user's folder: unusable, an error
	}
	// Hugo reads a date without a zone in the site's timeZone: the date
	// rule does too.
	if opts.SiteZone, err = frontmatter.SiteTimeZone(opts.OutputDir); err != nil {
		warn(err.Error() + "; dates are written as for UTC, Hugo's default")
	}
	conv, err := convert.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "feed2md: %v\n", err)
		return exitFailed
	}
	if w := frontmatter.HugoWarning(opts.OutputDir, opts.Body != convert.BodyMarkdown); w != "" {
		warn(w)
	}
	if n := frontmatter.ThemeNotice(opts.OutputDir, opts.Theme); n != "" {
		warn(n)
	}
	rep := &reporter{stdout: stdout, stderr: stderr, quiet: cfg.quiet, verbose: cfg.verbose,
		dryRun: cfg.dryRun, json: cfg.jsonOut, noticed: map[string]bool{}}
	code := exitOK
	prog := newProgress(stderr, len(feeds), !cfg.quiet && len(feeds) > 1 && isTerminal(stderr))
	each := func(f *feed, res *convert.Result) {
		prog.clear()
		if rep.report(f, res) {
			code = exitFailed
		}
		prog.step()
	}
	convertFeeds(ctx, conv.ConvertAll, feeds, cfg.jobs, each)
	prog.clear()
	if err := conv.Close(); err != nil {
		errs := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap() // a line each
		}
		for _, err := range errs {
			fmt.Fprintf(stderr, "feed2md: %v\n", err)
		}
		code = exitFailed
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "feed2md: interrupted")
		code = exitFailed
	}
	return code
}

// helpAsked reports whether the arguments are the single word "help"
// ("feed2md help"), and no file of that name is in the current folder: a
// file named help is a feed like any other.
func helpAsked(args []string) bool {
	if len(args) != 1 || args[0] != "help" {
		return false
	}
	_, err := os.Lstat("help")
	return errors.Is(err, fs.ErrNotExist)
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

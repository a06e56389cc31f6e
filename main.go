// Command feed2md converts RSS, Atom and JSON feeds into one Markdown file
// per item, with YAML front matter for Hugo, in an output folder.
//
// Usage:
//
//	feed2md [flags] FEED...
//	feed2md [flags] -config FILE
//
// Each FEED is an http(s) URL, a file, or "-" for standard input; a
// -config file lists a site's feeds with options of their own. Run
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
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
	_ "time/tzdata" // -timezone works on machines without a zone database
)

// Exit codes.
const (
	exitOK     = 0 // every feed converted
	exitFailed = 1 // some feed or item failed; the rest was written
	exitUsage  = 2 // bad flags or arguments; nothing was done
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	gcSettings()
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
	feedArgs, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) || err == nil && cfg.feedsFile == "" && cfg.configFile == "" && helpAsked(feedArgs) {
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
	if cfg.configFile != "" {
		site, err := loadSite(cfg.configFile, args)
		if err == nil && (len(feedArgs) > 0 || cfg.feedsFile != "") {
			err = fmt.Errorf("-config %s lists the feeds: give no feed arguments nor -feeds with it", cfg.configFile)
		}
		if err != nil {
			return usageErr(err)
		}
		return newSession(cfg, stdout, stderr).runSite(ctx, site)
	}
	opts, err := cfg.options(time.Now())
	if err == nil {
		err = opts.Check() // what reaches the front matter: valid YAML, a date Hugo reads
	}
	if err != nil {
		return usageErr(err)
	}
	feeds, err := collectFeeds(feedArgs, cfg.feedsFile, stdin)
	if err != nil {
		return usageErr(err)
	}
	s := newSession(cfg, stdout, stderr)
	opts.Stdin = stdin
	conv, err := s.converter(opts)
	if err != nil {
		fmt.Fprintf(stderr, "feed2md: %v\n", err)
		return exitFailed
	}
	s.start(len(feeds))
	convertFeeds(ctx, conv.ConvertAll, feeds, cfg.jobs, s.each)
	s.close(conv)
	return s.end(ctx)
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

package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"sync"

	"feed2md/convert"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
)

// session is one run of the command past its flags: the warnings, the
// report of each feed, and the exit code they come to.
type session struct {
	cfg    config
	stderr io.Writer
	warn   func(msg string)
	rep    *reporter
	prog   *progress

	mem       convert.MemoryBudget // the feeds' memory, for the collector's limit
	cacheOnce sync.Once
	cacheDir  string // the state's folder ("" for none: -no-cache, or none usable)

	mu   sync.Mutex
	code int
}

// newSession starts a run: warnings go to stderr (unless -q), and so does
// the standard logger, which net/http writes to.
func newSession(cfg config, stdout, stderr io.Writer) *session {
	s := &session{cfg: cfg, stderr: stderr}
	s.mem.Set = setMemoryLimit
	s.warn = func(msg string) {
		if !cfg.quiet {
			fmt.Fprintf(stderr, "feed2md: warning: %s\n", escapeControls(msg))
		}
	}
	log.SetFlags(0)
	log.SetOutput(warnWriter(s.warn))
	s.rep = &reporter{stdout: stdout, stderr: stderr, quiet: cfg.quiet, verbose: cfg.verbose,
		dryRun: cfg.dryRun, json: cfg.jsonOut, noticed: map[string]bool{}}
	return s
}

// converter makes the Converter of opts's output folder, with the
// session's warnings, state folder and the site's time zone, and says
// what the folder's Hugo site needs.
func (s *session) converter(opts convert.Options) (*convert.Converter, error) {
	opts.Warn, opts.Memory = s.warn, s.mem.Add
	opts.OnWait = func(pid string) {
		s.warn(fmt.Sprintf("another feed2md run (pid %s) is writing to %s: waiting up to %s (-lock-wait) for it", pid, opts.OutputDir, fetch.FormatDuration(s.cfg.lockWait)))
	}
	if !s.cfg.noCache {
		s.cacheOnce.Do(func() {
			var err error
			if s.cacheDir, err = cacheDir(s.cfg.cacheDir); err != nil {
				s.warn(err.Error())
			}
		})
		opts.CacheDir = s.cacheDir
		opts.CacheStrict = s.cfg.cacheDir != "" // the user's folder: unusable, an error
	}
	// Hugo reads a date without a zone in the site's timeZone: the date
	// rule does too. The site is looked for once, its files read once.
	site := frontmatter.FindSite(opts.OutputDir)
	var err error
	if opts.SiteZone, err = site.TimeZone(); err != nil {
		s.warn(err.Error() + "; dates are written as for UTC, Hugo's default")
	}
	conv, err := convert.New(opts)
	if err != nil {
		return nil, err
	}
	if w := site.HugoWarning(opts.Body != convert.BodyMarkdown); w != "" {
		s.warn(w)
	}
	if n := site.ThemeNotice(opts.Theme); n != "" {
		s.warn(n)
	}
	return conv, nil
}

// start shows progress over total feeds, on a terminal, when there are
// several.
func (s *session) start(total int) {
	s.prog = newProgress(s.stderr, total, !s.cfg.quiet && total > 1 && isTerminal(s.stderr))
}

// each reports a feed's result, in list order.
func (s *session) each(f *feed, res *convert.Result) {
	s.prog.clear()
	if s.rep.report(f, res) {
		s.fail()
	}
	s.prog.step()
}

// fail makes the exit code say that something failed.
func (s *session) fail() {
	s.mu.Lock()
	s.code = exitFailed
	s.mu.Unlock()
}

// close saves a Converter's memory and releases its folder, printing a
// line for each error.
func (s *session) close(conv *convert.Converter) {
	s.prog.clear()
	if err := conv.Close(); err != nil {
		errs := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap() // a line each
		}
		for _, err := range errs {
			fmt.Fprintf(s.stderr, "feed2md: %v\n", err)
		}
		s.fail()
	}
}

// end returns the exit code of the run.
func (s *session) end(ctx context.Context) int {
	if ctx.Err() != nil {
		fmt.Fprintln(s.stderr, "feed2md: interrupted")
		s.fail()
	}
	return s.code
}

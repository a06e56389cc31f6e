package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"feed2md/convert"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
)

// reporter prints what each feed did: the paths written on stdout (or,
// with -json, one JSON object a feed), the summary, the failures and the
// notices on stderr.
type reporter struct {
	stdout, stderr io.Writer
	quiet          bool // errors and notices only
	verbose        bool // a line for every file
	dryRun         bool
	json           bool
	noticed        map[string]bool // notices printed, so that each is printed once a run
}

// Notice kinds: what a notice asks the user to do.
const (
	noticeMoved      = "moved"      // the feed moved permanently: update the list
	noticeDiscovered = "discovered" // the source is a page: use the feed it links to
	noticeGone       = "gone"       // HTTP 410: remove the feed from the list
	noticeEdited     = "edited"     // -prune kept a file changed since it was written: remove it by hand if it should go
)

// notice is something the user should act on, printed even under -q.
type notice struct {
	Kind    string `json:"kind"`          // noticeMoved, noticeDiscovered or noticeGone
	URL     string `json:"url,omitempty"` // the URL to use instead, if any
	Message string `json:"message"`       // what to do, in words
}

// notices lists the notices of a feed's result.
func notices(res *convert.Result) []notice {
	var ns []notice
	// A URL's user name, password and tokens are never printed
	// (RedactURL): the user puts them back from the list they keep.
	if res.MovedTo != "" {
		u := fetch.RedactURL(res.MovedTo)
		ns = append(ns, notice{noticeMoved, u, "moved permanently to " + u + ": update your feed list"})
	}
	if res.Discovered != "" && res.Err == nil {
		// Only when the feed found converted: a page whose link leads
		// nowhere useful has its error line, not this.
		u := fetch.RedactURL(res.Discovered)
		ns = append(ns, notice{noticeDiscovered, u, "is a page; converted the feed it links to, " + u + ": use that URL in your list"})
	}
	var he *fetch.HTTPError
	if errors.As(res.Err, &he) && he.StatusCode == http.StatusGone {
		ns = append(ns, notice{Kind: noticeGone, Message: "the feed is gone (HTTP 410): remove it from your list"})
	}
	for _, path := range res.PruneKept {
		ns = append(ns, notice{Kind: noticeEdited, Message: "kept " + path + ": its item left the feed, but the file was changed since feed2md wrote it, so -prune never removes it (remove it yourself if it should go)"})
	}
	return ns
}

// report prints a feed's result and reports whether the feed failed.
func (r *reporter) report(f *feed, res *convert.Result) bool {
	prefix := "feed2md: " + f.label + ": "
	if f.where != "" {
		prefix = "feed2md: " + f.where + ": " + f.label + ": "
	}
	switch {
	case f.err != nil:
		// The entry names no feed; its error quotes it.
		r.line("feed2md: " + f.where + ": " + f.err.Error())
	case res.Err != nil:
		r.line(prefix + res.Err.Error())
	}
	for _, err := range res.Errors {
		r.line("feed2md: " + f.label + ": " + err.Error())
	}
	for _, n := range notices(res) {
		// Once a run for the same feed: a feed listed twice (its second
		// label is "LABEL (2)") says it once.
		seen := n.Kind + "\x00" + f.arg + "\x00" + n.URL
		if n.Kind == noticeGone || r.noticed[seen] {
			continue // the error line already says it, or it was said
		}
		r.noticed[seen] = true
		r.line(prefix + n.Message)
	}
	if r.json {
		r.printJSON(f, res)
	} else {
		r.printPaths(res)
	}
	if r.verbose {
		for _, ch := range res.Changes {
			fmt.Fprintf(r.stderr, "%-9s %s\n", ch.Action, ch.Path)
		}
		for _, note := range res.Notes {
			r.line("feed2md: " + f.label + ": note: " + note)
		}
		if !res.SameBytes && !res.NotModified {
			for _, name := range res.Repeats {
				r.line("feed2md: " + f.label + ": duplicate skipped: " + name)
			}
		}
		for _, err := range res.ImageErrors {
			r.line("feed2md: " + f.label + ": " + err.Error())
		}
		for _, err := range res.PageErrors {
			r.line("feed2md: " + f.label + ": " + err.Error())
		}
		if !r.dryRun {
			for _, path := range res.Pruned {
				fmt.Fprintf(r.stderr, "%-9s %s\n", "removed", path)
			}
		}
	}
	if !r.quiet && !r.json && res.Err == nil && f.err == nil {
		r.line(summary(f.label, res, r.dryRun)) // a label is a path as given: control characters too
	}
	return f.err != nil || res.Failed()
}

// line prints one line on stderr, with the control characters a feed may
// have put into it (an item's link or title) escaped, so that it cannot
// move the cursor, recolour the terminal or forge another line.
func (r *reporter) line(s string) {
	fmt.Fprintln(r.stderr, escapeControls(s))
}

// escapeControls writes each control character of s (C0, DEL, C1; tab
// included) as a Go escape such as \x1b or \u009b.
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if isControl(c) {
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isControl(c rune) bool { return c < 0x20 || c >= 0x7f && c < 0xa0 }

// printPaths prints each file created or updated, one a line; with
// -dry-run, "create PATH" or "update PATH". -q prints none, so that cron
// mails only when something failed.
func (r *reporter) printPaths(res *convert.Result) {
	if r.quiet {
		return
	}
	for _, ch := range res.Changes {
		switch {
		case ch.Action == folder.ActionUnchanged:
		case !r.dryRun:
			fmt.Fprintln(r.stdout, ch.Path)
		case ch.Action == folder.ActionNew:
			fmt.Fprintln(r.stdout, "create", ch.Path)
		case ch.Action == folder.ActionUpdated:
			fmt.Fprintln(r.stdout, "update", ch.Path)
		}
	}
	if r.dryRun {
		for _, path := range res.Pruned {
			fmt.Fprintln(r.stdout, "remove", path)
		}
	}
}

// summary is a feed's summary line, e.g.
// "example.com/feed.xml: 3 items: 1 new, 0 updated, 2 unchanged".
func summary(label string, res *convert.Result, dryRun bool) string {
	var b strings.Builder
	if dryRun {
		b.WriteString("dry run: ")
	}
	b.WriteString(label)
	if !res.NotBefore.IsZero() {
		fmt.Fprintf(&b, ": not fetched: waiting until %s, as the server asked (Retry-After)", fetch.FormatTime(res.NotBefore))
		return b.String()
	}
	if res.NotModified {
		fmt.Fprintf(&b, ": not modified (%s)", plural(res.Items, "item", "items"))
	} else {
		fmt.Fprintf(&b, ": %s: %d new, %d updated, %d unchanged", plural(res.Items, "item", "items"), res.New, res.Updated, res.Unchanged)
		if res.SameBytes {
			b.WriteString(" (feed unchanged)")
		}
	}
	if n := failedItems(res); n > 0 {
		fmt.Fprintf(&b, ", %d failed", n)
	}
	if res.NotWritten > 0 {
		fmt.Fprintf(&b, ", %d not written (disk full)", res.NotWritten)
	}
	if res.Filtered > 0 {
		fmt.Fprintf(&b, ", %d left out by -limit/-since", res.Filtered)
	}
	if res.Skipped > 0 {
		fmt.Fprintf(&b, ", %s skipped", plural(res.Skipped, "duplicate", "duplicates"))
	}
	if res.ImagesSaved > 0 {
		fmt.Fprintf(&b, ", %s saved", plural(res.ImagesSaved, "image", "images"))
	}
	if res.ImagesFailed > 0 {
		fmt.Fprintf(&b, ", %s failed (kept as links; -v says why)", plural(res.ImagesFailed, "image", "images"))
	}
	if res.Articles > 0 {
		fmt.Fprintf(&b, ", %s from their pages", plural(res.Articles, "body", "bodies"))
	}
	if n := len(res.Pruned); n > 0 {
		verb := "removed"
		if dryRun {
			verb = "to remove"
		}
		fmt.Fprintf(&b, ", %d %s (gone from the feed longer than -prune)", n, verb)
	}
	if res.PagesFailed > 0 {
		fmt.Fprintf(&b, ", %s without an article (the feed's body kept; -v says why)", plural(res.PagesFailed, "page", "pages"))
	}
	return b.String()
}

// failedItems is how many of a feed's items failed: its errors, less the
// one that says the file system is full (NotWritten counts those items).
func failedItems(res *convert.Result) int {
	n := len(res.Errors)
	for _, err := range res.Errors {
		if _, ok := err.(*folder.FullError); ok {
			n--
		}
	}
	return n
}

// plural writes n and the noun in the right number: "1 item", "2 items".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Feed statuses of the -json report.
const (
	statusConverted   = "converted"    // read and converted; see counts and errors for its items
	statusNotModified = "not_modified" // the server answered 304: nothing read, nothing written
	statusUnchanged   = "unchanged"    // the same bytes as last run, with the same options and files: nothing parsed
	statusFailed      = "failed"       // the feed as a whole failed: nothing of it written
	statusWaiting     = "waiting"      // not fetched: the server asked for no request before not_before
)

// jsonFeed is the -json report of one feed: one line of JSON on stdout.
// Keys are only ever added, never renamed or removed.
type jsonFeed struct {
	Label      string     `json:"label"`                 // the feed's label, unique in the run
	Source     string     `json:"source"`                // the URL (credentials masked: RedactURL), path or "-" as given
	List       string     `json:"list,omitempty"`        // "FILE:LINE" for a feed of a -feeds list
	Status     string     `json:"status"`                // statusConverted, ...
	DryRun     bool       `json:"dry_run,omitempty"`     // -dry-run: files says what would be done
	HTTPStatus int        `json:"http_status,omitempty"` // the status of a failed HTTP request
	NotBefore  string     `json:"not_before,omitempty"`  // RFC 3339: the server's Retry-After, before which no run asks again
	Counts     jsonCounts `json:"counts"`
	Files      []jsonFile `json:"files"`   // each file created or updated
	Errors     []string   `json:"errors"`  // the feed's error, or each failed item's
	Notices    []notice   `json:"notices"` // what to act on: moved, discovered, gone
}

// jsonCounts are a feed's counts; a count added later is a new key.
type jsonCounts struct {
	Items     int `json:"items"`     // items in the feed
	New       int `json:"new"`       // files created
	Updated   int `json:"updated"`   // files rewritten
	Unchanged int `json:"unchanged"` // files that already held their item
	Skipped   int `json:"skipped"`   // items the feed repeats
	Filtered  int `json:"filtered"`  // items left out by -limit or -since
	Failed    int `json:"failed"`    // items that failed

	NotWritten int `json:"not_written,omitempty"` // items not written because the disk is full (or read-only): the next run writes them

	ImagesSaved  int `json:"images_saved,omitempty"`  // images downloaded into bundles (-images download)
	ImagesFailed int `json:"images_failed,omitempty"` // images that failed and kept their URLs

	PagesFetched int `json:"pages_fetched,omitempty"` // items' pages asked for (-fulltext)
	Articles     int `json:"articles,omitempty"`      // items whose body is their page's article
	PagesFailed  int `json:"pages_failed,omitempty"`  // pages that gave no article: the feed's body kept

	Removed int `json:"removed,omitempty"` // -prune: files removed (with -dry-run: to remove), listed in files with action "removed"
}

// jsonFile is a file created or updated.
type jsonFile struct {
	Path   string `json:"path"`   // the output folder joined with the file's name
	Action string `json:"action"` // "new", "updated", or "removed" (-prune)
}

// jsonReport builds the -json object of a feed.
func jsonReport(f *feed, res *convert.Result, dryRun bool) jsonFeed {
	j := jsonFeed{
		Label: f.label, Source: fetch.RedactURL(f.arg), List: f.where, DryRun: dryRun,
		Counts: jsonCounts{
			Items: res.Items, New: res.New, Updated: res.Updated, Unchanged: res.Unchanged,
			Skipped: res.Skipped, Filtered: res.Filtered, Failed: failedItems(res), NotWritten: res.NotWritten,
			ImagesSaved: res.ImagesSaved, ImagesFailed: res.ImagesFailed,
			PagesFetched: res.PagesFetched, Articles: res.Articles, PagesFailed: res.PagesFailed,
			Removed: len(res.Pruned),
		},
		Files: []jsonFile{}, Errors: []string{}, Notices: notices(res),
	}
	if j.Notices == nil {
		j.Notices = []notice{}
	}
	switch {
	case f.err != nil:
		j.Status = statusFailed
		j.Errors = append(j.Errors, f.err.Error())
	case res.Err != nil:
		j.Status = statusFailed
		j.Errors = append(j.Errors, res.Err.Error())
		var he *fetch.HTTPError
		if errors.As(res.Err, &he) {
			j.HTTPStatus = he.StatusCode
		}
		var later *fetch.RetryLaterError
		if errors.As(res.Err, &later) {
			j.NotBefore = later.Until.UTC().Format(time.RFC3339)
		}
	case !res.NotBefore.IsZero():
		j.Status = statusWaiting
		j.NotBefore = res.NotBefore.UTC().Format(time.RFC3339)
	case res.NotModified:
		j.Status = statusNotModified
	case res.SameBytes:
		j.Status = statusUnchanged
	default:
		j.Status = statusConverted
	}
	for _, err := range res.Errors {
		j.Errors = append(j.Errors, err.Error())
	}
	for _, ch := range res.Changes {
		if ch.Action == folder.ActionNew || ch.Action == folder.ActionUpdated {
			j.Files = append(j.Files, jsonFile{Path: ch.Path, Action: ch.Action})
		}
	}
	for _, path := range res.Pruned {
		j.Files = append(j.Files, jsonFile{Path: path, Action: "removed"})
	}
	return j
}

func (r *reporter) printJSON(f *feed, res *convert.Result) {
	line, err := json.Marshal(jsonReport(f, res, r.dryRun))
	if err != nil {
		// Strings, ints and bools always marshal.
		panic(err)
	}
	r.stdout.Write(append(line, '\n'))
}

// lockedWriter serialises writes to w: warnings come from the converter's
// goroutines and from net/http's logger while results are printed.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// warnWriter is an io.Writer for the standard logger (which net/http
// writes to, e.g. "Unsolicited response received on idle HTTP channel"):
// each line becomes a warning, so it follows -q like the others.
type warnWriter func(msg string)

func (w warnWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if strings.TrimSpace(line) != "" {
			w(line)
		}
	}
	return len(p), nil
}

package convert

import (
	"fmt"
	"net/http"
)

// HTTPError is a response whose status is not 2xx (nor 304 to a
// conditional request).
type HTTPError struct {
	StatusCode int    // the status code, e.g. 404
	Status     string // the status line's text, e.g. "404 Not Found"
}

func (e *HTTPError) Error() string {
	status := e.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	hint := "check the URL"
	switch {
	case e.StatusCode == http.StatusGone:
		hint = "the feed is gone: remove it from your list"
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		hint = "the server refuses access to the feed"
	case e.StatusCode == http.StatusTooManyRequests:
		hint = "the server is rate-limiting: run less often"
	case e.StatusCode >= 500:
		hint = "the server failed: try again later"
	}
	return fmt.Sprintf("HTTP %s: %s", status, hint)
}

// TooLargeError is a feed larger than Options.MaxSize. It is never
// truncated: a cut feed would lose items silently.
type TooLargeError struct {
	Limit int64 // the cap in bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("feed is larger than the %s limit: raise -max-size if it is genuine", FormatSize(e.Limit))
}

// NotFeedError is input that is not RSS, Atom or JSON Feed, such as an
// HTML page.
type NotFeedError struct {
	What string // what the input is instead, e.g. "an HTML page"
}

func (e *NotFeedError) Error() string {
	return fmt.Sprintf("not a feed (%s): give the URL or file of an RSS, Atom or JSON feed", e.What)
}

// ItemError is a failure to convert or write one item of a feed; the
// other items are unaffected.
type ItemError struct {
	Link string // the item's link, or its GUID or title when it has none
	Err  error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %s: %v", e.Link, e.Err) }

func (e *ItemError) Unwrap() error { return e.Err }

// FormatSize writes a byte count the way the -max-size flag takes it:
// 32MiB, 500KiB, or a plain number of bytes.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%d", n)
}

// FullError is the output folder's file system filling up (or its quota
// running out, or it turning read-only) during a run. The feed's writing
// stopped at the first file that did not fit (for a feed after it in the
// run, at its first file to write): every file written is whole, and the
// next run, once there is space, writes the rest. It is one of a Result's
// Errors, beside the counts of what was written.
type FullError struct {
	Dir     string // the output folder
	Err     error  // the system's error, e.g. ENOSPC
	Written int    // the feed's items whose files are written (new, updated or unchanged)
	Items   int    // the feed's items to write (those -limit and -since kept)
}

func (e *FullError) Error() string {
	what, hint, ok := fullCause(e.Err)
	if !ok {
		what, hint = fmt.Sprint(e.Err), "free some space"
	}
	return fmt.Sprintf("%s writing %s: %d of %d items written; %s and run again to write the rest", what, e.Dir, e.Written, e.Items, hint)
}

func (e *FullError) Unwrap() error { return e.Err }

// isFull reports whether err is a file system that is full, over quota or
// read-only: no later write into the folder can succeed either.
func isFull(err error) bool {
	_, _, ok := fullCause(err)
	return ok
}

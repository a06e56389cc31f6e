package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// maxRedirects bounds a redirect chain; a loop ends in an error, not a hang.
const maxRedirects = 10

// errRedirectLoop ends a redirect chain longer than maxRedirects.
var errRedirectLoop = errors.New("redirect loop")

// RedirectSchemeError is a redirect to a URL that is not http or https
// (file:, ftp:, …). It is never followed and never retried: the server
// answers the same way every time.
type RedirectSchemeError struct {
	Scheme string // the scheme redirected to, lower case, e.g. "file"
}

func (e *RedirectSchemeError) Error() string {
	return fmt.Sprintf("redirected to a URL of the %s: scheme, which feed2md does not follow (only http and https): check the address", e.Scheme)
}

// maxRetryAfter caps a server's Retry-After: a longer one (a
// misconfigured server, milliseconds sent as seconds) is taken as this,
// so that a feed is never left unread for more than a day.
const maxRetryAfter = 24 * time.Hour

// RetryLaterError is a 429 or 503 whose Retry-After asks for a longer
// wait than the Fetcher's MaxWait: no other attempt is made in this run. A
// Converter with a state records Until, and runs before it skip the feed
// without a request (convert.Result.NotBefore).
type RetryLaterError struct {
	Until time.Time // the server's Retry-After, as a time (at most a day away)
	Err   error     // the response that said so (an *HTTPError)
	// Kept is set when Until was recorded in the state, so that the runs
	// before it skip the feed.
	Kept bool
}

func (e *RetryLaterError) Error() string {
	what := e.Err.Error()
	var he *HTTPError
	if errors.As(e.Err, &he) {
		// The status alone: its usual hint ("run less often") is this.
		what = "HTTP " + he.Status
		if he.Status == "" {
			what = fmt.Sprintf("HTTP %d %s", he.StatusCode, http.StatusText(he.StatusCode))
		}
	}
	msg := fmt.Sprintf("%s: the server asks for no request before %s (Retry-After)", what, FormatTime(e.Until))
	if e.Kept {
		msg += ": runs until then skip this feed"
	}
	return msg
}

func (e *RetryLaterError) Unwrap() error { return e.Err }

// FormatTime writes a time for a message: local time, to the second, with
// its offset from UTC, e.g. "2026-11-25 13:00:00 +01:00".
func FormatTime(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04:05 -07:00")
}

// Validators are the cache validators of a previous response, sent back as
// If-None-Match and If-Modified-Since.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Fetched is the raw bytes of a feed and what the transport said of them.
// A document of at most MemMax bytes is read whole into Body. A larger one
// is not: Body holds its first bytes and Rest the others, unread, for the
// feed stage to stream, and the caller closes Rest (Close).
type Fetched struct {
	Body        []byte
	Rest        io.ReadCloser // the bytes after Body, for a document larger than MemMax (nil otherwise)
	File        *os.File      // the regular file read, when Rest is that file
	Size        int64         // the whole document's size: len(Body) when read whole, else a regular file's size or the Content-Length (-1: unknown)
	Limit       int64         // the cap that applies to the whole document (0: none)
	ContentType string
	URL         string     // the URL the body came from, after redirects
	MovedTo     string     // set when every redirect on the way was permanent
	Validators  Validators // of this response, for the next run
	NotModified bool       // a 304 answer to a conditional request
}

// Close releases rest; safe to call twice.
func (f *Fetched) Close() {
	if f != nil && f.Rest != nil {
		f.Rest.Close()
		f.Rest = nil
	}
}

// MemMax is the size up to which a document is read whole into memory and
// parsed as one; past it, it is streamed (the feed stage) and only the items in
// flight are held. It is a variable for tests, which lower it to stream
// small documents, or raise it to get the in-memory result to compare.
var MemMax = 32 << 20

// SniffSize is how much of a document is looked at before the rest is
// read: enough to tell a feed from anything else (see Sniff).
const SniffSize = 64 << 10

// DefaultMaxFileSize is the cap on a local file unless
// convert.Options.MaxFileSize sets another: far above any real export,
// low enough to stop a runaway device or a wrong file.
const DefaultMaxFileSize = 8 << 30

// Kind is what a Fetcher fetches; its cap is set by its own flag (see
// TooLargeError).
type Kind uint8

// Kinds of documents.
const (
	Feed  Kind = iota // a feed: -max-size
	Image             // an image of -images download: -max-image-size
	Page              // an item's web page, for -fulltext: -max-page-size
)

// accept is the Accept header of each Kind.
var accept = [...]string{
	Feed:  "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
	Image: "image/avif, image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.5",
	Page:  "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
}

// Fetcher reads feeds from URLs, files and standard input.
type Fetcher struct {
	Client      *http.Client
	UserAgent   string
	Timeout     time.Duration
	MaxSize     int64
	MaxFileSize int64
	Retries     int                                              // extra attempts for a transient failure
	RetryDelay  time.Duration                                    // the first backoff; it doubles
	MaxWait     time.Duration                                    // the longest Retry-After waited for in the run; a longer one ends the attempts
	Now         func() time.Time                                 // the clock Retry-After dates are read against
	Sleep       func(ctx context.Context, d time.Duration) error // waits between attempts (tests replace it); nil for a timer
	Stdin       io.Reader
	// Kind is what is fetched: a feed (the zero value), or an image
	// (-images download) or a web page (-fulltext), whose body is no feed:
	// it is not sniffed as one, and it is read whole up to MaxSize, never
	// left to stream.
	Kind Kind
	// Sniff judges a document's first bytes before the rest is read
	// (see ReadBody); nil for none.
	Sniff func(prefix []byte, contentType string) error
	// Header is sent with every request of a URL, over the fetcher's own
	// (a private feed's token): to its host only, never after a redirect
	// to another host. Its values are secrets: nothing here writes them.
	Header http.Header
}

// Read returns the bytes of src (see Fetched). For a URL, prev holds the
// Validators of the last good response (zero for none). A failed URL is
// tried again, up to Retries times, when the failure may pass; each
// attempt has its own timeout, and the error says how many were made.
func (f *Fetcher) Read(ctx context.Context, src Source, prev Validators) (*Fetched, error) {
	switch {
	case src.Stdin:
		if f.Stdin == nil {
			return nil, errors.New("no standard input")
		}
		res := &Fetched{Limit: f.MaxSize}
		if err := ReadBody(ctx, res, io.NopCloser(f.Stdin), f.MaxSize, 0, f.Sniff); err != nil {
			return nil, err
		}
		return res, nil
	case src.URL == nil:
		res, err := readFile(ctx, src.Path, f.MaxFileSize, f.Sniff)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, errors.New("no such file: check the path")
			}
			return nil, err
		}
		return res, nil
	}
	var lastErr error
	attempt := 0
	for ; ; attempt++ {
		res, wait, err := f.get(ctx, src.URL, prev)
		if err == nil {
			return res, nil
		}
		lastErr = err
		if wait > f.MaxWait {
			// Too long to wait in the run: the next run past it asks.
			until := f.Now().Add(wait)
			if whole := until.Truncate(time.Second); whole.Before(until) {
				until = whole.Add(time.Second) // to the second, never earlier than asked
			}
			lastErr = &RetryLaterError{Until: until, Err: err}
			break
		}
		if wait < 0 || attempt >= f.Retries || ctx.Err() != nil {
			break
		}
		if wait == 0 {
			// Exponential backoff with full jitter on its upper half.
			d := f.RetryDelay << attempt
			wait = d/2 + rand.N(d/2+1)
		}
		if err := f.pause(ctx, wait); err != nil {
			return nil, &AttemptsError{Attempts: attempt + 1, Err: lastErr}
		}
	}
	if attempt == 0 {
		return nil, lastErr
	}
	return nil, &AttemptsError{Attempts: attempt + 1, Err: lastErr}
}

// pause waits d, or less when ctx ends (its error).
func (f *Fetcher) pause(ctx context.Context, d time.Duration) error {
	if f.Sleep != nil {
		return f.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// AttemptsError is the last failure of a URL tried more than once.
type AttemptsError struct {
	Attempts int   // how many requests were made
	Err      error // the last one's failure
}

func (e *AttemptsError) Error() string {
	return fmt.Sprintf("%v (%d attempts)", e.Err, e.Attempts)
}

func (e *AttemptsError) Unwrap() error { return e.Err }

// get makes one request. On failure, wait says whether to try again: -1
// never, 0 after the usual backoff, more after that long (Retry-After).
//
// It is long because one attempt's request, redirects, status, validators
// and body are one sequence with early returns.
func (f *Fetcher) get(ctx context.Context, u *url.URL, prev Validators) (*Fetched, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, f.Timeout)
	keep := false // the body is handed on as a stream: do not end the request here
	defer func() {
		if !keep {
			cancel()
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, -1, err
	}
	req.Header.Set("User-Agent", f.UserAgent)
	req.Header.Set("Accept", accept[f.Kind])
	for k, v := range f.Header {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	permanent := true
	client := *f.Client
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("%w: more than %d redirects, from %s", errRedirectLoop, maxRedirects, redactURL(via[0].URL))
		}
		if s := r.URL.Scheme; s != "http" && s != "https" {
			// Checked before the request is made: nothing is read.
			return &RedirectSchemeError{Scheme: s}
		}
		if code := r.Response.StatusCode; code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
			permanent = false
		}
		if !SameOrigin(u, r.URL) {
			// The redirect copied the headers: the feed's own go to its
			// host only, and never in clear text when it was asked
			// over https.
			for k := range f.Header {
				r.Header.Del(k)
			}
		}
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		switch {
		case ctx.Err() == context.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded):
			return nil, 0, fmt.Errorf("no answer within %s, the -timeout of one attempt: the server is slow or down (raise -timeout)", FormatDuration(f.Timeout))
		case errors.Is(err, context.Canceled), errors.Is(err, errRedirectLoop), errors.As(err, new(*RedirectSchemeError)):
			return nil, -1, err
		}
		return nil, 0, err
	}
	defer func() {
		if !keep {
			resp.Body.Close()
		}
	}()
	res := &Fetched{URL: resp.Request.URL.String()}
	if res.URL != u.String() && permanent {
		res.MovedTo = res.URL
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && (prev.ETag != "" || prev.LastModified != ""):
		res.NotModified = true
		res.Validators = prev
		if v := resp.Header.Get("ETag"); v != "" {
			res.Validators.ETag = v
		}
		return res, 0, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		herr := &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
			return nil, f.RetryAfter(resp.Header.Get("Retry-After")), herr
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
			return nil, 0, herr
		}
		return nil, -1, herr
	}
	if resp.ContentLength > 0 && f.MaxSize > 0 && resp.ContentLength > f.MaxSize {
		return nil, -1, &TooLargeError{Limit: f.MaxSize, Kind: f.Kind}
	}
	res.ContentType = resp.Header.Get("Content-Type")
	res.Limit = f.MaxSize
	res.Validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	timedOut := func(err error) error {
		if ctx.Err() == context.DeadlineExceeded {
			return fmt.Errorf("no complete answer within %s, the -timeout of one attempt: the server is slow (raise -timeout)", FormatDuration(f.Timeout))
		}
		return fmt.Errorf("reading the response: %w", err)
	}
	if f.Kind != Feed {
		err = readWhole(ctx, res, httpBody{resp.Body}, f.MaxSize, resp.ContentLength)
	} else {
		err = ReadBody(ctx, res, httpBody{resp.Body}, f.MaxSize, resp.ContentLength, f.Sniff)
	}
	if err != nil {
		var tl *TooLargeError
		var nf *NotFeedError
		switch {
		case errors.As(err, &tl):
			tl.Kind = f.Kind // capped by this kind's flag
			return nil, -1, err
		case errors.As(err, &nf):
			return nil, -1, err
		case errors.Is(err, context.Canceled):
			return nil, -1, err
		}
		return nil, 0, timedOut(err)
	}
	if res.Rest != nil {
		// The rest is read as the document is converted, within the same
		// timeout; the request ends when it is closed.
		g := res.Rest.(*chainReader).src
		g.done = timedOut
		g.closer = closerFunc(func() error { cancel(); return resp.Body.Close() })
		keep = true
	}
	return res, 0, nil
}

// httpBody marks a response body, whose reads end when the request's
// context does: GuardedReader reads it directly.
type httpBody struct{ io.ReadCloser }

// closerFunc is a function as an io.Closer.
type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// RetryAfter reads a Retry-After header: a number of seconds or an HTTP
// date. It is 0 when absent, unreadable, zero or past, so that the usual
// backoff applies, and at most maxRetryAfter.
func (f *Fetcher) RetryAfter(h string) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseUint(h, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		// Digits only; too many for a uint64 are as long as the cap.
		if err != nil || secs > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(f.Now())
	}
	if d <= 0 {
		return 0
	}
	return min(d, maxRetryAfter)
}

package convert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"time"
)

// maxRedirects bounds a redirect chain; a loop ends in an error, not a hang.
const maxRedirects = 10

// errRedirectLoop ends a redirect chain longer than maxRedirects.
var errRedirectLoop = errors.New("redirect loop")

// Validators are the cache validators of a previous response, sent back as
// If-None-Match and If-Modified-Since.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// fetched is the raw bytes of a feed and what the transport said of them.
type fetched struct {
	body        []byte
	contentType string
	url         string     // the URL the body came from, after redirects
	movedTo     string     // set when every redirect on the way was permanent
	validators  Validators // of this response, for the next run
	notModified bool       // a 304 answer to a conditional request
}

// fetcher reads feeds from URLs, files and standard input.
type fetcher struct {
	client     *http.Client
	userAgent  string
	timeout    time.Duration
	maxSize    int64
	retries    int           // extra attempts for a transient failure
	retryDelay time.Duration // the first backoff; it doubles
	maxWait    time.Duration // the cap on a server's Retry-After
	stdin      io.Reader
}

// readFile reads a whole file, as os.ReadFile does. A large one goes into
// a buffer of huge pages where the kernel allows it, read in two halves at
// once: filling fresh memory costs page faults, which two cores take
// faster than one. If the file changes size meanwhile, it is read again
// the plain way.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := info.Size()
	if !info.Mode().IsRegular() || size < 8<<20 || size != int64(int(size)) {
		return os.ReadFile(path)
	}
	buf := make([]byte, size)
	adviseHugePages(buf)
	half := size / 2
	var errs [2]error
	done := make(chan struct{})
	go func() {
		_, errs[1] = f.ReadAt(buf[half:], half)
		close(done)
	}()
	_, errs[0] = f.ReadAt(buf[:half], 0)
	<-done
	var probe [1]byte
	if errs[0] != nil || errs[1] != nil {
		return os.ReadFile(path) // shorter than it was, or unreadable: say so plainly
	}
	if n, _ := f.ReadAt(probe[:], size); n != 0 {
		return os.ReadFile(path) // it grew
	}
	return buf, nil
}

// read returns the bytes of src. For a URL, prev holds the validators of
// the last good response (zero for none).
func (f *fetcher) read(ctx context.Context, src Source, prev Validators) (*fetched, error) {
	switch {
	case src.Stdin:
		if f.stdin == nil {
			return nil, errors.New("no standard input")
		}
		body, err := readCapped(f.stdin, f.maxSize)
		if err != nil {
			return nil, err
		}
		return &fetched{body: body}, nil
	case src.URL == nil:
		body, err := readFile(src.Path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, errors.New("no such file: check the path")
			}
			return nil, err
		}
		return &fetched{body: body}, nil
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		res, wait, err := f.get(ctx, src.URL, prev)
		if err == nil {
			return res, nil
		}
		lastErr = err
		if wait < 0 || attempt >= f.retries || ctx.Err() != nil {
			break
		}
		if wait == 0 {
			// Exponential backoff with full jitter on its upper half.
			d := f.retryDelay << attempt
			wait = d/2 + rand.N(d/2+1)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, lastErr
		case <-t.C:
		}
	}
	return nil, lastErr
}

// get makes one request. On failure, wait says whether to try again: -1
// never, 0 after the usual backoff, more after that long (Retry-After).
func (f *fetcher) get(ctx context.Context, u *url.URL, prev Validators) (*fetched, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, -1, err
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	permanent := true
	client := *f.client
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("%w: more than %d redirects, from %s", errRedirectLoop, maxRedirects, via[0].URL)
		}
		if code := r.Response.StatusCode; code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
			permanent = false
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
			return nil, 0, fmt.Errorf("no answer within %s: the server is slow or down (raise -timeout)", f.timeout)
		case errors.Is(err, context.Canceled), errors.Is(err, errRedirectLoop):
			return nil, -1, err
		}
		return nil, 0, err
	}
	defer resp.Body.Close()
	res := &fetched{url: resp.Request.URL.String()}
	if res.url != u.String() && permanent {
		res.movedTo = res.url
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && (prev.ETag != "" || prev.LastModified != ""):
		res.notModified = true
		res.validators = prev
		if v := resp.Header.Get("ETag"); v != "" {
			res.validators.ETag = v
		}
		return res, 0, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		herr := &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
			return nil, f.retryAfter(resp.Header.Get("Retry-After")), herr
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
			return nil, 0, herr
		}
		return nil, -1, herr
	}
	if resp.ContentLength > 0 && f.maxSize > 0 && resp.ContentLength > f.maxSize {
		return nil, -1, &TooLargeError{Limit: f.maxSize}
	}
	body, err := readCapped(resp.Body, f.maxSize)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, -1, err
		}
		if ctx.Err() == context.DeadlineExceeded {
			return nil, 0, fmt.Errorf("no complete answer within %s: the server is slow (raise -timeout)", f.timeout)
		}
		return nil, 0, fmt.Errorf("reading the response: %w", err)
	}
	res.body = body
	res.contentType = resp.Header.Get("Content-Type")
	res.validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	return res, 0, nil
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped
// at maxWait; 0 when absent or unreadable, so the usual backoff applies.
func (f *fetcher) retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(h); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = time.Until(t)
	}
	if d <= 0 {
		return 0
	}
	if d > f.maxWait {
		d = f.maxWait
	}
	return d
}

// readCapped reads r whole, failing with a TooLargeError past max bytes
// (0: no cap) rather than truncating.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	if max <= 0 {
		return readAll(r)
	}
	body, err := readAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > max {
		return nil, &TooLargeError{Limit: max}
	}
	return body, nil
}

// readAll reads r to its end, as io.ReadAll does, but for a large stream
// (a 50 MB export piped in) faster: it fills pieces that double up to 8
// MB, the large ones in huge pages, and joins them once at the end,
// instead of growing one buffer through a dozen copies into fresh 4 KB
// pages.
func readAll(r io.Reader) ([]byte, error) {
	var pieces [][]byte
	total, size := 0, 64<<10
	for {
		buf := make([]byte, size)
		adviseHugePages(buf)
		n, err := io.ReadFull(r, buf)
		pieces = append(pieces, buf[:n])
		total += n
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, 8<<20)
	}
	if len(pieces) == 1 {
		return pieces[0], nil
	}
	out := make([]byte, 0, total)
	adviseHugePages(out[:total])
	for i, p := range pieces {
		out = append(out, p...)
		pieces[i] = nil
	}
	if total >= 16<<20 {
		// The pieces are garbage, but a collection that ran while they
		// were joined saw them live and set the next heap goal from twice
		// the feed's size; one now sets it from what is live.
		runtime.GC()
	}
	return out, nil
}

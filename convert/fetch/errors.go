package fetch

import (
	"fmt"
	"net/http"
	"strings"
	"time"
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

// TooLargeError is a document larger than the cap a flag sets: a feed
// (convert.Options.MaxSize and MaxFileSize, -max-size), an image of -images
// download (convert.Options.MaxImageSize, -max-image-size) or an item's page
// for -fulltext (convert.Options.MaxPageSize, -max-page-size). A feed is
// never truncated: a cut feed would lose items silently.
type TooLargeError struct {
	Limit int64 // the cap in bytes
	Kind  Kind  // what was fetched, whose flag sets the cap
}

// Flag is the command's flag that sets the cap.
func (e *TooLargeError) Flag() string {
	switch e.Kind {
	case Image:
		return "-max-image-size"
	case Page:
		return "-max-page-size"
	}
	return "-max-size"
}

func (e *TooLargeError) Error() string {
	switch e.Kind {
	case Image:
		return fmt.Sprintf("image is larger than the %s limit: raise %s to download it", FormatSize(e.Limit), e.Flag())
	case Page:
		return fmt.Sprintf("page is larger than the %s limit: raise %s to extract its article", FormatSize(e.Limit), e.Flag())
	}
	return fmt.Sprintf("feed is larger than the %s limit: raise %s if it is genuine", FormatSize(e.Limit), e.Flag())
}

// NotFeedError is input that is not RSS, Atom or JSON Feed, such as an
// HTML page.
type NotFeedError struct {
	What string // what the input is instead, e.g. "an HTML page"
}

func (e *NotFeedError) Error() string {
	return fmt.Sprintf("not a feed (%s): give the URL or file of an RSS, Atom or JSON feed", e.What)
}

// FormatSize writes a byte count with its unit, in the largest unit that
// divides it: "10 B", "500 KiB", "1 MiB", "2 MB", "8 GiB". It is how every
// message and the usage write a size, and -max-size, -max-image-size and
// -max-page-size read it back as it is.
func FormatSize(n int64) string {
	for _, u := range sizeUnits {
		if n >= u.bytes && n%u.bytes == 0 {
			return fmt.Sprintf("%d %s", n/u.bytes, u.name)
		}
	}
	return fmt.Sprintf("%d B", n)
}

// sizeUnits are the units FormatSize writes, largest first; binary before
// decimal, so that a power of two reads as one.
var sizeUnits = []struct {
	name  string
	bytes int64
}{
	{"GiB", 1 << 30}, {"GB", 1e9}, {"MiB", 1 << 20}, {"MB", 1e6}, {"KiB", 1 << 10}, {"KB", 1e3},
}

// FormatDuration writes a duration as Go does, without the zero units
// it ends with: "10m", "1h", "1h30m", "30s", "200ms".
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

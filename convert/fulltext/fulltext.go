package fulltext

import (
	"context"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// DefaultMaxSize is the largest page read unless the caller sets another
// (-max-page-size): far above a real article's page, which is rarely
// more than 1 MiB of HTML.
const DefaultMaxSize = 5 << 20

// Extractor fetches items' pages and extracts their articles. It is safe
// for concurrent use.
type Extractor struct {
	fetch fetch.Fetcher
	hosts *fetch.Hosts
}

// New returns an Extractor that fetches pages as f fetches feeds, up to
// maxSize bytes each (0: DefaultMaxSize), as many at a time as hosts
// allows.
func New(f fetch.Fetcher, hosts *fetch.Hosts, maxSize int64) *Extractor {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	f.Kind, f.MaxSize = fetch.Page, maxSize
	return &Extractor{fetch: f, hosts: hosts}
}

// Article is the main article of an item's page.
type Article struct {
	URL  string // the page's URL after redirects
	HTML string // the article, its URLs absolute
}

// Errors of a page that gives no article.
var (
	// errNoArticle is a page in which the extractor found no article.
	errNoArticle = errors.New("no article found in the page")
	// errNotWeb is a link that is not an http or https URL: nothing is
	// asked for.
	errNotWeb = errors.New("the link is not an http or https URL")
)

// notHTMLError is a page whose bytes or declared type are not HTML.
type notHTMLError struct {
	Type string // what it is instead
}

func (e *notHTMLError) Error() string {
	return fmt.Sprintf("not an HTML page (%s)", e.Type)
}

// Extract fetches the page of link and extracts its article.
func (x *Extractor) Extract(ctx context.Context, link string) (Article, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Article{}, errNotWeb
	}
	release, err := x.hosts.Take(ctx, u.Host)
	if err != nil {
		return Article{}, err
	}
	f, err := x.fetch.Read(ctx, fetch.Source{URL: u}, fetch.Validators{})
	release()
	if err != nil {
		return Article{}, err
	}
	a := Article{URL: f.URL}
	a.HTML, err = fromPage(f.Body, f.ContentType, f.URL)
	return a, err
}

// htmlTypes are the media types of an HTML page.
var htmlTypes = map[string]bool{"text/html": true, "application/xhtml+xml": true}

// checkHTML fails for a page that is not HTML: its declared type, when
// it has one, is another; or its bytes read as something else (an image,
// a PDF, a feed).
func checkHTML(page []byte, contentType string) error {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return &notHTMLError{Type: "an unreadable type " + fmt.Sprintf("%q", contentType)}
		}
		if !htmlTypes[mt] {
			return &notHTMLError{Type: mt}
		}
	}
	sniffed := http.DetectContentType(page)
	mt, _, _ := mime.ParseMediaType(sniffed)
	switch {
	case mt == "text/html":
		return nil
	case mt == "text/plain" || mt == "text/xml":
		// A page may open with a comment, a BOM or an XML prolog, or
		// with an element the sniffer does not list: HTML if it has a
		// tag of HTML's early in it.
		head := strings.ToLower(string(page[:min(len(page), 4096)]))
		for _, tag := range []string{"<html", "<head", "<body", "<article", "<main", "<p>", "<div"} {
			if strings.Contains(head, tag) {
				return nil
			}
		}
	}
	return &notHTMLError{Type: "its bytes read as " + mt}
}

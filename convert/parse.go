package convert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mmcdole/gofeed"
)

// feedRoots are the root elements of the XML feed formats gofeed reads.
var feedRoots = map[string]bool{"rss": true, "rdf": true, "feed": true, "channel": true}

// parseFeed parses a decoded document with gofeed's universal parser. The
// parser's own scan of each item's HTML for a first image is off: it costs
// a full HTML parse per item, and the image step does its own.
func parseFeed(d *decoded) (*gofeed.Feed, error) {
	if err := rootError(d); err != nil {
		return nil, err
	}
	if d.kind == kindJSON && !d.normalized {
		data, notes, err := normalizeJSONFeed(d.data)
		if err != nil {
			return nil, err
		}
		d.data, d.notes, d.normalized = data, notes, true
	}
	feed, err := gofeedParse(bytes.NewReader(d.data))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, &NotFeedError{What: "no RSS, Atom or JSON Feed found"}
		}
		return nil, fmt.Errorf("parsing the feed: %w", err)
	}
	return feed, nil
}

// rootError says why a decoded document is no feed, from its kind and
// root element; nil when it may be one.
func rootError(d *decoded) error {
	switch {
	case d.kind == kindHTML:
		return &NotFeedError{What: "an HTML page"}
	case d.kind == kindXML && !feedRoots[d.root] && d.junk:
		return &NotFeedError{What: "neither XML nor JSON"}
	case d.kind == kindXML && !feedRoots[d.root]:
		return &NotFeedError{What: fmt.Sprintf("an XML document with root element <%s>", d.root)}
	}
	return nil
}

// gofeedParse parses a document with gofeed's universal parser, its scan
// of each item's HTML for a first image off (see parseFeed). A panic in
// the parser (a shape of input it does not expect) is an error of this
// feed, not the end of the run and of the other feeds.
func gofeedParse(r io.Reader) (feed *gofeed.Feed, err error) {
	defer func() {
		if v := recover(); v != nil {
			feed, err = nil, fmt.Errorf("the feed parser failed on this document: %v", v)
		}
	}()
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p.Parse(r)
}

// parse decodes and parses fetched bytes: the feed's own data, and its
// items in order (parsed ahead in parallel for a large feed), and in
// l.res.Notes what a lenient reading changed. It sets
// l.hash, the sum of the bytes for the next run; when compare is set and
// the sum is the last run's, it parses nothing and sets l.fast. fileSum
// is the sum of a file already taken, if any.
//
// A document of at most memMax bytes is in f.body, and decoded and
// parsed in memory. A larger one, or a compressed one, is streamed (see
// stream.go): f.rest is consumed, and the items' stop releases the file
// the runs are read from.
func (c *Converter) parse(ctx context.Context, f *fetched, l *loaded, compare bool, fileSum string) (*gofeed.Feed, *items, error) {
	body := f.body
	if f.rest == nil && len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		// Compressed: in memory when it decompresses to at most memMax
		// bytes, else streamed like a large document.
		if plain, err := gunzip(body, int64(memMax)); err == nil {
			body = plain
		} else if !errors.As(err, new(*TooLargeError)) {
			return nil, nil, err
		}
	}
	gzipped := len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b
	if f.rest == nil && !gzipped {
		if compare || fileSum != "" {
			h := fileSum
			if h == "" {
				h = hashBytes(f.body)
			}
			l.hash = func() string { return h }
		} else {
			// Nothing to compare with: hash beside the parse, for the next run.
			l.hash = hashAsync(f.body)
		}
		if compare && l.prev.Hash == l.hash() {
			l.fast = true
			return nil, nil, nil
		}
		d, err := decode(body, f.contentType, f.limit)
		if err != nil {
			return nil, nil, err
		}
		return c.parseDecoded(l, d)
	}
	if f.rest == nil {
		f.rest = io.NopCloser(bytes.NewReader(nil))
	}
	// A local file is summed from its path, beside the first pass; any
	// other stream as it is read.
	sum := f.file == nil && fileSum == "" // a sum load already took is not taken again
	switch {
	case fileSum != "":
		l.hash = func() string { return fileSum }
	case f.file != nil:
		l.hash = hashFileAsync(f.file)
	}
	big, d, err := scanBig(ctx, f, sum, c.opts.Workers)
	f.body = nil // the document's first bytes, read again by scanBig
	if big != nil && big.file != nil && big.file == f.file {
		f.rest = nil // the bigDoc reads the file on, and closes it
	}
	f.close()
	if err != nil {
		return nil, nil, err
	}
	if sum {
		h := big.sum
		l.hash = func() string { return h }
	}
	if compare && l.prev.Hash == l.hash() {
		big.close()
		l.fast = true
		return nil, nil, nil
	}
	if d != nil {
		if d.kind == kindHTML {
			f.body = d.data // for autodiscovery
		}
		return c.parseDecoded(l, d)
	}
	feed, list, err := parseBig(big, c.opts.Workers)
	if err != nil {
		big.close()
		return nil, nil, err
	}
	stop := list.stop
	list.stop = func() { stop(); big.close() }
	return feed, list, nil
}

// parseDecoded parses a document decoded in memory (see parseStream) and
// adds to l.res.Notes what a lenient reading changed.
func (c *Converter) parseDecoded(l *loaded, d *decoded) (*gofeed.Feed, *items, error) {
	feed, list, err := parseStream(d, c.opts.Workers)
	l.res.Notes = append(l.res.Notes, d.notes...)
	return feed, list, err
}

package feed

import (
	"bytes"
	"context"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"io"

	"github.com/mmcdole/gofeed"
)

// feedRoots are the root elements of the XML feed formats gofeed reads.
var feedRoots = map[string]bool{"rss": true, "rdf": true, "feed": true, "channel": true}

// ParseFeed parses a decoded document with gofeed's universal parser. The
// parser's own scan of each item's HTML for a first image is off: it costs
// a full HTML parse per item, and the image step does its own.
func ParseFeed(d *Decoded) (*gofeed.Feed, error) {
	if err := rootError(d); err != nil {
		return nil, err
	}
	if d.Kind == kindJSON && !d.normalized {
		data, notes, err := normalizeJSONFeed(d.Data)
		if err != nil {
			return nil, err
		}
		d.Data, d.notes, d.normalized = data, notes, true
	}
	if d.Kind == KindXML && d.Root != "feed" {
		if feed, ok := parseStashed(d); ok {
			return feed, nil
		}
	}
	feed, err := gofeedParse(bytes.NewReader(d.Data))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, &fetch.NotFeedError{What: "no RSS, Atom or JSON Feed found"}
		}
		return nil, fmt.Errorf("parsing the feed: %w", err)
	}
	return feed, nil
}

// rootError says why a decoded document is no feed, from its kind and
// root element; nil when it may be one.
func rootError(d *Decoded) error {
	switch {
	case d.Kind == kindHTML:
		return &fetch.NotFeedError{What: "an HTML page"}
	case d.Kind == KindXML && !feedRoots[d.Root] && d.junk:
		return &fetch.NotFeedError{What: "neither XML nor JSON"}
	case d.Kind == KindXML && !feedRoots[d.Root]:
		return &fetch.NotFeedError{What: fmt.Sprintf("an XML document with root element <%s>", d.Root)}
	}
	return nil
}

// gofeedParse parses a document with gofeed's universal parser, its scan
// of each item's HTML for a first image off (see ParseFeed). A panic in
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

// Parsed is a document decoded and parsed.
type Parsed struct {
	Feed  *gofeed.Feed // the feed's own data
	Items *Items       // its items, in feed order
	Notes []string     // what a lenient reading changed
	// Hash waits for and returns the SHA-256 of the document's bytes, for
	// the next run ("" when they could not be read again).
	Hash func() string
	// Same is set when compare was asked for and Hash is prevHash:
	// nothing was parsed, and Feed and Items are nil.
	Same bool
}

// Parse decodes and parses fetched bytes: the feed's own data, and its
// Items in order (parsed ahead in parallel, by workers goroutines, for a
// large feed). When compare is set and the sum of the bytes is prevHash,
// it parses nothing and sets Same. fileSum is the sum of a file already
// taken, if any. A Parsed is returned with its Hash and Notes even when
// the parse fails.
//
// A document of at most fetch.MemMax bytes is in f.Body, and decoded and
// parsed in memory. A larger one, or a compressed one, is streamed (see
// stream.go): f.Rest is consumed, and the items' stop releases the file
// the runs are read from.
func Parse(ctx context.Context, f *fetch.Fetched, prevHash string, compare bool, fileSum string, workers int) (*Parsed, error) {
	p := &Parsed{}
	body := f.Body
	if f.Rest == nil && len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		// Compressed: in memory when it decompresses to at most fetch.MemMax
		// bytes, else streamed like a large document.
		if plain, err := gunzip(body, int64(fetch.MemMax)); err == nil {
			body = plain
		} else if !errors.As(err, new(*fetch.TooLargeError)) {
			return p, err
		}
	}
	gzipped := len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b
	if f.Rest == nil && !gzipped {
		if compare || fileSum != "" {
			h := fileSum
			if h == "" {
				h = HashBytes(f.Body)
			}
			p.Hash = func() string { return h }
		} else {
			// Nothing to compare with: hash beside the parse, for the next run.
			p.Hash = hashAsync(f.Body)
		}
		if compare && prevHash == p.Hash() {
			p.Same = true
			return p, nil
		}
		d, err := Decode(body, f.ContentType, f.Limit)
		if err != nil {
			return p, err
		}
		return p, p.decoded(d, workers)
	}
	if f.Rest == nil {
		f.Rest = io.NopCloser(bytes.NewReader(nil))
	}
	// A local file is summed from its path, beside the first pass; any
	// other stream as it is read.
	sum := f.File == nil && fileSum == "" // a sum load already took is not taken again
	switch {
	case fileSum != "":
		p.Hash = func() string { return fileSum }
	case f.File != nil:
		p.Hash = hashFileAsync(f.File)
	}
	big, d, err := scanBig(ctx, f, sum, workers)
	f.Body = nil // the document's first bytes, read again by scanBig
	if big != nil && big.file != nil && big.file == f.File {
		f.Rest = nil // the bigDoc reads the file on, and closes it
	}
	f.Close()
	if err != nil {
		return p, err
	}
	if sum {
		h := big.sum
		p.Hash = func() string { return h }
	}
	if compare && prevHash == p.Hash() {
		big.close()
		p.Same = true
		return p, nil
	}
	if d != nil {
		if d.Kind == kindHTML {
			f.Body = d.Data // for autodiscovery
		}
		return p, p.decoded(d, workers)
	}
	feed, list, err := parseBig(big, workers)
	if err != nil {
		big.close()
		return p, err
	}
	stop := list.Stop
	list.Stop = func() { stop(); big.close() }
	p.Feed, p.Items = feed, list
	return p, nil
}

// decoded parses a document decoded in memory (see parseStream) and adds
// to p.Notes what a lenient reading changed.
func (p *Parsed) decoded(d *Decoded, workers int) error {
	feed, list, err := parseStream(d, workers)
	p.Notes = append(p.Notes, d.notes...)
	p.Feed, p.Items = feed, list
	return err
}

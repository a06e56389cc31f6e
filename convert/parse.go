package convert

import (
	"bytes"
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

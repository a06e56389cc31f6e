package feed

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
)

// Most of a large RSS feed's bytes are its items' HTML bodies, in CDATA
// sections of <content:encoded> and <description>. encoding/xml reads
// them a byte at a time, and gofeed then takes them verbatim: a CDATA
// section's text is its bytes. So before a run of items is parsed, each
// large body section is stashed and a short marker put in its place, and
// after the parse the markers in the items' Content and Description are
// swapped back for the bytes. The parse does the same work on a twentieth
// of the bytes.
//
// The swap is exact or it is not made: every marker must come back in
// exactly one Content or Description, whole, or the run counts as not cut
// cleanly and the document is parsed whole (see parseStream). The data is
// already valid UTF-8 with no character XML forbids (decode), so gofeed's
// control character filter and encoding/xml's checks have nothing to change
// or refuse in the bytes stashed.

// stashMin is the smallest CDATA text worth stashing.
const stashMin = 256

// stashed is the bodies taken out of one run of items.
type stashed struct {
	prefix string   // the markers' common start, drawn at random for each parse
	texts  []string // by marker number
}

// stashBodies returns body with the text of every large CDATA section that
// is the whole content of a <description> or <content:encoded> element
// (with no attributes) replaced by a marker, and the texts taken out. It
// skips comments, other CDATA sections and processing instructions; if it
// cannot read the markup, or finds a directive (<!…>), it returns body
// unchanged.
func stashBodies(body []byte, prefix string) ([]byte, *stashed) {
	return stashBodiesFrom(body, "", prefix)
}

// stashBodiesFrom is stashBodies where src, when not empty, holds the same
// bytes as body as a string: the texts taken out are then substrings of
// it, not copies. The caller must never change body afterwards.
func stashBodiesFrom(body []byte, src, prefix string) ([]byte, *stashed) {
	s := &stashed{prefix: prefix}
	var out []byte
	last := 0 // body[last:] is not yet copied to out
	for i := 0; ; {
		var ok bool
		if i, ok = nextTag(body, i); !ok {
			return body, &stashed{prefix: prefix}
		}
		if i < 0 {
			break
		}
		rest := body[i:]
		if len(rest) > 1 && rest[1] == '!' {
			// A directive, which encoding/xml reads to its matching '>'
			// counting the '<' and '>' inside, CDATA text included: a
			// stash could change where it ends.
			return body, &stashed{prefix: prefix}
		}
		name, text, end := bodyElement(rest)
		if name == "" || len(text) < stashMin {
			i++
			continue
		}
		// rest[:end] is <name>ws<![CDATA[text]]>ws</name>.
		if out == nil {
			out = make([]byte, 0, len(body)/8)
		}
		textStart := i + bytes.Index(rest, cdataOpen) + len(cdataOpen)
		out = append(out, body[last:textStart]...)
		out = append(out, prefix...)
		out = strconv.AppendInt(out, int64(len(s.texts)), 10)
		if src != "" {
			s.texts = append(s.texts, src[textStart:textStart+len(text)])
		} else {
			s.texts = append(s.texts, string(text))
		}
		last = textStart + len(text)
		i += end
	}
	if out == nil {
		return body, s
	}
	return append(out, body[last:]...), s
}

var (
	cdataOpen  = []byte("<![CDATA[")
	cdataClose = []byte("]]>")
)

// bodyElement reads an element at the start of b of the form
// <description> or <content:encoded>, then optional white space, one CDATA
// section, optional white space and the matching end tag. It returns the
// element's name, the CDATA section's text and the element's length, or
// an empty name if b does not start with such an element.
func bodyElement(b []byte) (name string, text []byte, end int) {
	var tag string
	switch {
	case bytes.HasPrefix(b, []byte("<description")):
		tag = "description"
	case bytes.HasPrefix(b, []byte("<content:encoded")):
		tag = "content:encoded"
	default:
		return "", nil, 0
	}
	i := skipSpace(b, 1+len(tag))
	if i >= len(b) || b[i] != '>' { // attributes, or a longer name
		return "", nil, 0
	}
	i = skipSpace(b, i+1)
	if !bytes.HasPrefix(b[i:], cdataOpen) {
		return "", nil, 0
	}
	i += len(cdataOpen)
	k := bytes.Index(b[i:], cdataClose)
	if k < 0 {
		return "", nil, 0
	}
	text = b[i : i+k]
	i = skipSpace(b, i+k+len(cdataClose))
	closeTag := "</" + tag
	if !bytes.HasPrefix(b[i:], []byte(closeTag)) {
		return "", nil, 0
	}
	i = skipSpace(b, i+len(closeTag))
	if i >= len(b) || b[i] != '>' {
		return "", nil, 0
	}
	return tag, text, i + 1
}

// restore puts the stashed texts back into items (and into fields, such
// as the channel's description of a document parsed whole), and reports
// whether every one went back exactly once.
func (s *stashed) restore(items []*gofeed.Item, fields ...*string) bool {
	if len(s.texts) == 0 {
		return true
	}
	seen := make([]bool, len(s.texts))
	ok := true
	put := func(field *string) {
		k, found := s.marker(*field)
		if !found {
			return
		}
		if k < 0 || seen[k] {
			ok = false
			return
		}
		seen[k] = true
		*field = s.texts[k]
	}
	for _, it := range items {
		put(&it.Content)
		put(&it.Description)
	}
	for _, f := range fields {
		put(f)
	}
	for _, done := range seen {
		ok = ok && done
	}
	return ok
}

// marker reports whether v holds one of the run's markers, and which
// (-1 for a damaged one, which restore treats as a failure).
func (s *stashed) marker(v string) (int, bool) {
	if !strings.Contains(v, s.prefix) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, s.prefix))
	if err != nil || !strings.HasPrefix(v, s.prefix) || n < 0 || n >= len(s.texts) {
		return -1, true
	}
	return n, true
}

// stashPrefix draws the start of one parse's markers.
func stashPrefix() string {
	return fmt.Sprintf("feed2md-stash-%016x-", rand.Uint64())
}

// parseStashed parses a whole RSS document as a run of a streamed one is
// parsed, with its large bodies stashed: a small feed is parsed whole, and
// encoding/xml reading its bodies a byte at a time was two fifths of a
// 50-item feed's run. It reports false, having parsed nothing or parsed in
// vain, when the document has no body to stash, does not parse, or a
// marker does not come back exactly once (a body in a place other than an
// item's content or description, or the channel's description); the caller
// then parses the document as it is, which gives the error, if any, in the
// parser's own words.
func parseStashed(d *Decoded) (*gofeed.Feed, bool) {
	body, bodies := stashBodies(d.Data, stashPrefix())
	if len(bodies.texts) == 0 {
		return nil, false
	}
	feed, err := gofeedParse(bytes.NewReader(body))
	if err != nil || !bodies.restore(feed.Items, &feed.Description) {
		return nil, false
	}
	return feed, true
}

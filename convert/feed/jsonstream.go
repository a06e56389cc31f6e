package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"strings"
	"sync"

	"github.com/mmcdole/gofeed"
)

// A JSON Feed larger than fetch.MemMax is streamed as an XML feed is (stream.go):
// the first pass finds the byte spans of the elements of its top-level
// "items" array (jsonScanner), and the items are then parsed in runs read
// back from the file, each run as a small JSON Feed of its own. The first
// run is given the whole document around it (what comes before and after
// the array), so that the feed's own fields are read from it; later runs
// are just {"items":[…]}, which is all gofeed reads items from.

// jsonScanner finds the items of a JSON document given to it a piece at a
// time. It reads structure only: strings are skipped whole, and a value is
// not decoded, except for a top-level key with an escape and an element
// of items that is not an object or an array. It checks what lies between
// the elements of items, which a run leaves out; what lies inside an
// element is checked when its run is parsed.
type jsonScanner struct {
	depth     int
	inStr     bool
	esc       bool
	inKey     bool     // the string is a key of the top-level object
	key       []byte   // the key so far, as written (up to keyMax bytes)
	keyLong   bool     // the key is longer than keyMax bytes
	keyEsc    bool     // the key has an escape
	expectKey bool     // at depth 1: the next string is a key
	itemsNext bool     // the next value at depth 1 is the items'
	itemsKey  bool     // an "items" key was seen
	itemsKind byte     // the first byte of its value
	keys      []string // the first top-level keys, for a message
	inItems   bool     // inside the items array: its elements are at depth 2
	elem      int64    // where the current element of items starts; -1 when none
	elemKind  byte     // its first byte
	scalar    []byte   // an element that is a number, true, false or null, as written
	afterElem bool     // an element of items ended: a comma or the end of the array follows
	afterSep  bool     // a comma in items: an element follows
	count     int      // elements of items seen
	spans     [][2]int64
	numbers   []int32 // the element number (1-based) of each span
	dropped   []droppedItem
	open      int64 // where the items array's [ is; -1 before it
	close     int64 // where its ] is
	end       int64 // just after the top-level object; -1 while it is open
	// why, when set, says why the items cannot be streamed; the document
	// is then parsed whole, when it is small enough.
	why string
}

// keyMax is the longest top-level key, as written, that can mean
// "items": five characters, each at most a six-byte escape.
const keyMax = 30

// droppedItem is an element of items that is not an object: dropped, with
// a note, as the whole parse does.
type droppedItem struct {
	number int
	kind   byte // its first byte
}

func newJSONScanner() *jsonScanner {
	return &jsonScanner{elem: -1, open: -1, end: -1}
}

// broke records the first reason the items cannot be streamed.
func (s *jsonScanner) broke(why string) {
	if s.why == "" {
		s.why = why
	}
}

// scan reads buf, which starts at offset base of the document, and
// returns how many of its bytes it is done with: all of them.
//
// It is long because it is a byte-level state machine, one switch whose
// cases are the states.
func (s *jsonScanner) scan(buf []byte, base int64, atEOF bool) int {
	if s.end >= 0 {
		return len(buf) // what follows the document is the tail's
	}
	for i := 0; i < len(buf); i++ {
		if s.inStr {
			if s.esc {
				s.esc = false
				s.keyBytes(buf[i : i+1])
				continue
			}
			j := bytes.IndexAny(buf[i:], `"\`)
			if j < 0 {
				s.keyBytes(buf[i:])
				break
			}
			s.keyBytes(buf[i : i+j])
			i += j
			if buf[i] == '\\' {
				s.esc = true
				if s.inKey {
					s.keyEsc = true
					s.keyBytes(buf[i : i+1])
				}
				continue
			}
			s.inStr = false
			if s.inKey {
				s.inKey = false
			} else if s.inItems && s.depth == 2 && s.elem >= 0 {
				s.endElem(base + int64(i) + 1)
			}
			continue
		}
		off := base + int64(i)
		c := buf[i]
		if s.inItems && s.depth == 2 && s.elem >= 0 && s.scalar != nil {
			// Inside a number, true, false or null.
			if c != ',' && c != ']' && c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				if len(s.scalar) < 64 {
					s.scalar = append(s.scalar, c)
				} else {
					s.broke("an element of items that is a very long number")
				}
				continue
			}
			s.endElem(off)
		}
		switch c {
		case ' ', '\t', '\r', '\n':
		case '"':
			s.inStr = true
			switch {
			case s.depth == 1 && s.expectKey:
				s.inKey, s.expectKey, s.keyLong, s.keyEsc = true, false, false, false
				s.key = s.key[:0]
			case s.depth == 1 && s.itemsNext:
				s.itemsNext, s.itemsKind = false, c // items is not an array
			case s.inItems && s.depth == 2:
				s.startElem(off, c)
			}
		case '{', '[':
			switch {
			case s.depth == 1 && s.itemsNext:
				s.itemsNext, s.itemsKind = false, c
				if c == '[' {
					s.inItems, s.open = true, off
				}
			case s.inItems && s.depth == 2:
				s.startElem(off, c)
			}
			s.depth++
			if s.depth == 1 {
				s.expectKey = true
			}
		case '}', ']':
			if s.inItems && s.depth == 2 && (s.afterSep || c != ']') {
				s.broke("invalid JSON between the elements of items")
			}
			s.depth--
			switch {
			case s.depth < 0:
				s.broke("invalid JSON")
				s.end = off
				return len(buf)
			case s.inItems && s.depth == 2 && s.elem >= 0:
				s.endElem(off + 1)
			case s.inItems && s.depth == 1:
				s.inItems, s.close = false, off
			case s.depth == 0:
				s.end = off + 1
				return len(buf)
			}
		case ',':
			switch {
			case s.inItems && s.depth == 2:
				if !s.afterElem {
					s.broke("invalid JSON between the elements of items")
				}
				s.afterElem, s.afterSep = false, true
			case s.depth == 1:
				s.expectKey = true
			}
		case ':':
			switch {
			case s.depth == 1:
				s.itemsNext = s.isItemsKey()
			case s.inItems && s.depth == 2:
				s.broke("invalid JSON between the elements of items")
			}
		default:
			switch {
			case s.depth == 0:
				s.broke("not a JSON object")
				s.end = off
				return len(buf)
			case s.depth == 1 && s.itemsNext:
				s.itemsNext, s.itemsKind = false, c // items is not an array
			case s.inItems && s.depth == 2:
				s.startElem(off, c)
				s.scalar = append(s.scalar[:0:0], c)
			}
		}
	}
	if atEOF && (s.end < 0 || s.inItems) {
		s.broke("the document ends before its top-level object closes")
	}
	return len(buf)
}

// keyBytes keeps the bytes of a top-level key, up to keyMax.
func (s *jsonScanner) keyBytes(b []byte) {
	if !s.inKey || s.keyLong {
		return
	}
	if len(s.key)+len(b) > keyMax {
		s.keyLong = true
		return
	}
	s.key = append(s.key, b...)
}

// isItemsKey reports whether the key just read is "items", with its
// escapes decoded. One that encoding/json would also take for it in
// another letter case ("Items"), or a second one, makes the document one
// to parse whole.
func (s *jsonScanner) isItemsKey() bool {
	if s.keyLong {
		return false
	}
	key := string(s.key)
	if s.keyEsc {
		if err := json.Unmarshal([]byte(`"`+key+`"`), &key); err != nil {
			s.broke("invalid JSON")
			return false
		}
	}
	switch {
	case key == "items" && s.itemsKey:
		s.broke(`two "items" keys`)
	case key == "items":
		s.itemsKey = true
		return true
	case strings.EqualFold(key, "items"):
		s.broke(`an "items" key spelled in another letter case`)
	case len(s.keys) < 64:
		s.keys = append(s.keys, key)
	}
	return false
}

func (s *jsonScanner) startElem(off int64, c byte) {
	if s.elem >= 0 || s.afterElem {
		s.broke("invalid JSON between the elements of items")
	}
	s.elem, s.elemKind, s.afterSep = off, c, false
	s.count++
}

func (s *jsonScanner) endElem(end int64) {
	switch {
	case s.elemKind == '{':
		s.spans = append(s.spans, [2]int64{s.elem, end})
		s.numbers = append(s.numbers, int32(s.count))
	case s.scalar != nil && !json.Valid(s.scalar):
		s.broke("invalid JSON in items")
	default:
		s.dropped = append(s.dropped, droppedItem{s.count, s.elemKind})
	}
	s.elem, s.scalar, s.afterElem = -1, nil, true
}

// ok reports whether the items can be streamed: the first pass found the
// items array and nothing that needs a whole parse.
func (s *jsonScanner) ok() bool {
	return s.why == "" && s.open >= 0 && s.end >= 0
}

// note says why a dropped element was dropped, in the whole parse's words.
func (d droppedItem) note() string {
	return fmt.Sprintf("item %d is %s, not an object: dropped", d.number, kindOf(d.kind))
}

// kindOf names the JSON type of a value from its first byte, with its
// article, as aKind does for a decoded one.
func kindOf(first byte) string {
	switch first {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "a null"
	}
	return "a number"
}

// NoteList gathers the notes of a streamed feed's runs, in feed order, as
// the items are taken.
type NoteList struct {
	mu   sync.Mutex
	list []string
}

func (n *NoteList) add(notes ...string) {
	if n == nil || len(notes) == 0 {
		return
	}
	n.mu.Lock()
	n.list = append(n.list, notes...)
	n.mu.Unlock()
}

// Take returns the notes gathered so far and forgets them.
func (n *NoteList) Take() []string {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	list := n.list
	n.list = nil
	return list
}

// jsonRuns is what parseRuns needs to parse the runs of a JSON feed.
type jsonRuns struct {
	numbers []int32 // the element number of each span
	dropped []droppedItem
}

// parse parses the run of spans [lo, hi), whose bytes joined by commas
// are body; the first run (lo 0) is given the head and tail around it. It
// returns the run's notes, in the whole parse's order: those of its items,
// and of the elements dropped between the previous run's last item and
// its own last one (and after it, for the last run).
func (j *jsonRuns) parse(head, body, tail []byte, lo, hi int, last bool) (*gofeed.Feed, []string, error) {
	var doc []byte
	if lo == 0 {
		doc = make([]byte, 0, len(head)+len(body)+len(tail))
		doc = append(append(append(doc, head...), body...), tail...)
	} else {
		doc = make([]byte, 0, len(body)+12)
		doc = append(append(append(doc, `{"items":[`...), body...), "]}"...)
	}
	from, to := 0, int(j.numbers[hi-1])
	if lo > 0 {
		from = int(j.numbers[lo-1])
	}
	var dropped []droppedItem
	for _, d := range j.dropped {
		if d.number > from && (d.number < to || last) {
			dropped = append(dropped, d)
		}
	}
	data, notes, err := normalizeJSONItems(doc, j.numbers[lo:hi], dropped)
	if err != nil {
		return nil, nil, err
	}
	feed, err := ParseFeed(&Decoded{Data: data, Kind: kindJSON, normalized: true})
	if err != nil {
		return nil, nil, err
	}
	return feed, notes, nil
}

// joinSpans returns the spans [lo, hi) of run, which holds the bytes from
// the first span's start to the last one's end, joined by commas: what
// lies between two items (an element dropped) is left out.
func joinSpans(run []byte, spans [][2]int64) []byte {
	base := spans[0][0]
	out := make([]byte, 0, len(run))
	for k, sp := range spans {
		if k > 0 {
			out = append(out, ',')
		}
		out = append(out, run[sp[0]-base:sp[1]-base]...)
	}
	return out
}

// jsonStart returns where a JSON object starts in the first bytes of a
// document (after a byte order mark and white space), or -1.
func jsonStart(buf []byte) int {
	at := 0
	if bytes.HasPrefix(buf, []byte("\xef\xbb\xbf")) {
		at = 3
	}
	at = skipSpace(buf, at)
	if at < len(buf) && buf[at] == '{' {
		return at
	}
	return -1
}

// parseBigJSON parses a large JSON Feed: in runs when its items were
// found, whole when they were not and it is small enough. The notes of a
// lenient reading are in the items' notes, as the runs are taken.
//
// It is long because it is the second pass of a large JSON Feed in order:
// the head, the runs of items, the notes, the tail.
func parseBigJSON(b *bigDoc, workers int) (*gofeed.Feed, *Items, error) {
	read := func(lo, hi int64) ([]byte, error) {
		return b.readBack(lo, hi, func(buf []byte) []byte { return validUTF8(buf, false) })
	}
	notes := &NoteList{}
	whole := func() (*gofeed.Feed, error) {
		data, err := b.wholeBack(read)
		if err != nil {
			return nil, err
		}
		d := &Decoded{Data: data, Kind: kindJSON}
		feed, err := ParseFeed(d)
		notes.add(d.notes...)
		return feed, err
	}
	wholeItems := func() (*gofeed.Feed, *Items, error) {
		feed, err := whole()
		if err != nil {
			return nil, nil, err
		}
		list := SliceItems(feed.Items)
		feed.Items, list.Notes = nil, notes
		return feed, list, nil
	}
	js := b.json
	switch {
	case b.size-b.rootOff <= int64(fetch.MemMax):
		// Small once decoded (UTF-16): parsed whole.
		return wholeItems()
	case js.ok():
		// Streamed below.
	case js.why != "":
		// Parsed whole when small enough: the parser says what is wrong,
		// or reads what the first pass could not be sure of.
		feed, list, err := wholeItems()
		if errors.Is(err, errWholeTooLarge) {
			err = fmt.Errorf("a JSON Feed that cannot be streamed (%s), %w", js.why, err)
		}
		return feed, list, err
	case !js.itemsKey:
		keys := map[string]any{}
		for _, k := range js.keys {
			keys[k] = nil
		}
		return nil, nil, &fetch.NotFeedError{What: "a JSON object without items" + keysSaid(keys)}
	default:
		return nil, nil, &fetch.NotFeedError{What: "a JSON object whose \"items\" is " + kindOf(js.itemsKind) + ", not an array"}
	}
	rd := &runDoc{spans: js.spans, owned: true, read: read, whole: whole, notes: notes,
		json: &jsonRuns{numbers: js.numbers, dropped: js.dropped}}
	var err error
	if rd.head, err = read(b.rootOff, js.open+1); err != nil {
		return nil, nil, err
	}
	if rd.tail, err = read(js.close, b.size); err != nil {
		return nil, nil, err
	}
	if len(rd.head)+len(rd.tail) > partMax {
		// The feed's own fields are too large to go with a run.
		return wholeItems()
	}
	if len(js.spans) == 0 {
		// No item: the feed is what surrounds its empty array.
		doc := append(append([]byte{}, rd.head...), rd.tail...)
		data, notes2, err := normalizeJSONItems(doc, nil, js.dropped)
		if err != nil {
			return nil, nil, err
		}
		feed, err := ParseFeed(&Decoded{Data: data, Kind: kindJSON, normalized: true})
		if err != nil {
			return nil, nil, err
		}
		notes.add(notes2...)
		list := SliceItems(nil)
		feed.Items, list.Notes = nil, notes
		return feed, list, nil
	}
	feed, list, err := parseRuns(rd, max(workers, 2), nil)
	if errors.Is(err, errCut) {
		if feed, list, werr := wholeItems(); werr == nil || !errors.Is(werr, errWholeTooLarge) {
			return feed, list, werr
		}
		return nil, nil, fmt.Errorf("%w, and at %d bytes it is %w", err, b.size, errWholeTooLarge)
	}
	return feed, list, err
}

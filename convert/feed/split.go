package feed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/mmcdole/gofeed"
)

// Large XML feeds are parsed in parallel and as a stream: the document is
// cut between its items, and each run of items is parsed with the
// document's head (root element, namespaces, channel) and tail around it,
// on its own core, a few runs ahead of the writer. Items are written while
// later ones are still being parsed, and released once written, so a large
// feed is never held whole as items.
const (
	splitMinSize = 1 << 20 // smaller feeds are parsed whole
	chunkSize    = 1 << 20 // about this many bytes of items a run
)

// Items is the items of a feed in order: a slice, or a stream of runs
// parsed ahead.
type Items struct {
	Total int
	Get   func(i int) (*gofeed.Item, error) // called once per i, in order, from one goroutine
	Stop  func()                            // releases what is left; safe to call twice
	// Again, when set, streams the same items once more, only those whose
	// place in the feed is true in keep: the second pass of a filter that
	// needed every item's date first (see convert.Converter.filter).
	Again func(keep []bool) (*Items, error)
	// Notes are what a lenient reading of a streamed JSON Feed changed,
	// gathered as its runs are taken; nil for other feeds.
	Notes *NoteList
}

// SliceItems serves a parsed slice, releasing each item once taken.
func SliceItems(list []*gofeed.Item) *Items {
	return &Items{
		Total: len(list),
		Get: func(i int) (*gofeed.Item, error) {
			it := list[i]
			list[i] = nil
			return it, nil
		},
		Stop: func() {},
	}
}

// runDoc is an XML feed cut between its items: its head (from the root
// element to the first item), the byte spans of its items, and its tail
// (after the last one). It is held in memory (parseStream) or read from a
// file a run at a time (stream.go).
type runDoc struct {
	head, tail []byte
	spans      [][2]int64
	stash      bool                               // stash large CDATA bodies (RSS; see stash.go)
	owned      bool                               // read returns a new buffer each time, which the run may keep
	read       func(lo, hi int64) ([]byte, error) // the clean bytes of [lo, hi); safe from several goroutines
	whole      func() (*gofeed.Feed, error)       // the document parsed whole, when a run does not cut cleanly
	json       *jsonRuns                          // set for a JSON Feed, whose runs are parsed by json.parse
	notes      *NoteList                          // where a JSON Feed's runs leave their notes
}

// parseStream parses d. A large RSS or Atom document whose items can be
// found safely is parsed as a stream of runs on workers cores; the feed it
// returns then holds the channel's data and no items. Otherwise the
// document is parsed whole, as ParseFeed does.
func parseStream(d *Decoded, workers int) (*gofeed.Feed, *Items, error) {
	whole := func() (*gofeed.Feed, *Items, error) {
		feed, err := ParseFeed(d)
		if err != nil {
			return nil, nil, err
		}
		list := feed.Items
		feed.Items = nil
		return feed, SliceItems(list), nil
	}
	if d.Kind != KindXML || len(d.Data) < splitMinSize || workers < 2 || !feedRoots[d.Root] {
		return whole()
	}
	tag := itemTag(d.Root)
	spans := elementSpans(d.Data, tag)
	if len(spans) < 4*workers {
		return whole()
	}
	rd := &runDoc{
		head:  d.Data[:spans[0][0]],
		tail:  d.Data[spans[len(spans)-1][1]:],
		spans: make([][2]int64, len(spans)),
		stash: d.Root != "feed",
		read:  func(lo, hi int64) ([]byte, error) { return d.Data[lo:hi], nil },
		whole: func() (*gofeed.Feed, error) { return ParseFeed(d) },
	}
	for i, sp := range spans {
		rd.spans[i] = [2]int64{int64(sp[0]), int64(sp[1])}
	}
	feed, list, err := parseRuns(rd, workers, nil)
	if errors.Is(err, errCut) {
		return whole()
	}
	return feed, list, err
}

// itemTag is the name of the item element under the root element root.
func itemTag(root string) []byte {
	if root == "feed" {
		return []byte("entry")
	}
	return []byte("item")
}

// parseRuns parses rd's items in runs of about chunkSize bytes, each with
// the head and the tail around it, on workers cores, a few runs ahead of
// the reader of the items. When keep is not nil, only the items whose
// place is true in it are served, and runs with none of them are not
// parsed. It fails with errCut when the first run does not parse to as
// many items as it has spans.
//
// It is long because its workers, the ordered hand-out of runs and the
// fallback to a whole parse share one set of channels and counters.
func parseRuns(rd *runDoc, workers int, keep []bool) (*gofeed.Feed, *Items, error) {
	spans := rd.spans
	// Cut the spans into runs of about chunkSize bytes.
	var runs [][2]int // [first span, last span + 1]
	for lo := 0; lo < len(spans); {
		hi := lo + 1
		for hi < len(spans) && spans[hi][1]-spans[lo][0] < chunkSize {
			hi++
		}
		runs = append(runs, [2]int{lo, hi})
		lo = hi
	}
	// order lists, for each item served, its place in the feed.
	total := len(spans)
	var order []int
	if keep != nil {
		for i, k := range keep {
			if k {
				order = append(order, i)
			}
		}
		total = len(order)
	}
	wanted := func(r [2]int) bool {
		if keep == nil {
			return true
		}
		for i := r[0]; i < r[1]; i++ {
			if keep[i] {
				return true
			}
		}
		return false
	}
	prefix := stashPrefix()
	parseRun := func(r [2]int) ([]*gofeed.Item, *gofeed.Feed, []string, error) {
		body, err := rd.read(spans[r[0]][0], spans[r[1]-1][1])
		if err != nil {
			return nil, nil, nil, err
		}
		if rd.json != nil {
			feed, notes, err := rd.json.parse(rd.head, joinSpans(body, spans[r[0]:r[1]]), rd.tail, r[0], r[1], r[1] == len(spans))
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%w: %v", errCut, err)
			}
			if len(feed.Items) != r[1]-r[0] {
				return nil, nil, nil, errCut
			}
			return keepOnly(feed.Items, r[0], keep), feed, notes, nil
		}
		var bodies *stashed
		if rd.stash {
			src := ""
			if rd.owned && len(body) > 0 {
				// The run's buffer is its own and never changed again: the
				// bodies taken out share it instead of being copied.
				src = unsafe.String(&body[0], len(body))
			}
			body, bodies = stashBodiesFrom(body, src, prefix)
		}
		feed, err := gofeedParse(io.MultiReader(bytes.NewReader(rd.head), bytes.NewReader(body), bytes.NewReader(rd.tail)))
		if err != nil {
			// Said when the document is too large to be parsed whole
			// instead: the parser's own words say where it is broken.
			return nil, nil, nil, fmt.Errorf("%w: %v", errCut, err)
		}
		if len(feed.Items) != r[1]-r[0] || bodies != nil && !bodies.restore(feed.Items) {
			return nil, nil, nil, errCut
		}
		return keepOnly(feed.Items, r[0], keep), feed, nil, nil
	}
	// Notes are gathered on the first pass only: a second one (keep) reads
	// the same items again.
	noteRun := func(notes []string) {
		if keep == nil {
			rd.notes.add(notes...)
		}
	}
	// The first run is parsed now: it tells whether the cut holds, and
	// gives the channel's data.
	first, feed, notes, err := parseRun(runs[0])
	if err != nil {
		return nil, nil, err
	}
	feed.Items = nil
	noteRun(notes)

	type result struct {
		items []*gofeed.Item
		notes []string
		err   error
	}
	results := make([]chan result, len(runs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	results[0] <- result{items: first}
	ahead := make(chan struct{}, workers+1) // runs parsed but not yet taken
	quit := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(quit) }) }
	go func() {
		sem := make(chan struct{}, workers)
		for k := 1; k < len(runs); k++ {
			if !wanted(runs[k]) {
				results[k] <- result{items: make([]*gofeed.Item, runs[k][1]-runs[k][0])}
				continue
			}
			select {
			case ahead <- struct{}{}:
			case <-quit:
				return
			}
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				list, _, notes, err := parseRun(runs[k])
				results[k] <- result{list, notes, err}
			}()
		}
	}()

	var cur []*gofeed.Item
	run, base := -1, 0
	var fallback []*gofeed.Item
	failed := false // the cut failed and so did the whole parse: one error said it
	get := func(i int) (*gofeed.Item, error) {
		if order != nil {
			i = order[i]
		}
		if failed {
			return nil, nil // the items after it are not written
		}
		if fallback != nil {
			it := fallback[i]
			fallback[i] = nil
			return it, nil
		}
		for i-base >= len(cur) {
			if run >= 1 && wanted(runs[run]) {
				<-ahead
			}
			base += len(cur)
			run++
			r := <-results[run]
			if r.err != nil {
				// The cut did not hold here: parse the document whole and
				// go on from the same item.
				stop()
				// The runs before this one held exactly their items, so
				// the whole parse's items line up with them up to here.
				all, err := rd.whole()
				if errors.Is(err, errWholeTooLarge) {
					err = fmt.Errorf("%w, and %v", r.err, err) // why the cut failed
				}
				if err != nil {
					failed = true
					return nil, fmt.Errorf("item %d and those after it: %w", i+1, err)
				}
				fallback = append(all.Items, make([]*gofeed.Item, max(0, len(spans)-len(all.Items)))...)
				it := fallback[i]
				fallback[i] = nil
				return it, nil
			}
			cur = r.items
			noteRun(r.notes)
		}
		it := cur[i-base]
		cur[i-base] = nil
		return it, nil
	}
	list := &Items{Total: total, Get: get, Stop: stop, Notes: rd.notes}
	if keep == nil {
		list.Again = func(keep []bool) (*Items, error) {
			_, l, err := parseRuns(rd, workers, keep)
			return l, err
		}
	}
	return feed, list, nil
}

// errCut is a run of items that does not parse to as many items as the
// cut found.
var errCut = errors.New("the document does not cut cleanly between its items")

// errWholeTooLarge is a document that did not cut cleanly and is too large
// to be parsed whole instead (WholeMax).
var errWholeTooLarge = errors.New("too large to be parsed whole")

// elementSpans returns the byte spans of the top-level elements called
// tag (without a prefix), skipping comments, CDATA sections and processing
// instructions, whose text may look like markup. It returns nil when an
// element opens inside another of the same name or does not close: the
// caller then parses the document whole.
func elementSpans(data, tag []byte) [][2]int {
	var spans [][2]int
	open := -1
	for i := 0; ; {
		var ok bool
		if i, ok = nextTag(data, i); !ok {
			return nil
		}
		if i < 0 {
			break
		}
		rest := data[i:]
		closing := len(rest) > 1 && rest[1] == '/'
		name := rest[1:]
		if closing {
			name = rest[2:]
		}
		if !bytes.HasPrefix(name, tag) || len(name) == len(tag) || !isNameEnd(name[len(tag)]) {
			i++
			continue
		}
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return nil
		}
		switch {
		case closing:
			if open < 0 {
				return nil
			}
			spans = append(spans, [2]int{open, i + end + 1})
			open = -1
		case open >= 0:
			return nil // nested
		case rest[end-1] == '/':
			spans = append(spans, [2]int{i, i + end + 1})
		default:
			open = i
		}
		i += end + 1
	}
	if open >= 0 {
		return nil
	}
	return spans
}

// keepOnly returns the items of a run that starts at item base, with
// those whose place is false in keep (when keep is set) released.
func keepOnly(list []*gofeed.Item, base int, keep []bool) []*gofeed.Item {
	if keep != nil {
		for i := range list {
			if !keep[base+i] {
				list[i] = nil
			}
		}
	}
	return list
}

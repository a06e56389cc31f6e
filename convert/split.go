package convert

import (
	"bytes"
	"io"
	"sync"

	"github.com/mmcdole/gofeed"
)

// Large XML feeds are parsed in parallel: the document is cut between its
// items, and each run of items is parsed with the document's head (root
// element, namespaces, channel) and tail around it, on its own core.
const (
	splitMinSize = 1 << 20 // smaller feeds are parsed whole
	chunksPerCPU = 4
)

// parseParallel parses d, in parallel when it is a large RSS or Atom
// document whose items can be found safely; otherwise, or if any piece
// disagrees with the cut, whole.
func parseParallel(d *decoded, workers int) (*gofeed.Feed, error) {
	if d.kind != kindXML || len(d.data) < splitMinSize || workers < 2 || !feedRoots[d.root] {
		return parseFeed(d)
	}
	tag := []byte("item")
	if d.root == "feed" {
		tag = []byte("entry")
	}
	spans := elementSpans(d.data, tag)
	chunks := workers * chunksPerCPU
	if len(spans) < 2*chunks {
		return parseFeed(d)
	}
	head := d.data[:spans[0][0]]
	tail := d.data[spans[len(spans)-1][1]:]
	type piece struct {
		feed *gofeed.Feed
		want int
		err  error
	}
	pieces := make([]piece, chunks)
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	per := (len(spans) + chunks - 1) / chunks
	for c := 0; c < chunks; c++ {
		lo, hi := c*per, min((c+1)*per, len(spans))
		if lo >= hi {
			break
		}
		pieces[c].want = hi - lo
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			body := d.data[spans[lo][0]:spans[hi-1][1]]
			r := io.MultiReader(bytes.NewReader(head), bytes.NewReader(body), bytes.NewReader(tail))
			p := gofeed.NewParser()
			p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
			pieces[c].feed, pieces[c].err = p.Parse(r)
		}()
	}
	wg.Wait()
	var feed *gofeed.Feed
	for _, pc := range pieces {
		if pc.want == 0 {
			continue
		}
		if pc.err != nil || pc.feed == nil || len(pc.feed.Items) != pc.want {
			// The cut did not hold (an odd document): parse it whole.
			return parseFeed(d)
		}
		if feed == nil {
			feed = pc.feed
			continue
		}
		feed.Items = append(feed.Items, pc.feed.Items...)
	}
	return feed, nil
}

// elementSpans returns the byte spans of the top-level elements called
// tag (without a prefix), skipping comments, CDATA sections and processing
// instructions, whose text may look like markup. It returns nil when an
// element opens inside another of the same name or does not close: the
// caller then parses the document whole.
func elementSpans(data, tag []byte) [][2]int {
	var spans [][2]int
	open := -1
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			k := bytes.Index(rest, []byte("]]>"))
			if k < 0 {
				return nil
			}
			i += k + 3
			continue
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest, []byte("-->"))
			if k < 0 {
				return nil
			}
			i += k + 3
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			k := bytes.Index(rest, []byte("?>"))
			if k < 0 {
				return nil
			}
			i += k + 2
			continue
		}
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

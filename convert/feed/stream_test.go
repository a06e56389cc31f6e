package feed

import (
	"feed2md/convert/feed/feedtest"
	"fmt"
	"strings"
	"testing"
)

// FuzzSpanScanner checks that the scanner, given a document in pieces,
// finds what elementSpans finds in the whole, whatever the bytes.
func FuzzSpanScanner(f *testing.F) {
	f.Add([]byte(`<rss><channel><item><![CDATA[<item>]]></item><!-- <item> --><item/></channel></rss>`), uint8(3))
	f.Add([]byte(`<feed><item a="1>"/><item><![CDATA[x]]`), uint8(0))
	f.Fuzz(func(t *testing.T, doc []byte, piece uint8) {
		if len(doc) > 8<<10 {
			// In pieces of a byte, a long unclosed section is scanned again
			// for every byte: too slow to fuzz, and no different.
			doc = doc[:8<<10]
		}
		step := int(piece) + 1
		want := elementSpans(doc, []byte("item"))
		sc := &spanScanner{tag: []byte("item"), open: -1}
		var pending []byte
		var base int64
		for off := 0; off < len(doc) || off == 0; off += step {
			pending = append(pending, doc[off:min(off+step, len(doc))]...)
			used := sc.scan(pending, base, off+step >= len(doc))
			pending, base = pending[used:], base+int64(used)
			if len(doc) == 0 {
				break
			}
		}
		var got [][2]int
		if !sc.broken && sc.open < 0 {
			for _, sp := range sc.spans {
				got = append(got, [2]int{int(sp[0]), int(sp[1])})
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("in pieces of %d: %v, want %v", step, got, want)
		}
	})
}

// TestSpanScanner feeds documents to the scanner in pieces of many sizes
// and checks that it finds the spans elementSpans finds in the whole.
func TestSpanScanner(t *testing.T) {
	docs := []string{
		string(feedtest.Big(30, 2)),
		`<rss><channel><!-- <item> --><item><title><![CDATA[</item><item>]]></title></item><?pi <item>?><item/><item a="1"></item></channel></rss>`,
		`<feed><entry><title>a</title></entry><entries/><entry>b</entry></feed>`,
		`<rss><channel><item><item></item></item></channel></rss>`, // nested: no cut
		`<rss><channel><item></channel></rss>`,                     // never closed: no cut
		`<rss><channel><item><![CDATA[ never closed`,
	}
	for k, doc := range docs {
		tag := []byte("item")
		if strings.HasPrefix(doc, "<feed") {
			tag = []byte("entry")
		}
		want := elementSpans([]byte(doc), tag)
		for _, piece := range []int{1, 2, 3, 7, 64, 1 << 20} {
			sc := &spanScanner{tag: tag, open: -1}
			var pending []byte
			var base int64
			for off := 0; off < len(doc); off += piece {
				pending = append(pending, doc[off:min(off+piece, len(doc))]...)
				used := sc.scan(pending, base, off+piece >= len(doc))
				pending, base = pending[used:], base+int64(used)
			}
			var got [][2]int
			if !sc.broken && sc.open < 0 {
				for _, sp := range sc.spans {
					got = append(got, [2]int{int(sp[0]), int(sp[1])})
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("doc %d in pieces of %d: %v, want %v", k, piece, got, want)
			}
		}
	}
}

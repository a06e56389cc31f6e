package convert

import (
	"testing"

	"github.com/mmcdole/gofeed"
)

// BenchmarkBodyAlloc measures what the body stage allocates per real post:
// filterHTML alone (the tokenizer pass of HTML bodies) and the whole body
// stage in HTML mode (filterHTML, shortcodes, htmlBlock), over the real
// bodies of ../shared/corpus.
//
//	go test ./convert -run XXX -bench BodyAlloc -count 6
func BenchmarkBodyAlloc(b *testing.B) {
	bodies := realBodies(b)
	size := 0
	for _, s := range bodies {
		size += len(s)
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(bodies)), "ns/item")
		b.SetBytes(int64(size))
	}
	b.Run("filterHTML", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range bodies {
				filterHTML(s, testBase, true, true)
			}
		}
		report(b)
	})
	b.Run("body", func(b *testing.B) {
		c := newTestConverter(b, b.TempDir(), nil)
		items := make([]*gofeed.Item, len(bodies))
		for i, s := range bodies {
			items[i] = &gofeed.Item{Content: s}
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, it := range items {
				if _, _, err := c.body(it, testBase); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
}

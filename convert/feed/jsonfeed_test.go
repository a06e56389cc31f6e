package feed

import (
	"bytes"
	"testing"

	gojson "github.com/mmcdole/gofeed/json"
)

// FuzzJSONFeed: whatever the document, normalizeJSONFeed either says why
// it is not a feed, or returns JSON that gofeed's JSON Feed parser reads.
func FuzzJSONFeed(f *testing.F) {
	for _, s := range []string{
		`{"items":[{"id":1,"tags":"x","authors":"bob"}]}`,
		`{"items":[{"attachments":{"size_in_bytes":"1"}},{"author":{"name":5}}],"author":[1]}`,
		`{"items":[1,"a",null,{"title":{"a":[]}}],"expired":"yes"}`,
		`{"error":"x"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, _, err := normalizeJSONFeed([]byte(s))
		if err != nil {
			return
		}
		if _, err := (&gojson.Parser{}).Parse(bytes.NewReader(out)); err != nil {
			t.Fatalf("%s -> %s: gofeed: %v", s, out, err)
		}
	})
}

package convert

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestFullTextNotWebLink: an item whose link is not http(s) (a gemini
// capsule, a magnet) has no page to ask for (docs/fulltext.md, step 1):
// it keeps the feed's body with no failure counted, no memory written, and
// no retry that would make the feed be converted again a day later.
func TestFullTextNotWebLink(t *testing.T) {
	feed := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(feed, []byte(`<rss version="2.0"><channel><title>T</title><link>gemini://capsule.example/</link>`+
		`<item><title>One</title><link>gemini://capsule.example/1</link><description>Short.</description></item>`+
		`<item><title>Two</title><link>magnet:?xt=urn:btih:abc</link><description>Short.</description></item></channel></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, cache := t.TempDir(), t.TempDir()
	res := convertSource(t, context.Background(), out, feed, func(o *Options) { o.FullText, o.CacheDir = true, cache })
	if res.Failed() || res.New != 2 {
		t.Fatalf("new %d: %v %v", res.New, res.Err, res.Errors)
	}
	if res.PagesFetched != 0 || res.PagesFailed != 0 || len(res.PageErrors) != 0 || !res.pageRetry.IsZero() {
		t.Errorf("fetched %d, failed %d, errors %v, retry %v: want none", res.PagesFetched, res.PagesFailed, res.PageErrors, res.pageRetry)
	}
	if _, err := os.Stat(filepath.Join(out, ".feed2md-pages")); !os.IsNotExist(err) {
		t.Errorf("a page memory for links that are no web pages: %v", err)
	}
}

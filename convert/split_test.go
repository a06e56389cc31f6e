package convert

import (
	"bytes"
	"context"
	"feed2md/convert/feed"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"strings"
	"testing"
)

// convertWith converts feed bytes with the given number of workers (1:
// the document is parsed whole) and returns the files.
func convertWith(t *testing.T, feed []byte, workers int) (map[string][]byte, *Result) {
	t.Helper()
	out := t.TempDir()
	c := newTestConverter(t, out, func(o *Options) {
		o.Stdin = bytes.NewReader(feed)
		o.Workers = workers
	})
	src, _ := fetch.ParseSource("-")
	res := c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return readDir(t, out), res
}

// TestStreamFallsBack cuts a document whose item in the middle sits inside
// an unknown element: the run that holds it disagrees with the cut, and
// conversion goes on from a whole parse, with the same files as a whole
// parse gives.
func TestStreamFallsBack(t *testing.T) {
	feed := string(feedtest.Big(600, 8))
	i := strings.Index(feed, "<item><title>")
	for k := 0; k < 400; k++ {
		i += strings.Index(feed[i+1:], "<item><title>") + 1
	}
	j := i + strings.Index(feed[i:], "</item>") + len("</item>")
	odd := feed[:i] + "<odd>" + feed[i:j] + "</odd>" + feed[j:]
	whole, res1 := convertWith(t, []byte(odd), 1)
	streamed, res2 := convertWith(t, []byte(odd), 4)
	if res1.Failed() || res2.Failed() || len(whole) != len(streamed) || len(whole) != 599 {
		t.Fatalf("whole %d files %+v; streamed %d files %+v", len(whole), res1, len(streamed), res2)
	}
	for name, data := range whole {
		if !bytes.Equal(streamed[name], data) {
			t.Errorf("%s differs", name)
		}
	}
}

// TestStreamedParseMatchesWholeParse converts a feed large enough to be
// parsed as a stream of runs on several cores, and again whole on one:
// the files must be identical.
func TestStreamedParseMatchesWholeParse(t *testing.T) {
	doc := feedtest.Big(600, 7) // about 3 MB: three or more runs
	if len(doc) < 2<<20 {       // twice the size feed splits from
		t.Fatalf("doc of %d bytes is too small to stream", len(doc))
	}
	if p, err := feed.Parse(context.Background(), &fetch.Fetched{Body: doc}, "", false, "", 2); err != nil || p.Items.Total != 600 {
		t.Fatalf("stream: %v", err)
	}
	whole, res1 := convertWith(t, doc, 1)
	streamed, res2 := convertWith(t, doc, 4)
	if res1.New != 600 || res2.New != 600 || res1.Failed() || res2.Failed() {
		t.Fatalf("whole %+v, streamed %+v", res1, res2)
	}
	for name, data := range whole {
		if !bytes.Equal(streamed[name], data) {
			t.Errorf("%s differs between a streamed and a whole parse", name)
		}
	}
	// The paths come out in doc order whatever the concurrency.
	for i := range res1.Changes {
		if res1.Changes[i].Path[len(res1.Changes[i].Path)-20:] != res2.Changes[i].Path[len(res2.Changes[i].Path)-20:] {
			t.Fatalf("change %d: %s, then %s", i, res1.Changes[i].Path, res2.Changes[i].Path)
		}
	}
}

package convert

import (
	"bytes"
	"context"
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

// TestStreamedParseMatchesWholeParse converts a feed large enough to be
// parsed as a stream of runs on several cores, and again whole on one:
// the files must be identical.
func TestStreamedParseMatchesWholeParse(t *testing.T) {
	feed := bigFeed(600, 7) // about 3 MB: three or more runs
	if len(feed) < 2*splitMinSize {
		t.Fatalf("feed of %d bytes is too small to stream", len(feed))
	}
	d, _ := decode(feed, "", 0)
	if _, list, err := parseStream(d, 2); err != nil || list.total != 600 {
		t.Fatalf("stream: %v", err)
	}
	whole, res1 := convertWith(t, feed, 1)
	streamed, res2 := convertWith(t, feed, 4)
	if res1.New != 600 || res2.New != 600 || res1.Failed() || res2.Failed() {
		t.Fatalf("whole %+v, streamed %+v", res1, res2)
	}
	for name, data := range whole {
		if !bytes.Equal(streamed[name], data) {
			t.Errorf("%s differs between a streamed and a whole parse", name)
		}
	}
	// The paths come out in feed order whatever the concurrency.
	for i := range res1.Changes {
		if res1.Changes[i].Path[len(res1.Changes[i].Path)-20:] != res2.Changes[i].Path[len(res2.Changes[i].Path)-20:] {
			t.Fatalf("change %d: %s, then %s", i, res1.Changes[i].Path, res2.Changes[i].Path)
		}
	}
}

// TestStreamFallsBack cuts a document whose item in the middle sits inside
// an unknown element: the run that holds it disagrees with the cut, and
// conversion goes on from a whole parse, with the same files as a whole
// parse gives.
func TestStreamFallsBack(t *testing.T) {
	feed := string(bigFeed(600, 8))
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

func TestElementSpans(t *testing.T) {
	doc := []byte(`<rss><channel><!-- <item>no</item> --><item>a</item>
<item><description><![CDATA[<item>not</item>]]></description></item><item/><?pi <item> ?></channel></rss>`)
	spans := elementSpans(doc, []byte("item"))
	var got []string
	for _, s := range spans {
		got = append(got, string(doc[s[0]:s[1]]))
	}
	want := []string{"<item>a</item>", "<item><description><![CDATA[<item>not</item>]]></description></item>", "<item/>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans %q", got)
	}
	if elementSpans([]byte(`<item><item></item></item>`), []byte("item")) != nil {
		t.Error("nested items were cut")
	}
	if elementSpans([]byte(`<item>open`), []byte("item")) != nil {
		t.Error("an unclosed item was cut")
	}
	if len(elementSpans([]byte(`<items><itemx/></items>`), []byte("item"))) != 0 {
		t.Error("longer names matched")
	}
}

package feed

import (
	"bytes"
	"feed2md/convert/feed/feedtest"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestBodyElement(t *testing.T) {
	long := strings.Repeat("<p>x &amp; y</p>\n", 20)
	cases := []struct {
		in, name, text string
	}{
		{"<description><![CDATA[" + long + "]]></description>", "description", long},
		{"<content:encoded>\n  <![CDATA[" + long + "]]>\n</content:encoded >", "content:encoded", long},
		{"<description ><![CDATA[" + long + "]]></description>", "description", long},
		// Not the whole element: left to the parser.
		{`<description type="html"><![CDATA[` + long + "]]></description>", "", ""},
		{"<description>a<![CDATA[" + long + "]]></description>", "", ""},
		{"<description><![CDATA[" + long + "]]>b</description>", "", ""},
		{"<description><![CDATA[" + long + "]]><![CDATA[x]]></description>", "", ""},
		{"<descriptions><![CDATA[" + long + "]]></descriptions>", "", ""},
		{"<description><![CDATA[" + long + "]]></content:encoded>", "", ""},
		{"<description><![CDATA[" + long, "", ""},
		{"<media:description><![CDATA[" + long + "]]></media:description>", "", ""},
		{"<title><![CDATA[" + long + "]]></title>", "", ""},
	}
	for _, c := range cases {
		name, text, end := bodyElement([]byte(c.in))
		if name != c.name || string(text) != c.text {
			t.Errorf("%.60q: got %q and %d bytes of text, want %q and %d", c.in, name, len(text), c.name, len(c.text))
		}
		if name != "" && end != len(c.in) {
			t.Errorf("%.60q: end %d, want %d", c.in, end, len(c.in))
		}
	}
}

func TestStashBodies(t *testing.T) {
	long := strings.Repeat("<b>bold</b> text ", 30)
	body := "<item><title><![CDATA[" + long + "]]></title>" +
		"<!-- <description><![CDATA[" + long + "]]></description> -->" +
		"<description><![CDATA[short]]></description>" +
		"<content:encoded><![CDATA[" + long + "]]></content:encoded></item>" +
		"<item><description>\n<![CDATA[" + long + "!]]>\n</description></item>"
	out, s := stashBodies([]byte(body), "M-")
	want := "<item><title><![CDATA[" + long + "]]></title>" +
		"<!-- <description><![CDATA[" + long + "]]></description> -->" +
		"<description><![CDATA[short]]></description>" +
		"<content:encoded><![CDATA[M-0]]></content:encoded></item>" +
		"<item><description>\n<![CDATA[M-1]]>\n</description></item>"
	if string(out) != want {
		t.Errorf("stashed:\n%s\nwant:\n%s", out, want)
	}
	if len(s.texts) != 2 || s.texts[0] != long || s.texts[1] != long+"!" {
		t.Fatalf("texts: %d", len(s.texts))
	}
	// Taken from a string of the same bytes, the texts and the output are
	// the same.
	out2, s2 := stashBodiesFrom([]byte(body), body, "M-")
	if string(out2) != want || len(s2.texts) != 2 || s2.texts[0] != long || s2.texts[1] != long+"!" {
		t.Errorf("from a string: %q, %d texts", out2, len(s2.texts))
	}
	items := []*gofeed.Item{{Content: "M-0"}, {Description: "M-1"}}
	if !s.restore(items) || items[0].Content != long || items[1].Description != long+"!" {
		t.Errorf("restore: %+v", items)
	}
	// A marker missing, duplicated, damaged or out of range fails.
	for _, items := range [][]*gofeed.Item{
		{{Content: "M-0"}},
		{{Content: "M-0"}, {Description: "M-1"}, {Content: "M-1"}},
		{{Content: "M-0 "}, {Description: "M-1"}},
		{{Content: "M-0"}, {Description: "M-7"}},
	} {
		if s.restore(items) {
			t.Errorf("restore accepted %+v", items)
		}
	}
	// A directive, which encoding/xml ends by counting brackets: nothing
	// is stashed.
	if _, s := stashBodies([]byte("<item><!x <description><![CDATA["+long+"]]></description></item>"), "M-"); len(s.texts) != 0 {
		t.Errorf("stashed after a directive")
	}
	// Unreadable markup: nothing is stashed.
	if out, s := stashBodies([]byte("<item><!-- unclosed <description><![CDATA["+long+"]]></description>"), "M-"); len(s.texts) != 0 || !bytes.Contains(out, []byte(long)) {
		t.Errorf("stashed inside an unclosed comment")
	}
}

// stashRoundTrip parses the items of an RSS document as gofeed reads it
// (whole), and again with the bodies of all its items stashed and put
// back. n is how many bodies were stashed (0: nothing to compare);
// stashed is nil when they did not all go back, where a streamed parse
// would parse the document whole instead.
func stashRoundTrip(t testing.TB, data []byte) (whole, stashed []*gofeed.Item, n int) {
	d, err := Decode(data, "", 0)
	if err != nil || d.Kind != KindXML || d.Root == "feed" || !feedRoots[d.Root] {
		return nil, nil, 0
	}
	feed, err := gofeedParse(bytes.NewReader(d.Data)) // as gofeed reads it: ParseFeed stashes too
	if err != nil {
		return nil, nil, 0
	}
	spans := elementSpans(d.Data, []byte("item"))
	if len(spans) == 0 {
		return nil, nil, 0
	}
	head, tail := d.Data[:spans[0][0]], d.Data[spans[len(spans)-1][1]:]
	body, s := stashBodies(d.Data[spans[0][0]:spans[len(spans)-1][1]], "feed2md-stash-test-")
	if len(s.texts) == 0 {
		return nil, nil, 0
	}
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	sf, err := p.Parse(io.MultiReader(bytes.NewReader(head), bytes.NewReader(body), bytes.NewReader(tail)))
	if err != nil {
		// The run fails as if badly cut, and is parsed whole.
		return feed.Items, nil, len(s.texts)
	}
	if !s.restore(sf.Items) {
		return feed.Items, nil, len(s.texts)
	}
	return feed.Items, sf.Items, len(s.texts)
}

// TestStashMatchesParse parses the items of every RSS feed in the corpus
// and in testdata twice: as gofeed reads the document, and with the item
// bodies stashed and put back, as a streamed parse does. The items must
// be deeply equal wherever the stash reports it went back whole.
func TestStashMatchesParse(t *testing.T) {
	paths, minFeeds := stashPaths(t)
	stashedFeeds, stashedBodies := 0, 0
	for _, path := range paths {
		var data []byte
		if path == "" {
			data = feedtest.Big(50, 3)
		} else {
			data, _ = os.ReadFile(path)
		}
		whole, stashed, n := stashRoundTrip(t, data)
		if n == 0 {
			continue
		}
		if stashed == nil {
			t.Logf("%s: the stash did not go back whole (a whole parse is used)", path)
			continue
		}
		stashedFeeds++
		stashedBodies += n
		if !reflect.DeepEqual(whole, stashed) {
			for i := range whole {
				if i < len(stashed) && !reflect.DeepEqual(whole[i], stashed[i]) {
					t.Errorf("%s: item %d differs:\n%+v\n%+v", path, i, whole[i], stashed[i])
					break
				}
			}
			if len(whole) != len(stashed) {
				t.Errorf("%s: %d items, stashed %d", path, len(whole), len(stashed))
			}
		}
	}
	t.Logf("%d feeds, %d bodies stashed and put back", stashedFeeds, stashedBodies)
	if stashedFeeds < minFeeds {
		t.Errorf("only %d feeds had bodies stashed: the test checks too little", stashedFeeds)
	}
}

// stashPaths lists the RSS feeds of testdata and the corpus, and "" for
// a generated feed, with the least number of them that must have had
// bodies stashed.
func stashPaths(t *testing.T) (paths []string, minFeeds int) {
	paths, _ = filepath.Glob(filepath.Join("..", "..", "testdata", "*.xml"))
	minFeeds = 20
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		feedtest.SkipPart(t, "%s is missing, so only testdata and a generated feed are compared", root)
		minFeeds = 2
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".tsv") {
			paths = append(paths, path)
		}
		return nil
	})
	return append(paths, ""), minFeeds // "": the generated feed
}

// TestStashedWholeMatchesParse: a small RSS document, parsed whole with
// its bodies stashed (parseStashed, which ParseFeed tries first), gives the
// feed gofeed gives without the stash, channel and all, wherever the stash
// went back whole; and ParseFeed gives that feed where it did not.
func TestStashedWholeMatchesParse(t *testing.T) {
	paths, minFeeds := stashPaths(t)
	stashed := 0
	for _, path := range paths {
		data := feedtest.Big(50, 3)
		if path != "" {
			data, _ = os.ReadFile(path)
		}
		d, err := Decode(data, "", 0)
		if err != nil || d.Kind != KindXML || d.Root == "feed" || !feedRoots[d.Root] {
			continue
		}
		want, err := gofeedParse(bytes.NewReader(d.Data))
		if err != nil {
			continue
		}
		if got, ok := parseStashed(d); ok {
			stashed++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the feed parsed with its bodies stashed differs", path)
			}
		} else if got, err := ParseFeed(d); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ParseFeed differs from gofeed's parse (%v)", path, err)
		}
	}
	t.Logf("%d feeds parsed whole with their bodies stashed", stashed)
	if stashed < minFeeds {
		t.Errorf("only %d feeds were parsed with their bodies stashed: the test checks too little", stashed)
	}
}

// TestStashedWholeFallsBack: a body stashed where no item field holds it
// (an image's description) does not come back, and the document is parsed
// as it is; a channel description does come back.
func TestStashedWholeFallsBack(t *testing.T) {
	long := strings.Repeat("<p>body &amp; <b>text</b></p>\n", 12)
	item := `<item><title>a</title><description><![CDATA[` + long + `]]></description></item>`
	for _, c := range []struct {
		name, channel string
		stashed       bool
	}{
		{"channel description", `<description><![CDATA[` + long + `]]></description>`, true},
		{"image description", `<image><url>https://x.test/i.png</url><description><![CDATA[` + long + `]]></description></image>`, false},
	} {
		doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>` + c.channel + item + `</channel></rss>`
		d, err := Decode([]byte(doc), "", 0)
		if err != nil {
			t.Fatal(err)
		}
		want, err := gofeedParse(bytes.NewReader(d.Data))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := parseStashed(d); ok != c.stashed {
			t.Errorf("%s: parseStashed reported %t, want %t", c.name, ok, c.stashed)
		}
		got, err := ParseFeed(d)
		if err != nil || !reflect.DeepEqual(got, want) || got.Items[0].Description != long {
			t.Errorf("%s: ParseFeed gave another feed (%v)", c.name, err)
		}
	}
}

// FuzzStash: whatever the items, a stash that goes back whole gives the
// items gofeed gives without it.
func FuzzStash(f *testing.F) {
	long := strings.Repeat("<p>body &amp; <b>text</b></p>\n", 12)
	f.Add(`<item><title>a</title><description><![CDATA[` + long + `]]></description></item>`)
	f.Add(`<item><content:encoded> <![CDATA[` + long + `]]> </content:encoded><description>d</description></item><item><title>b</title></item>`)
	f.Add(`<item><description><![CDATA[` + long + `]]></description><description><![CDATA[` + long + `x]]></description></item>`)
	f.Add(`<item><media:group><description><![CDATA[` + long + `]]></description></media:group></item>`)
	f.Fuzz(func(t *testing.T, items string) {
		doc := `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>` +
			items + `</channel></rss>`
		whole, stashed, n := stashRoundTrip(t, []byte(doc))
		if n == 0 || stashed == nil {
			return
		}
		if !reflect.DeepEqual(whole, stashed) {
			t.Fatalf("items differ:\n%+v\n%+v", whole, stashed)
		}
	})
}

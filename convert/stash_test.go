package convert

import (
	"bytes"
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
	// Unreadable markup: nothing is stashed.
	if out, s := stashBodies([]byte("<item><!-- unclosed <description><![CDATA["+long+"]]></description>"), "M-"); len(s.texts) != 0 || !bytes.Contains(out, []byte(long)) {
		t.Errorf("stashed inside an unclosed comment")
	}
}

// TestStashMatchesParse parses the items of every RSS feed in the corpus
// and in testdata twice: as gofeed reads the document, and with the item
// bodies stashed and put back, as a streamed parse does. The items must
// be deeply equal wherever the stash reports it went back whole.
func TestStashMatchesParse(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "*.xml"))
	root := filepath.Join(sharedDir(t), "corpus")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".tsv") {
			paths = append(paths, path)
		}
		return nil
	})
	paths = append(paths, "") // the generated feed
	stashedFeeds, stashedBodies := 0, 0
	for _, path := range paths {
		var data []byte
		if path == "" {
			data = bigFeed(50, 3)
		} else {
			data, _ = os.ReadFile(path)
		}
		d, err := decode(data, "", 0)
		if err != nil || d.kind != kindXML || d.root == "feed" || !feedRoots[d.root] {
			continue
		}
		whole, err := parseFeed(d)
		if err != nil {
			continue
		}
		spans := elementSpans(d.data, []byte("item"))
		if len(spans) == 0 {
			continue
		}
		head, tail := d.data[:spans[0][0]], d.data[spans[len(spans)-1][1]:]
		body, s := stashBodies(d.data[spans[0][0]:spans[len(spans)-1][1]], "feed2md-stash-test-")
		if len(s.texts) == 0 {
			continue
		}
		p := gofeed.NewParser()
		p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
		feed, err := p.Parse(io.MultiReader(bytes.NewReader(head), bytes.NewReader(body), bytes.NewReader(tail)))
		if err != nil {
			t.Errorf("%s: the stashed document does not parse: %v", path, err)
			continue
		}
		if !s.restore(feed.Items) {
			t.Logf("%s: the stash did not go back whole (a whole parse is used)", path)
			continue
		}
		stashedFeeds++
		stashedBodies += len(s.texts)
		if !reflect.DeepEqual(whole.Items, feed.Items) {
			for i := range whole.Items {
				if i < len(feed.Items) && !reflect.DeepEqual(whole.Items[i], feed.Items[i]) {
					t.Errorf("%s: item %d differs:\n%+v\n%+v", path, i, whole.Items[i], feed.Items[i])
					break
				}
			}
			if len(whole.Items) != len(feed.Items) {
				t.Errorf("%s: %d items, stashed %d", path, len(whole.Items), len(feed.Items))
			}
		}
	}
	t.Logf("%d feeds, %d bodies stashed and put back", stashedFeeds, stashedBodies)
	if stashedFeeds < 20 {
		t.Errorf("only %d feeds had bodies stashed: the test checks too little", stashedFeeds)
	}
}

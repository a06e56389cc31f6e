package feed

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadFeedList(t *testing.T) {
	list := "# my feeds\n" +
		"https://a.test/feed.xml   # a page\n" +
		"\n" +
		"https://b.test/feed.xml\t# after a tab\n" +
		"\t  /srv/exports/old blog.xml\t\t# indented, a space in the path\n" +
		"https://c.test/feed.xml#frag\n" +
		"  # an indented comment\n" +
		"https://d.test/feed.xml\t#\r\n" +
		"\ufeffnot-a-bom.xml\n"
	got, err := ReadList([]byte("\xef\xbb\xbf" + list))
	if err != nil {
		t.Fatal(err)
	}
	want := []ListEntry{
		{"https://a.test/feed.xml", 2},
		{"https://b.test/feed.xml", 4},
		{"/srv/exports/old blog.xml", 5},
		{"https://c.test/feed.xml#frag", 6},
		{"https://d.test/feed.xml", 8},
		{"\ufeffnot-a-bom.xml", 9},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadList:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadFeedListEmpty(t *testing.T) {
	got, err := ReadList([]byte("# nothing\n\n   \t\n"))
	if err != nil || len(got) != 0 {
		t.Errorf("ReadList = %v, %v; want no entry", got, err)
	}
}

func TestReadFeedListLongLine(t *testing.T) {
	_, err := ReadList([]byte("https://a.test/\n" + strings.Repeat("x", 2<<20) + "\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2:") {
		t.Errorf("a 2 MB line: err %v, want one naming line 2", err)
	}
}

func TestReadFeedListOPML(t *testing.T) {
	opml := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="News">
      <outline text="Fox" type="rss" xmlUrl="https://a.test/feed.xml"/>
      <outline text="Nested">
        <outline text="Again" type="rss" xmlURL=" https://b.test/feed.xml "/>
        <outline text="No feed"/>
      </outline>
    </outline>
  </body>
</opml>
`
	got, err := ReadList([]byte(opml))
	if err != nil {
		t.Fatal(err)
	}
	want := []ListEntry{{"https://a.test/feed.xml", 6}, {"https://b.test/feed.xml", 8}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OPML:\n got %v\nwant %v", got, want)
	}
	if _, err := ReadList([]byte(`<opml><body><outline text="x"/></body></opml>`)); err == nil {
		t.Error("an OPML file with no xmlUrl gave no error")
	}
}

// FuzzReadFeedList: any list reads without panic into entries that are
// trimmed, hold no comment, and come with increasing line numbers.
func FuzzReadFeedList(f *testing.F) {
	f.Add([]byte("# c\nhttps://a.test/ # x\n\t/b.xml\t#y\n"))
	f.Add([]byte(`<opml><body><outline xmlUrl="https://a.test/"/></body></opml>`))
	f.Add([]byte("a#b\n#\n \t#\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ReadList(data)
		if err != nil {
			return
		}
		last := 0
		for _, e := range entries {
			if e.Feed == "" || e.Feed != strings.TrimSpace(e.Feed) {
				t.Errorf("entry %q is empty or not trimmed", e.Feed)
			}
			if e.Line < last || e.Line < 1 {
				t.Errorf("line %d after %d", e.Line, last)
			}
			last = e.Line
			if !isOPML(data) && (strings.Contains(e.Feed, " #") || strings.Contains(e.Feed, "\t#") || strings.HasPrefix(e.Feed, "#")) {
				t.Errorf("entry %q holds a comment", e.Feed)
			}
		}
	})
}

// isOPML reports whether ReadList takes data for OPML.
func isOPML(data []byte) bool {
	d, err := Decode(data, "", 0)
	return err == nil && d.Kind == KindXML && d.Root == "opml"
}

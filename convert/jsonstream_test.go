package convert

import (
	"errors"
	"feed2md/convert/feed"
	"feed2md/convert/fetch"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// bigJSONFeed returns a JSON Feed of n items of about size bytes each,
// with the feed's own fields before and after the items, strings that
// hold brackets, quotes and escapes, and now and then an item with a
// field of the wrong type or an element that is not an object.
func bigJSONFeed(n, size int) string {
	var b strings.Builder
	b.WriteString("\ufeff {\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"Big \\\"JSON\\\" [feed]\",\n \"items\": [\n")
	filler := strings.Repeat("Lorem ipsum dolor sit amet, {consectetur} [adipiscing] elit. ", size/60+1)[:size]
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(",\n  ")
		}
		switch {
		case i%97 == 0:
			b.WriteString(`"not an item ] }"`)
			continue
		case i%89 == 0:
			b.WriteString(`[1, {"id": "x"}]`)
			continue
		case i%83 == 0:
			b.WriteString(`null`)
			continue
		}
		tags := `["news", "t\"ag"]`
		if i%10 == 0 {
			tags = `"one tag"` // a list of one, with a note
		}
		fmt.Fprintf(&b, `{"id": "urn:item:%d", "url": "https://big.example/p/%d?a=1&b=[2]", "title": "Post %d: \"quotes\", \\back\\slash, \u00e9t\u00e9 {x}",
   "content_html": "<p>%s %d</p><p>\u65e5\u672c\u8a9e \\u00e9</p>", "date_published": "2026-01-%02dT10:00:00Z", "tags": %s,
   "authors": [{"name": "A. Writer"}], "attachments": [{"url": "https://big.example/a%d.mp3", "mime_type": "audio/mpeg", "size_in_bytes": %d}]}`,
			i, i, i, filler, i, i%28+1, tags, i, 1000+i)
	}
	b.WriteString("\n ],\n \"home_page_url\": \"https://big.example/\", \"author\": {\"name\": \"Feed Author\"}\n}\n")
	return b.String()
}

// convertJSONBoth converts doc streamed (fetch.MemMax below its size, feed.WholeMax
// too, so that a whole parse would fail) and in memory, and returns both
// results and folders.
func convertJSONBoth(t *testing.T, doc string, edit func(*Options)) (streamed, inMemory *Result, sdir, mdir string) {
	t.Helper()
	oldMem, oldWhole := fetch.MemMax, feed.WholeMax
	t.Cleanup(func() { fetch.MemMax, feed.WholeMax = oldMem, oldWhole })
	fetch.MemMax, feed.WholeMax = 64<<10, 128<<10
	sdir = t.TempDir()
	streamed = convertBytes(t, sdir, doc, edit)
	fetch.MemMax, feed.WholeMax = 1<<30, 1<<30
	mdir = t.TempDir()
	inMemory = convertBytes(t, mdir, doc, edit)
	return streamed, inMemory, sdir, mdir
}

// A JSON Feed larger than fetch.MemMax is streamed, and gives the files and the
// notes the same feed gives parsed whole.
func TestStreamJSONFeed(t *testing.T) {
	feed := bigJSONFeed(700, 4000) // about 3 MB: three runs
	s, m, sdir, mdir := convertJSONBoth(t, feed, nil)
	if s.Err != nil || len(s.Errors) > 0 {
		t.Fatalf("streamed: %v %v", s.Err, s.Errors)
	}
	if m.Err != nil || m.New < 600 {
		t.Fatalf("in memory: %d files, %v", m.New, m.Err)
	}
	if s.Items != m.Items || s.New != m.New {
		t.Errorf("streamed %d items, %d files; in memory %d and %d", s.Items, s.New, m.Items, m.New)
	}
	sameFiles(t, "streamed JSON", readDir(t, mdir), readDir(t, sdir))
	if !slices.Equal(s.Notes, m.Notes) { // the same notes, in the same order
		t.Errorf("notes streamed:\n%s\nin memory:\n%s", strings.Join(s.Notes, "\n"), strings.Join(m.Notes, "\n"))
	}
	for _, want := range []string{`item 97 is a string, not an object: dropped`, `item 89 is an array`, `item 83 is a null`,
		`item 690 (https://big.example/p/690?a=1&b=[2]): "tags" is a string, read as a list of one`} {
		if !strings.Contains(strings.Join(s.Notes, "\n"), want) {
			t.Errorf("no note %q", want)
		}
	}
	// The feed's fields after the items are read: its home page is the
	// files' source.
	data, err := os.ReadFile(filepath.Join(sdir, "post-1-quotes-back-slash-ete-x.md"))
	if err != nil {
		t.Fatalf("%v (files: %s)", err, names(readDir(t, sdir)))
	}
	if !strings.Contains(string(data), "\nsource: 'https://big.example/'\n") {
		t.Errorf("the feed's home page (after the items) is not read:\n%s", data)
	}
}

// -limit and -since read a streamed JSON Feed twice: the same files as in
// memory, and the notes once.
func TestStreamJSONFeedLimit(t *testing.T) {
	feed := bigJSONFeed(500, 4000)
	s, m, sdir, mdir := convertJSONBoth(t, feed, func(o *Options) { o.Limit = 30 })
	if s.Err != nil || s.New != 30 || m.New != 30 {
		t.Fatalf("streamed %d files (%v), in memory %d", s.New, s.Err, m.New)
	}
	sameFiles(t, "-limit", readDir(t, mdir), readDir(t, sdir))
	if len(s.Notes) != len(m.Notes) {
		t.Errorf("%d notes streamed, %d in memory", len(s.Notes), len(m.Notes))
	}
}

// What the scanner cannot stream is parsed whole when small enough, and
// fails with a clear error when not.
func TestStreamJSONFeedNotStreamable(t *testing.T) {
	feed := strings.Replace(bigJSONFeed(300, 4000), `"items"`, `"Items"`, 1) // encoding/json takes it for items
	s, m, sdir, mdir := convertJSONBoth(t, feed, nil)
	if m.Err != nil || m.New == 0 {
		t.Fatalf("in memory: %d files, %v", m.New, m.Err)
	}
	if s.Err == nil || !strings.Contains(s.Err.Error(), "too large to be parsed whole") {
		t.Errorf("streamed: %v", s.Err)
	}
	if len(readDir(t, sdir)) != 0 {
		t.Error("files written")
	}
	// Under feed.WholeMax, parsed whole: the same files.
	oldMem := fetch.MemMax
	t.Cleanup(func() { fetch.MemMax = oldMem })
	fetch.MemMax = 64 << 10
	dir := t.TempDir()
	if r := convertBytes(t, dir, feed, nil); r.Err != nil || r.New != m.New {
		t.Fatalf("whole: %d files, %v", r.New, r.Err)
	}
	sameFiles(t, "whole", readDir(t, mdir), readDir(t, dir))
	// Text after the document is ignored, with one note.
	s, m, sdir, mdir = convertJSONBoth(t, bigJSONFeed(300, 4000)+"garbage ]}", nil)
	if s.Err != nil || s.New != m.New {
		t.Fatalf("trailing text: %d files (%v), in memory %d", s.New, s.Err, m.New)
	}
	sameFiles(t, "trailing text", readDir(t, mdir), readDir(t, sdir))
	if n := strings.Count(strings.Join(s.Notes, "\n"), "after the JSON document"); n != 1 {
		t.Errorf("%d notes of the trailing text: %q", n, s.Notes)
	}
}

// A large JSON document that is no feed says so, in the words a small one
// gets.
func TestStreamJSONNotAFeed(t *testing.T) {
	filler := strings.Repeat(`{"k": "v"}, `, 20000)
	for _, doc := range []string{
		`{"data": [` + filler + `1], "b": 1, "c": 2, "d": 3, "e": 4}`,
		`{"items": {"a": [` + filler + `1]}}`,
		`{"items": "` + strings.Repeat("x", 300000) + `"}`,
		`{"nested": {"items": [` + filler + `{}]}}`,
	} {
		s, m, _, _ := convertJSONBoth(t, doc, nil)
		var nf *fetch.NotFeedError
		if !errors.As(s.Err, &nf) || m.Err == nil || s.Err.Error() != m.Err.Error() {
			t.Errorf("%.30s…: streamed %v; in memory %v", doc, s.Err, m.Err)
		}
	}
}

// A null author, dropped without a note, crashed gofeed when the document
// went to it unchanged: in a small feed with no other note, and in any run
// of a streamed feed without one.
func TestJSONNullAuthor(t *testing.T) {
	small := `{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [
		{"id": "1", "url": "https://n.example/1", "title": "One", "content_text": "x", "authors": [null]},
		{"id": "2", "url": "https://n.example/2", "title": "Two", "content_text": "y", "author": null}]}`
	if r := convertBytes(t, t.TempDir(), small, nil); r.Err != nil || r.New != 2 {
		t.Errorf("small: %d files, %v", r.New, r.Err)
	}
	big := strings.Replace(bigJSONFeed(700, 4000), `"authors": [{"name": "A. Writer"}], "attachments": [{"url": "https://big.example/a600.mp3"`,
		`"authors": [null], "attachments": [{"url": "https://big.example/a600.mp3"`, 1)
	if !strings.Contains(big, `"authors": [null]`) {
		t.Fatal("no null author in the feed")
	}
	s, m, sdir, mdir := convertJSONBoth(t, big, nil)
	if s.Err != nil || len(s.Errors) > 0 || s.New != m.New {
		t.Fatalf("streamed %d files (%v %v), in memory %d", s.New, s.Err, s.Errors, m.New)
	}
	sameFiles(t, "null author", readDir(t, mdir), readDir(t, sdir))
}

// Between the items, which runs leave out, the first pass checks the JSON
// itself: what the whole parse refuses is not converted streamed either.
func TestStreamJSONInvalidBetweenItems(t *testing.T) {
	feed := bigJSONFeed(300, 4000)
	first := strings.Index(feed, "},\n  {")
	for name, bad := range map[string]string{
		"missing comma":  feed[:first+1] + " " + feed[first+2:],
		"colon":          feed[:first+1] + ":" + feed[first+2:],
		"junk":           feed[:first+2] + " junk," + feed[first+2:],
		"two commas":     feed[:first+2] + "," + feed[first+2:],
		"trailing comma": strings.Replace(feed, "}\n ],", "},\n ],", 1),
		"two items keys": strings.Replace(feed, `"home_page_url"`, `"items": 1, "home_page_url"`, 1),
	} {
		if bad == feed {
			t.Fatalf("%s: the feed is unchanged", name)
		}
		s, m, sdir, _ := convertJSONBoth(t, bad, nil)
		if name == "two items keys" {
			// encoding/json keeps the last: items is 1, not a feed.
			if s.Err == nil || m.Err == nil {
				t.Errorf("%s: streamed %v, in memory %v", name, s.Err, m.Err)
			}
			continue
		}
		if m.Err == nil {
			t.Fatalf("%s: converted in memory", name)
		}
		if s.Err == nil || !strings.Contains(s.Err.Error(), "cannot be streamed") || len(readDir(t, sdir)) != 0 {
			t.Errorf("%s: streamed %v, %d files", name, s.Err, len(readDir(t, sdir)))
		}
	}
}

// An escaped "items" key is items, as encoding/json reads it; an empty
// items array is a feed of no items; both as in memory.
func TestStreamJSONEscapedKeyAndEmpty(t *testing.T) {
	feed := strings.Replace(bigJSONFeed(300, 4000), `"items"`, `"it\u0065ms"`, 1)
	s, m, sdir, mdir := convertJSONBoth(t, feed, nil)
	if s.Err != nil || s.New != m.New || m.New == 0 {
		t.Fatalf("escaped key: streamed %d files (%v), in memory %d (%v)", s.New, s.Err, m.New, m.Err)
	}
	sameFiles(t, "escaped key", readDir(t, mdir), readDir(t, sdir))
	filler := strings.Repeat(" ", 200<<10)
	for _, items := range []string{"[]", "[1, null, \"x\"]"} {
		doc := `{"version": "https://jsonfeed.org/version/1.1", "title": "Empty",` + filler + `"items": ` + items + `}`
		s, m, _, _ := convertJSONBoth(t, doc, nil)
		if s.Err != nil || m.Err != nil || s.Items != 0 || m.Items != 0 || !slices.Equal(s.Notes, m.Notes) {
			t.Errorf("items %s: streamed %d items %v %q; in memory %d %v %q", items, s.Items, s.Err, s.Notes, m.Items, m.Err, m.Notes)
		}
	}
}

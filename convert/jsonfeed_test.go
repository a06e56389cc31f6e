package convert

import (
	"context"
	"errors"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A JSON Feed with a field of the wrong type in each item converts
// whole: each such field is coerced or dropped for its item alone.
func TestJSONFeedWrongTypes(t *testing.T) {
	feed := `{"version": "https://jsonfeed.org/version/1.1", "title": 42, "home_page_url": "https://ex.com/",
	 "author": "Alice", "authors": "bob",
	 "items": [
	  {"id": 1, "url": "https://ex.com/1", "title": "Tags as a string", "tags": "news", "content_html": "<p>one</p>"},
	  {"id": "2", "url": "https://ex.com/2", "title": "Authors as a string", "authors": "bob", "content_text": "two"},
	  {"id": "3", "url": "https://ex.com/3", "title": {"text": "an object"}, "summary": "Title was an object", "tags": ["a", 7, {"x": 1}, null]},
	  {"id": "4", "url": "https://ex.com/4", "title": true, "author": ["x"], "attachments": {"url": "https://ex.com/a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": "123"}},
	  "not an item",
	  {"id": "6", "url": "https://ex.com/6", "title": "Content as a number", "content_html": 6, "date_published": ["2026-01-01"]}
	 ]}`
	out := t.TempDir()
	res := convertBytes(t, out, feed, nil)
	if res.Failed() || res.New != 5 {
		t.Fatalf("%+v", res)
	}
	files := readDir(t, out)
	want := map[string]string{
		"tags-as-a-string.md":    "Tags as a string",
		"authors-as-a-string.md": "Authors as a string",
		"title-was-an-object.md": "Title was an object",
		"true.md":                "true",
		"content-as-a-number.md": "Content as a number",
	}
	for name, title := range want {
		m, body := frontmattertest.FrontMatter(t, files[name])
		if m["title"] != title {
			t.Errorf("%s: title %v, want %q (files %s)", name, m["title"], title, names(files))
		}
		if name == "content-as-a-number.md" && strings.TrimSpace(body) != "<div>6</div>" {
			t.Errorf("%s: body %q", name, body)
		}
	}
	for _, note := range []string{
		`the feed: "title" is a number, read as the string "42"`,
		`the feed: "authors" is a string, read as a list of one`,
		`item 1 (https://ex.com/1): "tags" is a string, read as a list of one`,
		`item 3 (https://ex.com/3): "title" is an object, not a string: dropped`,
		`item 3 (https://ex.com/3): a tag is an object, not a string: dropped`,
		`item 4 (https://ex.com/4): "author" holds an array, not an author: dropped`,
		`item 4 (https://ex.com/4): "attachments" is an object, read as a list of one`,
		`item 5 is a string, not an object: dropped`,
		`item 6 (https://ex.com/6): "date_published" is an array, not a string: dropped`,
	} {
		found := false
		for _, n := range res.Notes {
			found = found || n == note
		}
		if !found {
			t.Errorf("no note %q in %q", note, res.Notes)
		}
	}
}

func TestJSONNotAFeed(t *testing.T) {
	for doc, what := range map[string]string{
		`{"error":"rate limited"}`:        `a JSON object without items (its keys: "error")`,
		`{}`:                              `a JSON object without items (an empty object)`,
		`{"items": {"a": 1}}`:             `a JSON object whose "items" is an object, not an array`,
		`{"items": "none"}`:               `a JSON object whose "items" is a string, not an array`,
		`[{"items": []}]`:                 `a JSON document that is an array, not an object`,
		`{"a":1,"b":2,"c":3,"d":4,"e":5}`: `a JSON object without items (its keys: "a", "b", "c", "d", …)`,
	} {
		res := convertBytes(t, t.TempDir(), doc, nil)
		var nf *fetch.NotFeedError
		if !errors.As(res.Err, &nf) || nf.What != what {
			t.Errorf("%s: %v, want not a feed: %s", doc, res.Err, what)
		}
	}
	// An empty list of items is a feed with nothing in it yet.
	if res := convertBytes(t, t.TempDir(), `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, nil); res.Err != nil {
		t.Errorf("empty feed: %v", res.Err)
	}
}

// encoding/json matches keys in any letter case, so the checks must too;
// and text after the document (a server's warning) does not fail it.
func TestJSONFeedKeyCaseAndTrailingText(t *testing.T) {
	out := t.TempDir()
	res := convertBytes(t, out, `{"ITEMS":[{"Url":"https://ex.com/1","title":"One","TAGS":"x","tags":["kept"]},{"url":"https://ex.com/2","Title":"Two","Tags":"news"}]}
<b>Warning</b>: something on line 3`, nil)
	if res.Failed() || res.New != 2 {
		t.Fatalf("%+v", res)
	}
	files := readDir(t, out)
	if m, _ := frontmattertest.FrontMatter(t, files["two.md"]); m["link"] != "https://ex.com/2" {
		t.Errorf("two.md: %v (files %s)", m, names(files))
	}
	want := []string{"35 bytes after the JSON document: ignored", `item 2 (https://ex.com/2): "tags" is a string, read as a list of one`}
	if strings.Join(res.Notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes %q, want %q", res.Notes, want)
	}
}

// The notes of a lenient reading come whichever way the document is
// read: a JSON Feed larger than the in-memory limit too.
func TestJSONFeedNotesStreamed(t *testing.T) {
	withMemMax(t, 64<<10)
	var b strings.Builder
	b.WriteString(`{"version": "https://jsonfeed.org/version/1.1", "items": [`)
	for i := 0; i < 300; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": "%d", "url": "https://ex.com/%d", "title": %d, "content_html": "<p>%s</p>"}`, i, i, i, strings.Repeat("x", 300))
	}
	b.WriteString("]}")
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestConverter(t, t.TempDir(), nil)
	src, _ := fetch.ParseSource(path)
	res := c.Convert(context.Background(), src)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if res.Failed() || res.New != 300 || len(res.Notes) != 300 {
		t.Fatalf("new %d, %d notes: %v", res.New, len(res.Notes), res.Err)
	}
}

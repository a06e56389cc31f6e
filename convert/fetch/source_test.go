package fetch

import (
	"reflect"
	"testing"
)

func TestLabels(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"short forms", []string{"https://example.com/", "https://example.com/blog/feed.xml", "feeds/a.xml", "-"},
			[]string{"example.com", "example.com/blog/feed.xml", "feeds/a.xml", "stdin"}},
		{"one host, several paths", []string{"http://127.0.0.1:8080/a.xml", "http://127.0.0.1:8080/b.xml", "http://127.0.0.1:8080/c/"},
			[]string{"127.0.0.1:8080/a.xml", "127.0.0.1:8080/b.xml", "127.0.0.1:8080/c/"}},
		{"same path, queries differ", []string{"https://e.test/feed?id=1", "https://e.test/feed?id=2", "https://e.test/other?id=1"},
			[]string{"e.test/feed?id=1", "e.test/feed?id=2", "e.test/other"}},
		{"schemes differ", []string{"http://e.test/feed", "https://e.test/feed"},
			[]string{"http://e.test/feed", "https://e.test/feed"}},
		{"files of one name in several folders", []string{"a/feed.xml", "b/feed.xml", "feed.xml"},
			[]string{"a/feed.xml", "b/feed.xml", "feed.xml"}},
		{"a feed given twice", []string{"feed.xml", "https://e.test/x", "feed.xml", "https://e.test/x", "feed.xml"},
			[]string{"feed.xml", "e.test/x", "feed.xml (2)", "e.test/x (2)", "feed.xml (3)"}},
		{"a file named like a URL's label", []string{"e.test/feed", "https://e.test/feed"},
			[]string{"e.test/feed", "https://e.test/feed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var srcs []Source
			for _, a := range c.args {
				s, err := ParseSource(a)
				if err != nil {
					t.Fatal(err)
				}
				srcs = append(srcs, s)
			}
			if got := Labels(srcs); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Labels(%q)\n got %q\nwant %q", c.args, got, c.want)
			}
		})
	}
}

func TestParseSourceKinds(t *testing.T) {
	for arg, want := range map[string]string{
		"https://e.test/f":      "url",
		"feed://e.test/f":       "url",
		"feed:https://e.test/f": "url",
		"-":                     "stdin",
		"dir/f.xml":             "file",
		"ftp://e.test/f":        "error",
		"file:///x":             "error",
		"https:///nohost":       "error",
		"  ":                    "error",
	} {
		s, err := ParseSource(arg)
		got := "file"
		switch {
		case err != nil:
			got = "error"
		case s.URL != nil:
			got = "url"
		case s.Stdin:
			got = "stdin"
		}
		if got != want {
			t.Errorf("ParseSource(%q): %s (err %v), want %s", arg, got, err, want)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// exampleConfig is the -config file of issue 22.
const exampleConfig = `[defaults]                       # any option that shapes a feed's output
output = "content/posts"
body = "markdown"

[[feed]]
url = "https://blog.example/feed.xml"
output = "content/blog"
category = ["Blog"]
tags = "feed"
fulltext = true

[[feed]]
url = "https://private.example/feed"
headers = { Authorization = "Bearer ${FEED_TOKEN}" }
prune = "30d"
`

// writeConfig writes text to a file feeds.toml of a new folder and
// returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "feeds.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigExample(t *testing.T) {
	path := writeConfig(t, exampleConfig)
	feeds, err := loadConfig(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path) // relative paths of the file are its folder's
	if len(feeds) != 2 {
		t.Fatalf("%d feeds, want 2", len(feeds))
	}
	blog, private := feeds[0], feeds[1]
	if blog.url != "https://blog.example/feed.xml" || blog.line != 5 || private.url != "https://private.example/feed" || private.line != 12 {
		t.Errorf("urls and lines: %q %d, %q %d", blog.url, blog.line, private.url, private.line)
	}
	if blog.cfg.output != filepath.Join(dir, "content/blog") || private.cfg.output != filepath.Join(dir, "content/posts") {
		t.Errorf("outputs %q, %q", blog.cfg.output, private.cfg.output)
	}
	if blog.cfg.body != "markdown" || private.cfg.body != "markdown" {
		t.Errorf("bodies %q, %q: want markdown from [defaults]", blog.cfg.body, private.cfg.body)
	}
	if !reflect.DeepEqual(blog.cfg.categories, []string{"Blog"}) || private.cfg.categories != nil {
		t.Errorf("categories %q, %q", blog.cfg.categories, private.cfg.categories)
	}
	if blog.cfg.tags != "feed" || !blog.cfg.fulltext || private.cfg.fulltext || private.cfg.tags != "" {
		t.Errorf("tags %q fulltext %v; second feed tags %q fulltext %v", blog.cfg.tags, blog.cfg.fulltext, private.cfg.tags, private.cfg.fulltext)
	}
	if private.cfg.prune != 30*24*time.Hour || blog.cfg.prune != 0 {
		t.Errorf("prune %v, %v", blog.cfg.prune, private.cfg.prune)
	}
	if len(blog.headers) != 0 || !reflect.DeepEqual(private.headers, map[string]string{"Authorization": "Bearer ${FEED_TOKEN}"}) {
		t.Errorf("headers %q, %q", blog.headers, private.headers)
	}
	// Flags the file does not give keep their defaults.
	if blog.cfg.maxTags != 5 || blog.cfg.maxSize != 32<<20 || blog.cfg.timeout != 30*time.Second {
		t.Errorf("defaults lost: max-tags %d max-size %d timeout %v", blog.cfg.maxTags, blog.cfg.maxSize, blog.cfg.timeout)
	}
}

func TestConfigValues(t *testing.T) {
	feeds, err := loadConfig(writeConfig(t, `[defaults]
date_format = "rfc3339"
max-image-size = 1024
[defaults.headers]
User-Agent = "me"
X-Both = "default"

[[feed]]
url = "feed.xml"
since = 2026-01-02
max_size = "1MiB"
limit = 1_000
category = "One"
headers.x-both = "feed"
[feed.headers]
X-Table = "t"
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := feeds[0].cfg
	if c.dateFormat != "rfc3339" || c.maxImageSize != 1024 || c.since != "2026-01-02" || c.maxSize != 1<<20 || !c.maxSizeSet ||
		c.limit != 1000 || !reflect.DeepEqual(c.categories, []string{"One"}) {
		t.Errorf("config %+v", c)
	}
	want := map[string]string{"User-Agent": "me", "x-both": "feed", "X-Table": "t"}
	if !reflect.DeepEqual(feeds[0].headers, want) {
		t.Errorf("headers %q, want %q", feeds[0].headers, want)
	}
}

func TestConfigPrecedence(t *testing.T) {
	for _, tc := range []struct {
		name           string
		defaults, feed string
		cmdline        []string
		limit          int
		categories     []string
		output         string
	}{
		{"flag defaults", "", "", nil, 0, nil, "."},
		{"[defaults]", "limit = 5\ncategory = [\"A\", \"B\"]\noutput = \"d\"", "", nil, 5, []string{"A", "B"}, "d"},
		{"feed over [defaults]", "limit = 5\ncategory = [\"A\", \"B\"]\noutput = \"d\"", "limit = 7\ncategory = [\"C\"]", nil, 7, []string{"C"}, "d"},
		{"command line over all", "limit = 5\ncategory = [\"A\", \"B\"]\noutput = \"d\"", "limit = 7\ncategory = [\"C\"]\noutput = \"f\"",
			[]string{"-limit", "9", "-category", "D", "-o", "cmd"}, 9, []string{"D"}, "cmd"},
		{"-config is no override", "limit = 5", "", []string{"-config", "x.toml", "--config=y.toml", "-o", "-config", "-draft", "-config=z"}, 5, nil, "-config"},
		{"empty list replaces", "category = [\"A\"]", "category = []", nil, 0, []string{}, "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := "[defaults]\n" + tc.defaults + "\n[[feed]]\nurl = \"u\"\n" + tc.feed + "\n"
			path := writeConfig(t, text)
			feeds, err := loadConfig(path, tc.cmdline)
			if err != nil {
				t.Fatal(err)
			}
			if tc.output == "d" { // the file's, relative to its folder; the command line's stay as given
				tc.output = filepath.Join(filepath.Dir(path), "d")
			}
			c := feeds[0].cfg
			if c.limit != tc.limit || c.output != tc.output || len(c.categories) != len(tc.categories) ||
				len(c.categories) > 0 && !reflect.DeepEqual(c.categories, tc.categories) {
				t.Errorf("limit %d output %q categories %q; want %d %q %q", c.limit, c.output, c.categories, tc.limit, tc.output, tc.categories)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	const feed = "[[feed]]\nurl = \"u\"\n"
	for _, tc := range []struct {
		name, text string
		cmdline    []string
		want       string // after "PATH:"
	}{
		{"unknown key", feed + "outptu = \"x\"", nil, `3: outptu: unknown key: did you mean output?`},
		{"unknown key, no suggestion", feed + "colour = \"x\"", nil, `3: colour: unknown key`},
		{"short flag", feed + "o = \"x\"", nil, `3: o: unknown key`},
		{"dotted key", feed + "body.x = \"x\"", nil, `3: body.x: unknown key: did you mean body?`},
		{"bool type", feed + "fulltext = \"yes\"", nil, `3: fulltext: want true or false, got a string`},
		{"int type", feed + "limit = \"5\"", nil, `3: limit: want an integer, got a string`},
		{"string type", feed + "body = true", nil, `3: body: want a string, got a boolean`},
		{"size type", feed + "max-size = 1.5", nil, `3: max-size: want a size, a string such as "32MiB" or an integer of bytes, got a float`},
		{"category type", feed + "category = 3", nil, `3: category: want a string or an array of strings, got an integer`},
		{"category element", feed + "category = [\"a\", 1]", nil, `3: category: want a string or an array of strings, got an integer in the array`},
		{"bad body", feed + "body = \"pdf\"", nil, `3: body: "pdf": use html or markdown`},
		{"bad since", feed + "since = 2026-01-02T10:00:00", nil, `3: since: "2026-01-02T10:00:00": give a date (2026-01-02) or a duration (72h, 7d)`},
		{"negative size", feed + "max-size = \"-5\"", nil, `3: max-size: a size cannot be negative: give one such as 32MiB`},
		{"negative size integer", feed + "max_page_size = -5", nil, `3: max_page_size: a size cannot be negative: give one such as 32MiB`},
		{"negative limit", feed + "limit = -1", nil, `3: limit: must be 0 or more`},
		{"bad age", feed + "prune = \"soon\"", nil, `3: prune: "soon" is not an age such as 30d or 72h`},
		{"bad mode", feed + "images = \"all\"", nil, `3: images: use link or download`},
		{"bad category", feed + "category = [\" \"]", nil, `3: category: empty category`},
		{"bad [defaults] value", "[defaults]\nbody = \"pdf\"\n" + feed, nil, `2: body: "pdf": use html or markdown`},
		{"feed without url", "[[feed]]\noutput = \"x\"\n", nil, `1: [[feed]] has no url: give url = "https://…" or a path`},
		{"url type", "[[feed]]\nurl = 1\n", nil, `2: url: want a string, got an integer`},
		{"url empty", "[[feed]]\nurl = \" \"\n", nil, `2: url: empty: give the feed's URL or path`},
		{"url in [defaults]", "[defaults]\nurl = \"u\"\n" + feed, nil, `2: url: only a [[feed]] has a url`},
		{"no feed", "[defaults]\nbody = \"html\"\n", nil, `1: no [[feed]]: give at least one, with its url`},
		{"unknown table", feed + "[site]\n", nil, `3: unknown table [site]: use [defaults] or [[feed]]`},
		{"unknown array table", feed + "[[feeds]]\n", nil, `3: unknown table [[feeds]]: use [defaults] or [[feed]]`},
		{"[[defaults]] table", "[[defaults]]\n" + feed, nil, `1: unknown table [[defaults]]: use [defaults] or [[feed]]`},
		{"[feed] table", "[feed]\nurl = \"u\"\n", nil, `1: unknown table [feed]: write [[feed]], one for each feed`},
		{"[defaults] twice", "[defaults]\n[defaults]\n" + feed, nil, `2: [defaults] given twice (first on line 1)`},
		{"key outside", "output = \"x\"\n" + feed, nil, `1: output: a key outside [defaults] and [[feed]]`},
		{"key twice", feed + "date-format = \"date\"\ndate_format = \"rfc3339\"", nil, `4: date_format: given twice (first on line 3)`},
		{"syntax error", feed + "output = \n", nil, `3: syntax error: unexpected character U+000A at start of value`},
		{"syntax error mid-file", feed + "output \"x\"\nbody = \"html\"\n", nil, `3: syntax error: expected '=' after key`},
		{"header type", feed + "headers = { Authorization = 5 }", nil, `3: headers: Authorization: want a string, got an integer`},
		{"headers type", feed + "headers = \"s3cret\"", nil, `3: headers: want a table such as { Authorization = "Bearer ${TOKEN}" }, got a string`},
		{"header name", feed + "headers = { \"Bad Name\" = \"s3cret\" }", nil, `3: headers: "Bad Name" is not a header name`},
		{"header line break", feed + "headers = { X-Key = \"s3cret\\nmore\" }", nil, `3: headers: X-Key: the value has a line break or a NUL byte`},
		{"header twice", feed + "headers = { Authorization = \"s3cret\" }\nheaders.authorization = \"s3cret\"", nil, `4: headers: authorization: given twice (first on line 3)`},
		{"flag error on the feed", "[[feed]]\nurl = \"https://me:s3cret@x.example/f\"\n", []string{"-q", "-v"},
			`1: feed https://x.example/f: -q and -v cannot go together: -q prints errors only, -v every file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			_, err := loadConfig(path, tc.cmdline)
			if err == nil {
				t.Fatal("no error")
			}
			if want := path + ":" + tc.want; err.Error() != want {
				t.Errorf("error\n %s\nwant\n %s", err, want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error spans lines or shows a secret: %q", err)
			}
		})
	}
}

func TestConfigCommandLineErrors(t *testing.T) {
	path := writeConfig(t, "[[feed]]\nurl = \"u\"\n")
	_, err := loadConfig(path, []string{"-limt", "3"})
	if err == nil || err.Error() != "unknown flag -limt: did you mean -limit?" {
		t.Errorf("mistyped flag: %v", err)
	}
	_, err = loadConfig(filepath.Join(t.TempDir(), "none.toml"), nil)
	if err == nil || !strings.HasPrefix(err.Error(), "-config: open ") {
		t.Errorf("missing file: %v", err)
	}
}

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"TOKEN": "s3cret", "USER_1": "me", "EMPTY": ""}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	for _, tc := range []struct{ in, want, err string }{
		{"Bearer ${TOKEN}", "Bearer s3cret", ""},
		{"${USER_1}:${TOKEN}", "me:s3cret", ""},
		{"a${EMPTY}b", "ab", ""},
		{"$TOKEN and $ alone, $$ and a$", "$TOKEN and $ alone, $$ and a$", ""},
		{"$${TOKEN}", "$${TOKEN}", ""},
		{"${TOKEN:-x} ${1X} ${} ${TOKEN", "${TOKEN:-x} ${1X} ${} ${TOKEN", ""},
		{"x ${MISSING} ${TOKEN}", "", "${MISSING}: environment variable MISSING is not set"},
		{"${TOKEN}${NOPE}", "", "${NOPE}: environment variable NOPE is not set"},
	} {
		got, err := expandEnv(tc.in, lookup)
		switch {
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("expandEnv(%q) error %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("expandEnv(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("expandEnv(%q) error shows a value: %v", tc.in, err)
		}
	}
}

// TestConfigDocsExamples: every whole configuration the README and
// docs/config.md show loads (a block with a [[feed]]; the one-line
// headers example of docs/config.md is a fragment).
func TestConfigDocsExamples(t *testing.T) {
	n := 0
	for _, doc := range []string{"README.md", "docs/config.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, block := range strings.Split(string(data), "```toml\n")[1:] {
			block, _, _ = strings.Cut(block, "```")
			if !strings.Contains(block, "[[feed]]") {
				continue
			}
			n++
			if _, err := loadConfig(writeConfig(t, block), nil); err != nil {
				t.Errorf("%s, example %d: %v", doc, i+1, err)
			}
		}
	}
	if n < 2 {
		t.Errorf("%d examples found, want the README's and docs/config.md's", n)
	}
}

// TestSiteFolderBundleImplied: -images download implies bundles, so a
// feed that also says bundle = true shares the folder of one that does
// not; bundles and not, in one folder, are refused.
func TestSiteFolderBundleImplied(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{"[defaults]\noutput = \"out\"\nimages = \"download\"\n[[feed]]\nurl = \"a.xml\"\n[[feed]]\nurl = \"b.xml\"\nbundle = true\n", true},
		{"[defaults]\noutput = \"out\"\n[[feed]]\nurl = \"a.xml\"\n[[feed]]\nurl = \"b.xml\"\nbundle = true\n", false},
	} {
		path := filepath.Join(dir, "feeds.toml")
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := loadSite(path, nil)
		if (err == nil) != c.ok {
			t.Errorf("%q: error %v, want ok=%t", c.text, err, c.ok)
		}
	}
}

// TestSiteFolderThroughLink: two outputs that name one folder (one
// through a symbolic link) are one folder of the site: one Converter,
// not two of which the second waits on the first's lock and fails.
func TestSiteFolderThroughLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("out", filepath.Join(dir, "link")); err != nil {
		t.Fatalf("no symbolic links here: %v", err)
	}
	path := filepath.Join(dir, "feeds.toml")
	text := "[[feed]]\nurl = \"a.xml\"\noutput = \"out\"\n[[feed]]\nurl = \"b.xml\"\noutput = \"link\"\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := loadSite(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.folders) != 1 {
		t.Errorf("%d folders, want 1: %v", len(st.folders), st.folders)
	}
}

package convert

import (
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"net/url"
	"path"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
	"unicode/utf8"
)

// TestTerm: FORMAT.md's rule for terms, case by case. Each want was
// worked out by hand from the rule and from what Hugo 0.111 did with the
// category in a real build (TestHugoTerms builds most of them).
func TestTerm(t *testing.T) {
	long := strings.Repeat("é", 80) // 160 bytes
	for _, c := range []struct{ in, want, why string }{
		{"Travel", "Travel", "case kept (Hugo lowercases the path itself)"},
		{"Go &amp; <b>Hugo</b>", "Go & Hugo", "plain text"},
		{"news/world", "news-world", "a slash would make a nested page"},
		{`a\b`, "a-b", "a backslash is a separator on Windows"},
		{"a/../../b", "a-..-..-b", "one segment: nothing climbs"},
		{"..", "", "no letter or digit: Hugo stops with missing taxonomy"},
		{".", "", "no letter or digit: the taxonomy's own folder"},
		{"/", "", "no letter or digit"},
		{`\..\`, "", "no letter or digit"},
		{" ", "", "empty"},
		{"#", "", "no letter or digit"},
		{"😀🎉", "", "emoji only: Hugo removes symbols, nothing is left"},
		{"..\u200b", "", "Hugo removes the zero-width space: \"..\""},
		{"%2e%2e", "", "a browser reads %2e%2e as .."},
		{"%2E%2E", "", "upper-case escapes too"},
		{"%2e", "", "a browser reads %2e as ."},
		{"..%2f..", "", "../.. once decoded"},
		{"a%2f..", "", "a/.. once decoded: .. climbs"},
		{"%2f", "", "/ once decoded: empty segments"},
		{"%252e%252e", "", ".. once decoded twice"},
		{"..#x", "", "the link /tags/..#x/ is /tags/.. to a browser"},
		{"c#", "c#", "a fragment after a name keeps the link under tags/"},
		{"index.html", "", "the taxonomy's own list page: Hugo stops, public/tags/index.html is not a directory"},
		{"Index.XML", "", "the taxonomy's feed once Hugo lowercases it: Hugo stops, public/tags/index.xml is a directory"},
		{"index.json", "", "a taxonomy's JSON output, where a site adds one"},
		{"index%2ehtml", "", "index.html once decoded"},
		{"index", "index", "a name: tags/index/ is a folder beside tags/index.html"},
		{"index-html", "index-html", "no dot, no clash"},
		{"my index.html", "my index.html", "Hugo makes my-index.html"},
		{"x %2e%2e", "x %2e%2e", "x-.. is one segment"},
		{"%2e%2ex", "%2e%2ex", "..x is a name, not a climb"},
		{"%41", "%41", "decodes to A"},
		{". a", ". a", "Hugo makes .-a"},
		{"C++", "C++", "punctuation Hugo keeps"},
		{"日本語", "日本語", "letters of any script"},
		{"2026", "2026", "digits"},
		{long, strings.Repeat("é", 50), "cut at 100 bytes between runes"},
		{strings.Repeat("a", 98) + "%2e", strings.Repeat("a", 98) + "%2", "the cut comes first; %2 is no escape"},
		{"a\xffb", "a\uFFFDb", "invalid UTF-8 replaced"},
	} {
		if got := frontmatter.Term(c.in); got != c.want {
			t.Errorf("Term(%q) = %q, want %q (%s)", c.in, got, c.want, c.why)
		}
	}
}

// TestHugoTermPath: the model of Hugo's path for a term (read from
// Hugo's helpers.UnicodeSanitize), on cases whose folders were seen in
// real Hugo 0.111 builds (the first ten or so; the rest follow from the
// same code). TestHugoTerms holds the model to every term it builds.
func TestHugoTermPath(t *testing.T) {
	for in, want := range map[string]string{
		"%2E%2E":   "%2e%2e",
		"..%2f..":  "..%2f..",
		`\..\`:     `\..\`,
		"a?b":      "ab",
		"a#b":      "a#b",
		"%zz":      "zz",
		"%":        "",
		"x y":      "x-y",
		". .":      ".-.",
		"a - b":    "a-b",
		"a  b":     "a-b",
		"  a":      "a",
		"a ":       "a",
		"@_~+":     "@_~+",
		"😀":        "",
		"..\u200b": "..",
		"．．":       "",
		"Ünïcode":  "ünïcode",
	} {
		if got := frontmatter.HugoTermPath(in); got != want {
			t.Errorf("hugoTermPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFeedTagsDropsWhatMakesNoTerm(t *testing.T) {
	got := frontmatter.FeedTags([]string{"..", "Go", "%2e%2e", "GO", "a/b", "/", "A/B", "#", "c#"}, 5)
	if want := []string{"go", "a-b", "c#"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FeedTags = %q, want %q", got, want)
	}
}

func TestHostTerm(t *testing.T) {
	for in, want := range map[string]string{
		"https://Example.COM/feed": "example.com",
		"http://../x":              "",
		"http://./x":               "",
		"http://[::1]/x":           "::1",
		"not a url %":              "",
	} {
		if got := frontmatter.HostTerm(in); got != want {
			t.Errorf("hostTerm(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheckCategoryTerm: a -category that makes no term is a usage error
// that says why; one with a slash becomes its term.
func TestCheckCategoryTerm(t *testing.T) {
	for _, c := range []string{"..", ".", "/", "%2e%2e", "#", "😀", "..#x"} {
		o := &Options{Categories: []string{"ok", c}}
		err := o.Check()
		if err == nil || !strings.Contains(err.Error(), "makes no taxonomy term") {
			t.Errorf("-category %q: Check = %v, want a term error", c, err)
		}
	}
	out := t.TempDir()
	convertBytes(t, out, rss(item{title: "A", link: "https://e.test/a"}), func(o *Options) { o.Categories = []string{"News/World", "x"} })
	m, _ := frontmattertest.FrontMatter(t, readDir(t, out)["a.md"])
	if got := m["categories"]; !reflect.DeepEqual(got, []any{"News-World", "x"}) {
		t.Errorf("categories = %#v", got)
	}
}

// FuzzFeedTags holds every tag FeedTags makes to the rule's invariants,
// checked a second way: the page Hugo writes (public/tags/<path>/) and
// the link to it, cleaned as a browser and a server read it, stay one
// level below tags/.
func FuzzFeedTags(f *testing.F) {
	for _, s := range []string{"..", ".", "/", "a/../../b", "%2e%2e", "..%2f..", `\..\`, " ", "#", "😀",
		"..\u200b", "%252e%252e", "..#x", "c#", "x %2e%2e", ". .", "a\xff", strings.Repeat("é", 80), "Go &amp; <b>Hugo</b>"} {
		f.Add(s, "b")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, tag := range frontmatter.FeedTags([]string{a, b}, 5) {
			checkTermInvariants(t, tag)
		}
		if c := frontmatter.Term(a); c != "" {
			checkTermInvariants(t, c)
		}
	})
}

func checkTermInvariants(t *testing.T, tag string) {
	t.Helper()
	switch {
	case !utf8.ValidString(tag):
		t.Fatalf("term %q is not UTF-8", tag)
	case len(tag) > frontmatter.MaxNameBytes:
		t.Fatalf("term %q has %d bytes", tag, len(tag))
	case strings.ContainsAny(tag, `/\`):
		t.Fatalf("term %q holds a separator", tag)
	case !strings.ContainsFunc(tag, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		t.Fatalf("term %q has no letter or digit", tag)
	}
	p := frontmatter.HugoTermPath(tag)
	// On disk: public/tags/<p>/index.html, one folder below tags/.
	if disk := path.Clean("/tags/" + strings.ReplaceAll(p, `\`, "/")); path.Dir(disk) != "/tags" {
		t.Fatalf("term %q: Hugo writes %s", tag, disk)
	}
	// The link, as a browser reads it: up to '#', decoded (repeatedly, as
	// a server behind a proxy may), backslashes as slashes; it must stay
	// below tags/ (a decoded %2f may nest, never climb).
	link, _, _ := strings.Cut("/tags/"+p+"/", "#")
	for i := 0; i < 4; i++ {
		if u, err := url.PathUnescape(link); err == nil {
			link = u
		}
	}
	if c := path.Clean(strings.ReplaceAll(link, `\`, "/")); !strings.HasPrefix(c, "/tags/") {
		t.Fatalf("term %q: the link %q is read as %s", tag, "/tags/"+p+"/", c)
	}
}

// TestTermsTemplateFunc: a -template writing the item's own categories
// as a taxonomy gets terms through "terms".
func TestTermsTemplateFunc(t *testing.T) {
	if got, want := frontmatter.Terms([]string{"..", "Go", "a/b", "%2e%2e", "Go", " ", "go"}), []string{"Go", "a-b", "go"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	tmpl, err := frontmatter.ParseTemplate(fstest.MapFS{"t.tmpl": {Data: []byte("---\ntitle: {{dq .Title}}\ncategories:{{range terms .ItemCategories}}\n- {{dq .}}{{end}}\n---\n")}}, "t.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, &frontmatter.FrontMatter{Title: "T", ItemCategories: []string{"..", "News/World", "/"}}); err != nil {
		t.Fatal(err)
	}
	if want := "---\ntitle: \"T\"\ncategories:\n- \"News-World\"\n---\n"; b.String() != want {
		t.Errorf("template wrote %q, want %q", b.String(), want)
	}
}

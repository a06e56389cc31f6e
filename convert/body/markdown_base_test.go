package body

import (
	"bytes"
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"golang.org/x/net/html"
)

// libraryTrim is base's postRenderTrimContent of html-to-markdown v2.5.2
// with its internal textutils.TrimConsecutiveNewlines and
// TrimUnnecessaryHardLineBreaks copied as they are: the oracle trimNewlines
// must match (its package is internal, so it cannot be called).
func libraryTrim(result []byte) []byte {
	result = bytes.TrimSpace(result)
	var out []byte
	newlineCount := 0
	spaceBuffer := []byte{}
	for i := 0; i < len(result); {
		r, size := utf8.DecodeRune(result[i:])
		if r == '\n' {
			newlineCount++
			if newlineCount <= 2 {
				out = append(out, spaceBuffer...)
				out = append(out, '\n')
				spaceBuffer = spaceBuffer[:0]
			} else {
				spaceBuffer = spaceBuffer[:0]
			}
		} else if r == ' ' {
			spaceBuffer = append(spaceBuffer, result[i:i+size]...)
		} else {
			newlineCount = 0
			out = append(out, spaceBuffer...)
			out = append(out, result[i:i+size]...)
			spaceBuffer = spaceBuffer[:0]
		}
		i += size
	}
	out = append(out, spaceBuffer...)
	out = bytes.ReplaceAll(out, []byte("  \n\n"), []byte("\n\n"))
	out = bytes.ReplaceAll(out, []byte("  \n  \n"), []byte("\n\n"))
	out = bytes.ReplaceAll(out, []byte("  \n \n"), []byte("\n\n"))
	return out
}

// trimCases are inputs of the trim step and what the library makes of
// them, worked out by hand from its code.
var trimCases = []struct{ in, want string }{
	{"", ""},
	{" \n\t ", ""},
	{"a", "a"},
	{"  a  ", "a"},
	{"\u00a0a\u3000", "a"},
	{"a\nb", "a\nb"},
	{"a  \nb", "a  \nb"},     // a hard line break stays
	{"a\n\nb", "a\n\nb"},     //
	{"a\n\n\n\nb", "a\n\nb"}, // runs of newlines: two
	{"a \n \n \n \nb", "a \n \nb"},
	{"a \n \n \n  b", "a \n \n  b"}, // the spaces before the third newline on go
	{"a  \n\nb", "a\n\nb"},          // "  \n\n"
	{"a    \n\nb", "a  \n\nb"},      // replaced once, not again
	{"a  \n  \nb", "a\n\nb"},        // "  \n  \n"
	{"a  \n \nb", "a\n\nb"},         // "  \n \n"
	{"a  \n   \nb", "a  \n   \nb"},
	{"a \n\nb", "a \n\nb"},
	{"a  \n\n\n  \n  b", "a\n\n  b"},             // trimmed to "a  \n\n  b" first
	{"a  \n \n\n\n  b", "a\n\n  b"},              // to "a  \n \n  b"
	{"a   \n  \n \n x", "a \n\n x"},              // to "a   \n  \n x"
	{"a\n\n\nb\n\n\nc", "a\n\nb\n\nc"},           //
	{"a  \n\nb  \n\nc", "a\n\nb\n\nc"},           //
	{"a  \n\n  \n\nb", "a\n\nb"},                 // to "a  \n\nb"
	{"x  ", "x"},                                 //
	{"x \ty  \n\n\tz", "x \ty\n\n\tz"},           // a tab is not a space
	{"é  \n\n\n😀", "é\n\n😀"},                     // non-ASCII
	{"\xe2  \n\n\n\xff\x80", "\xe2\n\n\xff\x80"}, // invalid UTF-8 is kept
	{"\xe2\n\n\n\xa0", "\xe2\n\n\xa0"},           // a newline inside a broken rune
	{"a\x00  \n\n\x00b", "a\x00\n\n\x00b"},       // NUL
	{"a\r\n\r\n\r\nb", "a\r\n\r\n\r\nb"},         // a CR is another character
}

func TestTrimNewlines(t *testing.T) {
	for _, c := range trimCases {
		got := string(trimNewlines(bytes.TrimSpace([]byte(c.in))))
		if got != c.want {
			t.Errorf("trimNewlines(%q) = %q, want %q", c.in, got, c.want)
		}
		if lib := string(libraryTrim([]byte(c.in))); lib != c.want {
			t.Errorf("the library's trim of %q is %q, not %q: the oracle or the case is wrong", c.in, lib, c.want)
		}
	}
}

func FuzzTrimNewlines(f *testing.F) {
	for _, c := range trimCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want := libraryTrim(bytes.Clone(in))
		if got := postRenderTrim(nil, bytes.Clone(in)); !bytes.Equal(got, want) {
			t.Errorf("trim of %q = %q, want %q", in, got, want)
		}
	})
}

// baseCases are bodies whose Markdown has runs of newlines and spaces,
// hard line breaks, removed elements and the characters that are
// escaped, for the converters to agree on.
var baseCases = []string{
	"<pre>a\n\n\n\nb\n \n \n \nc  \n\n  d  \n  \n e  \n \n f    \n\ng</pre>",
	"<p>a<br><br><br><br>b</p><p>c <br> <br> <br> d</p><p>e<br>\n<br>\nf  </p>",
	"<p>one</p>\n\n\n<p>two</p><div><br></div><div>  </div><p>three<br></p>",
	"<p>a<script>x</script>b<!-- c -->d<style>e</style>f</p><head><meta x></head><noscript>n</noscript>",
	"<p>a <iframe src=x></iframe> b <input value=1> c <textarea>t</textarea> d <link rel=x> e</p>",
	"<ul><li>a<br><br></li><li><pre>x\n\n\n</pre></li></ul><blockquote><p>q<br><br>r</p></blockquote>",
	"<p>é  ü<br>😀 中文<br><br><br>ñ</p><pre>é  \n\n\nü</pre>",
	"<pre>\xe2\n\n\n\xa0 \xff  \n\n\x80</pre><p>\xc3 \xa9<br>\xed\xa0\x80</p>",
	"<p>a&#0;b</p><pre>c\x00  \n\n\nd</pre>",
	"<!DOCTYPE script><p>doctype</p>",
	"<table><tr><td>a<br><br>b</td><td><script>x</script>c</td></tr></table>",
	"<pre>trailing  </pre>  \n\n",
	"",
}

// stockBodies are the bodies compared: the cases here and of
// TestTextPluginMatchesLibrary, the hostile vectors, the testdata feeds'
// bodies and, when ../shared is there, every body of its corpus.
func stockBodies(t *testing.T) []string {
	bodies := append(append([]string{}, baseCases...), textCases...)
	bodies = append(bodies, bodytest.HostileVectors(t)...)
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.*"))
	for _, p := range paths {
		if feed := corpustest.ReadFeed(t, p); feed != nil {
			for _, it := range feed.Items {
				bodies = append(bodies, it.Content, it.Description)
			}
		}
	}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared")); err == nil {
		corpustest.XMLFeedBodies(t, func(content, description string) {
			bodies = append(bodies, content, description)
		}, filepath.Join(corpustest.SharedDir(t), "corpus"))
	} else {
		feedtest.SkipPart(t, "../shared is missing, so the corpus bodies are not compared")
	}
	return bodies
}

// basePairs are converters that must write the same Markdown: the
// library's plugins with basePlugin and with base, and the command's
// converter and the same one with base.
func basePairs() [][2]*converter.Converter {
	cmd := func(b converter.Plugin) *converter.Converter {
		return converter.NewConverter(converter.WithPlugins(append([]converter.Plugin{textPlugin{hugo: true}, hugoPlugin{}}, libraryPlugins(b)...)...))
	}
	return [][2]*converter.Converter{
		{converter.NewConverter(converter.WithPlugins(libraryPlugins(basePlugin{})...)), stockConverter()},
		{newMarkdownConverter(), cmd(base.NewBasePlugin())},
	}
}

// baseDiff converts body with each pair, sanitized and raw, and
// describes the first difference, or returns "".
func baseDiff(t testing.TB, pairs [][2]*converter.Converter, body string) string {
	for i, pair := range pairs {
		for _, sanitize := range []bool{true, false} {
			var md [2]string
			for j, conv := range pair {
				doc, err := html.Parse(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				sanitizeTree(doc, bodytest.Base, sanitize)
				out, err := conv.ConvertNode(doc)
				if err != nil {
					t.Fatal(err)
				}
				md[j] = string(out)
			}
			if md[0] != md[1] {
				return fmt.Sprintf("pair %d, sanitize %t:\n got %q\nwant %q", i, sanitize, md[0], md[1])
			}
		}
	}
	return ""
}

// TestBasePluginMatchesLibrary: basePlugin writes what the library's base
// writes, byte for byte, alone and in the command's converter.
func TestBasePluginMatchesLibrary(t *testing.T) {
	t.Parallel() // see TestMain
	compareBodies(t, basePairs(), stockBodies(t), 1000)
}

// compareBodies requires each pair of converters to write the same
// Markdown for every body (baseDiff), shows the first differences, and
// fails when fewer than least bodies were compared.
func compareBodies(t *testing.T, pairs [][2]*converter.Converter, bodies []string, least int) {
	differ := 0
	for _, body := range bodies {
		if d := baseDiff(t, pairs, body); d != "" {
			differ++
			if differ <= 5 {
				t.Errorf("body %.300q: %s", body, d)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d bodies differ", differ, len(bodies))
	}
	if len(bodies) < least {
		t.Errorf("only %d bodies compared", len(bodies))
	}
	t.Logf("%d bodies compared", len(bodies))
}

// TestBasePluginTrees: trees the parser does not build (a NUL in text,
// adjacent text nodes around a removed element, a removable root).
func TestBasePluginTrees(t *testing.T) {
	trees := []func() *html.Node{
		func() *html.Node {
			doc := &html.Node{Type: html.DocumentNode}
			p := &html.Node{Type: html.ElementNode, Data: "p"}
			doc.AppendChild(p)
			for _, n := range []*html.Node{
				{Type: html.TextNode, Data: "a\x00b  "},
				{Type: html.CommentNode, Data: "c"},
				{Type: html.TextNode, Data: "  d"},
				{Type: html.ElementNode, Data: "script"},
				{Type: html.TextNode, Data: "e * f"},
				{Type: html.ElementNode, Data: "br"},
				{Type: html.TextNode, Data: "g"},
			} {
				p.AppendChild(n)
			}
			return doc
		},
		func() *html.Node {
			root := &html.Node{Type: html.ElementNode, Data: "script"}
			root.AppendChild(&html.Node{Type: html.TextNode, Data: "x"})
			root.AppendChild(&html.Node{Type: html.TextNode, Data: "y"})
			return root
		},
	}
	for i, tree := range trees {
		for j, pair := range basePairs() {
			got, err1 := pair[0].ConvertNode(tree())
			want, err2 := pair[1].ConvertNode(tree())
			if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
				t.Errorf("tree %d, pair %d: got %q (%v), want %q (%v)", i, j, got, err1, want, err2)
			}
		}
	}
}

func FuzzBasePluginMatchesLibrary(f *testing.F) {
	for _, c := range append(append([]string{}, baseCases...), textCases...) {
		f.Add(c)
	}
	pairs := basePairs()
	f.Fuzz(func(t *testing.T, body string) {
		if d := baseDiff(t, pairs, body); d != "" {
			t.Errorf("body %q: %s", body, d)
		}
	})
}

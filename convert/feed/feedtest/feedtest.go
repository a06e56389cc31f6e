// Package feedtest holds what the tests and benchmarks of every stage
// need: Big, a generated RSS feed of any size whose bytes depend only on
// a seed; WriteFiles, a tree of files; SkipPart, which says that part of
// a test did not run (and fails in CI); SymlinkOrSkip. It is test support,
// like net/http/httptest; the command never imports it.
package feedtest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Words is the vocabulary of generated posts.
var Words = strings.Fields(`feed markdown hugo converter release performance memory parser
	server client network storage database cluster kernel compiler garbage collector benchmark
	latency throughput request response header cache index query schema migration deploy
	container service gateway router proxy balance tenant region replica shard stream event
	queue worker thread process signal channel buffer socket packet protocol handshake token`)

// Big builds a realistic RSS feed of n items, each with a unique title
// and link and an HTML body of about 5 KB: headings, paragraphs with
// links and emphasis, an image, a list, a quote and a code block. The same
// seed gives the same bytes.
func Big(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0))
	sentence := func(min, max int) string {
		k := min + r.IntN(max-min+1)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = Words[r.IntN(len(Words))]
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:]
	}
	var b strings.Builder
	b.Grow(n * 5600)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>A big blog</title><link>https://big.example.com/</link><description>Generated</description>
`)
	for i := 0; i < n; i++ {
		day := i % 28
		fmt.Fprintf(&b, "<item><title>%s, part %d</title>\n<link>https://big.example.com/%d/%s-%d/</link>\n<guid>https://big.example.com/?p=%d</guid>\n",
			sentence(4, 9), i, 2020+i%6, Words[i%len(Words)], i, i)
		fmt.Fprintf(&b, "<pubDate>%s, %02d Feb 2026 %02d:%02d:00 -0500</pubDate><dc:creator>Author %d</dc:creator>\n", "Mon", day+1, i%24, i%60, i%7)
		fmt.Fprintf(&b, "<description><![CDATA[%s.]]></description>\n<content:encoded><![CDATA[", sentence(15, 30))
		for size := 0; size < 5000; {
			var part string
			switch r.IntN(7) {
			case 0:
				part = fmt.Sprintf("<h2>%s</h2>\n", sentence(3, 6))
			case 1:
				part = fmt.Sprintf(`<p><img src="/uploads/%d/%d.jpg" alt="%s" width="800" height="450"></p>`+"\n", i, r.IntN(100), sentence(2, 4))
			case 2:
				part = fmt.Sprintf("<ul><li>%s</li><li>%s</li><li><em>%s</em></li></ul>\n", sentence(3, 8), sentence(3, 8), sentence(2, 5))
			case 3:
				part = fmt.Sprintf("<pre><code class=\"language-go\">func f%d() error {\n\treturn nil // %s\n}\n</code></pre>\n", r.IntN(1000), sentence(3, 6))
			case 4:
				part = fmt.Sprintf("<blockquote><p>%s.</p></blockquote>\n", sentence(10, 20))
			default:
				part = fmt.Sprintf(`<p>%s <a href="https://other.example.org/%s">%s</a> %s <strong>%s</strong> %s.</p>`+"\n",
					sentence(10, 25), Words[r.IntN(len(Words))], sentence(2, 4), sentence(8, 20), sentence(1, 3), sentence(5, 15))
			}
			b.WriteString(part)
			size += len(part)
		}
		b.WriteString("]]></content:encoded></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// SkipPart says that a part of a test did not run because what it needs
// (../shared beside the clone, a theme) is missing. Locally that is a
// log line (go test -v shows it); in CI (CI=true), where ../shared is
// always there, it fails the test, so that no check is narrowed silently.
func SkipPart(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Errorf("in CI, nothing may be skipped: "+format, args...)
		return
	}
	t.Logf("SKIPPED part: "+format, args...)
}

// WriteFiles writes each file of files (a path relative to dir, and its
// text) under dir, making the folders it needs.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// SymlinkOrSkip makes a symbolic link, skipping loudly where the system
// has none.
func SymlinkOrSkip(t testing.TB, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("SKIPPED: no symbolic links here: %v", err)
	}
}

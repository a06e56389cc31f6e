package body

import (
	"bytes"
	"feed2md/convert/body/bodytest"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
)

// BenchmarkBodyAlloc measures what the body stage allocates per real post:
// filterHTML alone (the tokenizer pass of HTML bodies) and the whole body
// stage in HTML mode (filterHTML, shortcodes, htmlBlock), over the real
// bodies of ../shared/corpus.
//
//	go test ./convert -run XXX -bench BodyAlloc -count 6
func BenchmarkBodyAlloc(b *testing.B) {
	bodies := corpustest.RealBodies(b)
	size := 0
	for _, s := range bodies {
		size += len(s)
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(bodies)), "ns/item")
		b.SetBytes(int64(size))
	}
	b.Run("filterHTML", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range bodies {
				filterHTML(s, bodytest.Base, true, true)
			}
		}
		report(b)
	})
	b.Run("body", func(b *testing.B) {
		c := NewMaker(false, false, 1)
		items := make([]*gofeed.Item, len(bodies))
		for i, s := range bodies {
			items[i] = &gofeed.Item{Content: s}
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, it := range items {
				if _, _, err := c.Make(it, bodytest.Base); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
}

// TestFilterHTMLSameAsBefore holds filterHTML, which reuses its tokenizer
// and buffers from call to call, to the output of the code it replaced
// (filterHTMLRef, which made everything anew for each body), byte for
// byte, with every combination of its flags, over the hostile vectors,
// every body of the corpus and the goldens' feeds, in one goroutine and in
// several at once.
func TestFilterHTMLSameAsBefore(t *testing.T) {
	t.Parallel() // see TestMain
	inputs := bodytest.HostileVectors(t)
	inputs = append(inputs, "", "<", "</", "a<", "a</", "<p>x</p><", "<IMG SRC=/A.png>", "<img src=\"/a\x00b\">", "<p\x00>x</p\x00>",
		"<DIV CLASS=A>x</DIV>", "<averyveryverylongelementname A=B>x</AVERYVERYVERYLONGELEMENTNAME>", "<x-Y z>x</X-y>",
		" \n x \n", "<p>{{< x >}}</p>", "{{% y", " <b>{{</b> ", "<div>}}</div>\n", "\u00a0<p>x</p>\u00a0", "<P>x</P>", "<pre>x</pre>")
	inputs = append(inputs, allFeedBodies(t)...)
	t.Logf("%d bodies", len(inputs))
	for _, in := range inputs {
		checkSameAsBefore(t, in)
	}
	// Several goroutines at once, each keeping every result until the end:
	// a result that shared a buffer given back would change under it.
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			var kept []string
			for i := g; i < len(inputs); i += 2 {
				got, img := filterHTML(inputs[i], bodytest.Base, true, true)
				kept = append(kept, got, img)
			}
			for k, i := 0, g; i < len(inputs); k, i = k+2, i+2 {
				want, wantImg := filterHTMLRef(inputs[i], bodytest.Base, true, true)
				if kept[k] != want || kept[k+1] != wantImg {
					t.Errorf("filterHTML(%q) kept as %q, %q; want %q, %q", inputs[i], kept[k], kept[k+1], want, wantImg)
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// FuzzFilterHTMLSameAsBefore is TestFilterHTMLSameAsBefore on any input.
func FuzzFilterHTMLSameAsBefore(f *testing.F) {
	for _, v := range []string{`<img src=x onerror=alert(1)>`, `<A HREF="/x" Title='a&amp;b'>x</A>`, "<p\n\n title=\"a\n\nb\">x</p>",
		`<img srcset="/a.png 1x, /b.png 2x" src=/c>`, `<p style="x:expression(1)">`, `<svg><script>x</script>`, "<pre>a\n\nb</pre><"} {
		f.Add(v)
	}
	for _, v := range []string{" <p>{{< x >}}</p> ", "\u00a0<b>x</b>", "<DIV>}}"} {
		f.Add(v)
	}
	f.Fuzz(checkSameAsBefore)
}

// checkSameAsBefore compares filterHTML with filterHTMLRef, and htmlBody
// with the steps of the body stage it replaced, on in.
func checkSameAsBefore(t *testing.T, in string) {
	for _, sanitize := range []bool{true, false} {
		for _, noBlank := range []bool{true, false} {
			got, gotImg := filterHTML(in, bodytest.Base, sanitize, noBlank)
			want, wantImg := filterHTMLRef(in, bodytest.Base, sanitize, noBlank)
			if got != want || gotImg != wantImg {
				t.Fatalf("filterHTML(%q, sanitize %v, noBlank %v)\n got %q, %q\nwant %q, %q", in, sanitize, noBlank, got, gotImg, want, wantImg)
			}
		}
		got, gotImg := htmlBody(in, bodytest.Base, sanitize)
		want, wantImg := filterHTMLRef(in, bodytest.Base, sanitize, true)
		if want = strings.TrimSpace(EscapeShortcodes(want, false)); want != "" {
			want = htmlBlock(want)
		}
		if got != want || gotImg != wantImg {
			t.Fatalf("htmlBody(%q, sanitize %v)\n got %q, %q\nwant %q, %q", in, sanitize, got, gotImg, want, wantImg)
		}
	}
}

// allFeedBodies returns the Content and Description of every item of the
// feeds of testdata and ../shared/corpus that parse, whatever their size.
func allFeedBodies(t testing.TB) []string {
	roots := []string{filepath.Join("..", "..", "testdata")}
	least := 20
	if corpus := filepath.Join("..", "..", "..", "shared", "corpus"); dirExists(corpus) {
		roots = append(roots, corpus)
		least = 1000
	} else {
		feedtest.SkipPart(t, "%s is missing: only testdata bodies are compared", corpus)
	}
	var bodies []string
	corpustest.XMLFeedBodies(t, func(content, description string) {
		for _, s := range []string{content, description} {
			if s != "" {
				bodies = append(bodies, s)
			}
		}
	}, roots...)
	if len(bodies) < least {
		t.Fatalf("only %d bodies in %v", len(bodies), roots)
	}
	return bodies
}

func dirExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// filterHTMLRef is filterHTML as it was before it reused its tokenizer and
// buffers (commit 4745d10), writing to a bytes.Buffer as blankLines now
// does: what filterHTML must still return.
func filterHTMLRef(s, base string, sanitize, noBlank bool) (string, string) {
	var out bytes.Buffer
	out.Grow(len(s) + len(s)/16)
	bl := blankLines{on: noBlank}
	z := html.NewTokenizer(strings.NewReader(s))
	drop := 0 // depth inside an element dropped with its content
	var dropName string
	var attrs []rawAttr
	var rawCopy []byte
	var firstImg string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			switch {
			case !sanitize:
				bl.write(&out, raw, tt == html.TextToken)
			case tt == html.TextToken && drop == 0:
				if bytes.IndexByte(raw, 0) >= 0 {
					raw = bytes.ReplaceAll(raw, []byte{0}, []byte("\uFFFD"))
				}
				bl.write(&out, raw, true)
			}
			continue
		}
		// TagName and TagAttr lowercase names inside the tokenizer's
		// buffer: keep the raw bytes first when they have capitals.
		if hasUpper(raw) {
			rawCopy = append(rawCopy[:0], raw...)
			raw = rawCopy
		}
		name, more := z.TagName()
		tag := string(name) // short names; interned by the runtime for small strings
		if tt == html.EndTagToken {
			switch {
			case !sanitize:
				bl.endTag(&out, tag, raw)
			case drop > 0:
				if tag == dropName {
					drop--
				}
			case allowedAttrs[tag] != nil:
				bl.endTag(&out, tag, raw)
			}
			continue
		}
		if sanitize {
			if drop > 0 {
				if tag == dropName && tt == html.StartTagToken {
					drop++
				}
				continue
			}
			if dropWithContent[tag] {
				// A browser ignores the slash of <iframe/> or <script/>
				// (only foreign elements such as <svg/> close themselves),
				// and so does the tokenizer: what follows is their raw
				// text, up to their end tag, and is dropped with them.
				if !voidElements[tag] && (tt == html.StartTagToken || !selfClosingHonoured[tag]) {
					drop, dropName = 1, tag
				}
				continue
			}
			if allowedAttrs[tag] == nil {
				continue // unwrapped: the tag goes, its content stays
			}
		}
		attrs = attrs[:0]
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			attrs = append(attrs, rawAttr{k, v})
		}
		src := writeTagRef(&out, tag, tt == html.SelfClosingTagToken, attrs, raw, base, sanitize, bl.on && hasBlankLine(raw))
		bl.startTag(tag, tt == html.SelfClosingTagToken, attrs)
		if firstImg == "" && tag == "img" {
			firstImg = src
		}
	}
	res := out.String()
	if sanitize && (strings.HasSuffix(res, "<") || strings.HasSuffix(res, "</")) {
		// Text that ends the input with "<" or "</": what follows the
		// Make on a page ("</div>", "</article>") would turn it into
		// markup ("</</div>" is a comment). Written &lt;, it stays text.
		i := strings.LastIndexByte(res, '<')
		res = res[:i] + "&lt;" + res[i+1:]
	}
	return res, firstImg
}

func writeTagRef(out *bytes.Buffer, tag string, selfClosing bool, attrs []rawAttr, raw []byte, base string, sanitize, rebuild bool) (src string) {
	allowed := allowedAttrs[tag]
	changed := rebuild
	type kept struct {
		key string
		val string
	}
	var keep []kept
	for _, a := range attrs {
		key := string(a.key)
		if sanitize && !globalAttrs[key] && !allowed[key] {
			changed = true
			continue
		}
		val, ok := keepAttr(tag, key, string(a.val), base, sanitize)
		if !ok {
			changed = true
			continue
		}
		if val != string(a.val) {
			changed = true
		}
		keep = append(keep, kept{key, val})
		if key == "src" && src == "" {
			src = val
		}
	}
	if !changed {
		out.Write(raw)
		return src
	}
	out.WriteByte('<')
	out.WriteString(tag)
	for _, a := range keep {
		out.WriteByte(' ')
		out.WriteString(a.key)
		out.WriteString(`="`)
		out.WriteString(escapeAttr(a.val))
		out.WriteByte('"')
	}
	if selfClosing {
		out.WriteString(" /")
	}
	out.WriteByte('>')
	return src
}

// FuzzURLChecksSameAsBefore holds urlScheme, dangerousStyle and fixSrcset,
// which now read the common cases without allocating, to the code they
// replaced (urlSchemeRef, dangerousStyleRef, fixSrcsetRef), and
// writeEscapedAttr to escapeAttr.
func FuzzURLChecksSameAsBefore(f *testing.F) {
	for _, v := range urlCheckSeeds {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkURLSameAsBefore(t, v)
	})
}

func TestURLChecksSameAsBefore(t *testing.T) {
	t.Parallel() // see TestMain
	for _, v := range urlCheckSeeds {
		checkURLSameAsBefore(t, v)
	}
	// And every attribute value of the corpus's bodies.
	for _, body := range allFeedBodies(t) {
		z := html.NewTokenizer(strings.NewReader(body))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			for more := true; more && (tt == html.StartTagToken || tt == html.SelfClosingTagToken); {
				var v []byte
				_, v, more = z.TagAttr()
				checkURLSameAsBefore(t, string(v))
			}
		}
	}
}

var urlCheckSeeds = []string{"", "http://a/b", "HTTPS://a", "javascript:x", "java\tscript:x", " javascript:x", "jAvA script:x", ":x", "/a:b", "a?b:c",
	"mailto:x", "data:image/png;base64,xx", "\u00a0javascript:x", "x\x00y:z", "\xff:x", "a#b:c", "1a:b", "a_b:c",
	"color: red", "x:expression(1)", "X:EXPRESSION(1)", "background: url(x)", "b/**/ehavior", "\\75rl(x)", "x:ex pression(1)", "\u212Aa", "exp\u0130ression",
	"/a.png 1x, /b.png 2x", "https://a/a.png 1x, https://a/b.png 2x", "https://a/a.png 1x,https://a/b.png 2x", "https://a/a.png 1x ,https://a/b.png",
	"https://a/a.png,", ",https://a/a.png", "https://a/a.png 1x, , https://a/b.png 2x", "https://a/a.png  1x,\n\thttps://a/b.png 2x ", " , ",
	"https://a/a.png 1x, javascript:x 2x", "a&b<c>d\"e'f\rg\nh", "&amp;\r\n", "https://a/a.png\u00a01x", "HTTP://a/a.png 100w, https://a/b.png 200w", "https://a/a,b.png 1x"}

func checkURLSameAsBefore(t *testing.T, v string) {
	if got, want := urlScheme(v), urlSchemeRef(v); got != want {
		t.Fatalf("urlScheme(%q) = %q, want %q", v, got, want)
	}
	if got, want := dangerousStyle(v), dangerousStyleRef(v); got != want {
		t.Fatalf("dangerousStyle(%q) = %v, want %v", v, got, want)
	}
	var b bytes.Buffer
	if writeEscapedAttr(&b, v); b.String() != escapeAttr(v) {
		t.Fatalf("writeEscapedAttr(%q) wrote %q, want %q", v, b.String(), escapeAttr(v))
	}
	for _, sanitize := range []bool{true, false} {
		for _, base := range []string{bodytest.Base, ""} {
			got, gotOK := fixSrcset(v, base, sanitize)
			want, wantOK := fixSrcsetRef(v, base, sanitize)
			if got != want || gotOK != wantOK {
				t.Fatalf("fixSrcset(%q, %q, %v) = %q, %v; want %q, %v", v, base, sanitize, got, gotOK, want, wantOK)
			}
		}
	}
}

// TestURLChecksAllocateNothing: the common cases allocate nothing.
func TestURLChecksAllocateNothing(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"urlScheme", func() { urlScheme("https://blog.example.com/a.png") }},
		{"dangerousStyle", func() { dangerousStyle("color: red; font-weight: Bold") }},
		{"fixSrcset", func() { fixSrcset("https://a.example/a.png 1x, https://a.example/b.png 2x", bodytest.Base, true) }},
	} {
		if n := testing.AllocsPerRun(100, c.fn); n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
	}
}

// The code urlScheme, dangerousStyle and fixSrcset replaced (commit
// b398ae8), which they must agree with.

func fixSrcsetRef(val, base string, sanitize bool) (string, bool) {
	parts := strings.Split(val, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		fields := strings.Fields(p)
		if len(fields) == 0 {
			continue
		}
		switch urlSchemeRef(fields[0]) {
		case "":
			fields[0] = fetch.Resolve(fields[0], base)
		case "http", "https":
		default:
			if sanitize {
				continue
			}
		}
		out = append(out, strings.Join(fields, " "))
	}
	if len(out) == 0 {
		return "", false
	}
	joined := strings.Join(out, ", ")
	if strings.Join(strings.Fields(val), " ") == strings.Join(strings.Fields(joined), " ") {
		return val, true
	}
	return joined, true
}

func urlSchemeRef(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r <= 0x20 || r == 0x7f || r == '\u00a0' || r == '\ufeff' || r == '\u200b' {
			continue
		}
		if r == ':' {
			s := strings.ToLower(b.String())
			for _, c := range s {
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
					return "?"
				}
			}
			return s
		}
		if r == '/' || r == '?' || r == '#' {
			return ""
		}
		b.WriteRune(r)
	}
	return ""
}

func dangerousStyleRef(v string) bool {
	s := strings.ToLower(cssUnescape(stripCSSComments(v)))
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r <= 0x20 || r == 0x7f }), "")
	for _, bad := range []string{"expression", "javascript:", "vbscript:", "behavior", "binding", "url(", "@import", "data:", "image-set("} {
		if strings.Contains(s, bad) {
			return true
		}
	}
	return false
}

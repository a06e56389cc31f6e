package body

import (
	"bytes"
	"strings"

	"github.com/mmcdole/gofeed"
)

// Maker makes items' bodies, in HTML or in Markdown; it is safe for
// concurrent use.
type Maker struct {
	markdown bool         // write Markdown, else HTML
	sanitize bool         // drop active content (false: -raw)
	md       markdownPool // the converters, for Markdown
}

// NewMaker returns a Maker for Markdown bodies (else HTML), that
// sanitizes unless raw, for as many goroutines as workers.
func NewMaker(markdown, raw bool, workers int) *Maker {
	c := &Maker{markdown: markdown, sanitize: !raw}
	if markdown {
		c.md = newMarkdownPool(workers)
	}
	return c
}

// Make runs the body stage: the item's content, else its description,
// trimmed, with line breaks made LF; sanitized (unless Raw) with relative
// URLs made absolute against the item's link, by the tokenizer pass for
// HTML bodies, or as a parsed tree that is then converted for Markdown ones
// (Markdown); Hugo shortcode delimiters escaped. An HTML body is then
// written as one raw HTML block for Goldmark (htmlBlock). The final newline
// is the renderer's. An item with no body gives "". It also returns the src
// of the body's first <img>, the image step's last resort.
func (c *Maker) Make(it *gofeed.Item, link string) (body, firstImg string, err error) {
	s := strings.TrimSpace(it.Content)
	if s == "" {
		s = strings.TrimSpace(it.Description)
	}
	if s == "" {
		return "", "", nil
	}
	s = lf(s)
	if c.markdown {
		s, firstImg, err = c.Markdown(s, link, c.sanitize)
		if err != nil {
			return "", firstImg, err
		}
		s = strings.TrimSpace(EscapeShortcodes(s, true))
		return s, firstImg, nil
	}
	s, firstImg = htmlBody(s, link, c.sanitize)
	return s, firstImg, nil
}

// lf makes every line break LF: CR LF and a lone CR become LF, as
// FORMAT.md says of the whole file.
func lf(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// An HTML body must reach the browser as it is, but Hugo reads the file as
// Markdown first: Goldmark passes raw HTML through only inside an HTML
// block, and reads everything else as Markdown (links, emphasis, code,
// typography), even with unsafe = true. So an HTML body is written as one
// HTML block of CommonMark's type 6: it starts with a block-level tag
// (htmlBlockTags) at the start of its first line, and it runs to the first
// blank line, of which the body then has none (blankLines).
//
// htmlBlock wraps a body that does not start with such a tag in
// <div>…</div>: text, an inline element, or <pre> (a type 1 block, which
// would end at its </pre>). A body that already starts with one, like the
// seed's <p>, is left as it is.
func htmlBlock(s string) string {
	if startsHTMLBlock(s) {
		return s
	}
	return "<div>" + s + "</div>"
}

// startsHTMLBlock reports whether s starts with a tag that opens a type 6
// HTML block in Goldmark: "<" or "</", a name of htmlBlockTags (any case),
// then a space, ">", "/>" or the end of the line. (CommonMark also allows
// a tab there, Goldmark does not.)
func startsHTMLBlock(s string) bool {
	if len(s) < 2 || s[0] != '<' {
		return false
	}
	i := 1
	if s[i] == '/' {
		i++
	}
	j := i
	for j < len(s) && j-i < 12 && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j == i || !htmlBlockTags[strings.ToLower(s[i:j])] {
		return false
	}
	rest := s[j:]
	return rest == "" || rest[0] == ' ' || rest[0] == '>' || rest[0] == '\n' || strings.HasPrefix(rest, "/>")
}

// htmlBlockTags are the names that open a type 6 HTML block, both in the
// Goldmark of Hugo 0.111 and in later ones (the lists differ at the edges:
// "search" and "source" are left out), limited to elements the sanitizer
// keeps.
var htmlBlockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "caption": true,
	"center": true, "col": true, "colgroup": true, "dd": true, "details": true, "div": true,
	"dl": true, "dt": true, "figcaption": true, "figure": true, "footer": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true,
	"li": true, "main": true, "nav": true, "ol": true, "p": true, "section": true,
	"summary": true, "table": true, "tbody": true, "td": true, "tfoot": true, "th": true,
	"thead": true, "tr": true, "ul": true,
}

// blankLines writes an HTML body with no blank line, the only thing that
// ends a type 6 HTML block (a line of nothing but spaces, tabs and the
// other characters Goldmark counts as space), and changes nothing a
// browser shows:
//   - in text where white space collapses, a blank line's line break is
//     dropped (its spaces join the next line);
//   - in text where it shows (pre, textarea, listing, code, or an element
//     whose style sets white-space), the break is written as &#10;, the
//     same character, which makes the line not blank;
//   - inside a tag, a tag with a blank line is rebuilt on one line, with
//     line breaks in attribute values written as &#10; (writeTag);
//   - in comments and in the text of script and style (kept by -raw
//     only), where character references are not read, the break is
//     dropped; one line break is always left in its place.
//
// When on is false, it writes everything as it is.
type blankLines struct {
	on  bool
	ink bool     // the output's current line has a character that is not space
	pre []string // open elements whose white space shows, innermost last
	raw string   // the open element whose text is raw (script, style, …), if any
}

// write writes a token's bytes; text is true for a text token.
func (b *blankLines) write(out *bytes.Buffer, p []byte, text bool) {
	if !b.on {
		out.Write(p)
		return
	}
	entity := text && len(b.pre) > 0 && b.raw == ""
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			out.Write(p)
			b.ink = b.ink || hasInk(p)
			return
		}
		out.Write(p[:i])
		b.ink = b.ink || hasInk(p[:i])
		switch {
		case b.ink:
			out.WriteByte('\n')
			b.ink = false
		case entity:
			out.WriteString("&#10;")
			b.ink = true
		}
		p = p[i+1:]
	}
}

// startTag notes a start tag that was written.
func (b *blankLines) startTag(tag string, selfClosing bool, attrs []rawAttr) {
	if !b.on {
		return
	}
	b.ink = true
	if selfClosing {
		return
	}
	if rawTextTag(tag) {
		b.raw = tag
	}
	if preTag(tag) {
		b.pre = append(b.pre, tag)
		return
	}
	for _, a := range attrs {
		if string(a.key) == "style" && containsFold(a.val, "white-space") {
			b.pre = append(b.pre, tag)
			return
		}
	}
}

// containsFold reports whether p holds the lowercase ASCII word w, in any
// case.
func containsFold(p []byte, w string) bool {
	for i := 0; i+len(w) <= len(p); i++ {
		j := 0
		for j < len(w) && (p[i+j]|0x20) == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// endTag writes an end tag, on one line when its raw bytes hold a blank
// line.
func (b *blankLines) endTag(out *bytes.Buffer, tag string, raw []byte) {
	if !b.on {
		out.Write(raw)
		return
	}
	if hasBlankLine(raw) {
		out.WriteString("</" + tag + ">")
	} else {
		out.Write(raw)
	}
	b.ink = true
	if tag == b.raw {
		b.raw = ""
	}
	if n := len(b.pre); n > 0 && b.pre[n-1] == tag {
		b.pre = b.pre[:n-1]
	}
}

// preTag names the elements whose white space a browser shows (code
// included: sites often style it so).
func preTag(tag string) bool {
	switch tag {
	case "pre", "textarea", "listing", "code", "plaintext":
		return true
	}
	return false
}

// rawTextTag names the elements whose text the tokenizer reads without
// character references.
func rawTextTag(tag string) bool {
	switch tag {
	case "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext":
		return true
	}
	return false
}

// hasInk reports whether p holds a byte Goldmark does not count as space.
func hasInk(p []byte) bool {
	for _, c := range p {
		if c != ' ' && c != '\t' && c != '\v' && c != '\f' && c != '\r' {
			return true
		}
	}
	return false
}

// hasBlankLine reports whether p holds a line of nothing but space between
// two line breaks.
func hasBlankLine(p []byte) bool {
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			return false
		}
		p = p[i+1:]
		j := bytes.IndexByte(p, '\n')
		if j < 0 {
			return false
		}
		if !hasInk(p[:j]) {
			return true
		}
	}
}

// EscapeShortcodes escapes Hugo shortcode delimiters the way Hugo documents
// it: "{{< x >}}" becomes "{{</* x */>}}" and "{{% x %}}" becomes
// "{{%/* x */%}}", so that Hugo prints them instead of running them. A
// delimiter already escaped is left alone. An opening delimiter with no
// closing one is broken apart instead (with an HTML entity, or a Markdown
// backslash escape when markdown is true), since an unclosed comment would
// break the build as surely as an unclosed shortcode.
func EscapeShortcodes(s string, markdown bool) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "}}") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		rest := s[i:]
		var closer string
		switch {
		case strings.HasPrefix(rest, "{{<"):
			closer = ">}}"
		case strings.HasPrefix(rest, "{{%"):
			closer = "%}}"
		}
		if closer == "" {
			if strings.HasPrefix(rest, ">}}") || strings.HasPrefix(rest, "%}}") {
				// A closing delimiter with no opening one is harmless to Hugo.
				b.WriteString(rest[:3])
				i += 3
				continue
			}
			b.WriteByte(s[i])
			i++
			continue
		}
		opener := rest[:3]
		inner := rest[3:]
		if strings.HasPrefix(inner, "/*") {
			// Already escaped: copy through the escaped closer.
			if end := strings.Index(inner, "*/"+closer); end >= 0 {
				b.WriteString(rest[:3+end+2+len(closer)])
				i += 3 + end + 2 + len(closer)
				continue
			}
		}
		end := strings.Index(inner, closer)
		if end < 0 || strings.Contains(inner[:end], "{{<") || strings.Contains(inner[:end], "{{%") {
			// Unclosed (or interrupted by another opener): break it apart.
			if markdown {
				b.WriteString(`\{\{`)
			} else {
				b.WriteString("&#123;&#123;")
			}
			b.WriteByte(opener[2])
			i += 3
			continue
		}
		b.WriteString(opener)
		b.WriteString("/*")
		b.WriteString(inner[:end])
		b.WriteString("*/")
		b.WriteString(closer)
		i += 3 + end + 3
	}
	return b.String()
}

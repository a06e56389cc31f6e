package convert

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
)

// Sanitize removes active content from an HTML fragment with an allow-list
// and makes its relative URLs absolute against base (the item's link).
//
// Elements that run code or load other documents are dropped with their
// content (script, style, iframe, object, embed, svg, template, …); other
// elements not on the list (form controls, meta, link, base, html, body,
// unknown tags) lose their tags and keep their text. Attributes not on the
// list are dropped, so every on… handler goes; URL attributes keep only
// http, https, mailto and relative URLs (and raster data:image/ URLs in an
// img src), however the scheme is disguised with entities, case, white
// space or control characters; a style attribute that could run script is
// dropped. Comments and doctypes go.
//
// Tokens that need no change are copied byte for byte from the input, so
// markup that is already safe comes out exactly as it came in.
func Sanitize(s, base string) string {
	out, _ := filterHTML(s, base, true, false)
	return out
}

// filterHTML is the one tokenizer pass of HTML bodies and Sanitize; with
// sanitize false (-raw) it only makes relative URLs absolute. It also
// returns the src of the first <img> it keeps, for the image step.
//
// With noBlank true it also writes no blank line (see blankLines), so that
// the body is one raw HTML block to Goldmark (body).
//
// It works in a filterState taken from filterStates and given back: the
// two strings it returns are copies, and share no byte with it.
func filterHTML(s, base string, sanitize, noBlank bool) (string, string) {
	st := filterStates.Get().(*filterState)
	defer st.release()
	firstImg := st.filter(s, base, sanitize, noBlank)
	return st.out.String(), firstImg
}

// htmlBody is the body stage of an HTML body after lf: filterHTML with no
// blank line, shortcode delimiters escaped, trimmed, and htmlBlock. When
// there is no delimiter to escape, as in most bodies, the result is made
// straight from the filter's output, in one allocation.
func htmlBody(s, base string, sanitize bool) (body, firstImg string) {
	st := filterStates.Get().(*filterState)
	defer st.release()
	firstImg = st.filter(s, base, sanitize, true)
	t := strings.TrimSpace(view(st.out.Bytes())) // read only: copied below
	if strings.Contains(t, "{{") || strings.Contains(t, "}}") {
		t = strings.TrimSpace(EscapeShortcodes(st.out.String(), false))
		if t == "" {
			return "", firstImg
		}
		return htmlBlock(t), firstImg
	}
	switch {
	case t == "":
		return "", firstImg
	case startsHTMLBlock(t):
		return strings.Clone(t), firstImg
	}
	var b strings.Builder
	b.Grow(len("<div>") + len(t) + len("</div>"))
	b.WriteString("<div>")
	b.WriteString(t)
	b.WriteString("</div>")
	return b.String(), firstImg
}

// filter is filterHTML's work, its output left in st.out.
func (st *filterState) filter(s, base string, sanitize, noBlank bool) (firstImg string) {
	st.r.Reset(s)
	st.z = st.fresh
	z := &st.z
	out := &st.out
	out.Grow(len(s) + len(s)/16)
	bl := blankLines{on: noBlank}
	drop := 0 // depth inside an element dropped with its content
	var dropName string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			switch {
			case !sanitize:
				bl.write(out, raw, tt == html.TextToken)
			case tt == html.TextToken && drop == 0:
				if bytes.IndexByte(raw, 0) >= 0 {
					raw = bytes.ReplaceAll(raw, []byte{0}, []byte("\uFFFD"))
				}
				bl.write(out, raw, true)
			}
			continue
		}
		// Some versions of TagAttr lowercase names inside the tokenizer's
		// buffer: keep the raw bytes first when they have capitals.
		if hasUpper(raw) {
			st.rawCopy = append(st.rawCopy[:0], raw...)
			raw = st.rawCopy
		}
		tag := tagName(z, raw)
		if tt == html.EndTagToken {
			switch {
			case !sanitize:
				bl.endTag(out, tag, raw)
			case drop > 0:
				if tag == dropName {
					drop--
				}
			case allowedAttrs[tag] != nil:
				bl.endTag(out, tag, raw)
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
		st.attrs = st.attrs[:0]
		for {
			// A start tag's attributes, if any; a key is never empty.
			k, v, more := z.TagAttr()
			if k == nil {
				break
			}
			st.attrs = append(st.attrs, rawAttr{k, v})
			if !more {
				break
			}
		}
		src := st.writeTag(tag, tt == html.SelfClosingTagToken, raw, base, sanitize, bl.on && hasBlankLine(raw))
		bl.startTag(tag, tt == html.SelfClosingTagToken, st.attrs)
		if firstImg == "" && tag == "img" {
			firstImg = strings.Clone(src) // src may share the attribute's bytes
		}
	}
	if b := out.Bytes(); sanitize && (bytes.HasSuffix(b, []byte("<")) || bytes.HasSuffix(b, []byte("</"))) {
		// Text that ends the input with "<" or "</": what follows the
		// body on a page ("</div>", "</article>") would turn it into
		// markup ("</</div>" is a comment). Written &lt;, it stays text.
		i := bytes.LastIndexByte(b, '<')
		rest := len(b) - i - 1 // "" or "/"
		out.Truncate(i)
		out.WriteString("&lt;/"[:4+rest])
	}
	return firstImg
}

// filterState is what a filterHTML call works in, kept for the next call
// (filterStates) since most of it is the same size for every body: the
// tokenizer with its 4 KB buffer, the output, the attribute lists.
type filterState struct {
	r strings.Reader // the body
	// fresh is a tokenizer as html.NewTokenizer made it, reading r: a copy
	// of it is a new tokenizer that reuses its buffer (and its map of the
	// names of a tag's attributes, which it clears at every tag). It is
	// never used itself, and only one copy of it is in use at a time.
	fresh   html.Tokenizer
	z       html.Tokenizer // the copy in use
	out     bytes.Buffer
	attrs   []rawAttr
	keep    []keptAttr
	rawCopy []byte
}

// filterStates hold filterStates between filterHTML calls.
var filterStates = sync.Pool{New: func() any {
	st := new(filterState)
	st.fresh = *html.NewTokenizer(&st.r)
	return st
}}

// maxKeptOutput caps the output buffer a filterState keeps: a body larger
// than that is rare, and its buffer is left to the collector.
const maxKeptOutput = 1 << 20

// release drops what the state still refers to of the body just done and
// gives it back to filterStates.
func (st *filterState) release() {
	st.r.Reset("")
	st.z = html.Tokenizer{} // its buffer, if it grew beyond fresh's
	if st.out.Cap() > maxKeptOutput {
		st.out = bytes.Buffer{}
	}
	st.out.Reset()
	clear(st.attrs)
	st.attrs = st.attrs[:0]
	clear(st.keep)
	st.keep = st.keep[:0]
	filterStates.Put(st)
}

// tagName returns the name of the tag token whose raw bytes are raw,
// lowercased, as the tokenizer's TagName does, without the copy TagName
// makes of it: the bytes after "<" or "</" up to white space, "/" or ">"
// (readTagName). Names the sanitizer knows come from knownNames, so that
// the common ones cost nothing.
func tagName(z *html.Tokenizer, raw []byte) string {
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	j := i
	upper := false
scan:
	for ; j < len(raw); j++ {
		switch c := raw[j]; c {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			break scan
		case 0:
			// TagName replaces it with U+FFFD: let it.
			name, _ := z.TagName()
			return string(name)
		default:
			upper = upper || 'A' <= c && c <= 'Z'
		}
	}
	name := raw[i:j]
	var low [16]byte
	if upper && len(name) <= len(low) {
		for k, c := range name {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			low[k] = c
		}
		name = low[:len(name)]
	} else if upper {
		name = bytes.Clone(name)
		for k, c := range name {
			if 'A' <= c && c <= 'Z' {
				name[k] = c + 'a' - 'A'
			}
		}
	}
	if known, ok := knownNames[string(name)]; ok {
		return known
	}
	return string(name)
}

// sanitizeTree applies filterHTML's rules to a parsed document, in place:
// the same allow-list, attribute checks and URL resolution, on the tree the
// Markdown converter then reads, so that what is checked is exactly what
// is converted (and the HTML is not tokenized twice). Comments, doctypes
// and foreign (SVG, MathML) elements go too. It returns the src of the
// first <img> it keeps. With sanitize false it only makes URLs absolute.
func sanitizeTree(doc *html.Node, base string, sanitize bool) (firstImg string) {
	var walk func(parent *html.Node)
	walk = func(parent *html.Node) {
		for n := parent.FirstChild; n != nil; {
			next := n.NextSibling
			switch n.Type {
			case html.CommentNode, html.DoctypeNode:
				if sanitize {
					parent.RemoveChild(n)
				}
			case html.ElementNode:
				tag := n.Data
				switch {
				case sanitize && (n.Namespace != "" || dropWithContent[tag]):
					parent.RemoveChild(n)
				case sanitize && allowedAttrs[tag] == nil:
					// Unwrapped: its children take its place and are
					// walked next, at this level.
					if n.FirstChild != nil {
						next = n.FirstChild
					}
					unwrapNode(n)
				default:
					kept := n.Attr[:0]
					for _, a := range n.Attr {
						if sanitize && (a.Namespace != "" || !globalAttrs[a.Key] && !allowedAttrs[tag][a.Key]) {
							continue
						}
						v, ok := keepAttr(tag, a.Key, a.Val, base, sanitize)
						if !ok {
							continue
						}
						a.Val = v
						kept = append(kept, a)
						if tag == "img" && a.Key == "src" && firstImg == "" {
							firstImg = v
						}
					}
					n.Attr = kept
					walk(n)
				}
			}
			n = next
		}
	}
	walk(doc)
	return firstImg
}

// unwrapNode puts n's children in its place in its parent and removes n.
func unwrapNode(n *html.Node) {
	parent := n.Parent
	for c := n.FirstChild; c != nil; {
		after := c.NextSibling
		n.RemoveChild(c)
		parent.InsertBefore(c, n)
		c = after
	}
	parent.RemoveChild(n)
}

// escapeAttr escapes an attribute value for a double-quoted attribute;
// line breaks become &#10; so that a rebuilt tag holds no blank line.
func escapeAttr(v string) string {
	v = html.EscapeString(v) // which leaves line breaks as they are
	if strings.ContainsAny(v, "\n\r") {
		v = lineBreakRefs.Replace(v)
	}
	return v
}

var lineBreakRefs = strings.NewReplacer("\n", "&#10;", "\r", "&#13;")

// rawAttr is an attribute as the tokenizer returns it: the key
// lowercased, the value with entities decoded.
type rawAttr struct{ key, val []byte }

func hasUpper(b []byte) bool {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// keptAttr is an attribute writeTag keeps, its value a view (see view)
// or a new string.
type keptAttr struct{ key, val string }

// view returns the bytes of b as a string without a copy, for reading
// them while they do not change: here, an attribute's bytes before the
// tokenizer reads the next token. Nothing may keep the string.
func view(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// writeTag writes a start tag, whose attributes are in st.attrs: its raw
// bytes when no attribute needs a change (and rebuild is false), else the
// tag rebuilt from its kept attributes, on one line. It returns the src it
// kept, if any, which may be a view of the bytes of st.attrs: a caller
// that keeps it must copy it.
func (st *filterState) writeTag(tag string, selfClosing bool, raw []byte, base string, sanitize, rebuild bool) (src string) {
	out := &st.out
	allowed := allowedAttrs[tag]
	changed := rebuild
	st.keep = st.keep[:0]
	for _, a := range st.attrs {
		if sanitize && !globalAttrs[string(a.key)] && !allowed[string(a.key)] {
			changed = true
			continue
		}
		key := attrName(a.key)
		val := view(a.val)
		// keepAttr returns val itself, a substring of it or a new string.
		v, ok := keepAttr(tag, key, val, base, sanitize)
		if !ok {
			changed = true
			continue
		}
		if v != val {
			changed = true
		}
		st.keep = append(st.keep, keptAttr{key, v})
		if key == "src" && src == "" {
			src = v
		}
	}
	if !changed {
		out.Write(raw)
		return src
	}
	out.WriteByte('<')
	out.WriteString(tag)
	for _, a := range st.keep {
		out.WriteByte(' ')
		out.WriteString(a.key)
		out.WriteString(`="`)
		writeEscapedAttr(out, a.val)
		out.WriteByte('"')
	}
	if selfClosing {
		out.WriteString(" /")
	}
	out.WriteByte('>')
	return src
}

// writeEscapedAttr writes escapeAttr(v) to out, without the copies
// escapeAttr makes.
func writeEscapedAttr(out *bytes.Buffer, v string) {
	last := 0
	for i := 0; i < len(v); i++ {
		var esc string
		switch v[i] {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\r':
			esc = "&#13;"
		case '\n':
			esc = "&#10;"
		default:
			continue
		}
		out.WriteString(v[last:i])
		out.WriteString(esc)
		last = i + 1
	}
	out.WriteString(v[last:])
}

// attrName returns key as a string, from knownNames when it is there.
func attrName(key []byte) string {
	if known, ok := knownNames[string(key)]; ok {
		return known
	}
	return string(key)
}

// keepAttr decides an attribute of a kept element that the allow-list
// lets through: whether it stays (a URL attribute with a scheme that can
// run script, a style that can, do not), and its value, a URL made
// absolute against base.
func keepAttr(tag, key, val, base string, sanitize bool) (string, bool) {
	if urlAttrs[key] {
		return fixURL(val, key, tag, base, sanitize)
	}
	if key == "style" && sanitize && dangerousStyle(val) {
		return "", false
	}
	return val, true
}

// fixURL checks a URL attribute and makes it absolute. It reports false
// when the attribute must go. An href that is only a fragment ("#fn1")
// names a place in the page itself, which is now the Hugo page: it stays
// as it is (trimmed), so that footnotes and tables of contents do not jump
// to the old site.
func fixURL(val, attr, tag, base string, sanitize bool) (string, bool) {
	if attr == "srcset" {
		return fixSrcset(val, base, sanitize)
	}
	scheme := urlScheme(val)
	switch scheme {
	case "":
		ref := strings.TrimSpace(val)
		if attr == "href" && ref != "" && ref[0] == '#' {
			return ref, true
		}
		return resolve(ref, base), true
	case "http", "https":
		return val, true
	case "mailto", "tel":
		return val, attr == "href" || !sanitize
	case "data":
		return val, !sanitize || (tag == "img" && attr == "src" && rasterDataURL(val))
	}
	return val, !sanitize
}

// fixSrcset checks and resolves each candidate of a srcset list.
func fixSrcset(val, base string, sanitize bool) (string, bool) {
	if srcsetAsIs(val) {
		return val, true
	}
	parts := strings.Split(val, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		fields := strings.Fields(p)
		if len(fields) == 0 {
			continue
		}
		switch urlScheme(fields[0]) {
		case "":
			fields[0] = resolve(fields[0], base)
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

// srcsetAsIs reports, without allocating, the common case in which
// fixSrcset returns val itself: val is ASCII, every candidate's URL is
// http or https (so none is dropped or resolved), there is one at least,
// and val is what fixSrcset would write but for white space. That is, the
// fields of val are those of the candidates in order, the last field of
// each candidate but the last one with the comma that ends it.
func srcsetAsIs(val string) bool {
	for i := 0; i < len(val); i++ {
		if val[i] >= utf8.RuneSelf {
			return false
		}
	}
	vi := 0
	next := func() string { // the next field of val, "" after the last
		for vi < len(val) && asciiSpace(val[vi]) {
			vi++
		}
		start := vi
		for vi < len(val) && !asciiSpace(val[vi]) {
			vi++
		}
		return val[start:vi]
	}
	// is reports whether t is f, followed by a comma when comma is set.
	is := func(t, f string, comma bool) bool {
		if comma {
			return len(t) == len(f)+1 && t[len(f)] == ',' && t[:len(f)] == f
		}
		return t == f
	}
	pending := ""   // the last field of the candidates so far, not yet compared
	crossed := true // a comma between pending and the next field
	for part := range strings.SplitSeq(val, ",") {
		first := true
		for f := range strings.FieldsSeq(part) {
			if first {
				if scheme := urlScheme(f); scheme != "http" && scheme != "https" {
					return false
				}
				first = false
			}
			if pending != "" && !is(next(), pending, crossed) {
				return false
			}
			pending, crossed = f, false
		}
		crossed = true
	}
	return pending != "" && is(next(), pending, false) && next() == ""
}

// asciiSpace is the white space strings.Fields splits ASCII text at.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// urlScheme returns the lowercased scheme of a URL the way a browser reads
// it: control characters and white space anywhere removed first (the
// tokenizer has already decoded entities). It returns "" for a relative
// URL, and "?" for something no browser would call a scheme.
//
// A URL whose scheme (or lack of one) shows before any character to remove
// or any that is not ASCII, as most do, is read without allocating; the
// scheme returned is then a substring of v when it is lowercase already.
func urlScheme(v string) string {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= utf8.RuneSelf || c <= 0x20 || c == 0x7f:
			return urlSchemeSlow(v)
		case c == ':':
			s := v[:i]
			for j := 0; j < len(s); j++ {
				if c := s[j] | 0x20; !(c >= 'a' && c <= 'z' || s[j] >= '0' && s[j] <= '9' || s[j] == '+' || s[j] == '-' || s[j] == '.') {
					return "?"
				}
			}
			return strings.ToLower(s)
		case c == '/' || c == '?' || c == '#':
			return ""
		}
	}
	return ""
}

// urlSchemeSlow is urlScheme for any v.
func urlSchemeSlow(v string) string {
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

// rasterDataURL allows data:image/ URLs of raster formats only: an SVG
// image can carry script.
func rasterDataURL(v string) bool {
	v = strings.ToLower(strings.Join(strings.Fields(v), ""))
	for _, t := range []string{"png", "gif", "jpeg", "jpg", "webp", "avif", "bmp"} {
		if strings.HasPrefix(v, "data:image/"+t+";") || strings.HasPrefix(v, "data:image/"+t+",") {
			return true
		}
	}
	return false
}

// dangerousStyle reports a style attribute that could run script or load
// a URL: expression(), a script URL, a binding or behavior, url() or an
// @import, read after CSS comments and escapes are undone.
func dangerousStyle(v string) bool {
	if len(v) <= 256 && !strings.Contains(v, "/*") && !strings.Contains(v, "\\") {
		// Nothing to strip or unescape: when it is ASCII too, the text
		// to search is v lowercased without its control characters and
		// white space, made here without allocating.
		var buf [256]byte
		s := buf[:0]
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c >= utf8.RuneSelf {
				s = nil
				break
			}
			if c <= 0x20 || c == 0x7f {
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			s = append(s, c)
		}
		if s != nil {
			for _, bad := range dangerousCSS {
				if bytes.Contains(s, bad) {
					return true
				}
			}
			return false
		}
	}
	s := strings.ToLower(cssUnescape(stripCSSComments(v)))
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r <= 0x20 || r == 0x7f }), "")
	for _, bad := range dangerousCSS {
		if strings.Contains(s, string(bad)) {
			return true
		}
	}
	return false
}

// dangerousCSS are what dangerousStyle looks for.
var dangerousCSS = [][]byte{[]byte("expression"), []byte("javascript:"), []byte("vbscript:"), []byte("behavior"),
	[]byte("binding"), []byte("url("), []byte("@import"), []byte("data:"), []byte("image-set(")}

// stripCSSComments removes /* … */ comments (an unclosed one runs to the
// end), which CSS ignores inside a token: "expr/**/ession".
func stripCSSComments(s string) string {
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+2+j+2:]
	}
}

// cssUnescape undoes CSS escapes: a backslash and one to six hex digits
// (and one following white space) is that code point; a backslash and any
// other character is that character.
func cssUnescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		for j < len(s) && j < i+7 && isHex(s[j]) {
			j++
		}
		if j == i+1 {
			b.WriteByte(s[j])
			i = j
			continue
		}
		var r rune
		for _, c := range s[i+1 : j] {
			r = r*16 + rune(hexVal(byte(c)))
		}
		b.WriteRune(r)
		if j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
		i = j - 1
	}
	return b.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// dropWithContent are the elements removed with everything inside them.
var dropWithContent = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "noscript": true, "noembed": true, "noframes": true, "template": true,
	"svg": true, "xmp": true, "plaintext": true, "title": true, "head": true, "textarea": true,
	"select": true, "button": true, "param": true, "base": true, "meta": true, "link": true,
	"portal": true, "fencedframe": true, "math": true, "dialog": true,
}

// selfClosingHonoured are the elements dropped with their content whose
// self-closing slash a browser obeys: the roots of foreign content.
var selfClosingHonoured = map[string]bool{"svg": true, "math": true}

// voidElements have no end tag, so dropping one drops nothing else.
var voidElements = map[string]bool{
	"base": true, "meta": true, "link": true, "embed": true, "param": true, "frame": true,
}

// urlAttrs hold URLs.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "srcset": true, "cite": true, "poster": true,
	"action": true, "formaction": true, "background": true, "xlink:href": true, "longdesc": true,
	"data": true, "codebase": true, "dynsrc": true, "lowsrc": true, "ping": true, "manifest": true,
}

// globalAttrs are allowed on every allowed element.
var globalAttrs = map[string]bool{
	"title": true, "lang": true, "dir": true, "class": true, "id": true, "style": true,
}

// allowedAttrs is the allow-list: the elements kept, and the attributes
// each keeps beside globalAttrs.
var allowedAttrs = func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	set := func(attrs string, tags ...string) {
		for _, t := range tags {
			if m[t] == nil {
				m[t] = map[string]bool{}
			}
			for _, a := range strings.Fields(attrs) {
				m[t][a] = true
			}
		}
	}
	set("", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "big", "br", "caption",
		"center", "code", "dd", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer",
		"h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "kbd", "li", "main", "mark",
		"nav", "p", "picture", "pre", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
		"strike", "strong", "sub", "summary", "sup", "tbody", "tfoot", "thead", "tr", "tt", "u", "ul",
		"var", "wbr", "cite", "details", "ol", "table", "td", "th", "col", "colgroup", "time",
		"blockquote", "q", "del", "ins", "a", "img", "video", "audio", "source", "track", "bdo", "font")
	set("href rel target hreflang name type", "a")
	set("src srcset alt width height loading sizes decoding", "img")
	set("src poster controls width height preload loop muted playsinline", "video")
	set("src controls preload loop muted", "audio")
	set("src srcset type media sizes", "source")
	set("src kind srclang label default", "track")
	set("colspan rowspan align valign scope headers width", "td", "th")
	set("summary border cellpadding cellspacing width align", "table")
	set("span width align", "col", "colgroup")
	set("start type reversed", "ol")
	set("value type", "li")
	set("cite", "blockquote", "q")
	set("cite datetime", "del", "ins")
	set("datetime", "time")
	set("open", "details")
	set("color size face", "font")
	set("align", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "thead", "tbody", "tfoot", "caption")
	return m
}()

// knownNames are the element and attribute names the sanitizer knows,
// each its own key: tagName and attrName return these strings rather than
// make new ones.
var knownNames = func() map[string]string {
	m := map[string]string{}
	add := func(names map[string]bool) {
		for n := range names {
			m[n] = n
		}
	}
	for tag, attrs := range allowedAttrs {
		m[tag] = tag
		add(attrs)
	}
	add(dropWithContent)
	add(urlAttrs)
	add(globalAttrs)
	return m
}()

package body

import (
	"bytes"
	"strings"
	"sync"
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
//
// It is long because it is the sanitizer's one walk over the tree, a switch
// on what each node is; the attribute checks are apart (sanitize_attrs.go).
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
		// Make on a page ("</div>", "</article>") would turn it into
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
				allowed := allowedAttrs[tag]
				switch {
				case sanitize && (n.Namespace != "" || dropWithContent[tag]):
					parent.RemoveChild(n)
				case sanitize && allowed == nil:
					// Unwrapped: its children take its place and are
					// walked next, at this level.
					if n.FirstChild != nil {
						next = n.FirstChild
					}
					unwrapNode(n)
				default:
					kept := n.Attr[:0]
					for _, a := range n.Attr {
						if sanitize && (a.Namespace != "" || !globalAttrs[a.Key] && !allowed[a.Key]) {
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

package body

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// build reads s token by token as x/net/html's tokenizer would, for the
// plainly written markup fastTree accepts, and builds the tree; it
// returns nil where it gives up.
func (b *treeBuilder) build(s string) *html.Node {
	b.doc = b.node(html.DocumentNode)
	for i := 0; i < len(s); {
		j := nextMarkup(s, i)
		if j > i {
			if !b.text(decodeText(s[i:j])) {
				return nil
			}
			i = j
			continue
		}
		var ok bool
		switch c := s[i+1]; {
		case c == '!':
			i, ok = b.scanComment(s, i)
		case c == '/':
			i, ok = b.scanEndTag(s, i)
		case isLetter(c):
			i, ok = b.scanStartTag(s, i)
		}
		if !ok {
			return nil
		}
	}
	if b.tables > 0 {
		return nil // a table left open: not worth proving
	}
	b.startBody()
	return b.doc
}

// nextMarkup returns the index of the next "<" at or after i that begins
// a tag, comment or declaration (the tokenizer's rule: a letter, "/", "!"
// or "?" follows), or len(s).
func nextMarkup(s string, i int) int {
	for {
		k := strings.IndexByte(s[i:], '<')
		if k < 0 {
			return len(s)
		}
		i += k + 1
		if i < len(s) {
			if c := s[i]; isLetter(c) || c == '/' || c == '!' || c == '?' {
				return i - 1
			}
		}
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

// newlines makes CR and CRLF LF, as the tokenizer does first.
func newlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// decodeText is the tokenizer's Text for text and comments.
func decodeText(s string) string { return unescape(newlines(s)) }

// unescape is html.UnescapeString, which first looks for "&" rune by rune.
func unescape(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return html.UnescapeString(s)
}

// decodeAttr is the tokenizer's decoding of an attribute value, or false
// where it might differ from the rule for text. The tokenizer leaves a
// named reference in an attribute that lacks its ";" before a "=" as it
// is ("?a=1&p=2" in an href), which decodeAttr does too; one that is no
// entity whole, where in text it takes the longest entity that begins
// it, makes it report false.
func decodeAttr(v string) (string, bool) {
	v = newlines(v)
	var kept strings.Builder // when a reference is left as it is
	from := 0                // v[from:] is still to be decoded
	for i := strings.IndexByte(v, '&'); i >= 0; {
		j := i + 1
		for j < len(v) && isAlnum(v[j]) {
			j++
		}
		if j > i+1 {
			switch {
			case j < len(v) && v[j] == '=':
				kept.WriteString(unescape(v[from:i]))
				kept.WriteString(v[i:j])
				from = j
			default:
				switch v[i+1 : min(j+1, len(v))] {
				case "amp;", "lt;", "gt;", "quot;", "apos;", "nbsp;":
				default:
					return "", false
				}
			}
		}
		k := strings.IndexByte(v[j:], '&')
		if k < 0 {
			break
		}
		i = j + k
	}
	if from == 0 {
		return unescape(v), true
	}
	kept.WriteString(unescape(v[from:]))
	return kept.String(), true
}

// scanComment reads "<!--...-->" at s[i:], the comment's data ending at
// the first "-->", and reports false for any other "<!".
func (b *treeBuilder) scanComment(s string, i int) (int, bool) {
	rest, ok := strings.CutPrefix(s[i:], "<!--")
	if !ok || strings.HasPrefix(rest, ">") || strings.HasPrefix(rest, "->") {
		return 0, false
	}
	e := strings.Index(rest, "-->")
	if e < 0 || strings.Contains(rest[:e], "--!") {
		return 0, false
	}
	b.comment(decodeText(rest[:e]))
	return i + 4 + e + 3, true
}

// scanName reads the letters and digits of a tag name at s[i:] and returns
// its atom (0 if none) and the index after it.
func scanName(s string, i int) (atom.Atom, int) {
	j := i
	var lower [16]byte
	for j < len(s) && isAlnum(s[j]) {
		if j-i < len(lower) {
			c := s[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[j-i] = c
		}
		j++
	}
	if j-i > len(lower) {
		return 0, j
	}
	return atom.Lookup(lower[:j-i]), j
}

// scanEndTag reads "</name>" (space allowed before the ">").
func (b *treeBuilder) scanEndTag(s string, i int) (int, bool) {
	a, j := scanName(s, i+2)
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j == len(s) || s[j] != '>' || !b.endTag(a) {
		return 0, false
	}
	return j + 1, true
}

// scanStartTag reads a start tag and its attributes, and the text and end
// tag of a raw-text element.
func (b *treeBuilder) scanStartTag(s string, i int) (int, bool) {
	a, j := scanName(s, i+1)
	k := kindOf(a)
	if j == len(s) || !(isSpace(s[j]) || s[j] == '/' || s[j] == '>') || !b.accepts(a, k) {
		return 0, false
	}
	attr, j, selfClosing, ok := b.scanAttrs(s, j)
	if !ok {
		return 0, false
	}
	b.startTag(a, k, attr)
	if k == kindRaw || k == kindHeadRaw {
		return b.scanRawText(s, j, a, selfClosing)
	}
	return j, true
}

// scanRawText reads the text of a raw-text element up to its end tag,
// which must be the next "</" and plainly written.
func (b *treeBuilder) scanRawText(s string, i int, a atom.Atom, selfClosing bool) (int, bool) {
	e := strings.Index(s[i:], "</")
	name := a.String()
	if selfClosing || e < 0 || len(s)-(i+e+2) < len(name)+1 || !strings.EqualFold(s[i+e+2:i+e+2+len(name)], name) ||
		s[i+e+2+len(name)] != '>' || a == atom.Script && strings.Contains(s[i:i+e], "<!--") {
		return 0, false
	}
	if !b.text(newlines(s[i : i+e])) {
		return 0, false
	}
	b.endTag(a)
	return i + e + 3 + len(name), true
}

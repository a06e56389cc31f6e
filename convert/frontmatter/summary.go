package frontmatter

import (
	"feed2md/convert/body"
	"strings"
)

// SummaryText returns the summary key's value for a description: the text
// escaped for Markdown, so that Hugo, which renders a page's summary front
// matter as Markdown (Goldmark with Hugo's defaults: linkify, tables,
// strikethrough, task lists, definition lists, footnotes, typographer; raw
// HTML passed through under unsafe = true), shows exactly the text: no
// element, no lost word, no emphasis or link made from punctuation.
//
// The text is first made one line: every run of ASCII white space becomes
// one space and the ends are trimmed (a browser shows the same). On one
// line no construct that needs a second line can start (tables, setext
// headings, definition lists), and with no leading space no indented
// code. Then a backslash goes before each ASCII punctuation character that
// Markdown could read as markup where it stands, and only there:
//   - anywhere: \ ` * _ [ ] < ~ (escapes, code, emphasis, links, images,
//     footnotes, raw HTML and autolinks, strikethrough);
//   - & that starts something like a character reference ("&amp;",
//     "&#60;"): an & followed by letters, digits or # and then ;;
//   - at the start: # and > (heading, quote), - and + before a space or
//     the end (list item) and - before - (thematic break), : before a
//     space (definition), and the . or ) after one to nine digits and
//     before a space or the end (ordered list);
//   - what Goldmark's linkify would make a link of: the : of http:, https:
//     and ftp:, the . of www., and the @ of something like an address
//     (a character of an address's local part before, a letter or digit
//     after).
//
// Characters that only the typographer changes (quotes, dashes, ellipses,
// >>) are not escaped: they are typography, not markup (< is, as it may
// open raw HTML, so << stays as it is). A text
// with none of the characters above, like FORMAT.md's reference item,
// comes back as it is (the same string, without a copy).
func SummaryText(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if summaryMark(s, i) {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	s = oneLine(s)
	last := 0
	for i := 0; i < len(s); i++ {
		if summaryMark(s, i) { // no white space is marked in one line
			b.WriteString(s[last:i])
			b.WriteByte('\\')
			last = i
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// oneLine folds every run of ASCII white space in s to one space and trims
// the ends; s itself when there is nothing to change.
func oneLine(s string) string {
	clean := len(s) == 0 || s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; clean && i < len(s); i++ {
		if body.ASCIISpace(s[i]) && (s[i] != ' ' || s[i+1] == ' ') {
			clean = false
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && body.ASCIISpace(byte(r)) }), " ")
}

// summaryMark reports whether s[i] needs a backslash in the summary (see
// SummaryText), or is white space that oneLine changes (a space at either
// end, a space after a space, another ASCII space character).
func summaryMark(s string, i int) bool {
	c := s[i]
	switch c {
	case '\\', '`', '*', '_', '[', ']', '<', '~':
		return true
	case '&':
		return entityLike(s[i+1:])
	case '#', '>':
		return i == 0
	case '-':
		return i == 0 && (len(s) == 1 || s[1] == ' ' || s[1] == '\t' || s[1] == '-')
	case '+':
		return i == 0 && (len(s) == 1 || s[1] == ' ' || s[1] == '\t')
	case '.', ')':
		if body.ListNumber(s[:i]) && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
			return true
		}
		return c == '.' && hasSuffixFold(s[:i], "www")
	case ':':
		if i == 0 {
			return len(s) == 1 || s[1] == ' ' || s[1] == '\t'
		}
		return hasSuffixFold(s[:i], "http") || hasSuffixFold(s[:i], "https") || hasSuffixFold(s[:i], "ftp")
	case '@':
		return i > 0 && i+1 < len(s) && localPart(s[i-1]) && isAlnum(s[i+1])
	case ' ':
		return i == 0 || i == len(s)-1 || s[i+1] == ' '
	case '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// entityLike reports whether s starts with one or more ASCII letters,
// digits or # and then a ;: after an &, what Markdown may read as a
// character reference.
func entityLike(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ';':
			return i > 0
		case c != '#' && !isAlnum(c):
			return false
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// localPart reports the characters of an e-mail address's local part
// (what Goldmark's linkify accepts before the @).
func localPart(c byte) bool {
	return isAlnum(c) || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

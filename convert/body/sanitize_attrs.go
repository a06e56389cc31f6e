package body

// The sanitizer's checks of attribute values: URLs (schemes, srcset,
// data: images) and inline styles.

import (
	"bytes"
	"feed2md/convert/fetch"
	"strings"
	"unicode/utf8"
)

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
		return fetch.Resolve(ref, base), true
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
		for vi < len(val) && ASCIISpace(val[vi]) {
			vi++
		}
		start := vi
		for vi < len(val) && !ASCIISpace(val[vi]) {
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

// ASCIISpace is the white space strings.Fields splits ASCII text at.
func ASCIISpace(c byte) bool {
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
		for j < len(s) && j < i+7 && IsHex(s[j]) {
			j++
		}
		if j == i+1 {
			b.WriteByte(s[j])
			i = j
			continue
		}
		var r rune
		for _, c := range s[i+1 : j] {
			r = r*16 + rune(HexVal(byte(c)))
		}
		b.WriteRune(r)
		if j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
		i = j - 1
	}
	return b.String()
}

func IsHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func HexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

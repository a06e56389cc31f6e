package body

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// scanAttrs reads a start tag's attributes from s[i:], just after its
// name, into b.attrs, up to and past its ">". Each is a name, then
// optionally "=" and a value, quoted or not, with space around the "=";
// a "/" may come only just before the ">" (a self-closing tag). It
// reports false for anything else, and for an attribute that repeats one
// (the tokenizer keeps the first), whose name is not plain or whose value
// decodeAttr declines.
func (b *treeBuilder) scanAttrs(s string, i int) (attr []html.Attribute, end int, selfClosing, ok bool) {
	first := len(b.attrs)
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		switch {
		case i == len(s):
			return nil, 0, false, false
		case s[i] == '>' || s[i] == '/' && i+1 < len(s) && s[i+1] == '>':
			if len(b.attrs) > first {
				attr = b.attrs[first:len(b.attrs):len(b.attrs)]
			}
			if s[i] == '>' {
				return attr, i + 1, false, true
			}
			return attr, i + 2, true, true
		}
		j := i
		for j < len(s) && !isSpace(s[j]) && s[j] != '/' && s[j] != '>' && s[j] != '=' {
			if c := s[j]; c == '"' || c == '\'' || c == '<' {
				return nil, 0, false, false
			}
			j++
		}
		if j == i {
			return nil, 0, false, false // a "/" not before ">", or "=" first
		}
		key := attrKey(s[i:j])
		var val string
		for i = j; i < len(s) && isSpace(s[i]); i++ {
		}
		if i < len(s) && s[i] == '=' {
			if val, i, ok = attrValue(s, i+1); !ok {
				return nil, 0, false, false
			}
		}
		for _, at := range b.attrs[first:] {
			if at.Key == key {
				return nil, 0, false, false
			}
		}
		if len(b.attrs) == cap(b.attrs) {
			// A new slab, with this tag's attributes so far.
			n := len(b.attrs) - first
			b.attrs = append(make([]html.Attribute, 0, max(64, 2*n)), b.attrs[first:]...)
			first = 0
		}
		b.attrs = append(b.attrs, html.Attribute{Key: key, Val: val})
	}
}

// attrKey is an attribute name lowercased, as an atom's string if it is
// one.
func attrKey(k string) string {
	lower := true
	for i := 0; i < len(k); i++ {
		if 'A' <= k[i] && k[i] <= 'Z' {
			lower = false
			break
		}
	}
	if !lower {
		b := []byte(k) // the tokenizer lowers ASCII letters only
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		k = string(b)
	}
	if a := atom.Lookup([]byte(k)); a != 0 {
		return a.String()
	}
	return k
}

// attrValue reads a value after the "=" at s[i-1], returning it decoded
// and the index after it.
func attrValue(s string, i int) (string, int, bool) {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i == len(s) {
		return "", 0, false
	}
	var raw string
	switch q := s[i]; q {
	case '>':
		return "", i, true
	case '"', '\'':
		e := strings.IndexByte(s[i+1:], q)
		if e < 0 {
			return "", 0, false
		}
		raw, i = s[i+1:i+1+e], i+e+2
	default:
		j := i
		for j < len(s) && !isSpace(s[j]) && s[j] != '>' {
			j++
		}
		raw, i = s[i:j], j
	}
	v, ok := decodeAttr(raw)
	return v, i, ok
}

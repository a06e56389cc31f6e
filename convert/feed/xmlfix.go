package feed

import (
	"bytes"
	"slices"
	"strconv"
)

// Repairs of XML documents that parsers refuse or misread, made on the
// decoded bytes before parsing: character references to characters XML
// forbids, and an Atom root in a namespace that is not Atom's.

// replacementRef is what a character reference to a character XML forbids
// becomes: U+FFFD, as the raw bytes of such a character do (validUTF8).
const replacementRef = "&#xFFFD;"

// fixCharRefs replaces every character reference to a character that XML
// 1.0 forbids (&#0;, &#x0B;, &#xD800;, &#xFFFE;, one past U+10FFFF…) with
// a reference to U+FFFD, so that one such reference in a title does not
// fail the whole feed. References inside CDATA sections and comments are
// text, not references, and stay as they are. It copies only when it must.
func fixCharRefs(data []byte) []byte {
	ref := bytes.Index(data, []byte("&#"))
	if ref < 0 {
		return data
	}
	var out []byte
	done := 0 // data[:done] is in out (when out is not nil)
	scanned := 0
	for ref >= 0 {
		// Skip the CDATA sections and comments that start before ref.
		for {
			m := bytes.Index(data[scanned:ref], []byte("<!"))
			if m < 0 {
				scanned = ref
				break
			}
			m += scanned
			var end int
			switch {
			case bytes.HasPrefix(data[m:], []byte("<![CDATA[")):
				end = indexFrom(data, m+9, "]]>", 3)
			case bytes.HasPrefix(data[m:], []byte("<!--")):
				end = indexFrom(data, m+4, "-->", 3)
			default:
				end = m + 2
			}
			scanned = end
			if end > ref {
				break
			}
		}
		if scanned > ref {
			// Inside a CDATA section or a comment.
			ref = nextRef(data, scanned)
			continue
		}
		n, ok := refLen(data[ref:])
		if ok && n > 0 {
			if out == nil {
				out = make([]byte, 0, len(data)+16)
			}
			out = append(out, data[done:ref]...)
			out = append(out, replacementRef...)
			done = ref + n
		}
		scanned = ref + 2
		ref = nextRef(data, ref+2)
	}
	if out == nil {
		return data
	}
	return append(out, data[done:]...)
}

// indexFrom returns the offset just past the first sep in data from i, or
// len(data) when there is none.
func indexFrom(data []byte, i int, sep string, n int) int {
	if k := bytes.Index(data[i:], []byte(sep)); k >= 0 {
		return i + k + n
	}
	return len(data)
}

// nextRef returns the offset of the next "&#" from i, or -1.
func nextRef(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	k := bytes.Index(data[i:], []byte("&#"))
	if k < 0 {
		return -1
	}
	return i + k
}

// refLen reads the character reference b starts with. It returns its
// length when it refers to a character XML forbids (ok), and 0 when it is
// a reference to an allowed character or no well-formed reference at all.
func refLen(b []byte) (n int, ok bool) {
	i, base := 2, 10
	if len(b) > 2 && (b[2] == 'x' || b[2] == 'X') {
		i, base = 3, 16
	}
	start := i
	for i < len(b) && i-start < 64 && isDigitIn(b[i], base) {
		i++
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[start:i]), base, 64)
	if err == nil && xmlChar(v) {
		return 0, false
	}
	return i + 1, true
}

func isDigitIn(c byte, base int) bool {
	if base == 16 {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
	}
	return c >= '0' && c <= '9'
}

// xmlChar reports whether XML 1.0 allows the character v.
func xmlChar(v uint64) bool {
	switch {
	case v == 0x9 || v == 0xA || v == 0xD:
		return true
	case v < 0x20:
		return false
	case v >= 0xD800 && v <= 0xDFFF, v == 0xFFFE, v == 0xFFFF:
		return false
	}
	return v <= 0x10FFFF
}

// rootNamespaces are, for each root element whose children gofeed reads
// only in its own namespaces, those namespaces; the first is the one a
// document in another default namespace is given.
var rootNamespaces = map[string][]string{
	"feed": {"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"},
	"rdf": {"http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/",
		"http://channel.netscape.com/rdf/simple/0.9/"},
}

// fixRootNamespace gives the root element of an Atom or RSS 1.0 document
// (data starts with it; root is its local name) its format's namespace
// when its default namespace is another: gofeed reads the elements of any
// other namespace as extensions, so such a feed (an old draft's namespace,
// a typo) would convert to no items at all. RSS 2.0 needs nothing: gofeed
// reads its root's own namespace as RSS.
func fixRootNamespace(data []byte, root string) []byte {
	known := rootNamespaces[root]
	end := bytes.IndexByte(data, '>')
	if known == nil || end < 0 {
		return data
	}
	tag := data[:end]
	i := bytes.Index(tag, []byte("xmlns"))
	for i >= 0 {
		j := i + len("xmlns")
		if i > 0 && isSpaceByte(tag[i-1]) {
			j = skipSpace(tag, j)
			if j < len(tag) && tag[j] == '=' {
				j = skipSpace(tag, j+1)
				if j < len(tag) && (tag[j] == '"' || tag[j] == '\'') {
					q := tag[j]
					k := bytes.IndexByte(tag[j+1:], q)
					if k < 0 {
						return data
					}
					ns := string(bytes.TrimSpace(tag[j+1 : j+1+k]))
					if ns == "" || slices.Contains(known, ns) {
						return data
					}
					out := make([]byte, 0, len(data)+len(known[0]))
					out = append(out, data[:j+1]...)
					out = append(out, known[0]...)
					return append(out, data[j+1+k:]...)
				}
			}
		}
		k := bytes.Index(tag[i+1:], []byte("xmlns"))
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return data
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

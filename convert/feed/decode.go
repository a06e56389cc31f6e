package feed

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// Document kinds found by sniffing the decoded bytes.
const (
	KindXML  = "xml"
	kindJSON = "json"
	kindHTML = "html"
)

// Decoded is a feed document turned into clean UTF-8: no byte-order mark, no
// XML declaration (so no parser decodes it a second time), nothing before
// the root element, and no byte that an XML or JSON parser would refuse.
type Decoded struct {
	Data []byte
	Kind string // KindXML, kindJSON or kindHTML
	Root string // the root element's local name, lowercased, for XML and HTML
	junk bool   // text stood before the first tag (a server's warning, or no XML at all)
	// notes says what a lenient reading changed (a JSON Feed field of
	// the wrong type), for the verbose output.
	notes      []string
	normalized bool // a JSON document is in the shape gofeed takes
}

// Decode turns raw feed bytes into UTF-8. contentType is the HTTP
// Content-Type header, empty for files and standard input; its charset wins
// over the XML declaration, as RFC 7303 says, except when it claims UTF-8
// for bytes that are not UTF-8 and the declaration names another charset.
// A gzip-compressed document (a saved .xml.gz, or a server that compresses
// twice) is decompressed first, up to maxSize bytes (0: no cap).
func Decode(raw []byte, contentType string, maxSize int64) (*Decoded, error) {
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		var err error
		if raw, err = gunzip(raw, maxSize); err != nil {
			return nil, err
		}
	}
	data, fromBOM, err := decodeUTF16(raw)
	if err != nil {
		return nil, err
	}
	if !fromBOM {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	}
	start := skipSpace(data, 0)
	if start < len(data) && (data[start] == '{' || data[start] == '[') {
		return &Decoded{Data: validUTF8(data[start:], false), Kind: kindJSON}, nil
	}
	if !fromBOM {
		label := pickCharset(xmlDeclEncoding(data[start:]), contentType, func() bool { return utf8.Valid(data) })
		if data, err = toUTF8(data, label); err != nil {
			return nil, err
		}
	}
	data = cleanXML(data)
	root, name := findRoot(data)
	if root < 0 {
		if skipSpace(data, 0) == len(data) {
			return nil, &fetch.NotFeedError{What: "the input is empty"}
		}
		return nil, &fetch.NotFeedError{What: "neither XML nor JSON"}
	}
	d := &Decoded{Data: data[root:], Kind: KindXML, Root: name, junk: data[skipSpace(data, 0)] != '<'}
	switch name {
	case "html":
		d.Kind = kindHTML
		return d, nil
	case "feed", "rdf":
		d.Data = fixRootNamespace(d.Data, name)
	}
	return d, nil
}

// Sniff looks at the first bytes of a document longer than them, before
// the rest is read, and fails when they cannot start a feed: nothing like
// markup or JSON in the first 4 KB (a device of zeros, a binary file), or
// a root element that is no feed's. An HTML page passes (it may link to
// its feed), and so does anything sniff cannot judge from so few bytes.
func Sniff(prefix []byte, contentType string) error {
	if len(prefix) >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(prefix))
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		out := make([]byte, len(prefix))
		n, _ := io.ReadFull(zr, out)
		prefix = out[:n]
	}
	d, err := Decode(prefix, contentType, 0)
	if err == nil {
		if bytes.IndexAny(d.Data, " \t\r\n/>") < 0 {
			return nil // the root element's name is cut off: cannot tell
		}
		if d.Kind == KindXML {
			return rootError(d)
		}
		return nil
	}
	var nf *fetch.NotFeedError
	if !errors.As(err, &nf) {
		return nil
	}
	// No element in the prefix: fine if markup starts early (a long
	// comment or DOCTYPE), not if the first 4 KB are all text.
	data, fromBOM, _ := decodeUTF16(prefix)
	if !fromBOM {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	}
	if bytes.IndexByte(data[:min(len(data), 4<<10)], '<') < 0 {
		return &fetch.NotFeedError{What: "neither XML nor JSON in its first 4 KB"}
	}
	return nil
}

// gunzip decompresses data, failing when the result exceeds maxSize bytes.
func gunzip(data []byte, maxSize int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	var r io.Reader = zr
	if maxSize > 0 {
		r = io.LimitReader(zr, maxSize+1)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if maxSize > 0 && int64(len(out)) > maxSize {
		return nil, &fetch.TooLargeError{Limit: maxSize}
	}
	return out, nil
}

// decodeUTF16 converts UTF-16 input (with a byte-order mark, or recognised
// by the zero bytes around a leading '<' or '{') to UTF-8. It reports
// whether it did, in which case any XML declaration is dropped from the
// result: it no longer tells the truth about the encoding.
func decodeUTF16(data []byte) ([]byte, bool, error) {
	var bigEndian bool
	switch {
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		bigEndian, data = true, data[2:]
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		data = data[2:]
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0:
		bigEndian = true
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
	default:
		return data, false, nil
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	out := []byte(string(utf16.Decode(units)))
	start := skipSpace(out, 0)
	if bytes.HasPrefix(out[start:], []byte("<?xml")) {
		if end := bytes.Index(out[start:], []byte("?>")); end >= 0 {
			out = out[start+end+2:]
		}
	}
	return out, true, nil
}

// pickCharset chooses between the charset an XML declaration names and
// the one of the HTTP Content-Type: the header's wins, as RFC 7303 says,
// except when it claims UTF-8 for bytes that are not (valid reports
// whether they are) and the declaration names another charset.
func pickCharset(declared, contentType string, valid func() bool) string {
	httpLabel := contentTypeCharset(contentType)
	if httpLabel == "" || isUTF8Label(httpLabel) && declared != "" && !isUTF8Label(declared) && !valid() {
		return declared
	}
	return httpLabel
}

// contentTypeCharset returns the charset parameter of an HTTP Content-Type.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

func isUTF8Label(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-8" || l == "utf8" || l == "unicode-1-1-utf-8"
}

// xmlDeclEncoding returns the encoding named by a leading XML declaration.
func xmlDeclEncoding(data []byte) string {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := data[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// toUTF8 decodes data from the named charset. UTF-8, an empty label and a
// label the charset package does not know leave the bytes as they are
// (invalid sequences are replaced later). The XML declaration is removed so
// that the feed parser does not decode the result a second time.
func toUTF8(data []byte, label string) ([]byte, error) {
	data = dropXMLDecl(data)
	if label == "" || isUTF8Label(label) {
		return data, nil
	}
	enc, name := charset.Lookup(label)
	if enc == nil || name == "utf-8" {
		return data, nil
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", label, err)
	}
	return out, nil
}

// dropXMLDecl removes a leading XML declaration (after white space).
func dropXMLDecl(data []byte) []byte {
	start := skipSpace(data, 0)
	if !bytes.HasPrefix(data[start:], []byte("<?xml")) {
		return data
	}
	end := bytes.Index(data[start:], []byte("?>"))
	if end < 0 {
		return data
	}
	return data[start+end+2:]
}

// plainASCII8 reports whether the eight bytes packed in w are all ASCII
// from space up, which validUTF8 can pass over without a look. Subtracting
// 0x20 from each byte sets its top bit if it was below 0x20 (a borrow it
// passes on only upward, from a byte already caught); or-ing w sets it if
// it was 0x80 or above.
func plainASCII8(w uint64) bool {
	return ((w-0x2020202020202020)|w)&0x8080808080808080 == 0
}

// validUTF8 replaces invalid UTF-8 with U+FFFD and, for XML, every
// character XML 1.0 forbids (C0 controls other than tab, newline and
// carriage return; U+FFFE; U+FFFF) as well. It copies only when it must.
func validUTF8(data []byte, forXML bool) []byte {
	bad := func(r rune, size int) bool {
		if r == utf8.RuneError && size <= 1 {
			return true
		}
		if !forXML {
			return false
		}
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF
	}
	i := 0
	for i < len(data) {
		if i+8 <= len(data) && plainASCII8(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
			continue
		}
		c := data[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if bad(r, size) {
			break
		}
		i += size
	}
	if i == len(data) {
		return data
	}
	out := make([]byte, 0, len(data)+16)
	out = append(out, data[:i]...)
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if bad(r, size) {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// findRoot returns the offset of the root element and its lowercased local
// name, skipping white space, processing instructions, comments and a
// DOCTYPE (with an internal subset) of any length. It returns -1 when there
// is no element.
func findRoot(data []byte) (int, string) {
	i := 0
	for {
		var ok bool
		if i, ok = nextTag(data, i); !ok || i < 0 {
			return -1, ""
		}
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!")):
			i += doctypeEnd(rest)
		default:
			j := 1
			for j < len(rest) && !isNameEnd(rest[j]) {
				j++
			}
			name := strings.ToLower(string(rest[1:j]))
			if k := strings.IndexByte(name, ':'); k >= 0 {
				name = name[k+1:]
			}
			if name == "" {
				i++
				continue
			}
			return i, name
		}
	}
}

// nextTag returns the offset of the first '<' at or after i that does not
// open a comment, CDATA section or processing instruction (those are
// passed over whole: their text may look like tags), or -1 if there is
// none. ok is false when one of them is never closed.
func nextTag(data []byte, i int) (pos int, ok bool) {
	for i < len(data) {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		i += j
		n := markupEnd(data[i:])
		if n == 0 {
			return i, true
		}
		if n < 0 {
			return -1, false
		}
		i += n
	}
	return -1, true
}

// markupEnd returns the length of the comment, CDATA section or
// processing instruction that data starts with: 0 when it starts with none
// of them, -1 when it is not closed. Their text may look like tags.
func markupEnd(data []byte) int {
	for _, m := range [...]struct{ open, close string }{
		{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"},
	} {
		if bytes.HasPrefix(data, []byte(m.open)) {
			k := bytes.Index(data[len(m.open):], []byte(m.close))
			if k < 0 {
				return -1
			}
			return len(m.open) + k + len(m.close)
		}
	}
	return 0
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/'
}

// doctypeEnd returns the length of a "<!DOCTYPE …>" declaration, counting
// an internal subset in brackets and quoted strings.
func doctypeEnd(data []byte) int {
	depth := 0
	var quote byte
	for j := 2; j < len(data); j++ {
		c := data[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return j + 1
		}
	}
	return len(data)
}

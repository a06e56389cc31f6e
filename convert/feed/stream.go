package feed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"hash"
	"io"
	"os"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// A document larger than fetch.MemMax is never held whole. It is read once, as
// a stream, by scanBig: the bytes are decoded to UTF-8 on the way (gzip,
// UTF-16, another charset) and, unless they are a local file that needs
// no decoding, written to a temporary spool file; meanwhile the items'
// byte spans are found. The items are then parsed in runs read back from
// the file (parseRuns), a few runs ahead of the writer, so that what is
// in memory is the spans (16 bytes an item) and the items in flight.
//
// Two passes, because the writer is told how many items there are before
// the first is written; and a filter (Limit, Since) that needs every
// item's date reads the items a second time, keeping only those it
// selected, rather than holding them all.

// WholeMax is the largest document parsed whole, in memory: a JSON feed,
// an HTML page (for autodiscovery), or an XML feed that does not cut
// cleanly between its items. A variable for tests.
var WholeMax = 64 << 20

const (
	// partMax caps the head and the tail of a cut document, and the
	// longest single piece of markup (a comment, a CDATA section, a tag)
	// the scan holds at once.
	partMax = 16 << 20
)

// bigDoc is a large document after the first pass.
type bigDoc struct {
	file    *os.File // the document as UTF-8: the local file itself, or the spool
	spooled bool     // file is a temporary file, removed on close
	size    int64
	root    string // the root element's local name, lowercased
	rootOff int64
	spans   [][2]int64   // nil when the items could not be cut safely
	sum     string       // SHA-256 of the raw bytes, when this pass summed them
	json    *jsonScanner // a JSON Feed's first pass; nil for XML
}

// close releases the file; the spool is removed.
func (b *bigDoc) close() {
	if b == nil || b.file == nil {
		return
	}
	b.file.Close()
	if b.spooled {
		os.Remove(b.file.Name())
	}
	b.file = nil
}

// cleanXML is the one place every XML byte passes through before a parser
// sees it, whole (decode) or a run of items at a time (bigDoc): invalid
// UTF-8, the characters XML forbids and references to them become U+FFFD.
// A run is whole items, so no CDATA section or comment is cut.
func cleanXML(b []byte) []byte {
	return fixCharRefs(validUTF8(b, true))
}

// scanBig reads f (body, then rest) to its end: the first pass. It sums
// the raw bytes when sum is set. A document that is not XML, or whose
// root element is not a feed's, is returned in memory as a decoded
// document instead, when it is at most WholeMax bytes.
//
// It is long because the first pass reads, decodes, sums and scans a stream
// in one loop, whose buffers the cases share.
func scanBig(ctx context.Context, f *fetch.Fetched, sum bool, workers int) (*bigDoc, *Decoded, error) {
	var raw io.Reader = io.MultiReader(bytes.NewReader(f.Body), f.Rest)
	var h hash.Hash
	if sum {
		h = sha256.New()
		raw = io.TeeReader(raw, h)
	}
	var r io.Reader = raw
	transformed := false
	if len(f.Body) >= 2 && f.Body[0] == 0x1f && f.Body[1] == 0x8b {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		r = fetch.NewGuardedReader(ctx, zr, f.Limit)
		transformed = true
	}
	br := bufio.NewReaderSize(r, fetch.SniffSize)
	peek, err := br.Peek(fetch.SniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, nil, err
	}
	r = br
	// The same choices as decode, made on the first bytes.
	switch {
	case bytes.HasPrefix(peek, []byte{0xfe, 0xff}), bytes.HasPrefix(peek, []byte{0xff, 0xfe}):
		big := peek[0] == 0xfe
		br.Discard(2)
		r, transformed = utf16Reader(br, big), true
	case len(peek) >= 4 && peek[0] == 0 && peek[1] != 0 && peek[2] == 0:
		r, transformed = utf16Reader(br, true), true
	case len(peek) >= 4 && peek[0] != 0 && peek[1] == 0 && peek[2] != 0 && peek[3] == 0:
		r, transformed = utf16Reader(br, false), true
	default:
		text := bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf"))
		start := skipSpace(text, 0)
		if start < len(text) && text[start] == '[' {
			return wholeDoc(ctx, r, h, f) // JSON, but no feed: said as the whole parse says it
		}
		if start < len(text) && text[start] == '{' {
			break // a JSON Feed: UTF-8, streamed below
		}
		// Only the first bytes can be judged here: a document whose
		// first 64 KB are valid UTF-8 keeps the header's UTF-8.
		label := pickCharset(xmlDeclEncoding(text[start:]), f.ContentType, func() bool { return validPrefix(text) })
		if label != "" && !isUTF8Label(label) {
			if enc, name := charset.Lookup(label); enc != nil && name != "utf-8" {
				r, transformed = transform.NewReader(br, enc.NewDecoder()), true
			}
		}
	}

	b := &bigDoc{}
	var spool *bufio.Writer
	if !transformed && f.File != nil {
		b.file = f.File
	} else {
		tmp, err := os.CreateTemp("", "feed2md-spool-*.xml")
		if err != nil {
			return nil, nil, fmt.Errorf("spool file for a large feed: %w", err)
		}
		b.file, b.spooled = tmp, true
		// Unlinked at once where the system allows it (the open file stays
		// readable), so that not even a killed run leaves it behind.
		os.Remove(tmp.Name())
		spool = bufio.NewWriterSize(tmp, 1<<20)
	}
	ok := false
	defer func() {
		if !ok {
			if b.spooled {
				b.close()
			}
		}
	}()

	mem := make([]byte, 4<<20)
	lo, hi := 0, 0 // mem[lo:hi] is read and not yet scanned
	var base int64 // the offset of mem[lo] in the document
	var sc *spanScanner
	var scan func(buf []byte, base int64, atEOF bool) int // sc's or the JSON scanner's
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if hi == len(mem) {
			switch {
			case lo > 0:
				hi = copy(mem, mem[lo:hi])
				lo = 0
			case len(mem) >= partMax:
				return nil, nil, fmt.Errorf("a single piece of markup at byte %d is longer than %s: not a feed this program can stream", base, fetch.FormatSize(partMax))
			default:
				mem = append(mem, make([]byte, len(mem))...)
				mem = mem[:cap(mem)]
			}
		}
		n, err := r.Read(mem[hi:])
		if n > 0 && spool != nil {
			if _, werr := spool.Write(mem[hi : hi+n]); werr != nil {
				return nil, nil, fmt.Errorf("spool file for a large feed: %w", werr)
			}
		}
		hi += n
		atEOF := err == io.EOF
		if err != nil && !atEOF {
			return nil, nil, err
		}
		buf := mem[lo:hi]
		if scan == nil {
			// The root element, within the first bytes.
			if len(buf) < fetch.SniffSize && !atEOF {
				continue
			}
			if at := jsonStart(buf); at >= 0 {
				js := newJSONScanner()
				b.json, b.rootOff, scan = js, int64(at), js.scan
				used := at + scan(buf[at:], int64(at), atEOF)
				lo, base = lo+used, base+int64(used)
				if atEOF {
					break
				}
				continue
			}
			root, name := findRoot(buf)
			if root >= 0 && !atEOF && bytes.IndexAny(buf[root:], " \t\r\n/>") < 0 {
				continue // the root element's name is cut off: read on
			}
			if root < 0 {
				return nil, nil, &fetch.NotFeedError{What: "no XML element in its first " + fetch.FormatSize(fetch.SniffSize)}
			}
			d := &Decoded{Kind: KindXML, Root: name, junk: buf[skipSpace(buf, 0)] != '<'}
			if name == "html" {
				d.Kind = kindHTML
			}
			if d.Kind == kindHTML || !feedRoots[name] {
				if err := rootError(d); err != nil && d.Kind != kindHTML {
					return nil, nil, err
				}
				// An HTML page, read whole for autodiscovery.
				return wholeDoc(ctx, io.MultiReader(bytes.NewReader(buf), r), h, f)
			}
			b.root, b.rootOff = name, int64(root)
			sc = &spanScanner{tag: itemTag(name), open: -1}
			scan = sc.scan
			used := root + scan(buf[root:], int64(root), atEOF)
			lo, base = lo+used, base+int64(used)
		} else {
			used := scan(buf, base, atEOF)
			lo, base = lo+used, base+int64(used)
		}
		if atEOF {
			break
		}
	}
	buf := mem[lo:hi]
	b.size = base + int64(len(buf))
	if spool != nil {
		if err := spool.Flush(); err != nil {
			return nil, nil, fmt.Errorf("spool file for a large feed: %w", err)
		}
	}
	if sc != nil && !sc.broken && sc.open < 0 {
		b.spans = sc.spans // a JSON Feed's are b.json's
	}
	if h != nil {
		b.sum = hex.EncodeToString(h.Sum(nil))
	}
	ok = true
	return b, nil, nil
}

// utf16Reader decodes UTF-16 of the given byte order, as decodeUTF16 does.
func utf16Reader(r io.Reader, bigEndian bool) io.Reader {
	e := unicode.LittleEndian
	if bigEndian {
		e = unicode.BigEndian
	}
	return transform.NewReader(r, unicode.UTF16(e, unicode.IgnoreBOM).NewDecoder())
}

// validPrefix reports whether b is valid UTF-8 but for a character cut
// at its end.
func validPrefix(b []byte) bool {
	for k := 0; k < utf8.UTFMax && k < len(b); k++ {
		if utf8.Valid(b[:len(b)-k]) {
			return true
		}
	}
	return utf8.Valid(b)
}

// wholeDoc reads the rest of a document that must be parsed whole, at
// most WholeMax bytes after decoding, and decodes it as decode does.
func wholeDoc(ctx context.Context, r io.Reader, h hash.Hash, f *fetch.Fetched) (*bigDoc, *Decoded, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(WholeMax)+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > WholeMax {
		return nil, nil, fmt.Errorf("a feed that is not XML, or an HTML page, larger than %s: too large to be parsed whole", fetch.FormatSize(int64(WholeMax)))
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	d, err := Decode(data, f.ContentType, 0)
	if err != nil {
		return nil, nil, err
	}
	b := &bigDoc{}
	if h != nil {
		// The rest of the raw bytes, for the sum: there is none when the
		// reader above read them all.
		if _, err := io.Copy(h, f.Rest); err != nil {
			return nil, nil, err
		}
		b.sum = hex.EncodeToString(h.Sum(nil))
	}
	return b, d, nil
}

// readBack returns the bytes [lo, hi) of the document, made valid by clean.
func (b *bigDoc) readBack(lo, hi int64, clean func([]byte) []byte) ([]byte, error) {
	buf := make([]byte, hi-lo)
	if _, err := b.file.ReadAt(buf, lo); err != nil {
		return nil, fmt.Errorf("reading the feed back: %w", err)
	}
	return clean(buf), nil
}

// wholeBack returns the document from its root on, by read, when it is
// small enough to be parsed whole.
func (b *bigDoc) wholeBack(read func(lo, hi int64) ([]byte, error)) ([]byte, error) {
	if b.size-b.rootOff > int64(WholeMax) {
		return nil, fmt.Errorf("at %d bytes it is %w", b.size, errWholeTooLarge)
	}
	return read(b.rootOff, b.size)
}

// runDoc returns the document as runs for parseRuns, reading each run from
// the file. It fails when the items could not be cut and the document is
// too large to be parsed whole.
func (b *bigDoc) runDoc() (*runDoc, error) {
	read := func(lo, hi int64) ([]byte, error) { return b.readBack(lo, hi, cleanXML) }
	whole := func() (*gofeed.Feed, error) {
		data, err := b.wholeBack(read)
		if err != nil {
			return nil, err
		}
		return ParseFeed(&Decoded{Data: fixRootNamespace(data, b.root), Kind: KindXML, Root: b.root})
	}
	rd := &runDoc{spans: b.spans, stash: b.root != "feed", owned: true, read: read, whole: whole}
	if len(b.spans) == 0 || b.spans[0][0]-b.rootOff > partMax || b.size-b.spans[len(b.spans)-1][1] > partMax {
		rd.spans = nil
		return rd, nil
	}
	var err error
	if rd.head, err = read(b.rootOff, b.spans[0][0]); err != nil {
		return nil, err
	}
	rd.head = fixRootNamespace(rd.head, b.root)
	if rd.tail, err = read(b.spans[len(b.spans)-1][1], b.size); err != nil {
		return nil, err
	}
	return rd, nil
}

// parseBig parses a large document: in runs when it cuts cleanly, whole
// when it does not and is small enough.
func parseBig(b *bigDoc, workers int) (*gofeed.Feed, *Items, error) {
	if b.json != nil {
		return parseBigJSON(b, workers)
	}
	if b.size-b.rootOff <= int64(fetch.MemMax) {
		// Small once decoded (a compressed feed): parsed as in memory.
		buf := make([]byte, b.size-b.rootOff)
		if _, err := b.file.ReadAt(buf, b.rootOff); err != nil {
			return nil, nil, fmt.Errorf("reading the feed back: %w", err)
		}
		b.close()
		return parseStream(&Decoded{Data: fixRootNamespace(cleanXML(buf), b.root), Kind: KindXML, Root: b.root}, workers)
	}
	rd, err := b.runDoc()
	if err != nil {
		return nil, nil, err
	}
	cut := errCut
	if rd.spans != nil {
		feed, list, err := parseRuns(rd, max(workers, 2), nil)
		if err == nil {
			return feed, list, nil
		}
		if !errors.Is(err, errCut) {
			return nil, nil, err
		}
		cut = err
	}
	feed, err := rd.whole()
	if errors.Is(err, errWholeTooLarge) {
		err = fmt.Errorf("%w, and %v", cut, err)
	}
	if err != nil {
		return nil, nil, err
	}
	list := feed.Items
	feed.Items = nil
	return feed, SliceItems(list), nil
}

// spanScanner finds the spans of the items of a document given to it a
// piece at a time, as elementSpans does for a whole one.
type spanScanner struct {
	tag    []byte
	open   int64 // where the item being read started; -1 outside one
	spans  [][2]int64
	broken bool // an item nested in another or never closed: no cut
}

// scan reads buf, which starts at offset base of the document, and
// returns how many of its bytes it is done with: all but a piece of
// markup cut by buf's end, unless atEOF says there is no more.
func (s *spanScanner) scan(buf []byte, base int64, atEOF bool) int {
	i := 0
	for !s.broken {
		j := bytes.IndexByte(buf[i:], '<')
		if j < 0 {
			return len(buf)
		}
		i += j
		rest := buf[i:]
		if len(rest) < len(cdataOpen) && !atEOF {
			return i // too short to tell what it opens
		}
		n := markupEnd(rest)
		if n < 0 {
			if atEOF {
				s.broken = true
				break
			}
			return i
		}
		if n > 0 {
			i += n
			continue
		}
		closing := len(rest) > 1 && rest[1] == '/'
		name := rest[1:]
		if closing {
			name = rest[2:]
		}
		if !bytes.HasPrefix(name, s.tag) || len(name) == len(s.tag) || !isNameEnd(name[len(s.tag)]) {
			i++
			continue
		}
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			if atEOF {
				s.broken = true
				break
			}
			return i
		}
		at := base + int64(i)
		switch {
		case closing:
			if s.open < 0 {
				s.broken = true
				break
			}
			s.spans = append(s.spans, [2]int64{s.open, at + int64(end) + 1})
			s.open = -1
		case s.open >= 0:
			s.broken = true // nested
		case rest[end-1] == '/':
			s.spans = append(s.spans, [2]int64{at, at + int64(end) + 1})
		default:
			s.open = at
		}
		i += end + 1
	}
	return len(buf)
}

package feed

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ListEntry is one feed of a feed list, with the line it is on, so that a
// message about it can say where to fix it.
type ListEntry struct {
	Feed string // the URL or path as the list gives it, without comment or indentation
	Line int    // the line of the list it is on, from 1
}

// ReadList reads a list of feeds: an OPML file (recognised by its root
// element <opml>; every outline's xmlUrl, at any depth), or a plain list
// with one URL or path a line. In a plain list, blank lines and
// indentation are fine, and '#' at the start of a line or after white
// space (a space or a tab) starts a comment that runs to the end of the
// line; a '#' inside a word, as in a URL's fragment, does not.
func ReadList(data []byte) ([]ListEntry, error) {
	d, err := Decode(data, "", 0)
	if err == nil && d.Kind == KindXML && d.Root == "opml" {
		// The decoded document starts at <opml>: count the lines before
		// it in the list as given (exact for UTF-8, the usual encoding).
		before := 0
		if i := bytes.Index(bytes.ToLower(data), []byte("<opml")); i >= 0 {
			before = bytes.Count(data[:i], []byte("\n"))
		}
		return readOPML(d.Data, before)
	}
	var feeds []ListEntry
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(stripComment(sc.Text()))
		if line == "" {
			continue
		}
		feeds = append(feeds, ListEntry{Feed: line, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return feeds, nil
}

// stripComment cuts line at its first '#' that starts the line or follows
// a space or a tab.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// readOPML collects the xmlUrl of every outline, in document order, with
// the line on which the outline's start tag ends; before is the number of
// lines of the list before data.
func readOPML(data []byte, before int) ([]ListEntry, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var feeds []ListEntry
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			line += before
			return nil, fmt.Errorf("line %d: OPML: %w", line, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(se.Name.Local, "outline") {
			continue
		}
		for _, a := range se.Attr {
			if strings.EqualFold(a.Name.Local, "xmlUrl") && strings.TrimSpace(a.Value) != "" {
				line, _ := dec.InputPos()
				line += before
				feeds = append(feeds, ListEntry{Feed: strings.TrimSpace(a.Value), Line: line})
			}
		}
	}
	if len(feeds) == 0 {
		return nil, errors.New("OPML: no outline has an xmlUrl")
	}
	return feeds, nil
}

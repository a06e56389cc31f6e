package convert

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadFeedList reads a list of feeds: an OPML file (recognised by its root
// element <opml>; every outline's xmlUrl, at any depth), or a plain list
// with one URL or path a line, where blank lines and lines starting with
// '#' are skipped.
func ReadFeedList(data []byte) ([]string, error) {
	d, err := decode(data, "", 0)
	if err == nil && d.kind == kindXML && d.root == "opml" {
		return readOPML(d.data)
	}
	var feeds []string
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		feeds = append(feeds, line)
	}
	return feeds, sc.Err()
}

// readOPML collects the xmlUrl of every outline, in document order.
func readOPML(data []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var feeds []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("OPML: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(se.Name.Local, "outline") {
			continue
		}
		for _, a := range se.Attr {
			if strings.EqualFold(a.Name.Local, "xmlUrl") && strings.TrimSpace(a.Value) != "" {
				feeds = append(feeds, strings.TrimSpace(a.Value))
			}
		}
	}
	if len(feeds) == 0 {
		return nil, errors.New("OPML: no outline has an xmlUrl")
	}
	return feeds, nil
}

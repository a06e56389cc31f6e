package folder

// The folder's memory, .feed2md-ids.json: which item owns which file,
// read when the store opens and replaced whole at the end of a run.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"feed2md/convert/arena"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// idsVersion is the version of IDsFile written now. Version 1 (a bare
// object of identity → slug, written by earlier releases) is still read.
const idsVersion = 2

// IDsDoc is IDsFile: for every item the folder holds, its identity and
// what it was written with, so that a later run finds its file again.
type IDsDoc struct {
	Version int                `json:"version"`
	Items   map[string]IDEntry `json:"items"`
}

// IDEntry is what IDsFile remembers of one item.
type IDEntry struct {
	Slug  string `json:"slug"`            // the file's slug
	Link  string `json:"link,omitempty"`  // its link, when the key does not hold it
	Title string `json:"title,omitempty"` // TitleSum of its title
	Feed  string `json:"feed,omitempty"`  // sum of its feed's source key
}

// claimer is the link and title sum of the item that claimed a key in this run.
type claimer struct {
	link  arena.Digest
	title arena.Sum
}

// entryLink returns the link an entry was written with: its own, else the
// one its key holds.
func entryLink(key string, e IDEntry) string {
	switch {
	case e.Link != "":
		return e.Link
	case strings.HasPrefix(key, keyLink):
		return key[len(keyLink):]
	case strings.HasPrefix(key, keyLinkText):
		link, _, _ := strings.Cut(key[len(keyLinkText):], "\x00")
		return link
	}
	return ""
}

// readIDs loads IDsFile, dropping entries whose file is gone.
func (s *Store) readIDs() error {
	data, err := ReadOwn(filepath.Join(s.dir, IDsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	var doc IDsDoc
	if err := json.Unmarshal(data, &doc); err != nil || doc.Version != idsVersion {
		// Version 1: identity → slug.
		var v1 map[string]string
		if err := json.Unmarshal(data, &v1); err != nil {
			// A damaged memory is rebuilt from the files' links.
			s.idsDirt = true
			return nil
		}
		doc.Items = make(map[string]IDEntry, len(v1))
		for key, slug := range v1 {
			doc.Items[key] = IDEntry{Slug: slug}
		}
		s.idsDirt = true // rewritten in the current version
	}
	keys := make([]string, 0, len(doc.Items))
	for key := range doc.Items {
		keys = append(keys, key)
	}
	sort.Strings(keys) // which of two keys naming one file wins does not depend on map order
	for _, key := range keys {
		e := doc.Items[key]
		i := s.slugRec(e.Slug)
		if i >= 0 && s.recs[i].flags&recEmptyBundle != 0 && s.bundle {
			// The item's bundle, its index.md deleted: it comes back there,
			// beside whatever else the folder holds.
			i = s.add(rec{slug: s.strs.Add(e.Slug), flags: recDir})
			s.bySlug[arena.DigestOf(e.Slug)] = i
		}
		if i < 0 || s.recs[i].flags&recForeign != 0 || s.recs[i].key.Len != 0 || e.Slug == "" {
			// Gone, not a file of ours, or another item's.
			s.idsDirt = true
			continue
		}
		r := &s.recs[i]
		r.key = s.strs.Add(key)
		s.byKey[arena.DigestOf(key)] = i
		if e.Title != "" {
			r.title = arena.ParseSum(e.Title)
		}
		r.feed = arena.ParseSum(e.Feed)
		if link := entryLink(key, e); link != "" && r.link.Len == 0 {
			r.link = s.strs.Add(link)
			s.linkTo(i, link)
		}
	}
	return nil
}

// readFrontMatter returns the link, date and title keys of a file's front
// matter. The lines feed2md writes are read directly; anything else (a
// user's template, a hand edit) goes through a YAML parser.
func readFrontMatter(path string) (link, date, title string, hasTitle bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", "", false
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 4096)
	first, err := r.ReadString('\n')
	if err != nil || strings.TrimRight(first, "\r\n") != "---" {
		return "", "", "", false
	}
	var block bytes.Buffer
	fast := true
	for n := 0; n < 10000; n++ {
		line, err := r.ReadString('\n')
		trimmed := strings.TrimRight(line, "\r\n")
		if trimmed == "---" || trimmed == "..." {
			break
		}
		block.WriteString(line)
		switch {
		case strings.HasPrefix(trimmed, "link: "):
			v, ok := singleQuoted(trimmed[len("link: "):])
			if !ok {
				fast = false
			}
			link = v
		case strings.HasPrefix(trimmed, "title: "):
			v, ok := plainDoubleQuoted(trimmed[len("title: "):])
			if !ok {
				fast = false
			}
			title, hasTitle = v, ok
		case strings.HasPrefix(trimmed, "date: "):
			date = strings.TrimSpace(trimmed[len("date: "):])
		}
		if err != nil {
			return "", "", "", false
		}
	}
	if fast && link != "" {
		return link, date, title, hasTitle
	}
	var m map[string]any
	if yaml.Unmarshal(block.Bytes(), &m) != nil {
		return link, date, title, hasTitle
	}
	if v, ok := m["link"].(string); ok {
		link = v
	}
	if v, ok := m["title"].(string); ok {
		title, hasTitle = v, true
	}
	return link, date, title, hasTitle
}

// plainDoubleQuoted decodes a one-line YAML double-quoted scalar that has
// no escapes (a title with escapes goes through the YAML parser).
func plainDoubleQuoted(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	if strings.ContainsAny(inner, "\\\"") {
		return "", false
	}
	return inner, true
}

// singleQuoted decodes a one-line YAML single-quoted scalar.
func singleQuoted(v string) (string, bool) {
	if len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

// Flush saves the folder's memory of identities when it changed.
func (s *Store) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.idsDirt {
		return nil
	}
	path := filepath.Join(s.dir, IDsFile)
	w := idsWriter{s: s, order: s.idsOrder()}
	// A run can change the memory and change it back (an item claimed
	// under the key its feed had shown so far, then recorded under its
	// final one): the same bytes are not written again. The new bytes
	// are summed first, and written only if the old file's differ.
	if old, err := sumOwn(path); err == nil {
		h := sha256.New()
		if err := w.writeTo(h); err == nil && bytes.Equal(h.Sum(nil), old) {
			s.idsDirt = false
			return nil
		}
	}
	if err := atomicWriteFunc(path, w.writeTo); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	s.idsDirt = false
	return nil
}

// RollBack removes the files created in this run that the next run could
// not tell as their items' without this run's IDsFile, when it cannot be
// saved (see convert.Converter.Close): an item known by its id or hash alone, or
// written by a template without the link or title keys, would otherwise
// be written again next run under another name. A file whose front matter
// has its item's link and title is found by them, and stays. Each file
// removed is forgotten, and written again by the next run. RollBack
// returns how many files it removed, and how many it could not.
func (s *Store) RollBack() (removed, kept int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.recs {
		r := &s.recs[i]
		if r.flags&recNew == 0 || r.key.Len == 0 {
			continue
		}
		path := filepath.Join(s.dir, s.name(int32(i)))
		link, _, title, hasTitle := readFrontMatter(path)
		if link != "" && s.strs.Eq(r.link, link) && hasTitle && r.title.Known && TitleSum(title) == r.title {
			continue
		}
		_, err := os.Lstat(path)
		written := err == nil
		top := path
		if r.flags&recDir != 0 {
			// A bundle made in this run: its images go with it, and one
			// that has only images (its item not written) goes too.
			top = filepath.Join(s.dir, s.strs.Str(r.slug))
		}
		if err := os.RemoveAll(top); err != nil && written {
			kept++
			continue
		}
		if written {
			removed++
		}
		s.forget(int32(i))
	}
	return removed, kept
}

// idsOrder returns the files IDsFile records, in the order of their keys.
func (s *Store) idsOrder() []int32 {
	var order []int32
	for i := range s.recs {
		r := &s.recs[i]
		if r.key.Len == 0 || r.flags&recForeign != 0 || s.byKey[arena.DigestOf(string(s.strs.Bytes(r.key)))] != int32(i) {
			continue // no key, or a key another file took over
		}
		order = append(order, int32(i))
	}
	sort.Slice(order, func(a, b int) bool {
		return bytes.Compare(s.strs.Bytes(s.recs[order[a]].key), s.strs.Bytes(s.recs[order[b]].key)) < 0
	})
	return order
}

// idsWriter writes IDsFile as encoding/json's MarshalIndent(IDsDoc, "",
// " ") does, one entry at a time instead of from one map and one buffer
// (tens of megabytes for a large feed).
type idsWriter struct {
	s     *Store
	order []int32
}

func (w idsWriter) writeTo(dst io.Writer) error {
	s := w.s
	bw := bufio.NewWriterSize(dst, 64<<10)
	fmt.Fprintf(bw, "{\n \"version\": %d,\n \"items\": {", idsVersion)
	for n, i := range w.order {
		r := &s.recs[i]
		if n > 0 {
			bw.WriteByte(',')
		}
		key := string(s.strs.Bytes(r.key))
		bw.WriteString("\n  ")
		writeJSONString(bw, key)
		bw.WriteString(": {\n   \"slug\": ")
		writeJSONString(bw, string(s.strs.Bytes(r.slug)))
		if link := string(s.strs.Bytes(r.link)); link != entryLink(key, IDEntry{}) && link != "" {
			bw.WriteString(",\n   \"link\": ")
			writeJSONString(bw, link)
		}
		if r.title.Known {
			bw.WriteString(",\n   \"title\": ")
			writeJSONString(bw, r.title.String())
		}
		if r.feed.Known {
			bw.WriteString(",\n   \"feed\": ")
			writeJSONString(bw, r.feed.String())
		}
		bw.WriteString("\n  }")
	}
	if len(w.order) > 0 {
		bw.WriteString("\n ")
	}
	bw.WriteString("}\n}\n")
	return bw.Flush()
}

// writeJSONString writes s as encoding/json writes a string: plain
// printable ASCII as it is, anything else through encoding/json itself.
func writeJSONString(w *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			w.Write(b)
			return
		}
	}
	w.WriteByte('"')
	w.WriteString(s)
	w.WriteByte('"')
}

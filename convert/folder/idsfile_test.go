package folder

import (
	"bytes"
	"encoding/json"
	"feed2md/convert/arena"
	"testing"
	"unicode/utf8"
)

// idsBytes returns IDsFile as the store writes it, and as
// encoding/json's MarshalIndent writes the same entries.
func idsBytes(t testing.TB, s *Store) (got, want []byte) {
	items := map[string]IDEntry{}
	for i := range s.recs {
		r := &s.recs[i]
		key := s.strs.Str(r.key)
		if key == "" || s.keyRec(key) != int32(i) || r.flags&recForeign != 0 {
			continue
		}
		e := IDEntry{Slug: s.strs.Str(r.slug), Title: r.title.String(), Feed: r.feed.String()}
		if link := s.strs.Str(r.link); link != entryLink(key, IDEntry{}) {
			e.Link = link
		}
		items[key] = e
	}
	want, err := json.MarshalIndent(IDsDoc{Version: idsVersion, Items: items}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	var buf bytes.Buffer
	if err := (idsWriter{s: s, order: s.idsOrder()}).writeTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), want
}

// storeOf returns a store (in no folder) where each of texts has claimed
// a file: as an id, a link, or link and title, with that text as slug,
// link and title.
func storeOf(t testing.TB, texts ...string) *Store {
	s, _ := OpenStore(t.TempDir(), false, true)
	for i, text := range texts {
		id := ItemID{Title: text, Feed: arena.SumOf("feed")}
		key := keyGUID + text
		switch i % 3 {
		case 1:
			id.Link = "https://example.com/" + text
			key = keyLink + id.Link
		case 2:
			id.Link = text
			key = linkTextKey(text, text)
		}
		if i%4 == 0 {
			id.Link = "https://example.com/?q=" + text
		}
		if _, _, err := s.Claim(key, &id, LooseNo, text); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// The folder's memory is written one entry at a time as encoding/json
// would write it whole: the same bytes, so that a folder written by the
// previous release is not rewritten.
func TestIDsFileAsEncodingJSON(t *testing.T) {
	for _, texts := range [][]string{
		nil,
		{"plain"},
		{"a", "b", "c", "d", "e", "f", "g"},
		{`quote"s`, `back\slash`, "<script>&amp;", "tab\there", "nl\nx", "\x00\x01\x1f\x7f", "é ü 日本", "\u2028\u2029", "bad \xff utf-8", "\U0001F600"},
	} {
		got, want := idsBytes(t, storeOf(t, texts...))
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\ngot  %s\nwant %s", texts, got, want)
		}
	}
}

func FuzzIDsFile(f *testing.F) {
	f.Add("a", "b<c>", "\xff\u2028")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		got, want := idsBytes(t, storeOf(t, a, b, c, a+b, b+c))
		if !bytes.Equal(got, want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		if !utf8.Valid(got) {
			t.Error("not UTF-8")
		}
	})
}

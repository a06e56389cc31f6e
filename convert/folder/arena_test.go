package folder

import (
	"bytes"
	"encoding/json"
	"feed2md/convert/arena"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestArena(t *testing.T) {
	var a arena.Arena
	long := strings.Repeat("x", arena.ChunkSize+10) // a chunk of its own
	words := []string{"", "one", long, "two", "three"}
	var refs []arena.Ref
	for i := 0; i < 3000; i++ { // several chunks
		refs = append(refs, a.Add(words[i%len(words)]))
	}
	for i, r := range refs {
		if w := words[i%len(words)]; a.Str(r) != w || !a.Eq(r, w) {
			t.Fatalf("ref %d: %.20q, want %.20q", i, a.Str(r), w)
		}
	}
	if r := a.Add("link:https://x/"); a.Str(r.Sub(len(keyLink))) != "https://x/" {
		t.Errorf("sub: %q", a.Str(r.Sub(len(keyLink))))
	}
	if arena.DigestOf("a\x00b") != arena.DigestOf2("a", "b") || arena.DigestOf2("a", "b") == arena.DigestOf2("a\x00", "b") {
		t.Error("digestOf2 is not the digest of the joined string")
	}
	if s := arena.SumOf("Title"); arena.ParseSum(s.String()) != s || arena.ParseSum("") != (arena.Sum{}) || arena.ParseSum("xyz") != (arena.Sum{}) {
		t.Errorf("sum %q does not read back", s.String())
	}
}

// idsBytes returns idsFile as the store writes it, and as
// encoding/json's MarshalIndent writes the same entries.
func idsBytes(t testing.TB, s *Store) (got, want []byte) {
	items := map[string]idEntry{}
	for i := range s.recs {
		r := &s.recs[i]
		key := s.strs.Str(r.key)
		if key == "" || s.keyRec(key) != int32(i) || r.flags&recForeign != 0 {
			continue
		}
		e := idEntry{Slug: s.strs.Str(r.slug), Title: r.title.String(), Feed: r.feed.String()}
		if link := s.strs.Str(r.link); link != entryLink(key, idEntry{}) {
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
// Link and title.
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

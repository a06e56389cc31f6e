package feed

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzJSONScanner checks the first pass of a streamed JSON Feed against
// encoding/json: for a valid document whose items the scanner says it
// found, its spans are the items array's objects, byte for byte, and its
// dropped elements the others, whatever the pieces it is given.
func FuzzJSONScanner(f *testing.F) {
	f.Add([]byte(`{"items": [{"a": "]"}, 1, {"b": [{}]}, "x\"]", null]}`), uint8(3))
	f.Add([]byte(`{"title": "{[", "items": [], "x": {"items": [1]}}`), uint8(1))
	f.Add([]byte(`{"Items": [{}]}`), uint8(7))
	f.Add([]byte(`{"it\u0065ms": [{}], "items": [{}]}`), uint8(2))
	f.Add([]byte(`{"items": [{}]} trailing`), uint8(5))
	f.Add([]byte(`{"items": [{} {}, 1, junk, {},]}`), uint8(4))
	f.Add([]byte(`{"items": [{}], "items": 1}`), uint8(6))
	f.Fuzz(func(t *testing.T, data []byte, piece uint8) {
		s := newJSONScanner()
		at := jsonStart(data)
		if at < 0 {
			return
		}
		step := int(piece)%16 + 1
		for lo := at; lo < len(data); lo += step {
			hi := min(lo+step, len(data))
			s.scan(data[lo:hi], int64(lo), hi == len(data)) // it takes every byte it is given
		}
		if !s.ok() {
			return
		}
		// What lies between the items, which runs leave out, is checked
		// here: the array with each item as {} is valid JSON.
		var skeleton []byte
		last := s.open
		for _, sp := range s.spans {
			skeleton = append(append(skeleton, data[last:sp[0]]...), "{}"...)
			last = sp[1]
		}
		skeleton = append(skeleton, data[last:s.close+1]...)
		if !json.Valid(skeleton) {
			t.Fatalf("streamable, but the items array is not valid JSON: %q", skeleton)
		}
		dec := json.NewDecoder(bytes.NewReader(data[at:]))
		var top map[string]json.RawMessage
		if dec.Decode(&top) != nil {
			return // invalid inside an item or around the array: the parse of a run fails
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(top["items"], &elems); err != nil {
			t.Fatalf("spans found, but items is not an array: %v", err)
		}
		var objects [][]byte
		dropped := 0
		for _, e := range elems {
			if e[0] == '{' {
				objects = append(objects, e)
			} else {
				dropped++
			}
		}
		if len(objects) != len(s.spans) || dropped != len(s.dropped) {
			t.Fatalf("%d spans and %d dropped, want %d and %d", len(s.spans), len(s.dropped), len(objects), dropped)
		}
		for i, sp := range s.spans {
			if got := data[sp[0]:sp[1]]; !bytes.Equal(got, objects[i]) {
				t.Errorf("span %d: %q, want %q", i, got, objects[i])
			}
		}
	})
}

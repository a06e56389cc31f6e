package feed

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

func TestPlainASCII8(t *testing.T) {
	plain := func(w uint64) bool {
		for k := 0; k < 8; k++ {
			if c := byte(w >> (8 * k)); c < 0x20 || c >= 0x80 {
				return false
			}
		}
		return true
	}
	// Every byte value in every position, among plain and among odd bytes.
	for _, fill := range []uint64{0x4141414141414141, 0x7f7f7f7f7f7f7f7f, 0x2020202020202020, 0x0a0a0a0a0a0a0a0a} {
		for k := 0; k < 8; k++ {
			for c := 0; c < 256; c++ {
				w := fill&^(0xff<<(8*k)) | uint64(c)<<(8*k)
				if plainASCII8(w) != plain(w) {
					t.Fatalf("%#016x: %t", w, plainASCII8(w))
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1_000_000; i++ {
		w := r.Uint64()
		if i%2 == 0 {
			w &= 0x7f7f7f7f7f7f7f7f // mostly ASCII
		}
		if plainASCII8(w) != plain(w) {
			t.Fatalf("%#016x: %t", w, plainASCII8(w))
		}
	}
}

// TestValidUTF8 checks validUTF8 against a rune-by-rune reading of random
// text that mixes plain ASCII with control characters, multi-byte runes,
// U+FFFE, U+FFFF and broken sequences.
func TestValidUTF8(t *testing.T) {
	reference := func(data []byte, forXML bool) []byte {
		var out []byte
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			bad := r == utf8.RuneError && size <= 1 ||
				forXML && ((r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF)
			if bad {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, data[i:i+size]...)
			}
			i += size
		}
		return out
	}
	pieces := []string{"plain text ", "more plain ascii", "\n", "\t", "\r\n", "\x00", "\x01", "\x1f", "\x7f",
		"é", "€", "😀", "\uFFFD", "\uFFFE", "\uFFFF", "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "<p>"}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		var b []byte
		for n := r.IntN(30); n > 0; n-- {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		for _, forXML := range []bool{false, true} {
			if got, want := validUTF8(b, forXML), reference(b, forXML); !bytes.Equal(got, want) {
				t.Fatalf("validUTF8(%q, %t) = %q, want %q", b, forXML, got, want)
			}
		}
	}
}

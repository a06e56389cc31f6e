// Package arena holds the value types that the folder's memory is made
// of: strings kept in an Arena and named by a Ref, Digests that key its
// maps, and the short Sums of titles and sources written to the ids file.
// It is shared by the stages and imports none of them.
//
// What a run remembers of every item (the folder's files, the ids and
// links a feed has shown) is kept without pointers: strings in an arena of
// large byte chunks, looked up through maps from fixed-size digests to
// indexes. The garbage collector never scans such memory, so a feed of
// 200,000 items costs it nothing per item; with strings as map keys and
// struct fields, every collection walked a few million pointers, and a
// large feed spent 40% of its time there (docs/memory.md).
package arena

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
)

// chunkSize is the size of an arena's chunks; a longer string gets a
// chunk of its own.
const chunkSize = 256 << 10

// Arena holds strings that stay until it is dropped. It is not safe for
// concurrent use.
type Arena struct {
	chunks [][]byte
}

// Ref is a string held in an arena: chunk, offset and length. The zero
// Ref is the empty string.
type Ref struct {
	c, o, Len uint32
}

// Add copies s into the arena.
func (a *Arena) Add(s string) Ref {
	if s == "" {
		return Ref{}
	}
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(s) > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(chunkSize, len(s))))
		last++
	}
	o := len(a.chunks[last])
	a.chunks[last] = append(a.chunks[last], s...)
	return Ref{uint32(last), uint32(o), uint32(len(s))}
}

// Bytes returns the bytes of r, which the caller must not change.
func (a *Arena) Bytes(r Ref) []byte {
	if r.Len == 0 {
		return nil
	}
	return a.chunks[r.c][r.o : r.o+r.Len]
}

// Str returns r as a new string.
func (a *Arena) Str(r Ref) string { return string(a.Bytes(r)) }

// Eq reports whether r holds s.
func (a *Arena) Eq(r Ref, s string) bool { return string(a.Bytes(r)) == s }

// Sub returns the part of r from byte i on.
func (r Ref) Sub(i int) Ref {
	if r.Len <= uint32(i) {
		return Ref{}
	}
	return Ref{r.c, r.o + uint32(i), r.Len - uint32(i)}
}

// Digest is a 128-bit hash of a string, under seeds chosen at random for
// each process: a map key that holds no pointer. Collisions are not a
// practical concern (two seeded 64-bit hashes, the seeds unknown to a
// feed's author), and lookups that lead to a file compare the string too.
type Digest [2]uint64

var digestSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// DigestOf returns the digest of s.
func DigestOf(s string) Digest {
	return Digest{maphash.String(digestSeeds[0], s), maphash.String(digestSeeds[1], s)}
}

// DigestOf2 returns the digest of a, a NUL, and b, without building the
// joined string.
func DigestOf2(a, b string) Digest {
	var d Digest
	for i := range d {
		var h maphash.Hash
		h.SetSeed(digestSeeds[i])
		h.WriteString(a)
		h.WriteByte(0)
		h.WriteString(b)
		d[i] = h.Sum64()
	}
	return d
}

// A Sum is how the folder's memory records a title or a feed's source:
// 6 bytes of its SHA-256, written as 12 hex digits. The zero sum is
// "unknown" (a file written by a release that did not record it).
type Sum struct {
	b     [6]byte
	Known bool
}

// SumOf returns the sum of s.
func SumOf(s string) Sum {
	full := sha256.Sum256([]byte(s))
	var x Sum
	copy(x.b[:], full[:])
	x.Known = true
	return x
}

// String returns the sum's 12 hex digits, or "" when it is unknown.
func (x Sum) String() string {
	if !x.Known {
		return ""
	}
	return hex.EncodeToString(x.b[:])
}

// ParseSum reads a sum written by String; anything else is unknown.
func ParseSum(h string) Sum {
	var x Sum
	if len(h) != 2*len(x.b) {
		return Sum{}
	}
	if _, err := hex.Decode(x.b[:], []byte(h)); err != nil {
		return Sum{}
	}
	x.Known = true
	return x
}

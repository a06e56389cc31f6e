package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
)

// What a run remembers of every item (the folder's files, the ids and
// links a feed has shown) is kept without pointers: strings in an arena of
// large byte chunks, looked up through maps from fixed-size digests to
// indexes. The garbage collector never scans such memory, so a feed of
// 200,000 items costs it nothing per item; with strings as map keys and
// struct fields, every collection walked a few million pointers, and a
// large feed spent 40% of its time there (docs/memory.md).

// arenaChunk is the size of an arena's chunks; a longer string gets a
// chunk of its own.
const arenaChunk = 256 << 10

// arena holds strings that stay until it is dropped. It is not safe for
// concurrent use.
type arena struct {
	chunks [][]byte
}

// sref is a string held in an arena: chunk, offset and length. The zero
// sref is the empty string.
type sref struct {
	c, o, n uint32
}

// add copies s into the arena.
func (a *arena) add(s string) sref {
	if s == "" {
		return sref{}
	}
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(s) > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, len(s))))
		last++
	}
	o := len(a.chunks[last])
	a.chunks[last] = append(a.chunks[last], s...)
	return sref{uint32(last), uint32(o), uint32(len(s))}
}

// bytes returns the bytes of r, which the caller must not change.
func (a *arena) bytes(r sref) []byte {
	if r.n == 0 {
		return nil
	}
	return a.chunks[r.c][r.o : r.o+r.n]
}

// str returns r as a new string.
func (a *arena) str(r sref) string { return string(a.bytes(r)) }

// eq reports whether r holds s.
func (a *arena) eq(r sref, s string) bool { return string(a.bytes(r)) == s }

// sub returns the part of r from byte i on.
func (r sref) sub(i int) sref {
	if r.n <= uint32(i) {
		return sref{}
	}
	return sref{r.c, r.o + uint32(i), r.n - uint32(i)}
}

// digest is a 128-bit hash of a string, under seeds chosen at random for
// each process: a map key that holds no pointer. Collisions are not a
// practical concern (two seeded 64-bit hashes, the seeds unknown to a
// feed's author), and lookups that lead to a file compare the string too.
type digest [2]uint64

var digestSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// digestOf returns the digest of s.
func digestOf(s string) digest {
	return digest{maphash.String(digestSeeds[0], s), maphash.String(digestSeeds[1], s)}
}

// digestOf2 returns the digest of a, a NUL, and b, without building the
// joined string.
func digestOf2(a, b string) digest {
	var d digest
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

// A sum is how the folder's memory records a title or a feed's source:
// 6 bytes of its SHA-256, written as 12 hex digits. The zero sum is
// "unknown" (a file written by a release that did not record it).
type sum struct {
	b  [6]byte
	ok bool
}

// sumOf returns the sum of s.
func sumOf(s string) sum {
	full := sha256.Sum256([]byte(s))
	var x sum
	copy(x.b[:], full[:])
	x.ok = true
	return x
}

// String returns the sum's 12 hex digits, or "" when it is unknown.
func (x sum) String() string {
	if !x.ok {
		return ""
	}
	return hex.EncodeToString(x.b[:])
}

// parseSum reads a sum written by String; anything else is unknown.
func parseSum(h string) sum {
	var x sum
	if len(h) != 2*len(x.b) {
		return sum{}
	}
	if _, err := hex.Decode(x.b[:], []byte(h)); err != nil {
		return sum{}
	}
	x.ok = true
	return x
}

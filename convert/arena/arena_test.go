package arena

import (
	"strings"
	"testing"
)

// TestArenaKeepsStrings adds strings, a long one among them, and reads
// each back whole, compared, and from an offset on.
func TestArenaKeepsStrings(t *testing.T) {
	var a Arena
	long := strings.Repeat("x", chunkSize+1) // a chunk of its own
	in := []string{"", "one", "two", long, "three", "ünïcödé"}
	refs := make([]Ref, len(in))
	for i, s := range in {
		refs[i] = a.Add(s)
	}
	for i, s := range in {
		if got := a.Str(refs[i]); got != s {
			t.Errorf("Str(%d) = %.20q, want %.20q", i, got, s)
		}
		if !a.Eq(refs[i], s) || (s != "" && a.Eq(refs[i], s+"!")) {
			t.Errorf("Eq(%d) is wrong", i)
		}
		if len(s) > 1 {
			if got := a.Str(refs[i].Sub(1)); got != s[1:] {
				t.Errorf("Sub(1) of %d = %.20q, want %.20q", i, got, s[1:])
			}
		}
	}
	if refs[0] != (Ref{}) || a.Bytes(refs[0]) != nil {
		t.Error("the empty string is not the zero Ref")
	}
	if r := refs[1].Sub(10); a.Str(r) != "" || r.Len != 0 {
		t.Errorf("Sub past the end = %q", a.Str(r))
	}
	if len(a.chunks) != 3 {
		t.Errorf("%d chunks, want 3: the short strings share one, the long one has its own, and the next short one a new one", len(a.chunks))
	}
}

// TestDigests: the same strings give the same digest within a process,
// different ones differ, and DigestOf2 is the digest of the NUL-joined
// pair without the join.
func TestDigests(t *testing.T) {
	if DigestOf("a") != DigestOf("a") || DigestOf("a") == DigestOf("b") || DigestOf("") == DigestOf("a") {
		t.Error("DigestOf is not a function of its string")
	}
	if DigestOf2("ab", "c") != DigestOf("ab\x00c") || DigestOf2("ab", "c") == DigestOf2("a", "bc") || DigestOf2("a\x00", "b") == DigestOf2("a", "b") {
		t.Error("DigestOf2 is not the digest of the NUL-joined pair, or does not keep pairs apart")
	}
}

// TestSums: a sum is 12 hex digits of SHA-256 (checked by hand:
// sha256("hello") starts 2cf24dba5fb0), reads back as itself, and
// anything that is not one reads as unknown.
func TestSums(t *testing.T) {
	s := SumOf("hello")
	if got := s.String(); got != "2cf24dba5fb0" {
		t.Errorf("SumOf(hello) = %s, want 2cf24dba5fb0", got)
	}
	if ParseSum(s.String()) != s || !ParseSum(s.String()).Known {
		t.Error("a sum does not read back as itself")
	}
	for _, bad := range []string{"", "xyz", "2cf24dba5fb", "2cf24dba5fb0a", "zzf24dba5fb0"} {
		if x := ParseSum(bad); x.Known || x.String() != "" {
			t.Errorf("ParseSum(%q) = %v, want unknown", bad, x)
		}
	}
	if (Sum{}).String() != "" {
		t.Error("the zero sum is not unknown")
	}
}

package frontmatter

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/gosimple/slug"
)

// maxSlugRunes is FORMAT.md's cap on a slug's length. A slug is ASCII,
// so it is as many bytes: within MaxNameBytes, the cap of every name that
// becomes a path segment (a file, a bundle folder, a Hugo page folder).
const maxSlugRunes = MaxNameBytes

// Slug makes the slug of a cleaned-up title: gosimple/slug's Make, cut to
// at most 100 runes at a word boundary. A title that gives no slug (emoji
// or symbols only) gets "item-" and the first 8 hex digits of the SHA-256
// of fallback (the item's GUID, else its link). The result holds only
// [a-z0-9_-], so it is always a safe file name.
//
// gosimple/slug's settings are package globals, unsafe to change while
// other goroutines call it, so the cap and the fallback live here.
func Slug(title, fallback string) string {
	s := slug.Make(title)
	if len(s) > maxSlugRunes { // slug.Make's output is ASCII: bytes are runes
		cut := s[:maxSlugRunes]
		if s[maxSlugRunes] != '-' {
			if i := strings.LastIndexByte(cut, '-'); i > 0 {
				cut = cut[:i]
			}
		}
		s = strings.Trim(cut, "-_")
	}
	if !SafeName(s) {
		sum := sha256.Sum256([]byte(fallback))
		s = "item-" + hex.EncodeToString(sum[:])[:8]
	}
	return s
}

// SafeName reports whether s is a non-empty run of [a-z0-9_-] that does
// not start with a dash or underscore: a file name that cannot leave the
// output folder, hide itself, or look like a flag.
func SafeName(s string) bool {
	if s == "" || s[0] == '-' || s[0] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

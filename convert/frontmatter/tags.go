package frontmatter

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed stopwords-en.txt
var defaultStopwords string

// Stopwords is a set of lowercase words that never become tags.
type Stopwords map[string]bool

// DefaultStopwords returns the English stop words of FORMAT.md, a copy of
// spec/stopwords-en.txt embedded in the binary.
func DefaultStopwords() Stopwords {
	s := Stopwords{}
	// The embedded list is known to read cleanly.
	_ = s.Read(strings.NewReader(defaultStopwords))
	return s
}

// Read adds the words of a list: one word a line, lines starting with '#'
// and blank lines ignored, words lowercased.
func (s Stopwords) Read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsFunc(line, unicode.IsSpace) {
			return fmt.Errorf("line %d: %q is more than one word", n, line)
		}
		s[strings.ToLower(line)] = true
	}
	return sc.Err()
}

// MaxNameBytes caps, in bytes, every name feed2md makes that becomes a
// path segment: a tag (Hugo writes tags/<tag>/index.html), a slug (the
// file <slug>.md, the bundle folder <slug>/, Hugo's posts/<slug>/). File
// systems allow 255 bytes (ext4, APFS; NTFS 255 UTF-16 units, which 255
// UTF-8 bytes never exceed); 100 leaves room for Hugo's own suffixes
// (.html and .xml with uglyURLs), feed2md's -2, -3, … and .md, and even
// for eCryptfs's 143.
const MaxNameBytes = 100

// capBytes cuts s to at most max bytes, at a rune boundary.
func capBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// Tags extracts at most max tags from a cleaned-up title by the rule of
// FORMAT.md: lowercase, split at every rune that is neither a letter nor a
// digit, drop one-rune words, all-digit words and stop words, drop repeats,
// sort by length in runes (longest first, stable), keep the first max.
// A word longer than MaxNameBytes is first cut to that many bytes at a
// rune boundary, so that every tag is a valid folder name for Hugo.
func Tags(title string, stop Stopwords, max int) []string {
	if max <= 0 {
		return nil
	}
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var tags []string
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		w = capBytes(w, MaxNameBytes)
		if utf8.RuneCountInString(w) < 2 || allDigits(w) || stop[w] || seen[w] {
			continue
		}
		seen[w] = true
		tags = append(tags, w)
	}
	sort.SliceStable(tags, func(i, j int) bool {
		return utf8.RuneCountInString(tags[i]) > utf8.RuneCountInString(tags[j])
	})
	if len(tags) > max {
		tags = tags[:max]
	}
	return tags
}

func allDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

package frontmatter

import (
	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term returns a category as a taxonomy term by the rule of FORMAT.md
// ("Terms from a feed's categories"): its text as plain text, '/' and '\'
// replaced by '-', at most MaxNameBytes bytes (cut at a rune boundary).
// It returns "" for a category that makes no term: one with no letter or
// digit, or one whose page Hugo would put at ".", ".." or an empty path
// segment once its URL is read, or where the taxonomy's own index.html
// or index.xml is (see termPathOK). Case is kept: Hugo
// lowercases a term's path itself, and FeedTags lowercases tags.
func Term(category string) string {
	return termOf(body.PlainText(category))
}

// termOf is Term of a text already plain.
func termOf(t string) string {
	if !utf8.ValidString(t) {
		t = strings.ToValidUTF8(t, "\uFFFD")
	}
	if strings.ContainsAny(t, `/\`) {
		t = strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' {
				return '-'
			}
			return r
		}, t)
	}
	t = capBytes(t, MaxNameBytes)
	if !hasLetterOrDigit(t) || !termPathOK(HugoTermPath(t)) {
		return ""
	}
	return t
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// HugoTermPath is the path segment Hugo 0.111 makes of a taxonomy term
// (helpers.PathSpec.MakePathSanitized, with Hugo's defaults): letters,
// digits, marks and the characters . / \ _ # + ~ - @ are kept, a run of
// white space between kept characters becomes one '-', everything else
// (other punctuation, symbols, format characters such as U+200B) is
// removed; '%' is kept only before two hex digits; the result is
// lowercased. Checked against real builds by TestHugoTerms.
func HugoTermPath(s string) string {
	src := []rune(s)
	out := make([]rune, 0, len(src))
	space, wasHyphen := false, false
	for i, r := range src {
		ok := strings.ContainsRune(`./\_#+~-@`, r) ||
			unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
			(r == '%' && i+2 < len(src) && src[i+1] < utf8.RuneSelf && body.IsHex(byte(src[i+1])) && src[i+2] < utf8.RuneSelf && body.IsHex(byte(src[i+2])))
		switch {
		case ok:
			wasHyphen = r == '-'
			if space && !wasHyphen {
				out = append(out, '-')
			}
			space = false
			out = append(out, r)
		case len(out) > 0 && !wasHyphen && unicode.IsSpace(r):
			space = true
		}
	}
	return strings.ToLower(string(out))
}

// termPathOK reports whether a term's path, as Hugo writes it under the
// taxonomy's folder and links to it (/tags/<path>/), stays one page below
// the taxonomy, both on disk and as a browser or web server reads the
// link: the link ends at '#' (a fragment), and percent escapes are
// decoded (repeatedly: a server behind a proxy may decode twice). No
// segment, split at '/' or '\', may then be empty, "." or "..".
func termPathOK(p string) bool {
	if !segmentsOK(p) {
		return false
	}
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i]
	}
	for n := 0; n < 4 && strings.IndexByte(p, '%') >= 0; n++ {
		d := percentDecode(p)
		if d == p {
			break
		}
		p = d
	}
	return segmentsOK(p)
}

// segmentsOK reports whether no segment of p, split at '/' or '\', is
// empty, "." or "..", or a name such as "index.html" or "index.xml": the
// taxonomy's own list page and feed are files of those names in its
// folder, and a term page is a folder, so Hugo would stop the build
// ("is a directory").
func segmentsOK(p string) bool {
	for {
		i := strings.IndexAny(p, `/\`)
		seg := p
		if i >= 0 {
			seg = p[:i]
		}
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, "index.") {
			return false
		}
		if i < 0 {
			return true
		}
		p = p[i+1:]
	}
}

// percentDecode decodes every %XX escape of s, leaving a '%' not followed
// by two hex digits as it is.
func percentDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && body.IsHex(s[i+1]) && body.IsHex(s[i+2]) {
			b.WriteByte(body.HexVal(s[i+1])<<4 | body.HexVal(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Terms returns each category as its Term, in order, leaving out those
// that make none and repeats: the template function "terms", for a
// -template that writes a post's own categories as a taxonomy.
func Terms(categories []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range categories {
		if t := Term(c); t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// HostTerm returns the host name of a URL as a taxonomy term (Term's
// rule: a host such as ".." taken from a feed's link makes none, "").
func HostTerm(s string) string {
	return termOf(fetch.HostOf(s))
}

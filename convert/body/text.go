package body

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// PlainText returns s as plain text: HTML tags stripped (with the content
// of script, style and similar elements), entities decoded, every run of
// white space folded to one space, and the ends trimmed. It is the clean-up
// FORMAT.md prescribes for titles and descriptions.
func PlainText(s string) string {
	return PlainTextUpTo(s, 0)
}

// PlainTextUpTo is PlainText that may stop early once the text has more than
// limit runes (0: no limit): callers that cut the text need only its start.
func PlainTextUpTo(s string, limit int) string {
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		return foldSpace(s)
	}
	check := 4 * limit // bytes of raw text before the folded length is looked at
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0         // depth inside elements whose text is code, not text
	var hidden []byte // that code, kept in case the element never closes
	for {
		switch z.Next() {
		case html.ErrorToken:
			if skip > 0 {
				// "Why <script> tags matter": a literal, not an element.
				b.Write(hidden)
			}
			return foldSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				if limit > 0 && b.Len() > check {
					if t := foldSpace(b.String()); utf8.RuneCountInString(t) > limit {
						return t
					}
					check *= 2
				}
			} else {
				hidden = append(hidden, z.Text()...)
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			if hiddenText(string(name)) {
				skip++
			} else if blockLike(string(name)) {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if hiddenText(string(name)) {
				if skip > 0 {
					skip--
					hidden = hidden[:0]
				}
			} else if blockLike(string(name)) {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if blockLike(string(name)) {
				b.WriteByte(' ')
			}
		}
	}
}

// hiddenText names the elements whose content is code, never text a reader
// sees.
func hiddenText(name string) bool {
	return name == "script" || name == "style"
}

// blockLike names the elements that separate words even without spaces
// around them in the source, so "<p>one</p><p>two</p>" reads "one two".
func blockLike(name string) bool {
	switch name {
	case "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption",
		"table", "dd", "dt", "dl", "img":
		return true
	}
	return false
}

// foldSpace folds every run of Unicode white space (and of characters that
// render as nothing, such as U+200B) to one space and trims the ends.
func foldSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CutWords returns s cut to at most max runes at a word boundary, and
// whether it cut anything. Text with no space in its first max runes (CJK,
// a long URL) is cut at max runes.
func CutWords(s string, max int) (string, bool) {
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	end, n := 0, 0
	lastSpace := -1
	for i, r := range s {
		if n == max {
			end = i
			if r == ' ' {
				lastSpace = i
			}
			break
		}
		if r == ' ' {
			lastSpace = i
		}
		n++
	}
	if lastSpace > 0 {
		end = lastSpace
	}
	return strings.TrimRight(s[:end], " "), true
}

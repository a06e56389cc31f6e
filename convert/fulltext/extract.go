package fulltext

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// minWords is the fewest words an article has: what the extractor finds
// in a page of less (a title and a menu) is no article.
const minWords = 25

// maxElements bounds the elements of a page the extractor scores: a
// page of more (a hostile one; -max-page-size lets through about 500,000
// of the smallest) is no article page.
const maxElements = 200_000

// fromPage extracts the main article of a page: its bytes, the type its
// server declared ("" for none) and its URL, which relative URLs are
// resolved against unless the page has a <base>. It returns the article
// as HTML, every URL in it absolute. It reads nothing but its arguments:
// a page is hostile input, and a failure of the extractor is an error,
// never a crash.
func fromPage(page []byte, contentType, pageURL string) (article string, err error) {
	if err := checkHTML(page, contentType); err != nil {
		return "", err
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("the page's URL: %w", err)
	}
	doc, err := html.Parse(decode(page, contentType))
	if err != nil {
		return "", err
	}
	base = pageBase(doc, base)
	// Every URL is made absolute before the extractor sees the page, by
	// the rules of browsers (a <base>, srcset's candidates, lazy images'
	// data-src).
	absolute(doc, base)
	defer func() {
		if p := recover(); p != nil {
			article, err = "", fmt.Errorf("the extractor failed on the page: %v", p)
		}
	}()
	parser := readability.NewParser()
	parser.MaxElemsToParse = maxElements
	res, err := parser.ParseAndMutate(doc, base)
	if err != nil || res.Node == nil {
		return "", errNoArticle
	}
	var b strings.Builder
	// The article comes in a <div> of the extractor's own.
	for c := res.Node.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return "", err
		}
	}
	if Words(b.String()) < minWords {
		return "", errNoArticle
	}
	return b.String(), nil
}

// decode reads a page as UTF-8: in the encoding its BOM, its server or
// its <meta> names; else as UTF-8 when it is valid UTF-8 (most pages
// today, whose first KiB may be plain ASCII), else as Windows-1252, as
// browsers do.
func decode(page []byte, contentType string) io.Reader {
	enc, _, certain := charset.DetermineEncoding(page, contentType)
	if !certain && utf8.Valid(page) {
		return bytes.NewReader(page)
	}
	return transform.NewReader(bytes.NewReader(page), enc.NewDecoder())
}

// pageBase is the URL a page's relative URLs resolve against: its own,
// or that of its first <base href>, when that is an http or https URL.
func pageBase(doc *html.Node, page *url.URL) *url.URL {
	var found *url.URL
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			for _, a := range n.Attr {
				if a.Key == "href" && a.Namespace == "" {
					if u, err := page.Parse(strings.TrimSpace(a.Val)); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
						found = u
					}
					return true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(doc)
	if found != nil {
		return found
	}
	return page
}

// urlAttrs are the attributes that hold one URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true, "cite": true, "data-src": true}

// absolute makes every URL under n absolute against base: those of
// urlAttrs, and each candidate of a srcset. An attribute whose URL does
// not parse is dropped: it leads nowhere.
func absolute(n *html.Node, base *url.URL) {
	if n.Type == html.ElementNode {
		kept := n.Attr[:0]
		for _, a := range n.Attr {
			switch {
			case urlAttrs[a.Key]:
				u, err := base.Parse(strings.TrimSpace(a.Val))
				if err != nil {
					continue
				}
				a.Val = u.String()
			case a.Key == "srcset":
				a.Val = absoluteSrcset(a.Val, base)
			}
			kept = append(kept, a)
		}
		n.Attr = kept
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		absolute(c, base)
	}
}

// absoluteSrcset makes the URL of each candidate of a srcset absolute.
func absoluteSrcset(v string, base *url.URL) string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		if u, err := base.Parse(f[0]); err == nil {
			f[0] = u.String()
		}
		parts[i] = strings.Join(f, " ")
	}
	return strings.Join(parts, ", ")
}

// Words counts the words of the text of an HTML fragment (not of its
// markup, nor of script or style).
func Words(fragment string) int {
	z := html.NewTokenizer(strings.NewReader(fragment))
	n, skip := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return n
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				n += countWords(z.Text())
			}
		}
	}
}

// countWords counts the runs of letters and digits of text, and each
// Chinese or Japanese character as a word of its own: those languages
// put no space between words, and an article of a thousand characters
// has but a few dozen runs between its punctuation marks.
func countWords(text []byte) int {
	n, in := 0, false
	for _, r := range string(text) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			n, in = n+1, false
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if !in {
				n++
			}
			in = true
		default:
			in = false
		}
	}
	return n
}

// Longer reports whether an article is to replace an item's own body
// (both HTML): it has words, and at least a quarter more than the
// body. An item whose feed carries the whole post keeps it (the page
// adds little but a byline); one whose feed has an excerpt, or nothing,
// gets the article.
func Longer(article, body string) bool {
	a := Words(article)
	return a > 0 && a*4 >= Words(body)*5
}

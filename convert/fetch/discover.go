package fetch

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// feedTypes are the link types autodiscovery follows, best first.
var feedTypes = []string{"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}

// DiscoverFeed returns the feed URL an HTML page announces with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json"
// href="…">, made absolute against pageURL, or "" when it has none. The
// page's <base href> is honoured.
func DiscoverFeed(page []byte, pageURL string) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	base := pageURL
	found := map[string]string{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.DataAtom {
		case atom.Base:
			if href := attr(tok, "href"); href != "" {
				base = Resolve(href, pageURL)
			}
		case atom.Link:
			rels := strings.Fields(strings.ToLower(attr(tok, "rel")))
			typ := strings.ToLower(strings.TrimSpace(attr(tok, "type")))
			href := strings.TrimSpace(attr(tok, "href"))
			if href == "" || !slices.Contains(rels, "alternate") {
				continue
			}
			if _, seen := found[typ]; !seen {
				found[typ] = href
			}
		case atom.Body:
			// Feed links live in the head.
			return pick(found, base)
		}
	}
	return pick(found, base)
}

func pick(found map[string]string, base string) string {
	for _, t := range feedTypes {
		if href, ok := found[t]; ok {
			if u := AbsHTTP(href, base); u != "" {
				return u
			}
		}
	}
	return ""
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

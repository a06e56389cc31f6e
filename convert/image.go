package convert

import (
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// imageURL picks the item's image by FORMAT.md's order: itunes:image, an
// image media:content (also inside media:group), media:thumbnail, an
// image/* enclosure, JSON Feed image then banner_image, and the first
// <img src> of the body. Each candidate is made absolute against base (the
// item's link); one that is not http(s) after that is passed over, so a
// javascript: or data: URL never reaches the front matter.
func imageURL(it *gofeed.Item, body, base string) string {
	var candidates []string
	if it.ITunesExt != nil && it.ITunesExt.Image != "" {
		candidates = append(candidates, it.ITunesExt.Image)
	}
	media := it.Extensions["media"]
	groups := media["group"]
	for _, list := range [][]ext.Extension{media["content"], groupChildren(groups, "content")} {
		for _, c := range list {
			if strings.HasPrefix(strings.ToLower(c.Attrs["type"]), "image/") || strings.EqualFold(c.Attrs["medium"], "image") {
				candidates = append(candidates, c.Attrs["url"])
			}
		}
	}
	for _, list := range [][]ext.Extension{media["thumbnail"], groupChildren(groups, "thumbnail")} {
		for _, c := range list {
			candidates = append(candidates, c.Attrs["url"])
		}
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(strings.ToLower(e.Type), "image/") {
			candidates = append(candidates, e.URL)
		}
	}
	if it.Image != nil {
		// With the content scan off, gofeed sets Item.Image only from the
		// sources above or, for JSON Feed, from image then banner_image.
		candidates = append(candidates, it.Image.URL)
	}
	for _, c := range candidates {
		if u := absHTTP(strings.TrimSpace(c), base); u != "" {
			return u
		}
	}
	if u := absHTTP(firstImgSrc(body), base); u != "" {
		return u
	}
	return ""
}

// groupChildren returns the children called name of every media:group.
func groupChildren(groups []ext.Extension, name string) []ext.Extension {
	var out []ext.Extension
	for _, g := range groups {
		out = append(out, g.Children[name]...)
	}
	return out
}

// firstImgSrc returns the src of the first <img> in an HTML fragment.
func firstImgSrc(body string) string {
	if !strings.Contains(body, "<img") && !strings.Contains(body, "<IMG") {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !hasAttr || atom.Lookup(name) != atom.Img {
				continue
			}
			for {
				key, val, more := z.TagAttr()
				if string(key) == "src" && len(val) > 0 {
					return strings.TrimSpace(string(val))
				}
				if !more {
					break
				}
			}
		}
	}
}

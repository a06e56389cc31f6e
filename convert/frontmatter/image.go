package frontmatter

import (
	"feed2md/convert/fetch"
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// imageURL picks the item's image by FORMAT.md's order: itunes:image, an
// image media:content (also inside media:group), media:thumbnail, an
// image/* enclosure, JSON Feed image then banner_image, and the first
// <img src> of the body. Each candidate is made absolute against base (the
// item's link); one that is not http(s) after that is passed over, so a
// javascript: or data: URL never reaches the front matter. firstImg is
// the src of the body's first <img>, found by the body step.
func imageURL(it *gofeed.Item, firstImg, base string) string {
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
		if u := fetch.AbsHTTP(strings.TrimSpace(c), base); u != "" {
			return u
		}
	}
	return fetch.AbsHTTP(firstImg, base)
}

// groupChildren returns the children called name of every media:group.
func groupChildren(groups []ext.Extension, name string) []ext.Extension {
	var out []ext.Extension
	for _, g := range groups {
		out = append(out, g.Children[name]...)
	}
	return out
}

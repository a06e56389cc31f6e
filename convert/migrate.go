package convert

import (
	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"fmt"
	"strconv"
	"strings"

	"github.com/mmcdole/gofeed"
)

// Image modes (Options.Images).
const (
	ImagesLink     = "link"     // image URLs stay as the feed gives them (made absolute)
	ImagesDownload = "download" // images are saved into the item's bundle and referred to relatively
)

// Tag sources (Options.Tags).
const (
	TagsTitle = "title" // FORMAT.md's rule: words of the title
	TagsFeed  = "feed"  // the item's own categories, lowercased and deduplicated
	TagsBoth  = "both"  // the item's categories first, then words of the title
)

// DefaultMaxImageSize is the largest image downloaded unless
// Options.MaxImageSize says otherwise.
const DefaultMaxImageSize = 20 << 20

// checkMigrateOptions checks and defaults the options of a blog migration:
// Images, MaxImageSize, Tags. Downloading images implies bundles, the only
// place a page's own files can live beside it.
func checkMigrateOptions(o *Options) error {
	switch o.Images {
	case "":
		o.Images = ImagesLink
	case ImagesLink:
	case ImagesDownload:
		o.Bundle = true
	default:
		return fmt.Errorf("unknown image mode %q: use %q or %q", o.Images, ImagesLink, ImagesDownload)
	}
	switch {
	case o.MaxImageSize == 0:
		o.MaxImageSize = DefaultMaxImageSize
	case o.MaxImageSize < 0:
		return fmt.Errorf("the largest image size must be positive")
	}
	switch o.Tags {
	case "":
		o.Tags = TagsTitle
	case TagsTitle, TagsFeed, TagsBoth:
	default:
		return fmt.Errorf("unknown tag source %q: use %q, %q or %q", o.Tags, TagsTitle, TagsFeed, TagsBoth)
	}
	return nil
}

// itemTags returns an item's tags by Options.Tags: from the title
// (FORMAT.md), from the item's own categories, or both (categories first),
// at most MaxTags in all.
func (c *Converter) itemTags(it *gofeed.Item, title string) []string {
	if c.opts.Tags == TagsTitle || c.opts.Tags == "" {
		return frontmatter.Tags(title, c.stopwords, c.opts.MaxTags)
	}
	tags := FeedTags(it.Categories, c.opts.MaxTags)
	if c.opts.Tags == TagsBoth && len(tags) < c.opts.MaxTags {
		seen := make(map[string]bool, len(tags))
		for _, t := range tags {
			seen[t] = true
		}
		for _, t := range frontmatter.Tags(title, c.stopwords, c.opts.MaxTags) {
			if len(tags) == c.opts.MaxTags {
				break
			}
			if !seen[t] {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// FeedTags turns an item's own categories into tags: each as plain text
// (markup stripped, entities decoded, white space folded), lowercased,
// made a taxonomy term by Term's rule (a Hugo folder name that stays
// under tags/); categories that make no term and repeats dropped, feed
// order kept; at most max (none when max is 0 or less).
func FeedTags(categories []string, max int) []string {
	if max <= 0 {
		return nil
	}
	var tags []string
	seen := map[string]bool{}
	for _, c := range categories {
		t := frontmatter.TermOf(strings.ToLower(body.PlainText(c)))
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		tags = append(tags, t)
		if len(tags) == max {
			break
		}
	}
	return tags
}

// migrateData fills the front matter's migration fields: Aliases (with
// -aliases), and for a user's template the item's enclosures, own
// categories, authors and update time (renderItem adds the body). The
// embedded layout uses none of the latter, so a default run does not
// gather them.
func (c *Converter) migrateData(it *gofeed.Item, link string, fi feedInfo, fm *frontmatter.FrontMatter) {
	if c.opts.Aliases {
		if a := frontmatter.AliasFor(link, fi.base); a != "" {
			fm.Aliases = []string{a}
		}
	}
	if c.fastRender {
		return
	}
	for _, e := range it.Enclosures {
		if e == nil {
			continue
		}
		u := fetch.AbsHTTP(e.URL, link)
		if u == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64)
		if err != nil || n < 0 {
			n = 0
		}
		fm.Enclosures = append(fm.Enclosures, frontmatter.Enclosure{URL: u, Type: strings.TrimSpace(e.Type), Length: n})
	}
	for _, cat := range it.Categories {
		if cat = strings.TrimSpace(cat); cat != "" {
			fm.ItemCategories = append(fm.ItemCategories, cat)
		}
	}
	for _, a := range it.Authors {
		if a == nil {
			continue
		}
		if name := body.PlainText(a.Name); name != "" {
			fm.Authors = append(fm.Authors, name)
		}
	}
	if t, ok := frontmatter.ReadDate(it.UpdatedParsed, it.Updated); ok {
		fm.Updated = t
	}
}

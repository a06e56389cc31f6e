package convert

import (
	"feed2md/convert/frontmatter"
	"fmt"
)

// Image modes (Options.Images).
const (
	ImagesLink     = "link"     // image URLs stay as the feed gives them (made absolute)
	ImagesDownload = "download" // images are saved into the item's bundle and referred to relatively
)

// Tag sources (Options.Tags).
const (
	TagsTitle = frontmatter.TagsTitle // FORMAT.md's rule: words of the title
	TagsFeed  = frontmatter.TagsFeed  // the item's own categories, lowercased and deduplicated
	TagsBoth  = frontmatter.TagsBoth  // the item's categories first, then words of the title
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

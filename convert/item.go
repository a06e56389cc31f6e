package convert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"feed2md/convert/arena"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"

	"github.com/mmcdole/gofeed"
)

// feedInfo is what every item of one feed shares: its fields
// (frontmatter.Feed), and which feed an item came from in the folder's
// memory.
type feedInfo struct {
	frontmatter.Feed
	sh       *shape    // what shapes its files
	scope    arena.Sum // sum of Source
	oldScope arena.Sum // the sum of RawSource, which releases that wrote credentials into the source gave (unset when the same)
}

// prepared is one item after the clean-up and body stages, before it has a
// file: everything but the final slug and, for an undated item, the date.
type prepared struct {
	frontmatter.Item
	body string        // the body as written, trimmed, without its final newline
	id   folder.ItemID // what tells it from the feed's other items
	page pageOutcome   // what -fulltext did
	err  error
}

// newFeedInfo works out, once per feed, what its items share
// (frontmatter.NewFeed) and the sums that name it in the folder's memory.
func newFeedInfo(feed *gofeed.Feed, src fetch.Source, finalURL string, sh *shape) feedInfo {
	fi := feedInfo{Feed: frontmatter.NewFeed(feed, src, finalURL, sh.opts.Source, sh.opts.Categories), sh: sh}
	if fi.RawSource != "" {
		fi.oldScope = arena.SumOf(fi.RawSource)
	}
	fi.scope = arena.SumOf(fi.Source)
	return fi
}

// prepare runs the full-text (-fulltext), body and front-matter stages on
// one item, and gives
// it the identity the folder knows it by and the slug it asks for.
func (c *Converter) prepare(ctx context.Context, it *gofeed.Item, fi feedInfo) *prepared {
	p := &prepared{}
	link := frontmatter.Link(it, fi.Base)
	from, base := it, link
	if fi.sh.pages != nil && link != "" {
		// -fulltext: the body may be the page's article; the front
		// matter (description, summary) stays the feed's.
		from, base, p.page = c.article(ctx, fi.sh.pages, it, link)
	}
	text, firstImg, err := fi.sh.bodies.Make(from, base)
	if err != nil {
		p.err = err
	}
	p.body = text
	fi.sh.fields.Fill(&p.Item, it, &fi.Feed, link, firstImg)
	fm := &p.FM
	p.id = folder.ItemID{GUID: fm.GUID, Link: link, Title: fm.Title, Feed: fi.scope}
	if link == "" {
		sum := sha256.Sum256([]byte(it.Title + "\x00" + it.Published + "\x00" + it.Updated + "\x00" + it.Content + "\x00" + it.Description))
		p.id.Hash = folder.KeyHash + hex.EncodeToString(sum[:16])
	}
	fallback := fm.GUID
	if fallback == "" {
		fallback = link
	}
	if fallback == "" {
		fallback = p.id.Hash
	}
	fm.Slug = frontmatter.Slug(fm.Title, fallback)
	return p
}

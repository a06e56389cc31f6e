package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"feed2md/convert/arena"
	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Lengths of FORMAT.md's fallbacks, in runes.
const (
	titleFallbackRunes = 80
	descriptionRunes   = 300
)

// feedInfo is what every item of one feed shares.
type feedInfo struct {
	source     string    // the source key: -source, else the URL given, else the self link, else the feed's link
	categories []string  // -category, else the source's host; nil when neither (each item's link host then)
	base       string    // what relative item links resolve against
	title      string    // the feed's title as plain text
	scope      arena.Sum // sum of source: which feed an item came from, in the folder's memory
	oldScope   arena.Sum // the scope a release that wrote credentials into source gave (unset when the same)
}

// prepared is one item after the clean-up and body stages, before it has a
// file: everything but the final slug and, for an undated item, the date.
type prepared struct {
	fm      frontmatter.FrontMatter
	body    string        // the body as written, trimmed, without its final newline
	id      folder.ItemID // what tells it from the feed's other items
	hasDate bool
	when    time.Time
	name    string // how messages name the item: its link, GUID or title
	note    string // a date string that could not be read, for Result.Notes
	err     error
}

// newFeedInfo works out, once per feed, the source key, the categories
// and the base URL for links.
func newFeedInfo(feed *gofeed.Feed, src fetch.Source, finalURL string, opts *Options) feedInfo {
	fi := feedInfo{title: body.PlainText(feed.Title)}
	switch {
	case src.URL != nil:
		fi.source = src.URL.String()
		if src.Arg != "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(src.Arg)), "feed:") {
			fi.source = strings.TrimSpace(src.Arg)
		}
	case fetch.AbsHTTP(feed.FeedLink, "") != "":
		fi.source = fetch.AbsHTTP(feed.FeedLink, "")
	default:
		fi.source = fetch.AbsHTTP(feed.Link, "")
	}
	// Relative item links resolve against the feed's link, made absolute
	// against where the feed came from.
	from := finalURL
	if from == "" {
		from = fi.source
	}
	// A base with a user name and password would give them to every
	// relative link (ResolveReference keeps them).
	from = fetch.SourceURL(from)
	fi.base = fetch.SourceURL(fetch.AbsHTTP(feed.Link, from))
	if fi.base == "" {
		fi.base = from
	}
	if opts.Source != "" {
		fi.source = opts.Source
	}
	// No user name, password or token in a file: the source key is the
	// URL without them. Releases before wrote them, and summed that
	// source into the folder's memory: items they wrote are still known
	// by that sum (oldScope).
	if clean := fetch.SourceURL(fi.source); clean != fi.source {
		fi.oldScope = arena.SumOf(fi.source)
		fi.source = clean
	}
	switch {
	case len(opts.Categories) > 0:
		// Options.Check refused a -category that makes no term; one
		// with '/' or markup becomes its term here.
		for _, c := range opts.Categories {
			if t := frontmatter.Term(c); t != "" {
				fi.categories = append(fi.categories, t)
			}
		}
	case frontmatter.HostTerm(fi.source) != "":
		fi.categories = []string{frontmatter.HostTerm(fi.source)}
	}
	fi.scope = arena.SumOf(fi.source)
	return fi
}

// prepare runs the clean-up stage on one item: title, description, date,
// link, tags, slug base, image and body.
//
// It is long because it fills the front matter's fields one after the
// other, in FORMAT.md's order.
func (c *Converter) prepare(it *gofeed.Item, fi feedInfo) *prepared {
	p := &prepared{}
	fm := &p.fm

	link := fetch.AbsHTTP(it.Link, fi.base)
	if link == "" {
		// Atom entries may carry only a rel="self" or unnamed link.
		for _, l := range it.Links {
			if link = fetch.AbsHTTP(l, fi.base); link != "" {
				break
			}
		}
	}
	fm.Link = link
	fm.GUID = strings.TrimSpace(it.GUID)

	text, firstImg, err := c.bodies.Make(it, link)
	if err != nil {
		p.err = err
	}
	p.body = text

	descText := body.PlainText(it.Description)
	// The content's text is needed only for a missing title or
	// description, and only its start: reading the whole body for it
	// would cost a pass over every byte.
	var contentText *string
	content := func() string {
		if contentText == nil {
			t := body.PlainTextUpTo(it.Content, descriptionRunes+1)
			contentText = &t
		}
		return *contentText
	}

	fm.Title = body.PlainText(it.Title)
	if fm.Title == "" {
		switch {
		case descText != "":
			fm.Title, _ = body.CutWords(descText, titleFallbackRunes)
		case content() != "":
			fm.Title, _ = body.CutWords(content(), titleFallbackRunes)
		case link != "":
			fm.Title = link
		default:
			fm.Title = "Untitled"
		}
	}
	fm.Description = descText
	if fm.Description == "" && content() != "" {
		d, cut := body.CutWords(content(), descriptionRunes)
		if cut {
			d += "…"
		}
		fm.Description = d
	}
	fm.Summary = frontmatter.SummaryText(fm.Description)

	when, hasDate, badDate := frontmatter.ItemTime(it)
	p.hasDate, p.when = hasDate, when

	fm.Image = frontmatter.ImageURL(it, firstImg, link)
	fm.Source, fm.Categories = fi.source, fi.categories
	if fm.Categories == nil {
		if h := frontmatter.HostTerm(link); h != "" {
			fm.Categories = []string{h}
		}
	}
	fm.Tags = c.itemTags(it, fm.Title)
	fm.Draft = c.opts.Draft
	fm.FeedTitle = fi.title
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		fm.Author = body.PlainText(it.Authors[0].Name)
	}
	c.migrateData(it, link, fi, fm)

	p.id = folder.ItemID{GUID: fm.GUID, Link: link, Title: fm.Title, Feed: fi.scope}
	if link == "" {
		sum := sha256.Sum256([]byte(it.Title + "\x00" + it.Published + "\x00" + it.Updated + "\x00" + it.Content + "\x00" + it.Description))
		p.id.Hash = folder.KeyHash + hex.EncodeToString(sum[:16])
	}
	switch {
	case link != "":
		p.name = link
	case fm.GUID != "":
		p.name = fm.GUID
	default:
		p.name = fm.Title
	}
	if badDate != "" {
		// Never silent: the item would be dated otherwise than the feed meant.
		dated := "dated by its update date instead"
		if !hasDate {
			dated = "dated as its file already is, else as of this run"
		}
		p.note = fmt.Sprintf("%s: date %q not read: %s", p.name, frontmatter.CapBytes(strings.TrimSpace(badDate), 100), dated)
	} else if zone := frontmatter.UnknownZone(when); zone != "" {
		// Never silent either: the moment is the earliest the text can mean.
		text := strings.TrimSpace(it.Published)
		if text == "" {
			text = strings.TrimSpace(it.Updated)
		}
		p.note = fmt.Sprintf("%s: date %q: zone %s unknown: read as UTC+14, the earliest moment it can mean", p.name, frontmatter.CapBytes(text, 100), frontmatter.CapBytes(zone, 5))
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

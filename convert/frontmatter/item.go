package frontmatter

import (
	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Lengths of FORMAT.md's fallbacks, in runes.
const (
	titleFallbackRunes = 80
	descriptionRunes   = 300
)

// Tag sources (convert.Options.Tags).
const (
	TagsTitle = "title" // FORMAT.md's rule: words of the title
	TagsFeed  = "feed"  // the item's own categories, lowercased and deduplicated
	TagsBoth  = "both"  // the item's categories first, then words of the title
)

// Feed is what every item of one feed shares.
type Feed struct {
	Source     string   // the source key: -source, else the URL given, else the self link, else the feed's link
	Categories []string // -category, else the source's host; nil when neither (each item's link host then)
	Base       string   // what relative item links resolve against
	Title      string   // the feed's title as plain text
	// RawSource is the source key as releases before this one wrote it,
	// credentials included, when it differs from Source ("" otherwise):
	// the items they wrote are known by its sum.
	RawSource string
}

// NewFeed works out, once per feed, the source key, the categories and
// the base URL for links. src is where the feed was read from and
// finalURL where it came from after redirects; source and categories are
// the user's (-source, -category), empty for the defaults.
func NewFeed(feed *gofeed.Feed, src fetch.Source, finalURL, source string, categories []string) Feed {
	fi := Feed{Title: body.PlainText(feed.Title)}
	switch {
	case src.URL != nil:
		fi.Source = src.URL.String()
		if src.Arg != "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(src.Arg)), "feed:") {
			fi.Source = strings.TrimSpace(src.Arg)
		}
	case fetch.AbsHTTP(feed.FeedLink, "") != "":
		fi.Source = fetch.AbsHTTP(feed.FeedLink, "")
	default:
		fi.Source = fetch.AbsHTTP(feed.Link, "")
	}
	// Relative item links resolve against the feed's link, made absolute
	// against where the feed came from.
	from := finalURL
	if from == "" {
		from = fi.Source
	}
	// A base with a user name and password would give them to every
	// relative link (ResolveReference keeps them).
	from = fetch.SourceURL(from)
	fi.Base = fetch.SourceURL(fetch.AbsHTTP(feed.Link, from))
	if fi.Base == "" {
		fi.Base = from
	}
	if source != "" {
		fi.Source = source
	}
	// No user name, password or token in a file: the source key is the
	// URL without them. Releases before wrote them (RawSource).
	if clean := fetch.SourceURL(fi.Source); clean != fi.Source {
		fi.RawSource = fi.Source
		fi.Source = clean
	}
	switch {
	case len(categories) > 0:
		// CheckValues refused a -category that makes no term; one with
		// '/' or markup becomes its term here.
		for _, c := range categories {
			if t := Term(c); t != "" {
				fi.Categories = append(fi.Categories, t)
			}
		}
	case HostTerm(fi.Source) != "":
		fi.Categories = []string{HostTerm(fi.Source)}
	}
	return fi
}

// Fields are the options that shape an item's fields.
type Fields struct {
	Stopwords Stopwords // words never made tags
	MaxTags   int       // tags per item; 0 or less for none
	Tags      string    // where tags come from: TagsTitle, TagsFeed or TagsBoth
	Draft     bool      // write draft: true
	Aliases   bool      // the item link's path as an alias, on the feed's own host
	// All gathers the fields only a user's template shows (enclosures,
	// the item's own categories, authors, update time); the default
	// layout uses none of them.
	All bool
}

// Item is an item's fields, before it has a file: all but the final slug
// and, for an undated item, the date.
type Item struct {
	FM      FrontMatter
	HasDate bool      // the feed dates the item: When
	When    time.Time // the item's moment, when HasDate
	Name    string    // how messages name the item: its link, GUID or title
	Note    string    // a date the feed wrote that could not be read as it meant, for the run's notes
}

// Link returns an item's link made absolute against base: its link, else
// the first of its other links (Atom entries may carry only a rel="self"
// or an unnamed one).
func Link(it *gofeed.Item, base string) string {
	link := fetch.AbsHTTP(it.Link, base)
	if link == "" {
		for _, l := range it.Links {
			if link = fetch.AbsHTTP(l, base); link != "" {
				break
			}
		}
	}
	return link
}

// Fill fills x, an item's fields, from the feed's: title, description and
// summary (falling back on the body's text), date, image, source,
// categories, tags, author and, as Fields ask, aliases and what a user's
// template shows. link is the item's (see Link); firstImg the src of the
// body's first image, the image's last resort. The slug is left to the
// caller, whose fallback for an item without GUID or link is its identity.
//
// It is long because it fills the front matter's fields one after the
// other, in FORMAT.md's order.
func (f *Fields) Fill(x *Item, it *gofeed.Item, feed *Feed, link, firstImg string) {
	fm := &x.FM
	fm.Link = link
	fm.GUID = strings.TrimSpace(it.GUID)

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
	fm.Summary = SummaryText(fm.Description)

	when, hasDate, badDate := ItemTime(it)
	x.HasDate, x.When = hasDate, when

	fm.Image = imageURL(it, firstImg, link)
	fm.Source, fm.Categories = feed.Source, feed.Categories
	if fm.Categories == nil {
		if h := HostTerm(link); h != "" {
			fm.Categories = []string{h}
		}
	}
	fm.Tags = f.tags(it, fm.Title)
	fm.Draft = f.Draft
	fm.FeedTitle = feed.Title
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		fm.Author = body.PlainText(it.Authors[0].Name)
	}
	f.migrateData(it, link, feed, fm)

	switch {
	case link != "":
		x.Name = link
	case fm.GUID != "":
		x.Name = fm.GUID
	default:
		x.Name = fm.Title
	}
	if badDate != "" {
		// Never silent: the item would be dated otherwise than the feed meant.
		dated := "dated by its update date instead"
		if !hasDate {
			dated = "dated as its file already is, else as of this run"
		}
		x.Note = fmt.Sprintf("%s: date %q not read: %s", x.Name, capBytes(strings.TrimSpace(badDate), 100), dated)
	} else if zone := unknownZone(when); zone != "" {
		// Never silent either: the moment is the earliest the text can mean.
		text := strings.TrimSpace(it.Published)
		if text == "" {
			text = strings.TrimSpace(it.Updated)
		}
		x.Note = fmt.Sprintf("%s: date %q: zone %s unknown: read as UTC+14, the earliest moment it can mean", x.Name, capBytes(text, 100), capBytes(zone, 5))
	}
}

// tags returns an item's tags by the tag source: from the title
// (FORMAT.md), from the item's own categories, or both (categories first),
// at most MaxTags in all.
func (f *Fields) tags(it *gofeed.Item, title string) []string {
	if f.Tags == TagsTitle || f.Tags == "" {
		return Tags(title, f.Stopwords, f.MaxTags)
	}
	tags := FeedTags(it.Categories, f.MaxTags)
	if f.Tags == TagsBoth && len(tags) < f.MaxTags {
		seen := make(map[string]bool, len(tags))
		for _, t := range tags {
			seen[t] = true
		}
		for _, t := range Tags(title, f.Stopwords, f.MaxTags) {
			if len(tags) == f.MaxTags {
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
		t := termOf(strings.ToLower(body.PlainText(c)))
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
// f.Aliases), and for a user's template the item's enclosures, own
// categories, authors and update time (the renderer adds the body). The
// embedded layout uses none of the latter, so a default run does not
// gather them.
func (f *Fields) migrateData(it *gofeed.Item, link string, feed *Feed, fm *FrontMatter) {
	if f.Aliases {
		if a := AliasFor(link, feed.Base); a != "" {
			fm.Aliases = []string{a}
		}
	}
	if !f.All {
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
		fm.Enclosures = append(fm.Enclosures, Enclosure{URL: u, Type: strings.TrimSpace(e.Type), Length: n})
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
	if t, ok := readDate(it.UpdatedParsed, it.Updated); ok {
		fm.Updated = t
	}
}

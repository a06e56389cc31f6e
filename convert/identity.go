package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// An item is known by its id (RSS guid, Atom id, JSON Feed id); without
// one by its link; where several items of the feed share a link, by their
// link and title; without a link, by a hash of its title, date and body.
// An id given to items with different links or titles does not tell them
// apart (FORMAT.md, "File names and the output folder").
//
// Whether a link or an id is shared is a fact about the whole feed, but
// items are written as they stream in. So each item is claimed with the
// key its feed has shown so far (see), and once the feed has been read
// every file is recorded under the key the whole feed gives it (final).
// The one decision that needs the whole feed before writing, giving an
// item a remembered file whose link is the same but whose title is not,
// is put off to the end of the feed (see store.claim).

// Prefixes of identity keys.
const (
	keyGUID     = "guid:" // the item's id
	keyLink     = "link:" // its link, which no other item of the feed has
	keyLinkText = "lt:"   // its link and title: items of the feed share the link
	keyHash     = "hash:" // a hash of its title, dates and body: it has no link
)

// itemID is what tells one item from another.
type itemID struct {
	guid  string // RSS guid, Atom id, JSON Feed id; "" when none
	link  string // the item's absolute link; "" when none
	title string // the title as written (after the clean-up)
	hash  string // for an item without a link: keyHash and a hash of its text
	feed  string // shortSum of the feed's source key: which feed it came from
}

// fallbackKey is the key of an item whose id another item, of another
// feed, has: its link and title, else its hash.
func fallbackKey(id *itemID) string {
	if id.link != "" {
		return linkTextKey(id.link, id.title)
	}
	return id.hash
}

// titleSum is how the folder's memory records a title: short, and enough
// to tell whether an item's title is the one its file was written with.
func titleSum(title string) string { return shortSum(title) }

// shortSum is 12 hex digits of the SHA-256 of s.
func shortSum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// linkTextKey is the key of an item known by its link and title.
func linkTextKey(link, title string) string {
	return keyLinkText + link + "\x00" + title
}

// feedIDs follows the ids and links of one feed's items, in feed order.
type feedIDs struct {
	byGUID  map[string]itemID // the first item seen with each id
	shared  map[string]bool   // ids given to items with different links or titles
	links   map[string]int    // how many distinct items have each link
	texts   map[string]bool   // link-and-title keys seen
	hashes  map[string]bool   // hash keys seen
	byLink  map[string]itemID // the item known by each link key
	repeats int
}

func newFeedIDs() *feedIDs {
	return &feedIDs{
		byGUID: map[string]itemID{}, shared: map[string]bool{}, links: map[string]int{},
		texts: map[string]bool{}, hashes: map[string]bool{}, byLink: map[string]itemID{},
	}
}

// see takes the next item of the feed. It returns the key the item is
// known by on what the feed has shown so far, and whether it is the first
// item of the feed with its link; repeat is true when the feed already
// listed the same item.
func (f *feedIDs) see(id *itemID) (key string, firstLink, repeat bool) {
	if id.guid != "" {
		first, seen := f.byGUID[id.guid]
		switch {
		case !seen:
			f.byGUID[id.guid] = *id // a copy: a pointer would keep the item's body
			return keyGUID + id.guid, f.countLink(id), false
		case first.link == id.link && first.title == id.title:
			f.repeats++
			return "", false, true
		}
		// The id is given to another item: link and title tell them apart.
		f.shared[id.guid] = true
	}
	if id.link == "" {
		if f.hashes[id.hash] {
			f.repeats++
			return "", false, true
		}
		f.hashes[id.hash] = true
		return id.hash, false, false
	}
	lt := linkTextKey(id.link, id.title)
	if f.texts[lt] {
		f.repeats++
		return "", false, true
	}
	f.texts[lt] = true
	if f.countLink(id) {
		f.byLink[id.link] = *id
		return keyLink + id.link, true, false
	}
	return lt, false, false
}

// countLink counts one more item with id's link, and reports whether it
// is the first.
func (f *feedIDs) countLink(id *itemID) bool {
	if id.link == "" {
		return false
	}
	f.links[id.link]++
	return f.links[id.link] == 1
}

// final returns the key an item is known by over the whole feed. Call it
// once every item has been seen.
func (f *feedIDs) final(id *itemID) string {
	switch {
	case id.guid != "" && !f.shared[id.guid]:
		return keyGUID + id.guid
	case id.link == "":
		return id.hash
	case f.links[id.link] > 1:
		return linkTextKey(id.link, id.title)
	}
	return keyLink + id.link
}

// onlyWithLink reports whether id is the only item of the feed with its
// link. Call it once every item has been seen.
func (f *feedIDs) onlyWithLink(id *itemID) bool {
	return id.link != "" && f.links[id.link] == 1
}

// each calls fn with the key and item of every item whose key may differ
// from its final one: the first item given a shared id, and the item
// known by a link that later items turned out to share.
func (f *feedIDs) each(fn func(key string, id *itemID)) {
	var keys []string
	for guid := range f.shared {
		keys = append(keys, keyGUID+guid)
	}
	for link := range f.byLink {
		if f.links[link] > 1 {
			keys = append(keys, keyLink+link)
		}
	}
	sort.Strings(keys) // the same records whatever the maps' order
	for _, k := range keys {
		var id itemID
		if guid, ok := strings.CutPrefix(k, keyGUID); ok {
			id = f.byGUID[guid]
		} else {
			id = f.byLink[k[len(keyLink):]]
		}
		fn(k, &id)
	}
}

package folder

import (
	"feed2md/convert/arena"
	"sort"
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
// is put off to the end of the feed (see Store.Claim).

// Prefixes of identity keys.
const (
	keyGUID     = "guid:" // the item's id
	keyLink     = "link:" // its link, which no other item of the feed has
	keyLinkText = "lt:"   // its link and title: items of the feed share the link
	KeyHash     = "hash:" // a hash of its title, dates and body: it has no link
)

// ItemID is what tells one item from another.
type ItemID struct {
	GUID  string    // RSS guid, Atom id, JSON Feed id; "" when none
	Link  string    // the item's absolute link; "" when none
	Title string    // the title as written (after the clean-up)
	Hash  string    // for an item without a link: KeyHash and a hash of its text
	Feed  arena.Sum // sum of the feed's source key: which feed it came from
}

// fallbackKey is the key of an item whose id another item, of another
// feed, has: its link and title, else its hash.
func fallbackKey(id *ItemID) string {
	if id.Link != "" {
		return linkTextKey(id.Link, id.Title)
	}
	return id.Hash
}

// TitleSum is how the folder's memory records a title: short, and enough
// to tell whether an item's title is the one its file was written with.
func TitleSum(title string) arena.Sum { return arena.SumOf(title) }

// linkTextKey is the key of an item known by its link and title.
func linkTextKey(link, title string) string {
	return keyLinkText + link + "\x00" + title
}

// FeedIDs follows the ids and links of one feed's items, in feed order.
// It holds no pointer per item (see convert/arena): the strings it must give
// back (those of the first item with each id or link) are in an arena.
type FeedIDs struct {
	strs    arena.Arena
	firsts  []firstItem               // the first item seen with each id, and each item known by its link alone
	byGUID  map[arena.Digest]int32    // id → its first item, in firsts
	shared  map[arena.Digest]int32    // ids given to items with different links or titles → their first item
	links   map[arena.Digest]int32    // how many distinct items have each link
	texts   map[arena.Digest]struct{} // link-and-title pairs seen
	hashes  map[arena.Digest]struct{} // hash keys seen
	byLink  map[arena.Digest]int32    // link → the item known by it, in firsts
	feed    arena.Sum                 // the feed's sum (the ItemID.Feed of its items)
	repeats int
}

// firstItem is what FeedIDs keeps of an item: enough to give back its
// ItemID.
type firstItem struct {
	guid, link, title, hash arena.Ref
	pair                    arena.Digest // arena.DigestOf2(link, title)
}

// NewFeedIDs returns the tracker of the feed whose sum is feed.
func NewFeedIDs(feed arena.Sum) *FeedIDs {
	return &FeedIDs{
		feed:   feed,
		byGUID: map[arena.Digest]int32{}, shared: map[arena.Digest]int32{}, links: map[arena.Digest]int32{},
		texts: map[arena.Digest]struct{}{}, hashes: map[arena.Digest]struct{}{}, byLink: map[arena.Digest]int32{},
	}
}

// keep records id as a first item and returns its index in firsts.
func (f *FeedIDs) keep(id *ItemID, pair arena.Digest) int32 {
	f.firsts = append(f.firsts, firstItem{
		guid: f.strs.Add(id.GUID), link: f.strs.Add(id.Link),
		title: f.strs.Add(id.Title), hash: f.strs.Add(id.Hash), pair: pair,
	})
	return int32(len(f.firsts) - 1)
}

// item returns the ItemID of a first item.
func (f *FeedIDs) item(i int32) ItemID {
	fi := &f.firsts[i]
	return ItemID{
		GUID: f.strs.Str(fi.guid), Link: f.strs.Str(fi.link),
		Title: f.strs.Str(fi.title), Hash: f.strs.Str(fi.hash), Feed: f.feed,
	}
}

// See takes the next item of the feed. It returns the key the item is
// known by on what the feed has shown so far, and whether it is the first
// item of the feed with its link; repeat is true when the feed already
// listed the same item.
func (f *FeedIDs) See(id *ItemID) (key string, firstLink, repeat bool) {
	pair := arena.DigestOf2(id.Link, id.Title)
	if id.GUID != "" {
		g := arena.DigestOf(id.GUID)
		first, seen := f.byGUID[g]
		switch {
		case !seen:
			f.byGUID[g] = f.keep(id, pair)
			return keyGUID + id.GUID, f.countLink(id), false
		case f.firsts[first].pair == pair:
			f.repeats++
			return "", false, true
		}
		// The id is given to another item: link and title tell them apart.
		f.shared[g] = first
	}
	if id.Link == "" {
		h := arena.DigestOf(id.Hash)
		if _, seen := f.hashes[h]; seen {
			f.repeats++
			return "", false, true
		}
		f.hashes[h] = struct{}{}
		return id.Hash, false, false
	}
	if _, seen := f.texts[pair]; seen {
		f.repeats++
		return "", false, true
	}
	f.texts[pair] = struct{}{}
	if f.countLink(id) {
		f.byLink[arena.DigestOf(id.Link)] = f.keep(id, pair)
		return keyLink + id.Link, true, false
	}
	return linkTextKey(id.Link, id.Title), false, false
}

// countLink counts one more item with id's link, and reports whether it
// is the first.
func (f *FeedIDs) countLink(id *ItemID) bool {
	if id.Link == "" {
		return false
	}
	l := arena.DigestOf(id.Link)
	f.links[l]++
	return f.links[l] == 1
}

// Final returns the key an item is known by over the whole feed. Call it
// once every item has been seen.
func (f *FeedIDs) Final(id *ItemID) string {
	if id.GUID != "" {
		if _, shared := f.shared[arena.DigestOf(id.GUID)]; !shared {
			return keyGUID + id.GUID
		}
	}
	switch {
	case id.Link == "":
		return id.Hash
	case f.links[arena.DigestOf(id.Link)] > 1:
		return linkTextKey(id.Link, id.Title)
	}
	return keyLink + id.Link
}

// OnlyWithLink reports whether id is the only item of the feed with its
// link. Call it once every item has been seen.
func (f *FeedIDs) OnlyWithLink(id *ItemID) bool {
	return id.Link != "" && f.links[arena.DigestOf(id.Link)] == 1
}

// Each calls fn with the key and item of every item whose key may differ
// from its final one: the first item given a shared id, and the item
// known by a link that later items turned out to share.
func (f *FeedIDs) Each(fn func(key string, id *ItemID)) {
	type entry struct {
		key string
		id  ItemID
	}
	var list []entry
	for _, i := range f.shared {
		id := f.item(i)
		list = append(list, entry{keyGUID + id.GUID, id})
	}
	for l, i := range f.byLink {
		if f.links[l] > 1 {
			id := f.item(i)
			list = append(list, entry{keyLink + id.Link, id})
		}
	}
	sort.Slice(list, func(a, b int) bool { return list[a].key < list[b].key }) // the same records whatever the maps' order
	for i := range list {
		fn(list[i].key, &list[i].id)
	}
}

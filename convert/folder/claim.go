package folder

// Claims: each item gets its file in the store, in feed order, by its
// key, its id and its link, before it is written.

import (
	"feed2md/convert/arena"
	"strconv"
	"strings"
)

// reservedSlugs are names that would change the meaning of a Hugo section:
// index.md makes it a leaf bundle, _index.md is its own page.
var reservedSlugs = map[string]bool{"index": true, "_index": true}

// Loose says whether an item may take a remembered file by its link
// alone, the title having changed since the file was written.
type Loose int

const (
	LooseNo    Loose = iota // no: another item of the feed has the link
	LooseLater              // maybe: put the item off to the end of the feed
	LooseTake               // yes: the feed has no other item with the link
)

// ClaimLater is claim's answer for an item put off to the end of its feed.
var ClaimLater = &Stored{}

// Claim gives an item its file. key is the identity the item has on what
// its feed has shown so far (FeedIDs.See). The file is, in this order:
// the one remembered under key; one written with the item's link and
// title; with lo, the only one written with its link; else a new one
// under base, with -2, -3, … added while the name is taken. It returns nil
// when key was claimed already in this run (by an earlier feed, or a feed
// that was not modified), and ClaimLater when lo is LooseLater and only
// the end of the feed can tell. used is the key it claimed: key, or the
// item's link and title when another feed's item has its id or link.
//
// It is long because the cases of a claim (the item's own file, a slug
// taken by another item, a loose match by link or title, a foreign file)
// are one decision, read best in order.
func (s *Store) Claim(key string, id *ItemID, lo Loose, base string) (f *Stored, used string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index(); err != nil {
		return nil, "", err
	}
	sum := TitleSum(id.Title)
	link := arena.DigestOf(id.Link)
	switch {
	case strings.HasPrefix(key, keyGUID):
		// Two feeds can use one id (a number, a slug) for two items: an
		// id tells items apart only together with the feed, a link or a
		// title. Another item's id leaves this one its link and title.
		by, taken := s.claimedBy[arena.DigestOf(key)]
		if taken && by.link != link && by.title != sum {
			key = fallbackKey(id)
		} else if i := s.keyRec(key); !taken && i >= 0 && !s.belongs(i, id, sum) {
			key = fallbackKey(id)
		}
	case strings.HasPrefix(key, keyLink):
		// An earlier feed's item with the same link but another title is
		// another item.
		if by, taken := s.claimedBy[arena.DigestOf(key)]; taken && by.title != sum {
			key = linkTextKey(id.Link, id.Title)
		}
	}
	kd := arena.DigestOf(key)
	if _, taken := s.claimedBy[kd]; taken {
		return nil, key, nil
	}
	// A file remembered under another id is that item's, not this one's.
	hasID := strings.HasPrefix(key, keyGUID)
	otherID := func(i int32) bool { return hasID && s.hasGUIDKey(i) && !s.keyIs(i, key) }
	usable := func(i int32) bool {
		return i >= 0 && s.recs[i].flags&(recTaken|recForeign) == 0 && !s.isOwned(i) && !otherID(i)
	}
	take := func(i int32) (*Stored, string, error) {
		s.recs[i].flags |= recTaken
		s.claimedBy[kd] = claimer{link, sum}
		s.remember(i, key, kd, id, sum)
		return s.handle(i), key, nil
	}
	remembered := s.keyRecD(key, kd)
	if remembered >= 0 && s.isOwned(remembered) {
		// A feed that was not modified owns this item in this run.
		return nil, key, nil
	}
	if !strings.HasPrefix(key, keyLink) && usable(remembered) {
		// A link key alone does not say the title is the same: the steps
		// below look at both.
		return take(remembered)
	}
	if id.Link != "" {
		files, ok := s.byLink[link]
		for i := files.head; ok && i >= 0; i = s.recs[i].next {
			if s.recs[i].title != sum {
				continue
			}
			if usable(i) {
				return take(i)
			}
			if s.isOwned(i) && !otherID(i) {
				return nil, key, nil
			}
		}
		if ok && lo != LooseNo && files.n == 1 && usable(files.head) {
			// A file whose title is not known (a template without one)
			// can only be matched by its link: waiting would tell nothing.
			if lo == LooseLater && s.recs[files.head].title.Known {
				s.claimedBy[kd] = claimer{link, sum}
				return ClaimLater, key, nil
			}
			return take(files.head)
		}
	}
	slug := base
	for n := 2; s.slugRec(slug) >= 0 || reservedSlugs[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	r := rec{slug: s.strs.Add(slug), flags: recNew}
	if s.bundle {
		r.flags |= recDir
	}
	i := s.add(r)
	s.bySlug[arena.DigestOf(slug)] = i
	return take(i)
}

// remember records that file i is the file of the item id, known by key
// (whose digest is kd), its title's sum being title. The caller holds mu.
func (s *Store) remember(i int32, key string, kd arena.Digest, id *ItemID, title arena.Sum) {
	r := &s.recs[i]
	same := s.keyIs(i, key)
	if r.key.Len != 0 && !same {
		if old := s.strs.Str(r.key); s.keyRec(old) == i {
			delete(s.byKey, arena.DigestOf(old))
		}
	}
	if other := s.keyRecD(key, kd); other >= 0 && other != i {
		s.recs[other].key = arena.Ref{}
	}
	sameLink := s.strs.Eq(r.link, id.Link)
	if !same || r.title != title || r.feed != id.Feed || !sameLink {
		s.idsDirt = true
	}
	if !same {
		r.key = s.strs.Add(key)
	}
	if !sameLink {
		// The link is most often inside the key (a link key, a link and
		// title key, an id that is the link): it is not kept twice.
		if at := strings.Index(key, id.Link); at >= 0 && id.Link != "" {
			r.link = r.key.Sub(at)
			r.link.Len = uint32(len(id.Link))
		} else {
			r.link = s.strs.Add(id.Link)
		}
	}
	r.title, r.feed = title, id.Feed
	s.byKey[kd] = i
}

// belongs reports whether the remembered file i may be the item id's by
// its id alone: it was written for the same feed (under its scope, or
// the scope a release that wrote the feed's credentials gave it), or with
// the same link or title, or by a release that did not record which feed.
func (s *Store) belongs(i int32, id *ItemID, sum arena.Sum) bool {
	r := &s.recs[i]
	if old, ok := s.oldScopes[id.Feed]; ok && r.feed == old {
		return true
	}
	return !r.feed.Known || r.feed == id.Feed || (r.link.Len != 0 && s.strs.Eq(r.link, id.Link)) || (r.title.Known && r.title == sum)
}

// KnowOldScope records that files remembered under the scope old are of
// the feed whose scope is now scope (see feedInfo.oldScope). Remembering
// them again (remember) records the new scope.
func (s *Store) KnowOldScope(scope, old arena.Sum) {
	if !old.Known || old == scope {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oldScopes == nil {
		s.oldScopes = map[arena.Sum]arena.Sum{}
	}
	s.oldScopes[scope] = old
}

// Unclaim frees key, claimed for an item put off to the end of its feed,
// for that item's second claim.
func (s *Store) Unclaim(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.claimedBy, arena.DigestOf(key))
}

// Rekey records the file claimed under key as known by final: once the
// whole feed is read, an id or a link can turn out to be shared.
func (s *Store) Rekey(key, final string, id *ItemID) {
	if key == final {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.keyRec(key)
	if i < 0 || s.recs[i].flags&recTaken == 0 {
		return
	}
	fd, title := arena.DigestOf(final), TitleSum(id.Title)
	s.claimedBy[fd] = claimer{arena.DigestOf(id.Link), title}
	s.remember(i, final, fd, id, title)
}

package convert

// The filters of a feed's items, -since and -limit (Options.Since and
// Options.Limit), between the parse and the write stage.

import (
	"context"
	"feed2md/convert/feed"
	"feed2md/convert/frontmatter"
	"slices"
	"sort"
	"time"

	"github.com/mmcdole/gofeed"
)

// filter applies Since and Limit to a feed's items, keeping feed order,
// and returns the items kept. It reads every item for its date first. A
// stream of runs (a large feed) is then read a second time for the items
// kept only, so that they are never all held at once; the runs with none
// of them are not parsed again. Items parsed whole are held as a slice.
func (c *Converter) filter(ctx context.Context, list *feed.Items, res *Result, o *Options) (*feed.Items, error) {
	dates := make([]itemDate, list.Total)
	var all []*gofeed.Item
	if list.Again == nil {
		all = make([]*gofeed.Item, list.Total)
	}
	for i := range dates {
		if i%256 == 0 && ctx.Err() != nil {
			list.Stop()
			return nil, ctx.Err()
		}
		it, err := list.Get(i)
		if err != nil {
			list.Stop()
			return nil, err
		}
		if it == nil {
			continue
		}
		dates[i].present = true
		dates[i].t, dates[i].ok, _ = frontmatter.ItemTime(it)
		if all != nil {
			all[i] = it
		}
	}
	keep := selectItems(dates, o)
	var out *feed.Items
	if all != nil {
		kept := all[:0]
		for i, it := range all {
			if keep[i] {
				kept = append(kept, it)
			}
		}
		out = feed.SliceItems(kept)
	} else {
		var err error
		if out, err = list.Again(keep); err != nil {
			list.Stop()
			return nil, err
		}
	}
	first, second := list.Stop, out.Stop
	out.Stop = func() { second(); first() }
	out.Notes = list.Notes
	res.Filtered = list.Total - out.Total
	return out, nil
}

// itemDate is what the filters know of an item.
type itemDate struct {
	t       time.Time
	ok      bool // the item has a date
	present bool // there is an item at all
}

// selectItems says which items Since and Limit keep.
func selectItems(dates []itemDate, o *Options) []bool {
	keep := make([]bool, len(dates))
	var kept []int
	for i, d := range dates {
		if !d.present || d.ok && !o.Since.IsZero() && d.t.Before(o.Since) {
			continue
		}
		kept = append(kept, i)
	}
	if o.Limit > 0 && len(kept) > o.Limit {
		// Newest first; an undated item counts as newest (it gets today's date).
		order := slices.Clone(kept)
		sort.SliceStable(order, func(a, b int) bool {
			x, y := dates[order[a]], dates[order[b]]
			if x.ok != y.ok {
				return !x.ok
			}
			return x.t.After(y.t)
		})
		kept = order[:o.Limit]
	}
	for _, i := range kept {
		keep[i] = true
	}
	return keep
}

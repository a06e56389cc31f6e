package convert

// The filters of a feed's items, -since and -limit (Options.Since and
// Options.Limit), between the parse and the write stage.

import (
	"context"
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
func (c *Converter) filter(ctx context.Context, list *items, res *Result) (*items, error) {
	dates := make([]itemDate, list.total)
	var all []*gofeed.Item
	if list.again == nil {
		all = make([]*gofeed.Item, list.total)
	}
	for i := range dates {
		if i%256 == 0 && ctx.Err() != nil {
			list.stop()
			return nil, ctx.Err()
		}
		it, err := list.get(i)
		if err != nil {
			list.stop()
			return nil, err
		}
		if it == nil {
			continue
		}
		dates[i].present = true
		dates[i].t, dates[i].ok, _ = itemTime(it)
		if all != nil {
			all[i] = it
		}
	}
	keep := c.selectItems(dates)
	var out *items
	if all != nil {
		kept := all[:0]
		for i, it := range all {
			if keep[i] {
				kept = append(kept, it)
			}
		}
		out = sliceItems(kept)
	} else {
		var err error
		if out, err = list.again(keep); err != nil {
			list.stop()
			return nil, err
		}
	}
	first, second := list.stop, out.stop
	out.stop = func() { second(); first() }
	out.notes = list.notes
	res.Filtered = list.total - out.total
	return out, nil
}

// itemDate is what the filters know of an item.
type itemDate struct {
	t       time.Time
	ok      bool // the item has a date
	present bool // there is an item at all
}

// selectItems says which items Since and Limit keep.
func (c *Converter) selectItems(dates []itemDate) []bool {
	keep := make([]bool, len(dates))
	var kept []int
	for i, d := range dates {
		if !d.present || d.ok && !c.opts.Since.IsZero() && d.t.Before(c.opts.Since) {
			continue
		}
		kept = append(kept, i)
	}
	if c.opts.Limit > 0 && len(kept) > c.opts.Limit {
		// Newest first; an undated item counts as newest (it gets today's date).
		order := slices.Clone(kept)
		sort.SliceStable(order, func(a, b int) bool {
			x, y := dates[order[a]], dates[order[b]]
			if x.ok != y.ok {
				return !x.ok
			}
			return x.t.After(y.t)
		})
		kept = order[:c.opts.Limit]
	}
	for _, i := range kept {
		keep[i] = true
	}
	return keep
}

package convert

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// itemTime returns the item's publication time (else its update time) in
// the offset the feed wrote it in. gofeed parses the many date formats of
// real feeds but hands back UTC; the offset is read again from the text,
// so that an evening post in New York keeps its day. A date string gofeed
// does not read is read by parseDate. bad is the first non-empty date
// string that could not be read, for a note: the publication date when
// the update date stood in for it, or the one date the item has.
func itemTime(it *gofeed.Item) (t time.Time, ok bool, bad string) {
	published := it.PublishedParsed
	if published != nil && published == it.UpdatedParsed && strings.TrimSpace(it.Published) != strings.TrimSpace(it.Updated) {
		// gofeed's Atom translator puts the update time in place of a
		// published date it could not parse, and keeps the text.
		published = nil
	}
	if t, ok := readDate(published, it.Published); ok {
		return t, true, ""
	}
	if strings.TrimSpace(it.Published) != "" {
		bad = it.Published
	}
	if t, ok := readDate(it.UpdatedParsed, it.Updated); ok {
		return t, true, bad
	}
	if bad == "" && strings.TrimSpace(it.Updated) != "" {
		bad = it.Updated
	}
	return time.Time{}, false, bad
}

// readDate returns the time gofeed parsed from text, in text's offset,
// else text read by parseDate.
func readDate(parsed *time.Time, text string) (time.Time, bool) {
	if parsed != nil {
		return inWrittenZone(*parsed, text), true
	}
	if text == "" {
		return time.Time{}, false
	}
	return parseDate(text)
}

var (
	numericZone = regexp.MustCompile(`([+-])(\d{2}):?(\d{2})\s*(?:\([A-Za-z ]+\)|[A-Z]{1,5})?$`)
	namedZone   = regexp.MustCompile(`\b([A-Z]{1,5})\s*$`)
)

// zoneOffsets are the abbreviations that real feeds write, in seconds
// east of UTC. An abbreviation not listed is taken as UTC, as gofeed does.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
	"BST": 3600, "CET": 3600, "CEST": 2 * 3600, "MET": 3600, "MEST": 2 * 3600,
	"WEST": 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
	"IST": 5*3600 + 1800, "JST": 9 * 3600, "KST": 9 * 3600,
	"AEST": 10 * 3600, "AEDT": 11 * 3600, "ACST": 9*3600 + 1800, "AWST": 8 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
}

// gofeedZones are the abbreviations gofeed (v1.4) gives their offset.
// Any other one it parses as +00:00, the clock as written: such a date
// is read again by parseDate, which knows zoneOffsets.
var gofeedZones = map[string]bool{
	"UT": true, "GMT": true, "UTC": true, "EST": true, "EDT": true, "CST": true, "CDT": true,
	"MST": true, "MDT": true, "PST": true, "PDT": true, "WET": true, "WEST": true,
	"BST": true, "CET": true, "CEST": true, "EET": true, "EEST": true,
}

// inWrittenZone returns t in the zone that the date text ends with.
func inWrittenZone(t time.Time, text string) time.Time {
	text = strings.TrimSpace(text)
	if m := numericZone.FindStringSubmatch(text); m != nil {
		h, _ := strconv.Atoi(m[2])
		mins, _ := strconv.Atoi(m[3])
		off := h*3600 + mins*60
		if m[1] == "-" {
			off = -off
		}
		if off > -24*3600 && off < 24*3600 {
			return t.In(time.FixedZone("", off))
		}
		return t
	}
	if m := namedZone.FindStringSubmatch(text); m != nil {
		if off, ok := zoneOffsets[m[1]]; ok {
			if !gofeedZones[m[1]] {
				// gofeed read the clock as UTC: read it in its zone.
				if r, ok := parseDate(text); ok {
					return r
				}
			}
			return t.In(time.FixedZone(m[1], off))
		}
	}
	return t
}

// hugoDate writes t with layout, unless Hugo would read what that writes
// as a moment after t (a day alone is read as midnight UTC, a clock
// without a zone as UTC): then t is written in RFC 3339, in its own
// offset, so that Hugo never holds a published item back as a future
// post. A layout whose text Hugo does not read at all is left to Check.
func hugoDate(t time.Time, layout string) string {
	if layout == defaultDateLayout {
		// The common case, without parsing: the day at midnight UTC.
		y, m, d := t.Date()
		if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(t) {
			return t.Format(time.RFC3339)
		}
		return t.Format(layout)
	}
	s := t.Format(layout)
	if h, ok := hugoParseDate(s); ok && h.After(t) {
		return t.Format(time.RFC3339)
	}
	return s
}

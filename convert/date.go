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
// so that an evening post in New York keeps its day.
func itemTime(it *gofeed.Item) (time.Time, bool) {
	switch {
	case it.PublishedParsed != nil:
		return inWrittenZone(*it.PublishedParsed, it.Published), true
	case it.UpdatedParsed != nil:
		return inWrittenZone(*it.UpdatedParsed, it.Updated), true
	}
	return time.Time{}, false
}

var (
	numericZone = regexp.MustCompile(`([+-])(\d{2}):?(\d{2})\s*(?:\([A-Za-z ]+\))?$`)
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
			return t.In(time.FixedZone(m[1], off))
		}
	}
	return t
}

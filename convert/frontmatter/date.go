package frontmatter

import (
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// ItemTime returns the item's publication time (else its update time) in
// the offset the feed wrote it in. gofeed parses the many date formats of
// real feeds but hands back UTC; the offset is read again from the text,
// so that an evening post in New York keeps its day. A date string gofeed
// does not read is read by parseDate. bad is the first non-empty date
// string that could not be read, for a note: the publication date when
// the update date stood in for it, or the one date the item has.
func ItemTime(it *gofeed.Item) (t time.Time, ok bool, bad string) {
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

// zoneOffsets are the abbreviations that real feeds write, in seconds
// east of UTC. Three are ambiguous and read as most feeds that write
// them mean: CST as North America's Central time (China's feeds write
// +0800, though Java's Date.toString writes CST there too), BST as
// British Summer Time (not Bangladesh), both as gofeed reads them, and
// IST as India's (Israel's and Ireland's feeds mostly write an offset;
// India's, the easternmost reading, is also the earliest moment, never
// later than the other two). Others that name two zones are left out
// and read as unknown (see unknownZoneOffset): AST (Atlantic or Arabia),
// GST (Gulf or South Georgia), SST (Samoa or Singapore), CAT, ECT, BDT.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600, "HDT": -9 * 3600,
	// North America's zones without standard or daylight time said: the
	// daylight offset, the earlier of the two moments (an hour early at
	// worst, never later).
	"ET": -4 * 3600, "CT": -5 * 3600, "MT": -6 * 3600, "PT": -7 * 3600,
	"NST": -3*3600 - 1800, "NDT": -2*3600 - 1800, "ADT": -3 * 3600,
	"BRT": -3 * 3600, "BRST": -2 * 3600, "ART": -3 * 3600, "CLT": -4 * 3600, "CLST": -3 * 3600,
	"BST": 3600, "CET": 3600, "CEST": 2 * 3600, "MET": 3600, "MEST": 2 * 3600,
	"WEST": 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600, "TRT": 3 * 3600,
	"WAT": 3600, "SAST": 2 * 3600, "EAT": 3 * 3600,
	"IRST": 3*3600 + 1800, "PKT": 5 * 3600, "IST": 5*3600 + 1800, "NPT": 5*3600 + 2700,
	"ICT": 7 * 3600, "WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600,
	"HKT": 8 * 3600, "SGT": 8 * 3600, "PHT": 8 * 3600, "PHST": 8 * 3600, "MYT": 8 * 3600,
	"AWST": 8 * 3600, "JST": 9 * 3600, "KST": 9 * 3600,
	"AEST": 10 * 3600, "AEDT": 11 * 3600, "ACST": 9*3600 + 1800, "ACDT": 10*3600 + 1800,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
}

// unknownZoneOffset is the offset a date is read in when its zone is an
// abbreviation not in zoneOffsets (`07:56:00 XYZ`): UTC+14, the
// easternmost offset in use, so the moment read is the earliest the text
// can mean (a clock in UTC-12 is 26 hours later). Time's parsing would
// read it as UTC, and a post from east of UTC would then be dated later
// than it was published. Read as UTC+14, the date is the feed's own day
// when its clock is 14:00 or later, else RFC 3339 in full with +14:00
// (the feed's day and clock, at the earliest moment): Hugo shows the item
// at once whatever zone the feed meant. A note names the zone.
const unknownZoneOffset = 14 * 3600

// sameClock returns the clock of t read in the zone name at off seconds
// east of UTC.
func sameClock(t time.Time, name string, off int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, off))
}

// unknownZone returns the abbreviation of an unknown zone that t was read
// in (see unknownZoneOffset), or "": no zone of zoneOffsets is UTC+14,
// and an offset read from digits has no name.
func unknownZone(t time.Time) string {
	name, off := t.Zone()
	if off != unknownZoneOffset {
		return ""
	}
	return name
}

// gofeedZones are the abbreviations gofeed (v1.4) gives their offset,
// each with its zone, made once.
// Any other one it parses as +00:00, the clock as written: such a date
// is read again by parseDate, which knows zoneOffsets and reads an
// unknown abbreviation as unknownZoneOffset says.
var gofeedZones = func() map[string]*time.Location {
	m := map[string]*time.Location{}
	for _, name := range []string{"UT", "GMT", "UTC", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "WET", "WEST", "BST", "CET", "CEST", "EET", "EEST"} {
		m[name] = time.FixedZone(name, zoneOffsets[name])
	}
	return m
}()

// inWrittenZone returns t in the zone that the date text ends with, or
// that stands before the year at its end, as Unix's date writes it (`Mon
// Jan 21 08:56:00 JST 2008`).
func inWrittenZone(t time.Time, text string) time.Time {
	text = strings.TrimSpace(text)
	off, numeric, name := endZone(cutUnixYear(text))
	switch {
	case numeric:
		if off > -24*3600 && off < 24*3600 {
			return t.In(time.FixedZone("", off))
		}
	case name != "":
		if loc := gofeedZones[name]; loc != nil {
			return t.In(loc)
		}
		// gofeed read the clock as UTC (an abbreviation it does not
		// know, or AM/PM): read it again.
		if r, ok := parseDate(text); ok {
			return r
		}
		if off, known := zoneOffsets[name]; known {
			return sameClock(t, name, off)
		} else if name != "AM" && name != "PM" {
			return sameClock(t, name, unknownZoneOffset)
		}
	}
	return t
}

// endZone reads the zone at the end of a trimmed date text, without a
// regular expression (it runs for every item): a numeric offset
// (`+0900`, `-05:00`), which may have a zone's name after it (`+0100
// GMT`, `+0200 (Central European Summer Time)`), else an abbreviation of
// 1 to 5 capitals standing as a word (`JST`); name is "" when there is
// none.
func endZone(s string) (off int, numeric bool, name string) {
	rest := s
	if strings.HasSuffix(s, ")") {
		i := strings.LastIndexByte(s, '(')
		if i < 0 || i == len(s)-2 {
			return 0, false, ""
		}
		for _, c := range []byte(s[i+1 : len(s)-1]) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == ' ') {
				return 0, false, ""
			}
		}
		rest = s[:i]
	} else {
		j := len(s)
		for j > 0 && s[j-1] >= 'A' && s[j-1] <= 'Z' {
			j--
		}
		if k := len(s) - j; k >= 1 && k <= 5 {
			rest = s[:j]
			if j == 0 || !isWordByte(s[j-1]) {
				name = s[j:]
			}
		}
	}
	rest = strings.TrimRight(rest, " \t\n\r\f\v")
	if n := len(rest); n >= 5 {
		mm := rest[n-2:]
		hh, sign := rest[n-4:n-2], rest[n-5]
		if rest[n-3] == ':' && n >= 6 {
			hh, sign = rest[n-5:n-3], rest[n-6]
		}
		if (sign == '+' || sign == '-') && isDigits(hh) && isDigits(mm) {
			off = atoi(hh)*3600 + atoi(mm)*60
			if sign == '-' {
				off = -off
			}
			return off, true, ""
		}
	}
	return 0, false, name
}

// isWordByte reports whether c is a letter, digit or underscore: where a
// zone's abbreviation does not begin.
func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// cutUnixYear returns text without the year at its end when a zone
// stands before it, after a clock (`08:56:00 JST 2008`, `15:04:05 -0700
// 2006`), else text.
func cutUnixYear(text string) string {
	n := len(text)
	if n < 12 || text[n-5] != ' ' || !isDigit(text[n-4]) || !isDigit(text[n-1]) || !isDigit(text[n-2]) || !isDigit(text[n-3]) {
		return text
	}
	head := strings.TrimRight(text[:n-5], " ")
	i := strings.LastIndexByte(head, ' ')
	if i < 0 || !strings.Contains(head[:i], ":") {
		return text
	}
	if z := head[i+1:]; isLetters(z) || z[0] == '+' || z[0] == '-' {
		return head
	}
	return text
}

// HugoDate writes t with layout, unless Hugo would read what that writes
// as a moment after t (a day alone is read as midnight in site, the Hugo
// site's timeZone, a clock without a zone as that clock in site; nil is
// UTC, Hugo's default): then t is written in RFC 3339, in its own offset,
// so that Hugo never holds a published item back as a future post. A
// layout whose text Hugo does not read at all is left to Check.
func HugoDate(t time.Time, layout string, site *time.Location) string {
	if site == nil {
		site = time.UTC
	}
	if layout == defaultDateLayout {
		// The common case, without parsing: the day at midnight.
		y, m, d := t.Date()
		if time.Date(y, m, d, 0, 0, 0, 0, site).After(t) {
			return t.Format(time.RFC3339)
		}
		return t.Format(layout)
	}
	s := t.Format(layout)
	if h, ok := HugoParseDateIn(s, site); ok && h.After(t) {
		return t.Format(time.RFC3339)
	}
	return s
}

// HugoParseDateIn parses s as Hugo reads a front-matter date string in a
// site whose timeZone is loc: a text without a zone is read in loc.
func HugoParseDateIn(s string, loc *time.Location) (time.Time, bool) {
	for _, l := range hugoDateLayouts {
		var t time.Time
		var err error
		if l.zone {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, loc)
		}
		if err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

package frontmatter

import (
	"strings"
	"time"
)

// parseDate reads a date string in the forms real feeds write that gofeed
// leaves unread: ISO 8601 without seconds or zone (`2018-01-06T08:00`),
// slashes (`2020/1/10 14:33:00`), JavaScript's Date string (`Sat Oct 06
// 2018 00:00:00 GMT+0200 (Central European Summer Time)`), `am`/`pm`
// clocks (`Mon, 21 Jan 2008 8:56 am PST`), month names in lower case, in
// full or in a few other languages (`Seg, 24 Set 2018 19:22:00 -0300`),
// ordinals (`January 6th, 2018`). A date without a zone is read as UTC,
// as gofeed and Hugo read one. It is called only for the strings gofeed
// did not parse, so it favours being right over being fast: the text is
// cut into words, a day name and filler words dropped, the zone taken
// from the end, and what is left tried on a table of layouts. Day and
// month in `1/2/2006` are read only when one reading alone is a date.
//
// It is long because it tries the date forms in turn, most frequent first,
// each a few lines.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 120 {
		return time.Time{}, false
	}
	if strings.HasSuffix(s, ")") {
		// A zone's name after its offset, as JavaScript writes it.
		if i := strings.LastIndexByte(s, '('); i > 0 {
			s = strings.TrimSpace(s[:i])
		}
	}
	dayComma := false
	if i := strings.IndexByte(s, ','); i > 0 && isLetters(strings.TrimRight(s[:i], ".")) {
		dayComma = true // "Mar, 24 Sep": a day name, even one spelled like a month
	}
	words := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if n := len(words); n >= 3 && len(words[n-1]) == 4 && isDigits(words[n-1]) && strings.Contains(words[n-3], ":") &&
		(isLetters(words[n-2]) || words[n-2][0] == '+' || words[n-2][0] == '-') {
		// Unix's date: the zone before the year (`08:56:00 JST 2008`).
		words[n-2], words[n-1] = words[n-1], words[n-2]
	}
	off, zoned, unknown, words := takeZone(words)
	if len(words) == 0 {
		return time.Time{}, false
	}
	if w := strings.TrimRight(words[0], "."); isLetters(w) && (dayComma || monthAbbr(w) == "") && len(words) > 1 {
		words = words[1:]
	}
	out := make([]string, 0, len(words)+1)
	for _, w := range words {
		lw := strings.ToLower(w)
		switch {
		case lw == "at" || lw == "de" || lw == "of":
			continue
		case lw == "am" || lw == "a.m." || lw == "a.m":
			out = append(out, "AM")
			continue
		case lw == "pm" || lw == "p.m." || lw == "p.m":
			out = append(out, "PM")
			continue
		}
		if m := monthAbbr(strings.TrimRight(w, ".")); m != "" {
			out = append(out, m)
			continue
		}
		if isLetters(w) {
			return time.Time{}, false // a word that is not part of a date
		}
		// A clock with its am/pm glued on ("8:56am"), a day with its
		// ordinal ("6th", "5.").
		if n := len(w); n > 1 && w[n-1] == '.' && isDigit(w[n-2]) {
			w = w[:n-1]
		}
		if n := len(w); n > 2 && isDigit(w[n-3]) {
			switch suffix := string([]byte{w[n-2] | 0x20, w[n-1] | 0x20}); suffix {
			case "am", "pm":
				out = append(out, w[:n-2], strings.ToUpper(suffix))
				continue
			case "st", "nd", "rd", "th":
				w = w[:n-2]
			}
		}
		out = append(out, w)
	}
	text := strings.Join(out, " ")
	loc := time.UTC
	if zoned {
		loc = time.FixedZone(unknown, off)
	}
	var found time.Time
	ok := false
	for _, l := range layoutsByShape[dateShape(text)] {
		t, err := time.ParseInLocation(l.layout, text, loc)
		if err != nil || t.Year() < 1 {
			continue
		}
		if !l.ambiguous {
			return t, true
		}
		if ok && !t.Equal(found) {
			return time.Time{}, false // 1/2/2006: January or February?
		}
		found, ok = t, true
	}
	return found, ok
}

// takeZone takes the zone off the end of a date's words: an offset
// (`+02:00`, `-0700`, `+2`), one glued to the clock (`08:00+02:00`,
// `08:00Z`), after GMT or UTC (`GMT+0200`), or an abbreviation of
// zoneOffsets; an offset wins over the name beside it (`+0000 GMT`).
// An abbreviation not in zoneOffsets (1 to 5 capitals after a clock or
// an offset, not AM or PM) is taken too, as unknownZoneOffset says:
// unknown is its name then.
func takeZone(words []string) (off int, zoned bool, unknown string, rest []string) {
	for range 2 {
		if len(words) == 0 {
			break
		}
		last := words[len(words)-1]
		upper := strings.ToUpper(last)
		if o, ok := zoneOffsets[upper]; ok && !zoned {
			off, zoned, words = o, true, words[:len(words)-1]
			continue
		}
		if !zoned && unknownAbbr(words) {
			off, zoned, unknown, words = unknownZoneOffset, true, last, words[:len(words)-1]
			continue
		}
		for _, p := range []string{"GMT", "UTC", "UT"} {
			if strings.HasPrefix(upper, p) && len(upper) > len(p) && (upper[len(p)] == '+' || upper[len(p)] == '-') {
				upper, last = upper[len(p):], last[len(p):]
				break
			}
		}
		if o, ok := parseOffset(last); ok {
			return o, true, "", words[:len(words)-1]
		}
		// Glued to a clock: the sign after the clock's last digit.
		if c := strings.IndexByte(last, ':'); c > 0 {
			if n := len(last); !zoned && (last[n-1] == 'Z' || last[n-1] == 'z') && isDigit(last[n-2]) {
				words[len(words)-1] = last[:n-1]
				return 0, true, "", words
			}
			if i := strings.LastIndexAny(last, "+-"); i > c && isDigit(last[i-1]) {
				if o, ok := parseOffset(last[i:]); ok {
					words[len(words)-1] = last[:i]
					return o, true, "", words
				}
			}
		}
		break
	}
	return off, zoned, unknown, words
}

// unknownAbbr reports whether the last of words is a zone's abbreviation
// not in zoneOffsets: 1 to 5 capitals, not AM or PM, after a clock
// (`07:56`, `8 PM`), an offset (`+0800 HKT`), or a clock and a year (Unix's
// date, its year moved before the zone).
func unknownAbbr(words []string) bool {
	n := len(words)
	if n < 2 {
		return false
	}
	w, before := words[n-1], words[n-2]
	if n > 2 && len(before) == 4 && isDigits(before) {
		before = words[n-3]
	}
	if len(w) > 5 || w == "AM" || w == "PM" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	b := strings.ToUpper(before)
	if b == "AM" || b == "PM" || strings.Contains(b, ":") {
		return true
	}
	_, ok := parseOffset(before)
	return ok
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// parseOffset reads a UTC offset: a sign, then H, HH, HHMM, H:MM or
// HH:MM, hours below 24 and minutes below 60 (what RFC 3339 can write).
func parseOffset(s string) (int, bool) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	digits := strings.Replace(s[1:], ":", "", 1)
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, false
		}
	}
	var h, m int
	switch {
	case len(digits) <= 2 && !strings.Contains(s, ":"):
		h = atoi(digits)
	case len(digits) == 3 && strings.Contains(s, ":") || len(digits) == 4:
		h, m = atoi(digits[:len(digits)-2]), atoi(digits[len(digits)-2:])
	default:
		return 0, false
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isLetters reports whether s is a word of letters only.
func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0x24F) {
			return false
		}
	}
	return true
}

// monthAbbr returns the English abbreviation of a month's name, whole or
// cut, in English or a few other languages, or "".
func monthAbbr(w string) string {
	if len(w) < 3 || len(w) > 10 {
		return ""
	}
	return monthNames[strings.ToLower(w)]
}

// monthNames are months as feeds in English, Portuguese, Spanish, French,
// German, Italian and Dutch write them, whole and cut.
var monthNames = func() map[string]string {
	names := map[string]string{}
	for abbr, list := range map[string]string{
		"Jan": "jan january janeiro ene enero janv janvier jän jänner januar gen gennaio januari",
		"Feb": "feb february fev fevereiro febrero févr fevr février fevrier februar febbraio februari",
		"Mar": "mar march março marco marzo mars märz mrz maart mrt",
		"Apr": "apr april abr abril avr avril aprile",
		"May": "may mai maio mayo mag maggio mei",
		"Jun": "jun june junho junio juin juni giu giugno",
		"Jul": "jul july julho julio juil juillet juli lug luglio",
		"Aug": "aug august ago agosto août aout augustus",
		"Sep": "sep sept september set setembro septiembre setiembre septembre settembre",
		"Oct": "oct october out outubro octubre octobre okt oktober ott ottobre",
		"Nov": "nov november novembro noviembre novembre",
		"Dec": "dec december dez dezembro dic diciembre déc décembre dezember dicembre",
	} {
		for _, n := range strings.Fields(list) {
			names[n] = abbr
		}
	}
	return names
}()

// dateLayout is one layout parseDate tries; ambiguous ones (day and month
// both numbers, year last) are taken only when no other reading fits.
type dateLayout struct {
	layout    string
	ambiguous bool
}

// dateLayouts are the layouts parseDate tries, on text with a zone, a day
// name, commas and filler words taken out and months written "Jan": each
// day layout alone, with a clock after it (a space or T between), or
// before it.
var dateLayouts = func() []dateLayout {
	days := []string{"2006-1-2", "2006/1/2", "2006.1.2", "2 Jan 2006", "Jan 2 2006", "2 Jan 06", "Jan 2 06", "2-Jan-2006", "2-Jan-06", "2006 Jan 2", "2.1.2006"}
	ambiguous := []string{"1/2/2006", "2/1/2006", "1-2-2006", "2-1-2006"}
	clocks := []string{"15:04:05", "15:04", "3:04:05 PM", "3:04 PM", "3 PM"}
	var out []dateLayout
	add := func(day string, amb bool) {
		out = append(out, dateLayout{day, amb})
		for _, c := range clocks {
			out = append(out, dateLayout{day + " " + c, amb}, dateLayout{c + " " + day, amb})
			if !strings.Contains(c, " ") {
				out = append(out, dateLayout{day + "T" + c, amb})
			}
		}
	}
	for _, d := range days {
		add(d, false)
	}
	// Unix's date and ANSI C, the zone taken out: the year after the clock.
	for _, c := range clocks[:2] {
		out = append(out, dateLayout{"Jan 2 " + c + " 2006", false})
	}
	for _, d := range ambiguous {
		add(d, true)
	}
	return out
}()

// layoutsByShape are dateLayouts by their dateShape, in order: a text is
// tried on the few of its shape only, not on all.
var layoutsByShape = func() map[string][]dateLayout {
	m := map[string][]dateLayout{}
	for _, l := range dateLayouts {
		k := dateShape(l.layout)
		m[k] = append(m[k], l)
	}
	return m
}()

// dateShape is s with each run of digits written 9 and each run of
// letters a, a fraction of a second left out: "21 Jan 2008 8:56 AM" and
// "2 Jan 2006 3:04 PM" are both "9 a 9 9:9 a".
func dateShape(s string) string {
	b := make([]byte, 0, len(s))
	colons := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			if len(b) > 0 && b[len(b)-1] == '9' {
				continue
			}
			c = '9'
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			if len(b) > 0 && b[len(b)-1] == 'a' {
				continue
			}
			c = 'a'
		case c == ':':
			colons++
		case c == '.' && colons == 2 && i+1 < len(s) && isDigit(s[i+1]):
			// The fraction after a clock's seconds, which time.Parse
			// takes without a layout for it.
			for i+1 < len(s) && isDigit(s[i+1]) {
				i++
			}
			colons = 0
			continue
		case c == ' ':
			colons = 0
		}
		b = append(b, c)
	}
	return string(b)
}

package convert

import (
	"context"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"feed2md/convert/frontmatter/frontmattertest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpusDates converts every feed of ../shared/corpus with a clock
// set in 2099, so that the run's date is recognisable, and checks each
// file written for an item with a date string (matched by its link):
// either the date was read, and the date key, read back as Hugo 0.111
// reads it, is not later than the item's moment and is not the run's
// date; or a note names the item and the text. It logs how many items
// gofeed left unread that are now read, and how many a date-only key
// would have hidden. Where the test reads the date string itself, by
// standard layouts and a table of zones (independentMoment), the moment
// frontmatter.ItemTime gives must be that one, and the date written the one FORMAT.md
// gives for it, never later.
func TestCorpusDates(t *testing.T) {
	root := filepath.Join(corpustest.SharedDir(t), "corpus")
	feeds := corpustest.Files(t, root)
	if len(feeds) < 100 {
		t.Fatalf("only %d feeds under %s", len(feeds), root)
	}
	runDay := time.Date(2099, 6, 1, 12, 0, 0, 0, time.UTC)
	var checked, read, hidden, noted, unmatched, independent int
	for _, path := range feeds {
		rel, _ := filepath.Rel(root, path)
		feed := corpustest.ReadFeed(t, path)
		if feed == nil {
			continue
		}
		out := t.TempDir()
		c := newTestConverter(t, out, func(o *Options) { o.Now = func() time.Time { return runDay } })
		src, _ := fetch.ParseSource(path)
		res := c.Convert(context.Background(), src)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if res.Err != nil {
			continue
		}
		dates := map[string]string{} // link → date key
		for _, data := range readDir(t, out) {
			m, _ := frontmattertest.FrontMatter(t, data)
			link, _ := m["link"].(string)
			for _, line := range strings.Split(string(data), "\n") {
				if d, ok := strings.CutPrefix(line, "date: "); ok && link != "" {
					dates[link] = d
					break
				}
			}
		}
		notes := strings.Join(res.Notes, "\n")
		links := map[string]int{}
		for _, it := range feed.Items {
			links[strings.TrimSpace(it.Link)]++
		}
		for _, it := range feed.Items {
			text := strings.TrimSpace(it.Published)
			if text == "" {
				text = strings.TrimSpace(it.Updated)
			}
			if text == "" {
				continue
			}
			link := strings.TrimSpace(it.Link)
			date, ok := dates[link]
			if link == "" || links[link] > 1 || !ok {
				unmatched++
				continue
			}
			checked++
			indep, indepOK := independentMoment(text)
			when, has, bad := frontmatter.ItemTime(it)
			if !has {
				if !strings.Contains(notes, link+`: date "`) || !strings.Contains(notes, strings.TrimSpace(bad)) {
					t.Errorf("%s: %s: date %q not read, and no note names it (notes: %q)", rel, link, bad, res.Notes)
				}
				noted++
				continue
			}
			if bad != "" && !strings.Contains(notes, link+`: date "`) {
				t.Errorf("%s: %s: publication date %q not read, dated by its update date, and no note says so", rel, link, bad)
			}
			if it.PublishedParsed == nil && it.UpdatedParsed == nil {
				read++ // gofeed left it unread
			}
			got, ok := frontmatter.HugoParseDate(date)
			switch {
			case !ok:
				t.Errorf("%s: %s: date %q, which Hugo does not read", rel, link, date)
			case got.After(when):
				t.Errorf("%s: %s: date %q, which Hugo reads as %s, after the item's %s (%q)", rel, link, date, got, when, text)
			case got.Year() == runDay.Year():
				t.Errorf("%s: %s: the run's date %q for the readable %q", rel, link, date, text)
			}
			if indepOK {
				// The moment read by the test alone: the code under test
				// must agree with it, offset included, and the date
				// written must be FORMAT.md's, worked out from it.
				independent++
				_, off := when.Zone()
				_, indepOff := indep.Zone()
				if !when.Equal(indep) || off != indepOff {
					t.Errorf("%s: %s: %q read as %s, but it is %s", rel, link, text, when.Format(time.RFC3339Nano), indep.Format(time.RFC3339Nano))
				}
				want := indep.Format("2006-01-02")
				if y, m, d := indep.Date(); time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(indep) {
					want = indep.Format(time.RFC3339)
				}
				if ok && got.After(indep) {
					t.Errorf("%s: %s: date %q, which Hugo reads as %s, after %q (%s)", rel, link, date, got, text, indep.Format(time.RFC3339))
				}
				if date != want {
					t.Errorf("%s: %s: date %q for %q, want %q", rel, link, date, text, want)
				}
			}
			y, m, d := when.Date()
			if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(when) {
				hidden++ // the day alone would be read as later
			}
		}
	}
	t.Logf("%d dated items checked (%d without a matching file): %d read that gofeed left unread, %d written in full that a date-only key would hide, %d unreadable and noted",
		checked, unmatched, read, hidden, noted)
	t.Logf("%d of the %d read by the test alone (RFC 1123, 822, 3339 and a table of zones), their moment and date checked against that reading; %d not",
		independent, checked, checked-independent)
	if checked < 1000 || read == 0 || hidden == 0 || independent < checked*3/4 {
		t.Errorf("far fewer items than the corpus holds: %d checked, %d read, %d in full, %d read by the test alone", checked, read, hidden, independent)
	}
}

// independentLayouts are the standard layouts the test reads a corpus
// date with, apart from parseDate and gofeed: RFC 1123 and 822 with a
// numeric offset or a zone's name, a day of one or two digits, RFC 3339
// with or without a fraction, and RFC 3339 without a zone (UTC).
var independentLayouts = []string{
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC822Z, time.RFC822, time.RFC3339Nano, "2006-01-02T15:04:05",
}

// independentZones are the offsets of the zone names the corpus's dates
// use, written by hand from the zones' definitions (not zoneOffsets).
var independentZones = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
}

// independentMoment reads a date by a path that shares nothing with the
// code under test: time.Parse on independentLayouts, a zone's name looked
// up in independentZones (time.Parse gives a name it does not know a
// zero offset). false for a text none of them reads, or an unlisted zone.
func independentMoment(text string) (time.Time, bool) {
	for _, l := range independentLayouts {
		t, err := time.Parse(l, text)
		if err != nil {
			continue
		}
		if strings.HasSuffix(l, "MST") {
			name, _ := t.Zone()
			off, ok := independentZones[name]
			if !ok {
				return time.Time{}, false
			}
			y, m, d := t.Date()
			t = time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, off))
		}
		return t, true
	}
	return time.Time{}, false
}

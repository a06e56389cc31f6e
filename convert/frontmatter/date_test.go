package frontmatter

import (
	"feed2md/convert/feed"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestParseDate reads each form with parseDate, and as an RSS pubDate
// and a JSON Feed date_published through gofeed and ItemTime, as items
// are read: the same moment in the same offset, or unreadable.
func TestParseDate(t *testing.T) {
	for _, tc := range frontmattertest.DateForms {
		t.Run(tc.In, func(t *testing.T) {
			got, ok := parseDate(tc.In)
			if tc.Want == "" {
				if ok {
					t.Fatalf("parseDate read %s", got.Format(time.RFC3339))
				}
			} else if !ok || got.Format(time.RFC3339) != tc.Want {
				t.Fatalf("parseDate: %s %v, want %s", got.Format(time.RFC3339), ok, tc.Want)
			}
			if tc.In == "" {
				return
			}
			rss := `<rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://example.com/a</link><pubDate>` +
				frontmattertest.XMLEscape(tc.In) + `</pubDate></item></channel></rss>`
			json := fmt.Sprintf(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"a","url":"https://example.com/a","content_text":"x","date_published":%q}]}`, tc.In)
			for name, doc := range map[string]string{"rss": rss, "json": json} {
				d, err := feed.Decode([]byte(doc), "", 0)
				if err != nil {
					t.Fatal(err)
				}
				feed, err := feed.ParseFeed(d)
				if err != nil || len(feed.Items) != 1 {
					t.Fatalf("%s: %v", name, err)
				}
				got, ok, bad := ItemTime(feed.Items[0])
				switch {
				case tc.Want == "" && (ok || bad != tc.In):
					t.Errorf("%s: itemTime read %s (%v), bad %q", name, got.Format(time.RFC3339), ok, bad)
				case tc.Want != "" && (!ok || bad != "" || got.Format(time.RFC3339) != tc.Want):
					t.Errorf("%s: itemTime %s %v (bad %q), want %s", name, got.Format(time.RFC3339), ok, bad, tc.Want)
				}
			}
		})
	}
}

// TestItemTimeFallsBack: an unreadable publication date gives way to a
// readable update date, and is still reported; an Atom published date
// gofeed does not read (it puts the update time in its place) is read.
func TestItemTimeFallsBack(t *testing.T) {
	atom := func(published string) string {
		return `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title><id>a</id><published>` + published +
			`</published><updated>2019-03-01T10:00:00+01:00</updated></entry></feed>`
	}
	for _, tc := range []struct{ name, doc, want, bad string }{
		{"JSON Feed, unreadable", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"a","content_text":"x","date_published":"soon","date_modified":"2018-01-06T08:00"}]}`,
			"2018-01-06T08:00:00Z", "soon"},
		{"Atom, read by parseDate", atom("2018-01-06T08:00"), "2018-01-06T08:00:00Z", ""},
		{"Atom, unreadable", atom("soon"), "2019-03-01T10:00:00+01:00", "soon"},
		{"Atom, read by gofeed", atom("2018-01-06T08:00:00+09:00"), "2018-01-06T08:00:00+09:00", ""},
		{"Atom, no published", atom(""), "2019-03-01T10:00:00+01:00", ""},
	} {
		d, err := feed.Decode([]byte(tc.doc), "", 0)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := feed.ParseFeed(d)
		if err != nil || len(feed.Items) != 1 {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, ok, bad := ItemTime(feed.Items[0])
		if !ok || got.Format(time.RFC3339) != tc.want || bad != tc.bad {
			t.Errorf("%s: itemTime %s %v %q, want %s %q", tc.name, got.Format(time.RFC3339), ok, bad, tc.want, tc.bad)
		}
	}
}

// TestHugoDate checks the rule of FORMAT.md's date key: the layout's text
// unless Hugo would read it as later than the item's moment, then RFC
// 3339 in the item's offset. Each want was worked out by hand; the test
// also reads every result back as Hugo 0.111 does (HugoParseDate).
func TestHugoDate(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// 07:39:27 +09:00 on 4 December is 22:39:27 UTC on 3 December.
	east := at("2026-12-04T07:39:27+09:00")
	cases := []struct {
		name   string
		t      time.Time
		layout string
		want   string
	}{
		{"east, before its offset's hour", east, defaultDateLayout, "2026-12-04T07:39:27+09:00"},
		{"east, at its offset's hour", at("2026-12-04T09:00:00+09:00"), defaultDateLayout, "2026-12-04"},
		{"east, after its offset's hour", at("2026-12-04T10:00:00+09:00"), defaultDateLayout, "2026-12-04"},
		{"east, midnight exactly", at("2026-12-04T00:00:00+01:00"), defaultDateLayout, "2026-12-04T00:00:00+01:00"},
		{"east, a fraction of a second", at("2026-12-04T07:39:27.9+09:00"), defaultDateLayout, "2026-12-04T07:39:27+09:00"},
		{"the seed: west, morning", at("2026-01-21T10:22:37-05:00"), defaultDateLayout, "2026-01-21"},
		{"west, evening", at("2026-01-21T22:00:00-05:00"), defaultDateLayout, "2026-01-21"},
		{"UTC, midnight exactly", at("2026-12-04T00:00:00Z"), defaultDateLayout, "2026-12-04"},
		{"UTC, a second before midnight", at("2026-12-03T23:59:59Z"), defaultDateLayout, "2026-12-03"},
		{"-tz Asia/Tokyo", east.In(tokyo), defaultDateLayout, "2026-12-04T07:39:27+09:00"},
		{"-tz America/New_York", east.In(newYork), defaultDateLayout, "2026-12-03"},
		{"-tz UTC", east.UTC(), defaultDateLayout, "2026-12-03"},
		{"a clock without a zone, east", east, "2006-01-02 15:04:05", "2026-12-04T07:39:27+09:00"},
		{"a clock without a zone, west", at("2026-01-21T20:00:00-05:00"), "2006-01-02 15:04:05", "2026-01-21 20:00:00"},
		{"a clock without a zone, UTC", at("2026-12-04T07:39:27Z"), "2006-01-02T15:04:05", "2026-12-04T07:39:27"},
		{"a clock with a zone, east", east, "2006-01-02 15:04:05 -0700", "2026-12-04 07:39:27 +0900"},
		{"RFC 3339, east", east, time.RFC3339, "2026-12-04T07:39:27+09:00"},
		{"a day first, east", east, "02 Jan 2006", "2026-12-04T07:39:27+09:00"},
		{"a day first, west", at("2026-01-21T10:00:00-05:00"), "02 Jan 2006", "21 Jan 2026"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := HugoDate(tc.t, tc.layout, nil)
			if got != tc.want {
				t.Errorf("hugoDate(%s, %q) = %q, want %q", tc.t.Format(time.RFC3339Nano), tc.layout, got, tc.want)
			}
			read, ok := HugoParseDate(got)
			if !ok || read.After(tc.t) {
				t.Errorf("Hugo reads %q as %s (%v), after %s", got, read, ok, tc.t)
			}
			if utc := HugoDate(tc.t, tc.layout, time.UTC); utc != got {
				t.Errorf("a site in UTC: %q, without a timeZone %q", utc, got)
			}
		})
	}
	// A site whose timeZone is set: Hugo reads the day alone as midnight
	// there (Honolulu's is 10:00 UTC, Tokyo's 15:00 UTC the day before).
	honolulu, err := time.LoadLocation("Pacific/Honolulu")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		t      time.Time
		site   *time.Location
		layout string
		want   string
	}{
		{"Honolulu site, UTC item before 10:00", at("2026-12-04T03:00:00Z"), honolulu, defaultDateLayout, "2026-12-04T03:00:00Z"},
		{"Honolulu site, UTC item at 10:00", at("2026-12-04T10:00:00Z"), honolulu, defaultDateLayout, "2026-12-04"},
		{"Honolulu site, west item, morning", at("2026-01-21T03:00:00-05:00"), honolulu, defaultDateLayout, "2026-01-21T03:00:00-05:00"},
		{"Honolulu site, the seed's moment", at("2026-01-21T10:22:37-05:00"), honolulu, defaultDateLayout, "2026-01-21"},
		{"Honolulu site, east item", east, honolulu, defaultDateLayout, "2026-12-04T07:39:27+09:00"},
		{"Honolulu site, east item, evening", at("2026-12-04T20:00:00+09:00"), honolulu, defaultDateLayout, "2026-12-04"},
		{"Honolulu site, Honolulu item", at("2026-12-04T00:00:00-10:00"), honolulu, defaultDateLayout, "2026-12-04"},
		{"Honolulu site, a clock without a zone", at("2026-12-04T07:39:27Z"), honolulu, "2006-01-02 15:04:05", "2026-12-04T07:39:27Z"},
		{"Tokyo site, east item", east, tokyo, defaultDateLayout, "2026-12-04"},
		{"Tokyo site, UTC item", at("2026-12-03T15:00:00Z"), tokyo, defaultDateLayout, "2026-12-03"},
		{"Tokyo site, a clock without a zone", east, tokyo, "2006-01-02 15:04:05", "2026-12-04 07:39:27"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := HugoDate(tc.t, tc.layout, tc.site)
			if got != tc.want {
				t.Errorf("hugoDate(%s, %q, %s) = %q, want %q", tc.t.Format(time.RFC3339Nano), tc.layout, tc.site, got, tc.want)
			}
			read, ok := HugoParseDateIn(got, tc.site)
			if !ok || read.After(tc.t) {
				t.Errorf("Hugo in %s reads %q as %s (%v), after %s", tc.site, got, read, ok, tc.t)
			}
		})
	}
}

// FuzzParseDate: parseDate never panics, and a date it reads is written
// by the rule as text Hugo reads back, not later than the date, in every
// layout that matters (the day, RFC 3339, a clock without a zone), for a
// site in any timeZone.
func FuzzParseDate(f *testing.F) {
	for _, tc := range frontmattertest.DateForms {
		f.Add(tc.In)
	}
	// Sites in UTC, the farthest west and the farthest east.
	sites := []*time.Location{time.UTC, time.FixedZone("", -12*3600), time.FixedZone("", 14*3600)}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			return
		}
		for _, site := range sites {
			for _, layout := range []string{defaultDateLayout, time.RFC3339, "2006-01-02 15:04:05", "02 Jan 2006"} {
				w := HugoDate(d, layout, site)
				got, ok := HugoParseDateIn(w, site)
				if !ok || got.After(d) {
					t.Fatalf("%q read as %s, written %q with %q for a site in %s: Hugo reads %s (%v)", s, d.Format(time.RFC3339Nano), w, layout, site, got, ok)
				}
				if err := plainScalar(w); err != nil {
					t.Fatalf("%q written %q: %v", s, w, err)
				}
			}
		}
	})
}

// TestUnknownZoneNeverLater: a clock in a zone nobody knows, at every
// quarter hour of a day, is written so that Hugo reads a moment not later
// than the clock in any offset from UTC-12 to UTC+14, and as the feed's
// own day alone from 14:00 on, when that day's midnight UTC is early
// enough for every offset.
func TestUnknownZoneNeverLater(t *testing.T) {
	for m := 0; m < 24*60; m += 15 {
		text := fmt.Sprintf("Mon, 21 Jan 2008 %02d:%02d:00 XYZ", m/60, m%60)
		got, ok := parseDate(text)
		if !ok || unknownZone(got) != "XYZ" {
			t.Fatalf("%q: read %s %v, zone %q", text, got, ok, unknownZone(got))
		}
		w := HugoDate(got, defaultDateLayout, nil)
		read, ok := HugoParseDate(w)
		if !ok {
			t.Fatalf("%q written %q, which Hugo does not read", text, w)
		}
		for off := -12 * 3600; off <= 14*3600; off += 900 {
			truth := time.Date(2008, 1, 21, m/60, m%60, 0, 0, time.FixedZone("", off))
			if read.After(truth) {
				t.Errorf("%q written %q: Hugo reads %s, after the clock in UTC%+.2f (%s)", text, w, read, float64(off)/3600, truth)
			}
		}
		if dayOnly := m >= 14*60; dayOnly != (w == "2008-01-21") {
			t.Errorf("%q written %q", text, w)
		}
	}
}

// TestEndZone holds endZone, the hand-written reader of the zone at a
// date's end, to the regular expressions it replaced, on every form of
// frontmattertest.DateForms and on edge cases, and to offsets worked out by hand.
func TestEndZone(t *testing.T) {
	numericZone := regexp.MustCompile(`([+-])(\d{2}):?(\d{2})\s*(?:\([A-Za-z ]+\)|[A-Z]{1,5})?$`)
	namedZone := regexp.MustCompile(`\b([A-Z]{1,5})\s*$`)
	texts := []string{
		"+0900", "-05:00", "+0100 GMT", "+0100GMT", "+0200 (Central European Summer Time)", "+0200 ()",
		"+0200 (CEST", "GMT+0200 (Mitteleuropäische Sommerzeit)", "08:00:00 ABCDEF", "08:00:00 xABC", "08:00:00 Gmt",
		"08:00:00_ABC", "ABC", "JST", "2018-01-06", "12:34:56", "+09:0", "+9:00", "08:00 -0500 EST", "08:00 +05:30 IST",
		"08:00 -0500  EDT", "08:00 -0500\tEDT", "(x)", ")", "a)", "08:00 +0100 (CET) GMT",
	}
	for _, f := range frontmattertest.DateForms {
		texts = append(texts, strings.TrimSpace(f.In))
	}
	for _, s := range texts {
		off, numeric, name := endZone(s)
		wantOff, wantNumeric, wantName := 0, false, ""
		if m := numericZone.FindStringSubmatch(s); m != nil {
			wantNumeric = true
			wantOff = (int(m[2][0]-'0')*10+int(m[2][1]-'0'))*3600 + (int(m[3][0]-'0')*10+int(m[3][1]-'0'))*60
			if m[1] == "-" {
				wantOff = -wantOff
			}
		} else if m := namedZone.FindStringSubmatch(s); m != nil {
			wantName = m[1]
		}
		if off != wantOff || numeric != wantNumeric || name != wantName {
			t.Errorf("endZone(%q) = %d %v %q, want %d %v %q", s, off, numeric, name, wantOff, wantNumeric, wantName)
		}
	}
	for s, want := range map[string]int{"Fri, 04 Dec 2026 07:39:27 +0900": 9 * 3600, "2018-01-06T08:00:00-05:30": -5*3600 - 1800, "Sat, 06 Jan 2018 08:00:00 +0100 GMT": 3600} {
		if off, numeric, _ := endZone(s); !numeric || off != want {
			t.Errorf("endZone(%q) = %d %v, want %d", s, off, numeric, want)
		}
	}
}

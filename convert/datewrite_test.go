package convert

import (
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// datesFeed is an RSS feed whose items are dated in the forms of
// frontmattertest.DateForms, in order, then one item with no date at all.
func datesFeed(filler string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Dates</title><link>https://dates.example/</link>`)
	for i, f := range frontmattertest.DateForms {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://dates.example/%d</link><description>%s</description><pubDate>%s</pubDate></item>\n",
			i, i, filler, frontmattertest.XMLEscape(f.In))
	}
	b.WriteString("<item><title>Undated</title><link>https://dates.example/undated</link><description>x</description></item>\n</channel></rss>\n")
	return b.String()
}

// dateKeys returns the date key of each file in dir, by its link.
func dateKeys(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, data := range readDir(t, dir) {
		m, _ := frontmattertest.FrontMatter(t, data)
		link, _ := m["link"].(string)
		for _, line := range strings.Split(string(data), "\n") {
			if d, ok := strings.CutPrefix(line, "date: "); ok {
				out[link] = d
				break
			}
		}
		if out[link] == "" {
			t.Errorf("%s: no date key", name)
		}
	}
	return out
}

// TestDatesWritten converts a feed dated in every form of frontmattertest.DateForms: each
// readable date is written by FORMAT.md's rule (the day in its own offset,
// in full where Hugo would read the day as later), each unreadable one
// gets the run's date and a note naming the item and the text, and the
// undated item gets the run's date without a note.
func TestDatesWritten(t *testing.T) {
	dir := t.TempDir()
	res := convertBytes(t, dir, datesFeed("x"), nil)
	if res.Failed() || res.New != len(frontmattertest.DateForms)+1 {
		t.Fatalf("%d new, %v %v", res.New, res.Err, res.Errors)
	}
	got := dateKeys(t, dir)
	// The forms east of UTC before their offset's hour (the others are at
	// or after it, or west: 07:56 in UTC+7 is 00:56 UTC): in full. An
	// unknown zone is UTC+14, so 16:30
	// is after its hour, 07:56 and 08:56 before it.
	inFull := map[string]bool{
		"Sat Oct 06 2018 00:00:00 GMT+0200 (Central European Summer Time)": true,
		"Mon, 21 Jan 2008 07:56:00 HKT":                                    true,
		"Mon, 21 Jan 2008 07:56:00 SGT":                                    true,
		"Mon, 21 Jan 2008 7:56 am PHT":                                     true,
		"Mon Jan 21 08:56:00 JST 2008":                                     true,
		"Mon, 21 Jan 2008 07:56:00 XYZ":                                    true,
		"Mon Jan 21 08:56:00 XYZ 2008":                                     true,
		"Mon, 21 Jan 2008 07:56:00 +0800 HKT":                              true,
	}
	unknown := map[string]string{
		"Mon, 21 Jan 2008 07:56:00 XYZ": "XYZ",
		"Mon, 21 Jan 2008 16:30:00 XYZ": "XYZ",
		"Mon Jan 21 08:56:00 XYZ 2008":  "XYZ",
		"Mon, 21 Jan 2008 8:56 pm Q":    "Q",
	}
	var wantNotes []string
	for i, f := range frontmattertest.DateForms {
		link := fmt.Sprintf("https://dates.example/%d", i)
		want := "2026-11-25" // fixedNow: 12:00 UTC
		if f.Want != "" {
			want = f.Want[:10]
			if inFull[f.In] {
				want = f.Want
			}
			if z := unknown[f.In]; z != "" {
				wantNotes = append(wantNotes, fmt.Sprintf("%s: date %q: zone %s unknown: read as UTC+14, the earliest moment it can mean", link, f.In, z))
			}
		} else if f.In != "" {
			wantNotes = append(wantNotes, fmt.Sprintf("%s: date %q not read: dated as its file already is, else as of this run", link, f.In))
		}
		if got[link] != want {
			t.Errorf("%q: date %s, want %s", f.In, got[link], want)
		}
	}
	if got["https://dates.example/undated"] != "2026-11-25" {
		t.Errorf("undated: %s", got["https://dates.example/undated"])
	}
	if !slices.Equal(res.Notes, wantNotes) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(res.Notes, "\n"), strings.Join(wantNotes, "\n"))
	}
}

// TestDatesEast checks the rule on an item of a feed east of UTC and the
// run's date east of UTC, and that an undated item keeps the full date
// its file was first written with on a later run.
func TestDatesEast(t *testing.T) {
	tokyo := time.FixedZone("", 9*3600)
	feed := `<rss version="2.0"><channel><title>t</title>
<item><title>East</title><link>https://e.example/east</link><pubDate>Fri, 04 Dec 2026 07:39:27 +0900</pubDate></item>
<item><title>East later</title><link>https://e.example/late</link><pubDate>Fri, 04 Dec 2026 10:39:27 +0900</pubDate></item>
<item><title>Undated</title><link>https://e.example/undated</link></item>
</channel></rss>`
	dir := t.TempDir()
	first := func(o *Options) { o.Now = func() time.Time { return time.Date(2026, 12, 4, 7, 0, 0, 0, tokyo) } }
	if res := convertBytes(t, dir, feed, first); res.Failed() || res.New != 3 || len(res.Notes) != 0 {
		t.Fatalf("%d new, notes %q, %v %v", res.New, res.Notes, res.Err, res.Errors)
	}
	want := map[string]string{
		"https://e.example/east":    "2026-12-04T07:39:27+09:00",
		"https://e.example/late":    "2026-12-04",
		"https://e.example/undated": "2026-12-04T07:00:00+09:00",
	}
	if got := dateKeys(t, dir); !maps2Equal(got, want) {
		t.Errorf("dates %v, want %v", got, want)
	}
	// A day later the undated item keeps the date its file has.
	later := func(o *Options) { o.Now = func() time.Time { return time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) } }
	if res := convertBytes(t, dir, feed, later); res.Failed() || res.New+res.Updated != 0 {
		t.Fatalf("second run: %d new, %d updated, %v %v", res.New, res.Updated, res.Err, res.Errors)
	}
	if got := dateKeys(t, dir); !maps2Equal(got, want) {
		t.Errorf("second run: dates %v, want %v", got, want)
	}
	// With -tz, the rule applies in that zone: New York's day is early
	// enough.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	convertBytes(t, dir, feed, func(o *Options) { first(o); o.Location = ny })
	if got := dateKeys(t, dir)["https://e.example/east"]; got != "2026-12-03" {
		t.Errorf("-tz America/New_York: %s, want 2026-12-03", got)
	}
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestDatesFilter: -since and -limit see the dates read by parseDate.
func TestDatesFilter(t *testing.T) {
	feed := `<rss version="2.0"><channel><title>t</title>
<item><title>Old</title><link>https://f.example/old</link><pubDate>2019/1/10 14:33:00</pubDate></item>
<item><title>New</title><link>https://f.example/new</link><pubDate>2020/1/10 14:33:00</pubDate></item>
<item><title>Newer</title><link>https://f.example/newer</link><pubDate>Mon, 21 Jan 2021 8:56 am PST</pubDate></item>
</channel></rss>`
	res := convertBytes(t, t.TempDir(), feed, func(o *Options) { o.Since = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) })
	if res.Failed() || res.New != 2 || res.Filtered != 1 {
		t.Errorf("-since 2020-01-01: %d new, %d filtered, want 2 and 1", res.New, res.Filtered)
	}
	dir := t.TempDir()
	res = convertBytes(t, dir, feed, func(o *Options) { o.Limit = 1 })
	if got := dateKeys(t, dir); res.New != 1 || got["https://f.example/newer"] != "2021-01-21" {
		t.Errorf("-limit 1: %d new, %v: want the item of 2021 only", res.New, got)
	}
}

// TestDatesStreamed: a large feed read in runs (XML and JSON Feed) gives
// the files and notes of the same feed read whole.
func TestDatesStreamed(t *testing.T) {
	filler := strings.Repeat("Lorem ipsum dolor sit amet. ", 40)
	// Twenty copies of the items, in one channel.
	one := datesFeed(filler)
	head, rest, _ := strings.Cut(one, "<item>")
	items := "<item>" + rest[:strings.LastIndex(rest, "</channel>")]
	xml := head + strings.Repeat(items, 20) + "</channel></rss>\n"
	if len(xml) < 1<<20 {
		t.Fatalf("feed of %d bytes: too small to stream", len(xml))
	}
	path := filepath.Join(t.TempDir(), "dates.xml")
	if err := os.WriteFile(path, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	whole := t.TempDir()
	m := convertSource(t, t.Context(), whole, path, nil)
	withMemMax(t, 256<<10)
	streamed := t.TempDir()
	s := convertSource(t, t.Context(), streamed, path, func(o *Options) { o.Workers = 2 })
	if m.Failed() || s.Failed() || m.New == 0 || s.New != m.New {
		t.Fatalf("whole %d new, streamed %d: %v %v", m.New, s.New, m.Err, s.Err)
	}
	sameFiles(t, "streamed XML", readDir(t, whole), readDir(t, streamed))
	if len(m.Notes) == 0 || !slices.Equal(s.Notes, m.Notes) {
		t.Errorf("notes streamed:\n%s\nwhole:\n%s", strings.Join(s.Notes, "\n"), strings.Join(m.Notes, "\n"))
	}

	var j strings.Builder
	j.WriteString(`{"version": "https://jsonfeed.org/version/1.1", "title": "Dates", "items": [`)
	for k := range 20 {
		for i, f := range frontmattertest.DateForms {
			if k > 0 || i > 0 {
				j.WriteString(",\n")
			}
			fmt.Fprintf(&j, `{"id": "%d-%d", "url": "https://dates.example/%d-%d", "content_text": %q, "date_published": %q, "tags": "one"}`, k, i, k, i, filler, f.In)
		}
	}
	j.WriteString("]}\n")
	js, jm, sdir, mdir := convertJSONBoth(t, j.String(), nil)
	if js.Failed() || jm.Failed() || js.New != jm.New || js.New == 0 {
		t.Fatalf("JSON: streamed %d new, whole %d: %v %v", js.New, jm.New, js.Err, jm.Err)
	}
	sameFiles(t, "streamed JSON", readDir(t, mdir), readDir(t, sdir))
	if !slices.Equal(js.Notes, jm.Notes) || !strings.Contains(strings.Join(js.Notes, "\n"), `https://dates.example/0-`) {
		t.Errorf("JSON notes streamed:\n%s\nwhole:\n%s", strings.Join(js.Notes, "\n"), strings.Join(jm.Notes, "\n"))
	}
}

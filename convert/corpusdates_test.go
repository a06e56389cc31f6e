package convert

import (
	"context"
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
// would have hidden.
func TestCorpusDates(t *testing.T) {
	root := filepath.Join(sharedDir(t), "corpus")
	feeds := corpusFiles(t, root)
	if len(feeds) < 100 {
		t.Fatalf("only %d feeds under %s", len(feeds), root)
	}
	runDay := time.Date(2099, 6, 1, 12, 0, 0, 0, time.UTC)
	var checked, read, hidden, noted, unmatched int
	for _, path := range feeds {
		rel, _ := filepath.Rel(root, path)
		feed := readFeedFile(t, path)
		if feed == nil {
			continue
		}
		out := t.TempDir()
		c := newTestConverter(t, out, func(o *Options) { o.Now = func() time.Time { return runDay } })
		src, _ := ParseSource(path)
		res := c.Convert(context.Background(), src)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if res.Err != nil {
			continue
		}
		dates := map[string]string{} // link → date key
		for _, data := range readDir(t, out) {
			m, _ := frontMatter(t, data)
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
			when, has, bad := itemTime(it)
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
			got, ok := hugoParseDate(date)
			switch {
			case !ok:
				t.Errorf("%s: %s: date %q, which Hugo does not read", rel, link, date)
			case got.After(when):
				t.Errorf("%s: %s: date %q, which Hugo reads as %s, after the item's %s (%q)", rel, link, date, got, when, text)
			case got.Year() == runDay.Year():
				t.Errorf("%s: %s: the run's date %q for the readable %q", rel, link, date, text)
			}
			y, m, d := when.Date()
			if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(when) {
				hidden++ // the day alone would be read as later
			}
		}
	}
	t.Logf("%d dated items checked (%d without a matching file): %d read that gofeed left unread, %d written in full that a date-only key would hide, %d unreadable and noted",
		checked, unmatched, read, hidden, noted)
	if checked < 1000 || read == 0 || hidden == 0 {
		t.Errorf("far fewer items than the corpus holds: %d checked, %d read, %d in full", checked, read, hidden)
	}
}

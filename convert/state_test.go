package convert

import (
	"bytes"
	"context"
	"feed2md/convert/feed"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestUnchangedFeedFile re-runs a 100-item feed file with the state file
// on: the same bytes skip the parse; a file deleted from the folder, by
// name in a flat folder (which is listed once) or in a bundle, comes back;
// a changed feed is parsed again.
func TestUnchangedFeedFile(t *testing.T) {
	for _, bundle := range []bool{false, true} {
		dir := t.TempDir()
		feedPath := filepath.Join(dir, "feed.xml")
		data := feedtest.Big(100, 5)
		if err := os.WriteFile(feedPath, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
		run := func() *Result {
			t.Helper()
			c := newTestConverter(t, out, func(o *Options) { o.CacheDir, o.Bundle = cache, bundle })
			src, _ := fetch.ParseSource(feedPath)
			res := c.Convert(context.Background(), src)
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if res.Failed() {
				t.Fatalf("bundle=%t: %v %v", bundle, res.Err, res.Errors)
			}
			return res
		}
		if res := run(); res.New != 100 {
			t.Fatalf("bundle=%t: first run %+v", bundle, res)
		}
		if res := run(); !res.SameBytes || res.Unchanged != 100 || res.New+res.Updated != 0 {
			t.Fatalf("bundle=%t: same bytes: %+v", bundle, res)
		}
		gone := filepath.Join(out, filepath.FromSlash(run().Changes[57].Name))
		if err := os.Remove(gone); err != nil {
			t.Fatal(err)
		}
		if res := run(); res.SameBytes || res.New != 1 || res.Unchanged != 99 {
			t.Fatalf("bundle=%t: after deleting %s: %+v", bundle, gone, res)
		}
		if _, err := os.Stat(gone); err != nil {
			t.Fatalf("bundle=%t: %s did not come back", bundle, gone)
		}
		changed := bytes.Replace(data, []byte(", part 3<"), []byte(", part three<"), 1)
		if bytes.Equal(changed, data) {
			t.Fatal("the edit did not apply")
		}
		if err := os.WriteFile(feedPath, changed, 0o644); err != nil {
			t.Fatal(err)
		}
		if res := run(); res.SameBytes || res.Updated != 1 || res.Unchanged != 99 {
			t.Fatalf("bundle=%t: after an edit: %+v", bundle, res)
		}
	}
}

func TestHashFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	data := feedtest.Big(200, 9) // larger than one read
	os.WriteFile(path, data, 0o644)
	h, err := feed.HashFile(path)
	if err != nil || h != feed.HashBytes(data) {
		t.Errorf("hashFile %q (%v), hashBytes %q", h, err, feed.HashBytes(data))
	}
	if _, err := feed.HashFile(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing file")
	}
}

// A run that skips an unchanged feed reports the counts of the run that
// converted it: the same items, repeats and filtered items.
func TestUnchangedFeedSameCounts(t *testing.T) {
	dir := t.TempDir()
	feedPath := filepath.Join(dir, "feed.xml")
	feed := rss(
		item{title: "A", link: "https://example.com/a", date: "Mon, 02 Jan 2026 10:00:00 +0000"},
		item{title: "A", link: "https://example.com/a", date: "Mon, 02 Jan 2026 10:00:00 +0000"},
		item{title: "B", link: "https://example.com/b", date: "Mon, 02 Jan 2026 11:00:00 +0000"},
		item{title: "Old", link: "https://example.com/old", date: "Mon, 02 Jan 2023 11:00:00 +0000"},
	)
	if err := os.WriteFile(feedPath, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
	run := func() *Result {
		t.Helper()
		c := newTestConverter(t, out, func(o *Options) {
			o.CacheDir = cache
			o.Since = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		})
		src, _ := fetch.ParseSource(feedPath)
		res := c.Convert(context.Background(), src)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := run()
	if first.Items != 4 || first.New != 2 || first.Skipped != 1 || first.Filtered != 1 {
		t.Fatalf("first run: %+v", first)
	}
	second := run()
	if !second.SameBytes {
		t.Fatalf("second run parsed the feed: %+v", second)
	}
	if second.Items != 4 || second.Unchanged != 2 || second.Skipped != 1 || second.Filtered != 1 ||
		len(second.Repeats) != 1 || second.Repeats[0] != "https://example.com/a" {
		t.Errorf("second run: %+v", second)
	}
}

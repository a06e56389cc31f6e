package convert

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPruneBundleToggled: when -bundle is toggled (the options'
// fingerprint changes, every item is written again) the items, all still
// in the feed, keep their files (an item keeps the form it was first
// written in), and nothing is pruned, however long the runs are apart.
func TestPruneBundleToggled(t *testing.T) {
	out, cache := t.TempDir(), t.TempDir()
	feed := filepath.Join(t.TempDir(), "feed.xml")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	run := func(bundle bool) *Result {
		t.Helper()
		res := convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.Prune, o.CacheDir, o.Bundle = 30*24*time.Hour, cache, bundle
			o.Now = func() time.Time { return now }
		})
		if res.Failed() {
			t.Fatalf("%v %v", res.Err, res.Errors)
		}
		return res
	}
	pruneFeed(t, feed, "a", "b")
	run(false)
	for _, bundle := range []bool{true, false, true} {
		now = now.Add(40 * 24 * time.Hour)
		res := run(bundle)
		if len(res.Pruned) != 0 {
			t.Errorf("bundle=%t: pruned %v", bundle, res.Pruned)
		}
		now = now.Add(40 * 24 * time.Hour)
		if res := run(bundle); len(res.Pruned) != 0 {
			t.Errorf("bundle=%t, later: pruned %v", bundle, res.Pruned)
		}
		for _, it := range []string{"a", "b"} {
			_, err1 := os.Stat(filepath.Join(out, "story-"+it+".md"))
			_, err2 := os.Stat(filepath.Join(out, "story-"+it, "index.md"))
			if err1 != nil && err2 != nil {
				entries, _ := os.ReadDir(out)
				t.Errorf("bundle=%t: %s has no file (folder: %v)", bundle, it, entries)
			}
		}
	}
}

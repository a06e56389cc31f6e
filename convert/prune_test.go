package convert

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// pruneFeed writes an RSS feed of the items named (title = guid) to path.
func pruneFeed(t *testing.T, path string, items ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>News</title><link>https://news.example/</link>`)
	for _, it := range items {
		fmt.Fprintf(&b, `<item><title>Story %s</title><link>https://news.example/%s</link><guid>%s</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate><description>About %s.</description></item>`, it, it, it, it)
	}
	b.WriteString(`</channel></rss>`)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPrune: a file whose item left its feed goes once it has been gone
// longer than Prune, counted from the last run that saw it, whichever way
// the run reads the feed (a full conversion or the same bytes); one that
// left recently stays, one edited since it was written stays (and is
// named), a file feed2md did not write stays, a dry run only lists, and a
// bundle's folder goes with its index.md unless it holds a file of the
// user's.
func TestPrune(t *testing.T) {
	for _, bundle := range []bool{false, true} {
		t.Run(fmt.Sprintf("bundle=%t", bundle), func(t *testing.T) {
			out, cache := t.TempDir(), t.TempDir()
			feed := filepath.Join(t.TempDir(), "feed.xml")
			now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
			run := func(dry bool) *Result {
				t.Helper()
				res := convertSource(t, context.Background(), out, feed, func(o *Options) {
					o.Prune, o.CacheDir, o.Bundle, o.DryRun = 30*24*time.Hour, cache, bundle, dry
					o.Now = func() time.Time { return now }
				})
				if res.Failed() {
					t.Fatalf("run at %s: %v %v", now, res.Err, res.Errors)
				}
				return res
			}
			name := func(it string) string {
				if bundle {
					return filepath.Join("story-"+it, "index.md")
				}
				return "story-" + it + ".md"
			}
			exists := func(it string) bool {
				_, err := os.Stat(filepath.Join(out, name(it)))
				return err == nil
			}
			pruneFeed(t, feed, "a", "b", "c", "d", "e")
			run(false)
			if err := os.WriteFile(filepath.Join(out, "mine.md"), []byte("---\ntitle: mine\n---\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if bundle {
				// A file of the user's in e's bundle keeps its folder.
				if err := os.WriteFile(filepath.Join(out, "story-e", "notes.txt"), []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			// A day later b, c and e have left; c's file is edited.
			now = now.Add(24 * time.Hour)
			pruneFeed(t, feed, "a", "d")
			run(false)
			edited := filepath.Join(out, name("c"))
			data, _ := os.ReadFile(edited)
			if err := os.WriteFile(edited, append(data, "My own note.\n"...), 0o644); err != nil {
				t.Fatal(err)
			}
			// Twenty days later d leaves too.
			now = now.Add(20 * 24 * time.Hour)
			pruneFeed(t, feed, "a")
			if res := run(false); len(res.Pruned) != 0 {
				t.Fatalf("pruned too early: %v", res.Pruned)
			}

			// 30 days after the last run that saw b, c and e (the first):
			// a dry run lists, then a run of the same bytes removes.
			now = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			res := run(true)
			want := []string{filepath.Join(out, name("b")), filepath.Join(out, name("e"))}
			if !slices.Equal(res.Pruned, want) || !exists("b") {
				t.Errorf("dry run: would prune %v, want %v; b still there: %t", res.Pruned, want, exists("b"))
			}
			res = run(false)
			if !res.SameBytes {
				t.Errorf("the feed did not change: want it read as the same bytes")
			}
			if !slices.Equal(res.Pruned, want) || !slices.Equal(res.PruneKept, []string{filepath.Join(out, name("c"))}) {
				t.Errorf("pruned %v, kept %v", res.Pruned, res.PruneKept)
			}
			for it, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true, "e": false} {
				if exists(it) != want {
					t.Errorf("%s exists: %t, want %t", it, exists(it), want)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "mine.md")); err != nil {
				t.Errorf("a file feed2md did not write: %v", err)
			}
			if bundle {
				if _, err := os.Stat(filepath.Join(out, "story-b")); !os.IsNotExist(err) {
					t.Errorf("b's empty bundle folder stays: %v", err)
				}
				if _, err := os.Stat(filepath.Join(out, "story-e", "notes.txt")); err != nil {
					t.Errorf("the user's file in e's bundle: %v", err)
				}
			}
			// The edited file is named once, then left alone; d goes in its time.
			now = now.Add(12 * 24 * time.Hour)
			res = run(false)
			if len(res.PruneKept) != 0 || !slices.Equal(res.Pruned, []string{filepath.Join(out, name("d"))}) {
				t.Errorf("later: pruned %v, kept %v", res.Pruned, res.PruneKept)
			}
			// An item that comes back gets its file again.
			pruneFeed(t, feed, "a", "b")
			if res := run(false); res.New != 1 || !exists("b") {
				t.Errorf("b back: new %d", res.New)
			}
		})
	}
}

// TestPruneNeedsState: without the state there is nothing to count
// absence from: nothing is removed, and each run says so once.
func TestPruneNeedsState(t *testing.T) {
	out := t.TempDir()
	feed := filepath.Join(t.TempDir(), "feed.xml")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	var warnings []string
	run := func() *Result {
		warnings = nil
		res := convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.Prune = time.Hour
			o.Now = func() time.Time { return now }
			o.Warn = func(m string) { warnings = append(warnings, m) }
		})
		if len(warnings) != 1 || !strings.Contains(warnings[0], "-prune needs the state") {
			t.Errorf("warnings %q: want one saying -prune needs the state", warnings)
		}
		return res
	}
	pruneFeed(t, feed, "a", "b")
	run()
	pruneFeed(t, feed, "a")
	now = now.Add(48 * time.Hour)
	run()
	now = now.Add(48 * time.Hour)
	if res := run(); len(res.Pruned) != 0 {
		t.Errorf("pruned %v without the state", res.Pruned)
	}
	if _, err := os.Stat(filepath.Join(out, "story-b.md")); err != nil {
		t.Error(err)
	}
}

// TestSinceWindowKeepsCache: a -since counted back from now (7d) moves
// with the clock, but a feed whose bytes did not change is still skipped
// as unchanged by the next run; a fixed -since that changes is a new
// option, and converts the feed again.
func TestSinceWindowKeepsCache(t *testing.T) {
	out, cache := t.TempDir(), t.TempDir()
	feed := filepath.Join(t.TempDir(), "feed.xml")
	pruneFeed(t, feed, "a", "b")
	run := func(now time.Time, window time.Duration) *Result {
		t.Helper()
		return convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.CacheDir, o.Since, o.SinceWindow = cache, now.Add(-7*24*time.Hour), window
			o.Now = func() time.Time { return now }
		})
	}
	now := time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC)
	run(now, 7*24*time.Hour)
	if res := run(now.Add(time.Hour), 7*24*time.Hour); !res.SameBytes {
		t.Errorf("a moving -since 7d: the unchanged feed was converted again")
	}
	run(now, 0)
	if res := run(now.Add(time.Hour), 0); res.SameBytes {
		t.Errorf("a fixed -since that changed: the feed was skipped as unchanged")
	}
}

// TestRerunLeavesStateAlone: a re-run that changes nothing does not
// rewrite the state file (saving reads and encodes it whole).
func TestRerunLeavesStateAlone(t *testing.T) {
	out, cache := t.TempDir(), t.TempDir()
	feed := filepath.Join(t.TempDir(), "feed.xml")
	pruneFeed(t, feed, "a", "b")
	run := func() *Result {
		return convertSource(t, context.Background(), out, feed, func(o *Options) { o.CacheDir = cache })
	}
	run()
	paths, _ := filepath.Glob(filepath.Join(cache, "state-*.json"))
	if len(paths) != 1 {
		t.Fatalf("state files %v", paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	// The same state written otherwise: a save would write it back indented.
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[0], compact.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if res := run(); !res.SameBytes {
		t.Fatalf("the re-run converted the feed again")
	}
	if got, _ := os.ReadFile(paths[0]); !bytes.Equal(got, compact.Bytes()) {
		t.Errorf("the re-run rewrote the state file")
	}
	pruneFeed(t, feed, "a", "b", "c")
	if res := run(); res.New != 1 {
		t.Fatalf("new %d", res.New)
	}
	if got, _ := os.ReadFile(paths[0]); bytes.Equal(got, compact.Bytes()) {
		t.Errorf("a run that changed the feed's state did not save it")
	}
}

// TestPruneEmptyFeed: a feed served empty for a while ages none of its
// files, however long that lasts; once it has items again, those that
// left age from then.
func TestPruneEmptyFeed(t *testing.T) {
	out, cache := t.TempDir(), t.TempDir()
	feed := filepath.Join(t.TempDir(), "feed.xml")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	run := func() *Result {
		t.Helper()
		return convertSource(t, context.Background(), out, feed, func(o *Options) {
			o.Prune, o.CacheDir = 24*time.Hour, cache
			o.Now = func() time.Time { return now }
		})
	}
	pruneFeed(t, feed, "a", "b")
	run()
	pruneFeed(t, feed)
	for range 3 {
		now = now.Add(48 * time.Hour)
		if res := run(); len(res.Pruned) != 0 {
			t.Fatalf("an empty feed pruned %v", res.Pruned)
		}
	}
	pruneFeed(t, feed, "a")
	now = now.Add(time.Hour)
	if res := run(); len(res.Pruned) != 0 {
		t.Fatalf("pruned %v an hour after b left", res.Pruned)
	}
	now = now.Add(48 * time.Hour)
	if res := run(); len(res.Pruned) != 1 {
		t.Errorf("b gone two days: pruned %v", res.Pruned)
	}
}

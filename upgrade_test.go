package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeRewritesOnce: a folder and a state file that the previous
// release wrote (convert/testdata/upgrade, made by running the release
// before issues 18 and 19 on feed.xml: its summary unescaped, its date
// the day alone, which hides the post until midnight UTC) are rewritten
// by this release even though the feed's bytes did not change, and the
// run after that changes nothing.
func TestUpgradeRewritesOnce(t *testing.T) {
	fixture := filepath.Join("convert", "testdata", "upgrade")
	read := func(name string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(fixture, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	dir := t.TempDir()
	feed, posts, cache := filepath.Join(dir, "feed.xml"), filepath.Join(dir, "posts"), filepath.Join(dir, "cache")
	if err := os.WriteFile(feed, read("feed.xml"), 0o644); err != nil {
		t.Fatal(err)
	}
	// run returns what was printed: the paths written, then the summary
	// line of the feed.
	run := func() string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := []string{"-cache-dir", cache, "-o", posts, feed}
		if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("feed2md exit %d: %s", code, stderr.String())
		}
		return stdout.String() + stderr.String()
	}
	run()
	const name = "escaped-markup-in-a-summary.md"
	fresh, err := os.ReadFile(filepath.Join(posts, name))
	if err != nil {
		t.Fatal(err)
	}
	// What this release writes, checked by hand: the summary escaped, the
	// date in full (07:39 in Tokyo is the evening before in UTC).
	for _, want := range []string{
		"date: 2026-12-04T07:39:00+09:00\n",
		`summary: "A post about \\<img src=x onerror=alert(1)> and \\*why\\* it runs"` + "\n",
	} {
		if !strings.Contains(string(fresh), want) {
			t.Fatalf("this release does not write %q:\n%s", want, fresh)
		}
	}

	// Put the previous release's folder in place: its file, and its state
	// file (the one this run wrote, so that its name fits the folder).
	old := read(name)
	if bytes.Equal(old, fresh) {
		t.Fatal("the fixture is what this release writes: it proves nothing")
	}
	if err := os.WriteFile(filepath.Join(posts, name), old, 0o644); err != nil {
		t.Fatal(err)
	}
	states, err := filepath.Glob(filepath.Join(cache, "state-*.json"))
	if err != nil || len(states) != 1 {
		t.Fatalf("state files in the cache: %v %v", states, err)
	}
	absPosts, err := filepath.Abs(posts)
	if err != nil {
		t.Fatal(err)
	}
	absFeed, err := filepath.Abs(feed)
	if err != nil {
		t.Fatal(err)
	}
	state := strings.NewReplacer(`"FOLDER"`, `"`+absPosts+`"`, `"FEED"`, `"`+absFeed+`"`).Replace(string(read("state.json")))
	if err := os.WriteFile(states[0], []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}

	if got, want := run(), filepath.Join(absPosts, name)+"\n"+absFeed+": 1 item: 0 new, 1 updated, 0 unchanged\n"; got != want {
		t.Errorf("the first run after the upgrade printed %q, want %q", got, want)
	}
	if got, err := os.ReadFile(filepath.Join(posts, name)); err != nil || !bytes.Equal(got, fresh) {
		t.Errorf("after the upgrade the file holds (err %v):\n%s\nwant:\n%s", err, got, fresh)
	}
	if got, want := run(), absFeed+": 1 item: 0 new, 0 updated, 1 unchanged (feed unchanged)\n"; got != want {
		t.Errorf("the second run printed %q, want %q", got, want)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFullDiskTmpfs runs the command on a real full disk: a 3000-item
// feed from a loopback server into a 256 KiB tmpfs. The run stops at the
// first file that does not fit: exit 1, one line for the feed and one for
// the ids file (under -q, what cron mails), every file whole, no
// temporary file. With the file system made larger, the next run writes
// the rest, touches none of the files already there and ends with exit 0.
// It needs root (to mount); CI runs as root.
func TestFullDiskTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("SKIPPED: needs root and mount: the full-disk test mounts a small tmpfs")
	}
	dir := t.TempDir()
	mnt := filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=256k"); err != nil {
		t.Skipf("SKIPPED: needs root and mount: mounting a tmpfs failed: %v", err)
	}
	// Registered after TempDir: unmounted before the folder is removed.
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})

	var feed bytes.Buffer
	feed.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title><link>https://example.com/</link>`)
	for i := range 3000 {
		fmt.Fprintf(&feed, "<item><title>Post %d</title><link>https://example.com/p/%d</link><pubDate>Mon, 02 Jan 2026 10:00:00 +0000</pubDate>"+
			"<description>&lt;p&gt;The body of post %d, long enough to be a real one.&lt;/p&gt;</description></item>", i, i, i)
	}
	feed.WriteString("</channel></rss>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed.Bytes())
	}))
	defer srv.Close()

	out := filepath.Join(mnt, "posts")
	run := func(args ...string) (code int, stdout, stderr string) {
		var o, e bytes.Buffer
		args = append([]string{"-o", out, "-cache-dir", filepath.Join(dir, "cache")}, args...)
		code = feed2md(context.Background(), append(args, srv.URL+"/feed.xml"), nil, &o, &e)
		return code, o.String(), e.String()
	}
	files := func() map[string]fileStat {
		t.Helper()
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]fileStat{}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".feed2md-tmp-") {
				t.Errorf("temporary file %s left behind", e.Name())
			}
			if !strings.HasSuffix(e.Name(), ".md") {
				continue
			}
			info, err := os.Lstat(filepath.Join(out, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			st := info.Sys().(*syscall.Stat_t)
			m[e.Name()] = fileStat{ino: st.Ino, mtime: info.ModTime(), ctime: time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)), size: info.Size()}
		}
		return m
	}

	start := time.Now()
	code, stdout, stderr := run("-q")
	if code != exitFailed {
		t.Errorf("full disk: exit %d, want %d", code, exitFailed)
	}
	first := files()
	n := len(first)
	if n == 0 || n >= 3000 {
		t.Fatalf("%d files written on a 256 KiB tmpfs: the test proves nothing", n)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	host := strings.TrimPrefix(srv.URL, "http://")
	want := []*regexp.Regexp{
		regexp.MustCompile("^feed2md: " + regexp.QuoteMeta(host) + "/feed.xml: no space left on device writing " + regexp.QuoteMeta(out) +
			fmt.Sprintf(": %d of 3000 items written; free some space and run again to write the rest$", n)),
		regexp.MustCompile("^feed2md: no space left on device writing " + regexp.QuoteMeta(out) + ": .feed2md-ids.json not saved; "),
	}
	if len(lines) != len(want) {
		t.Fatalf("full disk, -q: %d lines on stderr, want %d:\n%s", len(lines), len(want), stderr)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d:\n%s\nwant %s", i+1, lines[i], re)
		}
	}
	if stdout != "" {
		t.Errorf("-q: stdout %q", stdout)
	}
	for name, st := range first {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || int64(len(data)) != st.size || !bytes.HasSuffix(data, []byte("</p>\n")) {
			t.Errorf("%s is not whole (%d bytes, %v)", name, len(data), err)
		}
	}

	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT, "size=64m"); err != nil {
		t.Fatalf("remount: %v", err)
	}
	code, stdout, stderr = run()
	if code != exitOK {
		t.Errorf("with room: exit %d, want %d; stderr:\n%s", code, exitOK, stderr)
	}
	wantLine := fmt.Sprintf("%s/feed.xml: 3000 items: %d new, 0 updated, %d unchanged\n", host, 3000-n, n)
	if stderr != wantLine {
		t.Errorf("with room: stderr\n%s\nwant %s", stderr, wantLine)
	}
	if got := strings.Count(stdout, "\n"); got != 3000-n {
		t.Errorf("with room: %d paths printed, want %d", got, 3000-n)
	}
	after := files()
	if len(after) != 3000 {
		t.Errorf("%d files after the second run, want 3000", len(after))
	}
	for name, st := range first {
		if after[name] != st {
			t.Errorf("%s was touched by the second run: %+v, was %+v", name, after[name], st)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".feed2md-ids.json")); err != nil {
		t.Errorf("ids file: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: keep it under 5s", d)
	}
}

// fileStat is what shows that a file was rewritten.
type fileStat struct {
	ino          uint64
	mtime, ctime time.Time
	size         int64
}

// TestReadOnlyFolderTmpfs: an output folder on a read-only file system
// (a tmpfs mounted ro) fails each feed with one line in our words, exit
// 1, and writes nothing. Root only, as TestFullDiskTmpfs.
func TestReadOnlyFolderTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("SKIPPED: needs root and mount: the read-only test mounts a tmpfs")
	}
	dir := t.TempDir()
	mnt := filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_RDONLY, "size=64k"); err != nil {
		t.Skipf("SKIPPED: needs root and mount: mounting a tmpfs failed: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	for _, out := range []string{mnt, filepath.Join(mnt, "posts")} {
		var stdout, stderr bytes.Buffer
		feeds := []string{filepath.Join("testdata", "foxnews-latest.xml"), filepath.Join("testdata", "botframework.xml")}
		args := append([]string{"-q", "-no-cache", "-o", out}, feeds...)
		if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 1 {
			t.Errorf("-o %s: exit %d, want 1", out, code)
		}
		var want strings.Builder
		for _, f := range feeds {
			fmt.Fprintf(&want, "feed2md: %s: output folder %s: read-only file system: nothing written; make it writable and run again\n", f, out)
		}
		if stderr.String() != want.String() || stdout.Len() != 0 {
			t.Errorf("-o %s printed\n%s%s\nwant\n%s", out, stdout.String(), stderr.String(), want.String())
		}
	}
	if entries, err := os.ReadDir(mnt); err != nil || len(entries) != 0 {
		t.Errorf("the read-only folder holds %v (%v)", entries, err)
	}
}

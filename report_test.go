package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"feed2md/convert"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
)

func TestSummary(t *testing.T) {
	for _, c := range []struct {
		res  convert.Result
		dry  bool
		want string
	}{
		{convert.Result{Items: 1, New: 1}, false, "L: 1 item: 1 new, 0 updated, 0 unchanged"},
		{convert.Result{Items: 2, Updated: 1, Unchanged: 1}, false, "L: 2 items: 0 new, 1 updated, 1 unchanged"},
		{convert.Result{Items: 0}, false, "L: 0 items: 0 new, 0 updated, 0 unchanged"},
		{convert.Result{Items: 1, NotModified: true}, false, "L: not modified (1 item)"},
		{convert.Result{Items: 47, NotModified: true}, false, "L: not modified (47 items)"},
		{convert.Result{Items: 3, Unchanged: 3, SameBytes: true}, false, "L: 3 items: 0 new, 0 updated, 3 unchanged (feed unchanged)"},
		{convert.Result{Items: 5, New: 1, Skipped: 1, Filtered: 2, Errors: []error{errors.New("x")}}, false,
			"L: 5 items: 1 new, 0 updated, 0 unchanged, 1 failed, 2 left out by -limit/-since, 1 duplicate skipped"},
		{convert.Result{Items: 4, Skipped: 2}, true, "dry run: L: 4 items: 0 new, 0 updated, 0 unchanged, 2 duplicates skipped"},
		{convert.Result{Items: 2, Unchanged: 1, Pruned: []string{"o/a.md", "o/b.md"}}, false, "L: 2 items: 0 new, 0 updated, 1 unchanged, 2 removed (gone from the feed longer than -prune)"},
		{convert.Result{Items: 2, Unchanged: 1, Pruned: []string{"o/a.md"}}, true, "dry run: L: 2 items: 0 new, 0 updated, 1 unchanged, 1 to remove (gone from the feed longer than -prune)"},
		{convert.Result{Items: 3, New: 3, Articles: 2, PagesFailed: 1}, false, "L: 3 items: 3 new, 0 updated, 0 unchanged, 2 bodies from their pages, 1 page without an article (the feed's body kept; -v says why)"},
		{convert.Result{NotBefore: time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)}, false,
			"L: not fetched: waiting until " + time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC).Local().Format("2006-01-02 15:04:05 -07:00") + ", as the server asked (Retry-After)"},
	} {
		if got := summary("L", &c.res, c.dry); got != c.want {
			t.Errorf("summary:\n got %q\nwant %q", got, c.want)
		}
	}
}

func TestJSONReport(t *testing.T) {
	src, _ := fetch.ParseSource("https://e.test/gone")
	gone := &convert.Result{Source: src, Err: fmt.Errorf("fetch: %w", &fetch.HTTPError{StatusCode: 410, Status: "410 Gone"})}
	f := &feed{arg: "https://e.test/gone", where: "l.txt:3", src: src, label: "e.test/gone"}
	j := jsonReport(f, gone, false)
	if j.Status != statusFailed || j.HTTPStatus != 410 || j.List != "l.txt:3" || len(j.Errors) != 1 ||
		!reflect.DeepEqual(j.Notices, []notice{{Kind: noticeGone, Message: "the feed is gone (HTTP 410): remove it from your list"}}) {
		t.Errorf("410: %+v", j)
	}
	ok := &convert.Result{Items: 3, New: 1, Unchanged: 1, Errors: []error{errors.New("item x: bad")}, MovedTo: "https://e.test/new",
		Changes: []convert.Change{{Path: "o/a.md", Action: folder.ActionNew}, {Path: "o/b.md", Action: folder.ActionUnchanged}}}
	j = jsonReport(&feed{arg: "a", label: "a"}, ok, false)
	want := `{"label":"a","source":"a","status":"converted","counts":{"items":3,"new":1,"updated":0,"unchanged":1,"skipped":0,"filtered":0,"failed":1},` +
		`"files":[{"path":"o/a.md","action":"new"}],"errors":["item x: bad"],` +
		`"notices":[{"kind":"moved","url":"https://e.test/new","message":"moved permanently to https://e.test/new: update your feed list"}]}`
	if got, _ := json.Marshal(j); string(got) != want {
		t.Errorf("converted:\n got %s\nwant %s", got, want)
	}
	// The server's Retry-After: the time, in UTC, on the failed run and
	// on a run that waits.
	until := time.Date(2026, 11, 25, 13, 0, 0, 0, time.FixedZone("X", 3600))
	later := &convert.Result{Err: &fetch.AttemptsError{Attempts: 2, Err: &fetch.RetryLaterError{Until: until, Err: &fetch.HTTPError{StatusCode: 429}}}}
	if j := jsonReport(&feed{}, later, false); j.Status != statusFailed || j.HTTPStatus != 429 || j.NotBefore != "2026-11-25T12:00:00Z" {
		t.Errorf("retry later: %+v", j)
	}
	waiting := &convert.Result{NotBefore: until}
	if j := jsonReport(&feed{}, waiting, false); j.Status != statusWaiting || j.NotBefore != "2026-11-25T12:00:00Z" || len(j.Errors) != 0 {
		t.Errorf("waiting: %+v", j)
	}
	// -prune: the files removed, counted and listed; an edited one kept
	// is a notice.
	pruned := &convert.Result{Items: 1, Unchanged: 1, Pruned: []string{"o/gone.md"}, PruneKept: []string{"o/edited.md"}}
	j = jsonReport(&feed{arg: "a", label: "a"}, pruned, false)
	want = `{"label":"a","source":"a","status":"converted","counts":{"items":1,"new":0,"updated":0,"unchanged":1,"skipped":0,"filtered":0,"failed":0,"removed":1},` +
		`"files":[{"path":"o/gone.md","action":"removed"}],"errors":[],` +
		`"notices":[{"kind":"edited","message":"kept o/edited.md: its item left the feed, but the file was changed since feed2md wrote it, so -prune never removes it (remove it yourself if it should go)"}]}`
	if got, _ := json.Marshal(j); string(got) != want {
		t.Errorf("pruned:\n got %s\nwant %s", got, want)
	}
	// A page whose found feed failed has no discovered notice.
	failed := &convert.Result{Discovered: "https://e.test/feed", Err: &fetch.NotFeedError{What: "an HTML page"}}
	if ns := notices(failed); len(ns) != 0 {
		t.Errorf("notices of a failed discovery: %+v", ns)
	}
	for res, status := range map[*convert.Result]string{
		{NotModified: true}: statusNotModified, {SameBytes: true}: statusUnchanged, {}: statusConverted,
	} {
		if j := jsonReport(&feed{}, res, false); j.Status != status || j.Files == nil || j.Errors == nil || j.Notices == nil {
			t.Errorf("%+v: status %q, want %q; files, errors and notices must be [] not null", res, j.Status, status)
		}
	}
}

// TestReportNoticesOnce: a notice is printed under -q, once a run, and
// a line cannot carry a feed's control characters to the terminal.
func TestReportNoticesOnce(t *testing.T) {
	var stdout, stderr bytes.Buffer
	r := &reporter{stdout: &stdout, stderr: &stderr, quiet: true, noticed: map[string]bool{}}
	f := &feed{arg: "https://e.test/feed", label: "e.test/feed"}
	res := &convert.Result{Items: 1, New: 1, MovedTo: "https://e.test/new",
		Errors:  []error{&folder.ItemError{Link: "https://e.test/\x1b[2J\rfake line", Err: errors.New("bad")}},
		Changes: []convert.Change{{Path: "o/a.md", Action: folder.ActionNew}}}
	r.report(f, res)
	// The same feed listed twice: its second label differs, its notice is said once.
	r.report(&feed{arg: f.arg, label: "e.test/feed (2)"}, res)
	want := "feed2md: e.test/feed: item https://e.test/\\x1b[2J\\rfake line: bad\n" +
		"feed2md: e.test/feed: moved permanently to https://e.test/new: update your feed list\n" +
		"feed2md: e.test/feed (2): item https://e.test/\\x1b[2J\\rfake line: bad\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%q\nwant\n%q", stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("-q printed paths: %q", stdout.String())
	}
}

func TestEscapeControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain – text é": "plain – text é",
		"a\tb\nc\x00":    `a\tb\nc\x00`,
		"\x7f\u009b[31m": `\x7f\u009b[31m`,
	} {
		if got := escapeControls(in); got != want {
			t.Errorf("escapeControls(%q) = %q, want %q", in, got, want)
		}
	}
}

// syncBuffer is a bytes.Buffer that goroutines may write while a test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestHTTPLogIsAWarning: net/http logs "Unsolicited response received on
// idle HTTP channel" with the standard logger when a server sends bytes
// after a response. The command routes that logger into its warnings:
// "feed2md: warning: ..." on its stderr, and nothing under -q.
func TestHTTPLogIsAWarning(t *testing.T) {
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	feed, err := os.ReadFile("testdata/foxnews-latest.xml")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					if line == "\r\n" {
						break
					}
				}
				fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n\r\n%sHTTP/1.1 200 OK\r\n\r\nstray", len(feed), feed)
				time.Sleep(5 * time.Second)
			}()
		}
	}()
	url := "http://" + ln.Addr().String() + "/feed.xml"
	run := func(quiet bool) string {
		args := []string{"-no-cache", "-o", t.TempDir(), url}
		if quiet {
			args = append([]string{"-q"}, args...)
		}
		var stdout syncBuffer
		stderr := &syncBuffer{}
		if code := feed2md(context.Background(), args, nil, &stdout, stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		wait := 5 * time.Second
		if quiet {
			wait = time.Second
		}
		for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if strings.Contains(stderr.String(), "Unsolicited") {
				break
			}
		}
		return stderr.String()
	}
	out := run(false)
	if !strings.Contains(out, "\nfeed2md: warning: Unsolicited response received on idle HTTP channel") &&
		!strings.HasPrefix(out, "feed2md: warning: Unsolicited response received on idle HTTP channel") {
		t.Errorf("net/http's log is not a warning on the command's stderr:\n%s", out)
	}
	if out := run(true); out != "" {
		t.Errorf("-q printed:\n%s", out)
	}
}

func TestWarnWriter(t *testing.T) {
	var got []string
	w := warnWriter(func(msg string) { got = append(got, msg) })
	fmt.Fprint(w, "one\n\ntwo\n")
	if want := []string{"one", "two"}; !reflect.DeepEqual(got, want) {
		t.Errorf("warnWriter: %q, want %q", got, want)
	}
}

// A summary line carries the feed's label, which is a path as written
// in a list: its control characters are escaped like an error line's.
func TestSummaryLineEscaped(t *testing.T) {
	var stdout, stderr bytes.Buffer
	r := &reporter{stdout: &stdout, stderr: &stderr, noticed: map[string]bool{}}
	r.report(&feed{arg: "a\x1b[2Jb.xml", label: "a\x1b[2Jb.xml"}, &convert.Result{Items: 1, Unchanged: 1})
	if want := "a\\x1b[2Jb.xml: 1 item: 0 new, 0 updated, 1 unchanged\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

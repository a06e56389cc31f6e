package convert

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"feed2md/convert/feed"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// withMemMax sets fetch.MemMax for one test, so that small documents take the
// streamed path.
func withMemMax(t *testing.T, n int) {
	t.Helper()
	old := fetch.MemMax
	fetch.MemMax = n
	t.Cleanup(func() { fetch.MemMax = old })
}

// sameFiles fails unless dirs a and b hold the same Markdown files, byte
// for byte.
func sameFiles(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d files, want %d", what, len(b), len(a))
	}
	for name, data := range a {
		if !bytes.Equal(b[name], data) {
			t.Errorf("%s: %s differs or is missing", what, name)
			return
		}
	}
}

// TestStreamSameFiles converts a feed larger than fetch.MemMax by every way in
// (a file, standard input, gzip, UTF-16, ISO-8859-1 over HTTP) and checks
// that the files are those of the same feed converted in memory, with
// and without -limit and -since.
func TestStreamSameFiles(t *testing.T) {
	const n = 400
	feed := feedtest.Big(n, 7)
	// A title with a non-ASCII letter, for the charsets.
	feed = bytes.Replace(feed, []byte(", part 3</title>"), []byte(", part 3 café</title>"), 1)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	plain := write("feed.xml", feed)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(feed)
	zw.Close()
	zipped := write("feed.xml.gz", gz.Bytes())
	u16 := write("feed16.xml", utf16Bytes(string(bytes.Replace(feed, []byte(`encoding="UTF-8"`), []byte(`encoding="UTF-16"`), 1)), false, true))
	latin := bytes.Replace(feed, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1)
	latin = bytes.Replace(latin, []byte("café"), []byte("caf\xe9"), 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(latin)
	}))
	defer srv.Close()

	since := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want int
	}{
		{"all", nil, n},
		{"limit", func(o *Options) { o.Limit = 7 }, 7},
		{"since", func(o *Options) { o.Since = since }, -1},
		{"limit and since", func(o *Options) { o.Since, o.Limit = since, 5 }, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref := t.TempDir()
			res := convertSource(t, context.Background(), ref, plain, tc.edit)
			if res.Failed() || (tc.want >= 0 && res.New != tc.want) || res.New == 0 || res.Items != n {
				t.Fatalf("in memory: %d new of %d items, %v %v", res.New, res.Items, res.Err, res.Errors)
			}
			want := readDir(t, ref)
			// Over HTTP, the source and category keys name the server.
			refURL := t.TempDir()
			convertSource(t, context.Background(), refURL, srv.URL+"/feed", tc.edit)
			wantURL := readDir(t, refURL)
			withMemMax(t, 256<<10)
			for _, arg := range []string{plain, "-", zipped, u16, srv.URL + "/feed"} {
				out := t.TempDir()
				res := convertSource(t, context.Background(), out, arg, func(o *Options) {
					if tc.edit != nil {
						tc.edit(o)
					}
					o.Stdin = bytes.NewReader(feed)
				})
				if res.Failed() || res.Items != n || res.Filtered != n-len(want) {
					t.Fatalf("%s streamed: %d items, %d filtered, %v %v", arg, res.Items, res.Filtered, res.Err, res.Errors)
				}
				if strings.HasPrefix(arg, "http") {
					sameFiles(t, arg+" streamed", wantURL, readDir(t, out))
				} else {
					sameFiles(t, arg+" streamed", want, readDir(t, out))
				}
			}
		})
	}
}

// TestStreamRerun checks the unchanged-feed shortcut on streamed input:
// the second run of the same bytes parses nothing, for a file and for
// standard input.
func TestStreamRerun(t *testing.T) {
	withMemMax(t, 256<<10)
	feed := feedtest.Big(100, 3)
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, feed, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{path, "-"} {
		out := t.TempDir()
		edit := func(o *Options) {
			o.CacheDir = filepath.Join(out, ".cache")
			o.Stdin = bytes.NewReader(feed)
		}
		if res := convertSource(t, context.Background(), out, arg, edit); res.Failed() || res.New != 100 {
			t.Fatalf("%s: first run %+v", arg, res)
		}
		res := convertSource(t, context.Background(), out, arg, edit)
		if res.Failed() || !res.SameBytes || res.Unchanged != 100 {
			t.Errorf("%s: second run: same bytes %t, %d unchanged, %v", arg, res.SameBytes, res.Unchanged, res.Err)
		}
	}
}

// zeros is an endless reader of NUL bytes, like /dev/zero, that counts
// what it gave.
type zeros struct{ n atomic.Int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n.Add(int64(len(p)))
	return len(p), nil
}

// TestNotFeedFromFirstBytes gives endless zeros on standard input, a
// 3 GB file of NUL bytes (sparse: it takes no disk) and endless zeros over
// HTTP: each fails as not a feed at once, having read only the first
// bytes.
func TestNotFeedFromFirstBytes(t *testing.T) {
	z := &zeros{}
	start := time.Now()
	res := convertSource(t, context.Background(), t.TempDir(), "-", func(o *Options) { o.Stdin = z; o.MaxSize = 1 << 40 })
	var nf *fetch.NotFeedError
	if !errors.As(res.Err, &nf) {
		t.Fatalf("endless zeros: %v, want not a feed", res.Err)
	}
	if z.n.Load() > 1<<20 {
		t.Errorf("endless zeros: %d bytes read before failing", z.n.Load())
	}

	path := filepath.Join(t.TempDir(), "nul.xml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(3 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res = convertSource(t, context.Background(), t.TempDir(), path, nil)
	if !errors.As(res.Err, &nf) {
		t.Fatalf("3 GB of NUL: %v, want not a feed", res.Err)
	}

	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 64<<10)
		for {
			n, err := w.Write(buf)
			served.Add(int64(n))
			if err != nil || served.Load() > 1<<30 {
				return
			}
		}
	}))
	defer srv.Close()
	res = convertSource(t, context.Background(), t.TempDir(), srv.URL, func(o *Options) { o.MaxSize = 1 << 40 })
	if !errors.As(res.Err, &nf) {
		t.Fatalf("endless zeros over HTTP: %v, want not a feed", res.Err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestSizeCaps checks the cap on local files (default and explicit) and
// the cap on standard input past fetch.MemMax: each fails with a TooLargeError,
// a file larger than its cap before a byte is read.
func TestSizeCaps(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.xml")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("<rss><channel>")
	if err := f.Truncate(fetch.DefaultMaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var tl *fetch.TooLargeError
	res := convertSource(t, context.Background(), t.TempDir(), huge, nil)
	if !errors.As(res.Err, &tl) || tl.Limit != fetch.DefaultMaxFileSize {
		t.Errorf("file over the default cap: %v", res.Err)
	}

	withMemMax(t, 256<<10)
	feed := feedtest.Big(100, 5)
	path := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(path, feed, 0o644); err != nil {
		t.Fatal(err)
	}
	res = convertSource(t, context.Background(), t.TempDir(), path, func(o *Options) { o.MaxFileSize = int64(len(feed)) - 1 })
	if !errors.As(res.Err, &tl) {
		t.Errorf("file over an explicit cap: %v", res.Err)
	}
	res = convertSource(t, context.Background(), t.TempDir(), path, func(o *Options) { o.MaxFileSize = int64(len(feed)) })
	if res.Failed() || res.New != 100 {
		t.Errorf("file at its cap: %v %v", res.Err, res.Errors)
	}
	// Standard input has no size to check first: the cap is met while
	// streaming, before any file is written.
	out := t.TempDir()
	res = convertSource(t, context.Background(), out, "-", func(o *Options) {
		o.Stdin = bytes.NewReader(feed)
		o.MaxSize = int64(len(feed)) - 1
	})
	if !errors.As(res.Err, &tl) {
		t.Errorf("stdin over the cap: %v", res.Err)
	}
	if files := readDir(t, out); len(files) != 0 {
		t.Errorf("stdin over the cap wrote %d files", len(files))
	}
	// A gzip bomb is capped on what it decompresses to.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(feed[:len(feed)-len("</channel></rss>\n")])
	zw.Write(bytes.Repeat([]byte(" "), 64<<20))
	zw.Close()
	bomb := filepath.Join(dir, "bomb.xml.gz")
	if err := os.WriteFile(bomb, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res = convertSource(t, context.Background(), t.TempDir(), bomb, func(o *Options) { o.MaxFileSize = 32 << 20 })
	if !errors.As(res.Err, &tl) {
		t.Errorf("gzip bomb: %v", res.Err)
	}
}

// TestCancelWhileReadingPipe cancels a conversion whose standard input is
// a pipe that stops sending: before anything came, and in the middle of
// a streamed feed. Convert returns at once, and no file, whole or
// partial, is left in the folder.
func TestCancelWhileReadingPipe(t *testing.T) {
	withMemMax(t, 256<<10)
	feed := feedtest.Big(200, 9)
	for _, sent := range []int{0, 600 << 10} {
		t.Run(fmt.Sprintf("after %d bytes", sent), func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			go func() { w.Write(feed[:sent]) }()
			ctx, cancel := context.WithCancel(context.Background())
			out := t.TempDir()
			done := make(chan *Result)
			go func() {
				done <- convertSource(t, ctx, out, "-", func(o *Options) { o.Stdin = r })
			}()
			time.Sleep(200 * time.Millisecond)
			cancel()
			select {
			case res := <-done:
				if !errors.Is(res.Err, context.Canceled) {
					t.Errorf("error %v, want context canceled", res.Err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("still reading 5s after the cancel")
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), ".feed2md") || strings.Contains(e.Name(), "tmp") {
					t.Errorf("left in the folder: %s", e.Name())
				}
			}
		})
	}
}

// TestStreamNotCut converts a streamed feed whose items do not cut
// cleanly (an item inside an item): it is parsed whole, being under
// feed.WholeMax.
func TestStreamNotCut(t *testing.T) {
	withMemMax(t, 256<<10)
	feed := feedtest.Big(100, 4)
	feed = bytes.Replace(feed, []byte("<title>"), []byte("<item><title>x</title></item><title>"), 3)
	streamed := t.TempDir()
	res := convertBytes(t, streamed, string(feed), nil)
	if res.Err != nil || res.Items == 0 {
		t.Fatalf("%d items, %v", res.Items, res.Err)
	}
	// The same files as the feed parsed in memory: nothing dropped or doubled.
	fetch.MemMax = 1 << 30
	inMemory := t.TempDir()
	ref := convertBytes(t, inMemory, string(feed), nil)
	if ref.Items != res.Items || ref.New != res.New {
		t.Errorf("streamed %d items, %d files; in memory %d and %d", res.Items, res.New, ref.Items, ref.New)
	}
	sameFiles(t, "not cut", readDir(t, inMemory), readDir(t, streamed))
}

// TestReadBody reads streams of many sizes, in odd-sized reads: body and
// rest together are the bytes, rest is set past fetch.MemMax only, and a read
// error is passed on.
func TestReadBody(t *testing.T) {
	withMemMax(t, 1<<20)
	for _, size := range []int{0, 1, 64 << 10, 64<<10 + 1, 1 << 20, 1<<20 + 1, 3<<20 + 5} {
		data := make([]byte, size)
		copy(data, "<rss>")
		for i := 5; i < size; i++ {
			data[i] = 'a' + byte(i%26)
		}
		res := &fetch.Fetched{}
		if err := fetch.ReadBody(context.Background(), res, io.NopCloser(iotest.HalfReader(bytes.NewReader(data))), 0, 0, feed.Sniff); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		got := res.Body
		if res.Rest != nil {
			rest, err := io.ReadAll(res.Rest)
			if err != nil {
				t.Fatal(err)
			}
			got = append(bytes.Clone(got), rest...)
		}
		if !bytes.Equal(got, data) || (res.Rest != nil) != (size > fetch.MemMax) {
			t.Errorf("size %d: %d bytes, streamed %t", size, len(got), res.Rest != nil)
		}
	}
	broken := io.MultiReader(strings.NewReader("<rss>"), bytes.NewReader(make([]byte, 100<<10)), iotest.ErrReader(errors.New("cut off")))
	if err := fetch.ReadBody(context.Background(), &fetch.Fetched{}, io.NopCloser(broken), 0, 0, feed.Sniff); err == nil || err.Error() != "cut off" {
		t.Errorf("error %v, want cut off", err)
	}
	var tl *fetch.TooLargeError
	if err := fetch.ReadBody(context.Background(), &fetch.Fetched{}, io.NopCloser(strings.NewReader("<rss>"+strings.Repeat("a", 995))), 999, 0, feed.Sniff); !errors.As(err, &tl) {
		t.Errorf("over the cap: %v", err)
	}
	res := &fetch.Fetched{}
	if err := fetch.ReadBody(context.Background(), res, io.NopCloser(strings.NewReader("<rss>"+strings.Repeat("a", 995))), 1000, 0, feed.Sniff); err != nil || len(res.Body) != 1000 {
		t.Errorf("at the cap: %d bytes, %v", len(res.Body), err)
	}
}

// TestAttemptsError checks that the error of a URL tried three times says
// so and still unwraps to the HTTP status.
func TestAttemptsError(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	res := convertSource(t, context.Background(), t.TempDir(), srv.URL, nil)
	var he *fetch.HTTPError
	if !errors.As(res.Err, &he) || he.StatusCode != http.StatusBadGateway {
		t.Fatalf("error %v, want HTTP 502", res.Err)
	}
	if hits.Load() != 3 || !strings.HasSuffix(res.Err.Error(), "(3 attempts)") {
		t.Errorf("%d requests, error %q", hits.Load(), res.Err)
	}
}

// TestStreamHTTPTimeout serves a feed larger than fetch.MemMax that stalls
// after its first bytes: the rest is read within the same attempt's
// timeout, and the error says so.
func TestStreamHTTPTimeout(t *testing.T) {
	withMemMax(t, 256<<10)
	feed := feedtest.Big(200, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(feed[:len(feed)/2])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	out := t.TempDir()
	start := time.Now()
	res := convertSource(t, context.Background(), out, srv.URL, func(o *Options) {
		o.Timeout = 300 * time.Millisecond
		o.MaxSize = 1 << 30
	})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "no complete answer within 300ms, the -timeout of one attempt") {
		t.Errorf("error %v", res.Err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	if files := readDir(t, out); len(files) != 0 {
		t.Errorf("%d files written from a feed cut off", len(files))
	}
}

// TestSniff judges the first 64 KB of documents longer than that.
func TestSniff(t *testing.T) {
	pad := func(s string) []byte {
		b := []byte(s)
		for len(b) < fetch.SniffSize {
			b = append(b, "<p>filler text</p>\n"...)
		}
		return b[:fetch.SniffSize]
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(pad("<svg xmlns='http://www.w3.org/2000/svg'>"))
	zw.Close()
	for _, tc := range []struct {
		name   string
		prefix []byte
		what   string // "" when it passes
	}{
		{"NUL bytes", make([]byte, fetch.SniffSize), "neither XML nor JSON in its first 4 KB"},
		{"text, no markup", bytes.Repeat([]byte("all work and no play "), fetch.SniffSize/21+1)[:fetch.SniffSize], "neither XML nor JSON in its first 4 KB"},
		{"another root", pad("<?xml version='1.0'?><svg>"), "an XML document with root element <svg>"},
		{"another root, gzipped", gz.Bytes()[:min(gz.Len(), fetch.SniffSize)], "an XML document with root element <svg>"},
		{"RSS", pad("<?xml version='1.0'?>\n<rss version='2.0'><channel>"), ""},
		{"HTML (may link to its feed)", pad("<!DOCTYPE html><html><head>"), ""},
		{"JSON", append([]byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [`), bytes.Repeat([]byte(" "), fetch.SniffSize)...)[:fetch.SniffSize], ""},
		{"a long comment first", append([]byte("<!-- "), bytes.Repeat([]byte("x"), fetch.SniffSize)...)[:fetch.SniffSize], ""},
		{"root name cut off", append(bytes.Repeat([]byte(" "), fetch.SniffSize-3), "<rs"...), ""},
	} {
		err := feed.Sniff(tc.prefix, "")
		var nf *fetch.NotFeedError
		switch {
		case tc.what == "" && err != nil:
			t.Errorf("%s: %v, want no error", tc.name, err)
		case tc.what != "" && (!errors.As(err, &nf) || nf.What != tc.what):
			t.Errorf("%s: %v, want not a feed (%s)", tc.name, err, tc.what)
		}
	}
}

// TestStreamCutFailsLate streams a feed whose third run does not parse
// to the items the scan found (a directive holds an <item> tag), and which
// is too large to be parsed whole instead: the items before it are
// written, and one error says from which item the rest is not.
func TestStreamCutFailsLate(t *testing.T) {
	withMemMax(t, 256<<10)
	old := feed.WholeMax
	feed.WholeMax = 256 << 10
	t.Cleanup(func() { feed.WholeMax = old })
	doc := feedtest.Big(400, 6)
	at := bytes.Index(doc, []byte("<item><title>")) + 250*(len(doc)/400)
	at += bytes.Index(doc[at:], []byte("<item><title>"))
	doc = append(doc[:at:at], append([]byte("<!x <item></item> >\n"), doc[at:]...)...)
	res := convertBytes(t, t.TempDir(), string(doc), nil)
	if res.Err != nil || len(res.Errors) != 1 {
		t.Fatalf("doc error %v, %d item errors: %v", res.Err, len(res.Errors), res.Errors)
	}
	if msg := res.Errors[0].Error(); !strings.Contains(msg, "and those after it: the document does not cut cleanly") ||
		!regexp.MustCompile(`, and at \d+ bytes it is too large to be parsed whole$`).MatchString(msg) {
		t.Errorf("error %q", res.Errors[0])
	}
	if res.New == 0 || res.New >= 400 {
		t.Errorf("%d files written, want those before the failed run", res.New)
	}
}

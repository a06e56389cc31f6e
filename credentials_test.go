package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The credentials of the feeds in TestNoCredentialsWrittenOrPrinted:
// distinctive, so that finding one anywhere is never chance.
const (
	credUser    = "aliceUser7"
	credPass    = "s3cretPw9"
	credToken   = "tok3nV4lue"
	credSession = "S3ssionV4l"
	credKey     = "K3yV4lue"
)

var credSecrets = []string{credUser, credPass, credToken, credSession, credKey}

// credServer serves a private feed:
//
//	/feed?access_token=T   the feed, with Basic auth and the token only (401 otherwise), ETag "v1"
//	/open?session=S        the feed, with the session value only
//	/moved                 301 to /open?session=S&x=1
//	/missing               404
//	/loop                  a redirect to itself
//	/blog                  an HTML page linking to /open?session=S&x=2
//
// and counts the requests to /feed that were let in and were conditional.
type credServer struct {
	*httptest.Server
	mu          sync.Mutex
	authorized  int
	conditional int
}

const credFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Private</title>
<item><title>One private post</title><link>posts/one</link><guid>p1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;One &lt;a href="#top"&gt;top&lt;/a&gt; &lt;img src="img/a.png"&gt;&lt;/p&gt;</description></item>
<item><title>Two private post</title><link>https://elsewhere.example/two</link><guid>p2</guid><pubDate>Tue, 06 Jan 2026 10:00:00 GMT</pubDate>
<description>Two.</description></item>
</channel></rss>`

func newCredServer() *credServer {
	s := &credServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		serve := func() {
			w.Header().Set("ETag", `"v1"`)
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, credFeed)
		}
		switch r.URL.Path {
		case "/feed":
			user, pass, ok := r.BasicAuth()
			if !ok || user != credUser || pass != credPass || q.Get("access_token") != credToken {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			s.mu.Lock()
			s.authorized++
			if r.Header.Get("If-None-Match") != "" {
				s.conditional++
			}
			s.mu.Unlock()
			serve()
		case "/open":
			if q.Get("session") != credSession {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			serve()
		case "/moved":
			http.Redirect(w, r, "/open?session="+credSession+"&x=1", http.StatusMovedPermanently)
		case "/loop":
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		case "/blog":
			fmt.Fprintf(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/open?session=%s&amp;x=2"></head></html>`, credSession)
		default:
			http.NotFound(w, r)
		}
	}))
	return s
}

// TestNoCredentialsWrittenOrPrinted runs the command on feed URLs with a
// user name, password and tokens, against a server that lets in only
// requests that carry them (Basic auth from the URL keeps working), with
// -json and -v, on runs that succeed and runs that fail (404, a redirect
// loop, a bad URL, a permanent redirect to a URL with a session token, a
// page whose feed link holds one): no credential is in stdout, stderr,
// any file written or the cache folder; the state file is 0600 in a 0700
// folder, and still lets the second run make a conditional request.
func TestNoCredentialsWrittenOrPrinted(t *testing.T) {
	srv := newCredServer()
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	cred := "http://" + credUser + ":" + credPass + "@" + host
	work := t.TempDir()
	cache := filepath.Join(work, "cache", "feed2md") // made by the run
	list := filepath.Join(t.TempDir(), "feeds.txt")  // the user's own list, outside what is searched
	if err := os.WriteFile(list, []byte(cred+"/feed?access_token="+credToken+"&x=1\n"+cred+":bad/feed?access_token="+credToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	feedURL := cred + "/feed?access_token=" + credToken + "&x=1"
	runs := []struct {
		name string
		args []string
		code int
		want []string // in stdout or stderr
	}{
		{"first", []string{"-json", "-v", "-o", "a", feedURL}, 0, []string{`"source":"http://` + host + `/feed?access_token=REDACTED\u0026x=1"`}},
		{"again", []string{"-v", "-o", "a", feedURL}, 0, []string{host + "/feed"}},
		{"404", []string{"-json", "-v", "-o", "b", cred + "/missing?access_token=" + credToken}, 1, []string{"404"}},
		{"404 text", []string{"-v", "-o", "b", cred + "/missing?access_token=" + credToken}, 1, []string{"404"}},
		{"moved", []string{"-json", "-v", "-o", "c", cred + "/moved?api_key=" + credKey}, 0, []string{"/open?session=REDACTED"}},
		{"moved text", []string{"-v", "-o", "c2", cred + "/moved?api_key=" + credKey}, 0, []string{"moved permanently to http://" + host + "/open?session=REDACTED&x=1"}},
		{"loop", []string{"-v", "-o", "d", cred + "/loop?access_token=" + credToken}, 1, []string{"redirect"}},
		{"discovered", []string{"-json", "-v", "-o", "e", cred + "/blog?access_token=" + credToken}, 0, []string{"/open?session=REDACTED"}},
		{"discovered again", []string{"-v", "-o", "e", cred + "/blog?access_token=" + credToken}, 0, []string{"/open?session=REDACTED"}},
		{"bad URL", []string{"-o", "f", cred + ":bad/feed?access_token=" + credToken}, 2, []string{"bad URL"}},
		{"list", []string{"-json", "-v", "-o", "g", "-feeds", list}, 1, []string{"bad URL"}},
		{"source", []string{"-v", "-o", "h", "-source", cred + "/other?token=" + credToken, feedURL}, 0, []string{"new"}},
		{"bad source", []string{"-o", "i", "-source", cred + ":bad/x?token=" + credToken, feedURL}, 2, []string{"source"}},
	}
	for _, r := range runs {
		var stdout, stderr bytes.Buffer
		args := append([]string{"-cache-dir", cache}, r.args...)
		for i, a := range args {
			if a == "-o" {
				args[i+1] = filepath.Join(work, args[i+1])
			}
		}
		code := feed2md(context.Background(), args, nil, &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if code != r.code {
			t.Errorf("%s: exit %d, want %d\n%s", r.name, code, r.code, out)
		}
		for _, w := range r.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", r.name, w, out)
			}
		}
		for _, s := range credSecrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: output holds %q:\n%s", r.name, s, out)
			}
		}
	}
	srv.mu.Lock()
	if srv.authorized < 2 || srv.conditional < 1 {
		t.Errorf("the server let in %d requests, %d conditional: want the feed fetched with Basic auth and the token, then conditionally", srv.authorized, srv.conditional)
	}
	srv.mu.Unlock()

	// Every file written, the cache included: no credential, and the
	// cache private.
	err := filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(p, cache) {
			info, err := d.Info()
			if err != nil {
				return err
			}
			if want := fs.FileMode(0o600); d.IsDir() {
				if info.Mode().Perm() != 0o700 {
					t.Errorf("cache folder %s: mode %v, want 0700", p, info.Mode().Perm())
				}
			} else if info.Mode().Perm() != want {
				t.Errorf("cache file %s: mode %v, want %v", p, info.Mode().Perm(), want)
			}
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, s := range credSecrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %q:\n%s", p, s, data)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if states, _ := filepath.Glob(filepath.Join(cache, "state-*.json")); len(states) == 0 {
		t.Error("no state file was written")
	}

	// What the files say: the source without credentials, links and
	// images made absolute without them.
	page, err := os.ReadFile(filepath.Join(work, "a", "one-private-post.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"source: 'http://" + host + "/feed?x=1'",
		"link: 'http://" + host + "/posts/one'",
		"image: 'http://" + host + "/posts/img/a.png'",
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("one-private-post.md lacks %q:\n%s", want, page)
		}
	}
	other, err := os.ReadFile(filepath.Join(work, "h", "one-private-post.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "source: 'http://" + host + "/other'"; !bytes.Contains(other, []byte(want)) {
		t.Errorf("with -source, the file lacks %q:\n%s", want, other)
	}
}

// TestCredentialsFolderOfOldRelease: a folder the release before wrote
// from a feed whose source held a password and token
// (testdata/credentials/old, from feed-v1.xml, whose self link has them)
// is still known: when the feed's first item comes back with another
// title and link but its id, it keeps its file, and every file and the
// folder's memory are rewritten without the credentials.
func TestCredentialsFolderOfOldRelease(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join("testdata", "credentials", "old")
	entries, err := os.ReadDir(old)
	if err != nil {
		t.Fatal(err)
	}
	oldIDs := ""
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(old, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == ".feed2md-ids.json" {
			oldIDs = string(data)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(oldIDs, `"feed": "3669654326ad"`) {
		t.Fatalf("the fixture's memory is not what the old release wrote:\n%s", oldIDs)
	}
	var stdout, stderr bytes.Buffer
	if code := feed2md(context.Background(), []string{"-no-cache", "-o", dir, filepath.Join("testdata", "credentials", "feed-v2.xml")}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	after, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range after {
		if !strings.HasPrefix(e.Name(), ".feed2md") {
			names = append(names, e.Name())
		}
	}
	if fmt.Sprint(names) != "[first-post.md second-post.md]" {
		t.Errorf("files %q, want the old release's two (the renamed item keeps its file)", names)
	}
	first, err := os.ReadFile(filepath.Join(dir, "first-post.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`title: "First post, renamed"`, "source: 'https://private.example/feed?x=1'"} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("first-post.md lacks %q:\n%s", want, first)
		}
	}
	for _, name := range []string{"first-post.md", "second-post.md", ".feed2md-ids.json"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range credSecrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s still holds %q:\n%s", name, s, data)
			}
		}
		if name == ".feed2md-ids.json" && bytes.Contains(data, []byte("3669654326ad")) {
			t.Errorf("the memory still holds the sum of the source with credentials:\n%s", data)
		}
	}
}

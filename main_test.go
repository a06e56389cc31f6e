package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"feed2md/convert/fulltext/fulltexttest"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	benchChild() // BenchmarkSideBySide's children exit here
	if os.Getenv("FEED2MD_RUN_MAIN") == "1" {
		// The signal test runs the test binary as the command itself.
		main()
	}
	testscript.Main(m, map[string]func(){
		"feed2md": func() {
			os.Exit(feed2md(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// scriptEnv sets what every script has: a cache folder of its own, the
// seed feed ($FOXNEWS) and the file it must give ($SEED).
func scriptEnv(env *testscript.Env) {
	env.Setenv("XDG_CACHE_HOME", env.WorkDir+"/.cache")
	env.Setenv("FOXNEWS", mustAbs("testdata/foxnews-latest.xml"))
	env.Setenv("SEED", mustAbs("testdata/golden/foxnews/witkoff-and-kushner-scheduled-to-meet-putin-in-moscow.md"))
}

// httpget URL: print the body of a GET, for a test server's counters.
func httpget(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: httpget URL")
	}
	resp, err := http.Get(args[0])
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	ts.Stdout().Write(body)
}

// TestScripts runs testdata/script/*.txtar: the command end to end. Each
// script has $SERVER, an httptest server (never the network) that serves
// the feeds in testdata and the failure cases of newTestServer.
func TestScripts(t *testing.T) {
	feed, err := os.ReadFile("testdata/foxnews-latest.xml")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// A server of its own for each script, so that counters agree.
			srv := newTestServer(feed)
			env.Defer(srv.Close)
			env.Setenv("SERVER", srv.URL)
			scriptEnv(env)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"httpget": httpget,
			// jsonlines N: the last stdout is N lines, each a JSON object
			// with every key of the -json contract, of the right type.
			"jsonlines": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 || neg {
					ts.Fatalf("usage: jsonlines N")
				}
				checkJSONLines(ts, ts.ReadFile("stdout"), args[0])
			},
			// sleep DURATION
			"sleep": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: sleep DURATION")
				}
				d, err := time.ParseDuration(args[0])
				ts.Check(err)
				time.Sleep(d)
			},
		},
	})
}

// checkJSONLines fails ts unless out holds want lines, each a JSON object
// that has the keys of the -json contract with their types.
func checkJSONLines(ts *testscript.TestScript, out, want string) {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	if fmt.Sprint(len(lines)) != want {
		ts.Fatalf("%d JSON lines, want %s", len(lines), want)
	}
	for i, line := range lines {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			ts.Fatalf("line %d is not a JSON object: %v", i+1, err)
		}
		for key, kind := range map[string]string{
			"label": "string", "source": "string", "status": "string", "counts": "object",
			"files": "array", "errors": "array", "notices": "array",
		} {
			got := "missing"
			switch obj[key].(type) {
			case string:
				got = "string"
			case map[string]any:
				got = "object"
			case []any:
				got = "array"
			}
			if got != kind {
				ts.Fatalf("line %d: %q is %s, want %s", i+1, key, got, kind)
			}
		}
		counts := obj["counts"].(map[string]any)
		for _, key := range []string{"items", "new", "updated", "unchanged", "skipped", "filtered", "failed"} {
			if _, ok := counts[key].(float64); !ok {
				ts.Fatalf("line %d: counts.%s is not a number", i+1, key)
			}
		}
		switch obj["status"] {
		case statusConverted, statusNotModified, statusUnchanged, statusFailed, statusWaiting:
		default:
			ts.Fatalf("line %d: unknown status %v", i+1, obj["status"])
		}
	}
}

func mustAbs(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return wd + "/" + p
}

// newTestServer serves:
//
//	/feed.xml            the foxnews feed, with an ETag (304 to If-None-Match)
//	/lastmod.xml         the same feed with Last-Modified (304 to If-Modified-Since)
//	/status/N            HTTP status N
//	/flaky/KEY           500 the first time for each KEY, then the feed
//	/ratelimited/KEY     429 with Retry-After: 1 the first time for each KEY, then the feed
//	/retry/SECONDS       429 with Retry-After: SECONDS, always
//	/retrydate           503 with Retry-After: a date two hours away, always
//	/moved, /found       a 301 and a 302 to /feed.xml
//	/tofile, /toftp      a 302 to file:///etc/passwd and a 301 to an ftp: URL
//	/loop                a redirect to itself
//	/blog/               an HTML page that links to /feed.xml
//	/selfpage/           an HTML page whose feed link is itself
//	/big                 a feed larger than 1 MiB
//	/page.html           an HTML page with no feed link
//	/slow                a feed after 4 seconds
//	/hits/PATH           how many requests PATH got, and how many were conditional
//	/excerpts.xml        a feed of excerpts, whose items link to /article/1, /article/4 and /article/gone
//	/article/N           an item's page: an article among a news site's menus and comments
//	/private.xml         a feed behind a bearer token (Authorization: Bearer tok-8c1f-secret)
func newTestServer(feed []byte) *httptest.Server {
	const etag = `"v1"`
	const lastMod = "Wed, 21 Jan 2026 23:00:00 GMT"
	var mu sync.Mutex
	seen := map[string]int{}
	hits := map[string][2]int{}
	first := func(key string) bool {
		mu.Lock()
		defer mu.Unlock()
		seen[key]++
		return seen[key] == 1
	}
	mux := http.NewServeMux()
	serveFeed := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(feed)
	}
	// serveConditional sends the feed with a validator, or 304 when the
	// request sent that validator back in ifHeader.
	serveConditional := func(w http.ResponseWriter, r *http.Request, header, value, ifHeader string) {
		w.Header().Set(header, value)
		if r.Header.Get(ifHeader) == value {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		serveFeed(w)
	}
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.UserAgent(), "feed2md/") {
			http.Error(w, "no user agent", http.StatusBadRequest)
			return
		}
		serveConditional(w, r, "ETag", etag, "If-None-Match")
	})
	mux.HandleFunc("/lastmod.xml", func(w http.ResponseWriter, r *http.Request) {
		serveConditional(w, r, "Last-Modified", lastMod, "If-Modified-Since")
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		w.WriteHeader(code)
	})
	mux.HandleFunc("/flaky/{key}", func(w http.ResponseWriter, r *http.Request) {
		if first("flaky" + r.PathValue("key")) {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		serveFeed(w)
	})
	mux.HandleFunc("/ratelimited/{key}", func(w http.ResponseWriter, r *http.Request) {
		if first("rate" + r.PathValue("key")) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		serveFeed(w)
	})
	mux.HandleFunc("/retry/{secs}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", r.PathValue("secs"))
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/retrydate", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/tofile", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/toftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://ftp.example.test/feed.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/found", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed.xml", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/blog/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><head><title>Blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="../feed.xml">
</head><body><p>Posts</p></body></html>`))
	})
	mux.HandleFunc("/selfpage/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><head><title>Blog</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/selfpage/">
</head><body><p>Posts</p></body></html>`))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>`))
		chunk := []byte(strings.Repeat("<!-- padding padding padding -->", 1024))
		for i := 0; i < 64; i++ {
			w.Write(chunk)
		}
		w.Write([]byte(`</channel></rss>`))
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><head><title>A page</title></head><body><p>Hello</p></body></html>"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(4 * time.Second):
		case <-r.Context().Done():
			return
		}
		w.Write(feed)
	})
	mux.HandleFunc("/excerpts.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		base := "http://" + r.Host + "/article/"
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Excerpts</title><link>http://%s/</link>`, r.Host)
		for i, title := range []string{"Lighthouse reopens", "Harbour fair returns", "Gone story"} {
			id := []string{"1", "4", "gone"}[i] // a WordPress and a news site's layout
			fmt.Fprintf(w, `<item><title>%s</title><link>%s%s</link><guid>%s</guid><description>%s [...]</description></item>`,
				title, base, id, id, strings.Join(strings.Fields(fulltexttest.Text(testArticle))[:20], " "))
		}
		w.Write([]byte(`</channel></rss>`))
	})
	mux.HandleFunc("/private.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-8c1f-secret" {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Private</title><link>http://%s/</link><item><title>Members only</title><link>http://%s/members/1</link><guid>m1</guid><description>&lt;p&gt;For &lt;em&gt;members&lt;/em&gt;.&lt;/p&gt;</description></item></channel></rss>`, r.Host, r.Host)
	})
	mux.HandleFunc("/article/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(fulltexttest.Page(n, "Lighthouse reopens", testArticle)))
	})
	mux.HandleFunc("/hits/{path...}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hits["/"+r.PathValue("path")]
		mu.Unlock()
		fmt.Fprintf(w, "requests %d conditional %d\n", h[0], h[1])
	})
	count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/hits/") {
			mu.Lock()
			h := hits[r.URL.Path]
			h[0]++
			if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
				h[1]++
			}
			hits[r.URL.Path] = h
			mu.Unlock()
		}
		mux.ServeHTTP(w, r)
	})
	return httptest.NewServer(count)
}

// testArticle is the article of the pages of /article/N.
const testArticle = `<p>The harbour authority announced on Tuesday that the old lighthouse will reopen to visitors next spring after a restoration that took almost three years and cost twice the first estimate.</p>
<p>Engineers replaced the rusted iron stairs, rebuilt the lantern room and fitted a new lens, made by a small workshop that still grinds glass by hand. <a href="../history.html">Its history</a> goes back to 1874.</p>
<p>Volunteers will guide tours on weekends, and the keeper's cottage becomes a small museum of the coast, its storms and its shipwrecks, with letters the keepers wrote to their families.</p>
<p>Tickets go on sale in March; children under twelve climb for free, and the first hundred visitors receive a print of the lighthouse drawn by a local artist who painted it for forty years.</p>`

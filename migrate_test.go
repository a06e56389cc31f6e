package main

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMigrateScripts runs testdata/migrate/*.txtar: moving a blog through
// its feed (-images download, -aliases, -tags, the template data). Each
// script has $BLOG, a loopback blog server of its own (blogServer), whose
// feed and pages are the script's own files under site/.
func TestMigrateScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/migrate",
		Setup: func(env *testscript.Env) error {
			srv := blogServer(filepath.Join(env.WorkDir, "site"))
			env.Defer(srv.Close)
			env.Setenv("BLOG", srv.URL)
			scriptEnv(env)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"httpget": httpget,
			// sniff FILE TYPE: the file's sniffed content type is TYPE.
			"sniff": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: sniff FILE TYPE")
				}
				data, err := os.ReadFile(ts.MkAbs(args[0]))
				ts.Check(err)
				if got := http.DetectContentType(data); (got == args[1]) == neg {
					ts.Fatalf("%s sniffs as %s", args[0], got)
				}
			},
		},
	})
}

// blogServer serves a blog whose text files live in dir, and its images:
//
//	/site/FILE        dir/FILE, with @BLOG@ replaced by the server's URL and
//	                  @OTHER@ by the same server under another host name
//	                  (localhost instead of 127.0.0.1)
//	/img/PATH.EXT     an image of the type EXT says (png, jpg, gif, webp;
//	                  png without one), different for each PATH
//	/svg/NAME         an SVG image with a script, as image/svg+xml
//	/fake/NAME        an HTML page sent as image/jpeg
//	/missing/NAME     404
//	/huge/NAME        a PNG of 2 MiB
//	/busy/NAME        503 with Retry-After: 1 the first time, then a PNG
//	/hits             requests for images in all (every path but /site/
//	                  and /hits), and the most that ran at once on one host
//
// Image requests without a feed2md User-Agent get 400. Each image takes
// 20 ms, so that downloads that overlap are seen to.
func blogServer(dir string) *httptest.Server {
	var mu sync.Mutex
	images, busy := 0, map[string]bool{}
	inflight, most := map[string]int{}, 0
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/site/{file...}", func(w http.ResponseWriter, r *http.Request) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.PathValue("file"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
		data = bytes.ReplaceAll(data, []byte("@BLOG@"), []byte(srv.URL))
		data = bytes.ReplaceAll(data, []byte("@OTHER@"), []byte(other))
		switch filepath.Ext(r.PathValue("file")) {
		case ".xml":
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		case ".json":
			w.Header().Set("Content-Type", "application/feed+json")
		}
		w.Write(data)
	})
	mux.HandleFunc("/hits", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "images %d\nat once on one host %d\n", images, most)
	})
	mux.HandleFunc("/img/{path...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("path")
		w.Header().Set("Content-Type", "image/*")
		w.Write(testImage(name, strings.TrimPrefix(filepath.Ext(name), ".")))
	})
	mux.HandleFunc("/svg/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="4"/></svg>`))
	})
	mux.HandleFunc("/fake/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"))
	})
	mux.HandleFunc("/huge/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Write(append(testImage("huge", "png"), make([]byte, 2<<20)...))
	})
	mux.HandleFunc("/busy/{name}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !busy[r.URL.Path]
		busy[r.URL.Path] = true
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write(testImage(r.PathValue("name"), "png"))
	})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/site/") || r.URL.Path == "/hits" {
			mux.ServeHTTP(w, r)
			return
		}
		if !strings.HasPrefix(r.UserAgent(), "feed2md/") {
			http.Error(w, "no user agent", http.StatusBadRequest)
			return
		}
		host := strings.Split(r.Host, ":")[0]
		mu.Lock()
		images++
		inflight[host]++
		most = max(most, inflight[host])
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mux.ServeHTTP(w, r)
		mu.Lock()
		inflight[host]--
		mu.Unlock()
	}))
	return srv
}

// testImage returns a small image of a type (png, jpg, gif, webp), its
// colour drawn from name so that different names give different bytes.
func testImage(name, kind string) []byte {
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	c := color.RGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255}
	for x := 0; x < 8; x++ {
		for y := 0; y < 8; y++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	switch kind {
	case "jpg", "jpeg":
		jpeg.Encode(&b, img, nil)
	case "gif":
		gif.Encode(&b, img, nil)
	case "webp":
		// A RIFF WebP header is what sniffing looks at; a browser shows
		// nothing for it, which these tests do not need.
		b.WriteString("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
	default:
		png.Encode(&b, img)
	}
	return b.Bytes()
}

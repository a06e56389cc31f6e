package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"feed2md": func() {
			os.Exit(feed2md(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScripts runs testdata/script/*.txtar: the command end to end. Each
// script has $SERVER, an httptest server (never the network) that serves
// the feeds in testdata and the failure cases of newTestServer.
func TestScripts(t *testing.T) {
	srv := newTestServer(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("SERVER", srv.URL)
			env.Setenv("FOXNEWS", mustAbs("testdata/foxnews-latest.xml"))
			env.Setenv("SEED", mustAbs("testdata/golden/foxnews/witkoff-and-kushner-scheduled-to-meet-putin-in-moscow.md"))
			return nil
		},
	})
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
//	/feed.xml       the foxnews feed
//	/status/N       HTTP status N
//	/big            a feed larger than 1 MiB
//	/page.html      an HTML page
//	/slow           a feed after 3 seconds
func newTestServer(t *testing.T) *httptest.Server {
	feed, err := os.ReadFile("testdata/foxnews-latest.xml")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.UserAgent(), "feed2md/") {
			http.Error(w, "no user agent", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(feed)
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		w.WriteHeader(code)
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
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
			return
		}
		w.Write(feed)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

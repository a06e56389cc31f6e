package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// TestHeaderStaysWithItsHost: a feed's own headers are sent to its host,
// also after a redirect on that host, and never to another host a
// redirect leads to.
func TestHeaderStaysWithItsHost(t *testing.T) {
	seen := map[string]string{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen["other"] = r.Header.Get("Authorization") + "|" + r.Header.Get("X-Api-Key")
		w.Write([]byte(`<rss version="2.0"><channel><title>x</title></channel></rss>`))
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen[r.URL.Path] = r.Header.Get("Authorization") + "|" + r.Header.Get("X-Api-Key")
		switch r.URL.Path {
		case "/here":
			http.Redirect(w, r, "/feed", http.StatusFound)
		case "/away":
			// Another server: another host (its own port).
			http.Redirect(w, r, other.URL+"/feed", http.StatusFound)
		default:
			w.Write([]byte(`<rss version="2.0"><channel><title>x</title></channel></rss>`))
		}
	}))
	defer srv.Close()
	f := Fetcher{Client: srv.Client(), UserAgent: "t", Timeout: 5 * time.Second, Now: time.Now, MaxSize: 1 << 20,
		Header: http.Header{"Authorization": {"Bearer s3cret"}, "X-Api-Key": {"k3y"}}}
	for _, path := range []string{"/here", "/away"} {
		u, _ := url.Parse(srv.URL + path)
		if _, err := f.Read(context.Background(), Source{URL: u}, Validators{}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	for path, want := range map[string]string{"/here": "Bearer s3cret|k3y", "/feed": "Bearer s3cret|k3y", "/away": "Bearer s3cret|k3y", "other": "|"} {
		if seen[path] != want {
			t.Errorf("%s got headers %q, want %q", path, seen[path], want)
		}
	}
}

// TestSameOrigin: a feed's headers may follow a redirect on its host,
// also to https, never to another host or port, nor from https to http
// (the token in clear text).
func TestSameOrigin(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{"https://a.example/f", "https://A.example/g", true},
		{"http://a.example/f", "https://a.example/f", true},
		{"https://a.example/f", "http://a.example/f", false},
		{"https://a.example/f", "https://b.example/f", false},
		{"https://a.example/f", "https://a.example:8443/f", false},
	} {
		from, _ := url.Parse(c.from)
		to, _ := url.Parse(c.to)
		if got := SameOrigin(from, to); got != c.want {
			t.Errorf("SameOrigin(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func TestHostKey(t *testing.T) {
	for in, want := range map[string]string{"Example.COM": "example.com", "example.com:443": "example.com", "example.com.:80": "example.com",
		"example.com:8080": "example.com:8080", "[::1]:443": "[::1]", "127.0.0.1:8443": "127.0.0.1:8443"} {
		if got := hostKey(in); got != want {
			t.Errorf("hostKey(%q) = %q, want %q", in, got, want)
		}
	}
}

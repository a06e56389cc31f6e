package images

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"feed2md/convert/fetch"
	"feed2md/convert/folder"
)

// TestRedirectToOtherScheme: an image redirected to a file: URL is not
// followed: one request, no retry, one RedirectSchemeError.
func TestRedirectToOtherScheme(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	}))
	defer srv.Close()
	dir := t.TempDir()
	st, err := folder.OpenStore(dir, true, false)
	if err != nil {
		t.Fatal(err)
	}
	f := fetch.Fetcher{Client: srv.Client(), UserAgent: "feed2md-test", Timeout: 5 * time.Second, Retries: 2, RetryDelay: time.Millisecond, MaxWait: 5 * time.Second, Now: time.Now}
	d := New(st, f, fetch.NewHosts(), 1<<20, dir, false, false)
	_, err = d.download(context.Background(), srv.URL+"/file.png")
	var rs *fetch.RedirectSchemeError
	if !errors.As(err, &rs) || rs.Scheme != "file" || errors.As(err, new(*fetch.AttemptsError)) {
		t.Errorf("image: %v, want one RedirectSchemeError", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

package fetch

import (
	"context"
	"net/url"
	"strings"
	"sync"
)

// Politeness of the requests made for items (images, pages), beside the
// feeds' own.
const (
	AtOnce  = 6 // requests at a time, over all hosts
	PerHost = 2 // requests at a time to one host
)

// Hosts bounds the requests made for items: at most AtOnce at a time,
// and PerHost to one host. One is shared by the stages of a run that
// fetch for items (images, full text), so that a host sees at most
// PerHost of them at once, whichever stage asks. It is safe for
// concurrent use.
type Hosts struct {
	slots chan struct{}

	mu    sync.Mutex
	hosts map[string]chan struct{}
}

// NewHosts returns an empty Hosts.
func NewHosts() *Hosts {
	return &Hosts{slots: make(chan struct{}, AtOnce), hosts: map[string]chan struct{}{}}
}

// Take waits for a place for one request to host (as a URL names it; any
// case) and returns the function that gives it back, or ctx's error
// when it ends first.
func (h *Hosts) Take(ctx context.Context, host string) (release func(), err error) {
	hs := h.host(hostKey(host))
	select {
	case hs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		<-hs
		return nil, ctx.Err()
	}
	return func() { <-h.slots; <-hs }, nil
}

// host returns the semaphore of a host.
func (h *Hosts) host(name string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.hosts[name]
	if s == nil {
		s = make(chan struct{}, PerHost)
		h.hosts[name] = s
	}
	return s
}

// SameOrigin reports whether to may be sent the request headers of from
// (a private feed's token): it is on the same host (and port), and over
// https when from is.
func SameOrigin(from, to *url.URL) bool {
	return strings.EqualFold(from.Host, to.Host) && (from.Scheme != "https" || to.Scheme == "https")
}

// hostKey is the name a host's requests are counted under: its name in
// lower case without a final dot, and its port unless it is a default
// one ("Example.com.:443" and "example.com" are one host).
func hostKey(host string) string {
	host = strings.ToLower(host)
	for _, port := range []string{":80", ":443"} {
		host = strings.TrimSuffix(host, port)
	}
	return strings.TrimSuffix(host, ".")
}

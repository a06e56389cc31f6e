package fetch

import (
	"net/url"
	"strings"
)

// Resolve makes ref absolute against base. It returns ref unchanged when it
// is already absolute, when base is not an absolute URL, or when either
// does not parse.
func Resolve(ref, base string) string {
	if ref == "" || base == "" {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil || r.IsAbs() {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return ref
	}
	return b.ResolveReference(r).String()
}

// AbsHTTP resolves ref against base and returns it only when the result is
// an http or https URL with a host; anything else gives "".
func AbsHTTP(ref, base string) string {
	if ref == "" {
		return ""
	}
	abs := Resolve(cleanURL(ref), base)
	u, err := url.Parse(abs)
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return abs
	}
	return ""
}

// cleanURL trims a URL taken from a feed and drops the control characters
// and white space inside it that browsers ignore and YAML would not keep.
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// HostOf returns the host name of a URL, without a port, lowercased.
func HostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

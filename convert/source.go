package convert

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Source is one feed argument: an http(s) URL, a file path, or "-" for
// standard input.
type Source struct {
	Arg   string   // the argument as the user wrote it
	URL   *url.URL // set for a URL
	Path  string   // set for a file
	Stdin bool     // set for "-"
}

// ParseSource classifies a feed argument. "feed://" and "feed:https://"
// URLs, which some sites still link to, are taken as http(s) URLs.
func ParseSource(arg string) (Source, error) {
	s := Source{Arg: arg}
	trimmed := strings.TrimSpace(arg)
	switch {
	case trimmed == "":
		return s, errors.New("empty feed argument")
	case trimmed == "-":
		s.Stdin = true
		return s, nil
	}
	lower := strings.ToLower(trimmed)
	if strings.HasPrefix(lower, "feed:") {
		rest := trimmed[len("feed:"):]
		if strings.HasPrefix(rest, "//") {
			rest = "http:" + rest
		}
		trimmed, lower = rest, strings.ToLower(rest)
	}
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		u, err := url.Parse(trimmed)
		if err != nil {
			return s, fmt.Errorf("bad URL %q: %w", arg, err)
		}
		if u.Host == "" {
			return s, fmt.Errorf("bad URL %q: no host", arg)
		}
		s.URL = u
		return s, nil
	}
	if i := strings.Index(trimmed, "://"); i > 0 && !strings.ContainsAny(trimmed[:i], `/\.`) {
		return s, fmt.Errorf("unsupported URL scheme %q in %q: use http or https", trimmed[:i], arg)
	}
	s.Path = arg
	return s, nil
}

// Name is how messages name the feed: the URL, the path, or "stdin".
func (s Source) Name() string {
	switch {
	case s.URL != nil:
		return s.URL.String()
	case s.Stdin:
		return "stdin"
	}
	return s.Path
}

// Label is the short name of the summary line: the URL's host, the file's
// base name, or "stdin".
func (s Source) Label() string {
	switch {
	case s.URL != nil:
		return s.URL.Host
	case s.Stdin:
		return "stdin"
	}
	return filepath.Base(s.Path)
}

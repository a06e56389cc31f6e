package fetch

import (
	"errors"
	"fmt"
	"net/url"
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
			// URL.Error quotes the whole URL, password and token included.
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err
			}
			return s, fmt.Errorf("bad URL %q: %v", RedactURL(arg), RedactURL(err.Error()))
		}
		if u.Host == "" {
			return s, fmt.Errorf("bad URL %q: no host", RedactURL(arg))
		}
		s.URL = u
		return s, nil
	}
	if i := strings.Index(trimmed, "://"); i > 0 && !strings.ContainsAny(trimmed[:i], `/\.`) {
		return s, fmt.Errorf("unsupported URL scheme %q in %q: use http or https", trimmed[:i], RedactURL(arg))
	}
	s.Path = arg
	return s, nil
}

// Name is how messages name the feed: the URL (without its credentials:
// RedactURL), the path, or "stdin".
func (s Source) Name() string {
	switch {
	case s.URL != nil:
		return redactURL(s.URL)
	case s.Stdin:
		return "stdin"
	}
	return s.Path
}

// label is the short name of the feed in summary and error lines: the
// URL's host and path ("example.com/blog/feed.xml"; the host alone for the
// path "/"), the path as given for a file, or "stdin". Use Labels for the
// feeds of a run, whose labels must tell them apart.
func (s Source) label() string { return s.labelAt(0) }

// labelAt is the label at a length: 0 is label's; 1 adds a URL's query; 2
// is the whole URL. A file's or stdin's label has one length.
func (s Source) labelAt(level int) string {
	switch {
	case s.URL != nil:
		u := s.URL
		if level >= 2 {
			return redactURL(u)
		}
		l := u.Host
		if p := u.EscapedPath(); p != "" && p != "/" {
			l += p
		}
		if level == 1 && u.RawQuery != "" {
			l += "?" + stripParams(u.RawQuery, false)
		}
		return l
	case s.Stdin:
		return "stdin"
	}
	return s.Path
}

// Labels returns the label of each source, unique within srcs. Where two
// URLs would share one, both are lengthened until they differ: first with
// their query, then to the whole URL. A feed given twice gets " (2)",
// " (3)", ... from its second occurrence on.
func Labels(srcs []Source) []string {
	level := make([]int, len(srcs))
	labels := make([]string, len(srcs))
	for {
		groups := map[string][]int{}
		for i, s := range srcs {
			labels[i] = s.labelAt(level[i])
			groups[labels[i]] = append(groups[labels[i]], i)
		}
		longer := false
		for _, g := range groups {
			// Lengthening tells apart only URLs that differ: the same URL
			// twice keeps its short label and gets " (2)" below.
			distinct := map[string]bool{}
			for _, i := range g {
				key := srcs[i].Path
				if srcs[i].URL != nil {
					key = srcs[i].URL.String()
				}
				distinct[key] = true
			}
			if len(g) < 2 || len(distinct) < 2 {
				continue
			}
			for _, i := range g {
				if srcs[i].URL != nil && level[i] < 2 {
					level[i]++
					longer = true
				}
			}
		}
		if !longer {
			break
		}
	}
	taken := map[string]bool{}
	for _, l := range labels {
		taken[l] = true
	}
	seen := map[string]int{}
	for i, l := range labels {
		seen[l]++
		if seen[l] == 1 {
			continue
		}
		for n := seen[l]; ; n++ {
			alt := fmt.Sprintf("%s (%d)", l, n)
			if !taken[alt] {
				labels[i], taken[alt] = alt, true
				break
			}
		}
	}
	return labels
}

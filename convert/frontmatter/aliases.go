package frontmatter

import (
	"feed2md/convert/fetch"
	"net/url"
	"path"
	"strings"
)

// AliasFor returns the Hugo alias of an item: the path of its link, when
// the link is on the feed's own host (site, the feed's link), so that the
// old URL redirects to the new page. A "www." prefix does not count as a
// different host. It returns "" for a link elsewhere, a link to the site's
// root (an alias there would replace the home page), and a path that does
// not come out clean: the alias is a path Hugo writes a file at, so it is
// cleaned of "." and ".." segments and of control characters, keeps
// only its path (no query or fragment, which a static site cannot serve),
// and must not clash with the files Hugo writes for pages (aliasPathOK).
func AliasFor(link, site string) string {
	if link == "" || site == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return ""
	}
	if !sameSite(u.Hostname(), fetch.HostOf(site)) {
		return ""
	}
	p := u.Path // decoded: a %2e%2e segment is cleaned like ".."
	if p == "" || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return ""
	}
	clean := path.Clean("/" + p)
	if clean == "/" || !aliasPathOK(clean) {
		return ""
	}
	if strings.HasSuffix(p, "/") {
		clean += "/"
	}
	return (&url.URL{Path: clean}).EscapedPath()
}

// aliasPathOK reports whether Hugo can write a redirect at a clean alias
// path without clashing with the files it writes for the site's own
// pages. Hugo writes an alias ending in .html or .htm as that file, and
// any other as a folder holding index.html; every section and the home
// page have an index.html and an index.xml (and may have index.json...).
// So no folder may be named index.something (Hugo stops: "is a
// directory"), and no alias may be the home page's index.html.
func aliasPathOK(clean string) bool {
	segs := strings.Split(strings.ToLower(clean[1:]), "/")
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "index.") {
			continue
		}
		last := i == len(segs)-1
		if !last || !(strings.HasSuffix(seg, ".html") || strings.HasSuffix(seg, ".htm")) {
			return false // a folder named index.*
		}
		if len(segs) == 1 {
			return false // /index.html is the home page
		}
	}
	return true
}

// sameSite reports whether two host names are the same site, ignoring
// case and a leading "www.".
func sameSite(a, b string) bool {
	a = strings.TrimPrefix(strings.ToLower(a), "www.")
	b = strings.TrimPrefix(strings.ToLower(b), "www.")
	return a != "" && a == b
}

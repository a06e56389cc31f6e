package body

// The sanitizer's allow-list: the elements and attributes kept, and the
// elements dropped with what is inside them.

import (
	"strings"
)

// dropWithContent are the elements removed with everything inside them.
var dropWithContent = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "noscript": true, "noembed": true, "noframes": true, "template": true,
	"svg": true, "xmp": true, "plaintext": true, "title": true, "head": true, "textarea": true,
	"select": true, "button": true, "param": true, "base": true, "meta": true, "link": true,
	"portal": true, "fencedframe": true, "math": true, "dialog": true,
}

// selfClosingHonoured are the elements dropped with their content whose
// self-closing slash a browser obeys: the roots of foreign content.
var selfClosingHonoured = map[string]bool{"svg": true, "math": true}

// voidElements have no end tag, so dropping one drops nothing else.
var voidElements = map[string]bool{
	"base": true, "meta": true, "link": true, "embed": true, "param": true, "frame": true,
}

// urlAttrs hold URLs.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "srcset": true, "cite": true, "poster": true,
	"action": true, "formaction": true, "background": true, "xlink:href": true, "longdesc": true,
	"data": true, "codebase": true, "dynsrc": true, "lowsrc": true, "ping": true, "manifest": true,
}

// globalAttrs are allowed on every allowed element.
var globalAttrs = map[string]bool{
	"title": true, "lang": true, "dir": true, "class": true, "id": true, "style": true,
}

// allowedAttrs is the allow-list: the elements kept, and the attributes
// each keeps beside globalAttrs.
var allowedAttrs = func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	set := func(attrs string, tags ...string) {
		for _, t := range tags {
			if m[t] == nil {
				m[t] = map[string]bool{}
			}
			for _, a := range strings.Fields(attrs) {
				m[t][a] = true
			}
		}
	}
	set("", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "big", "br", "caption",
		"center", "code", "dd", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer",
		"h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "kbd", "li", "main", "mark",
		"nav", "p", "picture", "pre", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
		"strike", "strong", "sub", "summary", "sup", "tbody", "tfoot", "thead", "tr", "tt", "u", "ul",
		"var", "wbr", "cite", "details", "ol", "table", "td", "th", "col", "colgroup", "time",
		"blockquote", "q", "del", "ins", "a", "img", "video", "audio", "source", "track", "bdo", "font")
	set("href rel target hreflang name type", "a")
	set("src srcset alt width height loading sizes decoding", "img")
	set("src poster controls width height preload loop muted playsinline", "video")
	set("src controls preload loop muted", "audio")
	set("src srcset type media sizes", "source")
	set("src kind srclang label default", "track")
	set("colspan rowspan align valign scope headers width", "td", "th")
	set("summary border cellpadding cellspacing width align", "table")
	set("span width align", "col", "colgroup")
	set("start type reversed", "ol")
	set("value type", "li")
	set("cite", "blockquote", "q")
	set("cite datetime", "del", "ins")
	set("datetime", "time")
	set("open", "details")
	set("color size face", "font")
	set("align", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "thead", "tbody", "tfoot", "caption")
	return m
}()

// knownNames are the element and attribute names the sanitizer knows,
// each its own key: tagName and attrName return these strings rather than
// make new ones.
var knownNames = func() map[string]string {
	m := map[string]string{}
	add := func(names map[string]bool) {
		for n := range names {
			m[n] = n
		}
	}
	for tag, attrs := range allowedAttrs {
		m[tag] = tag
		add(attrs)
	}
	add(dropWithContent)
	add(urlAttrs)
	add(globalAttrs)
	return m
}()

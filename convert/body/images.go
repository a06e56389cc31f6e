package body

import (
	"feed2md/convert/fetch"
	"net/url"
	"path"
	"strconv"
	"strings"

	nethtml "golang.org/x/net/html"
)

// ImageRefs returns the http(s) image URLs of a body as written (already
// sanitized and made absolute), in order, each once: img src and srcset,
// source srcset (picture), video poster in HTML; ![alt](url) in Markdown.
func ImageRefs(body string, markdown bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] && fetch.AbsHTTP(u, "") == u {
			seen[u] = true
			out = append(out, u)
		}
	}
	if markdown {
		for _, sp := range markdownImages(body) {
			add(sp.url)
		}
		return out
	}
	z := nethtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			return out
		}
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			continue
		}
		name, more := z.TagName()
		tag := string(name)
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch imageAttr(tag, string(k)) {
			case "url":
				add(strings.TrimSpace(string(v)))
			case "srcset":
				for _, c := range srcsetURLs(string(v)) {
					add(c)
				}
			}
		}
	}
}

// imageAttr says whether an attribute of a tag holds an image: "url" for
// one URL, "srcset" for a list, "" for neither. A source's src is a video
// or audio file, not an image; its srcset (inside picture) is.
func imageAttr(tag, key string) string {
	switch {
	case tag == "img" && key == "src", tag == "video" && key == "poster":
		return "url"
	case (tag == "img" || tag == "source") && key == "srcset":
		return "srcset"
	}
	return ""
}

// srcsetURLs returns the URLs of a srcset list, split as the sanitizer
// splits it (at commas; a URL then its descriptors).
func srcsetURLs(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if f := strings.Fields(p); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// RewriteImages replaces each image URL of a body that names maps (URL →
// file name in the bundle) by the file's name; others stay as they are.
// In HTML, only the tags that change are rebuilt; the rest is copied byte
// for byte.
func RewriteImages(body string, markdown bool, names map[string]string) string {
	if len(names) == 0 {
		return body
	}
	if markdown {
		var b strings.Builder
		last := 0
		for _, sp := range markdownImages(body) {
			if n, ok := names[sp.url]; ok {
				b.WriteString(body[last:sp.start])
				b.WriteString(n)
				last = sp.end
			}
		}
		b.WriteString(body[last:])
		return b.String()
	}
	var b strings.Builder
	b.Grow(len(body))
	z := nethtml.NewTokenizer(strings.NewReader(body))
	type attr struct{ k, v string }
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			return b.String()
		}
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		raw := string(z.Raw()) // a copy: TagName lowercases in place
		name, more := z.TagName()
		tag := string(name)
		var attrs []attr
		changed := false
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			a := attr{string(k), string(v)}
			switch imageAttr(tag, a.k) {
			case "url":
				if n, ok := names[strings.TrimSpace(a.v)]; ok {
					a.v, changed = n, true
				}
			case "srcset":
				if s, ok := rewriteSrcset(a.v, names); ok {
					a.v, changed = s, true
				}
			}
			attrs = append(attrs, a)
		}
		if !changed {
			b.WriteString(raw)
			continue
		}
		b.WriteString("<" + tag)
		for _, a := range attrs {
			b.WriteString(" " + a.k)
			if a.v != "" { // an empty value is the same as none: controls, alt
				// escapeAttr: a line break as a reference, so that no blank
				// line ends Goldmark's HTML block inside the tag.
				b.WriteString(`="` + escapeAttr(a.v) + `"`)
			}
		}
		if tt == nethtml.SelfClosingTagToken {
			b.WriteString(" /")
		}
		b.WriteString(">")
	}
}

// rewriteSrcset replaces the URLs of a srcset list found in names.
func rewriteSrcset(v string, names map[string]string) (string, bool) {
	parts := strings.Split(v, ",")
	changed := false
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		if n, ok := names[f[0]]; ok {
			f[0], changed = n, true
			parts[i] = strings.Join(f, " ")
		}
	}
	if !changed {
		return v, false
	}
	return strings.Join(parts, ", "), true
}

// mdSpan is the destination of a Markdown image: body[start:end] is url.
type mdSpan struct {
	start, end int
	url        string
}

// markdownImages finds the destinations of the ![alt](url "title")
// images html-to-markdown writes, also inside links. A destination with a
// backslash escape is passed over: it is not the URL as written.
func markdownImages(s string) []mdSpan {
	var out []mdSpan
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "![")
		if j < 0 {
			break
		}
		k := i + j + 2
		i = k
		depth := 1
		for k < len(s) && depth > 0 {
			switch s[k] {
			case '\\':
				k++
			case '[':
				depth++
			case ']':
				depth--
			}
			k++
		}
		if depth != 0 || k >= len(s) || s[k] != '(' {
			continue
		}
		k++
		start, end := k, k
		if k < len(s) && s[k] == '<' {
			e := strings.IndexAny(s[k+1:], ">\n")
			if e < 0 || s[k+1+e] != '>' {
				continue
			}
			start, end = k+1, k+1+e
		} else {
			paren := 0
		scan:
			for end < len(s) {
				switch c := s[end]; {
				case c == ' ' || c == '\n' || c == '\t':
					break scan
				case c == '(':
					paren++
				case c == ')':
					if paren == 0 {
						break scan
					}
					paren--
				}
				end++
			}
		}
		u := s[start:end]
		if u != "" && !strings.Contains(u, `\`) {
			out = append(out, mdSpan{start, end, u})
		}
		i = end
	}
	return out
}

// Image file names.
const (
	maxImageStem = 60 // bytes of a file name before its suffix and extension
)

// windowsReserved are names Windows will not create, whatever the
// extension: a site moved there must still check out.
var windowsReserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true}

// ImageName returns the file name of an image in a bundle: the last
// segment of the URL's path, lowercased, with everything but ASCII
// letters, digits, '-' and '_' made '-', its extension replaced by ext
// (the sniffed type's: ".png", ".jpg", ".gif" or ".webp"), at most
// maxImageStem bytes before it; "image" when nothing is left. While
// taken reports the name (lowercased) used, "-2", "-3", … is added before
// the extension. The result is never empty, hidden, a path, or "..".
func ImageName(rawURL, ext string, taken func(string) bool) string {
	stem := ""
	if u, err := url.Parse(rawURL); err == nil {
		stem = path.Base(u.Path)
	}
	if dot := strings.LastIndexByte(stem, '.'); dot >= 0 {
		stem = stem[:dot]
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(stem) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
			dash = false
		default:
			if !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	stem = strings.Trim(b.String(), "-_")
	if len(stem) > maxImageStem {
		stem = strings.TrimRight(stem[:maxImageStem], "-_")
	}
	switch {
	case stem == "":
		stem = "image"
	case stem == "index" || windowsReserved[stem] || isWindowsDevice(stem):
		// index.* is the page of a bundle to Hugo.
		stem = "image-" + stem
	}
	ext = strings.ToLower(ext)
	if !rasterExt[ext] {
		ext = ".img"
	}
	name := stem + ext
	for n := 2; taken(name); n++ {
		name = stem + "-" + strconv.Itoa(n) + ext
	}
	return name
}

// isWindowsDevice reports com1…com9 and lpt1…lpt9.
func isWindowsDevice(s string) bool {
	return len(s) == 4 && (strings.HasPrefix(s, "com") || strings.HasPrefix(s, "lpt")) && s[3] >= '1' && s[3] <= '9'
}

// rasterExt are the extensions of the image types that are saved.
var rasterExt = map[string]bool{".png": true, ".jpg": true, ".gif": true, ".webp": true}

// RasterTypes maps the types http.DetectContentType sniffs to extensions;
// nothing else (SVG, HTML, text) is ever saved.
var RasterTypes = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
}

package body

// The renderers hugoPlugin registers, when its commonmark field is set,
// in place of html-to-markdown's commonmark renderers of lists, links and
// blockquotes.
//
// They exist for speed: in a CPU profile of BenchmarkConvertMarkdown
// (-benchtime 3x, 17.9 s of samples) commonmark's renderer took 3.11 s, of
// which lists 1.17 s, links 0.65 s and blockquotes 0.55 s, most of it in
// the library's textutils.TrimConsecutiveNewlines (rune by rune,
// appending byte by byte), TrimUnnecessaryHardLineBreaks, PrefixLines
// and, for links, the url.Parse of every href. They must write what
// commonmark of v2.5.2 writes, byte for byte, with the options
// newMarkdownConverter gives it (WithListEndComment(false), defaults
// otherwise): TestCommonmarkRenderersMatchLibrary and
// FuzzCommonmarkRenderersMatchLibrary compare. On upgrading the library,
// compare with its plugin/commonmark render_list.go, render_link.go and
// render_blockquote.go, and converter/url.go.

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
)

// renderCommonmark renders lists, links and blockquotes, and leaves every
// other node to the renderers after it.
func renderCommonmark(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type != html.ElementNode {
		return converter.RenderTryNext
	}
	switch n.Data {
	case "ul", "ol":
		return renderList(ctx, w, n)
	case "a":
		return renderLink(ctx, w, n)
	case "blockquote":
		return renderBlockquote(ctx, w, n)
	}
	return converter.RenderTryNext
}

// listItem is an item's Markdown: buf[start:end] of renderList's buffer,
// or own when unescaping made it longer (it never does now).
type listItem struct {
	start, end int
	own        []byte
}

// renderList is commonmark's renderListContainer: each child is rendered
// apart and trimmed, the empty ones dropped, and the others written one
// a line after their marker, their later lines indented by the marker's
// width. The items share one buffer. An li is rendered through its
// children: no renderer in use takes an li, so the library's fallback
// would render it, adding only newlines around a block, which the trim
// removes.
func renderList(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var buf bytes.Buffer
	var items []listItem
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		start := buf.Len()
		if c.Type == html.ElementNode && c.Data == "li" {
			ctx.RenderChildNodes(ctx, &buf, c)
		} else {
			ctx.RenderNodes(ctx, &buf, c)
		}
		rendered := buf.Bytes()[start:]
		content := bytes.TrimSpace(rendered)
		if content == nil {
			buf.Truncate(start)
			continue
		}
		content = trimNewlines(content) // in place, at the same start
		it := listItem{start: start + cap(rendered) - cap(content)}
		it.end = it.start + len(content)
		if bytes.IndexByte(content, marker.BytesMarkerEscaping[0]) >= 0 {
			if u := ctx.UnEscapeContent(content); len(u) <= len(content) {
				it.end = it.start + copy(content, u)
			} else {
				it.own = u
			}
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return converter.RenderSuccess
	}
	prefix := listPrefix(n, len(items))
	indent := strings.Repeat(" ", len(prefix(0)))
	w.WriteString("\n\n")
	b := buf.Bytes()
	for i, it := range items {
		w.WriteString(prefix(i))
		item := it.own
		if item == nil {
			item = b[it.start:it.end]
		}
		writeIndented(w, item, indent)
		if i < len(items)-1 {
			w.WriteByte('\n')
		}
	}
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// listPrefix is commonmark's getPrefixFunc: "- " for ul; for ol the
// number (start, or 1 when start is not an integer, plus the index),
// zero-padded to the width of the last one, and ". ". Every prefix is
// ASCII, so its width in runes is its length.
func listPrefix(n *html.Node, items int) func(int) string {
	if n.Data == "ul" {
		return func(int) string { return "- " }
	}
	startAt, err := strconv.Atoi(dom.GetAttributeOr(n, "start", "1"))
	if err != nil {
		startAt = 1
	}
	width := len(strconv.Itoa(startAt + items - 1))
	return func(i int) string {
		num := startAt + i
		if num < 0 {
			return fmt.Sprintf("%0"+strconv.Itoa(width)+"d. ", num)
		}
		s := strconv.Itoa(num)
		if len(s) < width {
			s = strings.Repeat("0", width-len(s)) + s
		}
		return s + ". "
	}
}

// writeIndented is commonmark's renderMultiLineListItem: item with
// indent after each newline and after each code block newline marker.
// The marker holds no newline, so this is the library's split into
// lines and replacement in each.
func writeIndented(w converter.Writer, item []byte, indent string) {
	m := marker.BytesMarkerCodeBlockNewline
	for {
		i := bytes.IndexByte(item, '\n')
		line := item
		if i >= 0 {
			line = item[:i]
		}
		for {
			j := bytes.Index(line, m)
			if j < 0 {
				break
			}
			w.Write(line[:j+len(m)])
			w.WriteString(indent)
			line = line[j+len(m):]
		}
		w.Write(line)
		if i < 0 {
			return
		}
		w.WriteByte('\n')
		w.WriteString(indent)
		item = item[i+1:]
	}
}

// renderBlockquote is commonmark's: the children, trimmed, each line
// after "> ", between blank lines; nothing when they are blank.
func renderBlockquote(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	content := bytes.TrimSpace(buf.Bytes())
	if content == nil {
		return converter.RenderSuccess
	}
	content = trimNewlines(content)
	w.WriteString("\n\n> ")
	for {
		i := bytes.IndexByte(content, '\n')
		if i < 0 {
			break
		}
		w.Write(content[:i+1])
		w.WriteString("> ")
		content = content[i+1:]
	}
	w.Write(content)
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// renderLink is commonmark's renderLink with its default options (a link
// is written inline even when its href or its text is empty): the
// children, rendered inside the link, with the spaces around them moved
// outside the brackets, runs of newlines trimmed (without the hard line
// break step) and each line break kept inside the link
// (escapeMultiLine); the href as the library assembles it (linkHref);
// the title, with newlines as spaces, quoted, when there is an href.
func renderLink(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	ctx = ctx.WithValue("is_inside_link", true)
	href := linkHref(ctx, strings.TrimSpace(dom.GetAttributeOr(n, "href", "")))
	title := strings.ReplaceAll(dom.GetAttributeOr(n, "title", ""), "\n", " ")
	if href == "" {
		title = ""
	}
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	content := buf.Bytes()
	right := bytes.TrimRightFunc(content, unicode.IsSpace)
	trimmed := bytes.TrimLeftFunc(right, unicode.IsSpace)
	before, after := content[:len(right)-len(trimmed)], content[len(right):]
	trimmed = escapeMultiLine(trimNewlinesOnly(trimmed))

	w.Write(before)
	w.WriteByte('[')
	w.Write(trimmed)
	w.WriteString("](")
	w.WriteString(href)
	if title != "" {
		w.WriteByte(' ')
		writeQuoted(w, title)
	}
	w.WriteByte(')')
	w.Write(after)
	return converter.RenderSuccess
}

// writeQuoted is the library's textutils.SurroundByQuotes of a title
// that is not empty: in double quotes, or single ones when it holds a
// double quote and no single one; with both, each double quote escaped.
func writeQuoted(w converter.Writer, title string) {
	double, single := strings.Contains(title, `"`), strings.Contains(title, "'")
	switch {
	case double && single:
		title = `"` + strings.ReplaceAll(title, `"`, `\"`) + `"`
	case double:
		title = "'" + title + "'"
	default:
		title = `"` + title + `"`
	}
	w.WriteString(title)
}

// escapeMultiLine is the library's textutils.EscapeMultiLine: each line of
// a link's text loses its leading spaces and ends in a hard line break
// ("  \n"), a blank line becomes "\\\n", so that the link goes on.
func escapeMultiLine(content []byte) []byte {
	if bytes.IndexByte(content, '\n') < 0 {
		return content
	}
	parts := bytes.Split(content, []byte{'\n'})
	out := make([]byte, 0, len(content))
	for i, part := range parts {
		part = bytes.TrimLeftFunc(part, unicode.IsSpace)
		switch {
		case len(part) == 0:
			out = append(out, '\\', '\n')
		case i == len(parts)-1:
			out = append(out, part...)
		case bytes.HasSuffix(part, []byte("  ")):
			out = append(append(out, part...), '\n')
		default:
			out = append(append(out, part...), ' ', ' ', '\n')
		}
	}
	return out
}

// linkHref is what the library's AssembleAbsoluteURL makes of a trimmed
// href. With no domain (newMarkdownConverter is given none; see
// Markdown) it parses the href with url.Parse and writes it back with
// URL.String, its query re-encoded, and some characters (space, [ ] ( )
// < >) percent-encoded; on an href that plainHref accepts, all of that
// changes nothing, so it is returned as it is without a parse.
func linkHref(ctx converter.Context, href string) string {
	if plainHref(href) && converter.GetDomain(ctx) == "" {
		return href
	}
	return ctx.AssembleAbsoluteURL(ctx, "a", href)
}

// plainHref reports whether href is empty, "#" or a fragment, or an http
// or https URL with a host of ASCII letters, digits, dots and hyphens and
// no query, whose path and fragment hold only characters that URL.String
// writes as they are (hrefChar) and percent escapes: such an href is
// written back unchanged (FuzzPlainHref). A fragment must not be empty
// ("x#" loses its #).
func plainHref(href string) bool {
	rest := href
	switch {
	case href == "" || href == "#":
		return true
	case strings.HasPrefix(href, "http://"):
		rest = href[len("http://"):]
	case strings.HasPrefix(href, "https://"):
		rest = href[len("https://"):]
	}
	if len(rest) != len(href) {
		host := 0
		for host < len(rest) && (rest[host] == '.' || rest[host] == '-' || isAlnum(rest[host])) {
			host++
		}
		if host == 0 || host < len(rest) && rest[host] != '/' && rest[host] != '#' {
			return false
		}
		rest = rest[host:]
	} else if href[0] != '#' {
		return false
	}
	hash := false
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case hrefChar[c]:
		case c == '#' && !hash && i < len(rest)-1:
			hash = true
		case c == '%' && i+2 < len(rest) && IsHex(rest[i+1]) && IsHex(rest[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

// hrefChar are the characters that url.Parse and URL.String keep as they
// are in a path and in a fragment, and that the library does not
// percent-encode: the unreserved ones and "/:@!$&'*+,;=".
var hrefChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isAlnum(byte(c))
	}
	for _, c := range "-._~/:@!$&'*+,;=" {
		t[c] = true
	}
	return t
}()

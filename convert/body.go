package convert

import (
	"strings"

	"github.com/mmcdole/gofeed"
)

// Body modes.
const (
	BodyHTML     = "html"     // the item's HTML, sanitized unless Raw
	BodyMarkdown = "markdown" // CommonMark converted from the sanitized HTML
)

// body runs the body stage: the item's content, else its description,
// trimmed; sanitized (unless Raw) with relative URLs made absolute against
// the item's link, by the tokenizer pass for HTML bodies, or as a parsed
// tree that is then converted for Markdown ones (markdown); Hugo shortcode
// delimiters escaped. The final newline is the renderer's. An item with
// no body gives "". It also returns the src of the body's first <img>, the
// image step's last resort.
func (c *Converter) body(it *gofeed.Item, link string) (body, firstImg string, err error) {
	s := strings.TrimSpace(it.Content)
	if s == "" {
		s = strings.TrimSpace(it.Description)
	}
	if s == "" {
		return "", "", nil
	}
	if c.opts.Body == BodyMarkdown {
		s, firstImg, err = c.markdown(s, link, !c.opts.Raw)
		if err != nil {
			return "", firstImg, err
		}
	} else {
		s, firstImg = filterHTML(s, link, !c.opts.Raw)
	}
	s = strings.TrimSpace(EscapeShortcodes(s, c.opts.Body == BodyMarkdown))
	if s == "" {
		return "", firstImg, nil
	}
	return s, firstImg, nil
}

// EscapeShortcodes escapes Hugo shortcode delimiters the way Hugo documents
// it: "{{< x >}}" becomes "{{</* x */>}}" and "{{% x %}}" becomes
// "{{%/* x */%}}", so that Hugo prints them instead of running them. A
// delimiter already escaped is left alone. An opening delimiter with no
// closing one is broken apart instead (with an HTML entity, or a Markdown
// backslash escape when markdown is true), since an unclosed comment would
// break the build as surely as an unclosed shortcode.
func EscapeShortcodes(s string, markdown bool) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "}}") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		rest := s[i:]
		var closer string
		switch {
		case strings.HasPrefix(rest, "{{<"):
			closer = ">}}"
		case strings.HasPrefix(rest, "{{%"):
			closer = "%}}"
		}
		if closer == "" {
			if strings.HasPrefix(rest, ">}}") || strings.HasPrefix(rest, "%}}") {
				// A closing delimiter with no opening one is harmless to Hugo.
				b.WriteString(rest[:3])
				i += 3
				continue
			}
			b.WriteByte(s[i])
			i++
			continue
		}
		opener := rest[:3]
		inner := rest[3:]
		if strings.HasPrefix(inner, "/*") {
			// Already escaped: copy through the escaped closer.
			if end := strings.Index(inner, "*/"+closer); end >= 0 {
				b.WriteString(rest[:3+end+2+len(closer)])
				i += 3 + end + 2 + len(closer)
				continue
			}
		}
		end := strings.Index(inner, closer)
		if end < 0 || strings.Contains(inner[:end], "{{<") || strings.Contains(inner[:end], "{{%") {
			// Unclosed (or interrupted by another opener): break it apart.
			if markdown {
				b.WriteString(`\{\{`)
			} else {
				b.WriteString("&#123;&#123;")
			}
			b.WriteByte(opener[2])
			i += 3
			continue
		}
		b.WriteString(opener)
		b.WriteString("/*")
		b.WriteString(inner[:end])
		b.WriteString("*/")
		b.WriteString(closer)
		i += 3 + end + 3
	}
	return b.String()
}

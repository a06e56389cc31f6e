package body

// The renderers hugoPlugin registers: elements whose Markdown
// html-to-markdown's commonmark plugin writes in a way Hugo reads
// otherwise (a heading's id, inline code).

import (
	"bytes"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
)

// renderHeadingID writes a heading that has an id as commonmark's ATX
// heading followed by Hugo's heading attribute, {#id}, so that the
// Make's in-page links (#id, kept as fragments) still land on it: Hugo
// would otherwise give the heading an id made from its text. Only an
// id of ASCII letters, digits, '-' and '_' starting with a letter is
// written (nothing an attribute list could read otherwise); other
// headings are left to commonmark.
func renderHeadingID(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	id := ""
	for _, a := range n.Attr {
		if a.Key == "id" && a.Namespace == "" {
			id = a.Val
		}
	}
	if !headingIDOK(id) {
		return converter.RenderTryNext
	}
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	content := strings.Join(strings.Fields(buf.String()), " ")
	if content == "" {
		return converter.RenderTryNext
	}
	// A '#' at the end would be a closing sequence once the attribute is
	// read: it is escaped, as commonmark does (forcing the escape marker
	// before it, or writing one).
	switch {
	case !strings.HasSuffix(content, "#") || strings.HasSuffix(content, `\#`):
	case strings.HasSuffix(content, string(marker.MarkerEscaping)+"#"):
		content = content[:len(content)-2] + `\#`
	default:
		content = content[:len(content)-1] + `\#`
	}
	w.WriteString("\n\n")
	w.WriteString(strings.Repeat("#", int(n.Data[1]-'0')))
	w.WriteString(" " + content + " {#" + id + "}\n\n")
	return converter.RenderSuccess
}

// headingIDOK reports whether id may be written as {#id}: 1 to 100 ASCII
// letters, digits, '-' and '_', the first a letter.
func headingIDOK(id string) bool {
	if id == "" || len(id) > 100 || !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= 'A' && id[0] <= 'Z') {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// renderInlineCode writes the inline code that commonmark's renderer
// would get wrong, as that renderer does otherwise:
//   - inside a table cell, each | is marked for escaping, which the table
//     plugin then writes as \|;
//   - code that starts or ends with a backtick gets a space at both ends,
//     which CommonMark strips (one at one end only would show);
//   - white space at either end of the code, which the library trims, is
//     written outside it.
func renderInlineCode(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type != html.ElementNode || n.Data != "code" || n.Parent != nil && n.Parent.Type == html.ElementNode && n.Parent.Data == "pre" {
		return converter.RenderTryNext
	}
	raw := nodeText(n)
	cell := strings.Contains(raw, "|") && inTableCell(n)
	code := strings.Join(strings.Fields(raw), " ")
	tick := strings.HasPrefix(code, "`") || strings.HasSuffix(code, "`")
	lead := code != "" && raw[0] != code[0]
	trail := code != "" && raw[len(raw)-1] != code[len(code)-1]
	if code == "" || !cell && !tick && !lead && !trail {
		return converter.RenderTryNext
	}
	if lead {
		// Space at the edge of code would be trimmed: it goes outside.
		w.WriteByte(' ')
	}
	if trail {
		defer w.WriteByte(' ')
	}
	longest, run := 0, 0
	for i := 0; i < len(code); i++ {
		if code[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if tick {
		code = " " + code + " "
	}
	if cell {
		code = strings.ReplaceAll(code, "|", string(marker.MarkerEscaping)+"|")
	}
	w.WriteString(fence)
	w.WriteString(code)
	w.WriteString(fence)
	return converter.RenderSuccess
}

// inTableCell reports whether n is inside a td or th, and not inside pre.
func inTableCell(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.Data {
		case "pre":
			return false
		case "td", "th":
			return true
		}
	}
	return false
}

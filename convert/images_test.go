package convert

import (
	"strings"
	"testing"
)

// Rewriting a body's image references keeps it one HTML block: a line
// break in an attribute stays a reference, so Markdown after it is never
// read (it would make a live link of the text below under unsafe = true).
func TestRewriteImagesStaysOneBlock(t *testing.T) {
	c := newTestConverter(t, t.TempDir(), nil)
	for _, in := range []string{
		"<p>Hi <img src=\"https://evil.example/x.png\" alt=\"a\n\nb\"> [click me](javascript:alert(document.domain)) bye</p>",
		"<p>Hi <img src=\"https://evil.example/x.png\" title=\"a\r\r\r\rb\"> [click me](javascript:alert(1)) bye</p>",
		"<img srcset=\"https://evil.example/x.png 1x\" alt=\"\n\n\"> [x](javascript:y)",
	} {
		body := written(t, c, in)
		out := rewriteImages(body, false, map[string]string{"https://evil.example/x.png": "x.png"})
		if !strings.Contains(out, `"x.png`) {
			t.Errorf("not rewritten: %q", out)
		}
		page := hugoRender(t, hugoMarkdown(true), out)
		if strings.TrimSpace(page) != strings.TrimSpace(out) {
			t.Errorf("%q\nrewritten %q\nis not passed through whole: %q", in, out, page)
		}
		if found := liveScript(t, page); len(found) > 0 {
			t.Errorf("%q\nrewritten %q\nrendered %q\nholds %v", in, out, page, found)
		}
	}
}

package body

import (
	"feed2md/convert/body/bodytest"
	"reflect"
	"strings"
	"testing"
)

// Rewriting a body's image references keeps it one HTML block: a line
// break in an attribute stays a reference, so Markdown after it is never
// read (it would make a live link of the text below under unsafe = true).
func TestRewriteImagesStaysOneBlock(t *testing.T) {
	c := NewMaker(false, false, 1)
	for _, in := range []string{
		"<p>Hi <img src=\"https://evil.example/x.png\" alt=\"a\n\nb\"> [click me](javascript:alert(document.domain)) bye</p>",
		"<p>Hi <img src=\"https://evil.example/x.png\" title=\"a\r\r\r\rb\"> [click me](javascript:alert(1)) bye</p>",
		"<img srcset=\"https://evil.example/x.png 1x\" alt=\"\n\n\"> [x](javascript:y)",
	} {
		body := written(t, c, in)
		out := RewriteImages(body, false, map[string]string{"https://evil.example/x.png": "x.png"})
		if !strings.Contains(out, `"x.png`) {
			t.Errorf("not rewritten: %q", out)
		}
		page := bodytest.HugoRender(t, bodytest.HugoMarkdown(true), out)
		if strings.TrimSpace(page) != strings.TrimSpace(out) {
			t.Errorf("%q\nrewritten %q\nis not passed through whole: %q", in, out, page)
		}
		if found := bodytest.LiveScript(t, page); len(found) > 0 {
			t.Errorf("%q\nrewritten %q\nrendered %q\nholds %v", in, out, page, found)
		}
	}
}

func TestImageName(t *testing.T) {
	none := func(string) bool { return false }
	cases := []struct{ url, ext, want string }{
		{"https://example.com/wp-content/uploads/2019/01/Photo%20One.JPG", ".jpg", "photo-one.jpg"},
		{"https://example.com/a/b/diagram.svg.png?w=300", ".png", "diagram-svg.png"},
		{"https://example.com/image", ".gif", "image.gif"},
		{"https://example.com/", ".png", "image.png"},
		{"https://example.com/..", ".png", "image.png"},
		{"https://example.com/.htaccess", ".png", "image.png"},
		{"https://example.com/%2e%2e%2fetc%2fpasswd", ".png", "passwd.png"},
		{"https://example.com/a%5c..%5cb.png", ".png", "a-b.png"},
		{"https://example.com/index.jpg", ".jpg", "image-index.jpg"},
		{"https://example.com/CON.png", ".png", "image-con.png"},
		{"https://example.com/lpt1.gif", ".gif", "image-lpt1.gif"},
		{"https://example.com/Ünïcødé.webp", ".webp", "n-c-d.webp"},
		{"https://example.com/___.png", ".png", "image.png"},
		{"https://example.com/photo.jpg", ".exe", "photo.img"},
		{"https://example.com/" + strings.Repeat("ab-", 40) + ".png", ".png", strings.TrimSuffix(strings.Repeat("ab-", 20), "-") + ".png"},
	}
	for _, c := range cases {
		if got := ImageName(c.url, c.ext, none); got != c.want {
			t.Errorf("ImageName(%q, %q) = %q, want %q", c.url, c.ext, got, c.want)
		}
	}
	taken := map[string]bool{"photo.jpg": true, "photo-2.jpg": true}
	if got := ImageName("https://x.org/Photo.jpg", ".jpg", func(n string) bool { return taken[n] }); got != "photo-3.jpg" {
		t.Errorf("a taken name gave %q, want photo-3.jpg", got)
	}
}

func TestImageRefsAndRewrite(t *testing.T) {
	body := `<p><IMG SRC="https://a.org/x.png" alt="x"> <img src="data:image/png;base64,AAAA"></p>` +
		`<picture><source srcset="https://a.org/y.webp 1x, https://a.org/y2.webp 2x"><img src="https://a.org/x.png"></picture>` +
		`<video poster="https://a.org/p.gif" src="https://a.org/v.mp4"><source src="https://a.org/v.webm"></video>` +
		`<a href="https://a.org/x.png">link, not image</a>`
	refs := ImageRefs(body, false)
	want := []string{"https://a.org/x.png", "https://a.org/y.webp", "https://a.org/y2.webp", "https://a.org/p.gif"}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("imageRefs = %q, want %q", refs, want)
	}
	got := RewriteImages(body, false, map[string]string{"https://a.org/x.png": "x.png", "https://a.org/y2.webp": "y2.webp", "https://a.org/p.gif": "p&q.gif"})
	wantBody := `<p><img src="x.png" alt="x"> <img src="data:image/png;base64,AAAA"></p>` +
		`<picture><source srcset="https://a.org/y.webp 1x, y2.webp 2x"><img src="x.png"></picture>` +
		`<video poster="p&amp;q.gif" src="https://a.org/v.mp4"><source src="https://a.org/v.webm"></video>` +
		`<a href="https://a.org/x.png">link, not image</a>`
	if got != wantBody {
		t.Errorf("rewriteImages:\n got %s\nwant %s", got, wantBody)
	}

	md := "![A [nested] alt](https://a.org/x.png \"title\")\n\n[![](https://a.org/y.png)](https://a.org/page)\n\n![x](<https://a.org/s p.png>) ![e](https://a.org/\\(x\\).png) ![p](https://a.org/w_(1).png)"
	refs = ImageRefs(md, true)
	want = []string{"https://a.org/x.png", "https://a.org/y.png", "https://a.org/s p.png", "https://a.org/w_(1).png"}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("Markdown imageRefs = %q, want %q", refs, want)
	}
	got = RewriteImages(md, true, map[string]string{"https://a.org/x.png": "x.png", "https://a.org/y.png": "y.png", "https://a.org/s p.png": "s-p.png", "https://a.org/w_(1).png": "w-1.png"})
	wantMD := "![A [nested] alt](x.png \"title\")\n\n[![](y.png)](https://a.org/page)\n\n![x](<s-p.png>) ![e](https://a.org/\\(x\\).png) ![p](w-1.png)"
	if got != wantMD {
		t.Errorf("Markdown rewriteImages:\n got %s\nwant %s", got, wantMD)
	}
}

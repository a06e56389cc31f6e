package convert

import (
	"feed2md/convert/frontmatter/frontmattertest"
	"strings"
	"testing"
)

// TestCRLFFeedGivesLF converts a feed written with CR LF line breaks (its
// bodies in CDATA, one large enough to be stashed past the XML parser,
// which would have made them LF) in each body mode: no file holds a CR.
func TestCRLFFeedGivesLF(t *testing.T) {
	long := strings.Repeat("<p>A paragraph of the long body.</p>\r\n\r\n", 20) + "<pre>a\r\n\r\nb\rc</pre>"
	feed := strings.ReplaceAll(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>CRLF</title><link>https://crlf.example.com/</link>
<item><title>Long</title><link>https://crlf.example.com/1</link><description><![CDATA[`+long+`]]></description></item>
<item><title>Short</title><link>https://crlf.example.com/2</link><description><![CDATA[<p>one</p>

<p>two</p>]]></description></item>
</channel></rss>
`, "\n", "\r\n")
	for _, mode := range []string{BodyHTML, BodyMarkdown} {
		dir := t.TempDir()
		res := convertBytes(t, dir, feed, func(o *Options) { o.Body = mode })
		if res.Err != nil || res.New != 2 {
			t.Fatalf("%s: %+v", mode, res)
		}
		for name, data := range readDir(t, dir) {
			if strings.Contains(string(data), "\r") {
				t.Errorf("%s: %s holds CR: %q", mode, name, data)
			}
			if _, body := frontmattertest.FrontMatter(t, data); !strings.Contains(body, "two") && !strings.Contains(body, "long body") {
				t.Errorf("%s: %s lost its body: %q", mode, name, body)
			}
		}
	}
}

package fulltext

import (
	"feed2md/convert/body/bodytest"
	"feed2md/convert/fulltext/fulltexttest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FuzzFromPage: any page, in less than 10 s, gives either an error or an
// article of at least minWords words that parses, and whose links and
// images are absolute (or fragments, or the sanitizer's to judge: any
// scheme but a relative path).
func FuzzFromPage(f *testing.F) {
	for i, v := range bodytest.HostileVectors(f) {
		f.Add(fulltexttest.Page(i, "Hostile", strings.Repeat("<p>"+strings.Repeat("words of a page ", 10)+"</p>", 3)+v), "text/html")
	}
	f.Add(fulltexttest.Page(0, "Code", "<pre>a\n\ue000b\tc</pre><p>"+strings.Repeat("text ", 40)+"</p>"), "")
	f.Add("<base href=\"javascript:alert(1)\"><p>"+strings.Repeat("relative <a href=x>y</a> ", 30)+"</p>", "text/html; charset=shift_jis")
	f.Add(strings.Repeat("<div>", 5000)+strings.Repeat("deep ", 50), "")
	f.Add("\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "")
	f.Fuzz(func(t *testing.T, page, ctype string) {
		type r struct {
			got string
			err error
		}
		done := make(chan r, 1)
		go func() {
			g, e := fromPage([]byte(page), ctype, "https://news.example/dir/page.html")
			done <- r{g, e}
		}()
		var got string
		var err error
		select {
		case x := <-done:
			got, err = x.got, x.err
		case <-time.After(10 * time.Second):
			t.Fatalf("a page of %d bytes took more than 10 s", len(page))
		}
		if err != nil {
			return
		}
		if Words(got) < minWords {
			t.Errorf("an article of %d words", Words(got))
		}
		nodes, err := html.ParseFragment(strings.NewReader(got), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		if err != nil {
			t.Fatal(err)
		}
		var check func(n *html.Node)
		check = func(n *html.Node) {
			if n.Type == html.ElementNode {
				for _, a := range n.Attr {
					if (a.Key == "href" || a.Key == "src") && relativePath(a.Val) {
						t.Errorf("<%s %s=%q> is relative", n.Data, a.Key, a.Val)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				check(c)
			}
		}
		for _, n := range nodes {
			check(n)
		}
	})
}

// relativePath reports a URL that is a path without a scheme or host (a
// fragment alone is fine: it points into the page).
func relativePath(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "//") {
		return false
	}
	i := strings.IndexAny(v, ":/?#")
	return i < 0 || v[i] != ':'
}

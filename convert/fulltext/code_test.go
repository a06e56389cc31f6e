package fulltext

import (
	"feed2md/convert/fulltext/fulltexttest"
	"html"
	"strings"
	"testing"
)

// TestFromPageKeepsCode: code blocks keep their lines and indentation,
// and come out as <pre><code>; inline code stays inline.
func TestFromPageKeepsCode(t *testing.T) {
	code := "func main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(i)\n\t}\n}"
	plain := "first line\n    indented four\nlast"
	article := `<p>Here is how to count to three in Go, with a loop that prints each number on its own line, as every tutorial starts.</p>
<pre><code class="language-go">` + code + `</code></pre>
<p>The same idea without a language, as many blogs write it with <code>pre</code> alone, keeps its layout as well when it is read back.</p>
<pre>` + plain + `</pre>
<p>That is all there is to it; the rest of the program is left to the reader, who will find it easy enough to finish.</p>`
	for l := range fulltexttest.Layouts {
		got, err := fromPage([]byte(fulltexttest.Page(l, "Counting", article)), "text/html", "https://blog.example/count")
		if err != nil {
			t.Fatalf("layout %d: %v", l, err)
		}
		for _, want := range []string{"<pre><code>" + html.EscapeString(code) + "</code></pre>", "<pre>" + plain + "</pre>", "<code>pre</code> alone"} {
			if !strings.Contains(got, want) && !strings.Contains(got, strings.Replace(want, "<pre>", "<pre><code>", 1)) {
				t.Errorf("layout %d: no %q in\n%s", l, want, got)
			}
		}
	}
}

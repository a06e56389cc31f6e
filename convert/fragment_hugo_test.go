package convert

import (
	"feed2md/convert/body"
	"feed2md/convert/body/bodytest"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// TestHeadingIDsRendered renders Markdown bodies with Hugo's Goldmark
// (attributes on, as Hugo has them by default) and with the real Hugo: a
// heading keeps the feed's id, which the body's in-page link names, and a
// heading whose text looks like attributes gets no attribute from it.
func TestHeadingIDsRendered(t *testing.T) {
	in := `<h2 id="further_reading">Further Reading</h2><p><a href="#further_reading">up</a></p>` +
		`<h2 id="s">T {.c style=color:red}</h2><h3 id="c-sharp">C #</h3>`
	md, _, err := body.NewMaker(true, false, 1).Make(&gofeed.Item{Content: in}, bodytest.Base)
	if err != nil {
		t.Fatal(err)
	}
	check := func(how, page string) {
		t.Helper()
		for _, want := range []string{`<h2 id="further_reading">Further Reading</h2>`, `href="#further_reading"`, `<h2 id="s">T {.c style=color:red}</h2>`, `<h3 id="c-sharp">C #</h3>`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: %q lacks %s", how, page, want)
			}
		}
	}
	check("Goldmark", bodytest.HugoRender(t, bodytest.HugoMarkdown(false), md))
	check("Hugo", hugoPages(t, []string{in}, BodyMarkdown)[0])
}

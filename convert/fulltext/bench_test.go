package fulltext

import (
	"feed2md/convert/fulltext/fulltexttest"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkFromPage extracts the article of pages of every layout around
// the testdata articles (about 10 KB of HTML each), and of heavy pages
// (an article among 400 KB of menus, headlines and comments, as news
// sites are), reporting milliseconds a page and the HTML read per
// second.
func BenchmarkFromPage(b *testing.B) {
	var light, heavy [][]byte
	for i, a := range articles(b) {
		light = append(light, []byte(fulltexttest.Page(i, "Article", a)))
		var chrome strings.Builder
		for j := range 800 {
			fmt.Fprintf(&chrome, `<li><a href="/story/%d">Another headline about the day's news, number %d</a> <span>2 hours ago</span></li>`, j, j)
		}
		for j := range 300 {
			fmt.Fprintf(&chrome, `<div class="comment"><p class="who">reader%d wrote:</p><p>I have an opinion on this, and it is mine, number %d.</p></div>`, j, j)
		}
		heavy = append(heavy, []byte(fulltexttest.Page(i, "Article", a+"</div><ul class=more>"+chrome.String()+"</ul><div>")))
	}
	for _, set := range []struct {
		name  string
		pages [][]byte
	}{{"light", light}, {"heavy", heavy}} {
		b.Run(set.name, func(b *testing.B) {
			size := 0
			for _, p := range set.pages {
				size += len(p)
			}
			b.SetBytes(int64(size / len(set.pages)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := fromPage(set.pages[i%len(set.pages)], "text/html; charset=utf-8", "https://news.example/a"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
		})
	}
}

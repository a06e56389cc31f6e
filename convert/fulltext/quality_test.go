package fulltext

import (
	"feed2md/convert/body/bodytest"
	"feed2md/convert/fulltext/fulltexttest"
	"fmt"
	"testing"
)

// articles returns the testdata bodies long enough to be articles (150
// words or more), the pages of the quality tests.
func articles(t testing.TB) []string {
	var out []string
	for _, b := range bodytest.TestdataBodies(t) {
		if Words(b) >= 150 {
			out = append(out, b)
		}
	}
	if len(out) < 8 {
		t.Fatalf("only %d testdata bodies of 150 words or more", len(out))
	}
	return out
}

// TestExtractionQuality extracts the articles of the testdata feeds from
// pages of every layout (fulltexttest.Page) and scores the text with the
// article-extraction benchmark's shingle F1: at least 0.95, the goal
// -fulltext was built to, over all of them and over the layouts of
// today's sites alone.
func TestExtractionQuality(t *testing.T) {
	var truth, pred []string
	var modern [2][]string // the truths and predictions of layouts 0 to 2
	for i, a := range articles(t) {
		for l := range fulltexttest.Layouts {
			title := fmt.Sprintf("Article %d", i)
			got, err := fromPage([]byte(fulltexttest.Page(l, title, a)), "text/html; charset=utf-8", "https://news.example/2026/article")
			if err != nil {
				t.Errorf("article %d, layout %d: %v", i, l, err)
			}
			truth, pred = append(truth, fulltexttest.Text(a)), append(pred, fulltexttest.Text(got))
			if l < 3 {
				modern[0], modern[1] = append(modern[0], truth[len(truth)-1]), append(modern[1], pred[len(pred)-1])
			}
			if p, r, f := fulltexttest.ShingleF1(truth[len(truth)-1:], pred[len(pred)-1:]); f < 0.9 {
				t.Logf("article %d, layout %d: precision %.3f recall %.3f F1 %.3f", i, l, p, r, f)
			}
		}
	}
	p, r, f := fulltexttest.ShingleF1(truth, pred)
	t.Logf("%d pages: precision %.3f, recall %.3f, F1 %.3f", len(truth), p, r, f)
	if f < 0.95 {
		t.Errorf("F1 %.3f, want at least 0.95", f)
	}
	p, r, f = fulltexttest.ShingleF1(modern[0], modern[1])
	t.Logf("%d pages of layouts 0 to 2: precision %.3f, recall %.3f, F1 %.3f", len(modern[0]), p, r, f)
	if f < 0.95 {
		t.Errorf("layouts 0 to 2: F1 %.3f, want at least 0.95", f)
	}
}

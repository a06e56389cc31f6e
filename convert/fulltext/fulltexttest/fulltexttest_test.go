package fulltexttest

import (
	"math"
	"strings"
	"testing"
)

// TestShingleF1 checks the scoring on cases worked out by hand with
// evaluate.py's rules.
func TestShingleF1(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, c := range []struct {
		name        string
		truth, pred []string
		p, r, f     float64
	}{
		{"same", []string{"a b c d e"}, []string{"a, b. c d e"}, 1, 1, 1},
		// abcd bcde against abcd bcdx: tp 1, fp 1, fn 1 (each 1/3).
		{"one shingle off", []string{"a b c d e"}, []string{"a b c d x"}, 0.5, 0.5, 0.5},
		// Nothing predicted: the page counts for recall (0) only.
		{"with an empty prediction", []string{"a b c d e", "one two three four"}, []string{"a b c d x", ""}, 0.5, 0.25, 2 * 0.5 * 0.25 / 0.75},
		// Short texts are one shingle of all their words.
		{"short", []string{"two words"}, []string{"two words extra"}, 0, 0, 0},
		// Repeats count: the second copy is a false positive.
		{"repeated", []string{"a b c d"}, []string{"a b c d a b c d"}, 1.0 / 5, 1, 2 * 0.2 / 1.2},
	} {
		p, r, f := ShingleF1(c.truth, c.pred)
		if !near(p, c.p) || !near(r, c.r) || !near(f, c.f) {
			t.Errorf("%s: precision %.4f recall %.4f F1 %.4f, want %.4f %.4f %.4f", c.name, p, r, f, c.p, c.r, c.f)
		}
	}
}

// TestPageHoldsArticle checks that every layout holds the article once,
// and boilerplate whose words the article does not share.
func TestPageHoldsArticle(t *testing.T) {
	article := "<p>The quick brown fox jumps over the lazy dog near the quiet river bank.</p>"
	for l := range Layouts {
		page := Page(l, "A Fox Story", article)
		if strings.Count(page, article) != 1 {
			t.Errorf("layout %d holds the article %d times", l, strings.Count(page, article))
		}
		for _, chrome := range []string{"Most popular", "Accept all cookies", "grumpy_reader", "All rights reserved", "Share on Twitter"} {
			if !strings.Contains(page, chrome) {
				t.Errorf("layout %d has no %q", l, chrome)
			}
		}
	}
	if got := Excerpt(article, 4); got != "The quick brown fox […]" {
		t.Errorf("Excerpt = %q", got)
	}
}

package fulltext

import (
	"strings"
	"testing"
)

// TestWordsCJK: Chinese and Japanese put no space between words: each
// character counts, so that an article of some hundred characters is an
// article (minWords), not "no article found".
func TestWordsCJK(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"<p>Hello, world: it's 2026.</p>", 5},
		{"<p>今天天气很好。</p>", 6},
		{"<p>ひらがなとカタカナ</p>", 9},
		{"<p>한국어 문장</p>", 2}, // Korean spaces its words
		{"<p>Go言語</p>", 3},
	} {
		if got := Words(c.in); got != c.want {
			t.Errorf("Words(%q) = %d, want %d", c.in, got, c.want)
		}
	}
	sentence := "今天我们讨论一个关于软件工程的重要问题，这个问题涉及到代码的质量和可维护性。"
	page := "<html><head><title>标题</title></head><body><nav>首页 关于</nav><article><h1>标题</h1><p>" +
		strings.Repeat(sentence, 4) + "</p><p>" + strings.Repeat(sentence, 3) + "</p></article></body></html>"
	a, err := fromPage([]byte(page), "text/html; charset=utf-8", "https://x.example/a")
	if err != nil || !strings.Contains(a, sentence) {
		t.Errorf("a Chinese article of %d characters: %v", len([]rune(page)), err)
	}
}

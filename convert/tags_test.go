package convert

import (
	"strings"
	"testing"
)

// TestTagsFormatExamples checks every example of FORMAT.md, which states
// the expected tags.
func TestTagsFormatExamples(t *testing.T) {
	stop := DefaultStopwords()
	cases := []struct{ title, want string }{
		{"Witkoff and Kushner scheduled to meet Putin in Moscow", "scheduled, witkoff, kushner, moscow, putin"},
		{`Trump says "we are relatively close" to a Ukraine deal: What's next?`, "relatively, ukraine, trump, close, deal"},
		{"C++ & Go: 10 tips for 2026", "tips, go"},
		{"OpenAI releases new AI model", "releases, openai, model, ai"},
		{"Путин встретился с Уиткоффом", "встретился, уиткоффом, путин"},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			got := strings.Join(Tags(c.title, stop, 5), ", ")
			if got != c.want {
				t.Errorf("Tags(%q) = %q, want %q", c.title, got, c.want)
			}
		})
	}
}

func TestTagsRules(t *testing.T) {
	stop := DefaultStopwords()
	cases := []struct {
		name, title string
		max         int
		want        string
	}{
		{"splits U.S. and Trump's", "U.S. envoy Trump's plan", 5, "envoy, trump, plan"},
		{"drops repeats keeping the first", "Go go GO gophers", 5, "gophers, go"},
		{"stable among equals", "bb aa cc", 5, "bb, aa, cc"},
		{"all digits dropped, mixed kept", "2026 h264 4k", 5, "h264, 4k"},
		{"limit", "alpha bravo charlie delta echo foxtrot", 2, "charlie, foxtrot"},
		{"zero", "alpha bravo", 0, ""},
		{"CJK runs are one word", "中文标题 测试", 5, "中文标题, 测试"},
		{"emoji only", "🎉🎉", 5, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(Tags(c.title, stop, c.max), ", "); got != c.want {
				t.Errorf("Tags(%q, %d) = %q, want %q", c.title, c.max, got, c.want)
			}
		})
	}
}

func TestStopwordsRead(t *testing.T) {
	s := Stopwords{}
	if err := s.Read(strings.NewReader("# comment\n\nFoo\nbar\n")); err != nil {
		t.Fatal(err)
	}
	if !s["foo"] || !s["bar"] || len(s) != 2 {
		t.Errorf("got %v", s)
	}
	if err := s.Read(strings.NewReader("two words\n")); err == nil {
		t.Error("a line of two words was accepted")
	}
	if d := DefaultStopwords(); !d["the"] || !d["and"] || d["putin"] {
		t.Error("embedded stop words are not the spec's list")
	}
}

func FuzzTags(f *testing.F) {
	f.Add("Witkoff and Kushner scheduled to meet Putin in Moscow", 5)
	f.Add("C++ & Go: 10 tips for 2026", 3)
	f.Add("\xff\xfe bad utf8", 5)
	stop := DefaultStopwords()
	f.Fuzz(func(t *testing.T, title string, max int) {
		max = max % 20
		tags := Tags(title, stop, max)
		if max <= 0 && len(tags) != 0 || len(tags) > max && max > 0 {
			t.Fatalf("%d tags for max %d", len(tags), max)
		}
		seen := map[string]bool{}
		for i, tag := range tags {
			if seen[tag] || stop[tag] || len([]rune(tag)) < 2 || allDigits(tag) {
				t.Fatalf("bad tag %q in %q", tag, tags)
			}
			seen[tag] = true
			if i > 0 && len([]rune(tags[i-1])) < len([]rune(tag)) {
				t.Fatalf("not sorted by length: %q", tags)
			}
		}
	})
}

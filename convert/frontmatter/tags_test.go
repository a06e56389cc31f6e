package frontmatter

import (
	"strings"
	"testing"
	"unicode/utf8"
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
			if len(tag) > MaxNameBytes || !utf8.ValidString(tag) {
				t.Fatalf("tag %q: %d bytes, or not UTF-8", tag, len(tag))
			}
			if i > 0 && len([]rune(tags[i-1])) < len([]rune(tag)) {
				t.Fatalf("not sorted by length: %q", tags)
			}
		}
	})
}

// TestTagsCappedInBytes: a word longer than MaxNameBytes becomes a tag of
// at most that many bytes, cut at a rune boundary; two words that agree
// up to the cut are one tag.
func TestTagsCappedInBytes(t *testing.T) {
	stop := DefaultStopwords()
	cjk := strings.Repeat("中文标题测试长标签", 11) // 99 runes, 297 bytes
	cases := []struct {
		name, title string
		want        []string
	}{
		{"300 Latin letters", "A " + strings.Repeat("abcdefghij", 30) + " word", []string{strings.Repeat("abcdefghij", 10), "word"}},
		// 33 ideographs of 3 bytes are 99 bytes; a 34th would make 102.
		{"CJK without spaces", cjk, []string{strings.Repeat("中文标题测试长标签", 4)[:99]}},
		// 2-byte Cyrillic letters: 50 of them are 100 bytes.
		{"Cyrillic", strings.Repeat("слово", 30), []string{strings.Repeat("слово", 10)}},
		// One byte, then 4-byte letters: 1 + 24*4 = 97, a 25th would make 101.
		{"4-byte letters", "x" + strings.Repeat("𝐀", 40), []string{"x" + strings.Repeat("𝐀", 24)}},
		{"repeats after the cut", strings.Repeat("ab", 60) + "x " + strings.Repeat("ab", 60) + "y", []string{strings.Repeat("ab", 50)}},
		{"exactly the cap stays whole", strings.Repeat("q", 100), []string{strings.Repeat("q", 100)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Tags(c.title, stop, 5)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("Tags = %q, want %q", got, c.want)
			}
			for _, tag := range got {
				if len(tag) > MaxNameBytes || !utf8.ValidString(tag) {
					t.Errorf("tag of %d bytes, valid UTF-8 %t", len(tag), utf8.ValidString(tag))
				}
			}
		})
	}
}

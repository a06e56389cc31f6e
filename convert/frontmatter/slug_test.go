package frontmatter

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlug(t *testing.T) {
	cases := []struct{ name, title, fallback, want string }{
		{"seed", "Witkoff and Kushner scheduled to meet Putin in Moscow", "", "witkoff-and-kushner-scheduled-to-meet-putin-in-moscow"},
		{"cyrillic is transliterated", "Путин встретился с Уиткоффом", "", "putin-vstretilsia-s-uitkoffom"},
		{"chinese is transliterated", "中文标题", "", "zhong-wen-biao-ti"},
		// sha256("guid-1") starts with c1ce8282, computed with sha256sum.
		{"emoji only falls back to the hash", "🎉🚀", "guid-1", "item-c1ce8282"},
		{"symbols only", "!!! ??? ...", "guid-1", "item-c1ce8282"},
		{"quotes and ampersand", `"Rock" & 'Roll'`, "", "rock-and-roll"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Slug(c.title, c.fallback); got != c.want {
				t.Errorf("Slug(%q) = %q, want %q", c.title, got, c.want)
			}
		})
	}
}

func TestSlugCap(t *testing.T) {
	title := strings.Repeat("abcdefghij ", 20) // 20 ten-letter words
	got := Slug(title, "x")
	if utf8.RuneCountInString(got) > maxSlugRunes {
		t.Fatalf("slug has %d runes", len(got))
	}
	// Cut at a word boundary: 9 words of 10 letters and 8 dashes = 98.
	if got != strings.TrimSuffix(strings.Repeat("abcdefghij-", 9), "-") {
		t.Errorf("Slug = %q", got)
	}
	// 96 ideographs transliterate to far more than 100 letters: the slug,
	// ASCII, stays within MaxNameBytes bytes.
	if got := Slug(strings.Repeat("中文标题测试长标签完毕", 9), "x"); len(got) > MaxNameBytes || len(got) < 90 {
		t.Errorf("CJK title: slug of %d bytes: %q", len(got), got)
	}
	one := strings.Repeat("a", 150)
	if got := Slug(one, "x"); got != strings.Repeat("a", 100) {
		t.Errorf("one long word: %q", got)
	}
}

func FuzzSlug(f *testing.F) {
	f.Add("Hello, World!", "guid")
	f.Add("../../../etc/passwd", "")
	f.Add("🎉", "")
	f.Fuzz(func(t *testing.T, title, fallback string) {
		s := Slug(title, fallback)
		if !SafeName(s) || utf8.RuneCountInString(s) > maxSlugRunes || len(s) > MaxNameBytes {
			t.Fatalf("Slug(%q) = %q is not a safe name", title, s)
		}
	})
}

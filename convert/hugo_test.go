package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHugoWarning(t *testing.T) {
	cases := []struct {
		name, file, text string
		warn             bool
	}{
		{"stock toml", "hugo.toml", "title = 'x'\n", true},
		{"unsafe toml table", "hugo.toml", "[markup.goldmark.renderer]\nunsafe = true\n", false},
		{"unsafe toml dotted", "config.toml", "markup.goldmark.renderer.unsafe = true\n", false},
		{"unsafe false", "hugo.toml", "[markup.goldmark.renderer]\nunsafe = false\n", true},
		{"unsafe yaml", "hugo.yaml", "markup:\n  goldmark:\n    renderer:\n      unsafe: true\n", false},
		{"stock json", "config.json", `{"title": "x"}`, true},
		{"unsafe json", "hugo.json", `{"markup": {"goldmark": {"renderer": {"unsafe": true}}}}`, false},
		{"config dir markup file", "config/_default/markup.toml", "[goldmark.renderer]\nunsafe = true\n", false},
		{"config dir hugo file", "config/_default/hugo.toml", "title = 'x'\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := t.TempDir()
			p := filepath.Join(site, c.file)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(site, "content", "posts")
			w := HugoWarning(out, BodyHTML)
			if (w != "") != c.warn {
				t.Errorf("warning %q, want one: %v", w, c.warn)
			}
			if c.warn && !strings.Contains(w, "-body markdown") {
				t.Errorf("warning does not suggest -body markdown: %q", w)
			}
			if HugoWarning(out, BodyMarkdown) != "" {
				t.Error("warned for Markdown bodies")
			}
		})
	}
	if w := HugoWarning(t.TempDir(), BodyHTML); w != "" {
		t.Errorf("warned outside a site: %q", w)
	}
}

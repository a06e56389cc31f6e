package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"feed2md/convert"
)

func TestHugoCorpusTmp(t *testing.T) {
	hugo := hugoBin(t)
	var feeds []string
	filepath.WalkDir("../shared/corpus/realworld", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".tsv") {
			feeds = append(feeds, p)
		}
		return nil
	})
	for _, body := range []string{convert.BodyMarkdown, convert.BodyHTML} {
		site := t.TempDir()
		config := "baseURL = 'https://example.org/'\ntitle = 'Test'\nbuildFuture = true\n[taxonomies]\n  tag = 'tags'\n  category = 'categories'\n"
		if body == convert.BodyHTML {
			config += "[markup.goldmark.renderer]\n  unsafe = true\n"
		}
		files := map[string]string{"hugo.toml": config}
		for k, v := range hugoLayouts {
			files[k] = v
		}
		for name, text := range files {
			p := filepath.Join(site, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(text), 0o644)
		}
		posts := filepath.Join(site, "content", "posts")
		htmlBodies := t.TempDir()
		for _, run := range []struct{ body, dir string }{{body, posts}, {convert.BodyHTML, htmlBodies}} {
			args := append([]string{"-q", "-no-cache", "-body", run.body, "-o", run.dir}, feeds...)
			var stdout, stderr bytes.Buffer
			feed2md(context.Background(), args, nil, &stdout, &stderr)
		}
		out, err := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public")).CombinedOutput()
		if err != nil {
			t.Fatalf("hugo failed: %v\n%s", err, out)
		}
		t.Run(body, func(t *testing.T) { checkSite(t, site, posts, htmlBodies) })
	}
}

package main

import (
	"bytes"
	"context"
	"feed2md/convert/feed/feedtest"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// longTitles are titles whose words make names too long for a file
// system when taken whole: one Latin word of 300 letters, 96 CJK
// characters without a space (288 bytes), a Cyrillic word of 150 letters
// (300 bytes), and letters of four bytes each.
var longTitles = []string{
	"The " + strings.Repeat("abcdefghij", 30) + " problem",
	strings.Repeat("中文标题测试长标签", 10) + "完毕了吗没有",
	strings.Repeat("слово", 30) + " и дело",
	"Math " + strings.Repeat("𝐀𝐁𝐂", 40),
}

// longHost is a host name of 261 bytes: the source key, and so the
// category, of a feed read from standard input.
var longHost = strings.Repeat("long-host-", 25) + "example.org"

// TestHugoLongNames builds a real Hugo site from items whose titles give
// over-long tags and slugs, flat and as bundles: Hugo must build, and
// every tag must become its own page.
func TestHugoLongNames(t *testing.T) {
	hugo := hugoBin(t)
	var feed strings.Builder
	feed.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Long</title><link>https://` + longHost + `/</link>`)
	for i, title := range longTitles {
		fmt.Fprintf(&feed, "<item><title>%s</title><link>https://long.example/%d</link><pubDate>Mon, 02 Feb 2026 10:00:00 +0000</pubDate><description>Body %d</description></item>", title, i, i)
	}
	feed.WriteString("</channel></rss>")
	for _, bundle := range []bool{false, true} {
		t.Run(fmt.Sprintf("bundle=%t", bundle), func(t *testing.T) {
			site := t.TempDir()
			config := "baseURL = 'https://example.org/'\ntitle = 'Test'\n[taxonomies]\n  tag = 'tags'\n  category = 'categories'\n"
			files := map[string]string{"hugo.toml": config}
			for k, v := range hugoLayouts {
				files[k] = v
			}
			feedtest.WriteFiles(t, site, files)
			posts := filepath.Join(site, "content", "posts")
			args := []string{"-q", "-no-cache", "-body", "markdown", "-o", posts, "-"}
			if bundle {
				args = append(args, "-bundle")
			}
			var stdout, stderr bytes.Buffer
			if code := feed2md(context.Background(), args, strings.NewReader(feed.String()), &stdout, &stderr); code != 0 {
				t.Fatalf("feed2md exit %d: %s", code, stderr.String())
			}
			out, err := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public")).CombinedOutput()
			if err != nil {
				t.Fatalf("hugo failed: %v\n%s", err, out)
			}
			written := readDir(t, posts)
			if len(written) != len(longTitles) {
				t.Fatalf("%d files for %d items", len(written), len(longTitles))
			}
			longest := 0
			for name, data := range written {
				parts := strings.SplitN(string(data), "\n---\n", 2)
				var fm struct {
					Slug       string
					Tags       []string
					Categories []string
				}
				if err := yaml.Unmarshal([]byte(strings.TrimPrefix(parts[0], "---\n")), &fm); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(fm.Slug) > 100 {
					t.Errorf("%s: a slug of %d bytes", name, len(fm.Slug))
				}
				if first := strings.TrimSuffix(strings.Split(name, "/")[0], ".md"); first != fm.Slug {
					t.Errorf("%s: named other than its slug %q", name, fm.Slug)
				}
				if _, err := os.Stat(filepath.Join(site, "public", "posts", fm.Slug, "index.html")); err != nil {
					t.Errorf("%s: no page at /posts/%s/: %v", name, fm.Slug, err)
				}
				if len(fm.Categories) != 1 || !strings.HasPrefix(longHost, fm.Categories[0]) || len(fm.Categories[0]) > 100 {
					t.Errorf("%s: categories %q, want the host cut to 100 bytes", name, fm.Categories)
				} else if _, err := os.Stat(filepath.Join(site, "public", "categories", fm.Categories[0], "index.html")); err != nil {
					t.Errorf("%s: the category has no page: %v", name, err)
				}
				for _, tag := range fm.Tags {
					longest = max(longest, len(tag))
					if len(tag) > 100 {
						t.Errorf("%s: tag of %d bytes", name, len(tag))
					}
					if _, err := os.Stat(filepath.Join(site, "public", "tags", tag, "index.html")); err != nil {
						t.Errorf("%s: tag %q has no page: %v", name, tag, err)
					}
				}
			}
			if longest < 90 {
				t.Errorf("the longest tag has %d bytes: the titles no longer test long names", longest)
			}
		})
	}
}

// readDir returns the Markdown files under dir by relative path.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

package convert

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpus converts every feed of ../shared/corpus (real-world feeds
// and the parser test suites): no panic, and each feed either writes
// files whose front matter reads back as YAML with every key of the
// layout, or fails with one line that names the reason. A second run over
// the same folder changes nothing.
func TestCorpus(t *testing.T) {
	root := filepath.Join(sharedDir(t), "corpus")
	var feeds []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".tsv") {
			feeds = append(feeds, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) < 100 {
		t.Fatalf("only %d feeds under %s", len(feeds), root)
	}
	var converted, failed, files int
	for _, path := range feeds {
		rel, _ := filepath.Rel(root, path)
		out := t.TempDir()
		c := newTestConverter(t, out, nil)
		src, _ := ParseSource(path)
		res := c.Convert(context.Background(), src)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if res.Err != nil {
			failed++
			if msg := res.Err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Errorf("%s: error is not one line: %q", rel, msg)
			}
			if strings.HasPrefix(rel, "realworld/") && !strings.Contains(rel, "partial") {
				t.Logf("%s: %v", rel, res.Err)
			}
			continue
		}
		converted++
		for _, err := range res.Errors {
			t.Errorf("%s: %v", rel, err)
		}
		written := readDir(t, out)
		files += len(written)
		for name, data := range written {
			if !safeName(strings.TrimSuffix(name, ".md")) {
				t.Errorf("%s: unsafe file name %q", rel, name)
			}
			frontMatter(t, data)
		}
		c2 := newTestConverter(t, out, nil)
		if res2 := c2.Convert(context.Background(), src); res2.New+res2.Updated != 0 {
			t.Errorf("%s: re-run wrote %d new and %d updated files", rel, res2.New, res2.Updated)
		}
	}
	t.Logf("%d feeds: %d converted into %d files, %d refused with a reason", len(feeds), converted, files, failed)
	// Refusing is allowed only for the odd few (an HTML page, a truncated
	// JSON file, a non-feed): a regression that refuses real feeds fails.
	if failed > len(feeds)/50 || files < 10*converted/2 {
		t.Errorf("%d of %d feeds refused, %d files from %d feeds: far fewer than expected", failed, len(feeds), files, converted)
	}
}

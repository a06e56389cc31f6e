package convert

import (
	"context"
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter/frontmattertest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConvertJobs: feeds of one folder, each with options of its own:
// their files are shaped by their own categories and body modes, in the
// folder's one memory; a feed whose options cannot share the folder fails
// alone.
func TestConvertJobs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, host string) fetch.Source {
		path := filepath.Join(t.TempDir(), name)
		feed := `<rss version="2.0"><channel><title>T</title><link>https://` + host + `/</link><item><title>Post of ` + host +
			`</title><link>https://` + host + `/1</link><description>&lt;p&gt;Some &lt;em&gt;text&lt;/em&gt;.&lt;/p&gt;</description></item></channel></rss>`
		if err := os.WriteFile(path, []byte(feed), 0o644); err != nil {
			t.Fatal(err)
		}
		return fetch.Source{Path: path}
	}
	c := newTestConverter(t, dir, nil)
	blog := c.opts
	blog.Categories, blog.Body = []string{"Blog"}, BodyMarkdown
	bundled := c.opts
	bundled.Bundle = true
	jobs := []Job{
		{Source: write("blog.xml", "blog.example"), Options: &blog},
		{Source: write("news.xml", "news.example")},
		{Source: write("other.xml", "other.example"), Options: &bundled},
	}
	var results []*Result
	c.ConvertJobs(context.Background(), jobs, 2, func(r *Result) { results = append(results, r) })
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[0].New != 1 || results[1].New != 1 {
		t.Fatalf("results %+v", results)
	}
	if err := results[2].Err; err == nil || !strings.Contains(err.Error(), "-bundle differs") {
		t.Errorf("a feed whose options cannot share the folder: %v", err)
	}
	for name, want := range map[string][2]string{
		"post-of-blog-example.md": {"Blog", "Some *text*."},
		"post-of-news-example.md": {"news.example", "<p>Some <em>text</em>.</p>"},
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		m, body := frontmattertest.FrontMatter(t, data)
		if cats, _ := m["categories"].([]any); len(cats) != 1 || cats[0] != want[0] || strings.TrimSpace(body) != want[1] {
			t.Errorf("%s: categories %v, body %q; want %s, %q", name, m["categories"], body, want[0], want[1])
		}
	}
}

// TestConvertJobsMaxFileSize: a Job's own cap on local files (-max-size
// of one feed of a -config file) is its own, not the Converter's: the
// feed with a small cap fails, the one without converts.
func TestConvertJobsMaxFileSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.xml")
	feed := `<rss version="2.0"><channel><title>T</title><item><title>One</title><link>https://a.example/1</link><description>d</description></item></channel></rss>`
	if err := os.WriteFile(path, []byte(feed), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestConverter(t, t.TempDir(), func(o *Options) { o.MaxFileSize = 20 })
	own := c.opts
	own.MaxFileSize = 1 << 20
	var results []*Result
	c.ConvertJobs(context.Background(), []Job{{Source: fetch.Source{Path: path}, Options: &own}, {Source: fetch.Source{Path: path}}}, 1,
		func(r *Result) { results = append(results, r) })
	c.Close()
	if results[0].Err != nil {
		t.Errorf("a feed whose own cap is 1 MiB: %v", results[0].Err)
	}
	if results[1].Err == nil {
		t.Errorf("the Converter's feed, capped at 20 B, converted")
	}
}

// TestFolderConflict: the options a folder's feeds must agree on, with
// -images download implying -bundle.
func TestFolderConflict(t *testing.T) {
	dl := Options{Images: ImagesDownload, MaxImageSize: 1 << 20, Body: BodyHTML}
	for _, c := range []struct {
		name string
		a, b Options
		want string
	}{
		{"alike", Options{Body: BodyHTML}, Options{Body: BodyMarkdown}, ""},
		{"download implies bundle", dl, Options{Images: ImagesDownload, MaxImageSize: 1 << 20, Body: BodyHTML, Bundle: true}, ""},
		{"bundle or not", Options{}, Options{Bundle: true}, "-bundle"},
		{"download or link", Options{Bundle: true, Images: ImagesLink}, dl, "-images"},
		{"image size", dl, Options{Images: ImagesDownload, MaxImageSize: 2 << 20, Body: BodyHTML}, "-max-image-size"},
		{"body with downloads", dl, Options{Images: ImagesDownload, MaxImageSize: 1 << 20, Body: BodyMarkdown}, "-body"},
	} {
		if got := FolderConflict(c.a, c.b); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"feed2md/convert"
	"feed2md/convert/feed/feedtest"
)

// migrateFeed is a blog's feed for blogServer: relative and absolute
// images, a cover in media:content, an SVG with a script, a missing
// image, categories, and two links whose aliases would clash with the
// files Hugo writes for the site (left out, so the build goes on).
const migrateFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>A blog</title><link>@BLOG@/</link>
<item><title>First post</title><link>@BLOG@/2019/01/first-post.html</link>
<pubDate>Sat, 05 Jan 2019 10:00:00 +0000</pubDate>
<category>Travel</category><category>Photos</category>
<media:content url="@BLOG@/img/cover.jpg" medium="image"/>
<content:encoded><![CDATA[<p><img src="/img/photo.jpg" alt="A photo"> <img src="@OTHER@/img/diagram.png"> <img src="/svg/evil.svg"></p>]]></content:encoded>
</item>
<item><title>Broken images</title><link>@BLOG@/2019/02/broken/</link>
<pubDate>Fri, 01 Feb 2019 10:00:00 +0000</pubDate>
<category>News</category>
<content:encoded><![CDATA[<p><img src="/missing/gone.png"> <img src="/img/fine.gif"></p>]]></content:encoded>
</item>
<item><title>Old index path</title><link>@BLOG@/posts/index.html/old</link>
<pubDate>Sat, 02 Feb 2019 10:00:00 +0000</pubDate><description>Its alias would be a folder where the section's page is.</description>
</item>
<item><title>Old feed path</title><link>@BLOG@/index.xml</link>
<pubDate>Sun, 03 Feb 2019 10:00:00 +0000</pubDate><description>Its alias would be a folder where the site's feed is.</description>
</item>
</channel></rss>
`

// TestHugoMigratedBlog builds a Hugo site from a blog moved with -bundle
// -images download -aliases -tags feed: Hugo must publish each image
// beside its page, the page must show it by its relative name, the old
// URL must get an alias page that redirects to the new one, and the
// item's categories must be its tags.
func TestHugoMigratedBlog(t *testing.T) {
	hugo := hugoBin(t)
	t.Run("unsafe Hugo, HTML bodies", func(t *testing.T) { hugoMigratedBlog(t, hugo, convert.BodyHTML) })
	t.Run("stock Hugo, Markdown bodies", func(t *testing.T) { hugoMigratedBlog(t, hugo, convert.BodyMarkdown) })
}

func hugoMigratedBlog(t *testing.T, hugo, body string) {
	blog := t.TempDir()
	if err := os.WriteFile(filepath.Join(blog, "blog.xml"), []byte(migrateFeed), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := blogServer(blog)
	defer srv.Close()

	site := t.TempDir()
	files := map[string]string{
		"hugo.toml": "baseURL = 'https://example.org/'\ntitle = 'Test'\n[taxonomies]\n  tag = 'tags'\n",
	}
	if body == convert.BodyHTML {
		files["hugo.toml"] += "[markup.goldmark.renderer]\n  unsafe = true\n"
	}
	for k, v := range hugoLayouts {
		files[k] = v
	}
	feedtest.WriteFiles(t, site, files)
	posts := filepath.Join(site, "content", "posts")
	var stdout, stderr bytes.Buffer
	args := []string{"-no-cache", "-body", body, "-bundle", "-images", "download", "-aliases", "-tags", "feed", "-o", posts, srv.URL + "/site/blog.xml"}
	if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("feed2md exit %d: %s", code, stderr.String())
	}
	cmd := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	public := filepath.Join(site, "public")
	read := func(rel string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatalf("Hugo did not publish %s: %v", rel, err)
		}
		return string(data)
	}
	for _, img := range []string{"posts/first-post/photo.jpg", "posts/first-post/diagram.png", "posts/first-post/cover.jpg", "posts/broken-images/fine.gif"} {
		if ct := http.DetectContentType([]byte(read(img))); !strings.HasPrefix(ct, "image/") {
			t.Errorf("%s is published as %s", img, ct)
		}
	}
	if _, err := os.Stat(filepath.Join(public, "posts", "first-post", "evil.svg")); err == nil {
		t.Error("the SVG was published")
	}
	page := read("posts/first-post/index.html")
	for _, want := range []string{`<img src="photo.jpg" alt="A photo">`, `<img src="diagram.png"`, `<img src="` + srv.URL + `/svg/evil.svg"`, "<li>travel</li><li>photos</li>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s:\n%s", want, page)
		}
	}
	broken := read("posts/broken-images/index.html")
	if !strings.Contains(broken, `<img src="`+srv.URL+`/missing/gone.png"`) || !strings.Contains(broken, `<img src="fine.gif"`) {
		t.Errorf("the page with a missing image:\n%s", broken)
	}
	for old, now := range map[string]string{"2019/01/first-post.html": "/posts/first-post/", "2019/02/broken/index.html": "/posts/broken-images/"} {
		alias := read(old)
		if !strings.Contains(alias, `http-equiv="refresh"`) || !strings.Contains(alias, "https://example.org"+now) {
			t.Errorf("the alias page %s does not redirect to %s:\n%s", old, now, alias)
		}
	}
	for _, p := range []string{"posts/old-index-path/index.html", "posts/old-feed-path/index.html"} {
		read(p)
	}
	if _, err := os.Stat(filepath.Join(public, "index.xml")); err != nil {
		t.Errorf("the site's feed: %v", err)
	}
	read("tags/travel/index.html")
	read("tags/news/index.html")
}

package convert

import (
	"strings"
	"testing"
)

// imageFeed builds an RSS item carrying the image sources named in parts.
func imageFeed(parts ...string) string {
	src := map[string]string{
		"itunes":    `<itunes:image href="https://img.test/itunes.jpg"/>`,
		"content":   `<media:content url="https://img.test/content.jpg" medium="image"/>`,
		"video":     `<media:content url="https://img.test/video.mp4" type="video/mp4"/>`,
		"group":     `<media:group><media:content url="https://img.test/group.jpg" type="image/jpeg"/><media:thumbnail url="https://img.test/groupthumb.jpg"/></media:group>`,
		"thumbnail": `<media:thumbnail url="https://img.test/thumb.jpg"/>`,
		"enclosure": `<enclosure url="https://img.test/enclosure.png" type="image/png" length="1"/>`,
		"audio":     `<enclosure url="https://img.test/a.mp3" type="audio/mpeg" length="1"/>`,
		"bad":       `<media:thumbnail url="javascript:alert(1)"/>`,
		"body":      `<description><![CDATA[<p>x <img src="/body.jpg"> <img src="https://img.test/second.jpg"></p>]]></description>`,
	}
	var b strings.Builder
	b.WriteString(`<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>T</title><link>https://site.test/</link><item><title>Item</title><link>https://site.test/posts/1</link>`)
	for _, p := range parts {
		b.WriteString(src[p])
	}
	b.WriteString(`</item></channel></rss>`)
	return b.String()
}

func TestImageOrder(t *testing.T) {
	all := []string{"body", "audio", "enclosure", "thumbnail", "group", "video", "content", "itunes"}
	want := map[string]string{
		"itunes":    "https://img.test/itunes.jpg",
		"content":   "https://img.test/content.jpg",
		"group":     "https://img.test/group.jpg",
		"thumbnail": "https://img.test/thumb.jpg",
		"enclosure": "https://img.test/enclosure.png",
		"body":      "https://site.test/body.jpg",
	}
	// Remove the best source one at a time: the next one wins.
	for i := len(all) - 1; i >= 0; i-- {
		parts := all[:i+1]
		best := parts[len(parts)-1]
		if best == "video" || best == "audio" {
			continue
		}
		t.Run(best, func(t *testing.T) {
			m, _ := only(t, imageFeed(parts...), nil)
			if m["image"] != want[best] {
				t.Errorf("image %q, want %q", m["image"], want[best])
			}
		})
	}
	t.Run("group thumbnail when the group has no image content", func(t *testing.T) {
		feed := strings.Replace(imageFeed("group"), `<media:content url="https://img.test/group.jpg" type="image/jpeg"/>`, "", 1)
		if m, _ := only(t, feed, nil); m["image"] != "https://img.test/groupthumb.jpg" {
			t.Errorf("image %q", m["image"])
		}
	})
	t.Run("script URL skipped", func(t *testing.T) {
		if m, _ := only(t, imageFeed("bad", "audio"), nil); m["image"] != "" {
			t.Errorf("image %q", m["image"])
		}
	})
	t.Run("none", func(t *testing.T) {
		if m, _ := only(t, imageFeed("audio", "video"), nil); m["image"] != "" {
			t.Errorf("image %q", m["image"])
		}
	})
}

func TestImageAtomAndJSON(t *testing.T) {
	atom := `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><link href="https://a.test/"/>` +
		`<entry><title>A</title><id>1</id><link href="https://a.test/1"/><media:thumbnail url="/thumb.png"/><link rel="enclosure" type="image/jpeg" href="https://a.test/enc.jpg"/></entry></feed>`
	if m, _ := only(t, atom, nil); m["image"] != "https://a.test/thumb.png" {
		t.Errorf("atom media: %q", m["image"])
	}
	atomEnc := `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><id>1</id><link href="https://a.test/1"/><link rel="enclosure" type="image/jpeg" href="https://a.test/enc.jpg"/></entry></feed>`
	if m, _ := only(t, atomEnc, nil); m["image"] != "https://a.test/enc.jpg" {
		t.Errorf("atom enclosure: %q", m["image"])
	}
	jsonFeed := `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"https://j.test/1","title":"J","image":"https://j.test/i.png","banner_image":"https://j.test/b.png"}]}`
	if m, _ := only(t, jsonFeed, nil); m["image"] != "https://j.test/i.png" {
		t.Errorf("json image: %q", m["image"])
	}
	banner := strings.Replace(jsonFeed, `"image":"https://j.test/i.png",`, "", 1)
	if m, _ := only(t, banner, nil); m["image"] != "https://j.test/b.png" {
		t.Errorf("json banner: %q", m["image"])
	}
}

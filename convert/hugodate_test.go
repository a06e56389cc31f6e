package convert

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHugoShowsFreshPosts builds a Hugo site with the real hugo, its
// clock (--clock) set twenty minutes after an item published at 07:39
// +09:00 on 4 December (22:39 UTC on the 3rd): the file the tool writes
// makes a page and a line in the list, where the same file with the day
// alone (midnight UTC on the 4th, still to come) makes neither.
func TestHugoShowsFreshPosts(t *testing.T) {
	hugo := hugoBin(t)
	feed := `<rss version="2.0"><channel><title>Tokyo</title><link>https://tokyo.example/</link>
<item><title>Fresh from Tokyo</title><link>https://tokyo.example/fresh</link><description>x</description><pubDate>Fri, 04 Dec 2026 07:39:27 +0900</pubDate></item>
</channel></rss>`
	out := t.TempDir()
	if res := convertBytes(t, out, feed, nil); res.Failed() || res.New != 1 {
		t.Fatalf("%d new, %v %v", res.New, res.Err, res.Errors)
	}
	data, err := os.ReadFile(filepath.Join(out, "fresh-from-tokyo.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\ndate: 2026-12-04T07:39:27+09:00\n") {
		t.Fatalf("not dated in full:\n%s", data)
	}
	moment := time.Date(2026, 12, 3, 22, 39, 27, 0, time.UTC)
	dayOnly := strings.Replace(string(data), "\ndate: 2026-12-04T07:39:27+09:00\n", "\ndate: 2026-12-04\n", 1)
	for _, tc := range []struct {
		name  string
		file  string
		shown bool
	}{
		{"as written", string(data), true},
		{"the day alone", dayOnly, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := t.TempDir()
			writeFiles(t, site, map[string]string{
				"hugo.toml":                    "baseURL = 'https://example.org/'\ntitle = 'Test'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n",
				"layouts/_default/single.html": "<main>{{ .Title }} {{ .Date.Unix }}</main>",
				"layouts/_default/list.html":   "{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}",
				"layouts/index.html":           "home",
				"content/posts/fresh.md":       tc.file,
			})
			cmd := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public"), "--clock", "2026-12-03T23:00:00Z")
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("hugo failed: %v\n%s", err, msg)
			}
			page, err := os.ReadFile(filepath.Join(site, "public", "posts", "fresh-from-tokyo", "index.html"))
			// No list at all when the section has no page.
			list, _ := os.ReadFile(filepath.Join(site, "public", "posts", "index.html"))
			inList := strings.Contains(string(list), "<li>Fresh from Tokyo</li>")
			switch {
			case tc.shown && err != nil:
				t.Errorf("no page: %v", err)
			case tc.shown && !strings.Contains(string(page), fmt.Sprintf("Fresh from Tokyo %d<", moment.Unix())):
				t.Errorf("page %q: not the item's moment", page)
			case !tc.shown && err == nil:
				t.Errorf("a page, which Hugo holds back as a future post: the test's clock is not Hugo's (%q)", page)
			}
			if inList != tc.shown {
				t.Errorf("in the list: %t, want %t (%q)", inList, tc.shown, list)
			}
		})
	}
}

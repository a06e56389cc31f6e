package convert

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"feed2md/convert/feed/feedtest"
	"feed2md/convert/frontmatter"
	"feed2md/templates"
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
			feedtest.WriteFiles(t, site, map[string]string{
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

// TestHugoShowsFreshPostsInSiteZone builds a Hugo site whose timeZone is
// Pacific/Honolulu (UTC-10), where Hugo reads a day alone as midnight
// there, 10:00 UTC, with the real hugo and its clock set twenty minutes
// after an item published at 03:00 UTC on 4 December: the file written
// into the site's content (the zone found by Site.TimeZone) makes a page,
// without --buildFuture; the day alone makes none in that site, though it
// does in a site without a timeZone (so the zone is what matters).
func TestHugoShowsFreshPostsInSiteZone(t *testing.T) {
	hugo := hugoBin(t)
	feed := `<rss version="2.0"><channel><title>UTC</title><link>https://utc.example/</link>
<item><title>Early in UTC</title><link>https://utc.example/early</link><description>x</description><pubDate>Fri, 04 Dec 2026 03:00:00 +0000</pubDate></item>
</channel></rss>`
	config := "baseURL = 'https://example.org/'\ntitle = 'Test'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n"
	honolulu := config + "timeZone = 'Pacific/Honolulu'\n"
	site := t.TempDir()
	feedtest.WriteFiles(t, site, map[string]string{"hugo.toml": honolulu})
	out := filepath.Join(site, "content", "posts")
	zone, err := frontmatter.FindSite(out).TimeZone()
	if err != nil || zone == nil || zone.String() != "Pacific/Honolulu" {
		t.Fatalf("Site.TimeZone: %v %v", zone, err)
	}
	if res := convertBytes(t, out, feed, func(o *Options) { o.SiteZone = zone }); res.Failed() || res.New != 1 {
		t.Fatalf("%d new, %v %v", res.New, res.Err, res.Errors)
	}
	data, err := os.ReadFile(filepath.Join(out, "early-in-utc.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\ndate: 2026-12-04T03:00:00Z\n") {
		t.Fatalf("not dated in full:\n%s", data)
	}
	moment := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	dayOnly := strings.Replace(string(data), "\ndate: 2026-12-04T03:00:00Z\n", "\ndate: 2026-12-04\n", 1)
	for _, tc := range []struct {
		name, config, file string
		shown              bool
	}{
		{"as written", honolulu, string(data), true},
		{"the day alone", honolulu, dayOnly, false},
		{"the day alone, a site without timeZone", config, dayOnly, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := t.TempDir()
			feedtest.WriteFiles(t, site, map[string]string{
				"hugo.toml":                    tc.config,
				"layouts/_default/single.html": "<main>{{ .Title }} {{ .Date.Unix }}</main>",
				"layouts/_default/list.html":   "{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}",
				"layouts/index.html":           "home",
				"content/posts/early.md":       tc.file,
			})
			cmd := exec.Command(hugo, "--source", site, "--destination", filepath.Join(site, "public"), "--clock", "2026-12-04T03:20:00Z")
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("hugo failed: %v\n%s", err, msg)
			}
			page, err := os.ReadFile(filepath.Join(site, "public", "posts", "early-in-utc", "index.html"))
			list, _ := os.ReadFile(filepath.Join(site, "public", "posts", "index.html"))
			inList := strings.Contains(string(list), "<li>Early in UTC</li>")
			switch {
			case tc.shown && err != nil:
				t.Errorf("no page: %v", err)
			case tc.shown && tc.file == string(data) && !strings.Contains(string(page), fmt.Sprintf("Early in UTC %d<", moment.Unix())):
				t.Errorf("page %q: not the item's moment", page)
			case !tc.shown && err == nil:
				t.Errorf("a page, which Hugo should hold back as a future post: %q", page)
			}
			if inList != tc.shown {
				t.Errorf("in the list: %t, want %t (%q)", inList, tc.shown, list)
			}
		})
	}
}

// TestSiteTimeZone: the timeZone of the site an output folder lies in,
// from any of Hugo's configuration files, the key in any case; none
// outside a site or when the site sets none; an error naming the file
// for a name that is no zone (Hugo 0.111 fails to build then: "invalid
// timeZone").
func TestSiteTimeZone(t *testing.T) {
	for _, tc := range []struct {
		name, file, text, want, err string
	}{
		{"toml", "hugo.toml", "title = 'x'\ntimeZone = 'Pacific/Honolulu'\n", "Pacific/Honolulu", ""},
		{"toml, lower case key", "config.toml", "timezone = 'America/New_York'\n", "America/New_York", ""},
		{"yaml", "hugo.yaml", "title: x\ntimeZone: Asia/Tokyo\n", "Asia/Tokyo", ""},
		{"json", "hugo.json", `{"timeZone": "Europe/Paris"}`, "Europe/Paris", ""},
		{"config folder", "config/_default/hugo.toml", "timeZone = 'Asia/Kolkata'\n", "Asia/Kolkata", ""},
		{"none set", "hugo.toml", "title = 'x'\n[params]\ntimeZone = 'Asia/Tokyo'\n", "", ""},
		{"no zone", "hugo.toml", "timeZone = 'Mars/Olympus'\n", "", `hugo.toml sets timeZone "Mars/Olympus", which is not a zone name`},
		{"no zone, case", "hugo.toml", "timeZone = 'pacific/honolulu'\n", "", `sets timeZone "pacific/honolulu"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := t.TempDir()
			feedtest.WriteFiles(t, site, map[string]string{tc.file: tc.text})
			loc, err := frontmatter.FindSite(filepath.Join(site, "content", "posts")).TimeZone()
			got := ""
			if loc != nil {
				got = loc.String()
			}
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("error %v, want one with %q", err, tc.err)
			case got != tc.want:
				t.Errorf("zone %q, want %q", got, tc.want)
			}
		})
	}
	if loc, err := frontmatter.FindSite(t.TempDir()).TimeZone(); loc != nil || err != nil {
		t.Errorf("outside a site: %v %v", loc, err)
	}
}

// TestSiteZoneFingerprint: a site's timeZone changes the options'
// fingerprint, so a feed whose bytes did not change is written again when
// the site's zone changes; none, or UTC, keeps the default one.
func TestSiteZoneFingerprint(t *testing.T) {
	tmpl, err := frontmatter.ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil {
		t.Fatal(err)
	}
	honolulu, err := time.LoadLocation("Pacific/Honolulu")
	if err != nil {
		t.Fatal(err)
	}
	fp := func(zone *time.Location) string {
		return optionsFingerprint(&Options{Template: tmpl, Stopwords: frontmatter.DefaultStopwords(), SiteZone: zone})
	}
	if fp(nil) != fp(time.UTC) {
		t.Error("a site in UTC changes the fingerprint")
	}
	if fp(honolulu) == fp(nil) || fp(honolulu) == fp(time.FixedZone("", 9*3600)) {
		t.Error("the site's zone leaves the fingerprint as it was")
	}
}

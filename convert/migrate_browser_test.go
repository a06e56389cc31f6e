package convert

import (
	"bytes"
	"context"
	"feed2md/convert/frontmatter/frontmattertest"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserLoadsBundlePage downloads a post's images into its bundle,
// stops the server they came from, then loads the page from the output
// folder in Chromium: every image must load from the bundle by its
// relative name, and no script (the SVG's) may run.
func TestBrowserLoadsBundlePage(t *testing.T) {
	t.Parallel() // see TestMain
	if testing.Short() {
		t.Skip("SKIPPED: -short: the browser test starts Chromium")
	}
	browser := sharedBrowser(t)
	img := image.NewRGBA(image.Rect(0, 0, 6, 4))
	for x := 0; x < 6; x++ {
		for y := 0; y < 4; y++ {
			img.Set(x, y, color.RGBA{200, 10, 10, 255})
		}
	}
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch filepath.Ext(r.URL.Path) {
		case ".png":
			png.Encode(w, img)
		case ".jpg":
			jpeg.Encode(w, img, nil)
		case ".gif":
			gif.Encode(w, img, nil)
		case ".svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`)
		}
	}))
	feed := `<rss version="2.0"><channel><title>b</title><link>` + origin.URL + `/</link>
<item><title>Pictures</title><link>` + origin.URL + `/2020/pictures/</link>
<description><![CDATA[<p><img src="/a.png" alt="a"> <img src="b.jpg" alt="b"></p>
<picture><source srcset="/c.gif 1x"><img src="/c.gif" alt="c"></picture><img src="/evil.svg" alt="svg">]]></description>
</item></channel></rss>`
	out := t.TempDir()
	res := convertBytes(t, out, feed, func(o *Options) { o.Images = ImagesDownload })
	origin.Close() // from now on, only the bundle has the images
	if res.Failed() || res.ImagesSaved != 3 || res.ImagesFailed != 1 {
		t.Fatalf("saved %d, failed %d, errors %v %v", res.ImagesSaved, res.ImagesFailed, res.Errors, res.ImageErrors)
	}
	data, err := os.ReadFile(filepath.Join(out, "pictures", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, body := frontmattertest.FrontMatter(t, data)
	files := http.FileServer(http.Dir(out))
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/pictures/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, trapPage, body)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer site.Close()

	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatal(err)
	}
	ctx, cancelRun := context.WithTimeout(ctx, 60*time.Second)
	defer cancelRun()
	xss, err := visit(ctx, site.URL+"/pictures/")
	if err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.images).map(function (i) {
		return i.alt + "=" + (i.complete && i.naturalWidth === 6 ? "loaded " : "broken ") + i.currentSrc.replace(location.origin, "");
	})`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a=loaded /pictures/a.png", "b=loaded /pictures/b.jpg", "c=loaded /pictures/c.gif", "svg=broken " + origin.URL + "/evil.svg"}
	if strings.Join(loaded, "\n") != strings.Join(want, "\n") {
		t.Errorf("images in the browser:\n%s\nwant\n%s", strings.Join(loaded, "\n"), strings.Join(want, "\n"))
	}
	if xss != 0 {
		t.Errorf("%d scripts ran", xss)
	}
	if !bytes.Contains(data, []byte(`<img src="a.png" alt="a">`)) {
		t.Errorf("the body does not refer to a.png relatively:\n%s", data)
	}
}

package convert

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// trapPage wraps bodies in a page whose own first script counts every
// alert, confirm, prompt and print into window.__xss, and which, once
// loaded, fires the events that hostile handlers wait for on every
// element, and clicks every link (navigation to a real URL is cancelled,
// a javascript: URL runs).
const trapPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><script>
window.__xss = 0;
["alert", "confirm", "prompt", "print"].forEach(function (f) { window[f] = function () { window.__xss++; }; });
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest("a");
  if (a && !/^\s*javascript:/i.test(a.getAttribute("href") || "")) e.preventDefault();
}, true);
window.__fire = function () {
  var names = ["mouseover", "mouseenter", "mousemove", "focus", "blur", "click", "dblclick", "load", "error", "toggle", "animationstart", "begin", "start", "close"];
  document.querySelectorAll("body *").forEach(function (el) {
    names.forEach(function (n) { try { el.dispatchEvent(new Event(n, {bubbles: true})); } catch (e) {} });
    if (el.tagName === "A") { try { el.click(); } catch (e) {} }
  });
  return true;
};
</script></head><body>%s</body></html>`

// chromium finds a Chromium binary, skipping the test loudly when there
// is none; in CI (CI=true) a missing browser fails the test instead.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is missing in CI: .ci/run must install Debian's chromium")
	}
	t.Skip("SKIPPED: no Chromium on this machine (apt-get install chromium); the browser test runs in CI")
	return ""
}

// scriptsRun loads each body in headless Chromium and returns how many of
// them ran script or opened a dialog, with the first few offenders.
func scriptsRun(t *testing.T, bodies []string) (int, []string) {
	t.Helper()
	exe := chromium(t)
	var current atomic.Value
	current.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, trapPage, current.Load().(string))
	}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		// Every host but the test server is unreachable at once.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	var dialogs atomic.Int64
	err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	ran := 0
	var offenders []string
	for _, body := range bodies {
		current.Store(body)
		before := dialogs.Load()
		runCtx, cancelRun := context.WithTimeout(ctx, 20*time.Second)
		n, err := visit(runCtx, srv.URL)
		cancelRun()
		if err != nil {
			// A body that navigated the page away (a meta refresh, a
			// javascript: URL replacing the document) counts as running.
			n = 1
		}
		if n > 0 || dialogs.Load() > before {
			ran++
			if len(offenders) < 5 {
				offenders = append(offenders, body)
			}
		}
	}
	return ran, offenders
}

// visit loads the trap page, fires the events and returns window.__xss,
// after a pause long enough for a javascript: link's script to run.
func visit(ctx context.Context, url string) (int, error) {
	if _, err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		return 0, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Sleep(40*time.Millisecond)); err != nil {
		return 0, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__fire()`)); err != nil {
		return 0, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Sleep(120*time.Millisecond)); err != nil {
		return 0, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[int](`window.__xss`))
}

// TestBrowserRunsNoHostileScript loads the sanitized bodies of the hostile
// corpus, in both body modes, in a real browser, then the pages Hugo
// renders from them (and from the testdata feeds' bodies): no script may
// run and no dialog may open. The same run over the raw vectors must catch script,
// which proves the trap works.
func TestBrowserRunsNoHostileScript(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED: -short: the browser test takes a minute")
	}
	vectors := hostileVectors(t)
	md := newTestConverter(t, t.TempDir(), func(o *Options) { o.Body = BodyMarkdown })
	var bodies []string
	for _, v := range vectors {
		clean := Sanitize(v, testBase)
		bodies = append(bodies, clean)
		m, _, err := md.markdown(v, testBase, true)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, markdownToHTML(t, EscapeShortcodes(m, true)))
	}
	if ran, offenders := scriptsRun(t, bodies); ran > 0 {
		t.Errorf("%d sanitized bodies ran script, e.g.:\n%s", ran, strings.Join(offenders, "\n"))
	}
	// What a reader gets: the pages the real Hugo renders from the bodies
	// as written, HTML under unsafe = true and Markdown under stock Hugo.
	t.Run("hugo pages", func(t *testing.T) {
		var pages []string
		for _, mode := range []string{BodyHTML, BodyMarkdown} {
			pages = append(pages, hugoPages(t, testdataBodies(t), mode)...)
		}
		// The trap must catch Markdown-syntax script that Hugo renders
		// from a body written as it came.
		bad := hugoPages(t, []string{"Hello [click me](javascript:alert(document.domain)) bye"}, "")
		if !strings.Contains(bad[0], `href="javascript:`) {
			t.Fatalf("the unescaped vector did not become a live link: %q", bad[0])
		}
		pages = append(pages, bad...)
		if ran, offenders := scriptsRun(t, pages); ran != 1 || offenders[0] != bad[0] {
			t.Errorf("%d Hugo pages ran script (only the unescaped vector should), e.g.:\n%s", ran, strings.Join(offenders, "\n"))
		}
	})
	raw := []string{
		`<img src=x onerror=alert(1)>`,
		`<svg/onload=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<script>alert(1)</script>`,
		`<div onmouseover="alert(1)">x</div>`,
	}
	if ran, _ := scriptsRun(t, raw); ran != len(raw) {
		t.Errorf("the trap caught %d of %d raw vectors: it cannot be trusted", ran, len(raw))
	}
}

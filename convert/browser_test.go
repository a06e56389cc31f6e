package convert

import (
	"context"
	"feed2md/convert/body"
	"feed2md/convert/body/bodytest"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// trapPage wraps bodies in a page whose own first script is trapScript.
const trapPage = `<!DOCTYPE html><html><head><meta charset="utf-8">` + trapScript + `</head><body>%s</body></html>`

// trapScript counts every alert, confirm, prompt and print into
// window.__xss, and gives the page window.__fire, which fires the events
// that hostile handlers wait for on every element of the body, and
// clicks every link (navigation to a real URL is cancelled, a
// javascript: URL runs). It holds no '%' (trapPage is a format).
const trapScript = `<script>
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
</script>`

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

// browserTabs is how many pages scriptsRun loads at once, each in its own
// tab of the shared browser. A visit mostly waits (the pauses of visit), so
// tabs in parallel cut the test's time several times over even on two
// cores; each tab still loads one body per page, as before.
const browserTabs = 8

// browser is the one headless Chromium that all the browser tests of the
// package share: started by the first test that needs it (sharedBrowser),
// stopped by TestMain (stopBrowser). Starting Chromium costs about a
// second, and each test used to start its own.
var browser struct {
	once sync.Once
	ctx  context.Context // holds the browser; NewContext(ctx) opens a tab
	stop func()
	dir  string
	err  error
}

// sharedBrowser returns a chromedp context that holds the shared browser,
// starting it on first use. Each test opens its own tabs with
// chromedp.NewContext on it and closes them when done.
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromium(t)
	browser.once.Do(func() {
		browser.dir, browser.err = os.MkdirTemp("", "feed2md-chromium-")
		if browser.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.UserDataDir(browser.dir),
			// Every host but the test servers is unreachable at once.
			chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browser.ctx = ctx
		browser.stop = func() { cancel(); cancelAlloc() }
		// The first Run starts the browser; it must have no timeout.
		browser.err = chromedp.Do(ctx)
	})
	if browser.err != nil {
		t.Fatalf("starting %s: %v", exe, browser.err)
	}
	return browser.ctx
}

// verdicts holds whether each page verdictsFor loaded ran script, by its
// key (a body, or a whole page of TestThemeSitesRunNoScript).
var verdicts = struct {
	sync.Mutex
	ran map[string]bool
}{ran: map[string]bool{}}

// stopBrowser stops the shared browser if a test started it, and removes
// its profile folder.
func stopBrowser() {
	if browser.stop != nil {
		browser.stop()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
	}
}

// scriptsRun loads each body in headless Chromium, one trap page per
// body, and returns how many of them ran script or opened a dialog, with
// the first few offenders (in the order of bodies). A body loaded before
// (the same HTML, since TestBrowserRunsNoHostileScript began) is not
// loaded again (verdictsFor).
func scriptsRun(t *testing.T, bodies []string) (int, []string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if err != nil || i < 0 || i >= len(bodies) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, trapPage, bodies[i])
	}))
	defer srv.Close()
	// A page the browser has loaded already (the same body, byte for
	// byte, in this call or an earlier one: many vectors sanitize to the
	// same HTML, and Hugo renders many bodies as Goldmark does) has its
	// verdict: only the others are loaded.
	ranBody := verdictsFor(t, bodies, func(i int) string { return fmt.Sprintf("%s/%d", srv.URL, i) })
	ran := 0
	var offenders []string
	for i, b := range bodies {
		if ranBody[i] {
			ran++
			if len(offenders) < 5 {
				offenders = append(offenders, b)
			}
		}
	}
	return ran, offenders
}

// verdictsFor returns whether the page of each key ran script or opened
// a dialog. The page of keys[i] is served at url(i); a key with a verdict
// in verdicts is not loaded again, nor is a key twice, and the verdicts
// of the pages loaded are kept there. The keys name what decides a
// page's verdict: a body, or a whole page's path and HTML.
func verdictsFor(t *testing.T, keys []string, url func(i int) string) []bool {
	t.Helper()
	parent := sharedBrowser(t)
	// Known verdicts are copied out, so that a test clearing verdicts
	// meanwhile (TestBrowserRunsNoHostileScript, as it begins) cannot
	// turn one into "ran none".
	known := map[string]bool{}
	var todo []int // the index in keys of each page to load
	verdicts.Lock()
	for i, k := range keys {
		if _, ok := known[k]; ok {
			continue
		}
		if v, seen := verdicts.ran[k]; seen {
			known[k] = v
			continue
		}
		known[k] = false
		todo = append(todo, i)
	}
	verdicts.Unlock()
	urls := make([]string, len(todo))
	for j, i := range todo {
		urls[j] = url(i)
	}
	ran := loadPages(t, parent, urls)
	verdicts.Lock()
	for j, i := range todo {
		verdicts.ran[keys[i]] = ran[j]
		known[keys[i]] = ran[j]
	}
	verdicts.Unlock()
	t.Logf("%d pages, %d loaded in the browser", len(keys), len(todo))
	out := make([]bool, len(keys))
	for i, k := range keys {
		out[i] = known[k]
	}
	return out
}

// loadPages loads each URL in a tab of the browser parent (visit), and
// returns whether each ran script or opened a dialog. The pages are
// shared among browserTabs tabs, each loading its pages one after the
// other and counting its own dialogs.
func loadPages(t *testing.T, parent context.Context, urls []string) []bool {
	t.Helper()
	ranPage := make([]bool, len(urls))
	next := make(chan int)
	go func() {
		for i := range urls {
			next <- i
		}
		close(next)
	}()
	var wg sync.WaitGroup
	var tabErr atomic.Value
	for range min(browserTabs, len(urls)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := chromedp.NewContext(parent)
			defer cancel()
			var dialogs atomic.Int64
			err := chromedp.Listen(ctx, func(ev any) {
				if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
					dialogs.Add(1)
					go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
				}
			})
			if err != nil {
				tabErr.Store(err)
				for range next {
				}
				return
			}
			for i := range next {
				before := dialogs.Load()
				runCtx, cancelRun := context.WithTimeout(ctx, 20*time.Second)
				n, err := visit(runCtx, urls[i])
				cancelRun()
				if err != nil {
					// A page that navigated away (a meta refresh, a
					// javascript: URL replacing the document) counts as running.
					n = 1
				}
				ranPage[i] = n > 0 || dialogs.Load() > before
			}
		}()
	}
	wg.Wait()
	if err, _ := tabErr.Load().(error); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ranPage
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
	t.Parallel() // see TestMain
	if testing.Short() {
		t.Skip("SKIPPED: -short: the browser test takes a minute")
	}
	// Verdicts are kept within one run of the test: with -count=2, every
	// page is loaded again.
	verdicts.Lock()
	clear(verdicts.ran)
	verdicts.Unlock()
	vectors := bodytest.HostileVectors(t)
	md := newTestConverter(t, t.TempDir(), func(o *Options) { o.Body = BodyMarkdown })
	var bodies []string
	for _, v := range vectors {
		clean := body.Sanitize(v, bodytest.Base)
		bodies = append(bodies, clean)
		m, _, err := md.base.bodies.Markdown(v, bodytest.Base, true)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, bodytest.MarkdownToHTML(t, body.EscapeShortcodes(m, true)))
	}
	if ran, offenders := scriptsRun(t, bodies); ran > 0 {
		t.Errorf("%d sanitized bodies ran script, e.g.:\n%s", ran, strings.Join(offenders, "\n"))
	}
	// What a reader gets: the pages the real Hugo renders from the bodies
	// as written, HTML under unsafe = true and Markdown under stock Hugo.
	t.Run("hugo pages", func(t *testing.T) {
		var pages []string
		for _, mode := range []string{BodyHTML, BodyMarkdown} {
			pages = append(pages, hugoPages(t, bodytest.TestdataBodies(t), mode)...)
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
	// The first vector twice: a page loaded once counts for each body
	// that makes it.
	raw = append(raw, raw[0])
	if ran, _ := scriptsRun(t, raw); ran != len(raw) {
		t.Errorf("the trap caught %d of %d raw vectors: it cannot be trusted", ran, len(raw))
	}
}

package convert

import (
	"bytes"
	"context"
	"feed2md/convert/body"
	"feed2md/convert/body/benchfeed"
	"feed2md/convert/feed"
	"feed2md/convert/feed/corpustest"
	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// largeItems is the size of the migration benchmark: a 10,000-post blog.
const largeItems = 10000

// benchDir holds the benchmark feeds, written once per test binary and
// removed by TestMain.
var benchDir string

// benchFeed is a large feed written to a file once per test binary. Its
// bytes are not kept: a copy held by the benchmark would raise the garbage
// collector's heap goal, and so the peak heap measured, by its size.
type benchFeed struct {
	once sync.Once
	path string
	size int
}

var generatedFeed, realPostsFeed benchFeed

// load builds the feed with gen the first time and writes it to benchDir.
// It returns the file's path and size.
func (f *benchFeed) load(b *testing.B, name string, gen func() []byte) (string, int) {
	f.once.Do(func() {
		if benchDir == "" {
			dir, err := os.MkdirTemp("", "feed2md-bench-")
			if err != nil {
				panic(err)
			}
			benchDir = dir
		}
		data := gen()
		f.path = filepath.Join(benchDir, name)
		if err := os.WriteFile(f.path, data, 0o644); err != nil {
			panic(err)
		}
		f.size = len(data)
	})
	if f.size == 0 {
		b.Fatalf("%s could not be built", name)
	}
	return f.path, f.size
}

// largeFeed is the generated 10,000-item feed (bigFeed).
func largeFeed(b *testing.B) (string, int) {
	return generatedFeed.load(b, "large.xml", func() []byte { return feedtest.Big(largeItems, 1) })
}

// realLargeFeed is 10,000 items whose bodies are real blog posts from
// ../shared/corpus (benchfeed.Real); it skips loudly when that is missing.
func realLargeFeed(b *testing.B) (string, int) {
	corpustest.SharedDir(b)
	return realPostsFeed.load(b, "real.xml", func() []byte { return benchfeed.Real(b, largeItems) })
}

// floorRun is benchfeed.Floor, which the real work is measured against.
func floorRun(b *testing.B, path, out string) int {
	n, err := benchfeed.Floor(path, out)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// realRun converts the file into out with the given body mode, with the
// state file on, as the command runs by default.
func realRun(b *testing.B, path, out, body string) *Result {
	res := convertSource(b, context.Background(), out, path, func(o *Options) {
		o.Body = body
		o.CacheDir = filepath.Join(out, ".cache")
		o.Memory = (&MemoryBudget{Set: debug.SetMemoryLimit}).Add // as the command
	})
	if res.Failed() {
		b.Fatalf("%v %v", res.Err, res.Errors)
	}
	return res
}

// peakHeap runs fn and returns the peak of live heap objects while it ran,
// sampled every millisecond, above what was live before.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// BenchmarkLargeFeed converts the 10,000-item feed into an empty folder
// with HTML and Markdown bodies, re-runs over the unchanged folder, and
// measures the floor in the same run. Besides items/s and MB/s it reports
// the ratios the targets are stated in: html/floor (≤ 1.5), md/floor
// (≤ 4), rerun/first (≤ 0.3) and peak-heap/feed (≤ 4).
//
// It runs on the generated feed and on a feed of real blog posts.
func BenchmarkLargeFeed(b *testing.B) {
	b.Run("generated", func(b *testing.B) { benchLarge(b, largeFeed) })
	b.Run("real", func(b *testing.B) { benchLarge(b, realLargeFeed) })
}

func benchLarge(b *testing.B, feed func(*testing.B) (string, int)) {
	// The command's garbage collector settings (see GCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(MemoryLimitMin))
	path, size := feed(b)
	mb := float64(size) / 1e6
	var html, md time.Duration
	var htmlRatio, mdRatio, rerunRatio []float64
	var peak uint64
	timed := func(fn func()) time.Duration {
		runtime.GC()
		start := time.Now()
		fn()
		return time.Since(start)
	}
	for i := 0; i < b.N; i++ {
		dirs := [3]string{b.TempDir(), b.TempDir(), b.TempDir()}
		floorTime := timed(func() {
			if n := floorRun(b, path, dirs[0]); n != largeItems {
				b.Fatalf("floor saw %d items", n)
			}
		})
		htmlTime := timed(func() {
			peak = max(peak, peakHeap(func() {
				if res := realRun(b, path, dirs[1], BodyHTML); res.New != largeItems {
					b.Fatalf("html run wrote %d files", res.New)
				}
			}))
		})
		mdTime := timed(func() {
			if res := realRun(b, path, dirs[2], BodyMarkdown); res.New != largeItems {
				b.Fatalf("markdown run wrote %d files", res.New)
			}
		})
		rerunTime := timed(func() {
			if res := realRun(b, path, dirs[1], BodyHTML); res.New+res.Updated != 0 {
				b.Fatalf("re-run wrote %d files", res.New+res.Updated)
			}
		})
		html += htmlTime
		md += mdTime
		htmlRatio = append(htmlRatio, htmlTime.Seconds()/floorTime.Seconds())
		mdRatio = append(mdRatio, mdTime.Seconds()/floorTime.Seconds())
		rerunRatio = append(rerunRatio, rerunTime.Seconds()/htmlTime.Seconds())
	}
	n := float64(b.N)
	b.ReportMetric(float64(largeItems)*n/html.Seconds(), "html-items/s")
	b.ReportMetric(mb*n/html.Seconds(), "html-MB/s")
	b.ReportMetric(float64(largeItems)*n/md.Seconds(), "md-items/s")
	b.ReportMetric(mb*n/md.Seconds(), "md-MB/s")
	// The ratios are medians over the iterations, each against the floor
	// measured just before it, so that one slow moment of a shared
	// machine does not decide them.
	b.ReportMetric(benchfeed.Median(htmlRatio), "html/floor")
	b.ReportMetric(benchfeed.Median(mdRatio), "md/floor")
	b.ReportMetric(benchfeed.Median(rerunRatio), "rerun/first")
	b.ReportMetric(float64(peak)/float64(size), "peak-heap/feed")
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
}

// benchOne runs fn b.N times over the 10,000-item feed and reports
// items/s and MB/s.
func reportItems(b *testing.B, items, bytes int) {
	b.ReportMetric(float64(items)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(bytes)*float64(b.N)/1e6/b.Elapsed().Seconds(), "MB/s")
}

// BenchmarkFloor is the floor alone.
func BenchmarkFloor(b *testing.B) {
	path, size := largeFeed(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		floorRun(b, path, b.TempDir())
	}
	reportItems(b, largeItems, size)
}

// BenchmarkConvertHTML and BenchmarkConvertMarkdown are the whole feed
// into an empty folder.
func BenchmarkConvertHTML(b *testing.B)     { benchConvert(b, BodyHTML) }
func BenchmarkConvertMarkdown(b *testing.B) { benchConvert(b, BodyMarkdown) }

func benchConvert(b *testing.B, body string) {
	path, size := largeFeed(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		realRun(b, path, b.TempDir(), body)
	}
	reportItems(b, largeItems, size)
}

// BenchmarkRerunUnchanged re-runs over a folder that already holds every
// item, without the state file (so the feed is parsed and every file
// compared) and with it (so identical bytes are skipped).
func BenchmarkRerunUnchanged(b *testing.B) {
	path, size := largeFeed(b)
	for _, cached := range []bool{false, true} {
		b.Run(fmt.Sprintf("state=%t", cached), func(b *testing.B) {
			out, cache := b.TempDir(), b.TempDir()
			opts := func(o *Options) {
				if cached {
					o.CacheDir = cache
				}
			}
			run := func() *Result {
				c := newTestConverter(b, out, opts)
				src, _ := fetch.ParseSource(path)
				res := c.Convert(context.Background(), src)
				c.Close()
				return res
			}
			run()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res := run(); res.New+res.Updated != 0 || res.Failed() {
					b.Fatalf("re-run: %+v", res)
				}
			}
			reportItems(b, largeItems, size)
		})
	}
}

// BenchmarkSmallFeed is a 50-item feed end to end, as cron runs see it.
func BenchmarkSmallFeed(b *testing.B) {
	data := feedtest.Big(50, 2)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := newTestConverter(b, b.TempDir(), func(o *Options) { o.Stdin = bytes.NewReader(data) })
		src, _ := fetch.ParseSource("-")
		if res := c.Convert(context.Background(), src); res.New != 50 {
			b.Fatalf("%+v", res)
		}
		c.Close()
	}
	reportItems(b, 50, len(data))
}

// BenchmarkStages measures each stage alone over the large feed's items.
func BenchmarkStages(b *testing.B) {
	path, _ := largeFeed(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	d, err := feed.Decode(data, "", 0)
	if err != nil {
		b.Fatal(err)
	}
	parsed, err := feed.ParseFeed(d)
	if err != nil {
		b.Fatal(err)
	}
	items := parsed.Items
	c := newTestConverter(b, b.TempDir(), nil)
	fi := newFeedInfo(parsed, fetch.Source{Path: "large.xml"}, "", c.base)
	stop := frontmatter.DefaultStopwords()
	run := func(name string, fn func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			fn(b)
		})
	}
	run("decode+parse (one core)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d, _ := feed.Decode(data, "", 0)
			if _, err := feed.ParseFeed(d); err != nil {
				b.Fatal(err)
			}
		}
		reportItems(b, len(items), len(data))
	})
	run("decode+parse (streamed, bodies stashed, all cores)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p, err := feed.Parse(context.Background(), &fetch.Fetched{Body: data}, "", false, "", runtime.NumCPU())
			list := p.Items
			if err != nil {
				b.Fatal(err)
			}
			for k := 0; k < list.Total; k++ {
				if _, err := list.Get(k); err != nil {
					b.Fatal(err)
				}
			}
			list.Stop()
		}
		reportItems(b, len(items), len(data))
	})
	run("cleanup", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, it := range items {
				body.PlainText(it.Title)
				body.PlainText(it.Description)
			}
		}
		reportItems(b, len(items), 0)
	})
	run("tags", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, it := range items {
				frontmatter.Tags(it.Title, stop, 5)
			}
		}
		reportItems(b, len(items), 0)
	})
	run("slug", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, it := range items {
				frontmatter.Slug(it.Title, it.GUID)
			}
		}
		reportItems(b, len(items), 0)
	})
	run("sanitize", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, it := range items {
				body.Sanitize(it.Content, it.Link)
			}
		}
		reportItems(b, len(items), len(data))
	})
	run("markdown (parse, sanitize the tree, convert)", func(b *testing.B) {
		md := newTestConverter(b, b.TempDir(), func(o *Options) { o.Body = BodyMarkdown })
		for i := 0; i < b.N; i++ {
			for _, it := range items[:1000] {
				if _, _, err := md.base.bodies.Markdown(it.Content, it.Link, true); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportItems(b, 1000, 0)
	})
	preps := c.prepareAll(items, fi)
	run("prepare (all stages of an item)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c.prepareAll(items, fi)
		}
		reportItems(b, len(items), len(data))
	})
	run("render", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, p := range preps {
				fm := p.FM
				fm.Date = "2026-01-02"
				if _, err := frontmatter.Render(c.opts.Template, &fm, p.body); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportItems(b, len(preps), 0)
	})
	run("write", func(b *testing.B) {
		body := []byte(strings.Repeat("x", 5000))
		for i := 0; i < b.N; i++ {
			dir := b.TempDir()
			for j := 0; j < len(items); j++ {
				if err := folder.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.md", j)), body); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportItems(b, len(items), 0)
	})
}

// prepareAll runs the clean-up and body stages of every item on all
// workers, keeping feed order.
func (c *Converter) prepareAll(items []*gofeed.Item, fi feedInfo) []*prepared {
	preps := make([]*prepared, len(items))
	list := feed.SliceItems(append([]*gofeed.Item(nil), items...))
	c.pipeline(context.Background(), list, fi, func(i int, p *prepared) { preps[i] = p })
	return preps
}

// BenchmarkLargeFeedHTMLAlloc is BenchmarkLargeFeed's HTML run alone, for
// what it allocates per item (B/item, allocs/item) and the collector's
// share of the CPU (gc-cpu-%): the first conversion of the 10,000-item
// feeds into an empty folder, with the command's collector settings.
//
//	TMPDIR=/dev/shm go test ./convert -run XXX -bench LargeFeedHTMLAlloc -benchtime 3x
func BenchmarkLargeFeedHTMLAlloc(b *testing.B) {
	for _, c := range []struct {
		name string
		feed func(*testing.B) (string, int)
	}{{"generated", largeFeed}, {"real", realLargeFeed}} {
		b.Run(c.name, func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(MemoryLimit))
			path, _ := c.feed(b)
			var before, after runtime.MemStats
			var bytes, objects uint64
			var gc, busy float64 // seconds of CPU: the collector's, and all but idle
			cpu := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}}
			for b.Loop() {
				dir := b.TempDir()
				runtime.GC()
				runtime.ReadMemStats(&before)
				metrics.Read(cpu)
				gc0, total0, idle0 := cpu[0].Value.Float64(), cpu[1].Value.Float64(), cpu[2].Value.Float64()
				if res := realRun(b, path, dir, BodyHTML); res.New != largeItems {
					b.Fatalf("html run wrote %d files", res.New)
				}
				runtime.ReadMemStats(&after)
				metrics.Read(cpu)
				gc += cpu[0].Value.Float64() - gc0
				busy += cpu[1].Value.Float64() - total0 - (cpu[2].Value.Float64() - idle0)
				bytes += after.TotalAlloc - before.TotalAlloc
				objects += after.Mallocs - before.Mallocs
			}
			n := float64(b.N * largeItems)
			b.ReportMetric(float64(bytes)/n, "B/item")
			b.ReportMetric(float64(objects)/n, "allocs/item")
			b.ReportMetric(n/b.Elapsed().Seconds(), "items/s")
			// The runtime's estimates (runtime/metrics): the collector's
			// share of the CPU time the run kept busy.
			b.ReportMetric(100*gc/busy, "gc-cpu-%")
		})
	}
}

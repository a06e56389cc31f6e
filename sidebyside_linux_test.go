package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"feed2md/convert/body/benchfeed"
)

// benchChild runs what BenchmarkSideBySide started this test binary for,
// if anything, and exits: a spawning child (spawn) or the floor
// (floorChild).
func benchChild() {
	if report := os.Getenv(spawnEnv); report != "" {
		os.Exit(spawn(report))
	}
	if spec := os.Getenv(floorEnv); spec != "" {
		os.Exit(floorChild(spec))
	}
}

// floorEnv names the feed and the folder ("FEED PATH|OUT") a child test
// binary runs benchfeed.Floor on (floorChild); it is set only for the
// children of BenchmarkSideBySide.
const floorEnv = "FEED2MD_FLOOR_CHILD"

// floorChild runs benchfeed.Floor as TestMain's child and returns the exit
// code.
func floorChild(spec string) int {
	path, out, _ := strings.Cut(spec, "|")
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n, err := benchfeed.Floor(path, out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(n)
	return 0
}

// sideItems and smallItems are the sizes of the side-by-side feeds.
const (
	sideItems  = 10000
	smallItems = 50
)

// processRun is what one child process took.
type processRun struct {
	wall time.Duration
	rss  int64 // peak RSS in bytes
}

// runProcess runs the test binary as a child: the command itself with
// args (FEED2MD_RUN_MAIN), or the floor when env names it. cache is the
// child's XDG_CACHE_HOME, where the command keeps its state.
//
// The child is started by a small process of its own (spawnEnv, spawn),
// which measures it: Linux counts the peak RSS of the process that started
// a program as the program's own (the memory of a vfork is shared until
// exec), and this benchmark holds the feed, so that its children would all
// seem to take at least as much.
func runProcess(b *testing.B, cache string, env []string, args ...string) processRun {
	report := filepath.Join(b.TempDir(), "measured")
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache, spawnEnv+"="+report)
	cmd.Env = append(cmd.Env, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v %q: %v\n%s", env, args, err, out)
	}
	measured, err := os.ReadFile(report)
	if err != nil {
		b.Fatal(err)
	}
	var wall time.Duration
	var rss int64
	if _, err := fmt.Sscan(string(measured), &wall, &rss); err != nil {
		b.Fatalf("%s: %v", measured, err)
	}
	return processRun{wall: wall, rss: rss}
}

// spawnEnv names the file a spawning child (spawn) writes its
// measurement to.
const spawnEnv = "FEED2MD_SPAWN"

// spawn is TestMain's spawning child: it runs the test binary again with
// its own arguments and environment (but spawnEnv), and writes to report
// the child's wall time and peak RSS in bytes.
func spawn(report string) int {
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, spawnEnv+"=") })
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if err := os.WriteFile(report, []byte(fmt.Sprint(int64(wall), ru.Maxrss*1024)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// BenchmarkSideBySide is the run issue 23 is checked by, the command as
// users run it, in child processes: on a feed of 10,000 real blog posts
// (benchfeed.Real, 67 MB; it skips loudly without ../shared), the floor
// (benchfeed.Floor on one core: GOMAXPROCS=1), then the command with HTML
// bodies, with Markdown bodies, a re-run over the HTML folder, and a
// 50-item feed of the same posts into an empty folder, with its own floor.
// Each iteration is one round; the figures are medians over the rounds,
// each ratio against the floor measured in the same round:
//
//	html/floor    ≤ 1.0     md/floor      ≤ 1.5
//	rerun/first   ≤ 0.1     small-s       ≤ 0.03 (small/floor beside it)
//	peak-RSS/feed ≤ 1.5 (the larger of the HTML and Markdown runs)
//
// Run it on tmpfs, three rounds, nothing else busy:
//
//	TMPDIR=/dev/shm go test -run XXX -bench SideBySide -benchtime 3x
//
// It is long because it is the round in order, then the report.
func BenchmarkSideBySide(b *testing.B) {
	dir := b.TempDir()
	feed := filepath.Join(dir, "real.xml")
	small := filepath.Join(dir, "small.xml")
	data := benchfeed.Real(b, sideItems)
	if err := os.WriteFile(feed, data, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(small, benchfeed.Real(b, smallItems), 0o644); err != nil {
		b.Fatal(err)
	}
	size := float64(len(data))
	data = nil
	var html, md, rerun, smallRun, rss, smallFloor []float64
	var htmlWall, mdWall time.Duration
	for i := 0; i < b.N; i++ {
		round := b.TempDir()
		cache := filepath.Join(round, "cache")
		run := func(args ...string) processRun {
			return runProcess(b, cache, []string{"FEED2MD_RUN_MAIN=1"}, args...)
		}
		floor := func(path, out string) processRun {
			return runProcess(b, cache, []string{"GOMAXPROCS=1", floorEnv + "=" + path + "|" + filepath.Join(round, out)})
		}
		fl := floor(feed, "floor")
		h := run("-q", "-o", filepath.Join(round, "html"), feed)
		m := run("-q", "-body", "markdown", "-o", filepath.Join(round, "md"), feed)
		r := run("-q", "-o", filepath.Join(round, "html"), feed)
		sf := floor(small, "small-floor")
		s := run("-q", "-o", filepath.Join(round, "small"), small)
		htmlWall += h.wall
		mdWall += m.wall
		html = append(html, h.wall.Seconds()/fl.wall.Seconds())
		md = append(md, m.wall.Seconds()/fl.wall.Seconds())
		rerun = append(rerun, r.wall.Seconds()/h.wall.Seconds())
		smallRun = append(smallRun, s.wall.Seconds())
		smallFloor = append(smallFloor, s.wall.Seconds()/sf.wall.Seconds())
		rss = append(rss, float64(max(h.rss, m.rss))/size)
	}
	n := float64(b.N)
	b.ReportMetric(sideItems*n/htmlWall.Seconds(), "html-items/s")
	b.ReportMetric(sideItems*n/mdWall.Seconds(), "md-items/s")
	b.ReportMetric(benchfeed.Median(html), "html/floor")
	b.ReportMetric(benchfeed.Median(md), "md/floor")
	b.ReportMetric(benchfeed.Median(rerun), "rerun/first")
	b.ReportMetric(benchfeed.Median(smallRun), "small-s")
	b.ReportMetric(benchfeed.Median(smallFloor), "small/floor")
	b.ReportMetric(slices.Max(rss), "peak-RSS/feed")
}

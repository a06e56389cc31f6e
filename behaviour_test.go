package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// behaviourModes are the ways every corpus feed is converted: flat files
// and leaf bundles, each with HTML bodies, Markdown bodies and raw HTML.
var behaviourModes = []struct {
	name string
	args []string
}{
	{"html", nil},
	{"markdown", []string{"-body", "markdown"}},
	{"raw", []string{"-raw"}},
	{"bundle", []string{"-bundle"}},
	{"bundle+markdown", []string{"-bundle", "-body", "markdown"}},
	{"bundle+raw", []string{"-bundle", "-raw"}},
}

// TestBehaviourUnchanged is a differential check for refactorings: it
// builds the command at the git revision $FEED2MD_BEFORE and from this
// working tree, runs both on every feed of ../shared/corpus/MANIFEST.tsv in
// every mode of behaviourModes, then once more into the same folder (a
// re-run), and fails unless the exit status, stdout, stderr and every file
// written (the output folder with its .feed2md-ids.json, and the cache
// folder with the state file) are the same byte for byte.
//
// Both binaries run in the same absolute folder, one after the other (the
// first one's folder is moved aside meanwhile), so that the absolute paths
// in the state file and in messages agree; the feed is reached through a
// symlink beside that folder, at the same path for both. TZ=UTC, so that
// an undated item (dated by the run's clock) gets the day alone: only a
// change of day between the two runs can tell them apart, and a failure
// says when that happened.
func TestBehaviourUnchanged(t *testing.T) {
	rev := os.Getenv("FEED2MD_BEFORE")
	if rev == "" {
		t.Skip("SKIPPED: TestBehaviourUnchanged is opt-in. To check that this working tree behaves " +
			"as revision REV did on the whole corpus, run: FEED2MD_BEFORE=REV go test -run TestBehaviourUnchanged . " +
			"(for example FEED2MD_BEFORE=main before merging a refactoring)")
	}
	corpus, err := filepath.Abs(filepath.Join("..", "shared", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(corpus, "MANIFEST.tsv")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("in CI ../shared must be beside the clone: %v", err)
		}
		t.Skipf("SKIPPED: %v: TestBehaviourUnchanged needs ../shared/corpus beside the clone", err)
	}
	feeds := manifestFeeds(t, corpus)
	tmp := t.TempDir()
	start := time.Now()
	commit, before := buildRevision(t, rev, tmp)
	after := filepath.Join(tmp, "feed2md-after")
	goBuild(t, ".", after)
	t.Logf("built %s (%s) and the working tree in %v", rev, commit[:12], time.Since(start).Round(time.Millisecond))

	start = time.Now()
	workers := runtime.NumCPU()
	root := runRoot(t)
	diffs, stats := compareAll(t, root, corpus, feeds, workers, before, after)
	t.Logf("compared %d feeds × %d modes, each run then re-run by both binaries (%d runs), with %d workers under %s in %v",
		len(feeds), len(behaviourModes), 4*len(feeds)*len(behaviourModes), workers, root, time.Since(start).Round(time.Second))
	t.Logf("the working tree's first runs: %d of %d exited 0, %d Markdown files written", stats.ok, stats.runs, stats.markdown)
	if stats.markdown == 0 {
		t.Errorf("no run wrote a Markdown file: the check compares nothing")
	}
	if len(diffs) == 0 {
		return
	}
	sort.Strings(diffs)
	const most = 30
	shown := diffs[:min(len(diffs), most)]
	more := ""
	if len(diffs) > most {
		more = fmt.Sprintf("\n... and %d more", len(diffs)-most)
	}
	t.Errorf("%d feed+mode runs of the working tree differ from %s (%s):\n%s%s",
		len(diffs), rev, commit[:12], strings.Join(shown, "\n"), more)
}

// runRoot returns a folder for the runs: one in /dev/shm where that is a
// tmpfs folder this user may write (the check takes a third of the time
// there as on a disk, since each run creates and removes hundreds of
// files), else one in t.TempDir. The binaries stay in t.TempDir, since
// /dev/shm may be mounted noexec.
func runRoot(t *testing.T) string {
	if runtime.GOOS == "linux" {
		if dir, err := os.MkdirTemp("/dev/shm", "feed2md-behaviour-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// manifestFeeds returns the paths in the first column of corpus's
// MANIFEST.tsv, failing when one is not there.
func manifestFeeds(t *testing.T, corpus string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var feeds []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		path, _, _ := strings.Cut(sc.Text(), "\t")
		if path == "" || path == "path" {
			continue
		}
		if _, err := os.Stat(filepath.Join(corpus, path)); err != nil {
			t.Errorf("MANIFEST.tsv lists %s: %v", path, err)
		}
		feeds = append(feeds, path)
	}
	if len(feeds) == 0 {
		t.Fatal("MANIFEST.tsv lists no feed")
	}
	return feeds
}

// buildRevision builds the command at git revision rev (exported with git
// archive, so that no worktree is left behind) and returns the commit and
// the binary.
func buildRevision(t *testing.T, rev, tmp string) (commit, bin string) {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--verify", "--end-of-options", rev+"^{commit}").Output()
	if err != nil {
		t.Fatalf("FEED2MD_BEFORE=%s is no commit of this repository (git rev-parse: %v)", rev, err)
	}
	commit = strings.TrimSpace(string(out))
	src := filepath.Join(tmp, "before-src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	archive := exec.Command("git", "archive", "--format=tar", commit)
	untar := exec.Command("tar", "-x", "-C", src)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	untar.Stdin = pipe
	var errs bytes.Buffer
	archive.Stderr, untar.Stderr = &errs, &errs
	if err := untar.Start(); err != nil {
		t.Fatal(err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("git archive %s: %v\n%s", commit, err, errs.Bytes())
	}
	if err := untar.Wait(); err != nil {
		t.Fatalf("tar -x of git archive %s: %v\n%s", commit, err, errs.Bytes())
	}
	bin = filepath.Join(tmp, "feed2md-before")
	goBuild(t, src, bin)
	return commit, bin
}

// goBuild builds the command in dir as bin. -buildvcs=false for both
// sides, so that neither binary knows more of its origin than the other.
func goBuild(t *testing.T, dir, bin string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build in %s: %v\n%s", dir, err, out)
	}
}

// runStats counts the working tree's first runs, the ones that exited 0,
// and the Markdown files they wrote, to show that the check compared
// something.
type runStats struct{ runs, ok, markdown int }

// compareAll runs every feed in every mode on workers goroutines and
// returns one line for each feed and mode whose runs differ.
func compareAll(t *testing.T, tmp, corpus string, feeds []string, workers int, before, after string) ([]string, runStats) {
	type job struct {
		feed string
		mode int
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var diffs []string
	var stats runStats
	var wg sync.WaitGroup
	for i := range workers {
		w := &diffWorker{ctx: t.Context(), dir: filepath.Join(tmp, fmt.Sprint("w", i)), before: before, after: after}
		if err := os.MkdirAll(w.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// The feeds are read as ../corpus/PATH from the run folder.
		if err := os.Symlink(corpus, filepath.Join(w.dir, "corpus")); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for j := range jobs {
				m := behaviourModes[j.mode]
				diff, first, err := w.compare(j.feed, m.args)
				if err != nil {
					diff = fmt.Sprintf("the check itself failed: %v", err)
				}
				mu.Lock()
				if diff != "" {
					line := fmt.Sprintf("%s [%s]: %s", j.feed, m.name, diff)
					if len(line) > 400 {
						line = line[:400] + "…"
					}
					diffs = append(diffs, line)
				}
				stats.runs++
				if first.status == "exit status 0" {
					stats.ok++
				}
				for name := range first.tree {
					if strings.HasSuffix(name, ".md") {
						stats.markdown++
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, feed := range feeds {
		for mode := range behaviourModes {
			jobs <- job{feed, mode}
		}
	}
	close(jobs)
	wg.Wait()
	return diffs, stats
}

// diffWorker runs both binaries in dir/run, moving each one's folder
// aside to dir/before and dir/after between runs.
type diffWorker struct {
	ctx           context.Context
	dir           string
	before, after string
}

// runOutcome is what one run showed: its exit status, its output, and
// every file and folder under the run folder by relative path.
type runOutcome struct {
	status         string
	stdout, stderr []byte
	tree           map[string]treeEntry
}

// treeEntry is a file's permission bits and content, a folder's bits, or
// a symlink's target.
type treeEntry struct {
	mode fs.FileMode
	data []byte
}

// compare converts feed with both binaries, then again into the same
// folders, and returns what differs ("" when nothing does) and the first
// run of the working tree.
func (w *diffWorker) compare(feed string, mode []string) (string, runOutcome, error) {
	run, bdir, adir := filepath.Join(w.dir, "run"), filepath.Join(w.dir, "before"), filepath.Join(w.dir, "after")
	for _, d := range []string{run, bdir, adir} {
		if err := os.RemoveAll(d); err != nil {
			return "", runOutcome{}, err
		}
	}
	args := append(append([]string{"-v", "-cache-dir", "cache", "-o", "out"}, mode...), filepath.Join("..", "corpus", feed))
	day := time.Now().UTC().Format(time.DateOnly)
	var outcomes [4]runOutcome
	// The first runs back to back, from fresh folders; then the re-runs.
	for i, step := range []struct {
		bin, keep string
		fresh     bool
	}{{w.before, bdir, true}, {w.after, adir, true}, {w.before, bdir, false}, {w.after, adir, false}} {
		var err error
		if step.fresh {
			err = os.Mkdir(run, 0o755)
		} else {
			err = os.Rename(step.keep, run)
		}
		if err == nil {
			outcomes[i], err = w.run(step.bin, run, args)
		}
		if err == nil {
			err = os.Rename(run, step.keep)
		}
		if err != nil {
			return "", runOutcome{}, err
		}
	}
	var diffs []string
	if d := outcomeDiff(outcomes[0], outcomes[1]); d != "" {
		diffs = append(diffs, "first run: "+d)
	}
	if d := outcomeDiff(outcomes[2], outcomes[3]); d != "" {
		diffs = append(diffs, "re-run: "+d)
	}
	if len(diffs) > 0 && time.Now().UTC().Format(time.DateOnly) != day {
		diffs = append(diffs, "(the UTC day changed during these runs: an undated item's date may differ; run the test again)")
	}
	return strings.Join(diffs, "; "), outcomes[1], nil
}

// run runs bin with args in dir and reads what it left there.
func (w *diffWorker) run(bin, dir string, args []string) (runOutcome, error) {
	ctx, cancel := context.WithTimeout(w.ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TZ=UTC", "XDG_CACHE_HOME="+filepath.Join(dir, "xdg-cache"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		return runOutcome{}, fmt.Errorf("%s: %v", bin, err)
	}
	if ctx.Err() != nil {
		return runOutcome{}, fmt.Errorf("%s %q ran over 2 minutes", bin, args)
	}
	o := runOutcome{status: cmd.ProcessState.String(), stdout: stdout.Bytes(), stderr: stderr.Bytes(), tree: map[string]treeEntry{}}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := treeEntry{mode: info.Mode()}
		switch {
		case d.Type().IsRegular():
			e.data, err = os.ReadFile(p)
		case d.Type()&fs.ModeSymlink != 0:
			var target string
			target, err = os.Readlink(p)
			e.data = []byte(target)
		}
		rel, _ := filepath.Rel(dir, p)
		o.tree[filepath.ToSlash(rel)] = e
		return err
	})
	return o, err
}

// outcomeDiff says how a and b (before and after) differ: the exit
// status, stdout, stderr, the names found on one side only, and the
// first file whose bits or bytes differ, with a count of the others.
func outcomeDiff(a, b runOutcome) string {
	var diffs []string
	if a.status != b.status {
		diffs = append(diffs, fmt.Sprintf("%s before, %s after", a.status, b.status))
	}
	if d := textDiff(a.stdout, b.stdout); d != "" {
		diffs = append(diffs, "stdout "+d)
	}
	if d := textDiff(a.stderr, b.stderr); d != "" {
		diffs = append(diffs, "stderr "+d)
	}
	var onlyBefore, onlyAfter, differ []string
	for name := range a.tree {
		if _, ok := b.tree[name]; !ok {
			onlyBefore = append(onlyBefore, name)
		}
	}
	for name, eb := range b.tree {
		ea, ok := a.tree[name]
		switch {
		case !ok:
			onlyAfter = append(onlyAfter, name)
		case ea.mode != eb.mode || !bytes.Equal(ea.data, eb.data):
			differ = append(differ, name)
		}
	}
	diffs = append(diffs, nameList("only before", onlyBefore)...)
	diffs = append(diffs, nameList("only after", onlyAfter)...)
	if len(differ) > 0 {
		// The output folder first: a changed option changes the state
		// file in cache/ too, but the Markdown file says more.
		inCache := func(name string) int {
			if strings.HasPrefix(name, "cache/") {
				return 1
			}
			return 0
		}
		slices.SortFunc(differ, func(x, y string) int {
			return cmp.Or(cmp.Compare(inCache(x), inCache(y)), cmp.Compare(x, y))
		})
		ea, eb := a.tree[differ[0]], b.tree[differ[0]]
		what := textDiff(ea.data, eb.data)
		if ea.mode != eb.mode {
			what = fmt.Sprintf("mode %v before, %v after", ea.mode, eb.mode)
		}
		others := ""
		if len(differ) > 1 {
			others = fmt.Sprintf(" (and %d more files)", len(differ)-1)
		}
		diffs = append(diffs, fmt.Sprintf("%s %s%s", differ[0], what, others))
	}
	return strings.Join(diffs, ", ")
}

// nameList names up to three of names, with a count of the rest.
func nameList(label string, names []string) []string {
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	s := label + ": " + strings.Join(names[:min(len(names), 3)], " ")
	if len(names) > 3 {
		s += fmt.Sprintf(" (+%d)", len(names)-3)
	}
	return []string{s}
}

// textDiff shows the first line where a and b (before and after) differ,
// each cut to 60 bytes around the first differing byte; "" when equal.
func textDiff(a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	la, lb := bytes.SplitAfter(a, []byte("\n")), bytes.SplitAfter(b, []byte("\n"))
	i := 0
	for i < len(la) && i < len(lb) && bytes.Equal(la[i], lb[i]) {
		i++
	}
	line := func(lines [][]byte) []byte {
		if i < len(lines) && len(lines[i]) > 0 { // SplitAfter ends with "" after a final newline
			return lines[i]
		}
		return nil
	}
	x, y := line(la), line(lb)
	at := 0
	for at < len(x) && at < len(y) && x[at] == y[at] {
		at++
	}
	cut := func(s []byte) string {
		if s == nil {
			return "the end"
		}
		from := min(len(s), max(0, at-20))
		return fmt.Sprintf("%q", s[from:min(len(s), from+60)])
	}
	return fmt.Sprintf("line %d: %s before, %s after", i+1, cut(x), cut(y))
}

// TestOutcomeDiff: what TestBehaviourUnchanged reports, on outcomes made
// by hand (that test itself is opt-in and slow).
func TestOutcomeDiff(t *testing.T) {
	file := func(s string) treeEntry { return treeEntry{mode: 0o644, data: []byte(s)} }
	base := runOutcome{status: "exit status 0", stdout: []byte("out/a.md\n"), stderr: []byte("feed: 1 item\n"),
		tree: map[string]treeEntry{"out/a.md": file("---\ntitle: \"A\"\n---\n"), "cache/state-1.json": file("{}\n")}}
	same := base
	if d := outcomeDiff(base, same); d != "" {
		t.Errorf("equal outcomes: %q", d)
	}
	changed := runOutcome{status: "exit status 1", stdout: base.stdout, stderr: []byte("feed: 2 items\n"),
		tree: map[string]treeEntry{"out/a.md": file("---\ntitle: \"B\"\n---\n"), "cache/state-1.json": file("{ }\n"), "out/b.md": file("")}}
	want := `exit status 0 before, exit status 1 after, ` +
		`stderr line 1: "feed: 1 item\n" before, "feed: 2 items\n" after, ` +
		`only after: out/b.md, ` +
		`out/a.md line 2: "title: \"A\"\n" before, "title: \"B\"\n" after (and 1 more files)`
	if d := outcomeDiff(base, changed); d != want {
		t.Errorf("outcomeDiff:\n got %s\nwant %s", d, want)
	}
	if d, want := textDiff([]byte("a\nb\n"), []byte("a\n")), `line 2: "b\n" before, the end after`; d != want {
		t.Errorf("textDiff of a shorter text: %s, want %s", d, want)
	}
}

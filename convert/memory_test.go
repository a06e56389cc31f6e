package convert

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"feed2md/convert/feed/feedtest"
	"feed2md/convert/fetch"
)

func TestMemoryLimitFor(t *testing.T) {
	for _, c := range []struct {
		need, want int64
	}{
		{0, 48 << 20},
		{MemoryNeed(1<<20, true), 48 << 20},           // a small feed
		{MemoryNeed(26_799_815, true), 80_399_445},    // 4,000 real posts, read whole: their bytes and items
		{MemoryNeed(52_635_509, false), 52_635_509},   // the 52 MB feed, streamed: its size
		{MemoryNeed(1_330_000_000, false), 224 << 20}, // the 1 GB feed: no more than before
		{MemoryNeed(-1, false), 224 << 20},            // a stream of unknown size
		{3 * 30_000_000, 90_000_000},                  // three feeds in flight: their sum
	} {
		if got := MemoryLimitFor(c.need); got != c.want {
			t.Errorf("MemoryLimitFor(%d) = %d, want %d", c.need, got, c.want)
		}
	}
}

// memoryLog records what a Converter tells Options.Memory.
type memoryLog struct {
	mu     sync.Mutex
	deltas []int64
}

func (m *memoryLog) add(d int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deltas = append(m.deltas, d)
}

// TestMemoryCountsEachFeed: a feed is counted while it is converted (one
// read whole for three times its size, a streamed one for its file's size, a
// stream of unknown size for MemoryLimit), and taken away when done, so that the command's
// limit comes back down; a feed not parsed again is not counted.
func TestMemoryCountsEachFeed(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.xml")
	large := filepath.Join(dir, "large.xml")
	smallBytes, largeBytes := feedtest.Big(5, 1), feedtest.Big(60, 2)
	feedtest.WriteFiles(t, dir, map[string]string{"small.xml": string(smallBytes), "large.xml": string(largeBytes)})
	old := fetch.MemMax
	t.Cleanup(func() { fetch.MemMax = old })
	fetch.MemMax = len(largeBytes) / 4 // the large one is streamed

	for _, c := range []struct {
		name  string
		path  string
		stdin []byte
		need  int64
	}{
		{"in memory", small, nil, 3 * int64(len(smallBytes))},
		{"streamed file", large, nil, int64(len(largeBytes))},
		{"streamed stdin", "-", largeBytes, MemoryLimit},
	} {
		t.Run(c.name, func(t *testing.T) {
			var log memoryLog
			out := t.TempDir()
			run := func() *Result {
				res := convertSource(t, context.Background(), out, c.path, func(o *Options) {
					o.Memory, o.CacheDir = log.add, filepath.Join(out, ".cache")
					o.Stdin = bytes.NewReader(c.stdin)
				})
				if res.Failed() {
					t.Fatalf("%v %v", res.Err, res.Errors)
				}
				return res
			}
			if res := run(); res.New == 0 {
				t.Fatal("nothing written")
			}
			if len(log.deltas) != 2 || log.deltas[0] != c.need || log.deltas[1] != -c.need {
				t.Fatalf("Memory was told %v, want [%d %d]", log.deltas, c.need, -c.need)
			}
			if c.stdin != nil {
				return
			}
			log.deltas = nil
			if res := run(); !res.SameBytes {
				t.Fatalf("the re-run parsed the unchanged file again")
			}
			if len(log.deltas) != 0 {
				t.Errorf("an unchanged file, not parsed, was counted: %v", log.deltas)
			}
		})
	}
}

// TestMemoryUnsetIsFine: without Options.Memory nothing is counted and
// nothing fails (the library's default).
func TestMemoryUnsetIsFine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.xml")
	if err := os.WriteFile(path, feedtest.Big(3, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	conv := newTestConverter(t, filepath.Join(dir, "out"), nil)
	src, _ := fetch.ParseSource(path)
	if res := conv.Convert(context.Background(), src); res.Failed() || res.New != 3 {
		t.Fatalf("%v %v, %d new", res.Err, res.Errors, res.New)
	}
}

// TestMemoryBudget: the limit follows the sum of the feeds in flight, up
// and back down, and a budget without a setter (GOMEMLIMIT set, or a test)
// sets nothing.
func TestMemoryBudget(t *testing.T) {
	var set []int64
	b := MemoryBudget{Set: func(limit int64) int64 { set = append(set, limit); return 0 }}
	b.Add(150 << 20) // a 150 MiB streamed feed
	b.Add(100 << 20) // and another beside it
	b.Add(-(150 << 20))
	b.Add(-(100 << 20))
	want := []int64{150 << 20, MemoryLimit, 100 << 20, MemoryLimitMin}
	if !slices.Equal(set, want) {
		t.Errorf("limits set %v, want %v", set, want)
	}
	var none MemoryBudget
	none.Add(1 << 30) // must not panic, nor set anything
	if none.need != 0 {
		t.Errorf("a budget without a setter counted %d", none.need)
	}
}

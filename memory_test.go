package main

import (
	"slices"
	"testing"

	"feed2md/convert"
)

// TestMemoryBudget: the limit follows the sum of the feeds in flight, up
// and back down, and a budget without a setter (GOMEMLIMIT set, or a test)
// sets nothing.
func TestMemoryBudget(t *testing.T) {
	var set []int64
	b := memoryBudget{set: func(limit int64) int64 { set = append(set, limit); return 0 }}
	b.add(150 << 20) // a 150 MiB streamed feed
	b.add(100 << 20) // and another beside it
	b.add(-(150 << 20))
	b.add(-(100 << 20))
	want := []int64{150 << 20, convert.MemoryLimit, 100 << 20, convert.MemoryLimitMin}
	if !slices.Equal(set, want) {
		t.Errorf("limits set %v, want %v", set, want)
	}
	var none memoryBudget
	none.add(1 << 30) // must not panic, nor set anything
	if none.need != 0 {
		t.Errorf("a budget without a setter counted %d", none.need)
	}
}

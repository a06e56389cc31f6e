package main

import (
	"os"
	"runtime/debug"
	"sync"

	"feed2md/convert"
)

// memoryBudget keeps the garbage collector's soft memory limit at
// convert.MemoryLimitFor of what the feeds being converted call for
// (convert.Options.Memory): a small feed's run stays near
// convert.MemoryLimitMin, a streamed 52 MB one at its size, a 1 GB one at
// convert.MemoryLimit.
type memoryBudget struct {
	mu   sync.Mutex
	need int64
	set  func(limit int64) int64 // debug.SetMemoryLimit; nil: the limit is left alone
}

// setMemoryLimit is what a run's memoryBudget sets the soft limit with:
// main sets it to debug.SetMemoryLimit unless GOMEMLIMIT is set. It stays
// nil in tests that call feed2md, so that they leave the test binary's
// collector alone.
var setMemoryLimit func(limit int64) int64

// gcSettings makes the garbage collector's settings for a run
// (docs/memory.md): GCPercent and the least soft limit, which the run's
// memoryBudget then raises, each unless the environment sets its own.
func gcSettings() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(convert.GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(convert.MemoryLimitMin)
		setMemoryLimit = debug.SetMemoryLimit
	}
}

// add counts delta more bytes of need and sets the limit that follows.
func (b *memoryBudget) add(delta int64) {
	if b.set == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.need += delta
	b.set(convert.MemoryLimitFor(b.need))
}

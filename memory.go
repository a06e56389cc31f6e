package main

import (
	"os"
	"runtime/debug"

	"feed2md/convert"
)

// setMemoryLimit is what a run's convert.MemoryBudget sets the soft limit with:
// main sets it to debug.SetMemoryLimit unless GOMEMLIMIT is set. It stays
// nil in tests that call feed2md, so that they leave the test binary's
// collector alone.
var setMemoryLimit func(limit int64) int64

// gcSettings makes the garbage collector's settings for a run
// (docs/memory.md): GCPercent and the least soft limit, which the run's
// convert.MemoryBudget then raises, each unless the environment sets its own.
func gcSettings() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(convert.GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(convert.MemoryLimitMin)
		setMemoryLimit = debug.SetMemoryLimit
	}
}

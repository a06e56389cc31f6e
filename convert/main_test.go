package convert

import (
	"os"
	"testing"
)

// TestMain removes the large benchmark feeds, which are written once per
// test binary and shared by the benchmarks, and stops the browser the
// browser tests share.
//
// The slow tests that only read (the corpus, the renders, the browser
// tests) call t.Parallel: Go runs them two at a time on two cores, beside
// the browser's waits, after every other test has returned. So a test
// that sets a package variable for its own run (withMemMax) or counts
// allocations (testing.AllocsPerRun) must stay sequential, and a
// parallel test must set none.
//
// Started by BenchmarkHugeFeed as a child (childEnv set), it converts one
// feed instead and exits.
func TestMain(m *testing.M) {
	if spec := os.Getenv("FEED2MD_BENCH_CHILD"); spec != "" {
		os.Exit(childMain(spec))
	}
	code := m.Run()
	stopBrowser()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

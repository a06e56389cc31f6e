package convert

import (
	"os"
	"testing"
)

// TestMain removes the large benchmark feeds, which are written once per
// test binary and shared by the benchmarks.
//
// Started by BenchmarkHugeFeed as a child (childEnv set), it converts one
// feed instead and exits.
func TestMain(m *testing.M) {
	if spec := os.Getenv("FEED2MD_BENCH_CHILD"); spec != "" {
		os.Exit(childMain(spec))
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

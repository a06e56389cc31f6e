package convert

import (
	"os"
	"testing"
)

// TestMain removes the large benchmark feeds, which are written once per
// test binary and shared by the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

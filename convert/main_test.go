package convert

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the large benchmark feed, which is written once per test
// binary and shared by the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if largePath != "" {
		os.RemoveAll(filepath.Dir(largePath))
	}
	os.Exit(code)
}

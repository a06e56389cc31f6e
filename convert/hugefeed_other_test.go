//go:build !linux

package convert

import (
	"fmt"
	"os"
)

// childMain is TestMain's hook for the children of BenchmarkHugeFeed,
// which runs on Linux only (it reads the child's peak RSS from the kernel).
func childMain(string) int {
	fmt.Fprintln(os.Stderr, "the 1 GB benchmark runs on Linux only")
	return 2
}

//go:build !linux

package fetch

// adviseHugePages does nothing where madvise's MADV_HUGEPAGE does not
// exist.
func adviseHugePages([]byte) {}
